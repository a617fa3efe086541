//! The progenitor driver (`codegen.rs`, shared by the build script and
//! `cargo xtask gen`): it generates the committed document, and when
//! progenitor cannot generate a document, the failure names every operation
//! to blame (the importer normally stops such a document earlier; this is
//! the last line of defence).

#[path = "../codegen.rs"]
mod codegen;

use serde_json::{Value, json};

fn committed_document() -> Value {
    serde_json::from_str(include_str!("../openapi/hatchet.json")).unwrap()
}

fn generate(document: Value) -> Result<String, String> {
    codegen::generate(&serde_json::from_value(document).unwrap())
}

const RUN: &str = "/api/v1/tenants/{tenant}/workflows/scheduled/{scheduled-workflow-run}";

/// Gives the operation at `RUN` `method` two error types (400 one named
/// schema, 403 another, as in Hatchet's own contract), which progenitor
/// refuses with an assertion.
fn give_two_error_types(document: &mut Value, method: &str, success: &str) {
    document["components"]["schemas"]["FieldErrors"] = json!({
        "type": "object", "properties": {"errors": {"type": "array", "items": {"type": "string"}}}
    });
    document["components"]["schemas"]["BareError"] = json!({
        "type": "object", "properties": {"description": {"type": "string"}}
    });
    let error = |schema: &str| {
        json!({"description": "", "content": {"application/json": {"schema": {
            "$ref": format!("#/components/schemas/{schema}")
        }}}})
    };
    let responses = &mut document["paths"][RUN][method]["responses"];
    let success_response = responses[success].take();
    *responses = json!({
        success: success_response,
        "400": error("FieldErrors"),
        "403": error("BareError"),
    });
}

#[test]
fn the_committed_document_generates_formatted_code_with_the_header_hook() {
    let code = generate(committed_document()).unwrap();
    assert!(code.contains("pub async fn workflow_scheduled_delete<"));
    assert!(code.contains("pub struct Client {\n"), "not formatted");
    assert!(code.contains("pub(crate) inner: crate::RequestHeaders,"));
}

#[test]
fn every_operation_progenitor_rejects_is_named() {
    let mut document = committed_document();
    give_two_error_types(&mut document, "delete", "204");
    give_two_error_types(&mut document, "get", "200");
    let Err(message) = generate(document) else {
        panic!("progenitor generated operations with two error types");
    };
    let lines: Vec<&str> = message.lines().collect();
    assert_eq!(
        lines[0], "progenitor cannot generate the client:",
        "{message}"
    );
    assert_eq!(lines.len(), 3, "{message}");
    assert!(
        lines[1].starts_with(&format!(
            "  operation `workflow-scheduled:get` (GET {RUN}): progenitor panicked: "
        )),
        "{message}"
    );
    assert!(
        lines[2].starts_with(&format!(
            "  operation `workflow-scheduled:delete` (DELETE {RUN}): progenitor panicked: "
        )),
        "{message}"
    );
}
