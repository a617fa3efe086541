//! `strip-prose`: remove documentation, keep structure.
//!
//! The committed document is a derived artifact reviewed in diffs; it
//! should change only when the *shape* of the API changes, not when
//! upstream rewords a description. It also must not carry upstream prose
//! into this project. So descriptions, summaries, examples, tags,
//! extensions, servers and security declarations are removed, and `info`
//! is replaced by a fixed title plus the upstream version (a response's
//! required `description` becomes `""`). A schema
//! *property* that happens to be called `description` is structure, and
//! stays: only keys in keyword position are removed.

use anyhow::Result;
use serde_json::{Value, json};

use crate::kind::{Kind, walk_doc};
use crate::pointer;

/// The `info.title` of every normalized document. One title for the subset
/// and the full document: progenitor puts it in the `Client` docs of
/// whichever the crate builds from.
pub const TITLE: &str = "Hatchet API";

/// Prose keywords removed wherever a keyword can appear.
const PROSE: [&str; 5] = [
    "description",
    "summary",
    "example",
    "examples",
    "externalDocs",
];

/// Runs the step; see the module docs.
pub fn run(doc: &mut Value) -> Result<Vec<String>> {
    let mut touched = Vec::new();
    let version = doc
        .pointer("/info/version")
        .cloned()
        .unwrap_or_else(|| json!("0.0.0"));
    let info = json!({ "title": TITLE, "version": version });
    if doc.get("info") != Some(&info) {
        doc["info"] = info;
        touched.push("/info".to_string());
    }
    walk_doc(doc, &mut |kind, ptr, node| {
        let Value::Object(map) = node else {
            return Ok(());
        };
        if kind.keys_are_names() {
            return Ok(());
        }
        if kind == Kind::Response {
            // OpenAPI 3.0 (and the `openapiv3` parser) require a response
            // description; an empty one carries no prose.
            if map.get("description") != Some(&json!("")) {
                map.insert("description".into(), json!(""));
                touched.push(pointer::join(ptr, "description"));
            }
        }
        map.retain(|key, _| {
            let prose = (PROSE.contains(&key.as_str())
                && !(kind == Kind::Response && key == "description"))
                || key.starts_with("x-")
                || match kind {
                    Kind::Root => matches!(key.as_str(), "tags" | "servers" | "security"),
                    Kind::PathItem => key == "servers",
                    Kind::Operation => matches!(key.as_str(), "tags" | "servers" | "security"),
                    Kind::Components => key == "securitySchemes",
                    Kind::Schema => key == "title",
                    _ => false,
                };
            if prose {
                touched.push(pointer::join(ptr, key));
            }
            !prose
        });
        Ok(())
    })?;
    Ok(touched)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_prose_keeps_structure() {
        // Sorted like the pipeline does, whatever serde_json's map order.
        let mut doc = crate::sorted(&json!({
            "openapi": "3.0.3",
            "info": {"title": "Upstream", "description": "words", "version": "1.2.3"},
            "servers": [{"url": ""}],
            "security": [{"bearerAuth": []}],
            "tags": [{"name": "T"}],
            "paths": {"/a": {"get": {
                "operationId": "a", "summary": "s", "description": "d", "tags": ["T"],
                "x-resources": ["tenant"], "security": [],
                "parameters": [{"name": "p", "in": "query", "description": "d", "example": 1,
                    "schema": {"type": "integer", "format": "int64", "description": "d"}}],
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/E"}}}}}
            }}},
            "components": {
                "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
                "schemas": {"E": {
                    "type": "object", "title": "E", "description": "an error",
                    "required": ["description"],
                    "properties": {
                        "description": {"type": "string", "description": "what went wrong",
                            "example": "boom", "maxLength": 10},
                        "x-tag": {"type": "string", "x-go-name": "Tag"}
                    },
                    "enum": [{"description": "literal"}]
                }}
            }
        }));
        let touched = run(&mut doc).unwrap();
        assert_eq!(
            doc,
            json!({
                "openapi": "3.0.3",
                "info": {"title": TITLE, "version": "1.2.3"},
                "paths": {"/a": {"get": {
                    "operationId": "a",
                    "parameters": [{"name": "p", "in": "query",
                        "schema": {"type": "integer", "format": "int64"}}],
                    "responses": {"200": {"description": "", "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/E"}}}}}
                }}},
                "components": {"schemas": {"E": {
                    "type": "object",
                    "required": ["description"],
                    "properties": {
                        "description": {"type": "string", "maxLength": 10},
                        "x-tag": {"type": "string"}
                    },
                    "enum": [{"description": "literal"}]
                }}}
            })
        );
        assert_eq!(
            touched,
            vec![
                "/info",
                "/security",
                "/servers",
                "/tags",
                "/components/securitySchemes",
                "/components/schemas/E/description",
                "/components/schemas/E/title",
                "/components/schemas/E/properties/description/description",
                "/components/schemas/E/properties/description/example",
                "/components/schemas/E/properties/x-tag/x-go-name",
                "/paths/~1a/get/description",
                "/paths/~1a/get/security",
                "/paths/~1a/get/summary",
                "/paths/~1a/get/tags",
                "/paths/~1a/get/x-resources",
                "/paths/~1a/get/parameters/0/description",
                "/paths/~1a/get/parameters/0/example",
                "/paths/~1a/get/parameters/0/schema/description",
                "/paths/~1a/get/responses/200/description"
            ]
        );
    }
}
