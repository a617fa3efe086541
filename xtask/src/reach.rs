//! Which named schemas a part of the document reaches.
//!
//! Selecting operations, dropping error responses and relaxing response
//! enums all hinge on the same question: starting from some nodes, which
//! `#/components/schemas/<Name>` entries are reachable, transitively?

use std::collections::BTreeSet;

use serde_json::Value;

use crate::bundle::SCHEMA_PREFIX;
use crate::pointer;

/// Names of the schemas referenced directly (not transitively) under `v`.
pub fn direct_refs(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(map) => {
            if let Some(name) = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix(SCHEMA_PREFIX))
            {
                out.insert(pointer::unescape(name));
            }
            for child in map.values() {
                direct_refs(child, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|c| direct_refs(c, out)),
        _ => {}
    }
}

/// Every schema name reachable from `roots`, following `components/schemas`.
pub fn closure<'a>(doc: &Value, roots: impl IntoIterator<Item = &'a Value>) -> BTreeSet<String> {
    let mut frontier = BTreeSet::new();
    for root in roots {
        direct_refs(root, &mut frontier);
    }
    let schemas = doc.pointer("/components/schemas");
    let mut seen = BTreeSet::new();
    while let Some(name) = frontier.pop_first() {
        if !seen.insert(name.clone()) {
            continue;
        }
        if let Some(def) = schemas.and_then(|s| s.get(&name)) {
            let mut next = BTreeSet::new();
            direct_refs(def, &mut next);
            frontier.extend(next.into_iter().filter(|n| !seen.contains(n)));
        }
    }
    seen
}

/// Schemas reachable from anything outside `components/schemas`.
pub fn reachable_from_document(doc: &Value) -> BTreeSet<String> {
    let mut roots: Vec<&Value> = Vec::new();
    if let Value::Object(map) = doc {
        for (key, value) in map {
            if key != "components" {
                roots.push(value);
            }
        }
        if let Some(Value::Object(components)) = map.get("components") {
            for (key, value) in components {
                if key != "schemas" {
                    roots.push(value);
                }
            }
        }
    }
    closure(doc, roots)
}

/// Removes every `components/schemas` entry not in `keep`; returns the
/// pointers of the removed entries.
pub fn prune_schemas(doc: &mut Value, keep: &BTreeSet<String>) -> Vec<String> {
    let mut removed = Vec::new();
    if let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") {
        schemas.retain(|name, _| {
            let k = keep.contains(name);
            if !k {
                removed.push(pointer::join("/components/schemas", name));
            }
            k
        });
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn closure_is_transitive_and_handles_recursion() {
        let doc = json!({
            "paths": {"/a": {"get": {"responses": {"200": {"content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/A"}}}}}}}},
            "components": {"schemas": {
                "A": {"properties": {"b": {"$ref": "#/components/schemas/B"}}},
                "B": {"items": {"$ref": "#/components/schemas/B"}},
                "C": {"type": "string"}
            }}
        });
        let names: Vec<String> = reachable_from_document(&doc).into_iter().collect();
        assert_eq!(names, vec!["A", "B"]);
    }
}
