//! Bulk delete and bulk update (`bulk_delete_scheduled.go`,
//! `bulk_update_scheduled.go`, their queries in `workflow_schedules.sql`).

use std::collections::HashSet;

use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::support::{Api, INTERNAL, future};

fn ids(values: &Value) -> HashSet<Uuid> {
    values
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().parse().unwrap())
        .collect()
}

const DEFAULT_NOT_DELETED: &str = "Cannot delete scheduled run created via code definition.";
const NOT_DELETED: &str = "Failed to delete scheduled workflow.";
const NOT_FOUND: &str = "Scheduled workflow not found.";
const NOT_UPDATED: &str = "Failed to update scheduled workflow.";

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
    for body in [
        json!({}),
        json!({"scheduledWorkflowRunIds": []}),
        json!({"scheduledWorkflowRunIds": null, "filter": null}),
    ] {
        api.post("scheduled/bulk-delete", body)
            .await
            .assert_errors(400, "Provide scheduledWorkflowRunIds or filter.");
    }
    api.send_bytes(Method::POST, "scheduled/bulk-delete", None, b"")
        .await
        .assert_errors(400, "Provide scheduledWorkflowRunIds or filter.");
}

#[tokio::test]
async fn empty_ids_with_a_filter_run_in_filter_mode() {
    let api = Api::start().await;
    let id = api.schedule_at(future(1), json!({})).await;
    api.post(
        "scheduled/bulk-delete",
        json!({"scheduledWorkflowRunIds": [], "filter": {}}),
    )
    .await
    .assert(200, json!({"deletedIds": [id], "errors": []}));
}

