//! Running progenitor in memory.
//!
//! The normalized document exists to feed progenitor; `gen` and
//! `gen --check` prove it does by generating the client with the same
//! settings as `hatchet-rest-gen`'s build script. progenitor reports some
//! unsupported constructs by panicking (`assert!`, `todo!`), so panics are
//! caught and, like errors, traced back to the operations that cause them.

use std::panic::{self, AssertUnwindSafe};
use std::sync::Mutex;

use anyhow::{Result, anyhow, bail};
use serde_json::{Map, Value, json};

use crate::kind;

/// The settings `hatchet-rest-gen`'s build script generates with (its
/// request-header hook type aside, which does not affect what can be
/// generated).
pub fn settings() -> progenitor::GenerationSettings {
    let mut s = progenitor::GenerationSettings::default();
    s.with_interface(progenitor::InterfaceStyle::Positional)
        .with_tag(progenitor::TagStyle::Merged);
    s
}

/// Serializes swaps of the process-wide panic hook.
static HOOK: Mutex<()> = Mutex::new(());

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "(non-string panic payload)".to_string()
    }
}

/// One progenitor run; `Err` holds the error or panic message.
fn attempt(doc: &Value) -> std::result::Result<String, String> {
    let spec: openapiv3::OpenAPI = serde_json::from_value(doc.clone())
        .map_err(|e| format!("openapiv3 cannot parse the document: {e}"))?;
    let _guard = HOOK.lock().unwrap_or_else(|e| e.into_inner());
    let previous = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    let result = panic::catch_unwind(AssertUnwindSafe(|| {
        progenitor::Generator::new(&settings()).generate_tokens(&spec)
    }));
    panic::set_hook(previous);
    match result {
        Ok(Ok(tokens)) => Ok(tokens.to_string()),
        Ok(Err(e)) => Err(e.to_string()),
        Err(payload) => Err(format!("progenitor panicked: {}", panic_message(&*payload))),
    }
}

/// The document reduced to the single operation at `op_ptr` (schemas kept).
fn single_operation(doc: &Value, path: &str, method: &str) -> Value {
    let mut single = doc.clone();
    let item = &doc["paths"][path];
    let mut only = Map::new();
    if let Some(params) = item.get("parameters") {
        only.insert("parameters".into(), params.clone());
    }
    only.insert(method.into(), item[method].clone());
    single["paths"] = json!({ path: only });
    single
}

/// Generates the client code (unformatted token text) from `doc`, or fails
/// naming the operations progenitor rejects.
pub fn generate(doc: &Value) -> Result<String> {
    let whole = match attempt(doc) {
        Ok(code) => return Ok(code),
        Err(message) => message,
    };
    let mut failures = Vec::new();
    for (ptr, path, method) in kind::operations(doc) {
        if let Err(message) = attempt(&single_operation(doc, &path, &method)) {
            let id = doc
                .pointer(&ptr)
                .and_then(|op| op.get("operationId"))
                .and_then(Value::as_str)
                .unwrap_or("(no operationId)");
            failures.push(format!(
                "operation `{id}` ({} {path}): {message}",
                method.to_uppercase()
            ));
        }
    }
    if failures.is_empty() {
        bail!("progenitor cannot generate the client: {whole}");
    }
    Err(anyhow!(
        "progenitor cannot generate the client:\n  {}",
        failures.join("\n  ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(responses: Value) -> Value {
        json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a/{id}": {"get": {
                "operationId": "thing:get",
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": responses
            }}},
            "components": {"schemas": {
                "A": {"type": "object", "properties": {"x": {"type": "string"}}},
                "B": {"type": "object", "properties": {"y": {"type": "integer"}}}
            }}
        })
    }

    #[test]
    fn generates_a_client() {
        let code = generate(&doc(json!({"200": {"description": "", "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/A"}}}}})))
        .unwrap();
        assert!(code.contains("pub struct Client"), "{code}");
        assert!(code.contains("thing_get"), "{code}");
    }

    #[test]
    fn panics_name_the_operation() {
        // Two different error types: progenitor asserts there is at most one.
        let err = generate(&doc(json!({
            "200": {"description": "", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}},
            "400": {"description": "", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}},
            "403": {"description": "", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/B"}}}}
        })))
        .unwrap_err()
        .to_string();
        assert!(
            err.starts_with("progenitor cannot generate the client:\n  operation `thing:get` (GET /a/{id}): progenitor panicked: "),
            "{err}"
        );
    }
}
