//! Running progenitor in memory, with `hatchet-rest-gen`'s own driver.
//!
//! The normalized document exists to feed progenitor; `gen` and
//! `gen --check` prove it does by generating the client exactly as
//! `hatchet-rest-gen`'s build script will: the driver is the same file.

use anyhow::{Result, anyhow};
use serde_json::Value;

#[path = "../../hatchet-rest-gen/codegen.rs"]
mod codegen;

/// Generates the client (formatted Rust) from `doc`, or fails naming the
/// operations progenitor rejects.
pub fn generate(doc: &Value) -> Result<String> {
    let spec: openapiv3::OpenAPI = serde_json::from_value(doc.clone())
        .map_err(|e| anyhow!("openapiv3 cannot parse the document: {e}"))?;
    codegen::generate(&spec).map_err(|message| anyhow!(message))
}
