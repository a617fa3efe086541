//! Helpers shared by the integration tests.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The workspace root.
pub fn root() -> PathBuf {
    xtask::workspace_root()
}

/// Cargo's target directory for this workspace.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|p| if p.is_absolute() { p } else { root().join(p) })
        .unwrap_or_else(|| root().join("target"))
}

/// A fresh, empty scratch directory under the target directory.
pub fn scratch(name: &str) -> PathBuf {
    let dir = target_dir().join("xtask-tests").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create scratch dir");
    dir
}

/// A fixture path.
pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

/// The upstream contract's entry file, when this checkout has it next to it.
pub fn upstream() -> Option<PathBuf> {
    let entry = root().join("../shared/upstream/hatchet-api-contracts/openapi/openapi.yaml");
    if entry.exists() {
        Some(entry)
    } else {
        eprintln!(
            "note: {} not found; skipping the tests against the real upstream contract",
            entry.display()
        );
        None
    }
}

/// The default operation selection (openapi/operations.txt).
pub fn default_selection() -> xtask::Selection {
    xtask::read_selection(&root().join(xtask::DEFAULT_OPERATIONS)).expect("operations.txt")
}

/// What `cargo xtask gen` writes by default (the committed documents).
pub fn default_targets() -> Vec<xtask::Target> {
    xtask::default_targets(&root(), &root().join(xtask::DEFAULT_OPERATIONS))
        .expect("operations.txt")
}
