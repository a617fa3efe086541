//! `drop-unreachable-schemas`: remove schemas nothing uses any
//! more.
//!
//! `select-operations` keeps what the selected operations reach, but later
//! steps cut edges (`raw-error-responses` drops the only uses of `APIErrors`
//! and `APIError`). Generating types nobody can obtain from the client would
//! only invite the facade to depend on them.

use anyhow::Result;
use serde_json::Value;

use crate::reach;

/// Runs the step; see the module docs.
pub fn run(doc: &mut Value) -> Result<Vec<String>> {
    let reachable = reach::reachable_from_document(doc);
    Ok(reach::prune_schemas(doc, &reachable))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn drops_schemas_nothing_references() {
        // Sorted like the pipeline does, whatever serde_json's map order.
        let mut doc = crate::sorted(&json!({
            "paths": {"/a": {"delete": {"operationId": "d", "responses": {"204": {"description": ""}}}}},
            "components": {"schemas": {"APIErrors": {"type": "object", "properties": {
                "errors": {"type": "array", "items": {"$ref": "#/components/schemas/APIError"}}}},
                "APIError": {"type": "object"}}}
        }));
        let touched = run(&mut doc).unwrap();
        assert_eq!(
            touched,
            vec![
                "/components/schemas/APIError",
                "/components/schemas/APIErrors"
            ]
        );
        assert_eq!(doc["components"]["schemas"], json!({}));
    }
}
