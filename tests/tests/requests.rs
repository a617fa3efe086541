//! The exact requests the async client sends, captured by a real local
//! HTTP server. Each scenario of [`scenarios`] is snapshotted under its
//! name; the tests after the table check one property of a request each.

use std::{
    panic::AssertUnwindSafe,
    sync::atomic::{AtomicUsize, Ordering},
};

use chrono::{DateTime, Utc};
use futures_util::{FutureExt, Stream, StreamExt, TryStreamExt, future::BoxFuture};
use hatchet_scheduled::{
    BulkDeleteFilter, CronOrderField, ScheduledOrderField, ScheduledRunStatus, SortDirection,
};
use serde_json::{Value, json};
use uuid::Uuid;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

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

/// A request scenario: what the server answers, what the client does
/// against it (checking what it gets back), and what the requests it sent
/// must show. The requests are snapshotted under the scenario's name.
struct Scenario {
    /// The snapshot's name.
    name: &'static str,
    answers: Vec<Mock>,
    /// Calls a client for the server and checks what the calls return.
    act: for<'s> fn(&'s MockServer) -> BoxFuture<'s, ()>,
    /// Checks of the requests sent, beyond their snapshot.
    sent: fn(&[WireRequest]),
}

#[tokio::test]
async fn every_scenario_sends_the_requests_of_its_snapshot() {
    let mut failed = Vec::new();
    for scenario in scenarios() {
        let name = scenario.name;
        // Run them all, then name each that failed (its panic is above).
        let outcome = AssertUnwindSafe(run_scenario(scenario))
            .catch_unwind()
            .await;
        if outcome.is_err() {
            failed.push(name);
        }
    }
    assert!(failed.is_empty(), "scenarios that failed: {failed:?}");
}

async fn run_scenario(scenario: Scenario) {
    let server = server_with(scenario.answers).await;
    (scenario.act)(&server).await;
    let requests = wire(&server).await;
    (scenario.sent)(&requests);
    let abbreviated: Vec<_> = requests
        .into_iter()
        .map(|mut request| {
            request.body = request.body.as_ref().map(abbreviate);
            request
        })
        .collect();
    insta::assert_yaml_snapshot!(scenario.name, abbreviated);
}

/// The single page a listing gets in the scenarios and tests of listings.
fn one_page() -> Mock {
    answer(
        "GET",
        &api_path("scheduled"),
        list_json(rows(1, 3), 1, 1, 1),
    )
}

/// The ids `stream` yields, asserting that once finished it stays
/// finished (polling it again sends nothing more).
async fn streamed_ids<T>(
    stream: impl Stream<Item = Result<T, hatchet_scheduled::Error>>,
    id: fn(&T) -> Uuid,
) -> Vec<Uuid> {
    let mut stream = std::pin::pin!(stream);
    let mut ids = Vec::new();
    while let Some(item) = stream.next().await {
        ids.push(id(&item.unwrap()));
    }
    assert!(stream.next().await.is_none());
    ids
}

/// The single page a cron listing gets.
fn cron_one_page() -> Mock {
    answer(
        "GET",
        &api_path("crons"),
        list_json(cron_rows(1, 3), 1, 1, 1),
    )
}

