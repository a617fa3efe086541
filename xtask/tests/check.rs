//! `cargo xtask gen --check` catches hand edits (always on copies: the
//! committed document itself is never modified by tests).

mod common;

use std::path::Path;
use std::process::Command;

use common::{default_selection, fixture, root, scratch};
use xtask::check::check;
use xtask::{Selection, Target};

fn hand_edit(path: &Path) {
    let text = std::fs::read_to_string(path).unwrap();
    let edited = text.replacen("\"format\": \"date-time\"", "\"format\": \"date\"", 1);
    assert_ne!(text, edited, "nothing to edit in {}", path.display());
    std::fs::write(path, edited).unwrap();
}

#[test]
fn committed_documents_are_fixpoints_and_generate() {
    let dir = scratch("check-committed");
    for target in common::default_targets() {
        let copy = dir.join(target.out.file_name().unwrap());
        std::fs::copy(&target.out, &copy).unwrap();
        check(&copy, None, &target.selection).unwrap();
    }
}

#[test]
fn check_detects_a_hand_edit_of_the_committed_document() {
    let dir = scratch("check-edited");
    let copy = dir.join("hatchet.json");
    std::fs::copy(root().join(xtask::DEFAULT_OUT), &copy).unwrap();
    // An edit that is itself normalized (sorted, no prose) but changes a
    // fact can only be caught by comparing with the source.
    hand_edit(&copy);
    if let Some(upstream) = common::upstream() {
        let err = format!(
            "{:#}",
            check(&copy, Some(&upstream), &default_selection()).unwrap_err()
        );
        assert!(
            err.contains("differs from what `cargo xtask gen` produces"),
            "{err}"
        );
        assert!(
            err.contains(
                "-            \"format\": \"date\",\n+            \"format\": \"date-time\","
            ),
            "{err}"
        );
    }
    // Adding prose by hand breaks the fixpoint even without the source.
    let text = std::fs::read_to_string(&copy).unwrap();
    std::fs::write(
        &copy,
        text.replacen(
            "\"openapi\": \"3.0.3\"",
            "\"openapi\": \"3.0.3\",\n  \"x-edited\": true",
            1,
        ),
    )
    .unwrap();
    let err = format!(
        "{:#}",
        check(&copy, None, &default_selection()).unwrap_err()
    );
    assert!(err.contains("+++ regenerated"), "{err}");
    assert!(err.contains("\n-  \"x-edited\": true,\n"), "{err}");
}

#[test]
fn hatchet_rest_gen_ships_the_committed_documents() {
    let targets = common::default_targets();
    assert_eq!(targets.len(), 2);
    for target in targets {
        xtask::check::check_copy(&target.out, &target.copy.unwrap()).unwrap();
    }
}

#[test]
fn check_copy_detects_a_copy_that_differs() {
    let dir = scratch("check-copy");
    let copy = dir.join("hatchet.json");
    std::fs::copy(root().join(xtask::DEFAULT_OUT), &copy).unwrap();
    hand_edit(&copy);
    let err = format!(
        "{:#}",
        xtask::check::check_copy(&root().join(xtask::DEFAULT_OUT), &copy).unwrap_err()
    );
    assert!(err.contains("differs from"), "{err}");
    assert!(
        err.contains("-            \"format\": \"date\",\n+            \"format\": \"date-time\","),
        "{err}"
    );
}

#[test]
fn check_fails_when_progenitor_cannot_generate() {
    let dir = scratch("check-progenitor");
    let path = dir.join("doc.json");
    // A document that is a fixpoint of `gen` but that progenitor rejects:
    // a `deepObject` query parameter.
    let bad = serde_json::json!({
        "openapi": "3.0.3",
        "info": {"title": "Hatchet API", "version": "1"},
        "paths": {"/a": {"get": {"operationId": "a:get",
            "parameters": [{"name": "p", "in": "query", "style": "deepObject",
                "schema": {"type": "object", "properties": {"x": {"type": "string"}}}}],
            "responses": {"204": {"description": ""}}}}}
    });
    std::fs::write(&path, xtask::render(&bad)).unwrap();
    let err = format!(
        "{:#}",
        check(&path, None, &xtask::Selection::All).unwrap_err()
    );
    assert!(
        err.contains("progenitor cannot generate the client"),
        "{err}"
    );
    assert!(err.contains("operation `a:get` (GET /a)"), "{err}");
}

