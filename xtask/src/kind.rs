//! Where a node sits in an OpenAPI document.
//!
//! OpenAPI reuses words: `description` is prose on an operation but a
//! property *name* inside `properties`; a `$ref` under `schema` names a
//! schema while one under `paths` names a path item. Every step that edits
//! the document therefore walks it with this structural context instead of
//! matching keys blindly.

use anyhow::Result;
use serde_json::{Map, Value};

use crate::pointer;

/// The HTTP methods that can hold an operation inside a path item.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The structural role of a node.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// The document itself.
    Root,
    /// A map from path (or webhook/callback expression) to path item.
    Paths,
    /// A path item.
    PathItem,
    /// An operation.
    Operation,
    /// A list of parameters.
    ParameterList,
    /// A map from name to parameter or header.
    ParameterMap,
    /// A parameter or a header.
    Parameter,
    /// A request body.
    RequestBody,
    /// A map from name to request body (`components/requestBodies`).
    RequestBodyMap,
    /// A map from status code to response (also `components/responses`).
    Responses,
    /// A response.
    Response,
    /// A map from media type to media type object.
    Content,
    /// A media type object.
    MediaType,
    /// A map from property name to encoding object.
    Encodings,
    /// An encoding object.
    Encoding,
    /// A map from name to callback (each callback is a [`Kind::Paths`]).
    Callbacks,
    /// `components`.
    Components,
    /// A schema.
    Schema,
    /// A map whose keys are names and values schemas (`properties`, `components/schemas`).
    SchemaMap,
    /// A list of schemas (`allOf`, `anyOf`, `oneOf`, `prefixItems`).
    SchemaList,
    /// Anything else with structure (info, servers, tags, security, links…).
    Other,
    /// Literal data (`enum`, `default`, `example`, extensions): never edited.
    Opaque,
}

impl Kind {
    /// Whether the keys of an object of this kind are names chosen by the
    /// API author rather than OpenAPI keywords.
    pub fn keys_are_names(self) -> bool {
        matches!(
            self,
            Kind::SchemaMap | Kind::ParameterMap | Kind::Content | Kind::Encodings
        )
    }

    /// The kind of the value under `key` (an object key or array index).
    pub fn child(self, key: &str) -> Kind {
        use Kind::*;
        if key.starts_with("x-") && !self.keys_are_names() {
            return Opaque;
        }
        match (self, key) {
            (Opaque, _) => Opaque,
            (Root, "paths" | "webhooks") => Paths,
            (Root, "components") => Components,
            (Paths, _) => PathItem,
            (PathItem, "parameters") => ParameterList,
            (PathItem, m) if METHODS.contains(&m) => Operation,
            (Operation, "parameters") => ParameterList,
            (Operation, "requestBody") => RequestBody,
            (Operation, "responses") => Responses,
            (Operation, "callbacks") => Callbacks,
            (ParameterList | ParameterMap, _) => Parameter,
            (Parameter, "schema") => Schema,
            (Parameter, "content") => Content,
            (RequestBody, "content") => Content,
            (RequestBodyMap, _) => RequestBody,
            (Responses, _) => Response,
            (Response, "content") => Content,
            (Response, "headers") => ParameterMap,
            (Content, _) => MediaType,
            (MediaType, "schema") => Schema,
            (MediaType, "encoding") => Encodings,
            (Encodings, _) => Encoding,
            (Encoding, "headers") => ParameterMap,
            (Callbacks, _) => Paths,
            (Components, "schemas") => SchemaMap,
            (Components, "parameters" | "headers") => ParameterMap,
            (Components, "responses") => Responses,
            (Components, "requestBodies") => RequestBodyMap,
            (Components, "pathItems") => Paths,
            (Components, "callbacks") => Callbacks,
            (SchemaMap | SchemaList, _) => Schema,
            (
                Schema,
                "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas",
            ) => SchemaMap,
            (Schema, "allOf" | "anyOf" | "oneOf" | "prefixItems") => SchemaList,
            (
                Schema,
                "items"
                | "additionalProperties"
                | "not"
                | "if"
                | "then"
                | "else"
                | "contains"
                | "propertyNames"
                | "additionalItems"
                | "unevaluatedItems"
                | "unevaluatedProperties"
                | "contentSchema",
            ) => Schema,
            (Schema, _) => Opaque,
            (Parameter | MediaType, "example") => Opaque,
            _ => Other,
        }
    }

