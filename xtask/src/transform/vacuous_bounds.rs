//! `drop-vacuous-bounds`: bounds that allow everything are removed.
//!
//! A `minLength: 0` or `minItems: 0` constrains nothing, yet typify turns
//! `minLength: 0` into a string newtype whose check `len < 0` is a compiler
//! warning in the generated crate. Dropping such bounds keeps the meaning
//! and lets the generated code build warning-free.

use anyhow::Result;
use serde_json::Value;

use crate::kind::walk_schemas;
use crate::pointer;

/// Keywords whose value 0 is the same as leaving them out.
const ZERO_IS_VACUOUS: &[&str] = &["minLength", "minItems", "minProperties"];

/// Runs the step; see the module docs.
pub fn run(doc: &mut Value) -> Result<Vec<String>> {
    let mut touched = Vec::new();
    walk_schemas(doc, |ptr, schema| {
        for keyword in ZERO_IS_VACUOUS {
            if schema.get(*keyword).and_then(Value::as_u64) == Some(0) {
                schema.remove(*keyword);
                touched.push(pointer::join(ptr, keyword));
            }
        }
    })?;
    Ok(touched)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn removes_zero_lower_bounds_only() {
        let mut doc = json!({"components": {"schemas": {
            "Meta": {"type": "object", "properties": {
                "id": {"type": "string", "minLength": 0, "maxLength": 36},
                "tags": {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 0}
            }}
        }}});
        let touched = run(&mut doc).unwrap();
        assert_eq!(
            doc,
            json!({"components": {"schemas": {
                "Meta": {"type": "object", "properties": {
                    "id": {"type": "string", "maxLength": 36},
                    "tags": {"type": "array", "items": {"type": "string", "minLength": 1}}
                }}
            }}})
        );
        assert_eq!(
            touched,
            vec![
                "/components/schemas/Meta/properties/id/minLength",
                "/components/schemas/Meta/properties/tags/minItems"
            ]
        );
    }
}
