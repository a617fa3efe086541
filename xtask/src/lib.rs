//! `cargo xtask gen`: normalize Hatchet's OpenAPI contract into the
//! documents `hatchet-rest-gen` generates its client from: the operations
//! the facade uses, and every operation (its `full-api` feature). (`cargo
//! xtask msrv`, in [`msrv`], checks the published crates' `rust-version`.)
//!
//! The pipeline is a list of named steps ([`bundle`], [`select`], then the
//! [`transform::TRANSFORMS`]), each documented with *why* it exists and each
//! reporting the JSON pointers it touched.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde_json::{Map, Value};

pub mod bundle;
pub mod check;
pub mod generate;
pub mod kind;
pub mod msrv;
pub mod pointer;
pub mod reach;
pub mod select;
pub mod source;
pub mod transform;

pub use select::Selection;

/// What one step touched.
#[derive(Debug, Clone)]
pub struct StepReport {
    /// The step's name.
    pub name: &'static str,
    /// The JSON pointers (with an optional note) it touched.
    pub touched: Vec<String>,
}

/// The result of running the pipeline.
#[derive(Debug, Clone)]
pub struct Normalized {
    /// The normalized document.
    pub doc: Value,
    /// The document rendered exactly as `gen` writes it.
    pub json: String,
    /// One report per step, in order.
    pub reports: Vec<StepReport>,
}

/// The workspace root (the parent of this crate's manifest directory).
pub fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

/// The committed document, relative to the workspace root.
pub const DEFAULT_OUT: &str = "openapi/hatchet.json";
/// `hatchet-rest-gen`'s copy of [`DEFAULT_OUT`], relative to the workspace
/// root: the crate builds from it, so its package carries it. `gen` writes
/// it together with [`DEFAULT_OUT`] and `gen --check` fails if they differ.
pub const SHIPPED_COPY: &str = "hatchet-rest-gen/openapi/hatchet.json";
/// The operation list, relative to the workspace root.
pub const DEFAULT_OPERATIONS: &str = "openapi/operations.txt";
/// The document with every operation of the contract, relative to the
/// workspace root; `hatchet-rest-gen`'s `full-api` feature builds from its
/// copy, [`FULL_SHIPPED_COPY`].
pub const FULL_OUT: &str = "openapi/hatchet-full.json";
/// `hatchet-rest-gen`'s copy of [`FULL_OUT`], relative to the workspace root.
pub const FULL_SHIPPED_COPY: &str = "hatchet-rest-gen/openapi/hatchet-full.json";

/// One document `gen` writes (or `gen --check` compares).
#[derive(Clone, Debug)]
pub struct Target {
    /// The document.
    pub out: PathBuf,
    /// The byte-for-byte copy `hatchet-rest-gen` builds from, if any.
    pub copy: Option<PathBuf>,
    /// The operations it keeps.
    pub selection: Selection,
}

/// What `cargo xtask gen` writes without `--out`, under the workspace
/// `root`: [`DEFAULT_OUT`] with the operations listed in `operations`, and
/// [`FULL_OUT`] with all of them, each with its copy in `hatchet-rest-gen`.
pub fn default_targets(root: &Path, operations: &Path) -> Result<Vec<Target>> {
    Ok(vec![
        Target {
            out: root.join(DEFAULT_OUT),
            copy: Some(root.join(SHIPPED_COPY)),
            selection: read_selection(operations)?,
        },
        Target {
            out: root.join(FULL_OUT),
            copy: Some(root.join(FULL_SHIPPED_COPY)),
            selection: Selection::All,
        },
    ])
}

/// Reads an operation list file into a [`Selection`].
pub fn read_selection(path: &Path) -> Result<Selection> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read `{}`", path.display()))?;
    let ids = select::parse_list(&text).with_context(|| path.display().to_string())?;
    Ok(Selection::Only(ids))
}

fn dedup(touched: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::BTreeSet::new();
    touched
        .into_iter()
        .filter(|t| seen.insert(t.clone()))
        .collect()
}

/// Runs the whole pipeline on the contract whose entry file is `from`.
pub fn normalize(from: &Path, selection: &Selection) -> Result<Normalized> {
    let bundled = bundle::bundle(from)?;
    // Every step iterates maps; sorting after each one makes reports come in
    // the same order whether or not serde_json's `preserve_order` is on.
    let mut doc = sorted(&bundled.doc);
    let mut reports = vec![StepReport {
        name: "bundle",
        touched: bundled.touched,
    }];
    reports.push(StepReport {
        name: "select-operations",
        touched: select::select_operations(&mut doc, selection)?,
    });
    doc = sorted(&doc);
    for t in transform::TRANSFORMS {
        let touched = (t.run)(&mut doc).with_context(|| format!("step `{}`", t.name))?;
        doc = sorted(&doc);
        reports.push(StepReport {
            name: t.name,
            touched: dedup(touched),
        });
    }
    let json = render(&doc);
    Ok(Normalized { doc, json, reports })
}

/// Normalizes the contract `from` for each target and, unless
/// `skip_progenitor`, proves progenitor generates a client from each
/// result, failing with the operations it rejects. Writes nothing: `gen`
/// writes only when every document succeeded, so an operation the full
/// document cannot generate fails the import rather than being dropped.
pub fn import(from: &Path, targets: &[Target], skip_progenitor: bool) -> Result<Vec<Normalized>> {
    targets
        .iter()
        .map(|target| {
            let normalized = normalize(from, &target.selection)?;
            if !skip_progenitor {
                generate::generate(&normalized.doc)
                    .with_context(|| format!("`{}`", target.out.display()))?;
            }
            Ok(normalized)
        })
        .collect()
}

/// Recursively rebuilds `v` with object keys in sorted order, whatever
/// `serde_json`'s map implementation is.
pub fn sorted(v: &Value) -> Value {
    match v {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let mut out = Map::new();
            for k in keys {
                out.insert(k.clone(), sorted(&map[k]));
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
        other => other.clone(),
    }
}

/// Renders the document as `gen` writes it: sorted keys, two-space
/// indentation, trailing newline.
pub fn render(doc: &Value) -> String {
    let mut text = serde_json::to_string_pretty(&sorted(doc)).unwrap_or_default();
    text.push('\n');
    text
}
