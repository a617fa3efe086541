//! A tour of `hatchet-scheduled`: schedule, list, stream, reschedule,
//! trigger, handle an error and bulk-delete one-off runs; then create, list,
//! pause, trigger now, change by a sync of declared crons, and delete a cron
//! trigger.
//!
//! ```text
//! cargo run --example quickstart
//! ```
//!
//! With `HATCHET_CLIENT_TOKEN` set it uses that Hatchet (and the workflow
//! named by `HATCHET_QUICKSTART_WORKFLOW`, default `quickstart-workflow`,
//! which must exist there); it only touches the schedules and the cron it
//! creates (the cron is made paused-then-deleted, so it never fires there).
//! Without a token it starts an embedded fake Hatchet, so no account is needed.

use std::{error::Error as StdError, process::ExitCode};

use chrono::{DateTime, Duration, Utc};
use futures_util::TryStreamExt;
use hatchet_fake::FakeHatchet;
use hatchet_scheduled::{
    BulkDeleteFilter, ClientConfig, CronOrderField, CronSpec, CronTrigger, Error, ScheduledClient,
    ScheduledOrderField, ScheduledRun, ScheduledRunStatus, SortDirection,
};
use serde_json::json;

const DEFAULT_WORKFLOW: &str = "quickstart-workflow";

#[tokio::main]
async fn main() -> ExitCode {
    let (client, workflow, _fake) = match connect().await {
        Ok(connected) => connected,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    // Every schedule made here carries this tag, so the tour touches only its own.
    let tag = uuid::Uuid::new_v4().simple().to_string()[..8].to_owned();
    let mut result = tour(&client, &workflow, &tag).await;
    if result.is_ok() {
        result = cron_tour(&client, &workflow, &tag).await;
    }
    if result.is_err() {
        // Do not leave schedules or crons behind to fire in someone's real tenant.
        let crons = client.crons();
        if let Ok(page) = crons.list().metadata("quickstart", &tag).send().await {
            for cron in page.items {
                let _ = crons.delete(cron.id).await;
            }
        }
        let mine = BulkDeleteFilter::default().metadata("quickstart", tag);
        let _ = client.bulk_delete_matching(mine).await;
    }
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("\nerror: {error}");
            if error.to_string().contains("workflow not found") {
                eprintln!(
                    "hint: set HATCHET_QUICKSTART_WORKFLOW to a workflow registered in your Hatchet"
                );
            }
            ExitCode::FAILURE
        }
    }
}

