//! Get, update, delete and trigger of one schedule (`get_scheduled.go`,
//! `update_scheduled.go`, `delete_scheduled.go`, `trigger_scheduled.go`).

use hatchet_fake::StartedBy;
use reqwest::Method;
use serde_json::json;
use uuid::Uuid;

use crate::support::{Api, INTERNAL, future, id_of};

/// Every single-schedule operation, with a body where it needs one.
fn operations() -> [(Method, Option<serde_json::Value>); 4] {
    [
        (Method::GET, None),
        (
            Method::PATCH,
            Some(json!({"triggerAt": "2040-01-01T00:00:00Z"})),
        ),
        (Method::DELETE, None),
        (Method::POST, None),
    ]
}

#[tokio::test]
async fn a_malformed_id_is_400_and_an_unknown_one_404() {
    // api/v1/server/run/run.go, the "scheduled-workflow-run" getter.
    let api = Api::start().await;
    for (method, body) in operations() {
        api.send(method.clone(), "scheduled/not-a-uuid", body.clone())
            .await
            .assert_message(400, "invalid scheduled workflow run id");
        api.send(method, &format!("scheduled/{}", Uuid::new_v4()), body)
            .await
            .assert_message(404, "scheduled workflow run not found");
    }
}

#[tokio::test]
async fn ids_are_parsed_as_leniently_as_uuid_parse() {
    // run.go parses path ids with google/uuid's Parse.
    let api = Api::start().await;
    let id = api.schedule_at(future(1), json!({})).await;
    for spelling in [
        id.to_string().to_uppercase(),
        format!("x{id}y"),
        format!("urn:uuid:{id}"),
        id.simple().to_string(),
    ] {
        let reply = api.get(&format!("scheduled/{spelling}")).await;
        assert_eq!(reply.status, 200, "{spelling}: {}", reply.text);
        assert_eq!(id_of(&reply.json()), id);
    }
}

#[tokio::test]
async fn get_answers_the_row() {
    let api = Api::start().await;
    let created = api.create("2040-01-01T00:00:00Z", json!({"k": "v"})).await;
    let reply = api.get(&format!("scheduled/{}", id_of(&created))).await;
    reply.assert(200, created);
}

#[tokio::test]
async fn delete_answers_204_and_the_row_is_gone() {
    let api = Api::start().await;
    let id = api.schedule_at(future(1), json!({})).await;
    let reply = api
        .send(Method::DELETE, &format!("scheduled/{id}"), None)
        .await;
    assert_eq!(reply.status, 204);
    assert_eq!(reply.text, "");
    assert_eq!(api.get(&format!("scheduled/{id}")).await.status, 404);
}

#[tokio::test]
async fn a_code_defined_schedule_cannot_be_deleted_403_bare_description() {
    // delete_scheduled.go answers a bare APIError, update_scheduled.go APIErrors.
    let api = Api::start().await;
    let id = api.fake.insert_definition_schedule("nightly", future(1));
    api.send(Method::DELETE, &format!("scheduled/{id}"), None)
        .await
        .assert(
            403,
            json!({"description": "Cannot delete scheduled run created via code definition."}),
        );
    let row = api.get(&format!("scheduled/{id}")).await.json();
    assert_eq!(row["method"], "DEFAULT");
}

#[tokio::test]
async fn a_code_defined_schedule_cannot_be_updated_403_errors() {
    let api = Api::start().await;
    let id = api.fake.insert_definition_schedule("nightly", future(1));
    api.send(
        Method::PATCH,
        &format!("scheduled/{id}"),
        Some(json!({"triggerAt": "2040-01-02T00:00:00Z"})),
    )
    .await
    .assert_errors(
        403,
        "Cannot update scheduled run created via code definition.",
    );
}

#[tokio::test]
async fn update_moves_the_trigger_time_and_leaves_updated_at() {
    // UpdateScheduledWorkflow (workflow_schedules.sql) sets only "triggerAt".
    let api = Api::start().await;
    let created = api.create("2040-01-01T00:00:00Z", json!({})).await;
    let id = id_of(&created);
    api.fake.advance_time(std::time::Duration::from_secs(60));
    let reply = api
        .send(
            Method::PATCH,
            &format!("scheduled/{id}"),
            Some(json!({"triggerAt": "2040-02-01T12:00:00.5-05:00"})),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let row = reply.json();
    assert_eq!(row["triggerAt"], "2040-02-01T12:00:00.5Z", "offset dropped");
    assert_eq!(row["metadata"], created["metadata"], "updatedAt unchanged");
}

#[tokio::test]
async fn update_without_a_trigger_time_is_500() {
    // Go's zero time is stored as NULL, which the column refuses; the
    // handler returns the error, which echo answers 500.
    let api = Api::start().await;
    let id = api.schedule_at(future(1), json!({})).await;
    for body in [
        json!({}),
        json!({"triggerAt": null}),
        json!({"triggerAt": "0001-01-01T00:00:00Z"}),
    ] {
        api.send(Method::PATCH, &format!("scheduled/{id}"), Some(body))
            .await
            .assert_message(500, INTERNAL);
    }
    let empty = api
        .send_bytes(Method::PATCH, &format!("scheduled/{id}"), None, b"")
        .await;
    empty.assert_message(500, INTERNAL);
    assert_eq!(api.fake.schedules()[0].trigger_at, future(1));
}

#[tokio::test]
async fn the_body_is_read_before_the_method_is_checked() {
    // The strict handler binds the body before the handler's own checks.
    let api = Api::start().await;
    let id = api.fake.insert_definition_schedule("nightly", future(1));
    api.send(
        Method::PATCH,
        &format!("scheduled/{id}"),
        Some(json!({"triggerAt": "soon"})),
    )
    .await
    .assert_message_starts(400, "parsing time \"soon\"");
}

#[tokio::test]
async fn trigger_answers_the_new_run_id_and_the_schedule_is_gone() {
    // internal/services/ticker/schedule_workflow_v1.go: RunScheduledWorkflow
    // starts the run, then deletes the schedule.
    let api = Api::start().await;
    let id = api.schedule_at(future(1), json!({"k": "v"})).await;
    let path = format!("scheduled/{id}");
    let reply = api.send(Method::POST, &path, None).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let body = reply.json();
    assert_eq!(body.as_object().unwrap().len(), 1, "{body}");
    let run_id: Uuid = body["externalId"].as_str().unwrap().parse().unwrap();
    let runs = api.fake.started_runs();
    assert_eq!(
        (runs[0].run_id, runs[0].started_by),
        (run_id, StartedBy::Schedule(id))
    );
    assert_eq!(runs[0].additional_metadata["k"], "v");

    api.send(Method::POST, &path, None)
        .await
        .assert_message(404, "scheduled workflow run not found");
    assert_eq!(api.fake.started_runs().len(), 1, "never a second run");
}

#[tokio::test]
async fn a_code_defined_schedule_can_be_triggered() {
    let api = Api::start().await;
    let id = api.fake.insert_definition_schedule("nightly", future(1));
    let reply = api
        .send(Method::POST, &format!("scheduled/{id}"), None)
        .await;
    assert_eq!(reply.status, 200);
    assert!(api.fake.schedules().is_empty());
}
