//! `tolerant-response-enums`: response-only string enums become
//! plain strings.
//!
//! typify turns a string enum into a closed Rust enum, so the day Hatchet
//! adds a run status, decoding every response that mentions it would fail.
//! For named string-enum schemas reachable only from response bodies, the
//! document says `{"type": "string"}` instead and the facade maps the
//! string onto its own enum with an `Unknown(String)` variant. Enums
//! reachable from a parameter or request body stay enums: there the closed
//! set is what we send, and typed values keep callers honest.

use std::collections::BTreeSet;

use anyhow::Result;
use serde_json::{Map, Value, json};

use crate::kind;
use crate::pointer;
use crate::reach;

/// Named schemas reachable from parameters / request bodies, and from
/// responses.
fn request_and_response_schemas(doc: &Value) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut request_roots: Vec<&Value> = Vec::new();
    let mut response_roots: Vec<&Value> = Vec::new();
    if let Some(Value::Object(paths)) = doc.get("paths") {
        for item in paths.values() {
            request_roots.extend(item.get("parameters"));
        }
    }
    for (op_ptr, _, _) in kind::operations(doc) {
        let Some(op) = doc.pointer(&op_ptr) else {
            continue;
        };
        request_roots.extend(op.get("parameters"));
        request_roots.extend(op.get("requestBody"));
        request_roots.extend(op.get("callbacks"));
        response_roots.extend(op.get("responses"));
    }
    (
        reach::closure(doc, request_roots),
        reach::closure(doc, response_roots),
    )
}

fn is_string_enum(schema: &Value) -> bool {
    schema.get("type").is_some_and(|t| t == "string") && schema.get("enum").is_some()
}

/// Runs the step; see the module docs.
pub fn run(doc: &mut Value) -> Result<Vec<String>> {
    let (request, response) = request_and_response_schemas(doc);
    let mut touched = Vec::new();
    let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") else {
        return Ok(touched);
    };
    for name in response.difference(&request) {
        let Some(schema) = schemas.get_mut(name) else {
            continue;
        };
        if !is_string_enum(schema) {
            continue;
        }
        let mut plain = Map::new();
        plain.insert("type".into(), json!("string"));
        if let Some(nullable) = schema.get("nullable") {
            plain.insert("nullable".into(), nullable.clone());
        }
        *schema = Value::Object(plain);
        touched.push(pointer::join("/components/schemas", name));
    }
    Ok(touched)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_response_only_enums_are_relaxed() {
        let schema =
            |name: &str| json!({"schema": {"$ref": format!("#/components/schemas/{name}")}});
        let mut doc = json!({
            "paths": {"/a": {
                "parameters": [{"name": "d", "in": "query", "schema": {"$ref": "#/components/schemas/Dir"}}],
                "get": {
                    "operationId": "a",
                    "parameters": [{"name": "s", "in": "query", "schema": {
                        "type": "array", "items": {"$ref": "#/components/schemas/Filter"}}}],
                    "responses": {"200": {"description": "", "content": {"application/json": schema("Run")}}}
                },
                "post": {
                    "operationId": "b",
                    "requestBody": {"content": {"application/json": schema("Both")}},
                    "responses": {"200": {"description": "", "content": {"application/json": schema("Both")}}}
                }
            }},
            "components": {"schemas": {
                "Run": {"type": "object", "properties": {
                    "status": {"$ref": "#/components/schemas/Status"},
                    "filter": {"$ref": "#/components/schemas/Filter"},
                    "dir": {"$ref": "#/components/schemas/Dir"}}},
                "Status": {"type": "string", "enum": ["A", "B"], "nullable": true},
                "Filter": {"type": "string", "enum": ["X"]},
                "Dir": {"type": "string", "enum": ["asc", "desc"]},
                "Both": {"type": "object", "properties": {"k": {"$ref": "#/components/schemas/Kind"}}},
                "Kind": {"type": "string", "enum": ["k"]}
            }}
        });
        let touched = run(&mut doc).unwrap();
        assert_eq!(touched, vec!["/components/schemas/Status"]);
        let schemas = &doc["components"]["schemas"];
        assert_eq!(
            schemas["Status"],
            json!({"type": "string", "nullable": true})
        );
        assert_eq!(schemas["Filter"], json!({"type": "string", "enum": ["X"]}));
        assert_eq!(
            schemas["Dir"],
            json!({"type": "string", "enum": ["asc", "desc"]})
        );
        assert_eq!(schemas["Kind"], json!({"type": "string", "enum": ["k"]}));
    }
}
