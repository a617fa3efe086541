//! Contract conformance: every facade operation, scheduled runs' and
//! crons', with every builder option, is sent to Stoplight Prism serving Hatchet's *own* contract, so requests
//! are judged by a validator nobody here wrote.
//!
//! Prism answers an invalid request with the contract's example 400 and an
//! `sl-violations` header, so a case passes only with a 2xx status *and* no
//! such header. A small recording proxy between client and Prism sees both.
//! Prism ignores unknown query parameters and bodies sent without
//! `Content-Type`; the request snapshots pin those separately.
//!
//! Needs `npm ci --prefix tests/contract` and `../shared/upstream`; without
//! them the test prints a notice and passes, unless
//! `HATCHET_CONTRACT_REQUIRED=1` (set by `.ci/run`) makes it fail.

use std::{
    net::{SocketAddr, TcpListener, TcpStream},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use chrono::{TimeZone, Utc};
use hatchet_scheduled::{
    BulkDeleteFilter, CronOrderField, RetryPolicy, ScheduledOrderField, ScheduledRunStatus,
    SortDirection,
};
use uuid::Uuid;

use crate::{
    recorder::{Exchange, Recorder},
    support::{CRON_ID, RUN_ID, TENANT, client_from, client_without_retries, config},
};

/// Prism's verdict on a request, a header of its answer.
const VIOLATIONS: &str = "sl-violations";

const OTHER: Uuid = Uuid::from_u128(0x0b6f2a8e_0000_4000_8000_000000000001);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_conforms_to_hatchets_own_contract() {
    let Some((prism_bin, contract)) = prerequisites() else {
        return;
    };
    let prism = Prism::start(&prism_bin, &contract);
    let recorder = Recorder::start(&prism.url()).await;
    let proxy_url = recorder.url.clone();

    let client = client_without_retries(&proxy_url);
    let namespaced = client_from(
        config(&proxy_url)
            .retry_policy(RetryPolicy::none())
            .namespace("Staging"),
    );
    let at = Utc.with_ymd_and_hms(2030, 5, 17, 9, 30, 0).unwrap();
    let berlin = chrono::FixedOffset::east_opt(2 * 3600)
        .unwrap()
        .with_ymd_and_hms(2030, 5, 17, 11, 0, 0)
        .unwrap();

    let full_list = client
        .list()
        .workflow_id(OTHER)
        .parent_workflow_run_id(OTHER)
        .parent_step_run_id(OTHER)
        .statuses([ScheduledRunStatus::Scheduled, ScheduledRunStatus::Failed])
        .metadata("env", "prod")
        .metadata("team", "core")
        .order_by(ScheduledOrderField::CreatedAt, SortDirection::Asc)
        .offset(20)
        .limit(10);
    let list_cases = [
        ("list", client.list()),
        ("list workflow_id", client.list().workflow_id(OTHER)),
        (
            "list parent_workflow_run_id",
            client.list().parent_workflow_run_id(OTHER),
        ),
        (
            "list parent_step_run_id",
            client.list().parent_step_run_id(OTHER),
        ),
        (
            "list one status",
            client.list().statuses([ScheduledRunStatus::Scheduled]),
        ),
        (
            "list every status",
            client.list().statuses([
                ScheduledRunStatus::Scheduled,
                ScheduledRunStatus::Pending,
                ScheduledRunStatus::Queued,
                ScheduledRunStatus::Running,
                ScheduledRunStatus::Succeeded,
                ScheduledRunStatus::Failed,
                ScheduledRunStatus::Cancelled,
            ]),
        ),
        ("list metadata", client.list().metadata("env", "prod")),
        (
            "list order triggerAt desc",
            client
                .list()
                .order_by(ScheduledOrderField::TriggerAt, SortDirection::Desc),
        ),
        (
            "list order createdAt asc",
            client
                .list()
                .order_by(ScheduledOrderField::CreatedAt, SortDirection::Asc),
        ),
        ("list offset+limit", client.list().offset(5).limit(1)),
        ("list every option", full_list),
    ];

    let crons = client.crons();
    let namespaced_crons = namespaced.crons();
    let full_cron_list = crons
        .list()
        .workflow_id(OTHER)
        .workflow_name("send-report")
        .cron_name("nightly")
        .metadata("env", "prod")
        .metadata("team", "core")
        .order_by(CronOrderField::WorkflowName, SortDirection::Desc)
        .offset(20)
        .limit(10);
    let cron_list_cases = [
        ("cron list", crons.list()),
        ("cron list workflow_id", crons.list().workflow_id(OTHER)),
        (
            "cron list workflow_name",
            crons.list().workflow_name("send-report"),
        ),
        (
            "cron list namespaced workflow_name",
            namespaced_crons.list().workflow_name("send-report"),
        ),
        (
            "cron list cron_name",
            crons.list().cron_name("nightly report"),
        ),
        (
            "cron list metadata",
            crons
                .list()
                .metadata("env", "prod")
                .metadata("team", "core"),
        ),
        (
            "cron list order name asc",
            crons
                .list()
                .order_by(CronOrderField::WorkflowName, SortDirection::Asc),
        ),
        (
            "cron list order createdAt desc",
            crons
                .list()
                .order_by(CronOrderField::CreatedAt, SortDirection::Desc),
        ),
        ("cron list offset+limit", crons.list().offset(5).limit(1)),
        ("cron list every option", full_cron_list),
    ];

    let mut cases: Vec<(String, Vec<Exchange>)> = Vec::new();
    macro_rules! case {
        ($name:expr, $call:expr) => {{
            let before = recorder.exchanges().len();
            // The answer's content is Prism's invention and may not decode;
            // only what was sent, and Prism's verdict on it, matter here.
            let _ = $call.await;
            let sent = recorder.exchanges()[before..].to_vec();
            cases.push(($name.to_string(), sent));
        }};
    }

    case!("create minimal", client.create("send-email", at).send());
    case!(
        "create with every option",
        client
            .create("send-email", berlin)
            .input(serde_json::json!({"to": "ada@example.com", "n": 3}))
            .metadata("env", "prod")
            .metadata_map([("team", "core")])
            .priority(3)
            .send()
    );
    case!(
        "create namespaced",
        namespaced.create("Send-Email", at).send()
    );
    case!(
        "create with an encoded name",
        client.create("my flow/ä", at).send()
    );
    case!("get", client.get(RUN_ID));
    case!("update", client.update(RUN_ID, berlin));
    case!("trigger now", client.trigger_now(RUN_ID));
    case!("delete", client.delete(RUN_ID));
    for (name, listing) in list_cases {
        case!(name, listing.send());
    }
    case!("bulk delete one id", client.bulk_delete_ids([RUN_ID]));
    case!("bulk delete ids", client.bulk_delete_ids([RUN_ID, OTHER]));
    case!(
        "bulk delete by workflow",
        client.bulk_delete_matching(BulkDeleteFilter::default().workflow_id(OTHER))
    );
    case!(
        "bulk delete by parents",
        client.bulk_delete_matching(
            BulkDeleteFilter::default()
                .parent_workflow_run_id(OTHER)
                .parent_step_run_id(RUN_ID)
        )
    );
    case!(
        "bulk delete by metadata",
        client.bulk_delete_matching(
            BulkDeleteFilter::default()
                .metadata("env", "prod")
                .metadata("a", "b")
        )
    );
    case!(
        "bulk delete everything",
        client.bulk_delete_matching(BulkDeleteFilter::every_api_created_schedule())
    );
    case!("bulk update one", client.bulk_update([(RUN_ID, at)]));
    case!(
        "bulk update two",
        client.bulk_update([(RUN_ID, berlin), (OTHER, berlin)])
    );

    case!(
        "cron create minimal",
        crons.create("send-report", "nightly", "0 2 * * *").send()
    );
    case!(
        "cron create with every option",
        crons
            .create(
                "send-report",
                "nightly",
                "CRON_TZ=Europe/Berlin 30 9 ? * MON-FRI"
            )
            .input(serde_json::json!({"report": "daily", "n": 3}))
            .metadata("env", "prod")
            .metadata_map([("team", "core")])
            .priority(3)
            .send()
    );
    case!(
        "cron create namespaced",
        namespaced_crons
            .create("Send-Report", "nightly", "0 2 * * *")
            .send()
    );
    case!(
        "cron create with an encoded name",
        crons.create("my flow/ä", "nightly", "0 2 * * *").send()
    );
    case!("cron get", crons.get(CRON_ID));
    case!("cron pause", crons.pause(CRON_ID));
    case!("cron resume", crons.resume(CRON_ID));
    case!("cron trigger now", crons.trigger_now(CRON_ID));
    case!("cron delete", crons.delete(CRON_ID));
    for (name, listing) in cron_list_cases {
        case!(name, listing.send());
    }

    // Controls: requests the contract forbids must be caught, or the
    // verdicts above mean nothing. The second is a cron create without the
    // `input` and `additionalMetadata` the client therefore always sends.
    let http = reqwest::Client::new();
    let api = format!("{proxy_url}/api/v1/tenants/{TENANT}/workflows");
    let controls = [
        (http.get(format!("{api}/scheduled?limit=many")), "limit"),
        (
            http.post(format!("{api}/send-report/crons"))
                .json(&serde_json::json!({"cronName": "n", "cronExpression": "0 2 * * *"})),
            "'input'",
        ),
    ];
    for (request, flagged) in controls {
        let before = recorder.exchanges().len();
        request
            .bearer_auth("contract-test-token")
            .send()
            .await
            .unwrap();
        let control = recorder.exchanges()[before].clone();
        assert!(
            control
                .header(VIOLATIONS)
                .is_some_and(|v| v.contains(flagged)),
            "Prism did not flag an invalid request: {control:?}"
        );
    }

    let failures: Vec<String> = cases
        .iter()
        .filter_map(|(name, sent)| {
            let verdict = match sent.as_slice() {
                [] => Some("nothing was sent".to_owned()),
                exchanges => exchanges
                    .iter()
                    .find(|e| !(200..300).contains(&e.status) || e.header(VIOLATIONS).is_some())
                    .map(|e| {
                        format!(
                            "{} -> {} {}",
                            e.request_line(),
                            e.status,
                            e.header(VIOLATIONS).unwrap_or_default()
                        )
                    }),
            };
            verdict.map(|why| format!("{name}: {why}"))
        })
        .collect();
    println!(
        "contract: {} cases run, {} failures",
        cases.len(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "requests Hatchet's contract rejects:\n{}",
        failures.join("\n")
    );
}

/// Prism's binary and Hatchet's contract, or `None` (with a notice) when
/// this machine lacks them and CI did not ask for the test.
fn prerequisites() -> Option<(PathBuf, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned();
    let prism = root.join("tests/contract/node_modules/.bin/prism");
    let contract = root.join("../shared/upstream/hatchet-api-contracts/openapi/openapi.yaml");
    let missing: Vec<String> = [
        (&prism, "run `npm ci --prefix tests/contract`"),
        (&contract, "needs ../shared/upstream"),
    ]
    .into_iter()
    .filter(|(path, _)| !path.exists())
    .map(|(path, how)| format!("{} is missing ({how})", path.display()))
    .collect();
    if missing.is_empty() {
        return Some((prism, contract));
    }
    let message = format!("contract test skipped: {}", missing.join("; "));
    assert!(
        std::env::var_os("HATCHET_CONTRACT_REQUIRED").is_none(),
        "{message}"
    );
    eprintln!("{message}");
    None
}

/// A running `prism mock`, stopped when dropped.
struct Prism {
    child: Child,
    addr: SocketAddr,
}

impl Prism {
    fn start(binary: &Path, contract: &Path) -> Self {
        let addr = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        let child = Command::new(binary)
            .args([
                "mock",
                "--host",
                "127.0.0.1",
                "--port",
                &addr.port().to_string(),
            ])
            .arg(contract)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("prism starts");
        let prism = Self { child, addr };
        let deadline = Instant::now() + Duration::from_secs(90);
        while TcpStream::connect(addr).is_err() {
            assert!(
                Instant::now() < deadline,
                "prism did not listen on {addr} within 90 s"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
        prism
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
