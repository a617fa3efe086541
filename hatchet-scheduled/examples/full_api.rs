//! The rest of Hatchet's REST API, with the generated client of
//! `hatchet-rest-gen`'s `full-api` feature: list the tenant's workflows and
//! its workflow runs of the last day.
//!
//! ```text
//! HATCHET_CLIENT_TOKEN=... cargo run -p hatchet-scheduled --example full_api \
//!     --features hatchet-rest-gen/full-api
//! ```
//!
//! It needs a real Hatchet: `hatchet-fake` serves only the scheduled-run
//! operations, so CI only compiles this example. The client comes from the
//! facade's configuration (`ClientConfig::rest_client`), so it sends the
//! same token and `User-Agent` as `ScheduledClient` and has the same TLS
//! set-up and timeouts. A project of your own gets the same by depending on
//! `hatchet-rest-gen` with `features = ["full-api"]` beside
//! `hatchet-scheduled`.

use std::{error::Error, process::ExitCode};

use chrono::{Duration, Utc};
use hatchet_rest_gen::full;
use hatchet_scheduled::ClientConfig;

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn Error>> {
    if std::env::var_os("HATCHET_CLIENT_TOKEN").is_none() {
        return Err(
            "set HATCHET_CLIENT_TOKEN: this example needs a real Hatchet \
                    (hatchet-fake does not serve these operations)"
                .into(),
        );
    }
    let config = ClientConfig::from_env()?;
    let rest = full::Client::from(config.rest_client()?);
    let tenant = config.tenant_id();

    // GET /api/v1/tenants/{tenant}/workflows: limit, name, offset.
    let workflows = rest
        .workflow_list(&tenant, Some(20), None, None)
        .await?
        .into_inner();
    println!("{} workflows:", workflows.rows.len());
    for workflow in &workflows.rows {
        println!("  {}", workflow.name);
    }

    // GET /api/v1/stable/tenants/{tenant}/workflow-runs: runs (not their
    // tasks) created in the last day, the newest 20.
    let since = Utc::now() - Duration::days(1);
    let runs = rest
        .v1_workflow_run_list(
            &tenant,
            None,        // additional_metadata
            None,        // additional_metadata_operator
            None,        // idempotency_keys
            Some(false), // include_payloads
            Some(20),    // limit
            None,        // offset
            false,       // only_tasks
            None,        // parent_task_external_id
            None,        // running_filter
            &since,
            None, // statuses
            None, // triggering_event_external_id
            None, // until
            None, // worker_id
            None, // workflow_ids
        )
        .await?
        .into_inner();
    println!("{} workflow runs since {since}:", runs.rows.len());
    for run in &runs.rows {
        println!(
            "  {} {:?} created {}",
            run.display_name, run.status, run.created_at
        );
    }
    Ok(())
}
