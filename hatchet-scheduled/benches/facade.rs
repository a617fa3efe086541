//! The facade against the raw-HTTP floor: the same requests hand-built on
//! one bare `reqwest::Client` and decoded with `serde_json` into the
//! generated types, served by an in-process canned-JSON server.
//!
//! ```text
//! cargo bench -p hatchet-scheduled --bench facade
//! ```
//!
//! Criterion's groups run first; then a summary pass times facade and floor
//! in interleaved rounds (so machine noise hits both alike), prints medians,
//! ratios and whether each target holds, and measures streaming memory in
//! child processes. `HATCHET_BENCH_SUMMARY_ONLY=1` skips criterion's groups,
//! `HATCHET_BENCH_SKIP_SUMMARY=1` the summary. `HATCHET_BENCH_SERVER=raw`
//! serves from raw tokio sockets on a pinned core instead of axum, so the
//! server costs far less than the client. See `BENCHMARKS.md`.

use std::{
    env,
    future::Future,
    hint::black_box,
    num::NonZeroU32,
    sync::Arc,
    time::{Duration, Instant},
};

use chrono::{DateTime, TimeDelta, Utc};
use criterion::{BenchmarkId, Criterion, SamplingMode, Throughput};
use futures_util::{StreamExt, stream};
use hatchet_rest_gen::types as rest;
use hatchet_scheduled::{
    ClientConfig, CreateBuilder, CronClient, CronCreateBuilder, DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_TIMEOUT, ListBuilder, ScheduledClient, ScheduledOrderField, ScheduledRunStatus,
    SortDirection, USER_AGENT_VALUE, bench_support, blocking,
};
use reqwest::{
    Method, StatusCode,
    header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue, USER_AGENT},
};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};
use tokio::runtime::Runtime;
use uuid::Uuid;

mod fixtures;
mod memory;
mod summary;

/// Calls in the concurrency benchmark, and how many are in flight.
const BURST_CALLS: usize = 10_000;
const IN_FLIGHT: usize = 64;
/// The facade must keep this share of the floor's throughput.
const THROUGHPUT_TARGET: f64 = 0.95;
/// `ScheduledClient::new` must take less than this.
const CONSTRUCTION_TARGET: Duration = Duration::from_millis(1);
/// Streaming the larger listing may use at most this much more peak memory
/// than the smaller one.
const MEMORY_GROWTH_LIMIT_KIB: u64 = 4 * 1024;
/// Set in the child processes that measure streaming memory.
const STREAM_ROWS_VAR: &str = "HATCHET_BENCH_STREAM_ROWS";
const STREAM_KEEP_VAR: &str = "HATCHET_BENCH_STREAM_KEEP";
/// `side/operation/n` (say `facade/get/1000`; sides those of [`Side`] and
/// `blocking`; operations those of [`Op`] and `decode`): make just these
/// calls and exit, for instruction counting under valgrind
/// (`benches/instructions.sh`), profiles (`benches/profile.sh`) and
/// context switches (`benches/context_switches.sh`).
const CALLS_VAR: &str = "HATCHET_BENCH_CALLS";
/// `multi` runs the client under test on a two-worker multi-thread runtime
/// instead of the current-thread one (for `benches/context_switches.sh`).
const RUNTIME_VAR: &str = "HATCHET_BENCH_RUNTIME";

fn main() {
    if let Ok(rows) = env::var(STREAM_ROWS_VAR) {
        return memory::stream_child(&rows);
    }
    // `cargo bench` passes `--bench`; `cargo test --benches` does not, and
    // then everything runs once, quickly, as a smoke test.
    let full = env::args().any(|arg| arg == "--bench");
    let bench = Bench::start();
    if let Ok(spec) = env::var(CALLS_VAR) {
        return bench.calls(&spec);
    }
    if env::var_os("HATCHET_BENCH_SUMMARY_ONLY").is_none() {
        let mut criterion = Criterion::default()
            .warm_up_time(Duration::from_millis(500))
            .measurement_time(Duration::from_secs(2))
            .sample_size(20)
            .without_plots()
            .configure_from_args();
        criterion_groups(&mut criterion, &bench);
        criterion.final_summary();
    }
    if env::var_os("HATCHET_BENCH_SKIP_SUMMARY").is_none() {
        summary::summary(&bench, full);
    }
}

// ---------------------------------------------------------------------------
// What is measured