/// The walk through every operation, against whichever Hatchet `client` talks to.
async fn tour(
    client: &ScheduledClient,
    workflow: &str,
    tag: &str,
) -> Result<(), Box<dyn StdError>> {
    let now = Utc::now();

    step("1. Schedule four runs with input, metadata and priority");
    let plan = [
        ("daily-report", Duration::minutes(2 * 60 + 14), 2, "report"),
        ("reminder", Duration::minutes(30), 3, "reminder"),
        ("cleanup", Duration::hours(27), 1, "maintenance"),
        ("weekly-digest", Duration::hours(5), 1, "report"),
    ];
    let mut created = Vec::new();
    for (task, after, priority, kind) in plan {
        let run = client
            .create(workflow, now + after)
            .input(json!({ "task": task }))
            .metadata("quickstart", tag)
            .metadata("kind", kind)
            .priority(priority)
            .send()
            .await?;
        created.push(run);
    }
    print_table(&created);
    let [_report, reminder, cleanup, _digest] =
        <[ScheduledRun; 4]>::try_from(created).map_err(|_| "expected four scheduled runs")?;

    step("2. List the reports still to run, soonest first");
    let page = client
        .list()
        .statuses([ScheduledRunStatus::Scheduled])
        .metadata("quickstart", tag)
        .metadata("kind", "report")
        .order_by(ScheduledOrderField::TriggerAt, SortDirection::Asc)
        .send()
        .await?;
    print_table(&page.items);

    step("3. Stream every run of this tour, two per page");
    let streamed: Vec<ScheduledRun> = client
        .list()
        .metadata("quickstart", tag)
        .order_by(ScheduledOrderField::TriggerAt, SortDirection::Asc)
        .limit(2)
        .stream()
        .try_collect()
        .await?;
    let tasks: Vec<&str> = streamed.iter().map(task).collect();
    println!(
        "streamed {} runs, fetched two per request: {}",
        streamed.len(),
        tasks.join(", ")
    );

    step("4. Reschedule the reminder 15 minutes later");
    let moved = client
        .update(reminder.id, reminder.trigger_at + Duration::minutes(15))
        .await?;
    println!(
        "{}: {} -> {} ({})",
        task(&moved),
        utc(reminder.trigger_at),
        utc(moved.trigger_at),
        relative(moved.trigger_at, Utc::now())
    );

    step("5. Trigger the cleanup now instead of tomorrow");
    let run_id = client.trigger_now(cleanup.id).await?;
    println!("started workflow run {run_id}; the schedule itself is gone");

    step("6. Handle an error: get the schedule that was just triggered");
    match client.get(cleanup.id).await {
        Err(error @ Error::NotFound(_)) => println!("as expected: {error}"),
        Err(other) => return Err(other.into()),
        Ok(run) => println!("unexpectedly still scheduled: {}", run.id),
    }

    step("7. Bulk-delete the rest of this tour by metadata");
    let outcome = client
        .bulk_delete_matching(BulkDeleteFilter::default().metadata("quickstart", tag))
        .await?;
    println!("deleted {} schedules", outcome.deleted.len());
    for error in &outcome.errors {
        println!("  not deleted {:?}: {}", error.id, error.message);
    }
    let left = client.list().metadata("quickstart", tag).send().await?;
    println!("{} of this tour's schedules left", left.items.len());
    Ok(())
}

/// The cron half of the tour, on the same connection (`client.crons()`).
async fn cron_tour(
    client: &ScheduledClient,
    workflow: &str,
    tag: &str,
) -> Result<(), Box<dyn StdError>> {
    let crons = client.crons();

    step("8. Create a cron trigger: every weekday at 07:30 UTC");
    // The name is unique per tour: Hatchet refuses a second cron with the
    // same name and expression on a workflow.
    let name = format!("quickstart-{tag}");
    let cron = crons
        .create(workflow, &name, "30 7 * * MON-FRI")
        .input(json!({ "task": "morning-report" }))
        .metadata("quickstart", tag)
        .priority(2)
        .send()
        .await?;
    print_crons(std::slice::from_ref(&cron));

    step("9. Refuse an expression outside the grammar Hatchet validates, before sending");
    match crons.create(workflow, "every-day", "@daily").send().await {
        Err(error @ Error::InvalidArgument { .. }) => println!("as expected: {error}"),
        Err(other) => return Err(other.into()),
        Ok(made) => println!("unexpectedly created {}", made.id),
    }

    step("10. Pause it, list this tour's crons, trigger it now");
    crons.pause(cron.id).await?;
    let page = crons
        .list()
        .metadata("quickstart", tag)
        .order_by(CronOrderField::CreatedAt, SortDirection::Desc)
        .send()
        .await?;
    print_crons(&page.items);
    let run_id = crons.trigger_now(cron.id).await?;
    println!("started workflow run {run_id}; the cron stays, still paused");

    step("11. Crons as code: declare it at 08:30 instead, plan, then sync");
    // Without `prune`, the workflow's other crons are left alone. The cron
    // is replaced by a new one (a new id), still paused.
    let declared = || {
        [CronSpec::new(&name, "30 8 * * MON-FRI")
            .input(json!({ "task": "morning-report" }))
            .metadata("quickstart", tag)
            .priority(2)]
    };
    let plan = crons.sync(workflow, declared()).plan().await?;
    println!(
        "plan: {} to create, {} to replace, {} to keep, {} left alone",
        plan.create.len(),
        plan.replace.len(),
        plan.keep.len(),
        plan.ignored.len()
    );
    let report = crons.sync(workflow, declared()).send().await?;
    println!("sync: {}", report.summary());
    let cron = report.replaced[0].1.clone();
    print_crons(std::slice::from_ref(&cron));

    step("12. Delete the cron");
    crons.delete(cron.id).await?;
    let left = crons.list().metadata("quickstart", tag).send().await?;
    println!("{} of this tour's crons left", left.items.len());

    println!("\nDone.");
    Ok(())
}

