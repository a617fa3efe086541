//! What the integration tests share: ids and canned answers in the
//! server's own shapes, a local Hatchet stand-in (wiremock) and clients
//! pointed at it, the normalisation of received requests for snapshots,
//! every facade operation as a value, and a way to run a test alone.

use std::{collections::BTreeMap, process::Command, time::Duration};

use chrono::{DateTime, FixedOffset, TimeZone, Utc};
use hatchet_scheduled::{
    BulkDeleteFilter, ClientConfig, ClientConfigBuilder, CronClient, Error, RetryPolicy,
    ScheduledClient, blocking,
};
use serde::Serialize;
use serde_json::{Value, json};
use uuid::Uuid;
use wiremock::{
    Mock, MockBuilder, MockServer, Request, Respond, ResponseTemplate,
    matchers::{any, method, path, query_param, query_param_is_missing},
};

/// A JWT-shaped API token. Its pieces are distinctive so any leak is found.
pub const TOKEN: &str =
    "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ0ZXN0LXRlbmFudCJ9.c2VjcmV0LXNpZ25hdHVyZS1kbzEtbm90LWxlYWs";
/// The signature part of [`TOKEN`]: never to be seen in any output either.
pub const TOKEN_SIGNATURE: &str = "c2VjcmV0LXNpZ25hdHVyZS1kbzEtbm90LWxlYWs";

pub const TENANT: Uuid = Uuid::from_u128(0x707d0855_80ab_4e1f_a156_f1c4546cbf52);
pub const RUN_ID: Uuid = Uuid::from_u128(0x6e0bb1d4_3c43_4b9c_9a2f_5c2c0c8a1d11);
pub const WORKFLOW_ID: Uuid = Uuid::from_u128(0x0b6f2a8e_1c1d_4f43_8b55_2f1b3c4d5e61);
pub const WORKFLOW_VERSION_ID: Uuid = Uuid::from_u128(0x0b6f2a8e_1c1d_4f43_8b55_2f1b3c4d5e62);
pub const PARENT_RUN_ID: Uuid = Uuid::from_u128(0x3f1d2c4b_5a69_4788_9a1b_2c3d4e5f6a71);
pub const PARENT_STEP_ID: Uuid = Uuid::from_u128(0x3f1d2c4b_5a69_4788_9a1b_2c3d4e5f6a72);
pub const STARTED_RUN_ID: Uuid = Uuid::from_u128(0xaaaaaaaa_bbbb_4ccc_8ddd_eeeeeeeeeeee);
pub const CRON_ID: Uuid = Uuid::from_u128(0x5b0e2a61_8c1d_4f3e_9a7b_2c4d6e8f0a1b);
/// The workflow the canned crons start.
pub const CRON_WORKFLOW: &str = "send-report";

/// `h:m` UTC on 2026-03-01, the day of the canned answers.
pub fn utc(h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, h, m, 0).unwrap()
}

/// `h:m` on 2026-03-01 at `offset_hours` east of UTC.
pub fn zoned(offset_hours: i32, h: u32, m: u32) -> DateTime<FixedOffset> {
    FixedOffset::east_opt(offset_hours * 3600)
        .unwrap()
        .with_ymd_and_hms(2026, 3, 1, h, m, 0)
        .unwrap()
}

/// A deterministic id: `00000000-0000-4000-8000-<n as 12 hex digits>`.
pub fn nth_id(n: u64) -> Uuid {
    Uuid::from_u128(0x0000_0000_0000_4000_8000_0000_0000_0000 | u128::from(n))
}

/// The API path below the tenant: `/api/v1/tenants/{TENANT}/workflows/{rest}`.
pub fn api_path(rest: &str) -> String {
    format!("/api/v1/tenants/{TENANT}/workflows/{rest}")
}

/// The API path of the schedule [`RUN_ID`].
pub fn run_path() -> String {
    api_path(&format!("scheduled/{RUN_ID}"))
}

/// The API path of the cron [`CRON_ID`].
pub fn cron_path() -> String {
    api_path(&format!("crons/{CRON_ID}"))
}

/// A mock server that answers every request no test mock matched with a
/// 418 whose message names the request, so failures read clearly.
pub async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(Unmatched)
        .with_priority(u8::MAX)
        .named("catch-all")
        .mount(&server)
        .await;
    server
}

/// A [`server`] giving `answers`.
pub async fn server_with(answers: impl IntoIterator<Item = Mock>) -> MockServer {
    let server = server().await;
    for answer in answers {
        answer.mount(&server).await;
    }
    server
}

struct Unmatched;

