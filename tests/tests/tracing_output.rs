//! Tracing output names each operation, its status and attempts, and
//! never the token. The test runs in a process of its own: tracing caches
//! per-callsite interest globally, so a client used on another test thread
//! before the capturing subscriber exists could hide the spans from it.

use std::{
    collections::HashMap,
    fmt::{self, Write as _},
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use hatchet_scheduled::RetryPolicy;
use serde_json::json;
use tracing::{
    Event, Id, Metadata, Subscriber,
    field::{Field, Visit},
    span::{Attributes, Record},
};
use tracing_core::span::Current;
use wiremock::ResponseTemplate;

use crate::support::*;

/// A subscriber that writes every span, field record and event as text.
/// It tracks the entered spans so that `Span::current()` works (the client
/// records a call's outcome on the current span). Tests using it run on a
/// single-threaded runtime, so one stack suffices.
#[derive(Clone, Default)]
struct Capture {
    lines: Arc<Mutex<Vec<String>>>,
    next_id: Arc<AtomicU64>,
    spans: Arc<Mutex<HashMap<u64, &'static Metadata<'static>>>>,
    entered: Arc<Mutex<Vec<u64>>>,
}

struct Fields(String);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        let _ = write!(self.0, " {}={:?}", field.name(), value);
    }
}

impl Capture {
    fn push(&self, line: String) {
        self.lines.lock().unwrap().push(line);
    }

    fn text(&self) -> String {
        self.lines.lock().unwrap().join("\n")
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let id = self.next_id.fetch_add(1, Ordering::SeqCst) + 1;
        self.spans.lock().unwrap().insert(id, span.metadata());
        let mut fields = Fields(format!("span {}:", span.metadata().name()));
        span.record(&mut fields);
        self.push(fields.0);
        Id::from_u64(id)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut fields = Fields(format!("record {}:", span.into_u64()));
        values.record(&mut fields);
        self.push(fields.0);
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut fields = Fields(format!("event {}:", event.metadata().target()));
        event.record(&mut fields);
        self.push(fields.0);
    }

    fn enter(&self, span: &Id) {
        self.entered.lock().unwrap().push(span.into_u64());
    }

    fn exit(&self, span: &Id) {
        let mut entered = self.entered.lock().unwrap();
        if let Some(at) = entered.iter().rposition(|&id| id == span.into_u64()) {
            entered.remove(at);
        }
    }

    fn current_span(&self) -> Current {
        let entered = self.entered.lock().unwrap();
        match entered.last() {
            Some(&id) => Current::new(Id::from_u64(id), self.spans.lock().unwrap()[&id]),
            None => Current::none(),
        }
    }
}

#[tokio::test]
async fn tracing_names_operations_and_statuses_but_never_the_token() {
    let alone = in_a_process_of_its_own(
        "tracing_output::tracing_names_operations_and_statuses_but_never_the_token",
        |_| {},
    );
    if !alone {
        return;
    }
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let server = server_with([
        answer("GET", &run_path(), default_run()),
        answer_with(
            "DELETE",
            &run_path(),
            ResponseTemplate::new(403).set_body_json(json!({"description": "cannot delete"})),
        ),
        answer_with("PATCH", &run_path(), ResponseTemplate::new(503)),
        answer_with(
            "GET",
            &cron_path(),
            ResponseTemplate::new(200).set_delay(Duration::from_secs(3)),
        ),
    ])
    .await;
    let client = client(&server);
    let fast_retries = client_from(
        config(&server.uri()).retry_policy(
            RetryPolicy::default()
                .max_attempts(2)
                .initial_backoff(Duration::from_millis(1))
                .max_backoff(Duration::from_millis(2)),
        ),
    );

    client.get(RUN_ID).await.unwrap();
    client.delete(RUN_ID).await.unwrap_err();
    fast_retries
        .update(RUN_ID, chrono::DateTime::UNIX_EPOCH)
        .await
        .unwrap_err();
    // No answer at all: too slow, and nothing listening.
    let impatient = client_from(
        config(&server.uri())
            .retry_policy(RetryPolicy::none())
            .timeout(Duration::from_millis(200)),
    );
    impatient.crons().get(CRON_ID).await.unwrap_err();
    let nowhere = client_from(config("http://127.0.0.1:1").retry_policy(RetryPolicy::none()));
    nowhere.get(RUN_ID).await.unwrap_err();

    let text = capture.text();
    assert_no_token("tracing output", &text);
    for operation in ["get", "delete", "update"] {
        let span = format!("span hatchet_scheduled: operation=\"workflow-scheduled:{operation}\"");
        assert!(text.contains(&span), "{span} in {text}");
    }
    let records: Vec<_> = text
        .lines()
        .filter_map(|line| line.strip_prefix("record "))
        .filter(|line| !line.contains("duration_ms="))
        .collect();
    assert_eq!(
        records,
        [
            "1: attempts=1",
            "1: status=\"ok\"",
            "2: attempts=1",
            "2: status=403",
            "3: attempts=2",
            "3: status=503",
            "4: attempts=1",
            "4: status=timeout",
            "5: attempts=1",
            "5: status=transport",
        ],
        "{text}"
    );
    assert!(text.contains("duration_ms="), "{text}");
    assert!(
        text.contains("message=retrying attempt=1 delay_ms="),
        "{text}"
    );
    assert!(
        text.contains("error=server error (503) in workflow-scheduled:update: Service Unavailable"),
        "{text}"
    );
}
