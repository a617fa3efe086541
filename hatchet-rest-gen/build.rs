//! Generates the Hatchet REST bindings from `../openapi/hatchet.json`.
//!
//! The document is already normalized by `cargo xtask gen`, which is where a
//! messy contract is diagnosed; this script only turns it into Rust.

use std::{env, fs, panic, path::PathBuf};

use progenitor::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle};

const SPEC: &str = "../openapi/hatchet.json";

fn main() {
    println!("cargo:rerun-if-changed={SPEC}");

    let text =
        fs::read_to_string(SPEC).unwrap_or_else(|e| fail(&format!("cannot read {SPEC}: {e}")));
    let spec: openapiv3::OpenAPI = serde_json::from_str(&text)
        .unwrap_or_else(|e| fail(&format!("{SPEC} is not an OpenAPI 3.0 document: {e}")));

    let code = generate(&spec).unwrap_or_else(|message| fail(&message));
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("hatchet.rs");
    fs::write(&out, code).unwrap_or_else(|e| fail(&format!("cannot write {}: {e}", out.display())));
}

fn settings() -> GenerationSettings {
    let mut settings = GenerationSettings::default();
    settings
        .with_interface(InterfaceStyle::Positional)
        .with_tag(TagStyle::Merged)
        .with_inner_type(quote::quote!(crate::RequestHeaders))
        .with_hooks(HooksMode::Expected);
    settings
}

/// Generates the whole client; on failure, finds the operation to blame.
/// (`pub(crate)` for `tests/build_script.rs`, which includes this file.)
pub(crate) fn generate(spec: &openapiv3::OpenAPI) -> Result<String, String> {
    match generate_tokens(spec) {
        Ok(file) => Ok(prettyplease::unparse(&file)),
        Err(whole) => Err(match first_failing_operation(spec) {
            Some((operation, why)) => format!("operation `{operation}` cannot be generated: {why}"),
            None => whole,
        }),
    }
}

/// Runs progenitor, turning its assertion panics into errors.
fn generate_tokens(spec: &openapiv3::OpenAPI) -> Result<syn::File, String> {
    let previous_hook = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    let result = panic::catch_unwind(|| Generator::new(&settings()).generate_tokens(spec));
    panic::set_hook(previous_hook);
    let tokens = match result {
        Ok(Ok(tokens)) => tokens,
        Ok(Err(error)) => return Err(error.to_string()),
        Err(payload) => return Err(panic_message(payload.as_ref())),
    };
    syn::parse2(tokens).map_err(|e| format!("progenitor produced invalid Rust: {e}"))
}

/// Generates each operation alone, so a failure names the operation.
fn first_failing_operation(spec: &openapiv3::OpenAPI) -> Option<(String, String)> {
    spec.paths.iter().find_map(|(path, item)| {
        let item = item.as_item()?;
        item.iter().find_map(|(method, operation)| {
            let mut alone = spec.clone();
            let mut only = item.clone();
            for (other, slot) in [
                ("get", &mut only.get),
                ("put", &mut only.put),
                ("post", &mut only.post),
                ("delete", &mut only.delete),
                ("options", &mut only.options),
                ("head", &mut only.head),
                ("patch", &mut only.patch),
                ("trace", &mut only.trace),
            ] {
                if other != method {
                    *slot = None;
                }
            }
            alone.paths.paths = [(path.clone(), openapiv3::ReferenceOr::Item(only))].into();
            let why = generate_tokens(&alone).err()?;
            let name = operation
                .operation_id
                .clone()
                .unwrap_or_else(|| format!("{method} {path}"));
            Some((name, why))
        })
    })
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "progenitor panicked".to_owned())
}

fn fail(message: &str) -> ! {
    eprintln!("hatchet-rest-gen: {message}");
    std::process::exit(1);
}