impl Respond for Unmatched {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let target = match request.url.query() {
            Some(query) => format!("{}?{query}", request.url.path()),
            None => request.url.path().to_owned(),
        };
        ResponseTemplate::new(418).set_body_json(json!({
            "message": format!("no test mock matched {} {target}", request.method)
        }))
    }
}

/// Answers `verb api` with 200 and `body`.
pub fn answer(verb: &str, api: &str, body: Value) -> Mock {
    answer_with(verb, api, ResponseTemplate::new(200).set_body_json(body))
}

/// Answers creating a `send-email` schedule with [`default_run`].
pub fn create_answer() -> Mock {
    answer("POST", &api_path("send-email/scheduled"), default_run())
}

/// Answers creating a [`CRON_WORKFLOW`] cron with [`default_cron`].
pub fn cron_create_answer() -> Mock {
    answer(
        "POST",
        &api_path(&format!("{CRON_WORKFLOW}/crons")),
        default_cron(),
    )
}

/// Answers `verb api` by `responder`.
pub fn answer_with(verb: &str, api: &str, responder: impl Respond + 'static) -> Mock {
    Mock::given(method(verb))
        .and(path(api))
        .respond_with(responder)
}

/// The requests of the `listing` (`scheduled` or `crons`) page at `offset`
/// (`None`: no offset sent).
pub fn listing_page(listing: &str, offset: Option<&str>) -> MockBuilder {
    let mock = Mock::given(method("GET")).and(path(api_path(listing)));
    match offset {
        Some(offset) => mock.and(query_param("offset", offset)),
        None => mock.and(query_param_is_missing("offset")),
    }
}

/// A `listing` (`scheduled` or `crons`) with `limit=2` walking three pages
/// of 2, 2 and 1 rows `rows(1, 6)` ([`nth_id`] 1 to 5), answered by offset.
pub fn three_pages(listing: &str, rows: fn(u64, u64) -> Vec<Value>) -> Vec<Mock> {
    let pages = [
        (None, rows(1, 3), 1, 2),
        (Some("2"), rows(3, 5), 2, 3),
        (Some("4"), rows(5, 6), 3, 3),
    ];
    pages
        .into_iter()
        .map(|(offset, rows, current, next)| {
            listing_page(listing, offset)
                .and(query_param("limit", "2"))
                .respond_with(
                    ResponseTemplate::new(200).set_body_json(list_json(rows, current, next, 3)),
                )
        })
        .collect()
}

/// What every test client is configured with: [`TOKEN`], the server,
/// [`TENANT`].
pub fn config(server_url: &str) -> ClientConfigBuilder {
    ClientConfig::builder()
        .token(TOKEN)
        .server_url(server_url)
        .tenant_id(TENANT)
}

pub fn client_from(config: ClientConfigBuilder) -> ScheduledClient {
    ScheduledClient::new(config.build().unwrap()).unwrap()
}

pub fn client(server: &MockServer) -> ScheduledClient {
    client_from(config(&server.uri()))
}

/// A client that never retries, for tests of what one answer maps to.
pub fn client_without_retries(server_url: &str) -> ScheduledClient {
    client_from(config(server_url).retry_policy(RetryPolicy::none()))
}

/// A client retrying by `policy`, each attempt timing out after five
/// seconds, so that a test of retries cannot hang.
pub fn client_with_policy(server_url: &str, policy: RetryPolicy) -> ScheduledClient {
    client_from(
        config(server_url)
            .retry_policy(policy)
            .timeout(Duration::from_secs(5)),
    )
}

pub fn blocking_client(server_url: &str) -> blocking::ScheduledClient {
    blocking::ScheduledClient::new(config(server_url).build().unwrap()).unwrap()
}

/// A cron client built on its own (not by `ScheduledClient::crons`).
pub fn cron_client(server: &MockServer) -> CronClient {
    CronClient::new(config(&server.uri()).build().unwrap()).unwrap()
}

pub fn blocking_cron_client(server_url: &str) -> blocking::CronClient {
    blocking::CronClient::new(config(server_url).build().unwrap()).unwrap()
}

/// A request as it crossed the wire, without what varies between runs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WireRequest {
    pub method: String,
    /// The path exactly as sent (still percent-encoded).
    pub path: String,
    /// `name=value` pairs in wire order, percent-decoded, repeats kept.
    pub query: Vec<String>,
    pub headers: BTreeMap<String, String>,
    pub body: Option<Value>,
}

const RELEVANT_HEADERS: [&str; 4] = ["accept", "authorization", "content-type", "user-agent"];