fn scenarios() -> Vec<Scenario> {
    vec![
        // ------------------------------------------------------------ create
        Scenario {
            name: "create_minimal",
            answers: vec![create_answer()],
            act: |server| {
                Box::pin(async move {
                    let run = client(server)
                        .create("send-email", utc(8, 0))
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(run.id, RUN_ID);
                    assert_eq!(run.workflow_name, "send-email");
                    assert_eq!(run.trigger_at, utc(8, 0));
                })
            },
            sent: |_| {},
        },
        Scenario {
            name: "create_with_every_option",
            answers: vec![create_answer()],
            act: |server| {
                Box::pin(async move {
                    client(server)
                        .create("send-email", utc(8, 0))
                        .input(json!({"to": "ada@example.com", "cc": ["bob@example.com"], "attempt": 1}))
                        .metadata("env", "prod")
                        .metadata_map([("team", "core"), ("region", "eu-west")])
                        .priority(3)
                        .send()
                        .await
                        .unwrap();
                })
            },
            sent: |requests| {
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
            },
        },
        Scenario {
            name: "create_with_a_namespace_prefixes_the_workflow_once",
            answers: vec![answer(
                "POST",
                &api_path("staging_send-email/scheduled"),
                run_json(RUN_ID, "staging_send-email", "2026-03-01T08:00:00Z"),
            )],
            act: |server| {
                Box::pin(async move {
                    let client = client_from(config(&server.uri()).namespace("Staging"));
                    let run = client.create("send-email", utc(8, 0)).send().await.unwrap();
                    client
                        .create("staging_send-email", utc(8, 0))
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(run.workflow_name, "staging_send-email");
                })
            },
            sent: |requests| {
                let paths: Vec<_> = requests.iter().map(|r| r.path.as_str()).collect();
                assert_eq!(
                    paths,
                    [
                        api_path("staging_send-email/scheduled"),
                        api_path("staging_send-email/scheduled")
                    ]
                );
            },
        },
        Scenario {
            name: "create_percent_encodes_the_workflow_name",
            answers: vec![answer(
                "POST",
                &api_path("my%20flow%2F%C3%A4/scheduled"),
                run_json(RUN_ID, "my flow/ä", "2026-03-01T08:00:00Z"),
            )],
            act: |server| {
                Box::pin(async move {
                    let run = client(server)
                        .create("my flow/ä", utc(8, 0))
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(run.workflow_name, "my flow/ä");
                })
            },
            sent: |requests| {
                assert_eq!(
                    requests[0].path,
                    format!("/api/v1/tenants/{TENANT}/workflows/my%20flow%2F%C3%A4/scheduled")
                );
            },
        },
        Scenario {
            name: "create_sends_an_offset_trigger_time_as_utc",
            answers: vec![create_answer()],
            act: |server| {
                Box::pin(async move {
                    let at = zoned(2, 10, 0) + chrono::Duration::milliseconds(250);
                    assert_eq!(at.to_rfc3339(), "2026-03-01T10:00:00.250+02:00");
                    client(server)
                        .create("send-email", at)
                        .send()
                        .await
                        .unwrap();
                })
            },
            sent: |requests| {
                assert_eq!(
                    requests[0].body.as_ref().unwrap()["triggerAt"],
                    json!("2026-03-01T08:00:00.250Z")
                );
            },
        },
        // ------------------------------------ get, delete, update, trigger
        Scenario {
            name: "get",
            answers: vec![answer("GET", &run_path(), default_run())],
            act: |server| {
                Box::pin(async move {
                    let run = client(server).get(RUN_ID).await.unwrap();
                    assert_eq!(run.id, RUN_ID);
                })
            },
            sent: |_| {},
        },
        Scenario {
            name: "delete",
            answers: vec![answer_with(
                "DELETE",
                &run_path(),
                ResponseTemplate::new(204),
            )],
            act: |server| Box::pin(async move { client(server).delete(RUN_ID).await.unwrap() }),
            sent: |_| {},
        },
        Scenario {
            name: "update_sends_the_new_time_as_utc",
            answers: vec![answer(
                "PATCH",
                &run_path(),
                run_json(RUN_ID, "send-email", "2026-03-01T14:30:00Z"),
            )],
            act: |server| {
                Box::pin(async move {
                    let run = client(server)
                        .update(RUN_ID, zoned(-5, 9, 30))
                        .await
                        .unwrap();
                    assert_eq!(run.trigger_at, utc(14, 30));
                })
            },
            sent: |requests| {
                assert_eq!(
                    requests[0].body,
                    Some(json!({"triggerAt": "2026-03-01T14:30:00Z"}))
                );
            },
        },
        Scenario {
            name: "trigger_now",
            answers: vec![answer(
                "POST",
                &run_path(),
                json!({"externalId": STARTED_RUN_ID}),
            )],
            act: |server| {
                Box::pin(async move {
                    let started = client(server).trigger_now(RUN_ID).await.unwrap();
                    assert_eq!(started, STARTED_RUN_ID);
                })
            },
            sent: |_| {},
        },
        // -------------------------------------------------------------- list
        Scenario {
            name: "list_without_options",
            answers: vec![one_page()],
            act: |server| {
                Box::pin(async move {
                    let page = client(server).list().send().await.unwrap();
                    assert_eq!(page.items.len(), 2);
                    assert_eq!(page.items[0].id, nth_id(1));
                    assert_eq!(page.items[1].id, nth_id(2));
                    assert_eq!(page.offset, 0);
                    assert!(!page.has_next());
                })
            },
            sent: |requests| assert_eq!(requests[0].query, Vec::<String>::new()),
        },
        Scenario {
            name: "list_with_every_option",
            answers: vec![one_page()],
            act: |server| {
                Box::pin(async move {
                    let page = client(server)
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
                })
            },
            sent: |requests| {
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
            },
        },
        Scenario {
            name: "list_repeats_status_and_metadata_keys",
            answers: vec![one_page()],
            act: |server| {
                Box::pin(async move {
                    client(server)
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
                })
            },
            sent: |requests| {
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
            },
        },
        Scenario {
            name: "list_order_by_every_field_and_direction",
            answers: vec![one_page()],
            act: |server| {
                Box::pin(async move {
                    let client = client(server);
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
                })
            },
            sent: |requests| {
                assert_eq!(
                    queries(requests),
                    [
                        "orderByDirection=ASC&orderByField=triggerAt",
                        "orderByDirection=DESC&orderByField=triggerAt",
                        "orderByDirection=ASC&orderByField=createdAt",
                        "orderByDirection=DESC&orderByField=createdAt",
                    ]
                );
            },
        },
        Scenario {
            name: "list_offset_and_limit",
            answers: vec![one_page()],
            act: |server| {
                Box::pin(async move {
                    let client = client(server);
                    let page = client.list().offset(0).limit(1).send().await.unwrap();
                    assert_eq!(page.offset, 0);
                    let page = client.list().offset(40).limit(20).send().await.unwrap();
                    assert_eq!(page.offset, 40);
                })
            },
            sent: |requests| {
                assert_eq!(requests[0].query, ["limit=1", "offset=0"]);
                assert_eq!(requests[1].query, ["limit=20", "offset=40"]);
            },
        },
        Scenario {
            name: "list_stream_walks_three_pages_and_stops",
            answers: three_pages("scheduled", rows),
            act: |server| {
                Box::pin(async move {
                    let listing = client(server)
                        .list()
                        .statuses([ScheduledRunStatus::Scheduled])
                        .limit(2);
                    let ids = streamed_ids(listing.stream(), |run| run.id).await;
                    assert_eq!(ids, (1..6).map(nth_id).collect::<Vec<_>>());
                })
            },
            sent: |requests| {
                assert_walked_three_pages(requests);
            },
        },
        // -------------------------------------------------------------- bulk
        Scenario {
            name: "bulk_delete_one_id",
            answers: vec![answer(
                "POST",
                &api_path("scheduled/bulk-delete"),
                json!({"deletedIds": [RUN_ID], "errors": []}),
            )],
            act: |server| {
                Box::pin(async move {
                    let outcome = client(server).bulk_delete_ids([RUN_ID]).await.unwrap();
                    assert_eq!(outcome.deleted, [RUN_ID]);
                    assert!(outcome.errors.is_empty());
                })
            },
            sent: |_| {},
        },
        Scenario {
            name: "bulk_delete_1201_ids_in_three_requests_and_merges_them",
            answers: vec![bulk_delete_answer(DeleteAllButFirst)],
            act: |server| {
                Box::pin(async move {
                    let ids: Vec<Uuid> = (1..=1201).map(nth_id).collect();
                    let outcome = client(server).bulk_delete_ids(ids.clone()).await.unwrap();
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
                })
            },
            sent: |requests| {
                let sent: Vec<Vec<Uuid>> = requests
                    .iter()
                    .map(|r| {
                        serde_json::from_value(
                            r.body.as_ref().unwrap()["scheduledWorkflowRunIds"].clone(),
                        )
                        .unwrap()
                    })
                    .collect();
                assert_eq!(
                    sent.iter().map(Vec::len).collect::<Vec<_>>(),
                    [500, 500, 201]
                );
                assert_eq!(sent.concat(), (1..=1201).map(nth_id).collect::<Vec<_>>());
            },
        },
        Scenario {
            name: "bulk_delete_matching_each_filter_field",
            answers: vec![answer(
                "POST",
                &api_path("scheduled/bulk-delete"),
                json!({"deletedIds": [nth_id(7)], "errors": [{"error": "locked"}]}),
            )],
            act: |server| {
                Box::pin(async move {
                    let client = client(server);
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
                })
            },
            sent: |requests| {
                assert_eq!(
                    requests[0].body,
                    Some(json!({"filter": {"workflowId": WORKFLOW_ID}}))
                );
                assert_eq!(
                    requests[3].body,
                    Some(json!({"filter": {"additionalMetadata": ["env:staging", "team:core"]}}))
                );
            },
        },
        Scenario {
            name: "bulk_delete_matching_every_api_created_schedule_on_request",
            answers: vec![answer(
                "POST",
                &api_path("scheduled/bulk-delete"),
                json!({"deletedIds": [nth_id(1), nth_id(2)], "errors": []}),
            )],
            act: |server| {
                Box::pin(async move {
                    let outcome = client(server)
                        .bulk_delete_matching(BulkDeleteFilter::every_api_created_schedule())
                        .await
                        .unwrap();
                    assert_eq!(outcome.deleted, [nth_id(1), nth_id(2)]);
                })
            },
            sent: |requests| assert_eq!(requests[0].body, Some(json!({"filter": {}}))),
        },
        Scenario {
            name: "bulk_update_sends_utc_times",
            answers: vec![answer(
                "POST",
                &api_path("scheduled/bulk-update"),
                json!({
                    "updatedIds": [nth_id(1)],
                    "errors": [{"id": nth_id(2), "error": "cannot update a schedule that has already fired"}]
                }),
            )],
            act: |server| {
                Box::pin(async move {
                    let outcome = client(server)
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
                })
            },
            sent: |requests| {
                assert_eq!(
                    requests[0].body,
                    Some(json!({"updates": [
                        {"id": nth_id(1), "triggerAt": "2026-03-01T08:00:00Z"},
                        {"id": nth_id(2), "triggerAt": "2026-03-01T08:15:00Z"}
                    ]}))
                );
            },
        },
        Scenario {
            name: "bulk_update_501_items_in_two_requests",
            answers: vec![answer_with(
                "POST",
                &api_path("scheduled/bulk-update"),
                UpdateAll,
            )],
            act: |server| {
                Box::pin(async move {
                    let updates: Vec<(Uuid, DateTime<Utc>)> = (1..=501)
                        .map(|n| (nth_id(n), utc(8, 0) + chrono::Duration::minutes(n as i64)))
                        .collect();
                    let outcome = client(server).bulk_update(updates.clone()).await.unwrap();
                    assert_eq!(
                        outcome.updated,
                        updates.iter().map(|(id, _)| *id).collect::<Vec<_>>()
                    );
                    assert!(outcome.errors.is_empty());
                })
            },
            sent: |requests| {
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
            },
        },
        // ------------------------------------------------------------- crons
        //
        // Where the official Python SDK's `CronClient` (1.43.1) does the
        // same thing, it sends the same method, path, body and query
        // values: create's body always carries `input` and
        // `additionalMetadata` (`{}` when empty) and `priority` only when
        // set; the namespace prefixes the workflow in create's path, which
        // both percent-encode whole. The deliberate differences:
        // - `workflowName` is namespaced like create's path; the SDK sends it
        //   bare, so inside a namespace its filter never matches (the server
        //   compares the stored, namespaced name).
        // - The expression is sent exactly as written, and only after the
        //   checks of Hatchet's validator (`validation.rs`): the SDK sends a
        //   trimmed `@daily`, which Hatchet's validator refuses, and refuses
        //   `MON-FRI` and `?`, which it accepts.
        // - Metadata filters are pairs in call order, a key may repeat; the
        //   SDK takes a dict. Query parameters come in the contract's order
        //   (the SDK: offset, limit, workflowId, workflowName, cronName,
        //   additionalMetadata, orderByField, orderByDirection); the server
        //   reads them by name.
        // - Pause, resume and trigger now exist here only.
        // - Headers: `User-Agent: hatchet-scheduled/<version>` (the SDK's is
        //   `OpenAPI-Generator/1.0.0/python`), and the operations answered
        //   204 (delete, pause, resume) accept `*/*` (the SDK's delete asks
        //   for `application/json`).
        // A sync's whole sequence: one listing of the workflow's crons
        // (workflowName filter), the missing cron created, the changed one
        // deleted before its replacement (same name and expression), the
        // stray one pruned last.
        Scenario {
            name: "cron_sync_create_replace_prune",
            answers: vec![
                answer(
                    "GET",
                    &api_path("crons"),
                    list_json(
                        vec![default_cron(), cron_json(nth_id(7), "stray", CRON_WORKFLOW)],
                        1,
                        1,
                        1,
                    ),
                ),
                cron_create_answer(),
                answer_with("DELETE", &cron_path(), ResponseTemplate::new(204)),
                answer_with(
                    "DELETE",
                    &api_path(&format!("crons/{}", nth_id(7))),
                    ResponseTemplate::new(204),
                ),
            ],
            act: |server| {
                Box::pin(async move {
                    let specs = [
                        hatchet_scheduled::CronSpec::new("nightly", "0 2 * * *")
                            .input(json!({"report": "weekly"}))
                            .metadata("env", "prod")
                            .priority(2),
                        hatchet_scheduled::CronSpec::new("hourly", "0 * * * *"),
                    ];
                    let report = cron_client(server)
                        .sync(CRON_WORKFLOW, specs)
                        .prune(true)
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(report.created.len(), 1);
                    assert_eq!(report.replaced[0].0, CRON_ID);
                    assert_eq!(report.deleted, [nth_id(7)]);
                })
            },
            sent: |requests| {
                let sent: Vec<_> = requests
                    .iter()
                    .map(|r| format!("{} {}", r.method, r.path))
                    .collect();
                assert_eq!(
                    sent,
                    [
                        format!("GET {}", api_path("crons")),
                        format!("POST {}", api_path("send-report/crons")),
                        format!("DELETE {}", cron_path()),
                        format!("POST {}", api_path("send-report/crons")),
                        format!("DELETE {}", api_path(&format!("crons/{}", nth_id(7)))),
                    ]
                );
                assert_eq!(requests[0].query, ["limit=100", "workflowName=send-report"]);
            },
        },
        Scenario {
            name: "cron_create_minimal",
            answers: vec![cron_create_answer()],
            act: |server| {
                Box::pin(async move {
                    let cron = cron_client(server)
                        .create(CRON_WORKFLOW, "nightly", "0 2 * * *")
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(cron.id, CRON_ID);
                    assert_eq!(cron.name.as_deref(), Some("nightly"));
                    assert_eq!(cron.expression, "0 2 * * *");
                })
            },
            sent: |requests| {
                assert_eq!(requests.len(), 1);
                assert_eq!(requests[0].method, "POST");
                assert_eq!(requests[0].path, api_path("send-report/crons"));
                assert_eq!(
                    requests[0].body,
                    Some(json!({
                        "additionalMetadata": {},
                        "cronExpression": "0 2 * * *",
                        "cronName": "nightly",
                        "input": {}
                    }))
                );
            },
        },
        Scenario {
            name: "cron_create_with_every_option",
            answers: vec![cron_create_answer()],
            act: |server| {
                Box::pin(async move {
                    cron_client(server)
                        .create(CRON_WORKFLOW, "nightly", "0 2 * * *")
                        .input(json!({"report": "daily", "recipients": ["ada@example.com"], "days": 1}))
                        .metadata("env", "prod")
                        .metadata_map([("team", "core"), ("region", "eu-west")])
                        .priority(3)
                        .send()
                        .await
                        .unwrap();
                })
            },
            sent: |requests| {
                assert_eq!(
                    requests[0].body,
                    Some(json!({
                        "additionalMetadata": {"env": "prod", "team": "core", "region": "eu-west"},
                        "cronExpression": "0 2 * * *",
                        "cronName": "nightly",
                        "input": {"report": "daily", "recipients": ["ada@example.com"], "days": 1},
                        "priority": 3
                    }))
                );
            },
        },
        Scenario {
            name: "cron_create_namespaces_and_percent_encodes_the_workflow",
            answers: [
                "staging_send-report",
                "my%20flow%2F%C3%A4",
                "staging_my%20flow%2F%C3%A4",
            ]
            .map(|workflow| {
                answer(
                    "POST",
                    &api_path(&format!("{workflow}/crons")),
                    default_cron(),
                )
            })
            .into(),
            act: |server| {
                Box::pin(async move {
                    let plain = cron_client(server);
                    let namespaced =
                        client_from(config(&server.uri()).namespace("Staging")).crons();
                    for (crons, workflow) in [
                        (&namespaced, "send-report"),
                        (&namespaced, "staging_send-report"),
                        (&plain, "my flow/ä"),
                        (&namespaced, "my flow/ä"),
                    ] {
                        crons
                            .create(workflow, "nightly", "0 2 * * *")
                            .send()
                            .await
                            .unwrap();
                    }
                })
            },
            sent: |requests| {
                let paths: Vec<_> = requests.iter().map(|r| r.path.clone()).collect();
                assert_eq!(
                    paths,
                    [
                        "staging_send-report",
                        "staging_send-report",
                        "my%20flow%2F%C3%A4",
                        "staging_my%20flow%2F%C3%A4",
                    ]
                    .map(|workflow| format!("/api/v1/tenants/{TENANT}/workflows/{workflow}/crons"))
                );
                // The cron's own name is not namespaced.
                assert!(
                    requests
                        .iter()
                        .all(|r| r.body.as_ref().unwrap()["cronName"] == "nightly")
                );
            },
        },
        Scenario {
            name: "cron_create_sends_the_expression_as_written",
            answers: vec![cron_create_answer()],
            act: |server| {
                Box::pin(async move {
                    cron_client(server)
                        .create(
                            CRON_WORKFLOW,
                            "weekday mornings",
                            "CRON_TZ=Europe/Berlin  30 9 ? * mon-FRI",
                        )
                        .send()
                        .await
                        .unwrap();
                })
            },
            sent: |requests| {
                let body = requests[0].body.as_ref().unwrap();
                assert_eq!(
                    body["cronExpression"],
                    "CRON_TZ=Europe/Berlin  30 9 ? * mon-FRI"
                );
                assert_eq!(body["cronName"], "weekday mornings");
            },
        },
        Scenario {
            name: "cron_get",
            answers: vec![answer("GET", &cron_path(), default_cron())],
            act: |server| {
                Box::pin(async move {
                    let cron = cron_client(server).get(CRON_ID).await.unwrap();
                    assert_eq!(cron.id, CRON_ID);
                })
            },
            sent: |requests| {
                assert_eq!(
                    (requests[0].method.as_str(), requests[0].body.as_ref()),
                    ("GET", None)
                )
            },
        },
        Scenario {
            name: "cron_delete",
            answers: vec![answer_with(
                "DELETE",
                &cron_path(),
                ResponseTemplate::new(204),
            )],
            act: |server| {
                Box::pin(async move { cron_client(server).delete(CRON_ID).await.unwrap() })
            },
            sent: |requests| {
                assert_eq!(
                    (requests[0].method.as_str(), requests[0].body.as_ref()),
                    ("DELETE", None)
                )
            },
        },
        Scenario {
            name: "cron_pause",
            answers: vec![answer_with(
                "PATCH",
                &cron_path(),
                ResponseTemplate::new(204),
            )],
            act: |server| {
                Box::pin(async move { cron_client(server).pause(CRON_ID).await.unwrap() })
            },
            sent: |requests| assert_eq!(requests[0].body, Some(json!({"enabled": false}))),
        },
        Scenario {
            name: "cron_resume",
            answers: vec![answer_with(
                "PATCH",
                &cron_path(),
                ResponseTemplate::new(204),
            )],
            act: |server| {
                Box::pin(async move { cron_client(server).resume(CRON_ID).await.unwrap() })
            },
            sent: |requests| assert_eq!(requests[0].body, Some(json!({"enabled": true}))),
        },
        Scenario {
            name: "cron_trigger_now",
            answers: vec![answer(
                "POST",
                &cron_path(),
                json!({"externalId": STARTED_RUN_ID}),
            )],
            act: |server| {
                Box::pin(async move {
                    let started = cron_client(server).trigger_now(CRON_ID).await.unwrap();
                    assert_eq!(started, STARTED_RUN_ID);
                })
            },
            sent: |requests| {
                assert_eq!(
                    (requests[0].method.as_str(), requests[0].body.as_ref()),
                    ("POST", None)
                );
                assert!(!requests[0].headers.contains_key("content-type"));
            },
        },
        Scenario {
            name: "cron_list_without_options",
            answers: vec![cron_one_page()],
            act: |server| {
                Box::pin(async move {
                    let page = cron_client(server).list().send().await.unwrap();
                    let ids: Vec<_> = page.items.iter().map(|c| c.id).collect();
                    assert_eq!(ids, [nth_id(1), nth_id(2)]);
                    assert_eq!(page.offset, 0);
                    assert!(!page.has_next());
                })
            },
            sent: |requests| assert_eq!(requests[0].query, Vec::<String>::new()),
        },
        Scenario {
            name: "cron_list_with_each_option",
            answers: vec![cron_one_page()],
            act: |server| {
                Box::pin(async move {
                    let crons = cron_client(server);
                    for listing in [
                        crons.list().workflow_id(WORKFLOW_ID),
                        crons.list().workflow_name("send-report"),
                        crons.list().cron_name("nightly report"),
                        crons
                            .list()
                            .metadata("env", "prod")
                            .metadata("team", "core team")
                            .metadata("flag", ""),
                        crons.list().offset(40),
                        crons.list().limit(20),
                        crons
                            .list()
                            .order_by(CronOrderField::WorkflowName, SortDirection::Asc),
                        crons
                            .list()
                            .order_by(CronOrderField::WorkflowName, SortDirection::Desc),
                        crons
                            .list()
                            .order_by(CronOrderField::CreatedAt, SortDirection::Asc),
                        crons
                            .list()
                            .order_by(CronOrderField::CreatedAt, SortDirection::Desc),
                    ] {
                        listing.send().await.unwrap();
                    }
                })
            },
            sent: |requests| {
                assert_eq!(
                    queries(requests),
                    [
                        format!("workflowId={WORKFLOW_ID}"),
                        "workflowName=send-report".into(),
                        "cronName=nightly report".into(),
                        "additionalMetadata=env:prod&additionalMetadata=team:core team&additionalMetadata=flag:".into(),
                        "offset=40".into(),
                        "limit=20".into(),
                        "orderByDirection=ASC&orderByField=name".into(),
                        "orderByDirection=DESC&orderByField=name".into(),
                        "orderByDirection=ASC&orderByField=createdAt".into(),
                        "orderByDirection=DESC&orderByField=createdAt".into(),
                    ]
                );
            },
        },
        Scenario {
            name: "cron_list_workflow_name_is_namespaced_once",
            answers: vec![cron_one_page()],
            act: |server| {
                Box::pin(async move {
                    let crons = client_from(config(&server.uri()).namespace("Staging")).crons();
                    for name in ["send-report", "staging_send-report"] {
                        crons.list().workflow_name(name).send().await.unwrap();
                    }
                    // The cron-name filter is the cron's own name: not namespaced.
                    crons.list().cron_name("nightly").send().await.unwrap();
                })
            },
            sent: |requests| {
                assert_eq!(
                    queries(requests),
                    [
                        "workflowName=staging_send-report",
                        "workflowName=staging_send-report",
                        "cronName=nightly"
                    ]
                );
            },
        },
        Scenario {
            name: "cron_list_with_every_option",
            answers: vec![cron_one_page()],
            act: |server| {
                Box::pin(async move {
                    let page = client_from(config(&server.uri()).namespace("staging"))
                        .crons()
                        .list()
                        .workflow_id(WORKFLOW_ID)
                        .workflow_name("send-report")
                        .cron_name("nightly")
                        .metadata("env", "prod")
                        .metadata("team", "core")
                        .order_by(CronOrderField::WorkflowName, SortDirection::Asc)
                        .offset(100)
                        .limit(50)
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(page.offset, 100);
                })
            },
            sent: |requests| {
                assert_eq!(
                    requests[0].query,
                    [
                        "additionalMetadata=env:prod".to_owned(),
                        "additionalMetadata=team:core".into(),
                        "cronName=nightly".into(),
                        "limit=50".into(),
                        "offset=100".into(),
                        "orderByDirection=ASC".into(),
                        "orderByField=name".into(),
                        format!("workflowId={WORKFLOW_ID}"),
                        "workflowName=staging_send-report".into(),
                    ]
                );
            },
        },
        Scenario {
            name: "cron_list_stream_walks_three_pages_and_stops",
            answers: three_pages("crons", cron_rows),
            act: |server| {
                Box::pin(async move {
                    let listing = cron_client(server).list().cron_name("nightly").limit(2);
                    let ids = streamed_ids(listing.stream(), |cron| cron.id).await;
                    assert_eq!(ids, (1..6).map(nth_id).collect::<Vec<_>>());
                })
            },
            sent: |requests| {
                assert_walked_three_pages(requests);
                assert!(
                    requests
                        .iter()
                        .all(|r| query_values(r, "cronName") == ["nightly"])
                );
            },
        },
    ]
}

