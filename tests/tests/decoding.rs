//! Decoding realistic answers: unknown enum values and fields, fired runs,
//! crons as Hatchet's transformer writes them, and the pagination quirks of
//! Hatchet's server.

use chrono::{DateTime, TimeZone, Utc};
use futures_util::TryStreamExt;
use hatchet_scheduled::{CronTrigger, ScheduleMethod, ScheduledRun, ScheduledRunStatus};
use serde_json::{Value, json};
use uuid::Uuid;
use wiremock::{Mock, ResponseTemplate};

use crate::support::*;

fn at(h: u32, m: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, h, m, s).unwrap()
}

async fn get_answering(body: Value) -> ScheduledRun {
    let server = server_with([answer("GET", &run_path(), body)]).await;
    client(&server).get(RUN_ID).await.unwrap()
}

#[tokio::test]
async fn a_pending_schedule_decodes_every_field() {
    let mut body = default_run();
    body["triggerAt"] = json!("2026-03-01T10:00:00+02:00");
    body["priority"] = json!(2);

    let run = get_answering(body).await;

    assert_eq!(run.id, RUN_ID);
    assert_eq!(run.tenant_id, TENANT);
    assert_eq!(run.workflow_id, WORKFLOW_ID);
    assert_eq!(run.workflow_version_id, WORKFLOW_VERSION_ID);
    assert_eq!(run.workflow_name, "send-email");
    assert_eq!(run.trigger_at, at(8, 0, 0));
    assert_eq!(
        run.created_at,
        at(7, 55, 0) + chrono::Duration::milliseconds(123)
    );
    assert_eq!(run.updated_at, run.created_at);
    assert_eq!(
        Value::Object(run.input.clone()),
        json!({"to": "ada@example.com"})
    );
    assert_eq!(
        Value::Object(run.additional_metadata.clone()),
        json!({"env": "prod"})
    );
    assert_eq!(run.priority, Some(2));
    assert_eq!(run.method, ScheduleMethod::Api);
    assert_eq!(run.status, ScheduledRunStatus::Scheduled);
    assert_eq!(run.workflow_run, None);
    insta::with_settings!({sort_maps => true}, {
        insta::assert_yaml_snapshot!(run);
    });
}

#[tokio::test]
async fn a_fired_schedule_carries_its_workflow_run() {
    let mut body = default_run();
    body["workflowRunId"] = json!(STARTED_RUN_ID);
    body["workflowRunName"] = json!("send-email-8f2k1");
    body["workflowRunCreatedAt"] = json!("2026-03-01T08:00:01.5Z");
    body["workflowRunStatus"] = json!("SUCCEEDED");

    let run = get_answering(body).await;

    assert_eq!(run.status, ScheduledRunStatus::Succeeded);
    let started = run.workflow_run.clone().expect("a fired run");
    assert_eq!(started.id, STARTED_RUN_ID);
    assert_eq!(started.name.as_deref(), Some("send-email-8f2k1"));
    assert_eq!(
        started.created_at,
        Some(at(8, 0, 1) + chrono::Duration::milliseconds(500))
    );
    insta::with_settings!({sort_maps => true}, {
        insta::assert_yaml_snapshot!(run);
    });
}

#[tokio::test]
async fn a_fired_schedule_without_a_status_is_pending() {
    let mut body = default_run();
    body["workflowRunId"] = json!(STARTED_RUN_ID);

    let run = get_answering(body).await;

    assert_eq!(run.status, ScheduledRunStatus::Pending);
    let started = run.workflow_run.unwrap();
    assert_eq!(started.id, STARTED_RUN_ID);
    assert_eq!(started.name, None);
    assert_eq!(started.created_at, None);
}

