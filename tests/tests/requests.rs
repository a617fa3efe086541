//! The exact requests the async client sends, captured by a real local
//! HTTP server and snapshotted: one snapshot per scenario.

use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::{DateTime, FixedOffset, TimeZone, Utc};
use futures_util::{StreamExt, TryStreamExt};
use hatchet_scheduled::{BulkDeleteFilter, ScheduledOrderField, ScheduledRunStatus, SortDirection};
use serde_json::{Value, json};
use uuid::Uuid;
use wiremock::{
    Mock, Request, Respond, ResponseTemplate,
    matchers::{method, path, query_param, query_param_is_missing},
};

use crate::support::*;

/// Replaces arrays longer than 4 items by their length, first and last
/// items, so chunked bulk bodies stay readable in snapshots.
fn abbreviate(value: &Value) -> Value {
    match value {
        Value::Array(items) if items.len() > 4 => json!({
            "len": items.len(),
            "first": abbreviate(&items[0]),
            "last": abbreviate(&items[items.len() - 1]),
        }),
        Value::Array(items) => Value::Array(items.iter().map(abbreviate).collect()),
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| (k.clone(), abbreviate(v)))
            .collect::<serde_json::Map<_, _>>()
            .into(),
        other => other.clone(),
    }
}

// ---------------------------------------------------------------- create

#[tokio::test]
async fn create_minimal() {
    let server = server_with([create_answer()]).await;

    let run = client(&server)
        .create("send-email", utc(8, 0))
        .send()
        .await
        .unwrap();

    assert_eq!(run.id, RUN_ID);
    assert_eq!(run.workflow_name, "send-email");
    assert_eq!(run.trigger_at, utc(8, 0));
    insta::assert_yaml_snapshot!(wire(&server).await);
}

#[tokio::test]
async fn create_with_every_option() {
    let server = server_with([create_answer()]).await;

    client(&server)
        .create("send-email", utc(8, 0))
        .input(&json!({"to": "ada@example.com", "cc": ["bob@example.com"], "attempt": 1}))
        .metadata("env", "prod")
        .metadata_map([("team", "core"), ("region", "eu-west")])
        .priority(3)
        .send()
        .await
        .unwrap();

    let requests = wire(&server).await;
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].body,
        Some(json!({
            "additionalMetadata": {"env": "prod", "team": "core", "region": "eu-west"},
            "input": {"to": "ada@example.com", "cc": ["bob@example.com"], "attempt": 1},
            "priority": 3,
            "triggerAt": "2026-03-01T08:00:00Z"
        }))
    );
    insta::assert_yaml_snapshot!(requests);
}

#[tokio::test]
async fn create_with_a_serializable_struct_input() {
    #[derive(serde::Serialize)]
    struct Report<'a> {
        kind: &'a str,
        weeks: u8,
    }
    let server = server_with([answer(
        "POST",
        &api_path("weekly-report/scheduled"),
        default_run(),
    )])
    .await;

    client(&server)
        .create("weekly-report", utc(8, 0))
        .input(&Report {
            kind: "weekly",
            weeks: 2,
        })
        .priority(1)
        .send()
        .await
        .unwrap();

    let requests = wire(&server).await;
    assert_eq!(
        requests[0].body.as_ref().unwrap()["input"],
        json!({"kind": "weekly", "weeks": 2})
    );
    assert_eq!(requests[0].body.as_ref().unwrap()["priority"], json!(1));
}

#[tokio::test]
async fn create_with_a_namespace_prefixes_the_workflow_once() {
    let server = server_with([answer(
        "POST",
        &api_path("staging_send-email/scheduled"),
        run_json(RUN_ID, "staging_send-email", "2026-03-01T08:00:00Z"),
    )])
    .await;
    let client = client_from(config(&server.uri()).namespace("Staging"));

    let run = client.create("send-email", utc(8, 0)).send().await.unwrap();
    client
        .create("staging_send-email", utc(8, 0))
        .send()
        .await
        .unwrap();

    assert_eq!(run.workflow_name, "staging_send-email");
    let requests = wire(&server).await;
    let paths: Vec<_> = requests.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            api_path("staging_send-email/scheduled"),
            api_path("staging_send-email/scheduled")
        ]
    );
    insta::assert_yaml_snapshot!(requests);
}

