//! `cargo xtask msrv`: does the published crates' `rust-version` tell the
//! truth about their dependencies?
//!
//! A crate cannot build on an older Rust than any of its dependencies
//! declares, so no package that a published crate builds with (its normal
//! and build dependencies, transitively, for every platform and feature, as
//! `Cargo.lock` resolves them) may declare a newer `rust-version` than that
//! crate. What our own code needs is the other half of the truth; clippy's
//! `incompatible_msrv` lint checks the standard library calls in it.

use std::collections::BTreeSet;
use std::fmt;
use std::process::Command;

use anyhow::{Context, Result, bail};
use serde_json::Value;

/// A `rust-version` as numbers, `1.88` being `1.88.0`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct RustVersion([u64; 3]);

impl RustVersion {
    /// Parses `major.minor[.patch]`.
    pub fn parse(text: &str) -> Result<Self> {
        let mut parts = [0; 3];
        let fields: Vec<&str> = text.split('.').collect();
        if !(2..=3).contains(&fields.len()) {
            bail!("`{text}` is not a rust-version");
        }
        for (part, field) in parts.iter_mut().zip(fields) {
            *part = field
                .parse()
                .with_context(|| format!("`{text}` is not a rust-version"))?;
        }
        Ok(Self(parts))
    }
}

impl fmt::Display for RustVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [major, minor, patch] = self.0;
        write!(f, "{major}.{minor}.{patch}")
    }
}

/// One published crate and what its dependencies declare.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    /// The crate's name.
    pub name: String,
    /// Its own `rust-version`.
    pub rust_version: RustVersion,
    /// The newest `rust-version` a dependency declares, with every
    /// `name version` declaring it (`None` if no dependency declares one).
    pub newest: Option<(RustVersion, Vec<String>)>,
    /// Dependencies declaring a newer `rust-version` than the crate:
    /// `name version (rust-version)`.
    pub too_new: Vec<String>,
}

/// Runs `cargo metadata` for the workspace (the locked resolution, all
/// features, every platform).
pub fn metadata() -> Result<Value> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--all-features",
            "--locked",
            "--offline",
        ])
        .current_dir(crate::workspace_root())
        .output()
        .context("cannot run `cargo metadata`")?;
    if !output.status.success() {
        bail!(
            "`cargo metadata` failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    serde_json::from_slice(&output.stdout).context("`cargo metadata` printed no JSON")
}

/// For each published workspace member (`publish` not `false`), what its
/// normal and build dependencies declare.
pub fn published(metadata: &Value) -> Result<Vec<Published>> {
    let packages = array(metadata, "/packages")?;
    let package = |id: &str| {
        packages
            .iter()
            .find(|p| p["id"] == id)
            .with_context(|| format!("package `{id}` is not in `cargo metadata`'s packages"))
    };
    let nodes = array(metadata, "/resolve/nodes")?;
    let mut published = Vec::new();
    for member in array(metadata, "/workspace_members")? {
        let member = package(member.as_str().unwrap_or_default())?;
        if member["publish"] == serde_json::json!([]) {
            continue;
        }
        let name = member["name"].as_str().unwrap_or_default().to_owned();
        let Some(own) = member["rust_version"].as_str() else {
            bail!("`{name}` is published but declares no rust-version");
        };
        let rust_version = RustVersion::parse(own)?;

        let mut newest: Option<(RustVersion, Vec<String>)> = None;
        let mut too_new = Vec::new();
        for id in built_with(nodes, member["id"].as_str().unwrap_or_default()) {
            let dependency = package(&id)?;
            let Some(declared) = dependency["rust_version"].as_str() else {
                continue;
            };
            let declared = RustVersion::parse(declared)?;
            let label =
                format!("{} {}", dependency["name"], dependency["version"]).replace('"', "");
            match &mut newest {
                Some((version, labels)) if *version == declared => labels.push(label.clone()),
                Some((version, _)) if *version > declared => {}
                _ => newest = Some((declared, vec![label.clone()])),
            }
            if declared > rust_version {
                too_new.push(format!("{label} ({declared})"));
            }
        }
        published.push(Published {
            name,
            rust_version,
            newest,
            too_new,
        });
    }
    Ok(published)
}

/// Every package `root` builds with: its normal and build dependencies,
/// transitively (not `root` itself), in id order.
fn built_with(nodes: &[Value], root: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut stack = vec![root.to_owned()];
    while let Some(id) = stack.pop() {
        let Some(node) = nodes.iter().find(|n| n["id"] == id.as_str()) else {
            continue;
        };
        for dep in node["deps"].as_array().into_iter().flatten() {
            let kinds = dep["dep_kinds"].as_array().into_iter().flatten();
            let built = kinds
                .map(|k| &k["kind"])
                .any(|kind| kind.is_null() || kind == "build");
            let dep_id = dep["pkg"].as_str().unwrap_or_default();
            if built && dep_id != root && seen.insert(dep_id.to_owned()) {
                stack.push(dep_id.to_owned());
            }
        }
    }
    seen
}

fn array<'a>(value: &'a Value, pointer: &str) -> Result<&'a Vec<Value>> {
    value
        .pointer(pointer)
        .and_then(Value::as_array)
        .with_context(|| format!("`cargo metadata` output has no `{pointer}` array"))
}

/// Checks every published crate; fails naming each dependency that
/// declares a newer `rust-version` than the crate.
pub fn check(metadata: &Value) -> Result<Vec<Published>> {
    let published = published(metadata)?;
    let failures: Vec<String> = published
        .iter()
        .filter(|p| !p.too_new.is_empty())
        .map(|p| {
            format!(
                "`{}` declares rust-version {}, but it builds with {}",
                p.name,
                p.rust_version,
                p.too_new.join(", ")
            )
        })
        .collect();
    if !failures.is_empty() {
        bail!(
            "rust-version is not the truth: raise it or hold those dependencies back \
             (`cargo update -p <name> --precise <version>`):\n  {}",
            failures.join("\n  ")
        );
    }
    Ok(published)
}
