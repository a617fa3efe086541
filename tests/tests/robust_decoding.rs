//! Property tests: whatever a server or proxy answers, every operation,
//! scheduled runs' and crons', returns `Ok` or a typed `Error` — never a
//! panic.
//!
//! Bodies are arbitrary bytes, arbitrary JSON, and valid answers with one
//! field swapped for arbitrary JSON (which reaches deep into decoding).
//! Each property runs 256 cases (`PROPTEST_CASES` overrides).

use std::sync::{Mutex, OnceLock};

use hatchet_scheduled::{Error, ScheduledClient};
use proptest::prelude::*;
use serde_json::{Value, json};
use wiremock::{Mock, MockServer, ResponseTemplate, matchers::any as any_request};

use crate::support::{
    CRON_ID, Op, RUN_ID, STARTED_RUN_ID, client_without_retries, default_run, transformer_cron_row,
};

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

/// Answers every request with `status` and `body`, then runs `op`.
fn answer(op: Op, status: u16, body: Vec<u8>) -> Result<(), Error> {
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
        op.run(&h.client).await
    })
}

/// A valid answer of each operation, to mutate. A schedule that fired,
/// linked to its run, reaches the deepest decoding.
fn valid_answer(op: Op) -> Value {
    let fired = || {
        let mut run = default_run();
        run["workflowRunId"] = json!(STARTED_RUN_ID);
        run["workflowRunStatus"] = json!("RUNNING");
        run
    };
    let page = |row: Value| json!({"rows": [row], "pagination": {"current_page": 1, "next_page": 1, "num_pages": 1}});
    match op {
        Op::Get | Op::Update | Op::Create => fired(),
        Op::List => page(fired()),
        Op::CronList => page(transformer_cron_row(CRON_ID)),
        Op::BulkDelete | Op::BulkDeleteMatching => {
            json!({"deletedIds": [RUN_ID], "errors": [{"id": RUN_ID, "error": "e"}]})
        }
        Op::BulkUpdate => json!({"updatedIds": [RUN_ID], "errors": [{"error": "e"}]}),
        other => other.success_body().unwrap_or(Value::Null),
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
fn mutated_answer() -> impl Strategy<Value = (Op, Vec<u8>)> {
    (
        prop::sample::select(Op::all()),
        any::<prop::sample::Index>(),
        arbitrary_json(),
    )
        .prop_map(|(op, index, replacement)| {
            let mut body = valid_answer(op);
            let mut all = Vec::new();
            pointers(&body, String::new(), &mut all);
            let target = index.get(&all).clone();
            if let Some(slot) = body.pointer_mut(&target) {
                *slot = replacement;
            }
            (op, serde_json::to_vec(&body).unwrap())
        })
}

/// A success answer decodes or is a `Decode` error carrying its status.
fn check_success(op: Op, result: Result<(), Error>) -> Result<(), TestCaseError> {
    match result {
        Ok(()) => Ok(()),
        Err(Error::Decode { status, .. }) if status.as_u16() == op.success_status() => Ok(()),
        Err(other) => Err(TestCaseError::fail(format!("{op:?}: unexpected {other:?}"))),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(
        op in prop::sample::select(Op::all()),
        body in prop::collection::vec(any::<u8>(), 0..256),
    ) {
        check_success(op, answer(op, op.success_status(), body))?;
    }

    #[test]
    fn arbitrary_json_never_panics(
        op in prop::sample::select(Op::all()),
        body in arbitrary_json(),
    ) {
        check_success(op, answer(op, op.success_status(), serde_json::to_vec(&body).unwrap()))?;
    }

    #[test]
    fn valid_answers_with_a_field_swapped_never_panic((op, body) in mutated_answer()) {
        check_success(op, answer(op, op.success_status(), body))?;
    }

    #[test]
    fn any_error_body_keeps_its_status(
        op in prop::sample::select(Op::all()),
        status in 400u16..600,
        body in prop_oneof![
            prop::collection::vec(any::<u8>(), 0..128),
            arbitrary_json().prop_map(|v| serde_json::to_vec(&v).unwrap()),
            arbitrary_json().prop_map(|v| serde_json::to_vec(&json!({"errors": [v]})).unwrap()),
        ],
    ) {
        let error = answer(op, status, body).expect_err("an error status fails");
        prop_assert_eq!(error.status().map(|s| s.as_u16()), Some(status), "{:?}", error);
    }
}

#[test]
fn deletes_pauses_and_resumes_ignore_the_body_of_their_204() {
    for op in Op::all()
        .into_iter()
        .filter(|op| op.success_status() == 204)
    {
        assert!(
            answer(op, 204, b"not json at all".to_vec()).is_ok(),
            "{op:?}"
        );
    }
}