/// The round-trip operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Create,
    Get,
    List50,
    List500,
    CronCreate,
    /// A page of 50 crons.
    CronList,
}

impl Op {
    const ALL: [Op; 6] = [
        Op::Create,
        Op::Get,
        Op::List50,
        Op::List500,
        Op::CronCreate,
        Op::CronList,
    ];

    fn name(self) -> &'static str {
        match self {
            Op::Create => "create",
            Op::Get => "get",
            Op::List50 => "list50",
            Op::List500 => "list500",
            Op::CronCreate => "cron_create",
            Op::CronList => "cron_list50",
        }
    }

    fn limit(self) -> u64 {
        match self {
            Op::List500 => 500,
            _ => 50,
        }
    }

    /// How many rows one call returns (1 for a create or get).
    fn rows(self) -> usize {
        match self {
            Op::Create | Op::Get | Op::CronCreate => 1,
            _ => self.limit() as usize,
        }
    }

    /// The path after the tenant's, with the query.
    fn path(self) -> String {
        let workflow = fixtures::WORKFLOW;
        match self {
            Op::Create => format!("/workflows/{workflow}/scheduled"),
            Op::Get => format!("/workflows/scheduled/{}", fixtures::run_id(0)),
            Op::List50 | Op::List500 => format!("/workflows/scheduled?limit={}", self.limit()),
            Op::CronCreate => format!("/workflows/{workflow}/crons"),
            Op::CronList => format!("/workflows/crons?limit={}", self.limit()),
        }
    }

    /// The id of what a create or get answers with.
    fn answer_id(self) -> Uuid {
        match self {
            Op::CronCreate => fixtures::cron_id(0),
            _ => fixtures::run_id(0),
        }
    }
}

/// Who makes a call: the facade, or one of the references it is compared
/// with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    /// The bare floor, decoding into the generated types.
    Floor,
    Facade,
    /// The generated client alone.
    Generated,
    /// The floor with the facade's request and connect timeouts.
    FloorTimeouts,
    /// The floor decoding into `serde_json::Value` (and, for create,
    /// posting a `json!` body): what an untyped client does.
    FloorUntyped,
}

impl Side {
    /// In the order the summary measures them; the floor first, as the
    /// reference.
    const ALL: [Side; 5] = [
        Side::Floor,
        Side::Facade,
        Side::Generated,
        Side::FloorTimeouts,
        Side::FloorUntyped,
    ];

    fn name(self) -> &'static str {
        match self {
            Side::Floor => "floor",
            Side::Facade => "facade",
            Side::Generated => "generated",
            Side::FloorTimeouts => "floor-timeouts",
            Side::FloorUntyped => "floor-untyped",
        }
    }
}

/// The arguments of the benchmarked create, prepared once for every side.
struct CreateArgs {
    trigger_at: DateTime<Utc>,
    input: Value,
    input_map: Map<String, Value>,
    metadata: Map<String, Value>,
}

impl CreateArgs {
    fn new() -> Self {
        let input = json!({
            "reportId": 42,
            "recipients": ["ada@example.com", "grace@example.com"],
            "format": "pdf"
        });
        let metadata = json!({"env": "prod", "team": "billing"});
        Self {
            trigger_at: Utc::now() + TimeDelta::hours(1),
            input_map: input.as_object().expect("an object").clone(),
            input,
            metadata: metadata.as_object().expect("an object").clone(),
        }
    }

    /// The facade's builder with this input, metadata and priority. It is
    /// given its own copy of the input, as the floor clones its map: an
    /// owned `Value` is moved in, not serialized again.
    fn facade(&self, client: &ScheduledClient) -> CreateBuilder<ScheduledClient> {
        client
            .create(fixtures::WORKFLOW, self.trigger_at)
            .input(self.input.clone())
            .metadata("env", "prod")
            .metadata("team", "billing")
            .priority(2)
    }

    /// The facade's cron builder with the same input, metadata and
    /// priority.
    fn facade_cron(&self, crons: &CronClient) -> CronCreateBuilder<CronClient> {
        crons
            .create(
                fixtures::WORKFLOW,
                fixtures::CRON_NAME,
                fixtures::CRON_EXPRESSION,
            )
            .input(self.input.clone())
            .metadata("env", "prod")
            .metadata("team", "billing")
            .priority(2)
    }

