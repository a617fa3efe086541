//! `repair-misplaced-media-types`: put media types back under `content`.
//!
//! A YAML line indented one level too little turns
//! `content:\n  text/plain: ...` into a null `content` plus a stray
//! `text/plain` key next to it (upstream `v1-webhook:receive` has exactly
//! this in its request body). A null `content` is not valid OpenAPI and
//! `openapiv3` refuses to parse the document. Media-type-looking keys
//! (`type/subtype`) next to a null `content` of a request body or response
//! are moved back into it. A `content` still null afterwards is removed
//! (a response without body); a request body left without content is
//! removed entirely, since nothing could be sent.

use anyhow::Result;
use serde_json::{Map, Value};

use crate::kind;
use crate::pointer;

fn is_media_type(key: &str) -> bool {
    match key.split_once('/') {
        Some((kind, sub)) => !kind.is_empty() && !sub.is_empty() && !key.contains(' '),
        None => false,
    }
}

/// Repairs a request body or response whose `content` is null. Returns
/// whether it has content afterwards.
fn repair(obj: &mut Map<String, Value>, ptr: &str, touched: &mut Vec<String>) -> bool {
    if !obj.get("content").is_some_and(Value::is_null) {
        return obj.contains_key("content");
    }
    let stray: Vec<String> = obj
        .iter()
        .filter(|(k, v)| is_media_type(k) && v.is_object())
        .map(|(k, _)| k.clone())
        .collect();
    let mut content = Map::new();
    for key in stray {
        if let Some(v) = obj.remove(&key) {
            touched.push(pointer::join(ptr, &key));
            content.insert(key, v);
        }
    }
    touched.push(pointer::join(ptr, "content"));
    if content.is_empty() {
        obj.remove("content");
        false
    } else {
        obj.insert("content".into(), Value::Object(content));
        true
    }
}

/// Runs the step; see the module docs.
pub fn run(doc: &mut Value) -> Result<Vec<String>> {
    let mut touched = Vec::new();
    for (op_ptr, _, _) in kind::operations(doc) {
        let Some(Value::Object(op)) = doc.pointer_mut(&op_ptr) else {
            continue;
        };
        let body_ptr = pointer::join(&op_ptr, "requestBody");
        if let Some(Value::Object(body)) = op.get_mut("requestBody")
            && body.get("content").is_some_and(Value::is_null)
            && !repair(body, &body_ptr, &mut touched)
        {
            op.remove("requestBody");
            touched.push(body_ptr);
        }
        if let Some(Value::Object(responses)) = op.get_mut("responses") {
            for (status, response) in responses.iter_mut() {
                if let Value::Object(response) = response {
                    let ptr = pointer::join(&format!("{op_ptr}/responses"), status);
                    repair(response, &ptr, &mut touched);
                }
            }
        }
    }
    Ok(touched)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn moves_stray_media_types_back() {
        let mut doc = json!({"paths": {"/h": {
            "post": {"operationId": "receive",
                "requestBody": {"required": false, "content": null,
                    "text/plain": {"schema": {"type": "string"}}},
                "responses": {"204": {"description": "", "content": null}}},
            "put": {"operationId": "other", "requestBody": {"content": null}, "responses": {}}
        }}});
        let touched = run(&mut doc).unwrap();
        assert_eq!(
            doc,
            json!({"paths": {"/h": {
                "post": {"operationId": "receive",
                    "requestBody": {"required": false, "content": {"text/plain": {"schema": {"type": "string"}}}},
                    "responses": {"204": {"description": ""}}},
                "put": {"operationId": "other", "responses": {}}
            }}})
        );
        assert_eq!(
            touched,
            vec![
                "/paths/~1h/post/requestBody/text~1plain",
                "/paths/~1h/post/requestBody/content",
                "/paths/~1h/post/responses/204/content",
                "/paths/~1h/put/requestBody/content",
                "/paths/~1h/put/requestBody"
            ]
        );
        assert!(run(&mut doc).unwrap().is_empty());
    }
}
