//! The official TypeScript SDK (pinned in `tests/sdk-ts/`) against the
//! fake: what a TypeScript user does with schedules and crons, above all
//! listing them by workflow name, which the SDK resolves to an id through
//! `workflow:list`.
//!
//! Needs `npm ci --prefix tests/sdk-ts` and Node.js; without them the test
//! prints a notice and passes, unless `HATCHET_TS_SDK_REQUIRED=1` (set by
//! `.ci/run`) makes it fail.

use std::{path::PathBuf, process::Command};

use hatchet_fake::FakeHatchet;
use serde_json::Value;
use uuid::Uuid;

const WORKFLOW: &str = "ts-report";

#[tokio::test(flavor = "multi_thread")]
async fn the_typescript_sdk_lists_schedules_and_crons_by_workflow_name() {
    let sdk = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sdk-ts");
    if !sdk
        .join("node_modules/@hatchet-dev/typescript-sdk")
        .is_dir()
    {
        let message = "TypeScript SDK test skipped: run `npm ci --prefix tests/sdk-ts`";
        assert!(
            std::env::var_os("HATCHET_TS_SDK_REQUIRED").is_none(),
            "{message}"
        );
        eprintln!("{message}");
        return;
    }
    let fake = FakeHatchet::start().await;
    let workflow_id = fake.register_workflow(WORKFLOW);
    fake.register_workflow("ts-report-archive"); // matches the name filter too
    let script = sdk.join("listings.js");
    let token = fake.token().to_owned();
    let output = tokio::task::spawn_blocking(move || {
        Command::new("node")
            .arg(script)
            .arg(WORKFLOW)
            .env("HATCHET_CLIENT_TOKEN", token)
            .env("HATCHET_CLIENT_TLS_STRATEGY", "none")
            .env_remove("HATCHET_CLIENT_SERVER_URL")
            .env_remove("HATCHET_CLIENT_TENANT_ID")
            .env_remove("HATCHET_CLIENT_NAMESPACE")
            .output()
            .expect("node runs")
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the TypeScript SDK failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let seen: Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    let id = |value: &Value| value.as_str().unwrap().parse::<Uuid>().unwrap();
    assert_eq!(id(&seen["workflowId"]), workflow_id);
    let schedule = fake.schedules()[0].id;
    let cron = fake.crons()[0].id;
    assert_eq!((id(&seen["schedule"]), id(&seen["cron"])), (schedule, cron));
    assert_eq!(seen["listedSchedules"], serde_json::json!([schedule]));
    assert_eq!(seen["listedCrons"], serde_json::json!([cron]));
}