#[tokio::test]
async fn the_namespace_does_not_change_other_operations() {
    let server = server_with([answer("GET", &run_path(), default_run())]).await;
    answer("GET", &api_path("scheduled"), list_json(vec![], 1, 2, 0))
        .mount(&server)
        .await;
    let client = client_from(config(&server.uri()).namespace("staging"));

    client.get(RUN_ID).await.unwrap();
    client.list().send().await.unwrap();

    let requests = wire(&server).await;
    assert_eq!(requests[0].path, run_path());
    assert_eq!(requests[1].path, api_path("scheduled"));
    assert_eq!(requests[1].query, Vec::<String>::new());
}

#[tokio::test]
async fn create_percent_encodes_the_workflow_name() {
    let server = server_with([answer(
        "POST",
        &api_path("my%20flow%2F%C3%A4/scheduled"),
        run_json(RUN_ID, "my flow/ä", "2026-03-01T08:00:00Z"),
    )])
    .await;

    let run = client(&server)
        .create("my flow/ä", utc(8, 0))
        .send()
        .await
        .unwrap();

    assert_eq!(run.workflow_name, "my flow/ä");
    let requests = wire(&server).await;
    assert_eq!(
        requests[0].path,
        format!("/api/v1/tenants/{TENANT}/workflows/my%20flow%2F%C3%A4/scheduled")
    );
    insta::assert_yaml_snapshot!(requests);
}

#[tokio::test]
async fn create_sends_an_offset_trigger_time_as_utc() {
    let server = server_with([create_answer()]).await;
    let at = FixedOffset::east_opt(2 * 3600)
        .unwrap()
        .with_ymd_and_hms(2026, 3, 1, 10, 0, 0)
        .unwrap()
        + chrono::Duration::milliseconds(250);
    assert_eq!(at.to_rfc3339(), "2026-03-01T10:00:00.250+02:00");

    client(&server)
        .create("send-email", at)
        .send()
        .await
        .unwrap();

    let requests = wire(&server).await;
    assert_eq!(
        requests[0].body.as_ref().unwrap()["triggerAt"],
        json!("2026-03-01T08:00:00.250Z")
    );
    insta::assert_yaml_snapshot!(requests);
}

#[tokio::test]
async fn a_trailing_slash_on_the_server_url_does_not_double_the_slash() {
    let server = server_with([create_answer()]).await;
    let client = client_from(config(&format!("{}//", server.uri())));

    client.create("send-email", utc(8, 0)).send().await.unwrap();

    assert_eq!(
        wire(&server).await[0].path,
        api_path("send-email/scheduled")
    );
}

// ------------------------------------------------ get, delete, update, trigger

#[tokio::test]
async fn get() {
    let server = server_with([answer("GET", &run_path(), default_run())]).await;

    let run = client(&server).get(RUN_ID).await.unwrap();

    assert_eq!(run.id, RUN_ID);
    insta::assert_yaml_snapshot!(wire(&server).await);
}

#[tokio::test]
async fn delete() {
    let server = server().await;
    Mock::given(method("DELETE"))
        .and(path(run_path()))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;

    client(&server).delete(RUN_ID).await.unwrap();

    insta::assert_yaml_snapshot!(wire(&server).await);
}

#[tokio::test]
async fn update_sends_the_new_time_as_utc() {
    let server = server_with([answer(
        "PATCH",
        &run_path(),
        run_json(RUN_ID, "send-email", "2026-03-01T14:30:00Z"),
    )])
    .await;

    let run = client(&server)
        .update(RUN_ID, zoned(-5, 9, 30))
        .await
        .unwrap();

    assert_eq!(run.trigger_at, utc(14, 30));
    let requests = wire(&server).await;
    assert_eq!(
        requests[0].body,
        Some(json!({"triggerAt": "2026-03-01T14:30:00Z"}))
    );
    insta::assert_yaml_snapshot!(requests);
}

