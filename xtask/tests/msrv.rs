//! `cargo xtask msrv` on hand-made `cargo metadata` output: which
//! dependencies count, and that a newer one fails the check.

use serde_json::{Value, json};
use xtask::msrv::{self, RustVersion};

fn package(name: &str, rust_version: Option<&str>, publish: Option<Value>) -> Value {
    json!({
        "id": format!("{name} 1.0.0"), "name": name, "version": "1.0.0",
        "rust_version": rust_version, "publish": publish,
    })
}

fn dep(name: &str, kind: Option<&str>) -> Value {
    json!({"pkg": format!("{name} 1.0.0"), "dep_kinds": [{"kind": kind, "target": null}]})
}

/// `app` (published, 1.80) uses `normal` (1.79), which uses `deep`;
/// `macro` is its build dependency; `bench` a dev-dependency (1.99);
/// `tool` is an unpublished member (1.99 dependency).
fn metadata(deep: &str, build: &str) -> Value {
    json!({
        "workspace_members": ["app 1.0.0", "tool 1.0.0"],
        "packages": [
            package("app", Some("1.80"), None),
            package("tool", Some("1.70"), Some(json!([]))),
            package("normal", Some("1.79"), None),
            package("deep", Some(deep), None),
            package("macro", Some(build), None),
            package("bench", Some("1.99"), None),
            package("unversioned", None, None),
        ],
        "resolve": {"nodes": [
            {"id": "app 1.0.0", "deps": [
                dep("normal", None), dep("macro", Some("build")), dep("bench", Some("dev")),
                dep("unversioned", None),
            ]},
            {"id": "tool 1.0.0", "deps": [dep("bench", None)]},
            {"id": "normal 1.0.0", "deps": [dep("deep", None)]},
            {"id": "deep 1.0.0", "deps": []},
            {"id": "macro 1.0.0", "deps": []},
            {"id": "bench 1.0.0", "deps": []},
            {"id": "unversioned 1.0.0", "deps": []},
        ]},
    })
}

#[test]
fn dependencies_no_newer_than_the_crate_pass_and_the_newest_is_named() {
    let published = msrv::check(&metadata("1.80.0", "1.80")).unwrap();
    assert_eq!(published.len(), 1, "only the published member counts");
    let app = &published[0];
    assert_eq!(app.name, "app");
    assert_eq!(app.rust_version, RustVersion::parse("1.80").unwrap());
    let (newest, who) = app.newest.as_ref().unwrap();
    assert_eq!(newest.to_string(), "1.80.0");
    assert_eq!(who, &["deep 1.0.0", "macro 1.0.0"]);
}

#[test]
fn a_newer_transitive_or_build_dependency_fails_naming_it() {
    let err = format!(
        "{:#}",
        msrv::check(&metadata("1.81", "1.80.1")).unwrap_err()
    );
    assert!(
        err.ends_with(
            "\n  `app` declares rust-version 1.80.0, but it builds with \
             deep 1.0.0 (1.81.0), macro 1.0.0 (1.80.1)"
        ),
        "{err}"
    );
}

#[test]
fn a_published_crate_without_rust_version_fails() {
    let mut metadata = metadata("1.80", "1.80");
    metadata["packages"][0]["rust_version"] = Value::Null;
    let err = msrv::check(&metadata).unwrap_err().to_string();
    assert_eq!(err, "`app` is published but declares no rust-version");
}

#[test]
fn rust_versions_compare_as_numbers() {
    let parse = |text| RustVersion::parse(text).unwrap();
    assert!(parse("1.100") > parse("1.99.9"));
    assert_eq!(parse("1.88"), parse("1.88.0"));
    assert!(RustVersion::parse("1").is_err());
    assert!(RustVersion::parse("1.x").is_err());
}
