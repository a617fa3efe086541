//! The blocking client sends the same requests as the async one. It runs
//! on the plain test thread; the mock server gets its own runtime.

use chrono::{TimeZone, Utc};
use hatchet_scheduled::{
    BulkDeleteFilter, CronOrderField, Error, ScheduledRunStatus, SortDirection, blocking,
};
use serde_json::{Value, json};
use tokio::runtime::Runtime;
use uuid::Uuid;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::support::*;

/// A mock server on its own runtime, and a blocking client for it.
struct Setup {
    client: blocking::ScheduledClient,
    server: MockServer,
    rt: Runtime,
}

impl Setup {
    fn answering(answers: impl IntoIterator<Item = Mock>) -> Self {
        let rt = Runtime::new().unwrap();
        let server = rt.block_on(server_with(answers));
        let client = blocking_client(&server.uri());
        Self { client, server, rt }
    }

    fn wire(&self) -> Vec<WireRequest> {
        self.rt.block_on(wire(&self.server))
    }
}

/// The two pages of one row each, `first` then `second`, that a `listing`
/// (`scheduled` or `crons`) with `limit=1` walks.
fn two_pages(listing: &str, first: Value, second: Value) -> [Mock; 2] {
    [(None, first, 1), (Some("1"), second, 2)].map(|(offset, row, current)| {
        listing_page(listing, offset).respond_with(
            ResponseTemplate::new(200).set_body_json(list_json(vec![row], current, 2, 2)),
        )
    })
}

/// The ids `iter` yields, asserting that once finished it stays finished.
fn iterated_ids<T>(mut iter: blocking::Pages<T>, id: fn(&T) -> Uuid) -> Vec<Uuid> {
    let ids = iter.by_ref().map(|item| id(&item.unwrap())).collect();
    assert!(iter.next().is_none(), "a finished iterator stays finished");
    ids
}

#[test]
fn create() {
    let s = Setup::answering([create_answer()]);
    let at = zoned(2, 10, 0);

    let run = s
        .client
        .create("send-email", at)
        .input(json!({"to": "ada@example.com"}))
        .metadata("env", "prod")
        .priority(2)
        .send()
        .unwrap();

    assert_eq!(run.id, RUN_ID);
    let requests = s.wire();
    assert_eq!(
        requests[0].body.as_ref().unwrap()["triggerAt"],
        json!("2026-03-01T08:00:00Z")
    );
    insta::assert_yaml_snapshot!(requests);
}

#[test]
fn get_delete_update_and_trigger() {
    let one = run_path();
    let s = Setup::answering([
        answer("GET", &one, default_run()),
        answer(
            "PATCH",
            &one,
            run_json(RUN_ID, "send-email", "2026-03-02T08:00:00Z"),
        ),
        answer("POST", &one, json!({"externalId": STARTED_RUN_ID})),
        answer_with("DELETE", &one, ResponseTemplate::new(204)),
    ]);

    let run = s.client.get(RUN_ID).unwrap();
    assert_eq!(run.workflow_name, "send-email");
    let moved = s
        .client
        .update(RUN_ID, Utc.with_ymd_and_hms(2026, 3, 2, 8, 0, 0).unwrap())
        .unwrap();
    assert_eq!(moved.trigger_at.to_rfc3339(), "2026-03-02T08:00:00+00:00");
    assert_eq!(s.client.trigger_now(RUN_ID).unwrap(), STARTED_RUN_ID);
    s.client.delete(RUN_ID).unwrap();

    let requests = s.wire();
    let methods: Vec<_> = requests.iter().map(|r| r.method.as_str()).collect();
    assert_eq!(methods, ["GET", "PATCH", "POST", "DELETE"]);
    insta::assert_yaml_snapshot!(requests);
}

#[test]
fn list_one_page() {
    let s = Setup::answering([answer(
        "GET",
        &api_path("scheduled"),
        list_json(rows(1, 3), 1, 1, 1),
    )]);

    let page = s
        .client
        .list()
        .statuses([ScheduledRunStatus::Scheduled, ScheduledRunStatus::Failed])
        .metadata("env", "prod")
        .limit(2)
        .send()
        .unwrap();

    assert_eq!(
        page.items.iter().map(|r| r.id).collect::<Vec<_>>(),
        [nth_id(1), nth_id(2)]
    );
    assert!(!page.has_next());
    insta::assert_yaml_snapshot!(s.wire());
}