/// What every row of [`transformer_row`] must decode to.
fn assert_unfired_without_metadata(run: &ScheduledRun) {
    assert!(run.additional_metadata.is_empty(), "null metadata is empty");
    assert!(run.input.is_empty());
    assert_eq!(run.status, ScheduledRunStatus::Scheduled);
    assert_eq!(
        run.workflow_run, None,
        "the zero time and empty name are no run"
    );
    assert_eq!(run.method, ScheduleMethod::Default);
    assert_eq!(
        run.created_at,
        at(7, 55, 0) + chrono::Duration::milliseconds(120),
        "Go trims trailing zeros: .12 is 120 ms"
    );
    assert_eq!(run.trigger_at, at(8, 0, 0));
}

#[tokio::test]
async fn get_decodes_a_row_exactly_as_the_servers_transformer_writes_it() {
    let run = get_answering(transformer_row(RUN_ID)).await;
    assert_eq!(run.id, RUN_ID);
    assert_unfired_without_metadata(&run);
}

/// A `listing` (`scheduled` or `crons`) of two pages as `limit=2` walks
/// them: `row(nth_id(1))` and `other` at offset 0, `row(nth_id(2))` at 2.
fn two_pages(listing: &str, row: fn(Uuid) -> Value, other: Value) -> [Mock; 2] {
    let pages = [
        ("0", vec![row(nth_id(1)), other], 1),
        ("2", vec![row(nth_id(2))], 2),
    ];
    pages.map(|(offset, rows, current)| {
        listing_page(listing, Some(offset))
            .respond_with(ResponseTemplate::new(200).set_body_json(list_json(rows, current, 2, 2)))
    })
}

#[tokio::test]
async fn every_page_and_the_stream_decode_rows_with_null_metadata() {
    let server = server_with(two_pages("scheduled", transformer_row, default_run())).await;
    let client = client(&server);

    let first_page = client.list().offset(0).limit(2).send().await.unwrap();
    assert_unfired_without_metadata(&first_page.items[0]);
    assert_eq!(first_page.items[1].additional_metadata["env"], "prod");
    let second_page = client.list().offset(2).limit(2).send().await.unwrap();
    assert_unfired_without_metadata(&second_page.items[0]);

    let all: Vec<ScheduledRun> = client
        .list()
        .offset(0)
        .limit(2)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        all.iter().map(|r| r.id).collect::<Vec<_>>(),
        [nth_id(1), RUN_ID, nth_id(2)]
    );
    assert_unfired_without_metadata(&all[2]);
}

#[tokio::test]
async fn go_times_with_trimmed_fractions_decode() {
    let mut body = default_run();
    for (wire, millis) in [
        ("2026-03-01T08:00:00.1Z", 100),
        ("2026-03-01T08:00:00.12Z", 120),
        ("2026-03-01T08:00:00.123Z", 123),
        ("2026-03-01T08:00:00.123456789Z", 123),
        ("2026-03-01T08:00:00Z", 0),
    ] {
        body["triggerAt"] = json!(wire);
        let run = get_answering(body.clone()).await;
        assert_eq!(run.trigger_at.timestamp_subsec_millis(), millis, "{wire}");
        assert_eq!(
            run.trigger_at.timestamp(),
            at(8, 0, 0).timestamp(),
            "{wire}"
        );
    }
}

#[tokio::test]
async fn every_known_status_and_method_decodes() {
    let statuses = [
        ("SCHEDULED", ScheduledRunStatus::Scheduled),
        ("PENDING", ScheduledRunStatus::Pending),
        ("QUEUED", ScheduledRunStatus::Queued),
        ("RUNNING", ScheduledRunStatus::Running),
        ("SUCCEEDED", ScheduledRunStatus::Succeeded),
        ("FAILED", ScheduledRunStatus::Failed),
        ("CANCELLED", ScheduledRunStatus::Cancelled),
    ];
    for (wire, status) in statuses {
        let mut body = default_run();
        body["workflowRunId"] = json!(STARTED_RUN_ID);
        body["workflowRunStatus"] = json!(wire);
        body["method"] = json!("DEFAULT");
        let run = get_answering(body).await;
        assert_eq!(run.status, status, "{wire}");
        assert_eq!(run.status.as_str(), wire);
        assert_eq!(run.method, ScheduleMethod::Default);
    }
}