#[tokio::test]
async fn trigger_now() {
    let server = server_with([answer(
        "POST",
        &run_path(),
        json!({"externalId": STARTED_RUN_ID}),
    )])
    .await;

    let started = client(&server).trigger_now(RUN_ID).await.unwrap();

    assert_eq!(started, STARTED_RUN_ID);
    insta::assert_yaml_snapshot!(wire(&server).await);
}

// ------------------------------------------------------------------ list

async fn list_server() -> wiremock::MockServer {
    server_with([answer(
        "GET",
        &api_path("scheduled"),
        list_json(rows(1, 3), 1, 1, 1),
    )])
    .await
}

#[tokio::test]
async fn list_without_options() {
    let server = list_server().await;

    let page = client(&server).list().send().await.unwrap();

    assert_eq!(page.items.len(), 2);
    assert_eq!(page.items[0].id, nth_id(1));
    assert_eq!(page.items[1].id, nth_id(2));
    assert_eq!(page.offset, 0);
    assert!(!page.has_next());
    let requests = wire(&server).await;
    assert_eq!(requests[0].query, Vec::<String>::new());
    insta::assert_yaml_snapshot!(requests);
}

#[tokio::test]
async fn list_with_every_option() {
    let server = list_server().await;

    let page = client(&server)
        .list()
        .workflow_id(WORKFLOW_ID)
        .parent_workflow_run_id(PARENT_RUN_ID)
        .parent_step_run_id(PARENT_STEP_ID)
        .statuses([ScheduledRunStatus::Scheduled, ScheduledRunStatus::Failed])
        .metadata("env", "prod")
        .order_by(ScheduledOrderField::TriggerAt, SortDirection::Desc)
        .offset(100)
        .limit(50)
        .send()
        .await
        .unwrap();

    assert_eq!(page.offset, 100);
    let requests = wire(&server).await;
    assert_eq!(
        requests[0].query,
        [
            "additionalMetadata=env:prod".to_owned(),
            "limit=50".into(),
            "offset=100".into(),
            "orderByDirection=DESC".into(),
            "orderByField=triggerAt".into(),
            format!("parentStepRunId={PARENT_STEP_ID}"),
            format!("parentWorkflowRunId={PARENT_RUN_ID}"),
            "statuses=SCHEDULED".into(),
            "statuses=FAILED".into(),
            format!("workflowId={WORKFLOW_ID}"),
        ]
    );
    insta::assert_yaml_snapshot!(requests);
}

#[tokio::test]
async fn list_repeats_status_and_metadata_keys() {
    let server = list_server().await;

    client(&server)
        .list()
        .statuses([
            ScheduledRunStatus::Scheduled,
            ScheduledRunStatus::Pending,
            ScheduledRunStatus::Queued,
            ScheduledRunStatus::Running,
            ScheduledRunStatus::Succeeded,
            ScheduledRunStatus::Failed,
            ScheduledRunStatus::Cancelled,
        ])
        .metadata("env", "prod")
        .metadata("team", "core team")
        .metadata("flag", "")
        .send()
        .await
        .unwrap();

    let requests = wire(&server).await;
    assert_eq!(
        query_values(&requests[0], "statuses"),
        [
            "SCHEDULED",
            "PENDING",
            "QUEUED",
            "RUNNING",
            "SUCCEEDED",
            "FAILED",
            "CANCELLED"
        ]
    );
    assert_eq!(
        query_values(&requests[0], "additionalMetadata"),
        ["env:prod", "team:core team", "flag:"]
    );
    insta::assert_yaml_snapshot!(requests);
}

#[tokio::test]
async fn list_statuses_replace_earlier_ones() {
    let server = list_server().await;

    client(&server)
        .list()
        .statuses([ScheduledRunStatus::Running])
        .statuses([ScheduledRunStatus::Scheduled, ScheduledRunStatus::Failed])
        .send()
        .await
        .unwrap();

    let requests = wire(&server).await;
    assert_eq!(requests[0].query, ["statuses=SCHEDULED", "statuses=FAILED"]);
}

