//! Property tests: whatever a server or proxy answers, every operation
//! returns `Ok` or a typed `Error` — never a panic.
//!
//! Bodies are arbitrary bytes, arbitrary JSON, and valid answers with one
//! field swapped for arbitrary JSON (which reaches deep into decoding).
//! Each property runs 256 cases (`PROPTEST_CASES` overrides).

use std::sync::{Mutex, OnceLock};

use chrono::{TimeZone, Utc};
use hatchet_scheduled::{BulkDeleteFilter, Error, ScheduledClient};
use proptest::prelude::*;
use serde_json::{Value, json};
use wiremock::{Mock, MockServer, ResponseTemplate, matchers::any as any_request};

use crate::support::{RUN_ID, TENANT, client_without_retries};

/// One runtime and server for all cases; each case remounts the answer,
/// holding `turn` so parallel tests do not answer each other's requests.
struct Harness {
    turn: Mutex<()>,
    runtime: tokio::runtime::Runtime,
    server: MockServer,
    client: ScheduledClient,
}

fn harness() -> &'static Harness {
    static HARNESS: OnceLock<Harness> = OnceLock::new();
    HARNESS.get_or_init(|| {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let server = runtime.block_on(MockServer::start());
        let client = client_without_retries(&server.uri());
        Harness {
            turn: Mutex::new(()),
            runtime,
            server,
            client,
        }
    })
}

const OPERATIONS: [&str; 9] = [
    "create",
    "get",
    "update",
    "delete",
    "trigger",
    "list",
    "bulk-delete-ids",
    "bulk-delete-matching",
    "bulk-update",
];

/// Answers every request with `status` and `body`, then runs `operation`.
fn answer(operation: &str, status: u16, body: Vec<u8>) -> Result<(), Error> {
    let h = harness();
    let _turn = h
        .turn
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    h.runtime.block_on(async {
        h.server.reset().await;
        Mock::given(any_request())
            .respond_with(ResponseTemplate::new(status).set_body_raw(body, "application/json"))
            .mount(&h.server)
            .await;
        let at = Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap();
        let c = &h.client;
        match operation {
            "create" => c.create("wf", at).send().await.map(drop),
            "get" => c.get(RUN_ID).await.map(drop),
            "update" => c.update(RUN_ID, at).await.map(drop),
            "delete" => c.delete(RUN_ID).await,
            "trigger" => c.trigger_now(RUN_ID).await.map(drop),
            "list" => c.list().send().await.map(drop),
            "bulk-delete-ids" => c.bulk_delete_ids([RUN_ID]).await.map(drop),
            "bulk-delete-matching" => c
                .bulk_delete_matching(BulkDeleteFilter::default().workflow_id(RUN_ID))
                .await
                .map(drop),
            "bulk-update" => c.bulk_update([(RUN_ID, at)]).await.map(drop),
            other => unreachable!("{other}"),
        }
    })
}

/// A valid answer of each operation, to mutate.
fn valid_answer(operation: &str) -> Value {
    let row = json!({
        "metadata": {"id": RUN_ID, "createdAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-01T00:00:00Z"},
        "tenantId": TENANT, "workflowId": RUN_ID, "workflowVersionId": RUN_ID, "workflowName": "wf",
        "triggerAt": "2030-01-01T00:00:00Z", "method": "API", "input": {}, "additionalMetadata": {},
        "priority": 1, "workflowRunId": RUN_ID, "workflowRunStatus": "RUNNING"
    });
    match operation {
        "list" => {
            json!({"rows": [row], "pagination": {"current_page": 1, "next_page": 1, "num_pages": 1}})
        }
        "trigger" => json!({"externalId": RUN_ID}),
        "bulk-delete-ids" | "bulk-delete-matching" => {
            json!({"deletedIds": [RUN_ID], "errors": [{"id": RUN_ID, "error": "e"}]})
        }
        "bulk-update" => json!({"updatedIds": [RUN_ID], "errors": [{"error": "e"}]}),
        _ => row,
    }
}

fn arbitrary_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        ".{0,12}".prop_map(Value::String),
        Just(Value::String(RUN_ID.to_string())),
        Just(Value::String("2030-01-01T00:00:00Z".into())),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-zA-Z_]{1,8}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Every JSON pointer to a value inside `value`.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match value {
        Value::Object(map) => map
            .iter()
            .for_each(|(k, v)| pointers(v, format!("{at}/{k}"), out)),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .for_each(|(i, v)| pointers(v, format!("{at}/{i}"), out)),
        _ => {}
    }
}

/// A valid answer with the value at one pointer replaced.
fn mutated_answer() -> impl Strategy<Value = (&'static str, Vec<u8>)> {
    (
        prop::sample::select(OPERATIONS.to_vec()),
        any::<prop::sample::Index>(),
        arbitrary_json(),
    )
        .prop_map(|(operation, index, replacement)| {
            let mut body = valid_answer(operation);
            let mut all = Vec::new();
            pointers(&body, String::new(), &mut all);
            let target = index.get(&all).clone();
            if let Some(slot) = body.pointer_mut(&target) {
                *slot = replacement;
            }
            (operation, serde_json::to_vec(&body).unwrap())
        })
}

/// The status each operation succeeds with.
fn success(operation: &str) -> u16 {
    if operation == "delete" { 204 } else { 200 }
}

/// A success answer decodes or is a `Decode` error carrying its status.
fn check_success(operation: &str, result: Result<(), Error>) -> Result<(), TestCaseError> {
    match result {
        Ok(()) => Ok(()),
        Err(Error::Decode { status, .. }) if status.as_u16() == success(operation) => Ok(()),
        Err(other) => Err(TestCaseError::fail(format!(
            "{operation}: unexpected {other:?}"
        ))),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(
        operation in prop::sample::select(OPERATIONS.to_vec()),
        body in prop::collection::vec(any::<u8>(), 0..256),
    ) {
        check_success(operation, answer(operation, success(operation), body))?;
    }

    #[test]
    fn arbitrary_json_never_panics(
        operation in prop::sample::select(OPERATIONS.to_vec()),
        body in arbitrary_json(),
    ) {
        check_success(operation, answer(operation, success(operation), serde_json::to_vec(&body).unwrap()))?;
    }

    #[test]
    fn valid_answers_with_a_field_swapped_never_panic((operation, body) in mutated_answer()) {
        check_success(operation, answer(operation, success(operation), body))?;
    }

    #[test]
    fn any_error_body_keeps_its_status(
        operation in prop::sample::select(OPERATIONS.to_vec()),
        status in 400u16..600,
        body in prop_oneof![
            prop::collection::vec(any::<u8>(), 0..128),
            arbitrary_json().prop_map(|v| serde_json::to_vec(&v).unwrap()),
            arbitrary_json().prop_map(|v| serde_json::to_vec(&json!({"errors": [v]})).unwrap()),
        ],
    ) {
        let error = answer(operation, status, body).expect_err("an error status fails");
        prop_assert_eq!(error.status().map(|s| s.as_u16()), Some(status), "{:?}", error);
    }
}

#[test]
fn delete_ignores_the_body_of_its_204() {
    assert!(answer("delete", 204, b"not json at all".to_vec()).is_ok());
}