    /// The floor's cron body: the generated request type, filled by hand.
    fn floor_cron(&self) -> rest::CreateCronWorkflowTriggerRequest {
        rest::CreateCronWorkflowTriggerRequest {
            additional_metadata: self.metadata.clone(),
            cron_expression: fixtures::CRON_EXPRESSION.into(),
            cron_name: fixtures::CRON_NAME.into(),
            input: self.input_map.clone(),
            priority: NonZeroU32::new(2),
        }
    }

    /// The untyped floor's cron body.
    fn untyped_cron(&self) -> Value {
        json!({
            "cronName": fixtures::CRON_NAME,
            "cronExpression": fixtures::CRON_EXPRESSION,
            "input": self.input,
            "additionalMetadata": self.metadata,
            "priority": 2,
        })
    }

    /// The untyped floor's body: a `json!` value.
    fn untyped(&self) -> Value {
        json!({
            "triggerAt": self.trigger_at,
            "input": self.input,
            "additionalMetadata": self.metadata,
            "priority": 2,
        })
    }

    /// The floor's body: the generated request type, filled by hand.
    fn floor(&self) -> rest::ScheduleWorkflowRunRequest {
        rest::ScheduleWorkflowRunRequest {
            additional_metadata: self.metadata.clone(),
            input: self.input_map.clone(),
            priority: NonZeroU32::new(2),
            trigger_at: self.trigger_at,
        }
    }
}

fn authorization() -> HeaderValue {
    let mut value =
        HeaderValue::try_from(format!("Bearer {}", fixtures::TOKEN)).expect("a header value");
    value.set_sensitive(true);
    value
}

/// The floor: requests hand-built on one shared, bare `reqwest::Client`
/// (no timeouts, no retries, no tracing), with the headers the facade
/// sends, decoded with `serde_json::from_slice` into the generated types.
struct Floor {
    http: reqwest::Client,
    base: String,
    authorization: HeaderValue,
}

impl Floor {
    /// The floor; `with_timeouts` gives it the facade's timeouts, to show
    /// what they cost.
    fn new(url: &str, with_timeouts: bool) -> Self {
        let mut http = reqwest::Client::builder().user_agent(USER_AGENT_VALUE);
        if with_timeouts {
            http = http
                .timeout(DEFAULT_TIMEOUT)
                .connect_timeout(DEFAULT_CONNECT_TIMEOUT);
        }
        Self {
            http: http.build().expect("a reqwest client"),
            base: format!("{url}/api/v1/tenants/{}", fixtures::TENANT),
            authorization: authorization(),
        }
    }

    fn request(&self, method: Method, url: String) -> reqwest::RequestBuilder {
        self.http
            .request(method, url)
            .header(AUTHORIZATION, self.authorization.clone())
            .header(ACCEPT, HeaderValue::from_static("application/json"))
            .header(
                HeaderName::from_static("api-version"),
                HeaderValue::from_static("1.0.0"),
            )
    }

    async fn send<T: DeserializeOwned>(request: reqwest::RequestBuilder) -> T {
        let response = request.send().await.expect("the canned server answers");
        assert_eq!(response.status(), StatusCode::OK);
        let body = response.bytes().await.expect("a body");
        serde_json::from_slice(&body).expect("a typed body")
    }

    async fn get<T: DeserializeOwned>(&self, op: Op) -> T {
        let url = format!("{}{}", self.base, op.path());
        Self::send(self.request(Method::GET, url)).await
    }

    async fn post<T: DeserializeOwned>(&self, op: Op, body: &impl serde::Serialize) -> T {
        let body = serde_json::to_vec(body).expect("serializable");
        let url = format!("{}{}", self.base, op.path());
        let request = self
            .request(Method::POST, url)
            .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
            .body(body);
        Self::send(request).await
    }

    /// One call, decoded into the generated types; the number of rows it
    /// returned (1 for a create or get with the expected id).
    async fn typed(&self, op: Op, args: &CreateArgs) -> usize {
        let id = op.answer_id().to_string();
        match op {
            Op::Create => {
                let run: rest::ScheduledWorkflows = self.post(op, &args.floor()).await;
                usize::from(*run.metadata.id == id)
            }
            Op::Get => {
                let run: rest::ScheduledWorkflows = self.get(op).await;
                usize::from(*run.metadata.id == id)
            }
            Op::List50 | Op::List500 => {
                let page: rest::ScheduledWorkflowsList = self.get(op).await;
                page.rows.len()
            }
            Op::CronCreate => {
                let cron: rest::CronWorkflows = self.post(op, &args.floor_cron()).await;
                usize::from(*cron.metadata.id == id)
            }
            Op::CronList => {
                let page: rest::CronWorkflowsList = self.get(op).await;
                page.rows.len()
            }
        }
    }