#[tokio::test]
async fn unknown_enum_values_and_fields_still_decode() {
    let mut body = default_run();
    body["workflowRunId"] = json!(STARTED_RUN_ID);
    body["workflowRunStatus"] = json!("EVICTED");
    body["method"] = json!("CRON");
    body["someFutureField"] = json!({"nested": [1, 2, 3]});
    body["metadata"]["etag"] = json!("W/\"1\"");
    body["priority"] = Value::Null;

    let run = get_answering(body).await;

    assert_eq!(run.status, ScheduledRunStatus::Unknown("EVICTED".into()));
    assert_eq!(run.status.to_string(), "EVICTED");
    assert_eq!(run.method, ScheduleMethod::Unknown("CRON".into()));
    assert_eq!(run.method.as_str(), "CRON");
    assert_eq!(run.priority, None);
    assert_eq!(run.id, RUN_ID);
}

#[tokio::test]
async fn missing_optional_fields_decode_as_empty() {
    let body = json!({
        "metadata": {"id": RUN_ID, "createdAt": "2026-03-01T07:55:00Z", "updatedAt": "2026-03-01T07:55:00Z"},
        "tenantId": TENANT,
        "workflowId": WORKFLOW_ID,
        "workflowVersionId": WORKFLOW_VERSION_ID,
        "workflowName": "send-email",
        "triggerAt": "2026-03-01T08:00:00Z",
        "method": "API"
    });

    let run = get_answering(body).await;

    assert!(run.input.is_empty());
    assert!(run.additional_metadata.is_empty());
    assert_eq!(run.priority, None);
    assert_eq!(run.status, ScheduledRunStatus::Scheduled);
    assert_eq!(run.workflow_run, None);
}

#[tokio::test]
async fn trigger_and_bulk_answers_with_extra_fields_decode() {
    let trigger =
        json!({"externalId": STARTED_RUN_ID, "workflowRunId": STARTED_RUN_ID, "extra": true});
    let bulk_delete = json!({
        "deletedIds": [RUN_ID],
        "errors": [{"id": nth_id(9), "error": "not found", "code": 404}],
        "took": "3ms"
    });
    let server = server_with([
        answer("POST", &run_path(), trigger),
        answer("POST", &api_path("scheduled/bulk-delete"), bulk_delete),
    ])
    .await;
    let client = client(&server);

    assert_eq!(client.trigger_now(RUN_ID).await.unwrap(), STARTED_RUN_ID);
    let outcome = client.bulk_delete_ids([RUN_ID, nth_id(9)]).await.unwrap();
    assert_eq!(outcome.deleted, [RUN_ID]);
    assert_eq!(outcome.errors.len(), 1);
    assert_eq!(outcome.errors[0].id, Some(nth_id(9)));
    assert_eq!(outcome.errors[0].message, "not found");
}

// ----------------------------------------------------------------- crons

async fn cron_get_answering(body: Value) -> CronTrigger {
    let server = server_with([answer("GET", &cron_path(), body)]).await;
    cron_client(&server).get(CRON_ID).await.unwrap()
}

