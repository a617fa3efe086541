//! Scheduled runs through the async client: every operation and option,
//! the same assertions on the fake and on Hatchet.

use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use futures_util::TryStreamExt;
use hatchet_scheduled::{
    BulkDeleteFilter, Error, ScheduleMethod, ScheduledClient, ScheduledOrderField, ScheduledRun,
    ScheduledRunStatus, SortDirection,
};
use serde_json::json;
use uuid::Uuid;

use super::{Live, live_test};

/// `hour` hours into 2040: far enough that nothing fires during a run.
pub fn far(hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2040, 1, 1, 0, 0, 0).unwrap() + chrono::Duration::hours(hour.into())
}

pub fn ids(runs: &[ScheduledRun]) -> Vec<Uuid> {
    runs.iter().map(|run| run.id).collect()
}

/// The server's first error description.
pub fn description(error: &Error) -> &str {
    &error.api_errors()[0].description
}

/// Schedules the live workflow at `at`, tagged, with `env` metadata.
async fn schedule(
    live: &Live,
    client: &ScheduledClient,
    at: DateTime<Utc>,
    env: &str,
) -> ScheduledRun {
    let (key, tag) = live.tag();
    let run = client
        .create(live.workflow(), at)
        .metadata(key, tag)
        .metadata("env", env)
        .send()
        .await
        .unwrap();
    // Creation times a few milliseconds apart, so ordering by them is
    // decided by the rows, not by ties.
    tokio::time::sleep(Duration::from_millis(20)).await;
    run
}

live_test!(scheduled_single);
async fn scheduled_single(live: &Live) {
    let client = live.client();
    let (key, tag) = live.tag();
    let run = client
        .create(live.workflow(), far(1))
        .input(json!({"to": "ada@example.com", "attempt": 1, "tags": ["a", "b"]}))
        .metadata(key, tag)
        .metadata("env", "live")
        .priority(3)
        .send()
        .await
        .unwrap();
    assert_eq!(run.workflow_name, live.workflow());
    assert_eq!(run.tenant_id, live.tenant());
    assert_eq!(run.trigger_at, far(1));
    assert_eq!(
        run.input,
        *json!({"to": "ada@example.com", "attempt": 1, "tags": ["a", "b"]})
            .as_object()
            .unwrap()
    );
    assert_eq!(
        run.additional_metadata,
        *json!({key: tag, "env": "live"}).as_object().unwrap()
    );
    assert_eq!(run.priority, Some(3));
    assert_eq!(run.method, ScheduleMethod::Api);
    assert_eq!(run.status, ScheduledRunStatus::Scheduled);
    assert_eq!(run.workflow_run, None);
    assert_eq!(client.get(run.id).await.unwrap(), run);

    let moved = client.update(run.id, far(2)).await.unwrap();
    assert_eq!(moved.trigger_at, far(2));
    assert_eq!(client.get(run.id).await.unwrap(), moved);

    // Unset options: priority 1, input `{}`.
    let plain = client
        .create(live.workflow(), far(3))
        .metadata(key, tag)
        .send()
        .await
        .unwrap();
    assert_eq!((plain.priority, plain.input.is_empty()), (Some(1), true));

    client.delete(run.id).await.unwrap();
    client.delete(plain.id).await.unwrap();
    let gone = client.get(run.id).await.unwrap_err();
    assert!(matches!(gone, Error::NotFound(_)), "{gone:?}");
    assert_eq!(description(&gone), "scheduled workflow run not found");
    for error in [
        client.update(run.id, far(4)).await.unwrap_err(),
        client.delete(run.id).await.unwrap_err(),
        client.trigger_now(run.id).await.map(drop).unwrap_err(),
    ] {
        assert!(matches!(error, Error::NotFound(_)), "{error:?}");
        assert_eq!(description(&error), "scheduled workflow run not found");
    }
}