// ----------------------------------------------------- single properties

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
async fn the_namespace_does_not_change_other_operations() {
    let server = server_with([
        answer("GET", &run_path(), default_run()),
        answer("GET", &api_path("scheduled"), list_json(vec![], 1, 2, 0)),
    ])
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
async fn a_trailing_slash_on_the_server_url_does_not_double_the_slash() {
    let server = server_with([create_answer()]).await;
    let client = client_from(config(&format!("{}//", server.uri())));

    client.create("send-email", utc(8, 0)).send().await.unwrap();

    assert_eq!(
        wire(&server).await[0].path,
        api_path("send-email/scheduled")
    );
}

#[tokio::test]
async fn a_token_with_surrounding_whitespace_is_sent_trimmed() {
    // Tokens read from files or secrets often end with a newline.
    let server = server_with([answer("GET", &run_path(), default_run())]).await;
    let client = client_from(config(&server.uri()).token(format!(" {TOKEN}\n")));

    client.get(RUN_ID).await.unwrap();

    // `wire` asserts the header is exactly `Bearer <TOKEN>`.
    assert_eq!(
        wire(&server).await[0].headers["authorization"],
        "Bearer [redacted]"
    );
}

#[tokio::test]
async fn list_statuses_replace_earlier_ones() {
    let server = server_with([one_page()]).await;

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
async fn a_listing_is_reusable() {
    let server = server_with([one_page()]).await;
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
async fn list_stream_fetches_pages_lazily() {
    let server = server_with(three_pages("scheduled", rows)).await;

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
    let page = |offset| listing_page("scheduled", offset);
    let server = server_with([
        page(None).respond_with(ResponseTemplate::new(200).set_body_json(list_json(
            rows(1, 3),
            1,
            2,
            3,
        ))),
        page(Some("2")).respond_with(
            ResponseTemplate::new(500)
                .set_body_json(json!({"errors": [{"description": "db down"}]})),
        ),
    ])
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

fn bulk_delete_answer(responder: impl Respond + 'static) -> Mock {
    answer_with("POST", &api_path("scheduled/bulk-delete"), responder)
}

#[tokio::test]
async fn bulk_delete_exactly_500_ids_is_one_request() {
    let server = server_with([bulk_delete_answer(DeleteAllButFirst)]).await;

    let outcome = client(&server)
        .bulk_delete_ids((1..=500).map(nth_id))
        .await
        .unwrap();

    assert_eq!(received(&server).await.len(), 1);
    assert_eq!(outcome.deleted.len(), 499);
    assert_eq!(outcome.errors.len(), 1);
}

#[tokio::test]
async fn a_failed_later_chunk_reports_its_items_and_stops() {
    let server = server_with([bulk_delete_answer(FailAfterFirst {
        calls: AtomicUsize::new(0),
        first: ResponseTemplate::new(200)
            .set_body_json(json!({"deletedIds": [nth_id(1), nth_id(2)], "errors": []})),
    })])
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
    let server = server_with([bulk_delete_answer(
        ResponseTemplate::new(403).set_body_json(json!({"description": "cannot delete"})),
    )])
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
async fn a_failed_later_chunk_of_a_bulk_update_reports_each_items_id() {
    let server = server_with([answer_with(
        "POST",
        &api_path("scheduled/bulk-update"),
        FailAfterFirst {
            calls: AtomicUsize::new(0),
            first: ResponseTemplate::new(200)
                .set_body_json(json!({"updatedIds": [nth_id(1)], "errors": []})),
        },
    )])
    .await;
    let at = utc(9, 0);
    let updates: Vec<(Uuid, DateTime<Utc>)> = (1..=700).map(|n| (nth_id(n), at)).collect();

    let outcome = client(&server).bulk_update(updates).await.unwrap();

    assert_eq!(outcome.updated, [nth_id(1)]);
    assert_eq!(
        outcome.errors.iter().map(|e| e.id).collect::<Vec<_>>(),
        (501..=700).map(|n| Some(nth_id(n))).collect::<Vec<_>>(),
        "the items of the chunk that failed, each by its id"
    );
}

#[tokio::test]
async fn a_callers_http_client_is_the_one_that_sends() {
    let server = server_with([answer("GET", &run_path(), default_run())]).await;
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-caller", "mine".parse().unwrap());
    let http = reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .unwrap();
    let client = client_from(config(&server.uri()).http_client(http));
    client.get(RUN_ID).await.unwrap();
    let sent = received(&server).await;
    assert_eq!(sent[0].headers["x-caller"], "mine");
}
