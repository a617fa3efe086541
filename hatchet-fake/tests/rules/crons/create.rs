//! Creating crons (`create_cron.go`, `CreateCronWorkflow` in
//! `pkg/repository/workflow_schedules.go`, the insert's constraints), rows
//! as `ToCronWorkflowsFromSQLC` (`transformers/workflow_run.go`) writes
//! them, and bodies bound as for any handler.

use chrono::{DateTime, Utc};
use reqwest::Method;
use serde_json::{Value, json};

use super::{CREATE, body, create, path};
use crate::support::{Api, WORKFLOW};

const NOT_CREATED: &str = "error creating cron trigger";
const DUPLICATE: &str = "cron trigger with that name-expression pair already exists";

#[tokio::test]
async fn a_created_row_has_every_field_the_transformer_writes() {
    let api = Api::start().await;
    let workflow_id = api.fake.register_workflow(WORKFLOW);
    let row = create(&api, body("nightly", "0 2 * * *")).await;
    let id = row["metadata"]["id"].as_str().unwrap().to_owned();
    let created = row["metadata"]["createdAt"].as_str().unwrap().to_owned();
    assert_eq!(
        row,
        json!({
            "additionalMetadata": {"env": "prod"},
            "cron": "0 2 * * *",
            "enabled": true,
            "input": {"to": "ada"},
            "metadata": {"createdAt": created, "id": id, "updatedAt": created},
            "method": "API",
            "name": "nightly",
            "priority": 1,
            "tenantId": api.fake.tenant_id(),
            "workflowId": workflow_id,
            "workflowName": WORKFLOW,
            "workflowVersionId": row["workflowVersionId"],
        })
    );
    let at: DateTime<Utc> = created.parse().unwrap();
    assert!((at - api.fake.now()).num_seconds().abs() < 5);
    assert!(
        !created.ends_with("0Z"),
        "Go trims trailing zeros: {created}"
    );
    let version: uuid::Uuid = row["workflowVersionId"].as_str().unwrap().parse().unwrap();
    assert_eq!(api.fake.crons()[0].workflow_version_id, version);
}

#[tokio::test]
async fn an_empty_cron_name_is_refused_first() {
    // Checked before the workflow is looked up.
    let api = Api::start().await;
    for request in [
        json!({"cronName": "", "cronExpression": "0 * * * *"}),
        json!({"cronName": null, "cronExpression": "0 * * * *"}),
        json!({"cronExpression": "0 * * * *"}),
        Value::Null,
    ] {
        api.post(CREATE, request.clone())
            .await
            .assert_errors(400, "cron name is required");
        api.post("no-such-workflow/crons", request)
            .await
            .assert_errors(400, "cron name is required");
    }
    api.send_bytes(Method::POST, CREATE, None, b"")
        .await
        .assert_errors(400, "cron name is required");
    assert!(api.fake.crons().is_empty());
}

#[tokio::test]
async fn an_unknown_workflow_is_a_400_workflow_not_found() {
    let api = Api::start().await;
    let mut request = body("nightly", "not a cron");
    request["priority"] = json!(9);
    api.post("no-such-workflow/crons", request)
        .await
        .assert_errors(400, "workflow not found");
    assert!(api.fake.crons().is_empty());
}

#[tokio::test]
async fn bodies_are_bound_like_any_other() {
    // echo's binder: 415 for a body that is not JSON, 400 messages for
    // what Go cannot decode.
    let api = Api::start().await;
    api.send_bytes(Method::POST, CREATE, Some("text/plain"), b"{}")
        .await
        .assert_message(415, "Unsupported Media Type");
    api.send_bytes(
        Method::POST,
        CREATE,
        Some("application/json"),
        b"{\"cronName\":",
    )
    .await
    .assert_message(400, "unexpected EOF");
    for (request, message) in [
        (
            json!({"cronName": 5}),
            "Unmarshal type error: expected=string, got=number 5, field=cronName",
        ),
        (
            json!({"cronName": "n", "cronExpression": ["* * * * *"]}),
            "Unmarshal type error: expected=string, got=array, field=cronExpression",
        ),
        (
            json!({"cronName": "n", "priority": "2"}),
            "Unmarshal type error: expected=int32, got=string, field=priority",
        ),
        (
            json!({"cronName": "n", "input": "x"}),
            "Unmarshal type error: expected=map[string]interface {}, got=string, field=input",
        ),
    ] {
        api.post(CREATE, request).await.assert_message(400, message);
    }
    assert!(api.fake.crons().is_empty());
}