    /// The same call, decoded into `serde_json::Value`.
    async fn untyped(&self, op: Op, args: &CreateArgs) -> usize {
        let value: Value = match op {
            Op::Create => self.post(op, &args.untyped()).await,
            Op::CronCreate => self.post(op, &args.untyped_cron()).await,
            Op::Get => self.get(op).await,
            Op::List50 | Op::List500 | Op::CronList => {
                let page: Value = self.get(op).await;
                return page["rows"].as_array().map_or(0, Vec::len);
            }
        };
        usize::from(value["metadata"]["id"] == op.answer_id().to_string().as_str())
    }

    /// The floor's request building for `filter`'s listing: URL and query
    /// by hand, then a `reqwest::Request`.
    fn list_request(&self, filter: &FloorFilter) -> reqwest::Request {
        let mut url =
            url::Url::parse(&format!("{}/workflows/scheduled", self.base)).expect("a URL");
        {
            let mut query = url.query_pairs_mut();
            query.append_pair("additionalMetadata", &filter.metadata);
            query.append_pair("limit", &filter.limit.to_string());
            query.append_pair("offset", &filter.offset.to_string());
            query.append_pair("orderByDirection", "ASC");
            query.append_pair("orderByField", "triggerAt");
            for status in filter.statuses {
                query.append_pair("statuses", status);
            }
            query.append_pair("workflowId", &filter.workflow_id.to_string());
        }
        self.request(Method::GET, url.into())
            .build()
            .expect("a request")
    }
}

/// The listing filter of the request-building benchmark, as the floor
/// holds it.
struct FloorFilter {
    metadata: String,
    limit: u64,
    offset: u64,
    statuses: [&'static str; 2],
    workflow_id: Uuid,
}

/// The generated client alone, set up as the facade sets it up (same
/// `reqwest` settings and headers): separates the generated layer's cost
/// from the facade's own.
fn generated_client(url: &str) -> hatchet_rest_gen::Client {
    let mut headers = HeaderMap::new();
    headers.insert(AUTHORIZATION, authorization());
    headers.insert(USER_AGENT, HeaderValue::from_static(USER_AGENT_VALUE));
    let http = reqwest::Client::builder()
        .timeout(DEFAULT_TIMEOUT)
        .connect_timeout(DEFAULT_CONNECT_TIMEOUT)
        .user_agent(USER_AGENT_VALUE)
        .build()
        .expect("a reqwest client");
    hatchet_rest_gen::Client::new_with_client(
        url,
        http,
        hatchet_rest_gen::RequestHeaders::new(headers),
    )
}

/// Everything the benchmarks share: the server, the clients, the runtime.
struct Bench {
    /// A single-threaded runtime: the client under test gets one thread
    /// (the calling one); the server has its own.
    rt: Runtime,
    client: ScheduledClient,
    /// `client.crons()`: the same connection.
    crons: CronClient,
    blocking: blocking::ScheduledClient,
    floor: Floor,
    floor_with_timeouts: Floor,
    /// Which canned server answers.
    server: fixtures::ServerKind,
    rest: hatchet_rest_gen::Client,
    canned: Arc<fixtures::Canned>,
    config: ClientConfig,
    run_id: Uuid,
    create: CreateArgs,
    filter: ListBuilder<ScheduledClient>,
    floor_filter: FloorFilter,
    /// How long the process's first `ScheduledClient::new` took (it builds
    /// the TLS configuration every later client shares).
    first_construction: Duration,
}

impl Bench {
    fn start() -> Self {
        let server = fixtures::ServerKind::from_env();
        if server == fixtures::ServerKind::Raw {
            // The raw server has its own core; the client gets the other.
            fixtures::pin_to_cpu(fixtures::CLIENT_CPU);
        }
        let canned = Arc::new(fixtures::Canned::new());
        let url = fixtures::canned_server(canned.clone(), server);
        let config = fixtures::config(&url);
        let workflow_id = fixtures::uuid(2, 0);
        let started = Instant::now();
        let client = ScheduledClient::new(config.clone()).expect("a client");
        let first_construction = started.elapsed();
        let filter = client
            .list()
            .workflow_id(workflow_id)
            .statuses([ScheduledRunStatus::Scheduled, ScheduledRunStatus::Failed])
            .metadata("env", "prod")
            .order_by(ScheduledOrderField::TriggerAt, SortDirection::Asc)
            .offset(1000)
            .limit(500);
        let bench = Self {
            rt: runtime(),
            server,
            crons: client.crons(),
            client,
            blocking: blocking::ScheduledClient::new(config.clone()).expect("a client"),
            floor: Floor::new(&url, false),
            floor_with_timeouts: Floor::new(&url, true),
            rest: generated_client(&url),
            canned,
            config,
            run_id: fixtures::run_id(0),
            create: CreateArgs::new(),
            filter,
            floor_filter: FloorFilter {
                metadata: "env:prod".into(),
                limit: 500,
                offset: 1000,
                statuses: ["SCHEDULED", "FAILED"],
                workflow_id,
            },
            first_construction,
        };
        bench.check();
        bench
    }