#[tokio::test]
async fn an_api_made_cron_decodes_every_field() {
    let cron = cron_get_answering(default_cron()).await;

    assert_eq!(cron.id, CRON_ID);
    assert_eq!(cron.name.as_deref(), Some("nightly"));
    assert_eq!(cron.expression, "0 2 * * *");
    assert!(cron.enabled);
    assert_eq!(cron.tenant_id, TENANT);
    assert_eq!(cron.workflow_id, WORKFLOW_ID);
    assert_eq!(cron.workflow_version_id, WORKFLOW_VERSION_ID);
    assert_eq!(cron.workflow_name, CRON_WORKFLOW);
    assert_eq!(cron.method, ScheduleMethod::Api);
    assert_eq!(
        Value::Object(cron.input.clone()),
        json!({"report": "daily"})
    );
    assert_eq!(
        Value::Object(cron.additional_metadata.clone()),
        json!({"env": "prod"})
    );
    assert_eq!(cron.priority, Some(2));
    assert_eq!(
        cron.created_at,
        at(6, 30, 0) + chrono::Duration::milliseconds(500)
    );
    assert_eq!(
        cron.updated_at,
        at(7, 45, 0) + chrono::Duration::milliseconds(250)
    );
    insta::with_settings!({sort_maps => true}, {
        insta::assert_yaml_snapshot!(cron);
    });
}

/// What every row of [`transformer_cron_row`] must decode to.
fn assert_code_defined(cron: &CronTrigger) {
    assert_eq!(cron.name, None, "the transformer writes no name as \"\"");
    assert!(
        cron.additional_metadata.is_empty(),
        "null metadata is empty"
    );
    assert!(cron.input.is_empty());
    assert_eq!(cron.method, ScheduleMethod::Default);
    assert_eq!(
        (cron.expression.as_str(), cron.enabled, cron.priority),
        ("0 3 * * *", true, Some(1))
    );
    assert_eq!(cron.workflow_name, "nightly-cleanup");
    assert_eq!(
        cron.created_at,
        at(7, 55, 0) + chrono::Duration::milliseconds(120),
        "Go trims trailing zeros: .12 is 120 ms"
    );
    assert_eq!(cron.updated_at, at(7, 55, 0));
}

#[tokio::test]
async fn code_defined_crons_decode_from_get_every_page_and_the_stream() {
    let server = server_with(two_pages("crons", transformer_cron_row, default_cron())).await;
    answer("GET", &cron_path(), transformer_cron_row(CRON_ID))
        .mount(&server)
        .await;
    let crons = cron_client(&server);

    let cron = crons.get(CRON_ID).await.unwrap();
    assert_eq!(cron.id, CRON_ID);
    assert_code_defined(&cron);
    let first_page = crons.list().offset(0).limit(2).send().await.unwrap();
    assert_code_defined(&first_page.items[0]);
    assert_eq!(first_page.items[1].name.as_deref(), Some("nightly"));
    assert_eq!(first_page.items[1].additional_metadata["env"], "prod");
    let second_page = crons.list().offset(2).limit(2).send().await.unwrap();
    assert_code_defined(&second_page.items[0]);

    let all: Vec<CronTrigger> = crons
        .list()
        .offset(0)
        .limit(2)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        all.iter().map(|c| c.id).collect::<Vec<_>>(),
        [nth_id(1), CRON_ID, nth_id(2)]
    );
    assert_code_defined(&all[0]);
    assert_code_defined(&all[2]);
}

#[tokio::test]
async fn a_cron_with_only_the_required_fields_and_unknown_values_decodes() {
    // The contract requires only these; a newer server may add methods.
    let body = json!({
        "metadata": {"id": CRON_ID, "createdAt": "2026-03-01T07:55:00Z", "updatedAt": "2026-03-01T07:55:00Z"},
        "tenantId": TENANT,
        "workflowVersionId": WORKFLOW_VERSION_ID,
        "workflowName": CRON_WORKFLOW,
        "workflowId": WORKFLOW_ID,
        "cron": "*/5 * * * *",
        "enabled": false,
        "method": "SCHEDULE",
        "someFutureField": {"nested": [1, 2, 3]}
    });

    let cron = cron_get_answering(body).await;

    assert_eq!(cron.name, None);
    assert!(!cron.enabled);
    assert_eq!(cron.method, ScheduleMethod::Unknown("SCHEDULE".into()));
    assert!(cron.input.is_empty() && cron.additional_metadata.is_empty());
    assert_eq!(cron.priority, None);
}