#[test]
fn list_iter_walks_every_page_and_stops() {
    let runs = Setup::answering(three_pages("scheduled", rows));
    let crons = Setup::answering(three_pages("crons", cron_rows));

    let run_ids = iterated_ids(runs.client.list().limit(2).iter(), |run| run.id);
    let cron_client = blocking_cron_client(&crons.server.uri());
    let cron_ids = iterated_ids(cron_client.list().limit(2).iter(), |cron| cron.id);

    for (ids, s, snapshot) in [
        (run_ids, &runs, "list_iter_walks_every_page_and_stops"),
        (
            cron_ids,
            &crons,
            "cron_list_iter_walks_every_page_and_stops",
        ),
    ] {
        assert_eq!(ids, (1..6).map(nth_id).collect::<Vec<_>>());
        let requests = s.wire();
        assert_walked_three_pages(&requests);
        insta::assert_yaml_snapshot!(snapshot, requests);
    }
}

#[test]
fn get_and_iter_decode_rows_as_the_servers_transformer_writes_them() {
    // Schedules with `additionalMetadata: null`, zero run time and empty run
    // name (`transformer_row`); code-defined crons with `"name": ""` and
    // `"additionalMetadata": null` (`transformer_cron_row`).
    let mut answers = vec![
        answer("GET", &run_path(), transformer_row(RUN_ID)),
        answer("GET", &cron_path(), transformer_cron_row(CRON_ID)),
    ];
    answers.extend(two_pages(
        "scheduled",
        transformer_row(nth_id(1)),
        transformer_row(nth_id(2)),
    ));
    answers.extend(two_pages(
        "crons",
        transformer_cron_row(nth_id(1)),
        transformer_cron_row(nth_id(2)),
    ));
    let s = Setup::answering(answers);
    let crons = s.client.crons();

    let run = s.client.get(RUN_ID).unwrap();
    assert!(run.additional_metadata.is_empty());
    assert_eq!(
        (run.status, run.workflow_run),
        (ScheduledRunStatus::Scheduled, None)
    );
    let runs: Vec<_> = s
        .client
        .list()
        .limit(1)
        .iter()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        runs.iter().map(|r| r.id).collect::<Vec<_>>(),
        [nth_id(1), nth_id(2)]
    );
    assert!(
        runs.iter()
            .all(|r| r.additional_metadata.is_empty() && r.workflow_run.is_none())
    );

    let mut listed: Vec<_> = crons
        .list()
        .limit(1)
        .iter()
        .collect::<Result<_, _>>()
        .unwrap();
    listed.push(crons.get(CRON_ID).unwrap());
    assert_eq!(
        listed.iter().map(|c| c.id).collect::<Vec<_>>(),
        [nth_id(1), nth_id(2), CRON_ID]
    );
    for cron in listed {
        assert_eq!(cron.name, None);
        assert!(cron.additional_metadata.is_empty() && cron.input.is_empty());
    }
}

#[test]
fn list_iter_on_an_empty_listing_makes_one_request() {
    let s = Setup::answering([answer(
        "GET",
        &api_path("scheduled"),
        list_json(vec![], 1, 2, 0),
    )]);

    assert_eq!(s.client.list().iter().count(), 0);
    assert_eq!(s.wire().len(), 1);
}

#[test]
fn list_iter_stops_after_an_error() {
    let s = Setup::answering([]); // the catch-all answers 418

    let results: Vec<_> = s.client.list().iter().collect();

    assert_eq!(results.len(), 1);
    let error = results[0].as_ref().unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(418));
    assert_eq!(s.wire().len(), 1);
}

/// Deletes every id it is sent.
struct DeleteAll;

impl Respond for DeleteAll {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = request.body_json().unwrap();
        ResponseTemplate::new(200).set_body_json(
            json!({"deletedIds": body.get("scheduledWorkflowRunIds").unwrap_or(&json!([])), "errors": []}),
        )
    }
}

