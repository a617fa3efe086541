//! Creating schedules (`create_scheduled.go`, `CreateScheduledWorkflow` in
//! `pkg/repository/workflow_schedules.go`), and how bodies are read (echo's
//! binder, no contract validation).

use reqwest::Method;
use serde_json::{Value, json};

use crate::support::{Api, WORKFLOW};

const PATH: &str = "send-email/scheduled";

/// PostgreSQL's refusal of a NULL trigger time, as create answers it.
const NULL_TRIGGER_AT: &str = "ERROR: null value in column \"triggerAt\" of relation \
     \"WorkflowTriggerScheduledRef\" violates not-null constraint (SQLSTATE 23502)";

fn body(trigger_at: &str) -> Value {
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
async fn the_workflow_is_looked_up_before_priority_and_time_are_checked() {
    let api = Api::start().await;
    api.post("no-such-workflow/scheduled", json!({"priority": 5}))
        .await
        .assert_errors(400, "workflow not found");
    let mut request = body("2040-01-01T00:00:00Z");
    request["priority"] = json!(5);
    request["triggerAt"] = Value::Null;
    api.post(PATH, request)
        .await
        .assert_errors(400, &priority_message("max", 3));
}

#[tokio::test]
async fn a_created_row_has_every_field_the_transformer_writes() {
    let api = Api::start().await;
    let workflow_id = api.fake.register_workflow(WORKFLOW);
    let row = api
        .create("2040-01-01T08:30:00.120Z", json!({"env": "prod"}))
        .await;
    let id = row["metadata"]["id"].as_str().unwrap().to_owned();
    let created = row["metadata"]["createdAt"].as_str().unwrap().to_owned();
    assert_eq!(
        row,
        json!({
            "additionalMetadata": {"env": "prod"},
            "input": {"n": 1},
            "metadata": {"createdAt": created, "id": id, "updatedAt": created},
            "method": "API",
            "priority": 1,
            "tenantId": api.fake.tenant_id(),
            "triggerAt": "2040-01-01T08:30:00.12Z",
            "workflowId": workflow_id,
            "workflowName": WORKFLOW,
            "workflowRunCreatedAt": "0001-01-01T00:00:00Z",
            "workflowRunName": "",
            "workflowVersionId": row["workflowVersionId"],
        })
    );
    let at: chrono::DateTime<chrono::Utc> = created.parse().unwrap();
    assert!((at - api.fake.now()).num_seconds().abs() < 5);
    assert!(
        !created.ends_with("0Z"),
        "Go trims trailing zeros: {created}"
    );
}

#[tokio::test]
async fn input_and_metadata_may_be_left_out() {
    // Left out or null, they are stored as NULL: input reads back as {},
    // metadata as null.
    let api = Api::start().await;
    for request in [
        json!({"triggerAt": "2040-01-01T00:00:00Z"}),
        json!({"input": null, "additionalMetadata": null, "triggerAt": "2040-01-01T00:00:00Z"}),
    ] {
        let reply = api.post(PATH, request).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        let row = reply.json();
        assert_eq!(
            (&row["input"], &row["additionalMetadata"]),
            (&json!({}), &Value::Null)
        );
    }
    assert!(
        api.fake
            .schedules()
            .iter()
            .all(|s| s.additional_metadata.is_none())
    );
}

#[tokio::test]
async fn priority_must_be_one_to_three_with_hatchets_validation_message() {
    let api = Api::start().await;
    for priority in [1, 2, 3] {
        let mut request = body("2040-01-01T00:00:00Z");
        request["priority"] = json!(priority);
        let reply = api.post(PATH, request).await;
        assert_eq!(reply.status, 200);
        assert_eq!(reply.json()["priority"], priority);
    }
    for (priority, tag, bound) in [(0, "min", 1), (-1, "min", 1), (4, "max", 3)] {
        let mut request = body("2040-01-01T00:00:00Z");
        request["priority"] = json!(priority);
        api.post(PATH, request)
            .await
            .assert_errors(400, &priority_message(tag, bound));
    }
    let mut request = body("2040-01-01T00:00:00Z");
    request["priority"] = json!("2");
    api.post(PATH, request).await.assert_message(
        400,
        "Unmarshal type error: expected=int32, got=string, field=priority",
    );
    assert_eq!(api.fake.schedules().len(), 3);
}

#[tokio::test]
async fn a_missing_or_null_trigger_time_is_refused_by_the_database() {
    // Go decodes it as the zero time, stored as NULL (sqlchelpers).
    let api = Api::start().await;
    for request in [
        json!({"input": {}, "additionalMetadata": {}}),
        json!({"triggerAt": null}),
        json!({"triggerAt": "0001-01-01T00:00:00Z"}),
        Value::Null,
    ] {
        api.post(PATH, request)
            .await
            .assert_errors(400, NULL_TRIGGER_AT);
    }
    api.send_bytes(Method::POST, PATH, Some("text/plain"), b"")
        .await
        .assert_errors(400, NULL_TRIGGER_AT);
    assert!(api.fake.schedules().is_empty());
}

#[tokio::test]
async fn past_trigger_times_are_accepted() {
    let api = Api::start().await;
    let row = api.create("2001-02-03T04:05:06Z", json!({})).await;
    assert_eq!(row["triggerAt"], "2001-02-03T04:05:06Z");
}

#[tokio::test]
async fn trigger_times_lose_their_offset_and_keep_milliseconds() {
    // pgx writes a timestamp's wall clock; the column keeps milliseconds.
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
async fn a_body_that_is_not_json_is_415() {
    let api = Api::start().await;
    for content_type in [None, Some("text/plain"), Some("application/x-json")] {
        api.send_bytes(
            Method::POST,
            PATH,
            content_type,
            br#"{"triggerAt":"2040-01-01T00:00:00Z"}"#,
        )
        .await
        .assert_message(415, "Unsupported Media Type");
    }
    assert!(api.fake.schedules().is_empty());
}

#[tokio::test]
async fn undecodable_bodies_are_400_messages() {
    let api = Api::start().await;
    let json = Some("application/json");
    api.send_bytes(Method::POST, PATH, json, b"{\"triggerAt\":")
        .await
        .assert_message(400, "unexpected EOF");
    api.send_bytes(Method::POST, PATH, json, b"{nope")
        .await
        .assert_message_starts(400, "Syntax error: ");
    for (request, prefix) in [
        (json!({"triggerAt": "soon"}), "parsing time \"soon\""),
        (json!({"triggerAt": "2040-01-01t00:00:00z"}), "parsing time"),
        (
            json!({"triggerAt": 5}),
            "Time.UnmarshalJSON: input is not a JSON string",
        ),
        (
            json!({"input": [1]}),
            "Unmarshal type error: expected=map[string]interface {}, got=array, field=input",
        ),
        (
            json!([1, 2]),
            "Unmarshal type error: expected=gen.ScheduleWorkflowRunRequest, got=array",
        ),
    ] {
        api.post(PATH, request.clone())
            .await
            .assert_message_starts(400, prefix);
    }
    assert!(api.fake.schedules().is_empty());
}

#[tokio::test]
async fn unknown_fields_and_anything_after_the_first_value_are_ignored() {
    let api = Api::start().await;
    let reply = api
        .send_bytes(
            Method::POST,
            PATH,
            Some("application/json; charset=utf-8"),
            br#"{"triggerAt":"2040-01-01T00:00:00Z","unknown":[1]} trailing"#,
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
}

/// Hatchet's validator's text for a priority out of range, as a real
/// Hatchet answered it (live transcript `priority_out_of_range`).
fn priority_message(tag: &str, bound: u8) -> String {
    format!(
        "error 400: 1 error occurred:\n\t* validation failed on field \
         'CreateScheduledWorkflowRunForWorkflowOpts.Priority': on condition '{tag}' [ {bound} ]: \
         got invalid type\n\n"
    )
}
