//! Bulk delete and bulk update.

use std::collections::HashSet;

use serde_json::{Value, json};
use uuid::Uuid;

use crate::support::{Api, future};

fn ids(values: &Value) -> HashSet<Uuid> {
    values
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().parse().unwrap())
        .collect()
}

#[tokio::test]
async fn ids_and_filter_together_are_400() {
    let api = Api::start().await;
    let id = api.schedule_at(future(1), json!({})).await;
    api.post(
        "scheduled/bulk-delete",
        json!({"scheduledWorkflowRunIds": [id], "filter": {}}),
    )
    .await
    .assert_errors(
        400,
        "Provide either scheduledWorkflowRunIds or filter, not both.",
    );
    assert_eq!(api.fake.schedules().len(), 1);
}

#[tokio::test]
async fn neither_ids_nor_filter_is_400() {
    let api = Api::start().await;
    api.post("scheduled/bulk-delete", json!({}))
        .await
        .assert_errors(400, "Provide scheduledWorkflowRunIds or filter.");
}

#[tokio::test]
async fn an_empty_filter_deletes_every_api_schedule_and_reports_code_defined_ones() {
    let api = Api::start().await;
    let a = api.schedule_at(future(1), json!({"env": "prod"})).await;
    let b = api.schedule_at(future(2), json!({})).await;
    let fired = api.schedule_at(future(-400_000), json!({})).await;
    api.fake.fire_due();
    let code = api.fake.insert_definition_schedule("nightly", future(3));
    let reply = api
        .post("scheduled/bulk-delete", json!({"filter": {}}))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let body = reply.json();
    assert_eq!(ids(&body["deletedIds"]), HashSet::from([a, b, fired]));
    assert_eq!(
        body["errors"],
        json!([{"id": code, "error": "Cannot delete scheduled run created via code definition."}])
    );
    assert_eq!(api.fake.schedules().len(), 1);
}

#[tokio::test]
async fn a_filter_deletes_only_what_it_matches_even_nothing() {
    let api = Api::start().await;
    let prod = api
        .schedule_at(future(1), json!({"env": "prod", "team": "core"}))
        .await;
    let dev = api.schedule_at(future(2), json!({"env": "dev"})).await;
    let filter = |metadata: Value| json!({"filter": {"additionalMetadata": metadata}});
    api.post(
        "scheduled/bulk-delete",
        filter(json!(["env:prod", "team:core"])),
    )
    .await
    .assert(200, json!({"deletedIds": [prod], "errors": []}));
    api.post("scheduled/bulk-delete", filter(json!(["env:staging"])))
        .await
        .assert(200, json!({"deletedIds": [], "errors": []}));
    api.post("scheduled/bulk-delete", filter(json!(["env"])))
        .await
        .assert_errors(
            400,
            "Additional metadata filters must be in the format key:value.",
        );
    let workflow = api.fake.register_workflow("send-email");
    api.post(
        "scheduled/bulk-delete",
        json!({"filter": {"workflowId": workflow}}),
    )
    .await
    .assert(200, json!({"deletedIds": [dev], "errors": []}));
}

#[tokio::test]
async fn ids_that_are_unknown_or_code_defined_are_per_item_errors() {
    let api = Api::start().await;
    let api_made = api.schedule_at(future(1), json!({})).await;
    let code = api.fake.insert_definition_schedule("nightly", future(2));
    let unknown = Uuid::new_v4();
    api.post(
        "scheduled/bulk-delete",
        json!({"scheduledWorkflowRunIds": [api_made, code, unknown]}),
    )
    .await
    .assert(
        200,
        json!({"deletedIds": [api_made], "errors": [
            {"id": code, "error": "Failed to delete scheduled workflow."},
            {"id": unknown, "error": "Failed to delete scheduled workflow."},
        ]}),
    );
}

#[tokio::test]
async fn bulk_requests_carry_1_to_500_items() {
    let api = Api::start().await;
    let many: Vec<Uuid> = (0..501).map(|_| Uuid::new_v4()).collect();
    for body in [
        json!({"scheduledWorkflowRunIds": []}),
        json!({"scheduledWorkflowRunIds": many}),
    ] {
        assert_eq!(api.post("scheduled/bulk-delete", body).await.status, 400);
    }
    let updates: Vec<Value> = many
        .iter()
        .map(|id| json!({"id": id, "triggerAt": "2040-01-01T00:00:00Z"}))
        .collect();
    for body in [
        json!({"updates": []}),
        json!({"updates": updates}),
        json!({}),
    ] {
        assert_eq!(api.post("scheduled/bulk-update", body).await.status, 400);
    }
}

#[tokio::test]
async fn bulk_update_moves_what_it_can_and_reports_the_rest() {
    let api = Api::start().await;
    let movable = api.schedule_at(future(1), json!({})).await;
    let fired = api.schedule_at(future(-400_000), json!({})).await;
    api.fake.fire_due();
    let code = api.fake.insert_definition_schedule("nightly", future(2));
    let unknown = Uuid::new_v4();
    let at = "2040-06-01T00:00:00+01:00";
    let updates: Vec<Value> = [movable, fired, code, unknown]
        .iter()
        .map(|id| json!({"id": id, "triggerAt": at}))
        .collect();
    api.post("scheduled/bulk-update", json!({"updates": updates}))
        .await
        .assert(
            200,
            json!({"updatedIds": [movable], "errors": [
                {"id": fired, "error": "Scheduled run has already been triggered and cannot be rescheduled."},
                {"id": unknown, "error": "Scheduled workflow not found."},
                {"id": code, "error": "Failed to update scheduled workflow."},
            ]}),
        );
    let row = api.get(&format!("scheduled/{movable}")).await.json();
    assert_eq!(row["triggerAt"], "2040-06-01T00:00:00Z");
}