#[test]
fn bulk_delete_ids_chunked_and_matching() {
    let s = Setup::answering([answer_with(
        "POST",
        &api_path("scheduled/bulk-delete"),
        DeleteAll,
    )]);
    let ids: Vec<Uuid> = (1..=501).map(nth_id).collect();

    let outcome = s.client.bulk_delete_ids(ids.clone()).unwrap();
    assert_eq!(outcome.deleted, ids);
    assert!(outcome.errors.is_empty());
    let outcome = s
        .client
        .bulk_delete_matching(BulkDeleteFilter::default().metadata("env", "staging"))
        .unwrap();
    assert!(outcome.deleted.is_empty());

    let requests = s.wire();
    let sizes: Vec<_> = requests
        .iter()
        .map(|r| {
            r.body.as_ref().unwrap()["scheduledWorkflowRunIds"]
                .as_array()
                .map_or(0, Vec::len)
        })
        .collect();
    assert_eq!(sizes, [500, 1, 0]);
    assert_eq!(
        requests[2].body,
        Some(json!({"filter": {"additionalMetadata": ["env:staging"]}}))
    );
    // The big first body is checked above; snapshot the small ones.
    insta::assert_yaml_snapshot!(&requests[1..]);
}

#[test]
fn bulk_update() {
    let s = Setup::answering([answer(
        "POST",
        &api_path("scheduled/bulk-update"),
        json!({"updatedIds": [nth_id(1)], "errors": [{"id": nth_id(2), "error": "not found"}]}),
    )]);
    let at = zoned(-5, 3, 0);

    let outcome = s
        .client
        .bulk_update([(nth_id(1), at), (nth_id(2), at)])
        .unwrap();

    assert_eq!(outcome.updated, [nth_id(1)]);
    assert_eq!(outcome.errors[0].id, Some(nth_id(2)));
    assert_eq!(outcome.errors[0].message, "not found");
    insta::assert_yaml_snapshot!(s.wire());
}

// ------------------------------------------------------------------ crons

#[test]
fn cron_create() {
    let s = Setup::answering([cron_create_answer()]);

    let cron = blocking_cron_client(&s.server.uri())
        .create(CRON_WORKFLOW, "nightly", "0 2 * * *")
        .input(json!({"report": "daily"}))
        .metadata("env", "prod")
        .priority(2)
        .send()
        .unwrap();

    assert_eq!(cron.id, CRON_ID);
    let requests = s.wire();
    assert_eq!(
        requests[0].body,
        Some(json!({
            "additionalMetadata": {"env": "prod"},
            "cronExpression": "0 2 * * *",
            "cronName": "nightly",
            "input": {"report": "daily"},
            "priority": 2
        }))
    );
    insta::assert_yaml_snapshot!(requests);
}

#[test]
fn cron_get_pause_resume_trigger_and_delete() {
    let one = cron_path();
    let s = Setup::answering([
        answer("GET", &one, default_cron()),
        answer_with("PATCH", &one, ResponseTemplate::new(204)),
        answer("POST", &one, json!({"externalId": STARTED_RUN_ID})),
        answer_with("DELETE", &one, ResponseTemplate::new(204)),
    ]);
    let crons = s.client.crons();

    assert_eq!(crons.get(CRON_ID).unwrap().workflow_name, CRON_WORKFLOW);
    crons.pause(CRON_ID).unwrap();
    crons.resume(CRON_ID).unwrap();
    assert_eq!(crons.trigger_now(CRON_ID).unwrap(), STARTED_RUN_ID);
    crons.delete(CRON_ID).unwrap();

    let requests = s.wire();
    let sent: Vec<_> = requests
        .iter()
        .map(|r| (r.method.as_str(), r.body.clone()))
        .collect();
    assert_eq!(
        sent,
        [
            ("GET", None),
            ("PATCH", Some(json!({"enabled": false}))),
            ("PATCH", Some(json!({"enabled": true}))),
            ("POST", None),
            ("DELETE", None),
        ]
    );
    insta::assert_yaml_snapshot!(requests);
}

#[test]
fn cron_list_one_page_with_every_option() {
    let s = Setup::answering([answer(
        "GET",
        &api_path("crons"),
        list_json(cron_rows(1, 3), 1, 1, 1),
    )]);
    let namespaced = blocking::ScheduledClient::new(
        config(&s.server.uri())
            .namespace("staging")
            .build()
            .unwrap(),
    )
    .unwrap();

    let page = namespaced
        .crons()
        .list()
        .workflow_id(WORKFLOW_ID)
        .workflow_name("send-report")
        .cron_name("nightly")
        .metadata("env", "prod")
        .order_by(CronOrderField::CreatedAt, SortDirection::Desc)
        .offset(0)
        .limit(2)
        .send()
        .unwrap();

    assert_eq!(
        page.items.iter().map(|c| c.id).collect::<Vec<_>>(),
        [nth_id(1), nth_id(2)]
    );
    assert!(!page.has_next());
    let requests = s.wire();
    assert_eq!(
        query_values(&requests[0], "workflowName"),
        ["staging_send-report"]
    );
    insta::assert_yaml_snapshot!(requests);
}

