//! Get, pause and resume, delete and trigger now of one cron
//! (`get_cron.go`, `update_cron.go`, `delete_cron.go`, `trigger_cron.go`).

use hatchet_fake::{CRON_EXPRESSION_KEY, CRON_NAME_KEY, CRON_SCHEDULED_AT_KEY, StartedBy};
use std::time::Duration;

use reqwest::Method;
use serde_json::json;
use uuid::Uuid;

use super::{body, create, cron_with, list_ids, path};
use crate::support::{Api, INTERNAL, id_of};

#[tokio::test]
async fn get_answers_the_created_row() {
    let api = Api::start().await;
    let row = create(&api, body("nightly", "0 2 * * *")).await;
    api.get(&path(id_of(&row))).await.assert(200, row);
}

#[tokio::test]
async fn pausing_and_resuming_answer_204_and_change_only_enabled() {
    // UpdateCronTrigger sets only "enabled".
    let api = Api::start().await;
    let row = create(&api, body("nightly", "0 2 * * *")).await;
    let id = id_of(&row);
    api.fake.advance_time(Duration::from_secs(60));
    for enabled in [false, true, false] {
        let answer = api
            .send(Method::PATCH, &path(id), Some(json!({"enabled": enabled})))
            .await;
        assert_eq!((answer.status.as_u16(), answer.text.as_str()), (204, ""));
        let mut expected = row.clone();
        expected["enabled"] = json!(enabled);
        api.get(&path(id)).await.assert(200, expected);
    }
}

#[tokio::test]
async fn an_update_without_enabled_changes_nothing() {
    let api = Api::start().await;
    let id = cron_with(&api, "nightly", json!({})).await;
    api.send(Method::PATCH, &path(id), Some(json!({"enabled": false})))
        .await;
    for request in [json!({}), json!({"enabled": null}), json!({"other": true})] {
        let answer = api.send(Method::PATCH, &path(id), Some(request)).await;
        assert_eq!(answer.status, 204);
    }
    let empty = api.send_bytes(Method::PATCH, &path(id), None, b"").await;
    assert_eq!(empty.status, 204);
    assert!(!api.fake.crons()[0].enabled);
    api.send(Method::PATCH, &path(id), Some(json!({"enabled": "yes"})))
        .await
        .assert_message(
            400,
            "Unmarshal type error: expected=bool, got=string, field=enabled",
        );
}

#[tokio::test]
async fn delete_answers_204_and_the_cron_is_gone() {
    let api = Api::start().await;
    let id = cron_with(&api, "nightly", json!({})).await;
    let kept = cron_with(&api, "weekly", json!({})).await;
    let answer = api.send(Method::DELETE, &path(id), None).await;
    assert_eq!((answer.status.as_u16(), answer.text.as_str()), (204, ""));
    // The id is unknown now: the lookup's plain error, a 500.
    for (method, request) in [
        (Method::GET, None),
        (Method::PATCH, Some(json!({"enabled": true}))),
        (Method::DELETE, None),
        (Method::POST, None),
    ] {
        api.send(method, &path(id), request)
            .await
            .assert_message(500, INTERNAL);
    }
    assert_eq!(list_ids(&api, "").await, [kept]);
    assert!(api.fake.started_runs().is_empty());
}

#[tokio::test]
async fn code_defined_crons_can_be_paused_and_deleted() {
    // Unlike schedules, the cron handlers do not check the method.
    let api = Api::start().await;
    let id = api.fake.insert_definition_cron("nightly", "0 2 * * *");
    let paused = api
        .send(Method::PATCH, &path(id), Some(json!({"enabled": false})))
        .await;
    assert_eq!(paused.status, 204);
    assert!(!api.fake.crons()[0].enabled);
    assert_eq!(api.send(Method::DELETE, &path(id), None).await.status, 204);
    assert!(api.fake.crons().is_empty());
}

#[tokio::test]
async fn trigger_starts_a_run_with_the_crons_input_metadata_and_priority_and_keeps_it() {
    let api = Api::start().await;
    let mut request = body("nightly", "0 2 * * *");
    request["priority"] = json!(3);
    let row = create(&api, request).await;
    let id = id_of(&row);
    let answer = api.send(Method::POST, &path(id), None).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    let result = answer.json();
    assert_eq!(result.as_object().unwrap().len(), 1, "{result}");
    let run_id: Uuid = result["externalId"].as_str().unwrap().parse().unwrap();

    let runs = api.fake.started_runs();
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    assert_eq!((run.run_id, run.started_by), (run_id, StartedBy::Cron(id)));
    assert_eq!(
        (run.workflow_name.as_str(), run.priority),
        ("send-email", 3)
    );
    assert_eq!(run.input, *row["input"].as_object().unwrap());
    let mut metadata = row["additionalMetadata"].as_object().unwrap().clone();
    metadata.insert(CRON_EXPRESSION_KEY.into(), row["cron"].clone());
    metadata.insert(CRON_NAME_KEY.into(), row["name"].clone());
    let due = run.trigger_at.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    metadata.insert(CRON_SCHEDULED_AT_KEY.into(), json!(due));
    assert_eq!(
        run.additional_metadata, metadata,
        "the cron's, and what fired it"
    );
    assert_eq!(run.trigger_at, run.started_at, "due when requested");
    assert!((run.started_at - api.fake.now()).num_seconds().abs() < 5);
    api.get(&path(id)).await.assert(200, row);
}

#[tokio::test]
async fn a_paused_cron_can_be_triggered_as_often_as_asked() {
    let api = Api::start().await;
    let id = cron_with(&api, "nightly", json!({})).await;
    api.send(Method::PATCH, &path(id), Some(json!({"enabled": false})))
        .await;
    for _ in 0..2 {
        assert_eq!(api.send(Method::POST, &path(id), None).await.status, 200);
    }
    let runs = api.fake.started_runs();
    assert_eq!(runs.len(), 2);
    assert_ne!(runs[0].run_id, runs[1].run_id);
    assert!(!api.fake.crons()[0].enabled, "still paused");
}

#[tokio::test]
async fn a_code_defined_crons_run_carries_only_what_fired_it_and_no_name() {
    let api = Api::start().await;
    let id = api.fake.insert_definition_cron("nightly", "0 2 * * *");
    assert_eq!(api.send(Method::POST, &path(id), None).await.status, 200);
    let run = &api.fake.started_runs()[0];
    let keys: Vec<&str> = run.additional_metadata.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [CRON_EXPRESSION_KEY, CRON_SCHEDULED_AT_KEY],
        "no name: trigger-now leaves it out"
    );
    assert!(run.input.is_empty());
    assert_eq!((run.workflow_name.as_str(), run.priority), ("nightly", 1));
}
