//! `drop-dangling-required`: `required` may only name declared
//! properties.
//!
//! An object schema with a `properties` map whose `required` list names a
//! property that is not in the map describes a field with no type. typify
//! would either reject it or invent an untyped field; the server never sends
//! such a field in a shape we could use, so the entry is removed (and an
//! emptied `required` with it, as 3.0 forbids empty lists).

use anyhow::Result;
use serde_json::Value;

use crate::kind::walk_schemas;
use crate::pointer;

/// Runs the step; see the module docs.
pub fn run(doc: &mut Value) -> Result<Vec<String>> {
    let mut touched = Vec::new();
    walk_schemas(doc, |ptr, schema| {
        let Some(Value::Object(properties)) = schema.get("properties") else {
            return;
        };
        let declared: Vec<String> = properties.keys().cloned().collect();
        let Some(Value::Array(required)) = schema.get_mut("required") else {
            return;
        };
        let required_ptr = pointer::join(ptr, "required");
        let mut index = 0;
        required.retain(|name| {
            let keep = name
                .as_str()
                .is_some_and(|n| declared.iter().any(|d| d == n));
            if !keep {
                let shown = name
                    .as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| name.to_string());
                touched.push(format!("{required_ptr}/{index} ({shown})"));
            }
            index += 1;
            keep
        });
        if required.is_empty() {
            schema.remove("required");
        }
    })?;
    Ok(touched)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn removes_undeclared_required_entries() {
        let mut doc = json!({"components": {"schemas": {
            "A": {"type": "object", "properties": {"id": {"type": "string"}, "meta": {
                "type": "object", "properties": {"x": {"type": "string"}}, "required": ["y"]}},
                "required": ["id", "ghost", "meta"]},
            "B": {"type": "object", "required": ["free"]}
        }}});
        let touched = run(&mut doc).unwrap();
        assert_eq!(
            doc,
            json!({"components": {"schemas": {
                "A": {"type": "object", "properties": {"id": {"type": "string"}, "meta": {
                    "type": "object", "properties": {"x": {"type": "string"}}}},
                    "required": ["id", "meta"]},
                "B": {"type": "object", "required": ["free"]}
            }}})
        );
        assert_eq!(
            touched,
            vec![
                "/components/schemas/A/required/1 (ghost)",
                "/components/schemas/A/properties/meta/required/0 (y)"
            ]
        );
    }
}