#[tokio::test]
async fn list_order_by_every_field_and_direction() {
    let server = list_server().await;
    let client = client(&server);

    for (field, direction) in [
        (ScheduledOrderField::TriggerAt, SortDirection::Asc),
        (ScheduledOrderField::TriggerAt, SortDirection::Desc),
        (ScheduledOrderField::CreatedAt, SortDirection::Asc),
        (ScheduledOrderField::CreatedAt, SortDirection::Desc),
    ] {
        client
            .list()
            .order_by(field, direction)
            .send()
            .await
            .unwrap();
    }

    let requests = wire(&server).await;
    let queries: Vec<_> = requests.iter().map(|r| r.query.join("&")).collect();
    assert_eq!(
        queries,
        [
            "orderByDirection=ASC&orderByField=triggerAt",
            "orderByDirection=DESC&orderByField=triggerAt",
            "orderByDirection=ASC&orderByField=createdAt",
            "orderByDirection=DESC&orderByField=createdAt",
        ]
    );
    insta::assert_yaml_snapshot!(requests);
}

#[tokio::test]
async fn list_offset_and_limit() {
    let server = list_server().await;

    let page = client(&server)
        .list()
        .offset(0)
        .limit(1)
        .send()
        .await
        .unwrap();
    assert_eq!(page.offset, 0);
    let page = client(&server)
        .list()
        .offset(40)
        .limit(20)
        .send()
        .await
        .unwrap();
    assert_eq!(page.offset, 40);

    let requests = wire(&server).await;
    assert_eq!(requests[0].query, ["limit=1", "offset=0"]);
    assert_eq!(requests[1].query, ["limit=20", "offset=40"]);
    insta::assert_yaml_snapshot!(requests);
}

#[tokio::test]
async fn a_listing_is_reusable() {
    let server = list_server().await;
    let client = client(&server);
    let listing = client
        .list()
        .workflow_id(WORKFLOW_ID)
        .statuses([ScheduledRunStatus::Scheduled])
        .limit(10);

    listing.clone().send().await.unwrap();
    listing.offset(10).send().await.unwrap();

    let requests = wire(&server).await;
    assert_eq!(
        requests[0].query,
        [
            "limit=10".to_owned(),
            "statuses=SCHEDULED".into(),
            format!("workflowId={WORKFLOW_ID}")
        ]
    );
    assert_eq!(
        requests[1].query,
        [
            "limit=10".to_owned(),
            "offset=10".into(),
            "statuses=SCHEDULED".into(),
            format!("workflowId={WORKFLOW_ID}")
        ]
    );
}

#[tokio::test]
async fn list_stream_walks_three_pages_and_stops() {
    let server = server_with(three_pages()).await;

    let mut stream = Box::pin(
        client(&server)
            .list()
            .statuses([ScheduledRunStatus::Scheduled])
            .limit(2)
            .stream(),
    );
    let mut ids = Vec::new();
    while let Some(run) = stream.next().await {
        ids.push(run.unwrap().id);
    }
    // Polling a finished stream again sends nothing more.
    assert!(stream.next().await.is_none());

    assert_eq!(ids, (1..6).map(nth_id).collect::<Vec<_>>());
    let requests = wire(&server).await;
    let offsets: Vec<_> = requests.iter().map(|r| query_values(r, "offset")).collect();
    assert_eq!(offsets, [vec![], vec!["2"], vec!["4"]]);
    insta::assert_yaml_snapshot!(requests);
}

#[tokio::test]
async fn list_stream_fetches_pages_lazily() {
    let server = server_with(three_pages()).await;

    let first_two: Vec<_> = client(&server)
        .list()
        .limit(2)
        .stream()
        .take(2)
        .try_collect()
        .await
        .unwrap();

    assert_eq!(
        first_two.iter().map(|r| r.id).collect::<Vec<_>>(),
        [nth_id(1), nth_id(2)]
    );
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn list_stream_stops_at_the_first_error() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path(api_path("scheduled")))
        .and(query_param_is_missing("offset"))
        .respond_with(ResponseTemplate::new(200).set_body_json(list_json(rows(1, 3), 1, 2, 3)))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(api_path("scheduled")))
        .and(query_param("offset", "2"))
        .respond_with(
            ResponseTemplate::new(500)
                .set_body_json(json!({"errors": [{"description": "db down"}]})),
        )
        .mount(&server)
        .await;

    let results: Vec<_> = client(&server).list().limit(2).stream().collect().await;

    assert_eq!(results.len(), 3);
    assert_eq!(results[0].as_ref().unwrap().id, nth_id(1));
    assert_eq!(results[1].as_ref().unwrap().id, nth_id(2));
    assert_eq!(
        results[2].as_ref().unwrap_err().to_string(),
        "server error (500) in workflow-scheduled:list: db down"
    );
    assert_eq!(received(&server).await.len(), 2);
}