/// Normalises one received request. Checks the token and the user agent
/// exactly before redacting them.
pub fn normalise(request: &Request) -> WireRequest {
    let mut headers = BTreeMap::new();
    for name in RELEVANT_HEADERS {
        let values: Vec<&str> = request
            .headers
            .get_all(name)
            .iter()
            .map(|v| v.to_str().unwrap())
            .collect();
        if values.is_empty() {
            continue;
        }
        assert_eq!(
            values.len(),
            1,
            "header {name} sent more than once: {values:?}"
        );
        let value = match name {
            "authorization" => {
                assert_eq!(values[0], format!("Bearer {TOKEN}"));
                "Bearer [redacted]".to_owned()
            }
            "user-agent" => {
                assert_eq!(values[0], hatchet_scheduled::USER_AGENT_VALUE);
                let version = values[0]
                    .strip_prefix("hatchet-scheduled/")
                    .expect("user agent names the crate");
                assert!(
                    !version.is_empty() && version.split('.').count() == 3,
                    "{version}"
                );
                "hatchet-scheduled/[version]".to_owned()
            }
            _ => values[0].to_owned(),
        };
        headers.insert(name.to_owned(), value);
    }
    let body = if request.body.is_empty() {
        None
    } else {
        let body: Value = serde_json::from_slice(&request.body).expect("request bodies are JSON");
        Some(sorted(body))
    };
    WireRequest {
        method: request.method.to_string(),
        path: request.url.path().to_owned(),
        query: query_pairs(request.url.query()),
        headers,
        body,
    }
}

/// The value with every object's keys in order, whatever map type
/// `serde_json` was built with, so snapshots never depend on it.
pub fn sorted(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<_> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(entries.into_iter().map(|(k, v)| (k, sorted(v))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
        other => other,
    }
}

/// Splits a raw query into `name=value` pairs in order, percent-decoded.
pub fn query_pairs(query: Option<&str>) -> Vec<String> {
    let Some(query) = query else {
        return Vec::new();
    };
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            format!("{}={}", percent_decode(name), percent_decode(value))
        })
        .collect()
}

fn percent_decode(raw: &str) -> String {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
                out.push(u8::from_str_radix(hex, 16).unwrap());
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

/// Every request the server received, normalised, in arrival order.
pub async fn wire(server: &MockServer) -> Vec<WireRequest> {
    received(server).await.iter().map(normalise).collect()
}

pub async fn received(server: &MockServer) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("request recording is on")
}

/// A row's `metadata`: its id and when it was created and last updated.
fn row_metadata(id: Uuid, created_at: &str, updated_at: &str) -> Value {
    json!({"id": id, "createdAt": created_at, "updatedAt": updated_at})
}

/// A scheduled run as Hatchet's server answers it (not fired yet).
pub fn run_json(id: Uuid, workflow_name: &str, trigger_at: &str) -> Value {
    json!({
        "metadata": row_metadata(id, "2026-03-01T07:55:00.123Z", "2026-03-01T07:55:00.123Z"),
        "tenantId": TENANT,
        "workflowId": WORKFLOW_ID,
        "workflowVersionId": WORKFLOW_VERSION_ID,
        "workflowName": workflow_name,
        "triggerAt": trigger_at,
        "method": "API",
        "input": {"to": "ada@example.com"},
        "additionalMetadata": {"env": "prod"},
        "priority": 1
    })
}

/// A schedule that has not fired, in the exact shape Hatchet's transformer
/// writes it (`ToScheduledWorkflowsFromSQLC` in
/// api/v1/server/oas/transformers/workflow_run.go) when its metadata column
/// is NULL, as for schedules made by workflow definitions: every field
/// present, `additionalMetadata: null`, `input: {}`, Go's zero time and an
/// empty run name, no run id or status, Go times with trailing zeros trimmed.
pub fn transformer_row(id: Uuid) -> Value {
    json!({
        "additionalMetadata": null,
        "input": {},
        "metadata": row_metadata(id, "2026-03-01T07:55:00.12Z", "2026-03-01T07:55:00.12Z"),
        "method": "DEFAULT",
        "priority": 1,
        "tenantId": TENANT,
        "triggerAt": "2026-03-01T08:00:00Z",
        "workflowId": WORKFLOW_ID,
        "workflowName": "nightly",
        "workflowRunCreatedAt": "0001-01-01T00:00:00Z",
        "workflowRunName": "",
        "workflowVersionId": WORKFLOW_VERSION_ID
    })
}

