//! The build script's diagnosis: when progenitor cannot generate the client,
//! the failure names the operation to blame (the importer normally stops
//! such a document earlier; this is the last line of defence).

#[allow(dead_code)] // the script's `main` is not called here
#[path = "../build.rs"]
mod build_script;

use std::sync::Mutex;

use serde_json::{Value, json};

fn committed_document() -> Value {
    serde_json::from_str(include_str!("../../openapi/hatchet.json")).unwrap()
}

/// The script swaps the process's panic hook while progenitor runs, so the
/// tests take turns.
fn generate(document: Value) -> Result<String, String> {
    static TURN: Mutex<()> = Mutex::new(());
    let _turn = TURN.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    build_script::generate(&serde_json::from_value(document).unwrap())
}

#[test]
fn the_committed_document_generates() {
    let code = generate(committed_document()).unwrap();
    assert!(code.contains("pub async fn workflow_scheduled_delete<"));
}

#[test]
fn two_error_types_in_one_operation_are_blamed_on_that_operation() {
    let mut document = committed_document();
    // Hatchet's own delete: 400 answers one named error schema, 403 another.
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
    document["paths"]["/api/v1/tenants/{tenant}/workflows/scheduled/{scheduled-workflow-run}"]["delete"]
        ["responses"] = json!({
        "204": {"description": ""},
        "400": error("FieldErrors"),
        "403": error("BareError"),
    });
    let Err(message) = generate(document) else {
        panic!("progenitor generated an operation with two error types");
    };
    assert!(
        message.starts_with("operation `workflow-scheduled:delete` cannot be generated: "),
        "{message}"
    );
}
