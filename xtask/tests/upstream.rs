//! Tests against Hatchet's real contract (`../shared/upstream/...`), skipped
//! with a notice when a checkout does not have it.

mod common;

use std::process::Command;

use common::{default_selection, root, scratch, target_dir, upstream};
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
        serde_json::json!({"title": "Hatchet API (scheduled runs subset)", "version": "1.0.0"})
    );
}

#[test]
fn all_operations_import_and_generate() {
    let Some(entry) = upstream() else { return };
    let normalized = xtask::normalize(&entry, &Selection::All).unwrap();
    assert_eq!(kind::operations(&normalized.doc).len(), 148);
    assert_eq!(normalized.doc["openapi"], "3.0.3");
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

/// Generates the client for every operation and type-checks it as
/// `hatchet-rest-gen`'s own library (its `src/lib.rs`, with the same
/// dependencies) in a throwaway crate whose build script supplies the code.
#[test]
fn all_operations_compile() {
    let Some(entry) = upstream() else { return };
    let normalized = xtask::normalize(&entry, &Selection::All).unwrap();
    let code = generate::generate(&normalized.doc).unwrap();

    let krate = target_dir().join("xtask-all-ops");
    std::fs::create_dir_all(&krate).unwrap();
    let lib = root().join("hatchet-rest-gen/src/lib.rs");
    std::fs::write(
        krate.join("Cargo.toml"),
        format!(
            r#"[package]
name = "xtask-all-ops"
version = "0.0.0"
edition = "2024"
publish = false

# Not a member of the hatchet-scheduled workspace.
[workspace]

[lib]
path = '{}'

[dependencies]
progenitor-client = "0.15.1"
reqwest = {{ version = "0.13", default-features = false, features = ["json", "query"] }}
serde = {{ version = "1", features = ["derive"] }}
serde_json = "1"
chrono = {{ version = "0.4", default-features = false, features = ["serde", "clock", "std"] }}
uuid = {{ version = "1", features = ["serde"] }}
"#,
            lib.display()
        ),
    )
    .unwrap();
    std::fs::write(krate.join("hatchet.rs"), code).unwrap();
    std::fs::write(
        krate.join("build.rs"),
        r#"fn main() {
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").unwrap());
    std::fs::copy("hatchet.rs", out.join("hatchet.rs")).unwrap();
    println!("cargo:rerun-if-changed=hatchet.rs");
}
"#,
    )
    .unwrap();
    std::fs::copy(root().join("Cargo.lock"), krate.join("Cargo.lock")).unwrap();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args(["check", "--offline", "--quiet", "--manifest-path"])
        .arg(krate.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", krate.join("target"))
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "generated code for all operations does not compile:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