/// A client for the Hatchet named by the environment, or for an embedded
/// fake (returned too, so it lives as long as the tour).
async fn connect() -> Result<(ScheduledClient, String, Option<FakeHatchet>), Box<dyn StdError>> {
    if std::env::var_os("HATCHET_CLIENT_TOKEN").is_some() {
        let client = ScheduledClient::from_env()?;
        let workflow = std::env::var("HATCHET_QUICKSTART_WORKFLOW")
            .ok()
            .filter(|name| !name.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_WORKFLOW.to_owned());
        println!(
            "Using the Hatchet of HATCHET_CLIENT_TOKEN (tenant {}), workflow {workflow:?}.",
            client.tenant_id()
        );
        return Ok((client, workflow, None));
    }
    let fake = FakeHatchet::start().await;
    fake.register_workflow(DEFAULT_WORKFLOW);
    println!(
        "HATCHET_CLIENT_TOKEN is not set: started an embedded fake Hatchet at {}.",
        fake.base_url()
    );
    println!("Set HATCHET_CLIENT_TOKEN to run this tour against your own Hatchet.");
    let client = ScheduledClient::new(ClientConfig::builder().token(fake.token()).build()?)?;
    Ok((client, DEFAULT_WORKFLOW.to_owned(), Some(fake)))
}

fn step(title: &str) {
    println!("\n== {title}");
}

/// The `task` the run's input names.
fn task(run: &ScheduledRun) -> &str {
    run.input
        .get("task")
        .and_then(|t| t.as_str())
        .unwrap_or("?")
}

fn print_table(runs: &[ScheduledRun]) {
    if runs.is_empty() {
        println!("(none)");
        return;
    }
    let now = Utc::now();
    print_row(["ID", "TASK", "PRI", "DUE (UTC)", "WHEN", "STATUS"].map(String::from));
    for run in runs {
        print_row([
            run.id.to_string()[..8].to_owned(),
            task(run).to_owned(),
            run.priority.map_or("-".into(), |p| p.to_string()),
            utc(run.trigger_at),
            relative(run.trigger_at, now),
            run.status.to_string(),
        ]);
    }
}

fn print_crons(crons: &[CronTrigger]) {
    println!(
        "{:<10} {:<22} {:<18} {:>3}  STATE",
        "ID", "NAME", "EXPRESSION", "PRI"
    );
    for cron in crons {
        println!(
            "{:<10} {:<22} {:<18} {:>3}  {}",
            &cron.id.to_string()[..8],
            cron.name.as_deref().unwrap_or("-"),
            cron.expression,
            cron.priority.map_or("-".into(), |p| p.to_string()),
            if cron.enabled { "enabled" } else { "paused" }
        );
    }
}

fn print_row([id, task, priority, due, when, status]: [String; 6]) {
    println!("{id:<10} {task:<14} {priority:>3}  {due:<20} {when:<12} {status}");
}

fn utc(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// "in 2h 14m", "in 1d 3h", "5m ago": to the nearest minute, two units.
fn relative(at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let seconds = (at - now).num_seconds();
    let minutes = (seconds.abs() + 30) / 60;
    if minutes == 0 {
        return "now".into();
    }
    let (days, hours, mins) = (minutes / 1440, minutes / 60 % 24, minutes % 60);
    let span = match (days, hours, mins) {
        (0, 0, m) => format!("{m}m"),
        (0, h, 0) => format!("{h}h"),
        (0, h, m) => format!("{h}h {m}m"),
        (d, 0, _) => format!("{d}d"),
        (d, h, _) => format!("{d}d {h}h"),
    };
    if seconds > 0 {
        format!("in {span}")
    } else {
        format!("{span} ago")
    }
}