// ------------------------------------------------------------------ bulk

/// Answers a bulk delete by ids: deletes all but the chunk's first id,
/// which it reports as not found.
struct DeleteAllButFirst;

impl Respond for DeleteAllButFirst {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = request.body_json().unwrap();
        let ids = body["scheduledWorkflowRunIds"].as_array().unwrap();
        ResponseTemplate::new(200).set_body_json(json!({
            "deletedIds": ids[1..],
            "errors": [{"id": ids[0], "error": "scheduled workflow run not found"}]
        }))
    }
}

async fn mount_bulk_delete(server: &wiremock::MockServer, responder: impl Respond + 'static) {
    Mock::given(method("POST"))
        .and(path(api_path("scheduled/bulk-delete")))
        .respond_with(responder)
        .mount(server)
        .await;
}

#[tokio::test]
async fn bulk_delete_one_id() {
    let server = server().await;
    mount_bulk_delete(
        &server,
        ResponseTemplate::new(200).set_body_json(json!({"deletedIds": [RUN_ID], "errors": []})),
    )
    .await;

    let outcome = client(&server).bulk_delete_ids([RUN_ID]).await.unwrap();

    assert_eq!(outcome.deleted, [RUN_ID]);
    assert!(outcome.errors.is_empty());
    insta::assert_yaml_snapshot!(wire(&server).await);
}

#[tokio::test]
async fn bulk_delete_1201_ids_in_three_requests_and_merges_them() {
    let server = server().await;
    mount_bulk_delete(&server, DeleteAllButFirst).await;
    let ids: Vec<Uuid> = (1..=1201).map(nth_id).collect();

    let outcome = client(&server).bulk_delete_ids(ids.clone()).await.unwrap();

    let requests = wire(&server).await;
    let sent: Vec<Vec<Uuid>> = requests
        .iter()
        .map(|r| {
            serde_json::from_value(r.body.as_ref().unwrap()["scheduledWorkflowRunIds"].clone())
                .unwrap()
        })
        .collect();
    assert_eq!(
        sent.iter().map(Vec::len).collect::<Vec<_>>(),
        [500, 500, 201]
    );
    assert_eq!(sent.concat(), ids);
    let firsts = [nth_id(1), nth_id(501), nth_id(1001)];
    let expected_deleted: Vec<Uuid> = ids
        .iter()
        .copied()
        .filter(|id| !firsts.contains(id))
        .collect();
    assert_eq!(outcome.deleted.len(), 1198);
    assert_eq!(outcome.deleted, expected_deleted);
    let errors: Vec<_> = outcome
        .errors
        .iter()
        .map(|e| (e.id, e.message.as_str()))
        .collect();
    assert_eq!(
        errors,
        firsts.map(|id| (Some(id), "scheduled workflow run not found"))
    );
    let abbreviated: Vec<_> = requests
        .into_iter()
        .map(|mut r| {
            r.body = r.body.as_ref().map(abbreviate);
            r
        })
        .collect();
    insta::assert_yaml_snapshot!(abbreviated);
}

#[tokio::test]
async fn bulk_delete_exactly_500_ids_is_one_request() {
    let server = server().await;
    mount_bulk_delete(&server, DeleteAllButFirst).await;

    let outcome = client(&server)
        .bulk_delete_ids((1..=500).map(nth_id))
        .await
        .unwrap();

    assert_eq!(received(&server).await.len(), 1);
    assert_eq!(outcome.deleted.len(), 499);
    assert_eq!(outcome.errors.len(), 1);
}

