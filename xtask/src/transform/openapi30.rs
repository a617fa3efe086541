//! `openapi-3.0`: express the document in OpenAPI 3.0.3.
//!
//! Hatchet's contract declares `openapi: 3.1.0`, but progenitor 0.15 parses
//! documents with the `openapiv3` crate, which only models 3.0.x. Each
//! 3.1-only construct is rewritten to its 3.0 equivalent (or dropped when
//! 3.0 has none and it only constrains validation, never the shape of the
//! data):
//!
//! * `type: [X, "null"]` → `type: X, nullable: true` (several non-null types
//!   → `anyOf`), `type: "null"` → `nullable: true`;
//! * `null` in `enum`, `{type: "null"}` in `anyOf`/`oneOf` → `nullable: true`;
//! * `const: v` → `enum: [v]`;
//! * numeric `exclusiveMinimum`/`exclusiveMaximum` → `minimum`/`maximum`
//!   plus the boolean flag;
//! * `$ref` with siblings (3.1 applies them, 3.0 ignores them): annotation
//!   siblings are dropped, a `type` the target already has is dropped, any
//!   other sibling keeps its meaning by wrapping the ref in `allOf`;
//! * JSON-Schema-2020-12-only keywords (`$schema`, `$id`, `$defs`,
//!   `examples`, `prefixItems`, `unevaluated*`, `if/then/else`, …) and the
//!   top-level `jsonSchemaDialect`/`webhooks` are dropped;
//!   `contentEncoding: base64` → `format: byte`.
//!
//! Of all this, the upstream contract actually uses the 3.1 header and
//! `$ref` siblings (`description`, and one redundant `type: object`).

use std::collections::BTreeMap;

use anyhow::Result;
use serde_json::{Map, Value, json};

use crate::bundle::SCHEMA_PREFIX;
use crate::kind::walk_schemas;
use crate::pointer;

/// The version written to the document.
pub const VERSION: &str = "3.0.3";

/// Schema keywords that only exist in JSON Schema 2020-12 and have no 3.0
/// counterpart; dropping them only loosens validation.
const DROPPED_SCHEMA_KEYWORDS: [&str; 22] = [
    "$schema",
    "$id",
    "$anchor",
    "$dynamicRef",
    "$dynamicAnchor",
    "$vocabulary",
    "$comment",
    "$defs",
    "examples",
    "contentMediaType",
    "contentSchema",
    "prefixItems",
    "unevaluatedItems",
    "unevaluatedProperties",
    "dependentRequired",
    "dependentSchemas",
    "patternProperties",
    "propertyNames",
    "if",
    "then",
    "else",
    "contains",
];

/// Siblings of a `$ref` that annotate rather than constrain.
const ANNOTATIONS: [&str; 5] = ["description", "title", "example", "examples", "$comment"];

/// Runs the step; see the module docs.
pub fn run(doc: &mut Value) -> Result<Vec<String>> {
    let mut touched = Vec::new();
    if doc.get("openapi").and_then(Value::as_str) != Some(VERSION) {
        doc["openapi"] = json!(VERSION);
        touched.push("/openapi".to_string());
    }
    if let Value::Object(root) = doc {
        for key in ["jsonSchemaDialect", "webhooks"] {
            if root.remove(key).is_some() {
                touched.push(pointer::join("", key));
            }
        }
    }
    for ptr in [
        "/components/pathItems",
        "/info/summary",
        "/info/license/identifier",
    ] {
        let (parent, key) = ptr.rsplit_once('/').unwrap_or_default();
        if let Some(Value::Object(m)) = doc.pointer_mut(parent)
            && m.remove(key).is_some()
        {
            touched.push(ptr.to_string());
        }
    }
    let types: BTreeMap<String, Value> = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|s| {
            s.iter()
                .filter_map(|(n, d)| d.get("type").map(|t| (n.clone(), t.clone())))
                .collect()
        })
        .unwrap_or_default();
    walk_schemas(doc, |ptr, schema| {
        convert_schema(schema, ptr, &types, &mut touched)
    })?;
    Ok(touched)
}

