//! Get, update, delete and trigger of one schedule.

use reqwest::Method;
use serde_json::json;
use uuid::Uuid;

use crate::support::{Api, future, id_of};

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
    let api = Api::start().await;
    for (method, body) in operations() {
        api.send(method.clone(), "scheduled/not-a-uuid", body.clone())
            .await
            .assert(400, json!({"message": "invalid scheduled workflow run id"}));
        api.send(method, &format!("scheduled/{}", Uuid::new_v4()), body)
            .await
            .assert(404, json!({"message": "scheduled workflow run not found"}));
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
async fn a_code_defined_schedule_cannot_be_updated_403() {
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
async fn update_moves_the_trigger_time() {
    let api = Api::start().await;
    let id = api.schedule_at(future(1), json!({})).await;
    api.fake.advance_time(std::time::Duration::from_secs(60));
    let reply = api
        .send(
            Method::PATCH,
            &format!("scheduled/{id}"),
            Some(json!({"triggerAt": "2040-02-01T12:00:00-05:00"})),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let row = reply.json();
    assert_eq!(row["triggerAt"], "2040-02-01T12:00:00Z", "offset dropped");
    assert_ne!(row["metadata"]["updatedAt"], row["metadata"]["createdAt"]);
}

#[tokio::test]
async fn an_already_triggered_schedule_cannot_be_updated_400() {
    let api = Api::start().await;
    let id = api.schedule_at(future(-400_000), json!({})).await;
    assert_eq!(api.fake.fire_due().len(), 1);
    api.send(
        Method::PATCH,
        &format!("scheduled/{id}"),
        Some(json!({"triggerAt": "2040-01-02T00:00:00Z"})),
    )
    .await
    .assert_errors(
        400,
        "Scheduled run has already been triggered and cannot be rescheduled.",
    );
}

#[tokio::test]
async fn trigger_answers_the_new_run_id_and_the_schedule_is_gone() {
    let api = Api::start().await;
    let id = api.schedule_at(future(1), json!({"k": "v"})).await;
    let reply = api
        .send(Method::POST, &format!("scheduled/{id}"), None)
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let body = reply.json();
    assert_eq!(body.as_object().unwrap().len(), 1, "{body}");
    let run_id: Uuid = body["externalId"].as_str().unwrap().parse().unwrap();
    assert_eq!(api.get(&format!("scheduled/{id}")).await.status, 404);
    let runs = api.fake.started_runs();
    assert_eq!((runs[0].run_id, runs[0].schedule_id), (run_id, id));
    assert_eq!(runs[0].additional_metadata["k"], "v");
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