#[tokio::test]
async fn cron_trigger_answers_with_extra_fields_decode() {
    let server = server_with([answer(
        "POST",
        &cron_path(),
        json!({"externalId": STARTED_RUN_ID, "workflowRunId": RUN_ID, "extra": true}),
    )])
    .await;

    let started = cron_client(&server).trigger_now(CRON_ID).await.unwrap();

    assert_eq!(started, STARTED_RUN_ID);
}

// ------------------------------------------------------------ pagination

async fn list_answering(body: Value) -> wiremock::MockServer {
    server_with([answer("GET", &api_path("scheduled"), body)]).await
}

#[tokio::test]
async fn a_middle_page_has_a_next_page() {
    let server = list_answering(list_json(rows(3, 5), 2, 3, 3)).await;

    let page = client(&server)
        .list()
        .offset(2)
        .limit(2)
        .send()
        .await
        .unwrap();

    assert_eq!(page.items.len(), 2);
    assert_eq!(page.current_page, Some(2));
    assert_eq!(page.num_pages, Some(3));
    assert_eq!(page.offset, 2);
    assert!(page.has_next());
    assert_eq!(page.next_offset(), 4);
}

#[tokio::test]
async fn the_last_page_repeats_its_number_as_next_page() {
    let server = list_answering(list_json(rows(5, 6), 3, 3, 3)).await;
    let client = client(&server);

    let page = client.list().offset(4).limit(2).send().await.unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.current_page, Some(3));
    assert!(!page.has_next());

    let all: Vec<_> = client
        .list()
        .offset(4)
        .limit(2)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.iter().map(|r| r.id).collect::<Vec<_>>(), [nth_id(5)]);
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn an_empty_listing_has_no_next_page_and_the_stream_makes_one_request() {
    let body: Value = serde_json::from_str(
        r#"{"rows":[],"pagination":{"current_page":1,"next_page":2,"num_pages":0}}"#,
    )
    .unwrap();
    let server = list_answering(body).await;
    let client = client(&server);

    let page = client.list().send().await.unwrap();
    assert!(page.items.is_empty());
    assert_eq!(page.num_pages, Some(0));
    assert!(!page.has_next());
    assert_eq!(received(&server).await.len(), 1);

    let all: Vec<_> = client.list().stream().try_collect().await.unwrap();
    assert!(all.is_empty());
    assert_eq!(received(&server).await.len(), 2, "exactly one more request");
}

#[tokio::test]
async fn a_listing_without_page_info_is_one_page() {
    let server = list_answering(json!({"rows": rows(1, 4)})).await;
    let client = client(&server);

    let page = client.list().send().await.unwrap();
    assert_eq!(page.items.len(), 3);
    assert_eq!(page.current_page, None);
    assert_eq!(page.num_pages, None);
    assert!(!page.has_next());

    let all: Vec<_> = client.list().stream().try_collect().await.unwrap();
    assert_eq!(
        all.iter().map(|r| r.id).collect::<Vec<_>>(),
        [nth_id(1), nth_id(2), nth_id(3)]
    );
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn an_empty_body_object_is_an_empty_page() {
    let server = list_answering(json!({})).await;
    let client = client(&server);

    let page = client.list().send().await.unwrap();
    assert!(page.items.is_empty());
    assert!(!page.has_next());
    let all: Vec<_> = client.list().stream().try_collect().await.unwrap();
    assert!(all.is_empty());
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn an_empty_page_in_the_middle_ends_the_stream() {
    // The server says there are more pages but sends no rows: following it
    // would loop on the same offset forever.
    let server = list_answering(list_json(vec![], 2, 3, 5)).await;

    let all: Vec<_> = client(&server)
        .list()
        .offset(10)
        .limit(5)
        .stream()
        .try_collect()
        .await
        .unwrap();

    assert!(all.is_empty());
    assert_eq!(received(&server).await.len(), 1);
}
