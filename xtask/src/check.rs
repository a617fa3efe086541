//! `cargo xtask gen --check`: is the committed document what `gen` writes,
//! and can progenitor build a client from it?
//!
//! CI runs this so that a hand edit of `openapi/hatchet.json`, a change to
//! `operations.txt` without regenerating, or a change to a transformation
//! without regenerating cannot land unnoticed.

use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};

use crate::select::Selection;
use crate::{generate, normalize, source};

/// A unified diff from `old` to `new`, labelled for humans.
pub fn unified_diff(old: &str, new: &str, old_label: &str, new_label: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(old_label, new_label)
        .to_string()
}

/// Checks `committed` against what `gen` produces from `from` (or from
/// `committed` itself, which must then be a fixpoint), then runs
/// progenitor over it.
pub fn check(committed: &Path, from: Option<&Path>, selection: &Selection) -> Result<()> {
    let shown = committed.display();
    let text =
        std::fs::read_to_string(committed).map_err(|e| anyhow!("cannot read `{shown}`: {e}"))?;
    let source_path = from.unwrap_or(committed);
    let expected = normalize(source_path, selection)
        .with_context(|| format!("normalizing `{}`", source_path.display()))?
        .json;
    if expected != text {
        let source = match from {
            Some(f) => format!("`{}`", f.display()),
            None => "itself".to_string(),
        };
        bail!(
            "`{shown}` differs from what `cargo xtask gen` produces from {source}; \
             regenerate it instead of editing it by hand:\n{}",
            unified_diff(
                &text,
                &expected,
                &format!("{shown} (committed)"),
                "regenerated"
            )
        );
    }
    let doc = source::parse(&shown.to_string(), &text)?;
    generate::generate(&doc).map_err(|e| anyhow!("`{shown}`: {e}"))?;
    Ok(())
}

/// Checks that `copy` is byte for byte the document at `document`.
pub fn check_copy(document: &Path, copy: &Path) -> Result<()> {
    let read = |path: &Path| {
        std::fs::read_to_string(path).map_err(|e| anyhow!("cannot read `{}`: {e}", path.display()))
    };
    let (expected, text) = (read(document)?, read(copy)?);
    if expected != text {
        bail!(
            "`{}` differs from `{}`; `cargo xtask gen` writes both, \
             nobody edits either by hand:\n{}",
            copy.display(),
            document.display(),
            unified_diff(
                &text,
                &expected,
                &copy.display().to_string(),
                &document.display().to_string()
            )
        );
    }
    Ok(())
}
