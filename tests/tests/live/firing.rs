//! What firing does: a schedule due in a few seconds starts its run and is
//! gone; a cron every two seconds fires again and again, and not while
//! paused. The runs are read the way users can, through the generated
//! client's workflow-run listing and get (`full-api`).
//!
//! Waits poll against a deadline through clients that are not recorded
//! (how often they ask depends on timing); what they found is then read
//! once more, recorded.

use std::time::Duration;

use chrono::{DateTime, DurationRound, Utc};
use hatchet_rest_gen::full::{self, types::V1TaskSummaryList};
use hatchet_scheduled::Error;
use serde_json::json;

use super::{Live, live_test, scheduled::description};

/// How long a firing may take on a real Hatchet: its ticker polls every
/// few seconds.
const FIRING_LIMIT: Duration = Duration::from_secs(60);
const STEP: Duration = Duration::from_millis(500);

/// The workflow runs carrying this scenario's tag created since `since`,
/// newest first, at most `limit`.
async fn tagged_runs(
    rest: &full::Client,
    live: &Live,
    since: DateTime<Utc>,
    limit: i64,
) -> V1TaskSummaryList {
    let (key, tag) = live.tag();
    let metadata = vec![format!("{key}:{tag}")];
    rest.v1_workflow_run_list(
        &live.tenant(),
        Some(&metadata),
        None,
        None,
        None,
        Some(limit),
        None,
        false,
        None,
        None,
        &since,
        None,
        None,
        None,
        None,
        None,
    )
    .await
    .unwrap()
    .into_inner()
}

/// A whole second at least `ahead` from now: what Hatchet stores is then
/// what was sent.
fn whole_second_after(ahead: Duration) -> DateTime<Utc> {
    (Utc::now() + ahead)
        .duration_trunc(chrono::Duration::seconds(1))
        .unwrap()
        + chrono::Duration::seconds(1)
}

live_test!(scheduled_firing);
async fn scheduled_firing(live: &Live) {
    let client = live.client();
    let (key, tag) = live.tag();
    let since = whole_second_after(Duration::ZERO) - chrono::Duration::minutes(1);
    let due = whole_second_after(Duration::from_secs(2));
    let run = client
        .create(live.workflow(), due)
        .input(json!({"fired": true}))
        .metadata(key, tag)
        .metadata("kind", "firing")
        .priority(2)
        .send()
        .await
        .unwrap();
    assert_eq!(run.trigger_at, due);

    let unrecorded = &live.unrecorded();
    let id = run.id;
    live.poll("the schedule fires", STEP, FIRING_LIMIT, || async move {
        match unrecorded.get(id).await {
            Err(error) if error.is_not_found() => Some(()),
            Ok(_) => None,
            Err(error) => panic!("polling the schedule: {error}"),
        }
    })
    .await;
    let rest = &live.unrecorded_rest();
    live.poll("its run is listed", STEP, FIRING_LIMIT, || async move {
        (!tagged_runs(rest, live, since, 10).await.rows.is_empty()).then_some(())
    })
    .await;

    let gone = client.get(run.id).await.unwrap_err();
    assert!(matches!(gone, Error::NotFound(_)), "{gone:?}");
    assert_eq!(description(&gone), "scheduled workflow run not found");
    assert!(
        client
            .list()
            .metadata(key, tag)
            .send()
            .await
            .unwrap()
            .items
            .is_empty()
    );
    let trigger = client.trigger_now(run.id).await.unwrap_err();
    assert!(trigger.is_not_found(), "fired means gone: {trigger:?}");

    let runs = tagged_runs(&live.rest(), live, since, 10).await;
    assert_eq!(runs.rows.len(), 1, "one run");
    let started = &runs.rows[0];
    assert_eq!(started.additional_metadata[key], tag);
    assert_eq!(started.additional_metadata["kind"], "firing");
    assert_eq!(started.workflow_id, run.workflow_id);
    assert_eq!(started.workflow_name.as_deref(), Some(live.workflow()));
    let details = live
        .rest()
        .v1_workflow_run_get(&started.workflow_run_external_id)
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        *details.run.metadata.id,
        started.workflow_run_external_id.to_string()
    );
    assert_eq!(details.run.additional_metadata[key], tag);
    assert_eq!(details.run.input["input"], json!({"fired": true}));
}

live_test!(cron_firing);
async fn cron_firing(live: &Live) {
    let crons = live.client().crons();
    let (key, tag) = live.tag();
    let since = whole_second_after(Duration::ZERO) - chrono::Duration::minutes(1);
    let cron = crons
        .create(live.workflow(), "live-every-2s", "*/2 * * * * *")
        .input(json!({"tick": true}))
        .metadata(key, tag)
        .send()
        .await
        .unwrap();
    let rest = &live.unrecorded_rest();
    let count = || async move { tagged_runs(rest, live, since, 100).await.rows.len() };
    live.poll("the cron fires twice", STEP, FIRING_LIMIT, || async move {
        (count().await >= 2).then_some(())
    })
    .await;

    crons.pause(cron.id).await.unwrap();
    // A run due as the pause landed may still start; then none.
    live.pass(Duration::from_secs(3)).await;
    let paused_at = count().await;
    live.pass(Duration::from_secs(6)).await;
    assert_eq!(count().await, paused_at, "no run while paused");

    assert!(!crons.get(cron.id).await.unwrap().enabled);
    let runs = tagged_runs(&live.rest(), live, since, 2).await;
    assert_eq!(runs.rows.len(), 2);
    for run in &runs.rows {
        assert_eq!(run.additional_metadata[key], tag);
        assert_eq!(run.workflow_id, cron.workflow_id);
    }
}