live_test!(scheduled_list);
async fn scheduled_list(live: &Live) {
    let client = live.client();
    let (key, tag) = live.tag();
    let a = schedule(live, &client, far(3), "a").await;
    let b = schedule(live, &client, far(1), "b").await;
    let c = schedule(live, &client, far(2), "a").await;
    let mine = || client.list().metadata(key, tag);

    let page = mine().send().await.unwrap();
    assert_eq!(
        ids(&page.items),
        [a.id, c.id, b.id],
        "trigger time, latest first"
    );
    assert_eq!(
        (page.offset, page.current_page, page.num_pages),
        (0, Some(1), Some(1))
    );
    assert!(!page.has_next());
    assert_eq!(page.items[0], a, "listed as created");

    let by = |field, direction| mine().order_by(field, direction).send();
    use ScheduledOrderField::{CreatedAt, TriggerAt};
    use SortDirection::{Asc, Desc};
    assert_eq!(
        ids(&by(TriggerAt, Asc).await.unwrap().items),
        [b.id, c.id, a.id]
    );
    assert_eq!(
        ids(&by(TriggerAt, Desc).await.unwrap().items),
        [a.id, c.id, b.id]
    );
    assert_eq!(
        ids(&by(CreatedAt, Asc).await.unwrap().items),
        [a.id, b.id, c.id]
    );
    assert_eq!(
        ids(&by(CreatedAt, Desc).await.unwrap().items),
        [c.id, b.id, a.id]
    );

    let env_a = mine().metadata("env", "a").send().await.unwrap();
    assert_eq!(ids(&env_a.items), [a.id, c.id]);
    let workflow = mine().workflow_id(a.workflow_id).send().await.unwrap();
    assert_eq!(workflow.items.len(), 3);
    let other_workflow = mine().workflow_id(Uuid::new_v4()).send().await.unwrap();
    assert!(other_workflow.items.is_empty());
    let scheduled = mine()
        .statuses([ScheduledRunStatus::Scheduled])
        .send()
        .await
        .unwrap();
    assert_eq!(scheduled.items.len(), 3);
    let finished = mine()
        .statuses([ScheduledRunStatus::Succeeded, ScheduledRunStatus::Failed])
        .send()
        .await
        .unwrap();
    assert!(finished.items.is_empty(), "no schedule is linked to a run");
    // Hatchet compares this filter with the schedule's own id.
    let parent = mine().parent_workflow_run_id(a.id).send().await.unwrap();
    assert_eq!(ids(&parent.items), [a.id]);
    let step = mine()
        .parent_step_run_id(Uuid::new_v4())
        .send()
        .await
        .unwrap();
    assert!(step.items.is_empty());

    let first = mine().limit(2).send().await.unwrap();
    assert_eq!(ids(&first.items), [a.id, c.id]);
    assert_eq!((first.current_page, first.num_pages), (Some(1), Some(2)));
    assert!(first.has_next());
    let second = mine()
        .limit(2)
        .offset(first.next_offset())
        .send()
        .await
        .unwrap();
    assert_eq!(ids(&second.items), [b.id]);
    assert_eq!((second.current_page, second.num_pages), (Some(2), Some(2)));
    assert!(!second.has_next());

    let streamed: Vec<ScheduledRun> = mine()
        .order_by(TriggerAt, Asc)
        .limit(1)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&streamed), [b.id, c.id, a.id], "three pages of one");
}

live_test!(scheduled_trigger_now);
async fn scheduled_trigger_now(live: &Live) {
    let client = live.client();
    let (key, tag) = live.tag();
    let run = client
        .create(live.workflow(), far(5))
        .input(json!({"now": true}))
        .metadata(key, tag)
        .send()
        .await
        .unwrap();
    let started = client.trigger_now(run.id).await.unwrap();
    assert_ne!(started, run.id);
    // What is left of the schedule afterwards: nothing.
    let error = client.get(run.id).await.unwrap_err();
    assert!(matches!(error, Error::NotFound(_)), "{error:?}");
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
    let again = client.trigger_now(run.id).await.unwrap_err();
    assert!(matches!(again, Error::NotFound(_)), "{again:?}");
}

live_test!(scheduled_bulk);
async fn scheduled_bulk(live: &Live) {
    let client = live.client();
    let (key, tag) = live.tag();
    let a = schedule(live, &client, far(1), "a").await;
    let b = schedule(live, &client, far(2), "b").await;
    let c = schedule(live, &client, far(3), "c").await;
    let unknown = Uuid::new_v4();

    let updated = client
        .bulk_update([(a.id, far(7)), (b.id, far(8)), (unknown, far(9))])
        .await
        .unwrap();
    assert_eq!(updated.updated, [a.id, b.id]);
    assert_eq!(updated.errors.len(), 1);
    assert_eq!(updated.errors[0].id, Some(unknown));
    assert_eq!(updated.errors[0].message, "Scheduled workflow not found.");
    assert_eq!(client.get(a.id).await.unwrap().trigger_at, far(7));

    let deleted = client.bulk_delete_ids([a.id, unknown]).await.unwrap();
    assert_eq!(deleted.deleted, [a.id]);
    assert_eq!(deleted.errors.len(), 1);
    assert_eq!(deleted.errors[0].id, Some(unknown));
    assert_eq!(
        deleted.errors[0].message,
        "Failed to delete scheduled workflow."
    );

    let matching = BulkDeleteFilter::default().metadata(key, tag);
    let deleted = client.bulk_delete_matching(matching).await.unwrap();
    assert_eq!(deleted.deleted, [b.id, c.id], "trigger time, latest first");
    assert!(deleted.errors.is_empty());
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
}
