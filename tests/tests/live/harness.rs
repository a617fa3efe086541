//! Runs one scenario against one target: starts the target (or finds the
//! real one), puts the recording proxy in front of it, sweeps a real
//! Hatchet's leftovers once per process, runs the scenario, deletes what it
//! made even when it failed, then records or compares its transcript.

use std::{
    future::Future,
    panic::{AssertUnwindSafe, catch_unwind, resume_unwind},
    pin::Pin,
    sync::OnceLock,
    time::{Duration, Instant},
};

use futures_util::{FutureExt, TryStreamExt};
use hatchet_scheduled::{
    BulkDeleteFilter, ClientConfig, CronClient, Error, RetryPolicy, ScheduledClient, blocking,
};
use serde_json::Value;
use uuid::Uuid;

use super::{
    target::{Endpoint, Kind, Target},
    transcript,
};
use crate::recorder::Recorder;

/// The metadata key every object a scenario makes carries; its value is
/// unique to the scenario's run, so a scenario's listings see only its own
/// objects and leftovers of any run can be found and removed.
pub const TAG_KEY: &str = "hatchet-scheduled-live";

/// What a scenario gets: clients through the recording proxy, the target's
/// workflow, its tag, and time.
pub struct Live {
    pub kind: Kind,
    pub scenario: &'static str,
    /// This run's value of [`TAG_KEY`].
    pub tag: String,
    endpoint: Endpoint,
    target: Target,
    recorder: Recorder,
    runtime: tokio::runtime::Runtime,
}

type Scenario = for<'a> fn(&'a Live) -> Pin<Box<dyn Future<Output = ()> + 'a>>;

/// Runs an async scenario on the live runtime.
pub fn run_async(kind: Kind, scenario: &'static str, body: Scenario) {
    let Some(live) = Live::start(kind, scenario) else {
        return;
    };
    let outcome = live
        .runtime
        .block_on(AssertUnwindSafe(body(&live)).catch_unwind());
    live.finish(outcome);
}

/// Runs a blocking scenario on the test's thread, outside any runtime.
pub fn run_blocking(kind: Kind, scenario: &'static str, body: fn(&Live)) {
    let Some(live) = Live::start(kind, scenario) else {
        return;
    };
    let outcome = catch_unwind(AssertUnwindSafe(|| body(&live)));
    live.finish(outcome);
}

