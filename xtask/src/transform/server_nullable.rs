//! `server-nullable`: response properties Hatchet's server sends as `null`
//! become nullable.
//!
//! The contract types some response properties as plain objects, but the
//! server's transformers write `null` there in ordinary cases (a NULL
//! column). typify then generates a map with a serde default, and one such
//! row makes a whole listing fail to decode. Each entry of [`SERVER_NULLABLE`]
//! names a property and the server source that shows the `null`; the step
//! adds `nullable: true` to it, so the generated field is an `Option` and
//! the facade decides what `null` means.
//!
//! A listed schema missing from the contract is skipped (a fixture or a
//! selection may lack it); a listed property missing from a present schema
//! is an error, so a contract change cannot silently orphan an entry.

use anyhow::{Result, bail};
use serde_json::Value;

use crate::pointer;

/// A response property the server can send as `null`.
#[derive(Debug, Clone, Copy)]
pub struct ServerNullable {
    /// The component schema.
    pub schema: &'static str,
    /// The property in it.
    pub property: &'static str,
    /// Where the server's source shows the `null`, and why it happens.
    pub source: &'static str,
}

/// Every property the server is known to send as `null` against the
/// contract's type. Paths are in hatchet-dev/hatchet at the contract's commit.
pub const SERVER_NULLABLE: &[ServerNullable] = &[
    ServerNullable {
        schema: "ScheduledWorkflows",
        property: "additionalMetadata",
        source: "api/v1/server/oas/transformers/workflow_run.go, ToScheduledWorkflowsFromSQLC: \
                 a NULL column (schedules from workflow definitions, or created without \
                 metadata) leaves the map nil, written as null",
    },
    ServerNullable {
        schema: "ScheduledWorkflows",
        property: "input",
        source: "api/v1/server/oas/transformers/workflow_run.go, ToScheduledWorkflowsFromSQLC: \
                 a stored JSON null unmarshals into a nil map, written as null",
    },
    ServerNullable {
        schema: "CronWorkflows",
        property: "additionalMetadata",
        source: "api/v1/server/oas/transformers/workflow_run.go, ToCronWorkflowsFromSQLC: \
                 a NULL column leaves the map nil, written as null",
    },
    ServerNullable {
        schema: "CronWorkflows",
        property: "input",
        source: "api/v1/server/oas/transformers/workflow_run.go, ToCronWorkflowsFromSQLC: \
                 a stored JSON null unmarshals into a nil map, written as null",
    },
];

/// Runs the step with [`SERVER_NULLABLE`]; see the module docs.
pub fn run(doc: &mut Value) -> Result<Vec<String>> {
    mark(doc, SERVER_NULLABLE)
}

/// Marks each listed property of a present schema nullable.
pub fn mark(doc: &mut Value, list: &[ServerNullable]) -> Result<Vec<String>> {
    let mut touched = Vec::new();
    for entry in list {
        let schema_ptr = pointer::join("/components/schemas", entry.schema);
        let Some(schema) = doc.pointer_mut(&schema_ptr) else {
            continue;
        };
        let property_ptr = pointer::join(&pointer::join(&schema_ptr, "properties"), entry.property);
        let Some(Value::Object(property)) = schema
            .get_mut("properties")
            .and_then(|properties| properties.get_mut(entry.property))
        else {
            bail!(
                "{property_ptr} is listed as server-nullable ({}) but the contract no longer \
                 declares it; update the list in xtask/src/transform/server_nullable.rs",
                entry.source
            );
        };
        if property.contains_key("$ref") {
            bail!(
                "{property_ptr} is listed as server-nullable but is a $ref, where OpenAPI 3.0 \
                 ignores `nullable`; wrap it in allOf first"
            );
        }
        if property.get("nullable") != Some(&Value::Bool(true)) {
            property.insert("nullable".into(), Value::Bool(true));
            touched.push(property_ptr);
        }
    }
    Ok(touched)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const LIST: &[ServerNullable] = &[
        ServerNullable {
            schema: "Row",
            property: "meta",
            source: "row.go",
        },
        ServerNullable {
            schema: "Absent",
            property: "x",
            source: "absent.go",
        },
    ];

    #[test]
    fn marks_listed_properties_once_and_skips_absent_schemas() {
        let mut doc = json!({"components": {"schemas": {"Row": {"type": "object", "properties": {
            "meta": {"type": "object", "additionalProperties": true},
            "name": {"type": "string"}
        }}}}});
        let touched = mark(&mut doc, LIST).unwrap();
        assert_eq!(touched, ["/components/schemas/Row/properties/meta"]);
        assert_eq!(
            doc["components"]["schemas"]["Row"]["properties"],
            json!({
                "meta": {"type": "object", "additionalProperties": true, "nullable": true},
                "name": {"type": "string"}
            })
        );
        assert!(mark(&mut doc, LIST).unwrap().is_empty(), "idempotent");
    }

    #[test]
    fn a_listed_property_the_contract_dropped_is_an_error() {
        let mut doc =
            json!({"components": {"schemas": {"Row": {"type": "object", "properties": {}}}}});
        let error = mark(&mut doc, LIST).unwrap_err().to_string();
        assert!(
            error.starts_with(
                "/components/schemas/Row/properties/meta is listed as server-nullable (row.go)"
            ),
            "{error}"
        );
    }

    #[test]
    fn a_listed_ref_property_is_an_error() {
        let mut doc = json!({"components": {"schemas": {"Row": {"type": "object", "properties": {
            "meta": {"$ref": "#/components/schemas/Meta"}
        }}}}});
        let error = mark(&mut doc, LIST).unwrap_err().to_string();
        assert!(error.contains("is a $ref"), "{error}");
    }

    #[test]
    fn every_entry_names_the_server_source_it_comes_from() {
        for entry in SERVER_NULLABLE {
            assert!(
                entry.source.starts_with("api/v1/server/oas/transformers/"),
                "{entry:?}"
            );
        }
    }
}
