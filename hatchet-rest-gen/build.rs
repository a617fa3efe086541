//! Generates the Hatchet REST bindings from `openapi/hatchet.json`, and with
//! the `full-api` feature those of the `full` module from
//! `openapi/hatchet-full.json`.
//!
//! Each document is the crate's copy of the workspace's document of that name
//! (so that the package builds on its own), written by `cargo xtask gen`,
//! which is where a messy contract is diagnosed; `cargo xtask gen --check`
//! fails if they differ. This script only turns them into Rust, with the
//! driver the xtask checks the documents with (`codegen.rs`).

mod codegen;

use std::{env, fs, path::PathBuf};

fn main() {
    generate("openapi/hatchet.json", "hatchet.rs");
    // The `full` module: a second client, so that the first one, which the
    // facade is written against, is the same with or without the feature.
    if env::var_os("CARGO_FEATURE_FULL_API").is_some() {
        generate("openapi/hatchet-full.json", "hatchet-full.rs");
    }
}

/// Generates `OUT_DIR/<file>` from the document at `path`.
fn generate(path: &str, file: &str) {
    println!("cargo:rerun-if-changed={path}");
    let text =
        fs::read_to_string(path).unwrap_or_else(|e| fail(&format!("cannot read {path}: {e}")));
    let spec: openapiv3::OpenAPI = serde_json::from_str(&text)
        .unwrap_or_else(|e| fail(&format!("{path} is not an OpenAPI 3.0 document: {e}")));

    let code = codegen::generate(&spec).unwrap_or_else(|message| fail(&message));
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join(file);
    fs::write(&out, code).unwrap_or_else(|e| fail(&format!("cannot write {}: {e}", out.display())));
}

fn fail(message: &str) -> ! {
    eprintln!("hatchet-rest-gen: {message}");
    std::process::exit(1);
}