    /// The kind of the elements of an array of this kind.
    pub fn element(self) -> Kind {
        match self {
            Kind::ParameterList => Kind::Parameter,
            // `items: [..]` (tuple form) holds schemas too.
            Kind::SchemaList | Kind::Schema => Kind::Schema,
            Kind::Opaque => Kind::Opaque,
            _ => Kind::Other,
        }
    }
}

/// Visitor callback: `(kind, pointer, node)`.
pub type Visit<'a> = dyn FnMut(Kind, &str, &mut Value) -> Result<()> + 'a;

/// Pre-order walk over every non-opaque node. The callback may edit the node
/// it is given; the walk then descends into whatever children remain.
pub fn walk_mut(value: &mut Value, kind: Kind, ptr: &str, f: &mut Visit<'_>) -> Result<()> {
    if kind == Kind::Opaque {
        return Ok(());
    }
    f(kind, ptr, value)?;
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                walk_mut(child, kind.child(key), &pointer::join(ptr, key), f)?;
            }
        }
        Value::Array(items) => {
            let element = kind.element();
            for (i, child) in items.iter_mut().enumerate() {
                walk_mut(child, element, &format!("{ptr}/{i}"), f)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// Walks the whole document from the root.
pub fn walk_doc(doc: &mut Value, f: &mut Visit<'_>) -> Result<()> {
    walk_mut(doc, Kind::Root, "", f)
}

/// Calls `f` with every schema object of the document, in walk order,
/// before descending into what the call leaves of it.
pub fn walk_schemas(
    doc: &mut Value,
    mut f: impl FnMut(&str, &mut Map<String, Value>),
) -> Result<()> {
    walk_doc(doc, &mut |kind, ptr, node| {
        if kind == Kind::Schema
            && let Value::Object(schema) = node
        {
            f(ptr, schema);
        }
        Ok(())
    })
}

/// `(pointer, path, method)` of every operation, in document order.
pub fn operations(doc: &Value) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            let Some(item) = item.as_object() else {
                continue;
            };
            for (method, op) in item {
                if METHODS.contains(&method.as_str()) && op.is_object() {
                    let ptr = pointer::join(&pointer::join("/paths", path), method);
                    out.push((ptr, path.clone(), method.clone()));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn description_property_is_a_name_not_prose() {
        assert_eq!(Kind::Schema.child("properties"), Kind::SchemaMap);
        assert_eq!(Kind::SchemaMap.child("description"), Kind::Schema);
        assert_eq!(Kind::Schema.child("description"), Kind::Opaque);
        assert_eq!(Kind::Operation.child("description"), Kind::Other);
        assert_eq!(Kind::Schema.child("enum"), Kind::Opaque);
        assert_eq!(Kind::SchemaMap.child("x-name"), Kind::Schema);
        assert_eq!(Kind::Operation.child("x-resources"), Kind::Opaque);
    }

    #[test]
    fn walk_visits_schemas_with_pointers() {
        let mut doc = json!({
            "paths": {"/a": {"get": {"responses": {"200": {"content": {
                "application/json": {"schema": {"type": "object",
                    "properties": {"description": {"type": "string"}}}}}}}}}}
        });
        let mut seen = Vec::new();
        walk_doc(&mut doc, &mut |kind, ptr, _| {
            if kind == Kind::Schema {
                seen.push(ptr.to_string());
            }
            Ok(())
        })
        .unwrap();
        let base = "/paths/~1a/get/responses/200/content/application~1json/schema";
        assert_eq!(
            seen,
            vec![base.to_string(), format!("{base}/properties/description")]
        );
        assert_eq!(
            operations(&doc),
            vec![("/paths/~1a/get".into(), "/a".into(), "get".into())]
        );
    }
}
