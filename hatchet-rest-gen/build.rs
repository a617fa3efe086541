//! Generates the Hatchet REST bindings from `openapi/hatchet.json`, or with
//! the `full-api` feature from `openapi/hatchet-full.json`.
//!
//! Each document is the crate's copy of the workspace's document of that name
//! (so that the package builds on its own), written by `cargo xtask gen`,
//! which is where a messy contract is diagnosed; `cargo xtask gen --check`
//! fails if they differ. This script only turns one into Rust, with the
//! driver the xtask checks the documents with (`codegen.rs`).

mod codegen;

use std::{env, fs, path::PathBuf};

fn main() {
    // Cargo runs the script once per feature set, each with its own OUT_DIR.
    let path = if env::var_os("CARGO_FEATURE_FULL_API").is_some() {
        "openapi/hatchet-full.json"
    } else {
        "openapi/hatchet.json"
    };
    println!("cargo:rerun-if-changed={path}");

    let text =
        fs::read_to_string(path).unwrap_or_else(|e| fail(&format!("cannot read {path}: {e}")));
    let spec: openapiv3::OpenAPI = serde_json::from_str(&text)
        .unwrap_or_else(|e| fail(&format!("{path} is not an OpenAPI 3.0 document: {e}")));

    let code = codegen::generate(&spec).unwrap_or_else(|message| fail(&message));
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("hatchet.rs");
    fs::write(&out, code).unwrap_or_else(|e| fail(&format!("cannot write {}: {e}", out.display())));
}

fn fail(message: &str) -> ! {
    eprintln!("hatchet-rest-gen: {message}");
    std::process::exit(1);
}