#[test]
fn validation_errors_send_nothing() {
    let s = Setup::answering([]);
    let at = utc(8, 0);

    let crons = s.client.crons();

    let errors = [
        s.client.create("", at).send().unwrap_err(),
        s.client.create("wf", at).priority(0).send().unwrap_err(),
        s.client.list().limit(0).send().unwrap_err(),
        s.client.list().limit(0).iter().next().unwrap().unwrap_err(),
        s.client.bulk_delete_ids([]).unwrap_err(),
        s.client
            .bulk_delete_matching(BulkDeleteFilter::default())
            .unwrap_err(),
        crons.create("", "nightly", "0 2 * * *").send().unwrap_err(),
        crons.create("wf", " ", "0 2 * * *").send().unwrap_err(),
        crons.create("wf", "nightly", "@daily").send().unwrap_err(),
        crons
            .create("wf", "nightly", "0 2 * * *")
            .priority(4)
            .send()
            .unwrap_err(),
        crons.list().metadata("a:b", "c").send().unwrap_err(),
        crons.list().limit(0).iter().next().unwrap().unwrap_err(),
    ];
    let names: Vec<_> = errors
        .iter()
        .map(|e| match e {
            Error::InvalidArgument { name, .. } => *name,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        names,
        [
            "workflow",
            "priority",
            "limit",
            "limit",
            "ids",
            "filter",
            "workflow",
            "cron_name",
            "expression",
            "priority",
            "metadata",
            "limit"
        ]
    );
    assert!(s.wire().is_empty());
}

#[test]
fn errors_are_the_async_clients() {
    let s = Setup::answering([answer_with(
        "GET",
        &run_path(),
        ResponseTemplate::new(404).set_body_json(
            json!({"errors": [{"description": "scheduled workflow run not found"}]}),
        ),
    )]);

    let error = s.client.get(RUN_ID).unwrap_err();

    assert!(error.is_not_found());
    assert_eq!(
        error.to_string(),
        "not found (404) in workflow-scheduled:get: scheduled workflow run not found"
    );
}

#[tokio::test]
async fn inside_an_async_runtime_it_refuses_without_panicking_or_sending() {
    let server = server().await;
    let client = blocking_client(&server.uri());
    let crons = client.crons();
    let at = utc(8, 0);

    let results = [
        client.get(RUN_ID).map(drop),
        client.delete(RUN_ID),
        client.update(RUN_ID, at).map(drop),
        client.trigger_now(RUN_ID).map(drop),
        client.create("send-email", at).send().map(drop),
        client.list().send().map(drop),
        client.list().iter().next().unwrap().map(drop),
        client.bulk_delete_ids([RUN_ID]).map(drop),
        client
            .bulk_delete_matching(BulkDeleteFilter::every_api_created_schedule())
            .map(drop),
        client.bulk_update([(RUN_ID, at)]).map(drop),
        crons.get(CRON_ID).map(drop),
        crons.delete(CRON_ID),
        crons.pause(CRON_ID),
        crons.resume(CRON_ID),
        crons.trigger_now(CRON_ID).map(drop),
        crons
            .create(CRON_WORKFLOW, "nightly", "0 2 * * *")
            .send()
            .map(drop),
        crons.list().send().map(drop),
        crons.list().iter().next().unwrap().map(drop),
    ];
    for result in results {
        assert!(
            matches!(result, Err(Error::BlockingInAsyncContext)),
            "{result:?}"
        );
    }
    let mut iter = client.list().iter();
    assert!(iter.next().unwrap().is_err());
    assert!(iter.next().is_none(), "no retry loop after the refusal");
    assert_eq!(
        Error::BlockingInAsyncContext.to_string(),
        "the blocking client was called inside an async runtime; use the async `ScheduledClient` there"
    );
    assert!(received(&server).await.is_empty());
    // Dropping the clients here, inside the runtime, must not panic either.
    drop(crons);
    drop(client);
}

#[tokio::test]
async fn the_async_twin_of_a_blocking_client_works_inside_a_runtime() {
    let server = server_with([answer("GET", &run_path(), default_run())]).await;
    let client = blocking_client(&server.uri());

    let run = client.as_async().get(RUN_ID).await.unwrap();

    assert_eq!(run.id, RUN_ID);
    drop(client);
}
