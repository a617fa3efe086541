//! Creating schedules.

use chrono::{DateTime, Utc};
use serde_json::json;

use crate::support::{Api, WORKFLOW};

fn body(trigger_at: &str) -> serde_json::Value {
    json!({"input": {"to": "ada"}, "additionalMetadata": {"env": "prod"}, "triggerAt": trigger_at})
}

#[tokio::test]
async fn an_unknown_workflow_is_a_400_workflow_not_found() {
    let api = Api::start().await;
    let reply = api
        .post("no-such-workflow/scheduled", body("2040-01-01T00:00:00Z"))
        .await;
    reply.assert_errors(400, "workflow not found");
    assert!(api.fake.schedules().is_empty());
}

#[tokio::test]
async fn a_created_row_has_the_api_method_and_every_field() {
    let api = Api::start().await;
    let workflow_id = api.fake.register_workflow(WORKFLOW);
    let row = api
        .create("2040-01-01T08:30:00Z", json!({"env": "prod"}))
        .await;
    assert_eq!(row["method"], "API");
    assert_eq!(row["priority"], 1, "priority defaults to 1");
    assert_eq!(row["workflowName"], WORKFLOW);
    assert_eq!(row["workflowId"], workflow_id.to_string());
    assert_eq!(row["tenantId"], api.fake.tenant_id().to_string());
    assert!(row["workflowVersionId"].as_str().unwrap().len() == 36);
    assert_eq!(row["triggerAt"], "2040-01-01T08:30:00Z");
    assert_eq!(row["input"], json!({"n": 1}));
    assert_eq!(row["additionalMetadata"], json!({"env": "prod"}));
    assert!(row.get("workflowRunId").is_none());
    let created: DateTime<Utc> = row["metadata"]["createdAt"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((created - api.fake.now()).num_seconds().abs() < 5);
}

#[tokio::test]
async fn priority_must_be_one_to_three() {
    let api = Api::start().await;
    for priority in [1, 2, 3] {
        let mut request = body("2040-01-01T00:00:00Z");
        request["priority"] = json!(priority);
        let reply = api.post(&format!("{WORKFLOW}/scheduled"), request).await;
        assert_eq!(reply.status, 200);
        assert_eq!(reply.json()["priority"], priority);
    }
    for priority in [json!(0), json!(4), json!(-1), json!("2")] {
        let mut request = body("2040-01-01T00:00:00Z");
        request["priority"] = priority.clone();
        let reply = api.post(&format!("{WORKFLOW}/scheduled"), request).await;
        assert_eq!(reply.status, 400, "{priority}");
        assert_eq!(reply.json()["errors"][0]["field"], "priority");
    }
    assert_eq!(api.fake.schedules().len(), 3);
}

#[tokio::test]
async fn past_trigger_times_are_accepted() {
    let api = Api::start().await;
    let row = api.create("2001-02-03T04:05:06Z", json!({})).await;
    assert_eq!(row["triggerAt"], "2001-02-03T04:05:06Z");
}

#[tokio::test]
async fn trigger_times_lose_their_offset_and_keep_milliseconds() {
    let api = Api::start().await;
    let row = api.create("2040-01-01T10:00:00+02:00", json!({})).await;
    assert_eq!(
        row["triggerAt"], "2040-01-01T10:00:00Z",
        "the wall clock is kept, the offset dropped"
    );
    let row = api
        .create("2040-01-01T10:00:00.123456789Z", json!({}))
        .await;
    assert_eq!(row["triggerAt"], "2040-01-01T10:00:00.123Z");
}

#[tokio::test]
async fn malformed_bodies_are_400s() {
    let api = Api::start().await;
    let path = format!("{WORKFLOW}/scheduled");
    for request in [
        json!({"input": {}, "triggerAt": "2040-01-01T00:00:00Z"}),
        json!({"input": {}, "additionalMetadata": {}}),
        json!({"input": {}, "additionalMetadata": {}, "triggerAt": "soon"}),
        json!({"input": [1], "additionalMetadata": {}, "triggerAt": "2040-01-01T00:00:00Z"}),
        json!([1, 2]),
    ] {
        let reply = api.post(&path, request.clone()).await;
        assert_eq!(reply.status, 400, "{request}");
        assert!(reply.json()["errors"][0]["description"].is_string());
    }
    assert!(api.fake.schedules().is_empty());
}