pub fn default_run() -> Value {
    run_json(RUN_ID, "send-email", "2026-03-01T08:00:00Z")
}

/// A cron made through the API, as Hatchet's server answers it.
pub fn cron_json(id: Uuid, name: &str, workflow_name: &str) -> Value {
    json!({
        "metadata": row_metadata(id, "2026-03-01T06:30:00.5Z", "2026-03-01T07:45:00.25Z"),
        "tenantId": TENANT,
        "workflowId": WORKFLOW_ID,
        "workflowVersionId": WORKFLOW_VERSION_ID,
        "workflowName": workflow_name,
        "cron": "0 2 * * *",
        "name": name,
        "enabled": true,
        "method": "API",
        "input": {"report": "daily"},
        "additionalMetadata": {"env": "prod"},
        "priority": 2
    })
}

pub fn default_cron() -> Value {
    cron_json(CRON_ID, "nightly", CRON_WORKFLOW)
}

/// A cron declared in a workflow's code, in the exact shape Hatchet's
/// transformer writes it (`ToCronWorkflowsFromSQLC` in
/// api/v1/server/oas/transformers/workflow_run.go): its NULL name as `""`,
/// its NULL metadata as `null`, `input: {}`, Go times with trailing zeros
/// trimmed, fields in the transformer's order.
pub fn transformer_cron_row(id: Uuid) -> Value {
    json!({
        "metadata": row_metadata(id, "2026-03-01T07:55:00.12Z", "2026-03-01T07:55:00Z"),
        "workflowVersionId": WORKFLOW_VERSION_ID,
        "workflowId": WORKFLOW_ID,
        "workflowName": "nightly-cleanup",
        "tenantId": TENANT,
        "cron": "0 3 * * *",
        "additionalMetadata": null,
        "name": "",
        "enabled": true,
        "method": "DEFAULT",
        "priority": 1,
        "input": {}
    })
}

/// A listing page as the server sends it (snake_case page info).
pub fn list_json(rows: Vec<Value>, current: i64, next: i64, num_pages: i64) -> Value {
    json!({
        "rows": rows,
        "pagination": {"current_page": current, "next_page": next, "num_pages": num_pages}
    })
}

/// Rows `from..to` with ids [`nth_id`].
pub fn rows(from: u64, to: u64) -> Vec<Value> {
    (from..to)
        .map(|n| run_json(nth_id(n), "send-email", "2026-03-01T08:00:00Z"))
        .collect()
}

/// Cron rows `from..to` with ids [`nth_id`].
pub fn cron_rows(from: u64, to: u64) -> Vec<Value> {
    (from..to)
        .map(|n| cron_json(nth_id(n), &format!("cron-{n}"), CRON_WORKFLOW))
        .collect()
}

/// Each request's query, its pairs joined by `&`.
pub fn queries(requests: &[WireRequest]) -> Vec<String> {
    requests.iter().map(|r| r.query.join("&")).collect()
}

/// Asserts that `requests` fetched the pages of [`three_pages`] in order,
/// and nothing more.
pub fn assert_walked_three_pages(requests: &[WireRequest]) {
    let offsets: Vec<_> = requests.iter().map(|r| query_values(r, "offset")).collect();
    assert_eq!(offsets, [vec![], vec!["2"], vec!["4"]]);
}

/// The `name`s values of a normalised query.
pub fn query_values<'a>(request: &'a WireRequest, name: &str) -> Vec<&'a str> {
    let prefix = format!("{name}=");
    request
        .query
        .iter()
        .filter_map(|pair| pair.strip_prefix(&prefix))
        .collect()
}

/// One facade operation, for table-driven tests: how to call it and what
/// a successful answer looks like. Cron operations go through
/// `ScheduledClient::crons`, so they run with the client's retry policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Get,
    List,
    Delete,
    Update,
    BulkUpdate,
    Create,
    Trigger,
    BulkDelete,
    BulkDeleteMatching,
    CronGet,
    CronList,
    CronDelete,
    CronPause,
    CronResume,
    CronCreate,
    CronTrigger,
}

pub const IDEMPOTENT: [Op; 10] = [
    Op::Get,
    Op::List,
    Op::Delete,
    Op::Update,
    Op::BulkUpdate,
    Op::CronGet,
    Op::CronList,
    Op::CronDelete,
    Op::CronPause,
    Op::CronResume,
];
pub const NOT_IDEMPOTENT: [Op; 6] = [
    Op::Create,
    Op::Trigger,
    Op::BulkDelete,
    Op::BulkDeleteMatching,
    Op::CronCreate,
    Op::CronTrigger,
];