    /// Every side gets the answers the benchmark means it to get.
    fn check(&self) {
        for op in Op::ALL {
            let facade = self.rt.block_on(self.facade(op));
            for side in Side::ALL {
                assert_eq!(
                    facade,
                    self.rt.block_on(self.call(side, op)),
                    "{side:?} {op:?}"
                );
            }
        }
        assert_eq!(self.rt.block_on(self.facade(Op::List500)), 500);
        let run = self
            .blocking
            .get(self.run_id)
            .expect("the blocking client works");
        assert_eq!(run.id, self.run_id);
    }

    /// One facade call; the number of runs it returned.
    async fn facade(&self, op: Op) -> usize {
        let client = &self.client;
        match op {
            Op::Create => {
                let run = self.create.facade(client).send().await.expect("create");
                usize::from(run.id == self.run_id)
            }
            Op::Get => usize::from(client.get(self.run_id).await.expect("get").id == self.run_id),
            Op::List50 | Op::List500 => {
                let page = client.list().limit(op.limit()).send().await;
                page.expect("list").items.len()
            }
            Op::CronCreate => {
                let cron = self.create.facade_cron(&self.crons).send().await;
                usize::from(cron.expect("cron create").id == op.answer_id())
            }
            Op::CronList => {
                let page = self.crons.list().limit(op.limit()).send().await;
                page.expect("cron list").items.len()
            }
        }
    }

    /// The same call on the floor.
    async fn floor(&self, op: Op) -> usize {
        self.floor.typed(op, &self.create).await
    }

    /// One call by `side`; the number of runs it returned.
    async fn call(&self, side: Side, op: Op) -> usize {
        match side {
            Side::Floor => self.floor(op).await,
            Side::Facade => self.facade(op).await,
            Side::Generated => self.generated(op).await,
            Side::FloorTimeouts => {
                let floor = &self.floor_with_timeouts;
                floor.typed(op, &self.create).await
            }
            Side::FloorUntyped => self.floor.untyped(op, &self.create).await,
        }
    }

    /// The same call through the generated client alone.
    async fn generated(&self, op: Op) -> usize {
        let (rest, tenant) = (&self.rest, fixtures::tenant());
        let run_id = self.run_id.to_string();
        match op {
            Op::Create => {
                let body = self.create.floor();
                let run = rest
                    .scheduled_workflow_run_create(&tenant, fixtures::WORKFLOW, &body)
                    .await
                    .expect("create");
                usize::from(*run.metadata.id == run_id)
            }
            Op::Get => {
                let run = rest.workflow_scheduled_get(&tenant, &self.run_id).await;
                usize::from(*run.expect("get").metadata.id == run_id)
            }
            Op::List50 | Op::List500 => {
                let limit = Some(op.limit() as i64);
                rest.workflow_scheduled_list(
                    &tenant, None, limit, None, None, None, None, None, None, None,
                )
                .await
                .expect("list")
                .into_inner()
                .rows
                .len()
            }
            Op::CronCreate => {
                let body = self.create.floor_cron();
                let cron = rest
                    .cron_workflow_trigger_create(&tenant, fixtures::WORKFLOW, &body)
                    .await
                    .expect("cron create");
                usize::from(*cron.metadata.id == op.answer_id().to_string())
            }
            Op::CronList => {
                let limit = Some(op.limit() as i64);
                let page = rest
                    .cron_workflow_list(&tenant, None, None, limit, None, None, None, None, None);
                page.await.expect("cron list").into_inner().rows.len()
            }
        }
    }