#[test]
fn an_operation_progenitor_cannot_generate_fails_the_import() {
    let entry = fixture("errors/ungeneratable/openapi.yaml");
    let dir = scratch("import-ungeneratable");
    let subset = Target {
        out: dir.join("subset.json"),
        copy: None,
        selection: xtask::read_selection(&fixture("errors/ungeneratable/operations.txt")).unwrap(),
    };
    let full = Target {
        out: dir.join("full.json"),
        copy: None,
        selection: Selection::All,
    };
    // The listed operation generates; the one outside the list fails the
    // import of every document, named with its reason.
    xtask::import(&entry, std::slice::from_ref(&subset), false).unwrap();
    let err = format!(
        "{:#}",
        xtask::import(&entry, &[subset, full.clone()], false).unwrap_err()
    );
    let expected = format!(
        "`{}`: progenitor cannot generate the client:\n  \
         operation `note:search` (GET /notes): ",
        full.out.display()
    );
    assert!(err.starts_with(&expected), "{err}");
    assert_eq!(err.lines().count(), 2, "{err}");

    let run = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["gen", "--all", "--from"])
        .arg(&entry)
        .arg("--out")
        .arg(&full.out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("operation `note:search` (GET /notes)"),
        "{stderr}"
    );
    assert!(!full.out.exists());
}

#[test]
fn all_without_out_is_refused() {
    let run = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["gen", "--all", "--check"])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&run.stderr),
        "error: `--all` needs `--out`: without it, `gen` writes every operation to \
         openapi/hatchet-full.json\n"
    );
}

#[test]
fn binary_gen_and_check() {
    let bin = env!("CARGO_BIN_EXE_xtask");
    let dir = scratch("check-binary");
    let out = dir.join("gadgets.json");
    let ops = fixture("multi/operations.txt");
    let entry = fixture("multi/openapi.yaml");

    let gen_run = Command::new(bin)
        .args(["gen", "--verbose", "--from"])
        .arg(&entry)
        .arg("--operations")
        .arg(&ops)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&gen_run.stdout);
    assert!(
        gen_run.status.success(),
        "{}",
        String::from_utf8_lossy(&gen_run.stderr)
    );
    assert!(
        stdout
            .contains("raw-error-responses: /paths/~1v1~1gadgets~1{gadget}/delete/responses/403\n"),
        "{stdout}"
    );
    assert!(stdout.contains("3 operations, 4 schemas"), "{stdout}");
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        std::fs::read_to_string(fixture("multi/expected.json")).unwrap()
    );

    let run_check = |from: bool| {
        let mut cmd = Command::new(bin);
        cmd.args(["gen", "--check", "--operations"])
            .arg(&ops)
            .arg("--file")
            .arg(&out);
        if from {
            cmd.arg("--from").arg(&entry);
        }
        cmd.output().unwrap()
    };
    assert!(run_check(true).status.success());
    assert!(run_check(false).status.success());

    hand_edit_gadgets(&out);
    let failed = run_check(true);
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert_eq!(failed.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("-            \"format\": \"uri\",\n+            \"format\": \"uuid\","),
        "{stderr}"
    );

    let unknown = Command::new(bin)
        .args(["gen", "--from"])
        .arg(&entry)
        .arg("--operations")
        .arg(fixture("errors/unknown-operations.txt"))
        .arg("--out")
        .arg(dir.join("never.json"))
        .output()
        .unwrap();
    assert_eq!(unknown.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&unknown.stderr),
        "error: operation `gadget:explode` is selected but the contract has no such operationId\n"
    );
    assert!(!dir.join("never.json").exists());
}

fn hand_edit_gadgets(path: &Path) {
    let text = std::fs::read_to_string(path).unwrap();
    let edited = text.replacen("\"format\": \"uuid\"", "\"format\": \"uri\"", 1);
    assert_ne!(text, edited);
    std::fs::write(path, edited).unwrap();
}