#[tokio::test]
async fn metadata_left_out_is_null_and_empty_metadata_stays_empty() {
    // Missing or null, input and metadata are stored as NULL: input reads
    // back as {}, metadata as null. {} is stored as {}.
    let api = Api::start().await;
    let bare = create(
        &api,
        json!({"cronName": "a", "cronExpression": "0 * * * *"}),
    )
    .await;
    assert_eq!(
        (&bare["input"], &bare["additionalMetadata"]),
        (&json!({}), &Value::Null)
    );
    let nulls = create(
        &api,
        json!({"cronName": "b", "cronExpression": "0 * * * *", "input": null, "additionalMetadata": null}),
    )
    .await;
    assert_eq!(nulls["additionalMetadata"], Value::Null);
    let empty = create(
        &api,
        json!({"cronName": "c", "cronExpression": "0 * * * *", "input": {}, "additionalMetadata": {}}),
    )
    .await;
    assert_eq!(
        (&empty["input"], &empty["additionalMetadata"]),
        (&json!({}), &json!({}))
    );
    // By name: crons created within one tick of the clock come in id order.
    let mut stored: Vec<_> = api
        .fake
        .crons()
        .into_iter()
        .map(|c| (c.name, c.additional_metadata))
        .collect();
    stored.sort_by(|a, b| a.0.cmp(&b.0));
    let named = |name: &str, metadata| (Some(name.to_owned()), metadata);
    assert_eq!(
        stored,
        [
            named("a", None),
            named("b", None),
            named("c", Some(serde_json::Map::new()))
        ]
    );
}

#[tokio::test]
async fn expressions_are_stored_unchecked() {
    // CreateCronWorkflow never runs the validator its options are tagged
    // with: whatever text is sent is stored (the ticker deals with it, see
    // fired.rs).
    let api = Api::start().await;
    let expressions = [
        "not a cron",
        "61 * * * *",
        "@daily",
        "",
        "CRON_TZ=Nowhere/Atlantis 0 9 * * *",
    ];
    for (i, expression) in expressions.into_iter().enumerate() {
        let row = create(&api, body(&format!("cron-{i}"), expression)).await;
        assert_eq!(row["cron"], expression);
    }
    assert_eq!(api.fake.crons().len(), 5);
}

#[tokio::test]
async fn priority_defaults_to_1_and_the_database_allows_1_to_4() {
    // No validator checks a cron's priority; the table's check constraint
    // allows 1..=4, and any other database refusal is "error creating cron
    // trigger".
    let api = Api::start().await;
    for priority in [1, 2, 3, 4] {
        let mut request = body(&format!("p{priority}"), "0 * * * *");
        request["priority"] = json!(priority);
        assert_eq!(create(&api, request).await["priority"], priority);
    }
    for priority in [0, -1, 5, i64::from(i32::MAX)] {
        let mut request = body("refused", "0 * * * *");
        request["priority"] = json!(priority);
        api.post(CREATE, request)
            .await
            .assert_errors(400, NOT_CREATED);
    }
    assert_eq!(api.fake.crons().len(), 4);
}

#[tokio::test]
async fn a_name_and_expression_pair_is_unique_per_workflow() {
    // The unique constraint on (parentId, cron, name): the workflow
    // version's triggers, the expression as written, the name.
    let api = Api::start().await;
    api.fake.register_workflow("other");
    create(&api, body("nightly", "0 2 * * *")).await;
    api.post(CREATE, body("nightly", "0 2 * * *"))
        .await
        .assert_errors(400, DUPLICATE);
    create(&api, body("nightly", "0 3 * * *")).await;
    create(&api, body("nightly", "0  2 * * *")).await;
    create(&api, body("weekly", "0 2 * * *")).await;
    let other = api.post("other/crons", body("nightly", "0 2 * * *")).await;
    assert_eq!(other.status, 200, "{}", other.text);
    assert_eq!(api.fake.crons().len(), 5);
}

#[tokio::test]
async fn the_priority_check_comes_before_the_unique_constraint() {
    let api = Api::start().await;
    create(&api, body("nightly", "0 2 * * *")).await;
    let mut request = body("nightly", "0 2 * * *");
    request["priority"] = json!(5);
    api.post(CREATE, request)
        .await
        .assert_errors(400, NOT_CREATED);
}

#[tokio::test]
async fn a_code_defined_cron_reads_without_name_or_metadata() {
    let api = Api::start().await;
    let id = api.fake.insert_definition_cron(WORKFLOW, "0 2 * * *");
    let row = api.get(&path(id)).await.json();
    assert_eq!(
        (&row["name"], &row["additionalMetadata"], &row["input"]),
        (&json!(""), &Value::Null, &json!({}))
    );
    assert_eq!(
        (&row["method"], &row["priority"], &row["enabled"]),
        (&json!("DEFAULT"), &json!(1), &json!(true))
    );
    // Its name is NULL, which the unique constraint never equates.
    create(&api, body("nightly", "0 2 * * *")).await;
    assert_eq!(api.fake.crons().len(), 2);
}