    /// With `HATCHET_BENCH_ANCHOR=1`, a timer that always expires before
    /// any request's timeout. tokio unparks the thread on its timer driver
    /// when a new timer is the earliest (`runtime/time/mod.rs`,
    /// `reregister`); with this one pending, a request's never is. For
    /// `benches/context_switches.sh`, to test whether that is where timed
    /// requests' extra wake-ups come from.
    fn anchor_timers(&self) {
        if env::var("HATCHET_BENCH_ANCHOR").is_ok_and(|v| v == "1") {
            self.rt.spawn(async {
                loop {
                    tokio::time::sleep(Duration::from_secs(5)).await;
                }
            });
        }
    }

    /// Makes the calls `spec` (`side/operation/n`) names. Never inlined:
    /// `benches/profile.sh` collects instructions only inside it.
    #[inline(never)]
    fn calls(&self, spec: &str) {
        let parts: Vec<&str> = spec.split('/').collect();
        let [side, op, n] = parts[..] else {
            panic!("{CALLS_VAR} is side/operation/n, not {spec:?}");
        };
        let n: usize = n.parse().expect("a call count");
        self.anchor_timers();
        let body = self.canned.list500.clone();
        // `decode` is the 500-row page decoding alone and `body` the
        // building of a create body alone, without I/O.
        let body_only = op == "body";
        let op = (op != "decode" && !body_only).then(|| {
            let known = Op::ALL.into_iter().find(|o| o.name() == op);
            known.unwrap_or_else(|| panic!("unknown operation in {spec:?}"))
        });
        let known_side = Side::ALL.into_iter().find(|s| s.name() == side);
        for _ in 0..n {
            match (known_side, side, op) {
                (Some(side), _, Some(op)) => black_box(self.rt.block_on(self.call(side, op))),
                (_, "blocking", Some(Op::Get)) => {
                    black_box(self.blocking.get(self.run_id).expect("get"));
                    1
                }
                (Some(Side::Facade), _, None) if body_only => {
                    black_box(self.facade_create_body()).len()
                }
                (Some(Side::Floor), _, None) if body_only => {
                    black_box(self.floor_create_body()).len()
                }
                (Some(Side::Facade), _, None) => black_box(
                    bench_support::decode_page(&body, 0)
                        .expect("decodes")
                        .items
                        .len(),
                ),
                (Some(Side::Floor), _, None) => black_box(
                    serde_json::from_slice::<rest::ScheduledWorkflowsList>(&body)
                        .expect("decodes")
                        .rows
                        .len(),
                ),
                _ => panic!("unknown {CALLS_VAR} {spec:?}"),
            };
        }
    }

    /// The facade's request building for a create: the builder, checks and
    /// body, serialized as it is sent.
    fn facade_create_body(&self) -> Vec<u8> {
        let builder = self.create.facade(&self.client);
        let (workflow, body) = bench_support::create_request(builder, None).expect("valid");
        black_box(workflow);
        serde_json::to_vec(&body).expect("serializable")
    }

