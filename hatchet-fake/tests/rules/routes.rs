//! Routing: which operation a request is, and what requests no route
//! serves are answered.

use hatchet_fake::{Fault, Operation};
use reqwest::Method;
use serde_json::json;

use crate::support::{Api, reply};

#[tokio::test]
async fn scheduled_paths_win_over_a_workflow_named_scheduled() {
    let api = Api::start().await;
    api.fake.register_workflow("scheduled");
    api.send(
        Method::POST,
        "scheduled/scheduled",
        Some(json!({"triggerAt": "2040-01-01T00:00:00Z"})),
    )
    .await
    .assert_message(400, "invalid scheduled workflow run id");
    assert_eq!(api.fake.requests(), [Operation::Trigger]);
    assert!(api.fake.schedules().is_empty(), "nothing was created");
}

#[tokio::test]
async fn unknown_paths_and_methods_are_the_routers_empty_404_and_405() {
    let api = Api::start().await;
    api.fake.fail_next(Fault::status(500));
    for (method, path, status) in [
        (Method::GET, "", 404),
        (Method::GET, "scheduled/a/b", 404),
        (Method::GET, "scheduled/bulk-delete", 405),
        (Method::PUT, "scheduled/x", 405),
        (Method::DELETE, "scheduled", 405),
    ] {
        let answer = api.send(method.clone(), path, None).await;
        assert_eq!(answer.status, status, "{method} {path}");
        assert_eq!(answer.text, "", "{method} {path}");
    }
    assert!(api.fake.requests().is_empty(), "no operation was requested");
    assert_eq!(api.get("scheduled").await.status, 500, "the fault waited");
}

#[tokio::test]
async fn every_request_a_route_serves_passes_the_gate() {
    let api = Api::start().await;
    let head = reply(api.http.head(api.url("scheduled")).send().await.unwrap()).await;
    assert_eq!(head.status, 403, "a HEAD is served as a list");
    let empty_workflow = api.http.post(api.url("/scheduled")).send().await.unwrap();
    reply(empty_workflow)
        .await
        .assert_message(403, "Please provide valid credentials");
    assert_eq!(api.fake.requests(), [Operation::List, Operation::Create]);
}
