//! `raw-error-responses`: declare success responses only.
//!
//! progenitor gives every operation exactly one success type and one error
//! type, and panics when an operation declares several. Hatchet's contract
//! does (`workflow-scheduled:delete` answers 400 with `APIErrors` but 403
//! with a bare `APIError`), and the server really answers errors in four
//! shapes: `{"errors": [...]}`, a bare `{"description": ...}`,
//! `{"message": ...}` from middleware and `null` from the rate limiter.
//! With typed error responses the generated client would fail to decode
//! three of them and lose their status and body. With no error responses
//! declared, progenitor returns `Error::UnexpectedResponse(reqwest::Response)`
//! for every non-2xx, so the facade sees status, headers and raw body and
//! classifies them itself.
//!
//! Every non-2xx response (including `default`) is therefore removed. If an
//! operation declares several 2xx responses with different content, only
//! the lowest status is kept, for the same one-success-type reason.

use anyhow::Result;
use serde_json::Value;

use crate::kind;
use crate::pointer;

fn is_success(status: &str) -> bool {
    status.len() == 3 && status.starts_with('2')
}

/// Runs the step; see the module docs.
pub fn run(doc: &mut Value) -> Result<Vec<String>> {
    let mut touched = Vec::new();
    for (op_ptr, _, _) in kind::operations(doc) {
        let responses_ptr = format!("{op_ptr}/responses");
        let Some(Value::Object(responses)) = doc.pointer_mut(&responses_ptr) else {
            continue;
        };
        responses.retain(|status, _| {
            let keep = is_success(status);
            if !keep {
                touched.push(pointer::join(&responses_ptr, status));
            }
            keep
        });
        let mut statuses: Vec<String> = responses.keys().cloned().collect();
        statuses.sort();
        let first_content = statuses
            .first()
            .map(|s| responses[s].get("content").cloned());
        let all_same = statuses
            .iter()
            .all(|s| Some(responses[s].get("content").cloned()) == first_content);
        if !all_same {
            for status in &statuses[1..] {
                responses.remove(status);
                touched.push(pointer::join(&responses_ptr, status));
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
    fn removes_error_responses() {
        let json_of = |name: &str| json!({"content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{name}")}}}});
        let mut doc = json!({"paths": {"/s/{id}": {
            "delete": {"operationId": "d", "responses": {
                "204": {"description": ""},
                "400": json_of("APIErrors"),
                "403": json_of("APIError")}},
            "post": {"operationId": "p", "responses": {
                "201": json_of("Created"), "200": json_of("Ok"), "default": json_of("APIErrors")}},
            "put": {"operationId": "u", "responses": {
                "200": {"description": ""}, "204": {"description": ""}, "302": {"description": ""}}}
        }}});
        let touched = run(&mut doc).unwrap();
        assert_eq!(
            doc,
            json!({"paths": {"/s/{id}": {
                "delete": {"operationId": "d", "responses": {"204": {"description": ""}}},
                "post": {"operationId": "p", "responses": {"200": json_of("Ok")}},
                "put": {"operationId": "u", "responses": {
                    "200": {"description": ""}, "204": {"description": ""}}}
            }}})
        );
        assert_eq!(
            touched,
            vec![
                "/paths/~1s~1{id}/delete/responses/400",
                "/paths/~1s~1{id}/delete/responses/403",
                "/paths/~1s~1{id}/post/responses/default",
                "/paths/~1s~1{id}/post/responses/201",
                "/paths/~1s~1{id}/put/responses/302"
            ]
        );
    }
}