impl Op {
    /// Every operation, idempotent ones first.
    pub fn all() -> Vec<Op> {
        IDEMPOTENT.into_iter().chain(NOT_IDEMPOTENT).collect()
    }

    /// The status of a successful answer: 204 for deletes, pauses and
    /// resumes, 200 otherwise.
    pub fn success_status(self) -> u16 {
        match self {
            Op::Delete | Op::CronDelete | Op::CronPause | Op::CronResume => 204,
            _ => 200,
        }
    }

    /// The body of a successful answer, if it has one.
    pub fn success_body(self) -> Option<Value> {
        Some(match self {
            Op::Get | Op::Update | Op::Create => default_run(),
            Op::List => json!({"rows": [default_run()]}),
            Op::BulkUpdate => json!({"updatedIds": [RUN_ID], "errors": []}),
            Op::BulkDelete | Op::BulkDeleteMatching => {
                json!({"deletedIds": [RUN_ID], "errors": []})
            }
            Op::Trigger | Op::CronTrigger => json!({"externalId": STARTED_RUN_ID}),
            Op::CronGet | Op::CronCreate => default_cron(),
            Op::CronList => json!({"rows": [default_cron()]}),
            Op::Delete | Op::CronDelete | Op::CronPause | Op::CronResume => return None,
        })
    }

    pub fn success(self) -> ResponseTemplate {
        let answer = ResponseTemplate::new(self.success_status());
        match self.success_body() {
            Some(body) => answer.set_body_json(body),
            None => answer,
        }
    }

    pub async fn run(self, client: &ScheduledClient) -> Result<(), Error> {
        let at = Utc.with_ymd_and_hms(2026, 2, 1, 0, 0, 0).unwrap();
        let crons = client.crons();
        match self {
            Op::Get => client.get(RUN_ID).await.map(drop),
            Op::List => client.list().send().await.map(drop),
            Op::Delete => client.delete(RUN_ID).await,
            Op::Update => client.update(RUN_ID, at).await.map(drop),
            Op::BulkUpdate => client.bulk_update([(RUN_ID, at)]).await.map(drop),
            Op::Create => client.create("wf", at).send().await.map(drop),
            Op::Trigger => client.trigger_now(RUN_ID).await.map(drop),
            Op::BulkDelete => client.bulk_delete_ids([RUN_ID]).await.map(drop),
            Op::BulkDeleteMatching => client
                .bulk_delete_matching(BulkDeleteFilter::default().workflow_id(WORKFLOW_ID))
                .await
                .map(drop),
            Op::CronGet => crons.get(CRON_ID).await.map(drop),
            Op::CronList => crons.list().send().await.map(drop),
            Op::CronDelete => crons.delete(CRON_ID).await,
            Op::CronPause => crons.pause(CRON_ID).await,
            Op::CronResume => crons.resume(CRON_ID).await,
            Op::CronCreate => crons
                .create(CRON_WORKFLOW, "nightly", "0 2 * * *")
                .send()
                .await
                .map(drop),
            Op::CronTrigger => crons.trigger_now(CRON_ID).await.map(drop),
        }
    }
}

/// Asserts that `text`, which `what` printed, shows neither [`TOKEN`] nor
/// its signature.
pub fn assert_no_token(what: &str, text: &str) {
    assert!(!text.contains(TOKEN), "{what} shows the token: {text}");
    assert!(
        !text.contains(TOKEN_SIGNATURE),
        "{what} shows the token's signature: {text}"
    );
}

/// Runs the test `name` (as libtest names it: `module::test`) in a new
/// process of this binary, alone, with `prepare` applied to that process's
/// command, and asserts that it passed there. Returns whether the caller
/// is that process: a test starts with
/// `if !in_a_process_of_its_own(..) { return; }` and its body runs alone.
///
/// For tests that need the process to themselves: setting environment
/// variables is only sound before a process starts threads, and tracing's
/// per-callsite cache can be spoiled by other test threads.
pub fn in_a_process_of_its_own(name: &str, prepare: impl FnOnce(&mut Command)) -> bool {
    const RUNNING_ALONE: &str = "HATCHET_TESTS_RUNNING_ALONE";
    if std::env::var_os(RUNNING_ALONE).is_some_and(|running| running == name) {
        return true;
    }
    let mut child = Command::new(std::env::current_exe().unwrap());
    child.args([name, "--exact"]).env(RUNNING_ALONE, name);
    prepare(&mut child);
    let output = child.output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.contains("test result: ok. 1 passed"),
        "{name} in a process of its own:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    false
}