impl Live {
    /// The target started and fronted by the proxy; `None` (with the reason
    /// printed) when a real Hatchet is not configured.
    fn start(kind: Kind, scenario: &'static str) -> Option<Self> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let (target, endpoint) = match kind {
            Kind::Fake => runtime.block_on(Target::fake()),
            Kind::Real => match Target::real() {
                Ok(real) => real,
                Err(why) => {
                    println!("skipped: live::{scenario}::real needs a real Hatchet: {why}");
                    return None;
                }
            },
        };
        let recorder = runtime.block_on(Recorder::start(&endpoint.base_url));
        let live = Self {
            kind,
            scenario,
            tag: Uuid::new_v4().to_string(),
            endpoint,
            target,
            recorder,
            runtime,
        };
        if kind == Kind::Real {
            static SWEPT: OnceLock<()> = OnceLock::new();
            SWEPT.get_or_init(|| live.runtime.block_on(live.sweep()));
        }
        Some(live)
    }

    /// The workflow every scenario schedules, without namespace.
    pub fn workflow(&self) -> &str {
        &self.endpoint.workflow
    }

    /// The target's tenant.
    pub fn tenant(&self) -> Uuid {
        self.endpoint.tenant
    }

    fn config(&self, server_url: &str, token: &str) -> ClientConfig {
        ClientConfig::builder()
            .token(token)
            .server_url(server_url)
            .tenant_id(self.endpoint.tenant)
            .retry_policy(RetryPolicy::none())
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap()
    }

    /// An async client whose exchanges are recorded. It never retries, so
    /// every request is in the transcript once.
    pub fn client(&self) -> ScheduledClient {
        ScheduledClient::new(self.config(&self.recorder.url, &self.endpoint.token)).unwrap()
    }

    /// A client that bypasses the recorder: for polling, whose number of
    /// requests depends on timing, and for cleaning up.
    pub fn unrecorded(&self) -> ScheduledClient {
        ScheduledClient::new(self.config(&self.endpoint.base_url, &self.endpoint.token)).unwrap()
    }

    /// The blocking twin of [`client`](Self::client).
    pub fn blocking(&self) -> blocking::ScheduledClient {
        blocking::ScheduledClient::new(self.config(&self.recorder.url, &self.endpoint.token))
            .unwrap()
    }

    /// The generated client of every operation (`full-api`), recorded,
    /// made from the facade's configuration as users make it.
    pub fn rest(&self) -> hatchet_rest_gen::full::Client {
        let config = self.config(&self.recorder.url, &self.endpoint.token);
        hatchet_rest_gen::full::Client::from(config.rest_client().unwrap())
    }

    /// [`rest`](Self::rest), not recorded, for polling.
    pub fn unrecorded_rest(&self) -> hatchet_rest_gen::full::Client {
        let config = self.config(&self.endpoint.base_url, &self.endpoint.token);
        hatchet_rest_gen::full::Client::from(config.rest_client().unwrap())
    }

    /// A recorded client whose token the target refuses: the real token
    /// with another signature.
    pub fn refused(&self) -> ScheduledClient {
        ScheduledClient::new(self.config(&self.recorder.url, &self.forged_token())).unwrap()
    }

    /// The blocking twin of [`refused`](Self::refused).
    pub fn refused_blocking(&self) -> blocking::ScheduledClient {
        blocking::ScheduledClient::new(self.config(&self.recorder.url, &self.forged_token()))
            .unwrap()
    }

    fn forged_token(&self) -> String {
        let (signed, _) = self.endpoint.token.rsplit_once('.').unwrap();
        format!("{signed}.c2lnbmF0dXJlLW5vdC1pc3N1ZWQtYnktdGhpcy1zZXJ2ZXI")
    }

    /// The metadata pair that tags what this scenario makes.
    pub fn tag(&self) -> (&'static str, &str) {
        (TAG_KEY, &self.tag)
    }

    /// A recorded raw request, for what the facade refuses to send (a
    /// malformed id, a priority out of range): `path` is below
    /// `/api/v1/tenants/{tenant}/`. Returns the status and the JSON body.
    pub async fn raw(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        let path = format!("/api/v1/tenants/{}/{path}", self.endpoint.tenant);
        self.raw_at(method, &path, body).await
    }

    /// [`raw`](Self::raw) at any path of the server.
    pub async fn raw_at(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        let url = format!("{}{path}", self.recorder.url);
        let mut request = reqwest::Client::new()
            .request(method.parse().unwrap(), url)
            .bearer_auth(&self.endpoint.token);
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(body.to_string());
        }
        let answer = request.send().await.unwrap();
        let status = answer.status().as_u16();
        let bytes = answer.bytes().await.unwrap();
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    /// How many exchanges the proxy has seen so far.
    pub fn exchange_count(&self) -> usize {
        self.recorder.exchanges().len()
    }

    /// Lets `time` pass for the target (see [`Target::pass`]).
    pub async fn pass(&self, time: Duration) {
        self.target.pass(time).await;
    }

    /// Polls `check` every `step` of the target's time until it gives a
    /// value, failing after `limit`.
    pub async fn poll<T, F: Future<Output = Option<T>>>(
        &self,
        what: &str,
        step: Duration,
        limit: Duration,
        mut check: impl FnMut() -> F,
    ) -> T {
        let deadline = Instant::now() + limit;
        let mut waited = Duration::ZERO;
        loop {
            if let Some(found) = check().await {
                return found;
            }
            assert!(
                Instant::now() < deadline && waited < limit,
                "{what}: not within {limit:?}"
            );
            self.pass(step).await;
            waited += step;
        }
    }

    /// Removes what earlier runs left on a real Hatchet: every schedule and
    /// cron of any workflow that carries [`TAG_KEY`].
    async fn sweep(&self) {
        let client = self.unrecorded();
        let tagged = |metadata: &serde_json::Map<String, Value>| metadata.contains_key(TAG_KEY);
        let schedules: Vec<_> = client
            .list()
            .limit(200)
            .stream()
            .try_collect()
            .await
            .unwrap();
        let stale: Vec<Uuid> = schedules
            .iter()
            .filter(|run| tagged(&run.additional_metadata))
            .map(|run| run.id)
            .collect();
        if !stale.is_empty() {
            client.bulk_delete_ids(stale.clone()).await.unwrap();
        }
        let crons = client.crons();
        let cron_list: Vec<_> = crons
            .list()
            .limit(200)
            .stream()
            .try_collect()
            .await
            .unwrap();
        let mut stale_crons = 0;
        for cron in cron_list.iter().filter(|c| tagged(&c.additional_metadata)) {
            ignore_gone(crons.delete(cron.id).await);
            stale_crons += 1;
        }
        println!(
            "live: swept {} schedules and {stale_crons} crons left by earlier runs",
            stale.len()
        );
    }

    /// Deletes every schedule and cron carrying this run's tag.
    async fn clean_up(&self) {
        let client = self.unrecorded();
        let mine = BulkDeleteFilter::default().metadata(TAG_KEY, &self.tag);
        ignore_gone(client.bulk_delete_matching(mine).await.map(drop));
        let crons: CronClient = client.crons();
        let list = crons
            .list()
            .metadata(TAG_KEY, &self.tag)
            .limit(200)
            .stream();
        let mine: Vec<_> = list.try_collect().await.unwrap_or_default();
        for cron in mine {
            ignore_gone(crons.delete(cron.id).await);
        }
    }

    /// Cleans up, then records or compares the transcript of a scenario that
    /// passed, then passes on its outcome.
    fn finish(self, outcome: std::thread::Result<()>) {
        self.runtime.block_on(self.clean_up());
        if let Err(panic) = outcome {
            resume_unwind(panic);
        }
        let transcript = transcript::normalize(&self.recorder.exchanges(), &self.endpoint);
        let file = format!("{}.jsonl", self.scenario);
        match self.kind {
            Kind::Real => {
                if let Ok(source) = std::env::var("HATCHET_LIVE_RECORD") {
                    transcript::write(&transcript::directory(&source).join(&file), &transcript);
                }
            }
            Kind::Fake => {
                let mine = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
                    .join("live-transcripts")
                    .join(&file);
                transcript::write(&mine, &transcript);
                let recorded = transcript::directory(transcript::REFERENCE).join(&file);
                let real = transcript::read(&recorded).unwrap_or_else(|e| {
                    panic!(
                        "no transcript recorded from Hatchet at {}: {e}",
                        recorded.display()
                    )
                });
                let differences = transcript::unexplained(
                    self.scenario,
                    &transcript,
                    &real,
                    &transcript::allow_list(),
                );
                assert!(
                    differences.is_empty(),
                    "the fake answered otherwise than Hatchet in {} (fake's transcript: {}):\n{}",
                    self.scenario,
                    mine.display(),
                    differences.join("\n")
                );
            }
        }
    }
}

/// What cleaning up may meet: something already gone.
fn ignore_gone(result: Result<(), Error>) {
    match result {
        Ok(()) => {}
        Err(e) if e.is_not_found() => {}
        Err(Error::Server(_)) => {} // an unknown cron id is Hatchet's 500
        Err(e) => panic!("cleaning up: {e}"),
    }
}