    fn floor_create_body(&self) -> Vec<u8> {
        serde_json::to_vec(&self.create.floor()).expect("serializable")
    }
}

/// The client's runtime: current-thread, unless `HATCHET_BENCH_RUNTIME` is
/// `multi`.
fn runtime() -> Runtime {
    let mut builder = match env::var(RUNTIME_VAR).as_deref() {
        Ok("multi") => {
            // As a user's runtime would: workers free to run on either core.
            let mut builder = tokio::runtime::Builder::new_multi_thread();
            builder.worker_threads(2).on_thread_start(fixtures::unpin);
            builder
        }
        Ok("current") | Err(_) => tokio::runtime::Builder::new_current_thread(),
        Ok(other) => panic!("{RUNTIME_VAR} is current or multi, not {other:?}"),
    };
    builder.enable_all().build().expect("a runtime")
}

/// `calls` calls, `IN_FLIGHT` at a time; how many runs they returned.
async fn burst<Fut: Future<Output = usize>>(calls: usize, call: impl Fn() -> Fut) -> usize {
    stream::iter(0..calls)
        .map(|_| call())
        .buffer_unordered(IN_FLIGHT)
        .fold(0, |done, n| async move { done + n })
        .await
}

/// A named way to construct (and drop) a client.
type Construction<'a> = (&'static str, Box<dyn Fn() + 'a>);

/// The client constructions compared.
fn constructions(config: &ClientConfig) -> Vec<Construction<'_>> {
    let shared_http = reqwest::Client::new();
    let with_http = fixtures::config_builder("http://127.0.0.1:1")
        .http_client(shared_http)
        .build()
        .expect("a valid configuration");
    vec![
        (
            "ScheduledClient::new",
            Box::new(move || drop(black_box(ScheduledClient::new(config.clone())))),
        ),
        (
            "ScheduledClient::new, caller's reqwest::Client",
            Box::new(move || drop(black_box(ScheduledClient::new(with_http.clone())))),
        ),
        (
            "blocking::ScheduledClient::new",
            Box::new(move || drop(black_box(blocking::ScheduledClient::new(config.clone())))),
        ),
        (
            "reqwest::Client::new (reference)",
            Box::new(|| drop(black_box(reqwest::Client::new()))),
        ),
    ]
}

// ---------------------------------------------------------------------------
// Criterion's groups

fn criterion_groups(c: &mut Criterion, bench: &Bench) {
    let rt = &bench.rt;

    let mut group = c.benchmark_group("roundtrip");
    for op in Op::ALL {
        group.bench_function(BenchmarkId::new(op.name(), "facade"), |b| {
            b.to_async(rt).iter(|| bench.facade(op))
        });
        group.bench_function(BenchmarkId::new(op.name(), "floor"), |b| {
            b.to_async(rt).iter(|| bench.floor(op))
        });
        group.bench_function(BenchmarkId::new(op.name(), "generated"), |b| {
            b.to_async(rt).iter(|| bench.generated(op))
        });
    }
    group.finish();

    let mut group = c.benchmark_group("concurrency");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .measurement_time(Duration::from_secs(4))
        .throughput(Throughput::Elements(BURST_CALLS as u64));
    let name = format!("create_{BURST_CALLS}x{IN_FLIGHT}");
    group.bench_function(BenchmarkId::new(&name, "facade"), |b| {
        b.to_async(rt)
            .iter(|| burst(BURST_CALLS, || bench.facade(Op::Create)))
    });
    group.bench_function(BenchmarkId::new(&name, "floor"), |b| {
        b.to_async(rt)
            .iter(|| burst(BURST_CALLS, || bench.floor(Op::Create)))
    });
    group.finish();

    let mut group = c.benchmark_group("sequential_get");
    group.bench_function("async", |b| b.to_async(rt).iter(|| bench.facade(Op::Get)));
    group.bench_function("blocking", |b| {
        b.iter(|| bench.blocking.get(bench.run_id).expect("get"))
    });
    group.finish();

    let mut group = c.benchmark_group("build");
    group.bench_function(BenchmarkId::new("create_body", "facade"), |b| {
        b.iter(|| bench.facade_create_body())
    });
    group.bench_function(BenchmarkId::new("create_body", "floor"), |b| {
        b.iter(|| bench.floor_create_body())
    });
    group.bench_function(BenchmarkId::new("list_query", "facade"), |b| {
        b.iter(|| bench_support::list_query(black_box(&bench.filter)).expect("valid"))
    });
    group.bench_function(BenchmarkId::new("list_request", "floor"), |b| {
        b.iter(|| bench.floor.list_request(black_box(&bench.floor_filter)))
    });
    group.finish();

    let mut group = c.benchmark_group("decode");
    let body = bench.canned.list500.clone();
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function(BenchmarkId::new("list500", "facade"), |b| {
        b.iter(|| bench_support::decode_page(black_box(&body), 0).expect("decodes"))
    });
    group.bench_function(BenchmarkId::new("list500", "floor"), |b| {
        b.iter(|| {
            serde_json::from_slice::<rest::ScheduledWorkflowsList>(black_box(&body))
                .expect("decodes")
        })
    });
    group.finish();

    let mut group = c.benchmark_group("construct");
    for (name, construct) in constructions(&bench.config) {
        group.bench_function(name, |b| b.iter(&construct));
    }
    group.finish();
}
