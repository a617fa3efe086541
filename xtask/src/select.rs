//! `select-operations`: keep the operations listed in
//! `openapi/operations.txt` (or all of them) and exactly the schemas they
//! reach.
//!
//! The client only wraps scheduled-run endpoints; generating types for the
//! other ~140 operations would bloat the crate and couple it to parts of the
//! contract it never calls. Adding an operation is a one-line edit to the
//! list.

use std::collections::BTreeSet;

use anyhow::{Result, bail};
use serde_json::Value;

use crate::kind::{self, METHODS};
use crate::pointer;
use crate::reach;

/// Which operations to keep.
#[derive(Clone, Debug)]
pub enum Selection {
    /// Every operation of the contract (`--all`).
    All,
    /// Exactly these operation ids.
    Only(Vec<String>),
}

/// Parses an operation list: one operationId per line, `#` starts a comment,
/// blank lines are ignored. A repeated id is an error.
pub fn parse_list(text: &str) -> Result<Vec<String>> {
    let mut ids = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let id = line.split('#').next().unwrap_or_default().trim();
        if id.is_empty() {
            continue;
        }
        if id.contains(char::is_whitespace) {
            bail!("line {}: `{id}` is not a single operation id", n + 1);
        }
        if ids.iter().any(|x| x == id) {
            bail!("line {}: operation id `{id}` is listed twice", n + 1);
        }
        ids.push(id.to_string());
    }
    Ok(ids)
}

/// Keeps the selected operations (dropping path items left empty) and the
/// schemas they reach; removes component maps other than `schemas` and
/// `securitySchemes`, whose uses `bundle` has already inlined. Returns the
/// removed pointers.
pub fn select_operations(doc: &mut Value, selection: &Selection) -> Result<Vec<String>> {
    let mut touched = Vec::new();
    let mut present = BTreeSet::new();
    for (ptr, path, method) in kind::operations(doc) {
        let id = doc
            .pointer(&ptr)
            .and_then(|op| op.get("operationId"))
            .and_then(Value::as_str);
        match id {
            Some(id) => {
                if !present.insert(id.to_string()) {
                    bail!("operation id `{id}` is used twice (again at {method} {path})");
                }
            }
            None => bail!(
                "{} {path} has no operationId ({ptr})",
                method.to_uppercase()
            ),
        }
    }
    if let Selection::Only(ids) = selection {
        for id in ids {
            if !present.contains(id) {
                bail!("operation `{id}` is selected but the contract has no such operationId");
            }
        }
    }
    let keep = |id: &str| match selection {
        Selection::All => true,
        Selection::Only(ids) => ids.iter().any(|x| x == id),
    };

    if let Some(Value::Object(paths)) = doc.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            let Value::Object(item) = item else { continue };
            let path_ptr = pointer::join("/paths", path);
            item.retain(|method, op| {
                if !METHODS.contains(&method.as_str()) {
                    return true;
                }
                let id = op
                    .get("operationId")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let k = keep(id);
                if !k {
                    touched.push(pointer::join(&path_ptr, method));
                }
                k
            });
        }
        paths.retain(|path, item| {
            let has_ops = item
                .as_object()
                .is_some_and(|m| m.keys().any(|k| METHODS.contains(&k.as_str())));
            if !has_ops {
                touched.push(pointer::join("/paths", path));
            }
            has_ops
        });
    }
    if let Some(Value::Object(components)) = doc.get_mut("components") {
        components.retain(|key, _| {
            let k = key == "schemas" || key == "securitySchemes" || key.starts_with("x-");
            if !k {
                touched.push(pointer::join("/components", key));
            }
            k
        });
    }
    let reachable = reach::reachable_from_document(doc);
    touched.extend(reach::prune_schemas(doc, &reachable));
    Ok(touched)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc() -> Value {
        json!({
            "paths": {
                "/a": {"parameters": [], "get": {"operationId": "a:get", "responses": {"200": {
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}}}},
                    "delete": {"operationId": "a:delete", "responses": {"204": {}}}},
                "/b": {"post": {"operationId": "b:post", "requestBody": {"content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/B"}}}}, "responses": {"204": {}}}}
            },
            "components": {
                "parameters": {"P": {"name": "p", "in": "query"}},
                "schemas": {
                    "A": {"properties": {"n": {"$ref": "#/components/schemas/N"}}},
                    "N": {"type": "string"},
                    "B": {"type": "object"}
                }
            }
        })
    }

    #[test]
    fn keeps_listed_operations_and_their_schemas() {
        let mut d = doc();
        let touched = select_operations(&mut d, &Selection::Only(vec!["a:get".into()])).unwrap();
        assert_eq!(
            touched,
            vec![
                "/paths/~1a/delete",
                "/paths/~1b/post",
                "/paths/~1b",
                "/components/parameters",
                "/components/schemas/B"
            ]
        );
        assert_eq!(d["paths"].as_object().unwrap().len(), 1);
        assert!(d.pointer("/paths/~1a/get").is_some());
        assert!(d.pointer("/paths/~1a/parameters").is_some());
        let names: Vec<&String> = d["components"]["schemas"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(names, vec!["A", "N"]);
    }

    #[test]
    fn all_keeps_every_operation() {
        let mut d = doc();
        let touched = select_operations(&mut d, &Selection::All).unwrap();
        assert_eq!(touched, vec!["/components/parameters"]);
        assert_eq!(kind::operations(&d).len(), 3);
    }

    #[test]
    fn unknown_operation_is_an_error() {
        let err = select_operations(&mut doc(), &Selection::Only(vec!["nope:get".into()]))
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "operation `nope:get` is selected but the contract has no such operationId"
        );
    }

    #[test]
    fn list_parsing() {
        let ids = parse_list("# header\na:get  # trailing\n\n  b:post\n").unwrap();
        assert_eq!(ids, vec!["a:get", "b:post"]);
        assert_eq!(
            parse_list("a\na\n").unwrap_err().to_string(),
            "line 2: operation id `a` is listed twice"
        );
    }
}