fn convert_schema(
    s: &mut Map<String, Value>,
    ptr: &str,
    types: &BTreeMap<String, Value>,
    touched: &mut Vec<String>,
) {
    let at = |key: &str| pointer::join(ptr, key);

    if let Some(Value::Array(list)) = s.get("type").cloned() {
        let non_null: Vec<Value> = list.iter().filter(|t| *t != "null").cloned().collect();
        if non_null.len() != list.len() {
            s.insert("nullable".into(), json!(true));
        }
        match non_null.len() {
            0 => {
                s.remove("type");
            }
            1 => {
                s.insert("type".into(), non_null[0].clone());
            }
            _ => {
                s.remove("type");
                let alternatives = non_null.into_iter().map(|t| json!({ "type": t })).collect();
                s.insert("anyOf".into(), Value::Array(alternatives));
            }
        }
        touched.push(at("type"));
    } else if s.get("type").is_some_and(|t| t == "null") {
        s.remove("type");
        s.insert("nullable".into(), json!(true));
        touched.push(at("type"));
    }

    if let Some(Value::Array(values)) = s.get_mut("enum")
        && values.iter().any(Value::is_null)
    {
        values.retain(|v| !v.is_null());
        if values.is_empty() {
            s.remove("enum");
        }
        s.insert("nullable".into(), json!(true));
        touched.push(at("enum"));
    }

    for key in ["anyOf", "oneOf"] {
        let Some(Value::Array(members)) = s.get_mut(key) else {
            continue;
        };
        let before = members.len();
        members.retain(|m| {
            !(m.get("type").is_some_and(|t| t == "null")
                && m.as_object().is_some_and(|o| o.len() == 1))
        });
        if members.len() == before {
            continue;
        }
        if members.len() == 1 {
            let only = members.remove(0);
            s.remove(key);
            s.insert("allOf".into(), json!([only]));
        }
        s.insert("nullable".into(), json!(true));
        touched.push(at(key));
    }

    if let Some(value) = s.remove("const") {
        s.insert("enum".into(), json!([value]));
        touched.push(at("const"));
    }

    for (exclusive, inclusive, stricter) in [
        ("exclusiveMinimum", "minimum", std::cmp::Ordering::Greater),
        ("exclusiveMaximum", "maximum", std::cmp::Ordering::Less),
    ] {
        let Some(bound) = s.get(exclusive).and_then(Value::as_f64) else {
            continue;
        };
        let bound_value = s[exclusive].clone();
        let existing = s.get(inclusive).and_then(Value::as_f64);
        // An inclusive bound strictly tighter than the exclusive one wins.
        let inclusive_wins = existing.is_some_and(|e| e.partial_cmp(&bound) == Some(stricter));
        if inclusive_wins {
            s.remove(exclusive);
        } else {
            s.insert(inclusive.into(), bound_value);
            s.insert(exclusive.into(), json!(true));
        }
        touched.push(at(exclusive));
    }

    if s.get("contentEncoding").is_some_and(|e| e == "base64") && !s.contains_key("format") {
        s.insert("format".into(), json!("byte"));
    }
    if s.remove("contentEncoding").is_some() {
        touched.push(at("contentEncoding"));
    }
    for key in DROPPED_SCHEMA_KEYWORDS {
        if s.remove(key).is_some() {
            touched.push(at(key));
        }
    }

    let Some(reference) = s.get("$ref").and_then(Value::as_str).map(str::to_string) else {
        return;
    };
    if s.len() == 1 {
        return;
    }
    let target_type = reference
        .strip_prefix(SCHEMA_PREFIX)
        .and_then(|name| types.get(&pointer::unescape(name)));
    let mut rest = Map::new();
    for (key, value) in std::mem::take(s) {
        let redundant_type = key == "type" && target_type == Some(&value);
        if key == "$ref" {
            continue;
        } else if ANNOTATIONS.contains(&key.as_str()) || key.starts_with("x-") || redundant_type {
            touched.push(at(&key));
        } else {
            rest.insert(key, value);
        }
    }
    if rest.is_empty() {
        s.insert("$ref".into(), json!(reference));
    } else {
        touched.push(at("$ref"));
        *s = rest;
        s.insert("allOf".into(), json!([{ "$ref": reference }]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema_doc(schema: Value) -> Value {
        json!({
            "openapi": "3.1.0",
            "components": {"schemas": {"T": {"type": "object"}, "S": schema}}
        })
    }

    fn convert(schema: Value) -> (Value, Vec<String>) {
        let mut doc = schema_doc(schema);
        let touched = run(&mut doc).unwrap();
        (doc["components"]["schemas"]["S"].clone(), touched)
    }

    #[test]
    fn header_becomes_303() {
        let mut doc = json!({"openapi": "3.1.0", "jsonSchemaDialect": "x"});
        assert_eq!(
            run(&mut doc).unwrap(),
            vec!["/openapi", "/jsonSchemaDialect"]
        );
        assert_eq!(doc, json!({"openapi": "3.0.3"}));
        assert!(run(&mut doc).unwrap().is_empty());
    }

    #[test]
    fn nullable_type_array() {
        let (s, touched) = convert(json!({"type": ["string", "null"], "format": "date-time"}));
        assert_eq!(
            s,
            json!({"type": "string", "nullable": true, "format": "date-time"})
        );
        assert_eq!(touched, vec!["/openapi", "/components/schemas/S/type"]);
        let (s, _) = convert(json!({"type": ["string", "integer"]}));
        assert_eq!(
            s,
            json!({"anyOf": [{"type": "string"}, {"type": "integer"}]})
        );
        let (s, _) = convert(json!({"type": "null"}));
        assert_eq!(s, json!({"nullable": true}));
    }

    #[test]
    fn nested_schemas_are_converted() {
        let (s, touched) = convert(json!({"type": "object", "properties": {
            "a": {"type": ["integer", "null"]},
            "b": {"type": "array", "items": {"const": "x"}}}}));
        assert_eq!(
            s,
            json!({"type": "object", "properties": {
                "a": {"type": "integer", "nullable": true},
                "b": {"type": "array", "items": {"enum": ["x"]}}}})
        );
        assert_eq!(
            touched,
            vec![
                "/openapi",
                "/components/schemas/S/properties/a/type",
                "/components/schemas/S/properties/b/items/const"
            ]
        );
    }

    #[test]
    fn null_in_enum_and_one_of() {
        let (s, _) = convert(json!({"type": "string", "enum": ["a", null]}));
        assert_eq!(
            s,
            json!({"type": "string", "enum": ["a"], "nullable": true})
        );
        let (s, touched) =
            convert(json!({"oneOf": [{"$ref": "#/components/schemas/T"}, {"type": "null"}]}));
        assert_eq!(
            s,
            json!({"allOf": [{"$ref": "#/components/schemas/T"}], "nullable": true})
        );
        assert_eq!(touched, vec!["/openapi", "/components/schemas/S/oneOf"]);
    }

    #[test]
    fn exclusive_bounds() {
        let (s, _) = convert(
            json!({"type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 10, "maximum": 5}),
        );
        assert_eq!(
            s,
            json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true, "maximum": 5})
        );
        let (s, _) = convert(json!({"type": "number", "exclusiveMaximum": true, "maximum": 5}));
        assert_eq!(
            s,
            json!({"type": "number", "exclusiveMaximum": true, "maximum": 5})
        );
    }

    #[test]
    fn json_schema_only_keywords_are_dropped() {
        let (s, touched) = convert(json!({"$schema": "x", "type": "string", "examples": ["a"],
            "contentEncoding": "base64"}));
        assert_eq!(s, json!({"type": "string", "format": "byte"}));
        assert_eq!(
            touched,
            vec![
                "/openapi",
                "/components/schemas/S/contentEncoding",
                "/components/schemas/S/$schema",
                "/components/schemas/S/examples"
            ]
        );
    }

    #[test]
    fn ref_siblings() {
        let (s, touched) = convert(json!({"properties": {
            "a": {"$ref": "#/components/schemas/T", "description": "prose", "type": "object"},
            "b": {"$ref": "#/components/schemas/T", "type": ["object", "null"]}}}));
        assert_eq!(
            s,
            json!({"properties": {
                "a": {"$ref": "#/components/schemas/T"},
                "b": {"allOf": [{"$ref": "#/components/schemas/T"}], "nullable": true}}})
        );
        assert_eq!(
            touched,
            vec![
                "/openapi",
                "/components/schemas/S/properties/a/description",
                "/components/schemas/S/properties/a/type",
                "/components/schemas/S/properties/b/type",
                "/components/schemas/S/properties/b/type",
                "/components/schemas/S/properties/b/$ref"
            ]
        );
    }
}
