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
//! `HATCHET_BENCH_SKIP_SUMMARY=1` the summary. See `BENCHMARKS.md`.

use std::{
    env,
    future::Future,
    hint::black_box,
    num::NonZeroU32,
    process::Command,
    sync::Arc,
    time::{Duration, Instant},
};

use chrono::{DateTime, TimeDelta, Utc};
use criterion::{BenchmarkId, Criterion, SamplingMode, Throughput};
use futures_util::{StreamExt, stream};
use hatchet_rest_gen::types as rest;
use hatchet_scheduled::{
    ClientConfig, CreateBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT, ListFilter,
    ScheduledClient, ScheduledOrderField, ScheduledRunStatus, SortDirection, USER_AGENT_VALUE,
    bench_support, blocking,
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
/// `side/operation/n` (say `facade/get/1000`; sides `facade`, `floor`,
/// `generated`, `blocking`, `floor-timeouts`; operations those of [`Op`]
/// and `decode`): make just these calls and exit, for instruction counting
/// under valgrind (`benches/instructions.sh`).
const CALLS_VAR: &str = "HATCHET_BENCH_CALLS";

fn main() {
    if let Ok(rows) = env::var(STREAM_ROWS_VAR) {
        return stream_child(&rows);
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
        summary(&bench, full);
    }
}

// ---------------------------------------------------------------------------
// What is measured

/// The four round-trip operations.
#[derive(Debug, Clone, Copy)]
enum Op {
    Create,
    Get,
    List50,
    List500,
}

impl Op {
    const ALL: [Op; 4] = [Op::Create, Op::Get, Op::List50, Op::List500];

    fn name(self) -> &'static str {
        match self {
            Op::Create => "create",
            Op::Get => "get",
            Op::List50 => "list50",
            Op::List500 => "list500",
        }
    }

    fn limit(self) -> u64 {
        match self {
            Op::List500 => 500,
            _ => 50,
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

    /// The facade's builder with this input, metadata and priority.
    fn facade(&self, client: &ScheduledClient) -> CreateBuilder<ScheduledClient> {
        client
            .create(fixtures::WORKFLOW, self.trigger_at)
            .input(&self.input)
            .metadata("env", "prod")
            .metadata("team", "billing")
            .priority(2)
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
    /// The floor; `with_timeouts` gives it the facade's timeouts (only for
    /// the instruction counts, to show what they cost).
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

    async fn get(&self, id: Uuid) -> rest::ScheduledWorkflows {
        let url = format!("{}/workflows/scheduled/{id}", self.base);
        Self::send(self.request(Method::GET, url)).await
    }

    async fn list(&self, limit: u64) -> rest::ScheduledWorkflowsList {
        let url = format!("{}/workflows/scheduled?limit={limit}", self.base);
        Self::send(self.request(Method::GET, url)).await
    }

    async fn create(&self, args: &CreateArgs) -> rest::ScheduledWorkflows {
        let body = serde_json::to_vec(&args.floor()).expect("serializable");
        let url = format!("{}/workflows/{}/scheduled", self.base, fixtures::WORKFLOW);
        let request = self
            .request(Method::POST, url)
            .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
            .body(body);
        Self::send(request).await
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
    blocking: blocking::ScheduledClient,
    floor: Floor,
    floor_with_timeouts: Floor,
    rest: hatchet_rest_gen::Client,
    canned: Arc<fixtures::Canned>,
    config: ClientConfig,
    run_id: Uuid,
    create: CreateArgs,
    filter: ListFilter,
    floor_filter: FloorFilter,
    /// How long the process's first `ScheduledClient::new` took (it builds
    /// the TLS configuration every later client shares).
    first_construction: Duration,
}

impl Bench {
    fn start() -> Self {
        let canned = Arc::new(fixtures::Canned::new());
        let url = fixtures::canned_server(canned.clone());
        let config = fixtures::config(&url);
        let workflow_id = fixtures::uuid(2, 0);
        let started = Instant::now();
        let client = ScheduledClient::new(config.clone()).expect("a client");
        let first_construction = started.elapsed();
        let bench = Self {
            rt: tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime"),
            client,
            blocking: blocking::ScheduledClient::new(config.clone()).expect("a client"),
            floor: Floor::new(&url, false),
            floor_with_timeouts: Floor::new(&url, true),
            rest: generated_client(&url),
            canned,
            config,
            run_id: fixtures::run_id(0),
            create: CreateArgs::new(),
            filter: ListFilter::default()
                .workflow_id(workflow_id)
                .statuses([ScheduledRunStatus::Scheduled, ScheduledRunStatus::Failed])
                .metadata("env", "prod")
                .order_by(ScheduledOrderField::TriggerAt, SortDirection::Asc)
                .offset(1000)
                .limit(500),
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
            assert_eq!(facade, self.rt.block_on(self.floor(op)), "{op:?}");
            assert_eq!(facade, self.rt.block_on(self.generated(op)), "{op:?}");
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
        }
    }

    /// The same call on the floor.
    async fn floor(&self, op: Op) -> usize {
        let run_id = self.run_id.to_string();
        match op {
            Op::Create => usize::from(*self.floor.create(&self.create).await.metadata.id == run_id),
            Op::Get => usize::from(*self.floor.get(self.run_id).await.metadata.id == run_id),
            Op::List50 | Op::List500 => self.floor.list(op.limit()).await.rows.len(),
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
        }
    }

    /// Makes the calls `spec` (`side/operation/n`) names.
    fn calls(&self, spec: &str) {
        let parts: Vec<&str> = spec.split('/').collect();
        let [side, op, n] = parts[..] else {
            panic!("{CALLS_VAR} is side/operation/n, not {spec:?}");
        };
        let n: usize = n.parse().expect("a call count");
        let body = self.canned.list500.clone();
        // `decode` is the 500-row page decoding alone, without I/O.
        let op = (op != "decode").then(|| {
            let known = Op::ALL.into_iter().find(|o| o.name() == op);
            known.unwrap_or_else(|| panic!("unknown operation in {spec:?}"))
        });
        for _ in 0..n {
            match (side, op) {
                ("facade", Some(op)) => black_box(self.rt.block_on(self.facade(op))),
                ("floor", Some(op)) => black_box(self.rt.block_on(self.floor(op))),
                ("floor-timeouts", Some(Op::Get)) => {
                    let run = self.rt.block_on(self.floor_with_timeouts.get(self.run_id));
                    black_box(run.metadata.id.len())
                }
                ("generated", Some(op)) => black_box(self.rt.block_on(self.generated(op))),
                ("blocking", Some(Op::Get)) => {
                    black_box(self.blocking.get(self.run_id).expect("get"));
                    1
                }
                ("facade", None) => black_box(
                    bench_support::decode_page(&body, 0)
                        .expect("decodes")
                        .items
                        .len(),
                ),
                ("floor", None) => black_box(
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

// ---------------------------------------------------------------------------
// The summary: interleaved rounds, medians, ratios, targets

/// How long the summary runs and how hard. Many short rounds, each
/// variant in turn, so that the machine's slow swings (other processes,
/// frequency) hit every variant alike and drop out of the per-round ratios.
struct Plan {
    rounds: usize,
    round_time: Duration,
    burst_calls: usize,
    burst_rounds: usize,
    constructions: usize,
    stream_rows: [u64; 2],
    stream_repeats: usize,
}

impl Plan {
    fn new(full: bool) -> Self {
        if full {
            Self {
                rounds: 101,
                round_time: Duration::from_millis(4),
                burst_calls: BURST_CALLS,
                burst_rounds: 9,
                constructions: 101,
                stream_rows: [10_000, 100_000],
                stream_repeats: 3,
            }
        } else {
            Self {
                rounds: 1,
                round_time: Duration::from_millis(5),
                burst_calls: 200,
                burst_rounds: 1,
                constructions: 3,
                stream_rows: [1_000, 2_000],
                stream_repeats: 1,
            }
        }
    }
}

/// Something timed: run it `n` times, get the wall time.
type Runner<'a> = Box<dyn FnMut(u64) -> Duration + 'a>;

/// One variant's figures over all rounds, per operation.
#[derive(Debug, Clone, Copy)]
struct Stats {
    wall_ns: f64,
    /// CPU time of the calling thread (the client's only thread).
    cpu_ns: Option<f64>,
    /// Median, 25th and 75th percentile over rounds of the reference's time
    /// over this variant's time in the same round: this variant's share of
    /// the reference's throughput.
    share: [f64; 3],
}

/// Runs every variant `rounds` times, interleaved (the first variant to go
/// rotates), `n` operations a round; the first variant is the reference
/// for `share`. `per_run` operations make one unit of `n`.
fn measure(plan: &Plan, n: u64, per_run: u64, variants: &mut [Runner<'_>]) -> Vec<Stats> {
    let ops = (n * per_run) as f64;
    let mut wall = vec![Vec::new(); variants.len()];
    let mut cpu = vec![Vec::new(); variants.len()];
    let mut share = vec![Vec::new(); variants.len()];
    for round in 0..plan.rounds.max(1) {
        let mut this_round = vec![0.0; variants.len()];
        for k in 0..variants.len() {
            let i = (round + k) % variants.len();
            let cpu_before = thread_cpu_ns();
            let took = variants[i](n);
            if let (Some(before), Some(after)) = (cpu_before, thread_cpu_ns()) {
                cpu[i].push(after.saturating_sub(before) as f64 / ops);
            }
            this_round[i] = took.as_secs_f64() * 1e9 / ops;
            wall[i].push(this_round[i]);
        }
        for i in 0..variants.len() {
            share[i].push(this_round[0] / this_round[i]);
        }
    }
    (0..variants.len())
        .map(|i| Stats {
            wall_ns: percentile(&mut wall[i], 0.5),
            cpu_ns: (cpu[i].len() == wall[i].len()).then(|| percentile(&mut cpu[i], 0.5)),
            share: [0.5, 0.25, 0.75].map(|p| percentile(&mut share[i], p)),
        })
        .collect()
}

/// Like [`measure`], with `n` chosen so a round of the first variant takes
/// about `plan.round_time`.
fn measure_calibrated(plan: &Plan, variants: &mut [Runner<'_>]) -> Vec<Stats> {
    let mut n = 1;
    let n = loop {
        let took = variants[0](n);
        if took >= plan.round_time / 4 || n >= 1 << 24 {
            let per_op = took.as_secs_f64() / n as f64;
            break ((plan.round_time.as_secs_f64() / per_op) as u64).max(1);
        }
        n *= 2;
    };
    for variant in variants.iter_mut().skip(1) {
        variant(n.div_ceil(4)); // warm up (and open connections)
    }
    measure(plan, n, 1, variants)
}

fn percentile(values: &mut [f64], p: f64) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    let rank = p * (values.len().max(1) - 1) as f64;
    let (low, high) = (rank.floor() as usize, rank.ceil() as usize);
    values[low] + (values[high] - values[low]) * (rank - low as f64)
}

/// CPU time the calling thread has used, from `/proc/thread-self/schedstat`
/// (Linux); `None` elsewhere.
fn thread_cpu_ns() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    stat.split_whitespace().next()?.parse().ok()
}

fn timed_async<'a, Fut: Future<Output = usize>>(
    rt: &'a Runtime,
    op: impl Fn() -> Fut + 'a,
) -> Runner<'a> {
    Box::new(move |n| {
        rt.block_on(async {
            let started = Instant::now();
            for _ in 0..n {
                black_box(op().await);
            }
            started.elapsed()
        })
    })
}

fn timed<'a, T>(op: impl Fn() -> T + 'a) -> Runner<'a> {
    Box::new(move |n| {
        let started = Instant::now();
        for _ in 0..n {
            black_box(op());
        }
        started.elapsed()
    })
}

fn summary(bench: &Bench, full: bool) {
    let plan = Plan::new(full);
    let rt = &bench.rt;
    let mut report = Report::default();
    let canned = &bench.canned;
    report.note(
        "canned answers",
        format!(
            "one run {} B, 50-row page {} B, 500-row page {} B",
            canned.one.len(),
            canned.list50.len(),
            canned.list500.len()
        ),
    );

    for op in Op::ALL {
        let stats = measure_calibrated(
            &plan,
            &mut [
                timed_async(rt, move || bench.floor(op)),
                timed_async(rt, move || bench.facade(op)),
                timed_async(rt, move || bench.generated(op)),
            ],
        );
        report.compare(op.name(), "floor", &stats);
    }

    let calls = plan.burst_calls;
    let mut variants = [
        timed_async(rt, move || burst(calls, move || bench.floor(Op::Create))),
        timed_async(rt, move || burst(calls, move || bench.facade(Op::Create))),
        timed_async(rt, move || {
            burst(calls, move || bench.generated(Op::Create))
        }),
    ];
    if calls == BURST_CALLS {
        for variant in &mut variants {
            variant(1); // warm up: opens the connections
        }
        let burst_plan = Plan {
            rounds: plan.burst_rounds,
            ..Plan::new(full)
        };
        let stats = measure(&burst_plan, 1, calls as u64, &mut variants);
        report.compare(
            &format!("create, {calls} calls {IN_FLIGHT} in flight"),
            "floor",
            &stats,
        );
    } else {
        let smoke = rt.block_on(burst(calls, || bench.facade(Op::Create)));
        assert_eq!(smoke, calls);
    }

    let stats = measure_calibrated(
        &plan,
        &mut [
            timed_async(rt, || bench.facade(Op::Get)),
            timed(|| bench.blocking.get(bench.run_id).expect("get")),
        ],
    );
    report.compare("get, blocking client", "async", &stats);

    let body = bench.canned.list500.clone();
    let stats = measure_calibrated(
        &plan,
        &mut [
            timed(|| {
                serde_json::from_slice::<rest::ScheduledWorkflowsList>(black_box(&body))
                    .expect("decodes")
            }),
            timed(|| bench_support::decode_page(black_box(&body), 0).expect("decodes")),
        ],
    );
    report.compare("decode 500-row page (no I/O)", "floor", &without_cpu(stats));

    let stats = measure_calibrated(
        &plan,
        &mut [
            timed(|| bench.floor_create_body()),
            timed(|| bench.facade_create_body()),
        ],
    );
    report.compare("build create body (no I/O)", "floor", &without_cpu(stats));

    let stats = measure_calibrated(
        &plan,
        &mut [
            timed(|| bench.floor.list_request(black_box(&bench.floor_filter))),
            timed(|| bench_support::list_query(black_box(&bench.filter)).expect("valid")),
        ],
    );
    report.note(
        "list filter -> query (facade's part of building a list request)",
        format!(
            "{} per call; for scale, the floor's whole hand-built list request (URL, query, \
             headers) takes {}",
            fmt_ns(stats[1].wall_ns),
            fmt_ns(stats[0].wall_ns)
        ),
    );

    for (name, construct) in constructions(&bench.config) {
        let mut times: Vec<f64> = (0..plan.constructions)
            .map(|_| {
                let started = Instant::now();
                construct();
                started.elapsed().as_secs_f64() * 1e9
            })
            .collect();
        let median = percentile(&mut times, 0.5);
        let value = format!(
            "median {} over {} (p10 {}, p90 {})",
            fmt_ns(median),
            plan.constructions,
            fmt_ns(percentile(&mut times, 0.1)),
            fmt_ns(percentile(&mut times, 0.9)),
        );
        if name == "ScheduledClient::new" {
            report.target(
                name,
                value,
                "< 1 ms",
                median < CONSTRUCTION_TARGET.as_secs_f64() * 1e9,
            );
        } else {
            report.note(name, value);
        }
    }

    let first = bench.first_construction.as_secs_f64() * 1e9;
    report.target(
        "ScheduledClient::new, the first in the process",
        fmt_ns(first),
        "< 1 ms",
        first < CONSTRUCTION_TARGET.as_secs_f64() * 1e9,
    );

    let [small, large] = plan.stream_rows;
    let streams = [small, large].map(|rows| stream_memory(rows, false, plan.stream_repeats));
    match streams {
        [Some(a), Some(b)] => {
            for stream in [&a, &b] {
                report.note(
                    &format!("stream {} rows", stream.rows),
                    format!(
                        "peak RSS {} KiB ({} KiB before streaming), {:.0} rows/s",
                        stream.peak_kib, stream.before_kib, stream.rows_per_s
                    ),
                );
            }
            if let Some(kept) = stream_memory(small, true, 1) {
                report.note(
                    &format!("collect {} rows into a Vec (control)", kept.rows),
                    format!("peak RSS {} KiB", kept.peak_kib),
                );
            }
            let growth = b.peak_kib.saturating_sub(a.peak_kib);
            report.target(
                "streaming peak memory growth",
                format!("{growth} KiB more for {}x the rows", b.rows / a.rows.max(1)),
                "< 4 MiB",
                growth < MEMORY_GROWTH_LIMIT_KIB,
            );
        }
        _ => report.note(
            "stream memory",
            "not measured (no /proc/self/status?)".into(),
        ),
    }

    report.print(&plan, full);
}

/// Drops the CPU figures of work that never blocks: the scheduler updates
/// a thread's CPU time on switches and ticks, so without switches the
/// figure is only tick-accurate (and equals the wall time anyway).
fn without_cpu(stats: Vec<Stats>) -> Vec<Stats> {
    stats
        .into_iter()
        .map(|s| Stats { cpu_ns: None, ..s })
        .collect()
}

fn fmt_ns(ns: f64) -> String {
    if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.2} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

/// The summary's tables and notes.
#[derive(Default)]
struct Report {
    targets: Vec<[String; 6]>,
    cpu: Vec<[String; 5]>,
    notes: Vec<(String, String)>,
    failures: usize,
}

impl Report {
    /// A comparison: `stats[0]` is the reference (`versus`), `stats[1]`
    /// the facade, `stats[2]` if any the generated client alone.
    fn compare(&mut self, name: &str, versus: &str, stats: &[Stats]) {
        let (reference, facade) = (stats[0], stats[1]);
        let share = facade.share;
        let holds = share[0] >= THROUGHPUT_TARGET;
        self.failures += usize::from(!holds);
        self.targets.push([
            name.to_owned(),
            fmt_ns(facade.wall_ns),
            format!("{} ({versus})", fmt_ns(reference.wall_ns)),
            format!("{:.3}", 1.0 / share[0]),
            format!(
                "{:.1} % [{:.1}–{:.1}]",
                share[0] * 100.0,
                share[1] * 100.0,
                share[2] * 100.0
            ),
            if holds { "yes" } else { "NO" }.to_owned(),
        ]);
        let cpu = |s: Option<&Stats>| match s.and_then(|s| s.cpu_ns) {
            Some(ns) => fmt_ns(ns),
            None => "-".into(),
        };
        if let (Some(a), Some(b)) = (facade.cpu_ns, reference.cpu_ns) {
            self.cpu.push([
                name.to_owned(),
                cpu(Some(&reference)),
                cpu(stats.get(2)),
                cpu(Some(&facade)),
                format!("{:.3}", a / b),
            ]);
        }
    }

    fn target(&mut self, name: &str, value: String, target: &str, holds: bool) {
        self.failures += usize::from(!holds);
        let verdict = if holds { "holds" } else { "DOES NOT HOLD" };
        self.notes.push((
            name.to_owned(),
            format!("{value}; target {target}: {verdict}"),
        ));
    }

    fn note(&mut self, name: &str, value: String) {
        self.notes.push((name.to_owned(), value));
    }

    fn print(&self, plan: &Plan, full: bool) {
        println!();
        if !full {
            println!("(smoke run without --bench: a few calls each, figures meaningless)");
        }
        println!(
            "== hatchet-scheduled summary: medians over {} interleaved rounds of about {} ms \
             each ({} rounds of one burst for the concurrent calls), per call ==",
            plan.rounds,
            plan.round_time.as_millis(),
            plan.burst_rounds
        );
        println!(
            "facade and floor: median times; ratios: paired, round by round (reference time / \
             facade time = the facade's share of the reference's throughput), median \
             [p25–p75] over rounds; target: facade >= {:.0} % of the floor",
            THROUGHPUT_TARGET * 100.0
        );
        print_table(
            [
                "operation",
                "facade",
                "floor (reference)",
                "facade/floor",
                "throughput vs floor",
                "holds",
            ],
            &self.targets,
        );
        println!();
        println!(
            "client-thread CPU per call (median; the reference is the floor, or the async \
             client for the blocking row):"
        );
        print_table(
            [
                "operation",
                "floor",
                "generated client alone",
                "facade",
                "facade/floor CPU",
            ],
            &self.cpu,
        );
        println!();
        for (name, value) in &self.notes {
            println!("{name}: {value}");
        }
        println!();
        match self.failures {
            0 => println!("all targets hold"),
            n => println!("{n} target(s) do not hold"),
        }
    }
}

fn print_table<const N: usize>(header: [&str; N], rows: &[[String; N]]) {
    let widths: Vec<usize> = (0..N)
        .map(|i| {
            rows.iter()
                .map(|row| row[i].chars().count())
                .chain([header[i].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: Vec<&str>| {
        let mut out = format!("{:<w$}", cells[0], w = widths[0]);
        for (cell, width) in cells.iter().zip(&widths).skip(1) {
            out.push_str(&format!("  {cell:>width$}"));
        }
        println!("{}", out.trim_end());
    };
    line(header.to_vec());
    for row in rows {
        line(row.iter().map(String::as_str).collect());
    }
}

// ---------------------------------------------------------------------------
// Streaming memory, measured in child processes

/// What one child process reported.
struct StreamMemory {
    rows: u64,
    before_kib: u64,
    peak_kib: u64,
    rows_per_s: f64,
}

/// Runs this binary again to stream `rows` rows in a fresh process,
/// `repeats` times; the run with the median peak.
fn stream_memory(rows: u64, keep: bool, repeats: usize) -> Option<StreamMemory> {
    let exe = env::current_exe().ok()?;
    let mut reports: Vec<StreamMemory> = (0..repeats)
        .filter_map(|_| {
            let mut command = Command::new(&exe);
            command.env(STREAM_ROWS_VAR, rows.to_string());
            if keep {
                command.env(STREAM_KEEP_VAR, "1");
            }
            let output = command.output().ok()?;
            let stdout = String::from_utf8_lossy(&output.stdout);
            let line = stdout.lines().find(|l| l.starts_with("stream-memory "))?;
            let field = |name: &str| -> Option<f64> {
                line.split_whitespace()
                    .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('=')?.parse().ok())
            };
            Some(StreamMemory {
                rows: field("rows")? as u64,
                before_kib: field("before_kib")? as u64,
                peak_kib: field("peak_kib")? as u64,
                rows_per_s: field("rows_per_s")?,
            })
        })
        .filter(|report| report.rows == rows && report.peak_kib > 0)
        .collect();
    reports.sort_by_key(|report| report.peak_kib);
    let mid = reports.len() / 2;
    (!reports.is_empty()).then(|| reports.swap_remove(mid))
}

/// The child's side: stream, print one parseable line.
fn stream_child(rows: &str) {
    let rows: u64 = rows.parse().expect("a row count");
    let report = if env::var_os(STREAM_KEEP_VAR).is_some() {
        fixtures::collect_rows(rows)
    } else {
        fixtures::stream_rows(rows)
    };
    println!(
        "stream-memory rows={} before_kib={} peak_kib={} rows_per_s={:.0}",
        report.rows,
        report.rss_before_kib,
        report.peak_rss_kib,
        report.rows as f64 / report.elapsed.as_secs_f64()
    );
}
