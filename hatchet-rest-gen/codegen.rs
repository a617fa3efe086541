//! The one progenitor driver.
//!
//! `build.rs` generates this crate's client with it, and `cargo xtask gen`
//! (with `--check` in CI) proves a document generates by running it too: the
//! xtask includes this file by path, so the check and the build cannot run
//! progenitor with different settings. It lives inside the package because
//! the build script needs it on a user's machine, and uses only the build
//! script's dependencies.
//!
//! progenitor reports some unsupported constructs by panicking (`assert!`,
//! `todo!`) and never says which operation caused them, so panics are caught
//! and every operation that fails alone is named.

use std::any::Any;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Mutex;

use openapiv3::{OpenAPI, PathItem, ReferenceOr};
use progenitor::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle};

/// Generates the client from `spec` as formatted Rust source; on failure,
/// the message names each operation progenitor rejects, with the reason.
pub fn generate(spec: &OpenAPI) -> Result<String, String> {
    let whole = match generate_file(spec) {
        Ok(file) => return Ok(prettyplease::unparse(&file)),
        Err(why) => why,
    };
    let blamed = failing_operations(spec);
    if blamed.is_empty() {
        Err(format!("progenitor cannot generate the client: {whole}"))
    } else {
        Err(format!(
            "progenitor cannot generate the client:\n  {}",
            blamed.join("\n  ")
        ))
    }
}

/// Positional methods with merged tags (see the crate docs for why), and a
/// `RequestHeaders` inner value that `src/lib.rs`'s `ClientHooks` impl
/// adds to every request.
fn settings() -> GenerationSettings {
    let mut settings = GenerationSettings::default();
    settings
        .with_interface(InterfaceStyle::Positional)
        .with_tag(TagStyle::Merged)
        .with_inner_type(quote::quote!(crate::RequestHeaders))
        .with_hooks(HooksMode::Expected);
    settings
}

/// The panic hook is process-wide: generations in one process take turns.
static PANIC_HOOK: Mutex<()> = Mutex::new(());

/// One progenitor run, its errors and panics turned into messages.
fn generate_file(spec: &OpenAPI) -> Result<syn::File, String> {
    let result = {
        let _turn = PANIC_HOOK
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let previous = panic::take_hook();
        panic::set_hook(Box::new(|_| {}));
        let result = panic::catch_unwind(AssertUnwindSafe(|| {
            Generator::new(&settings()).generate_tokens(spec)
        }));
        panic::set_hook(previous);
        result
    };
    let tokens = match result {
        Ok(Ok(tokens)) => tokens,
        Ok(Err(error)) => return Err(error.to_string()),
        Err(payload) => return Err(format!("progenitor panicked: {}", panic_message(&*payload))),
    };
    syn::parse2(tokens).map_err(|e| format!("progenitor produced invalid Rust: {e}"))
}

/// Generates each operation alone (with every schema), so that a failure
/// names its operations; one line per failing operation.
fn failing_operations(spec: &OpenAPI) -> Vec<String> {
    let mut failures = Vec::new();
    for (path, item) in spec.paths.iter() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        for (method, operation) in item.iter() {
            let mut alone = spec.clone();
            alone.paths.paths = [(path.clone(), ReferenceOr::Item(only(item, method)))].into();
            if let Err(why) = generate_file(&alone) {
                let id = operation
                    .operation_id
                    .as_deref()
                    .unwrap_or("(no operationId)");
                failures.push(format!(
                    "operation `{id}` ({} {path}): {why}",
                    method.to_uppercase()
                ));
            }
        }
    }
    failures
}

/// `item` with only its `method` operation (path-level parameters kept).
fn only(item: &PathItem, method: &str) -> PathItem {
    let mut only = item.clone();
    for (name, slot) in [
        ("get", &mut only.get),
        ("put", &mut only.put),
        ("post", &mut only.post),
        ("delete", &mut only.delete),
        ("options", &mut only.options),
        ("head", &mut only.head),
        ("patch", &mut only.patch),
        ("trace", &mut only.trace),
    ] {
        if name != method {
            *slot = None;
        }
    }
    only
}

fn panic_message(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_else(|| "(no message)".to_owned())
}
