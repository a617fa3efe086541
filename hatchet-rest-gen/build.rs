//! Generates the Hatchet REST bindings from `openapi/hatchet.json`.
//!
//! The document is the crate's copy of the workspace's `openapi/hatchet.json`
//! (so that the package builds on its own), written by `cargo xtask gen`,
//! which is where a messy contract is diagnosed; `cargo xtask gen --check`
//! fails if the two differ. This script only turns it into Rust, with the
//! driver the xtask checks the document with (`codegen.rs`).

mod codegen;

use std::{env, fs, path::PathBuf};

const SPEC: &str = "openapi/hatchet.json";

fn main() {
    println!("cargo:rerun-if-changed={SPEC}");

    let text =
        fs::read_to_string(SPEC).unwrap_or_else(|e| fail(&format!("cannot read {SPEC}: {e}")));
    let spec: openapiv3::OpenAPI = serde_json::from_str(&text)
        .unwrap_or_else(|e| fail(&format!("{SPEC} is not an OpenAPI 3.0 document: {e}")));

    let code = codegen::generate(&spec).unwrap_or_else(|message| fail(&message));
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("hatchet.rs");
    fs::write(&out, code).unwrap_or_else(|e| fail(&format!("cannot write {}: {e}", out.display())));
}

fn fail(message: &str) -> ! {
    eprintln!("hatchet-rest-gen: {message}");
    std::process::exit(1);
}
