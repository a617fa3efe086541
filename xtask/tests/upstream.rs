//! Tests against Hatchet's real contract (`../shared/upstream/...`), skipped
//! with a notice when a checkout does not have it.

mod common;

use common::{default_selection, root, scratch, upstream};
use xtask::{Selection, generate, kind};

fn operation_ids(doc: &serde_json::Value) -> Vec<String> {
    let mut ids: Vec<String> = kind::operations(doc)
        .iter()
        .map(|(ptr, _, _)| {
            doc.pointer(ptr).unwrap()["operationId"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    ids.sort();
    ids
}

#[test]
fn default_selection_reproduces_the_committed_document() {
    let Some(entry) = upstream() else { return };
    let normalized = xtask::normalize(&entry, &default_selection()).unwrap();
    let committed = std::fs::read_to_string(root().join(xtask::DEFAULT_OUT)).unwrap();
    assert!(
        normalized.json == committed,
        "openapi/hatchet.json is stale; run `cargo xtask gen --from {}`:\n{}",
        entry.display(),
        xtask::check::unified_diff(&committed, &normalized.json, "committed", "regenerated")
    );
    assert_eq!(
        operation_ids(&normalized.doc),
        vec![
            "cron-workflow-trigger:create",
            "cron-workflow:list",
            "scheduled-workflow-run:create",
            "workflow-cron:delete",
            "workflow-cron:get",
            "workflow-cron:trigger",
            "workflow-cron:update",
            "workflow-scheduled:bulk-delete",
            "workflow-scheduled:bulk-update",
            "workflow-scheduled:delete",
            "workflow-scheduled:get",
            "workflow-scheduled:list",
            "workflow-scheduled:trigger",
            "workflow-scheduled:update",
        ]
    );
    assert_eq!(normalized.doc["openapi"], "3.0.3");
    assert_no_prose(&normalized.doc);
}

/// No prose keyword anywhere a keyword can appear (property *names* are
/// fine), and response descriptions are empty.
fn assert_no_prose(doc: &serde_json::Value) {
    let mut doc = doc.clone();
    kind::walk_doc(&mut doc, &mut |k, ptr, node| {
        if let serde_json::Value::Object(map) = node
            && !k.keys_are_names()
        {
            for key in map.keys() {
                let prose = [
                    "summary",
                    "example",
                    "examples",
                    "tags",
                    "externalDocs",
                    "servers",
                    "security",
                ]
                .contains(&key.as_str())
                    || key.starts_with("x-")
                    || (key == "description" && map[key] != "");
                assert!(!prose, "prose `{key}` at {ptr}");
            }
        }
        Ok(())
    })
    .unwrap();
    assert_eq!(
        doc["info"],
        serde_json::json!({"title": "Hatchet API", "version": "1.0.0"})
    );
}

/// The full document (`hatchet-rest-gen`'s `full-api` feature) is every
/// operation of the contract: none is left out. That it compiles is
/// `cargo test -p hatchet-rest-gen --features full-api`'s job (CI runs it).
#[test]
fn full_document_is_every_operation_of_the_contract() {
    let Some(entry) = upstream() else { return };
    let normalized = xtask::normalize(&entry, &Selection::All).unwrap();
    let committed = std::fs::read_to_string(root().join(xtask::FULL_OUT)).unwrap();
    assert!(
        normalized.json == committed,
        "{} is stale; run `cargo xtask gen --from {}`:\n{}",
        xtask::FULL_OUT,
        entry.display(),
        xtask::check::unified_diff(&committed, &normalized.json, "committed", "regenerated")
    );
    let bundled = xtask::bundle::bundle(&entry).unwrap().doc;
    assert_eq!(operation_ids(&normalized.doc), operation_ids(&bundled));
    assert_eq!(operation_ids(&normalized.doc).len(), 148);
    assert_eq!(normalized.doc["openapi"], "3.0.3");
    assert_no_prose(&normalized.doc);
    // Crons carry the same server-nullable properties as schedules.
    for (schema, property) in [
        ("ScheduledWorkflows", "additionalMetadata"),
        ("ScheduledWorkflows", "input"),
        ("CronWorkflows", "additionalMetadata"),
        ("CronWorkflows", "input"),
    ] {
        let schemas = &normalized.doc["components"]["schemas"];
        assert_eq!(
            schemas[schema]["properties"][property]["nullable"], true,
            "{schema}.{property}"
        );
    }
    // Normalizing the output again changes nothing.
    let dir = scratch("all-ops-doc");
    let out = dir.join("all.json");
    std::fs::write(&out, &normalized.json).unwrap();
    assert_eq!(
        xtask::normalize(&out, &Selection::All).unwrap().json,
        normalized.json
    );
    generate::generate(&normalized.doc).unwrap();
}