/// Answers the first request with `first`, every later one with a 500.
struct FailAfterFirst {
    calls: AtomicUsize,
    first: ResponseTemplate,
}

impl Respond for FailAfterFirst {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        if self.calls.fetch_add(1, Ordering::SeqCst) == 0 {
            self.first.clone()
        } else {
            ResponseTemplate::new(500).set_body_string("null")
        }
    }
}

#[tokio::test]
async fn a_failed_later_chunk_reports_its_items_and_stops() {
    let server = server().await;
    mount_bulk_delete(
        &server,
        FailAfterFirst {
            calls: AtomicUsize::new(0),
            first: ResponseTemplate::new(200)
                .set_body_json(json!({"deletedIds": [nth_id(1), nth_id(2)], "errors": []})),
        },
    )
    .await;
    let ids: Vec<Uuid> = (1..=1100).map(nth_id).collect();

    let outcome = client(&server).bulk_delete_ids(ids.clone()).await.unwrap();

    // The third chunk is not sent after the second failed.
    assert_eq!(received(&server).await.len(), 2);
    assert_eq!(outcome.deleted, [nth_id(1), nth_id(2)]);
    assert_eq!(outcome.errors.len(), 600);
    assert_eq!(
        outcome.errors.iter().map(|e| e.id).collect::<Vec<_>>(),
        ids[500..].iter().copied().map(Some).collect::<Vec<_>>()
    );
    assert_eq!(
        outcome.errors[0].message,
        "not done: a request of this bulk operation failed: \
         server error (500) in workflow-scheduled:bulk-delete: Internal Server Error"
    );
}

#[tokio::test]
async fn a_failed_first_chunk_is_returned_as_the_error() {
    let server = server().await;
    mount_bulk_delete(
        &server,
        ResponseTemplate::new(403).set_body_json(json!({"description": "cannot delete"})),
    )
    .await;

    let error = client(&server)
        .bulk_delete_ids((1..=1100).map(nth_id))
        .await
        .unwrap_err();

    assert_eq!(
        error.to_string(),
        "forbidden (403) in workflow-scheduled:bulk-delete: cannot delete"
    );
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn bulk_delete_matching_each_filter_field() {
    let server = server().await;
    mount_bulk_delete(
        &server,
        ResponseTemplate::new(200)
            .set_body_json(json!({"deletedIds": [nth_id(7)], "errors": [{"error": "locked"}]})),
    )
    .await;
    let client = client(&server);
    let base = BulkDeleteFilter::default;

    for filter in [
        base().workflow_id(WORKFLOW_ID),
        base().parent_workflow_run_id(PARENT_RUN_ID),
        base().parent_step_run_id(PARENT_STEP_ID),
        base().metadata("env", "staging").metadata("team", "core"),
        base()
            .workflow_id(WORKFLOW_ID)
            .parent_workflow_run_id(PARENT_RUN_ID)
            .parent_step_run_id(PARENT_STEP_ID)
            .metadata("env", "staging"),
    ] {
        let outcome = client.bulk_delete_matching(filter).await.unwrap();
        assert_eq!(outcome.deleted, [nth_id(7)]);
        assert_eq!(outcome.errors.len(), 1);
        assert_eq!(outcome.errors[0].id, None);
        assert_eq!(outcome.errors[0].message, "locked");
    }

    let requests = wire(&server).await;
    assert_eq!(
        requests[0].body,
        Some(json!({"filter": {"workflowId": WORKFLOW_ID}}))
    );
    assert_eq!(
        requests[3].body,
        Some(json!({"filter": {"additionalMetadata": ["env:staging", "team:core"]}}))
    );
    insta::assert_yaml_snapshot!(requests);
}

#[tokio::test]
async fn bulk_delete_matching_every_api_created_schedule_on_request() {
    let server = server().await;
    mount_bulk_delete(
        &server,
        ResponseTemplate::new(200)
            .set_body_json(json!({"deletedIds": [nth_id(1), nth_id(2)], "errors": []})),
    )
    .await;

    let outcome = client(&server)
        .bulk_delete_matching(BulkDeleteFilter::every_api_created_schedule())
        .await
        .unwrap();

    assert_eq!(outcome.deleted, [nth_id(1), nth_id(2)]);
    let requests = wire(&server).await;
    assert_eq!(requests[0].body, Some(json!({"filter": {}})));
    insta::assert_yaml_snapshot!(requests);
}

/// Answers a bulk update by reporting every id updated.
struct UpdateAll;

impl Respond for UpdateAll {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = request.body_json().unwrap();
        let ids: Vec<&Value> = body["updates"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| &u["id"])
            .collect();
        ResponseTemplate::new(200).set_body_json(json!({"updatedIds": ids, "errors": []}))
    }
}