#[tokio::test]
async fn an_empty_filter_deletes_every_api_schedule_and_reports_code_defined_ones() {
    let api = Api::start().await;
    let a = api.schedule_at(future(1), json!({"env": "prod"})).await;
    let b = api.schedule_at(future(2), json!({})).await;
    let code = api.fake.insert_definition_schedule("nightly", future(3));
    let reply = api
        .post("scheduled/bulk-delete", json!({"filter": {}}))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let body = reply.json();
    assert_eq!(body["deletedIds"], json!([b, a]), "trigger time descending");
    assert_eq!(
        body["errors"],
        json!([{"id": code, "error": DEFAULT_NOT_DELETED}])
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
async fn an_empty_metadata_filter_skips_schedules_without_metadata() {
    // `{}` is contained in every object but not in a NULL column.
    let api = Api::start().await;
    let with = api.schedule_at(future(1), json!({})).await;
    let without = api.fake.insert_definition_schedule("nightly", future(2));
    api.post(
        "scheduled/bulk-delete",
        json!({"filter": {"additionalMetadata": []}}),
    )
    .await
    .assert(200, json!({"deletedIds": [with], "errors": []}));
    assert_eq!(api.fake.schedules()[0].id, without);
}

#[tokio::test]
async fn the_parent_workflow_run_filter_deletes_the_schedule_with_that_id() {
    // The same `t."id"` comparison as the listing: a server bug.
    let api = Api::start().await;
    let a = api.schedule_at(future(1), json!({})).await;
    let b = api.schedule_at(future(2), json!({})).await;
    api.post(
        "scheduled/bulk-delete",
        json!({"filter": {"parentWorkflowRunId": a}}),
    )
    .await
    .assert(200, json!({"deletedIds": [a], "errors": []}));
    assert_eq!(api.fake.schedules()[0].id, b);
}

#[tokio::test]
async fn ids_that_are_unknown_or_code_defined_are_per_item_errors() {
    let api = Api::start().await;
    let api_made = api.schedule_at(future(1), json!({})).await;
    let code = api.fake.insert_definition_schedule("nightly", future(2));
    let unknown = Uuid::new_v4();
    api.post(
        "scheduled/bulk-delete",
        json!({"scheduledWorkflowRunIds": [api_made, code, unknown, null]}),
    )
    .await
    .assert(
        200,
        json!({"deletedIds": [api_made], "errors": [
            {"id": code, "error": NOT_DELETED},
            {"id": unknown, "error": NOT_DELETED},
            {"id": Uuid::nil(), "error": NOT_DELETED},
        ]}),
    );
}

#[tokio::test]
async fn more_than_500_ids_are_accepted_and_deleted_in_chunks_of_200() {
    let api = Api::start().await;
    let id = api.schedule_at(future(1), json!({})).await;
    let mut many: Vec<Uuid> = (0..600).map(|_| Uuid::new_v4()).collect();
    // Twice in the first chunk: listed twice. Again in the second: already gone.
    many[0] = id;
    many[1] = id;
    many[250] = id;
    let reply = api
        .post(
            "scheduled/bulk-delete",
            json!({"scheduledWorkflowRunIds": many}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let body = reply.json();
    assert_eq!(body["deletedIds"], json!([id, id]));
    let errors = body["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 598);
    assert!(errors.contains(&json!({"id": id, "error": NOT_DELETED})));
}

#[tokio::test]
async fn bulk_update_moves_what_it_can_and_reports_the_rest() {
    let api = Api::start().await;
    let movable = api.schedule_at(future(1), json!({})).await;
    let code = api.fake.insert_definition_schedule("nightly", future(2));
    let unknown = Uuid::new_v4();
    let at = "2040-06-01T00:00:00+01:00";
    let updates: Vec<Value> = [movable, code, unknown]
        .iter()
        .map(|id| json!({"id": id, "triggerAt": at}))
        .collect();
    api.post("scheduled/bulk-update", json!({"updates": updates}))
        .await
        .assert(
            200,
            json!({"updatedIds": [movable], "errors": [
                {"id": unknown, "error": NOT_FOUND},
                {"id": code, "error": NOT_UPDATED},
            ]}),
        );
    let row = api.get(&format!("scheduled/{movable}")).await.json();
    assert_eq!(row["triggerAt"], "2040-06-01T00:00:00Z");
}

#[tokio::test]
async fn bulk_update_leaves_updated_at() {
    // BulkUpdateScheduledWorkflows sets only "triggerAt".
    let api = Api::start().await;
    let id = api.schedule_at(future(1), json!({})).await;
    let before = api.fake.schedules()[0].updated_at;
    api.fake.advance_time(std::time::Duration::from_secs(60));
    let reply = api
        .post(
            "scheduled/bulk-update",
            json!({"updates": [{"id": id, "triggerAt": "2040-03-01T00:00:00Z"}]}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(api.fake.schedules()[0].updated_at, before);
}

#[tokio::test]
async fn no_updates_is_an_empty_answer() {
    let api = Api::start().await;
    for body in [json!({"updates": []}), json!({}), json!({"updates": null})] {
        api.post("scheduled/bulk-update", body)
            .await
            .assert(200, json!({"errors": [], "updatedIds": []}));
    }
    api.send_bytes(Method::POST, "scheduled/bulk-update", None, b"")
        .await
        .assert(200, json!({"errors": [], "updatedIds": []}));
}

#[tokio::test]
async fn more_than_500_updates_are_accepted() {
    let api = Api::start().await;
    let id = api.schedule_at(future(1), json!({})).await;
    let mut updates: Vec<Value> = (0..600)
        .map(|_| json!({"id": Uuid::new_v4(), "triggerAt": "2040-01-01T00:00:00Z"}))
        .collect();
    updates[599] = json!({"id": id, "triggerAt": "2040-05-01T00:00:00Z"});
    let reply = api
        .post("scheduled/bulk-update", json!({"updates": updates}))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let body = reply.json();
    assert_eq!(body["updatedIds"], json!([id]));
    assert_eq!(body["errors"].as_array().unwrap().len(), 599);
    assert_eq!(ids(&body["updatedIds"]), HashSet::from([id]));
}

#[tokio::test]
async fn a_missing_time_fails_its_chunk_with_500_after_earlier_chunks_applied() {
    let api = Api::start().await;
    let early = api.schedule_at(future(1), json!({})).await;
    let late = api.schedule_at(future(2), json!({})).await;
    let mut updates: Vec<Value> = (0..250)
        .map(|_| json!({"id": Uuid::new_v4(), "triggerAt": "2040-01-01T00:00:00Z"}))
        .collect();
    updates[0] = json!({"id": early, "triggerAt": "2040-09-01T00:00:00Z"});
    updates[201] = json!({"id": late, "triggerAt": "2040-09-01T00:00:00Z"});
    updates[202] = json!({"id": late});
    api.post("scheduled/bulk-update", json!({"updates": updates}))
        .await
        .assert_message(500, INTERNAL);
    let times: Vec<_> = api
        .fake
        .schedules()
        .iter()
        .map(|s| (s.id, s.trigger_at))
        .collect();
    assert!(
        times.contains(&(early, "2040-09-01T00:00:00Z".parse().unwrap())),
        "chunk 1 applied"
    );
    assert!(times.contains(&(late, future(2))), "chunk 2 not applied");
}

#[tokio::test]
async fn a_missing_time_for_an_unknown_or_code_defined_schedule_is_no_error() {
    // Those never reach the UPDATE of an API-made row.
    let api = Api::start().await;
    let code = api.fake.insert_definition_schedule("nightly", future(1));
    api.post(
        "scheduled/bulk-update",
        json!({"updates": [{"id": code}, {"triggerAt": null}]}),
    )
    .await
    .assert(
        200,
        json!({"updatedIds": [], "errors": [
            {"id": Uuid::nil(), "error": NOT_FOUND},
            {"id": code, "error": NOT_UPDATED},
        ]}),
    );
}

#[tokio::test]
async fn bulk_bodies_are_bound_like_any_other() {
    let api = Api::start().await;
    for path in ["scheduled/bulk-delete", "scheduled/bulk-update"] {
        api.send_bytes(Method::POST, path, Some("text/plain"), b"{}")
            .await
            .assert_message(415, "Unsupported Media Type");
    }
    api.post(
        "scheduled/bulk-delete",
        json!({"scheduledWorkflowRunIds": ["nope"]}),
    )
    .await
    .assert_message(400, "invalid UUID length: 4");
    api.post("scheduled/bulk-update", json!({"updates": {}}))
        .await
        .assert_message(
            400,
            "Unmarshal type error: expected=[]gen.ScheduledWorkflowsBulkUpdateItem, got=object, field=updates",
        );
}
