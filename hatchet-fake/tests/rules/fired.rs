//! Firing deletes the schedule: `RunScheduledWorkflow`
//! (`internal/services/ticker/schedule_workflow_v1.go`) starts the run, then
//! calls `DeleteScheduledWorkflow`, for the ticker and for trigger-now alike.
//! Afterwards every operation naming the schedule finds nothing.

use hatchet_fake::StartedBy;
use reqwest::Method;
use serde_json::json;
use uuid::Uuid;

use crate::support::{Api, future};

/// Asserts that nothing but `started_runs` knows `id` any more.
async fn assert_gone(api: &Api, id: Uuid) {
    let path = format!("scheduled/{id}");
    for (method, body) in [
        (Method::GET, None),
        (
            Method::PATCH,
            Some(json!({"triggerAt": "2040-01-02T00:00:00Z"})),
        ),
        (Method::DELETE, None),
        (Method::POST, None),
    ] {
        api.send(method, &path, body)
            .await
            .assert_message(404, "scheduled workflow run not found");
    }
    for query in [
        "",
        "statuses=SCHEDULED",
        "statuses=PENDING&statuses=RUNNING&statuses=SUCCEEDED&statuses=FAILED&statuses=CANCELLED&statuses=QUEUED&statuses=BACKOFF",
    ] {
        assert!(!api.list_ids(query).await.contains(&id), "{query}");
    }
    api.post(
        "scheduled/bulk-delete",
        json!({"scheduledWorkflowRunIds": [id]}),
    )
    .await
    .assert(
        200,
        json!({"deletedIds": [], "errors": [{"id": id, "error": "Failed to delete scheduled workflow."}]}),
    );
    api.post(
        "scheduled/bulk-update",
        json!({"updates": [{"id": id, "triggerAt": "2040-01-02T00:00:00Z"}]}),
    )
    .await
    .assert(
        200,
        json!({"updatedIds": [], "errors": [{"id": id, "error": "Scheduled workflow not found."}]}),
    );
}

#[tokio::test]
async fn a_schedule_fired_by_the_clock_is_gone() {
    let api = Api::start().await;
    let start = api.fake.now();
    let id = api
        .schedule_at(start + chrono::Duration::hours(1), json!({}))
        .await;
    let waiting = api.schedule_at(future(1), json!({})).await;
    api.fake
        .advance_time(std::time::Duration::from_secs(2 * 3600));
    let fired = api.fake.fire_due();
    assert_eq!(fired.len(), 1);
    assert_eq!(fired[0].started_by, StartedBy::Schedule(id));

    assert_gone(&api, id).await;
    assert_eq!(api.list_ids("").await, [waiting]);
    assert_eq!(api.fake.started_runs(), fired, "no second run");
}

#[tokio::test]
async fn a_schedule_triggered_now_is_gone() {
    let api = Api::start().await;
    let id = api.schedule_at(future(1), json!({})).await;
    let reply = api
        .send(Method::POST, &format!("scheduled/{id}"), None)
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);

    assert_gone(&api, id).await;
    assert_eq!(api.fake.started_runs().len(), 1, "no second run");
    assert!(api.fake.fire_due().is_empty());
}

#[tokio::test]
async fn code_defined_schedules_are_deleted_when_they_fire_too() {
    let api = Api::start().await;
    let id = api
        .fake
        .insert_definition_schedule("nightly", api.fake.now() - chrono::Duration::minutes(1));
    assert_eq!(api.fake.fire_due()[0].started_by, StartedBy::Schedule(id));
    assert!(api.fake.schedules().is_empty());
    api.get(&format!("scheduled/{id}"))
        .await
        .assert_message(404, "scheduled workflow run not found");
}