async fn mount_bulk_update(server: &wiremock::MockServer, responder: impl Respond + 'static) {
    Mock::given(method("POST"))
        .and(path(api_path("scheduled/bulk-update")))
        .respond_with(responder)
        .mount(server)
        .await;
}

#[tokio::test]
async fn bulk_update_sends_utc_times() {
    let server = server().await;
    mount_bulk_update(
        &server,
        ResponseTemplate::new(200).set_body_json(json!({
            "updatedIds": [nth_id(1)],
            "errors": [{"id": nth_id(2), "error": "cannot update a schedule that has already fired"}]
        })),
    )
    .await;

    let outcome = client(&server)
        .bulk_update([(nth_id(1), zoned(2, 10, 0)), (nth_id(2), zoned(-7, 1, 15))])
        .await
        .unwrap();

    assert_eq!(outcome.updated, [nth_id(1)]);
    assert_eq!(outcome.errors.len(), 1);
    assert_eq!(outcome.errors[0].id, Some(nth_id(2)));
    assert_eq!(
        outcome.errors[0].message,
        "cannot update a schedule that has already fired"
    );
    let requests = wire(&server).await;
    assert_eq!(
        requests[0].body,
        Some(json!({"updates": [
            {"id": nth_id(1), "triggerAt": "2026-03-01T08:00:00Z"},
            {"id": nth_id(2), "triggerAt": "2026-03-01T08:15:00Z"}
        ]}))
    );
    insta::assert_yaml_snapshot!(requests);
}

#[tokio::test]
async fn bulk_update_501_items_in_two_requests() {
    let server = server().await;
    mount_bulk_update(&server, UpdateAll).await;
    let updates: Vec<(Uuid, DateTime<Utc>)> = (1..=501)
        .map(|n| (nth_id(n), utc(8, 0) + chrono::Duration::minutes(n as i64)))
        .collect();

    let outcome = client(&server).bulk_update(updates.clone()).await.unwrap();

    assert_eq!(
        outcome.updated,
        updates.iter().map(|(id, _)| *id).collect::<Vec<_>>()
    );
    assert!(outcome.errors.is_empty());
    let requests = wire(&server).await;
    let lens: Vec<_> = requests
        .iter()
        .map(|r| {
            r.body.as_ref().unwrap()["updates"]
                .as_array()
                .unwrap()
                .len()
        })
        .collect();
    assert_eq!(lens, [500, 1]);
    let abbreviated: Vec<_> = requests
        .into_iter()
        .map(|mut r| {
            r.body = r.body.as_ref().map(abbreviate);
            r
        })
        .collect();
    insta::assert_yaml_snapshot!(abbreviated);
}

#[tokio::test]
async fn a_token_with_surrounding_whitespace_is_sent_trimmed() {
    // Tokens read from files or secrets often end with a newline.
    let server = server_with([answer("GET", &run_path(), default_run())]).await;
    let config = hatchet_scheduled::ClientConfig::builder()
        .token(format!(" {TOKEN}\n"))
        .server_url(server.uri())
        .tenant_id(TENANT)
        .build()
        .unwrap();

    let client = hatchet_scheduled::ScheduledClient::new(config).unwrap();
    client.get(RUN_ID).await.unwrap();

    // `wire` asserts the header is exactly `Bearer <TOKEN>`.
    assert_eq!(
        wire(&server).await[0].headers["authorization"],
        "Bearer [redacted]"
    );
}
