//! End to end: the async `ScheduledClient` and its `CronClient` against the
//! embedded fake Hatchet, for every operation and the server's rules.

use std::time::Duration;

use chrono::{DateTime, FixedOffset, TimeZone, Utc};
use futures_util::TryStreamExt;
use hatchet_fake::{FakeHatchet, Fault, Operation, StartedBy};
use hatchet_scheduled::{
    BulkDeleteFilter, ClientConfig, ClientConfigBuilder, CronClient, CronOrderField, CronTrigger,
    Error, Page, RetryPolicy, ScheduleMethod, ScheduledClient, ScheduledOrderField,
    ScheduledRunStatus, SortDirection,
};
use serde_json::json;
use uuid::Uuid;

const WORKFLOW: &str = "send-email";

/// A fake with [`WORKFLOW`] registered, and a client without retries.
async fn setup() -> (FakeHatchet, ScheduledClient) {
    let fake = FakeHatchet::start().await;
    fake.register_workflow(WORKFLOW);
    let client = client(&fake, |config| config);
    (fake, client)
}

/// A client configured from the fake's token alone, never retrying unless
/// `adjust` says otherwise.
fn client(
    fake: &FakeHatchet,
    adjust: impl FnOnce(ClientConfigBuilder) -> ClientConfigBuilder,
) -> ScheduledClient {
    let config = ClientConfig::builder()
        .token(fake.token())
        .retry_policy(RetryPolicy::none());
    ScheduledClient::new(adjust(config).build().unwrap()).unwrap()
}

/// A whole-hour time in 2040: the fake keeps millisecond precision only.
fn at(hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2040, 1, 1, 0, 0, 0).unwrap() + chrono::Duration::hours(hour.into())
}

async fn schedule(client: &ScheduledClient, hour: u32, env: &str) -> Uuid {
    client
        .create(WORKFLOW, at(hour))
        .metadata("env", env)
        .send()
        .await
        .unwrap()
        .id
}

fn count(fake: &FakeHatchet, operation: Operation) -> usize {
    fake.requests().iter().filter(|&&o| o == operation).count()
}

/// The server's first error description.
fn description(error: &Error) -> &str {
    &error.api_errors()[0].description
}

#[tokio::test]
async fn create_then_get_round_trips_every_field() {
    let (fake, client) = setup().await;
    let workflow_id = fake.register_workflow(WORKFLOW);
    let run = client
        .create(WORKFLOW, at(3))
        .input(json!({"to": "ada@example.com"}))
        .metadata("env", "prod")
        .priority(2)
        .send()
        .await
        .unwrap();
    assert_eq!(run.workflow_name, WORKFLOW);
    assert_eq!(run.workflow_id, workflow_id);
    assert_eq!(run.tenant_id, fake.tenant_id());
    assert_eq!(run.trigger_at, at(3));
    assert_eq!(run.input["to"], "ada@example.com");
    assert_eq!(run.additional_metadata["env"], "prod");
    assert_eq!(run.priority, Some(2));
    assert_eq!(run.method, ScheduleMethod::Api);
    assert_eq!(run.status, ScheduledRunStatus::Scheduled);
    assert_eq!(run.workflow_run, None);
    assert_eq!(client.get(run.id).await.unwrap(), run);
}

#[tokio::test]
async fn priority_defaults_to_one_and_past_times_are_accepted() {
    let (_fake, client) = setup().await;
    let past = Utc.with_ymd_and_hms(2001, 1, 1, 0, 0, 0).unwrap();
    let run = client.create(WORKFLOW, past).send().await.unwrap();
    assert_eq!((run.priority, run.trigger_at), (Some(1), past));
}

#[tokio::test]
async fn times_in_other_zones_arrive_at_the_right_instant() {
    // The server drops UTC offsets; the client must send UTC.
    let (_fake, client) = setup().await;
    let berlin = FixedOffset::east_opt(2 * 3600).unwrap();
    let local = berlin.with_ymd_and_hms(2040, 6, 1, 10, 0, 0).unwrap();
    let run = client.create(WORKFLOW, local).send().await.unwrap();
    assert_eq!(run.trigger_at, local.with_timezone(&Utc));
    let moved = client
        .update(run.id, local + chrono::Duration::hours(1))
        .await
        .unwrap();
    assert_eq!(
        moved.trigger_at,
        local.with_timezone(&Utc) + chrono::Duration::hours(1)
    );
}

#[tokio::test]
async fn an_unknown_workflow_is_a_bad_request() {
    let (_fake, client) = setup().await;
    let error = client.create("nope", at(1)).send().await.unwrap_err();
    assert!(matches!(error, Error::BadRequest(_)), "{error:?}");
    assert_eq!(description(&error), "workflow not found");
}

#[tokio::test]
async fn the_namespace_prefixes_the_workflow_name() {
    let fake = FakeHatchet::start().await;
    fake.register_workflow("staging_send-email");
    let client = client(&fake, |c| c.namespace("Staging"));
    let run = client.create(WORKFLOW, at(1)).send().await.unwrap();
    assert_eq!(run.workflow_name, "staging_send-email");
}

#[tokio::test]
async fn update_reschedules_an_api_schedule() {
    let (fake, client) = setup().await;
    let id = schedule(&client, 1, "prod").await;
    let moved = client.update(id, at(9)).await.unwrap();
    assert_eq!(moved.trigger_at, at(9));
    assert_eq!(fake.schedules()[0].trigger_at, at(9));
}

#[tokio::test]
async fn update_refuses_code_defined_schedules_and_finds_no_fired_ones() {
    let (fake, client) = setup().await;
    let code = fake.insert_definition_schedule("nightly", at(1));
    let error = client.update(code, at(2)).await.unwrap_err();
    assert!(matches!(error, Error::Forbidden(_)), "{error:?}");
    assert_eq!(
        description(&error),
        "Cannot update scheduled run created via code definition."
    );

    let past = Utc.with_ymd_and_hms(2001, 1, 1, 0, 0, 0).unwrap();
    let fired = client.create(WORKFLOW, past).send().await.unwrap().id;
    fake.fire_due();
    let error = client.update(fired, at(2)).await.unwrap_err();
    assert!(error.is_not_found(), "fired means deleted: {error:?}");
}

#[tokio::test]
async fn a_code_defined_schedule_reads_with_empty_metadata() {
    // Its metadata column is NULL: the server sends `null`.
    let (fake, client) = setup().await;
    let code = fake.insert_definition_schedule("nightly", at(1));
    let run = client.get(code).await.unwrap();
    assert!(run.additional_metadata.is_empty());
    assert_eq!(
        (run.status, run.workflow_run),
        (ScheduledRunStatus::Scheduled, None)
    );
    let listed = client.list().send().await.unwrap();
    assert_eq!(listed.items[0].id, code);
}

#[tokio::test]
async fn delete_then_get_is_not_found() {
    let (_fake, client) = setup().await;
    let id = schedule(&client, 1, "prod").await;
    client.delete(id).await.unwrap();
    let error = client.get(id).await.unwrap_err();
    assert!(error.is_not_found(), "{error:?}");
    assert_eq!(description(&error), "scheduled workflow run not found");
    assert!(client.delete(id).await.unwrap_err().is_not_found());
    assert!(client.update(id, at(2)).await.unwrap_err().is_not_found());
    assert!(client.trigger_now(id).await.unwrap_err().is_not_found());
}

#[tokio::test]
async fn a_code_defined_schedule_cannot_be_deleted() {
    let (fake, client) = setup().await;
    let code = fake.insert_definition_schedule("nightly", at(1));
    let error = client.delete(code).await.unwrap_err();
    assert!(matches!(error, Error::Forbidden(_)), "{error:?}");
    assert_eq!(
        description(&error),
        "Cannot delete scheduled run created via code definition."
    );
    assert_eq!(
        client.get(code).await.unwrap().method,
        ScheduleMethod::Default
    );
}

#[tokio::test]
async fn trigger_now_starts_a_run_and_the_schedule_is_gone() {
    let (fake, client) = setup().await;
    let id = schedule(&client, 1, "prod").await;
    let run_id = client.trigger_now(id).await.unwrap();
    let started = fake.started_runs();
    assert_eq!(
        (started[0].started_by, started[0].run_id),
        (StartedBy::Schedule(id), run_id)
    );
    assert!(client.get(id).await.unwrap_err().is_not_found());
}

#[tokio::test]
async fn list_defaults_filters_and_order() {
    let (fake, client) = setup().await;
    // One second apart, so creation order is unambiguous.
    let tick = || fake.advance_time(Duration::from_secs(1));
    let a = schedule(&client, 1, "prod").await;
    tick();
    let b = schedule(&client, 2, "dev").await;
    tick();
    let c = schedule(&client, 3, "prod").await;
    tick();
    fake.insert_definition_schedule("nightly", at(4));
    let ids = |page: hatchet_scheduled::Page<hatchet_scheduled::ScheduledRun>| -> Vec<Uuid> {
        page.items.iter().map(|r| r.id).collect()
    };

    let all = client.list().send().await.unwrap();
    assert_eq!(all.items.len(), 4);
    assert_eq!(ids(all)[1..], [c, b, a], "trigger time descending");

    let prod = client
        .list()
        .metadata("env", "prod")
        .order_by(ScheduledOrderField::TriggerAt, SortDirection::Asc)
        .send()
        .await
        .unwrap();
    assert_eq!(ids(prod), [a, c]);

    let mine = fake.register_workflow(WORKFLOW);
    let of_workflow = client.list().workflow_id(mine).send().await.unwrap();
    assert_eq!(of_workflow.items.len(), 3);

    let by_creation = client
        .list()
        .order_by(ScheduledOrderField::CreatedAt, SortDirection::Asc)
        .limit(2)
        .send()
        .await
        .unwrap();
    assert_eq!(ids(by_creation.clone()), [a, b]);
    assert!(by_creation.has_next());
    assert_eq!(
        (by_creation.current_page, by_creation.num_pages),
        (Some(1), Some(2))
    );

    let last = client.list().limit(2).offset(2).send().await.unwrap();
    assert_eq!(last.items.len(), 2);
    assert!(!last.has_next(), "the last page repeats its number as next");
}

#[tokio::test]
async fn an_empty_listing_has_no_next_page() {
    let (_fake, client) = setup().await;
    let page = client.list().send().await.unwrap();
    assert!(page.items.is_empty());
    assert_eq!(page.num_pages, Some(0));
    assert!(!page.has_next());
}

#[tokio::test]
async fn stream_fetches_every_page_and_stops_after_the_last() {
    let (fake, client) = setup().await;
    for hour in 0..7 {
        schedule(&client, hour, "prod").await;
    }
    let before = count(&fake, Operation::List);
    let runs: Vec<_> = client
        .list()
        .order_by(ScheduledOrderField::TriggerAt, SortDirection::Asc)
        .limit(3)
        .stream()
        .try_collect()
        .await
        .unwrap();
    let times: Vec<_> = runs.iter().map(|r| r.trigger_at).collect();
    assert_eq!(times, (0..7).map(at).collect::<Vec<_>>());
    assert_eq!(
        count(&fake, Operation::List) - before,
        3,
        "3 pages, no extra request"
    );

    let none: Vec<_> = client
        .list()
        .metadata("env", "nowhere")
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert!(none.is_empty());
    assert_eq!(count(&fake, Operation::List) - before, 4);
}

#[tokio::test]
async fn bulk_delete_by_ids_reports_what_it_could_not_delete() {
    let (fake, client) = setup().await;
    let api = schedule(&client, 1, "prod").await;
    let code = fake.insert_definition_schedule("nightly", at(2));
    let unknown = Uuid::new_v4();
    let outcome = client.bulk_delete_ids([api, code, unknown]).await.unwrap();
    assert_eq!(outcome.deleted, [api]);
    let failed: Vec<_> = outcome
        .errors
        .iter()
        .map(|e| (e.id, e.message.as_str()))
        .collect();
    assert_eq!(
        failed,
        [
            (Some(code), "Failed to delete scheduled workflow."),
            (Some(unknown), "Failed to delete scheduled workflow.")
        ]
    );
}

#[tokio::test]
async fn bulk_delete_ids_beyond_500_is_split_into_requests() {
    let (fake, client) = setup().await;
    let ids: Vec<Uuid> = (0..600).map(|_| Uuid::new_v4()).collect();
    let outcome = client.bulk_delete_ids(ids).await.unwrap();
    assert_eq!(outcome.errors.len(), 600);
    assert_eq!(count(&fake, Operation::BulkDelete), 2);
}

#[tokio::test]
async fn bulk_delete_matching_by_metadata_and_everything() {
    let (fake, client) = setup().await;
    let prod = schedule(&client, 1, "prod").await;
    let dev = schedule(&client, 2, "dev").await;
    let code = fake.insert_definition_schedule("nightly", at(3));

    let outcome = client
        .bulk_delete_matching(BulkDeleteFilter::default().metadata("env", "prod"))
        .await
        .unwrap();
    assert_eq!((outcome.deleted, outcome.errors), (vec![prod], vec![]));

    let error = client
        .bulk_delete_matching(BulkDeleteFilter::default())
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidArgument { .. }), "{error:?}");
    assert_eq!(
        count(&fake, Operation::BulkDelete),
        1,
        "refused before sending"
    );

    let outcome = client
        .bulk_delete_matching(BulkDeleteFilter::every_api_created_schedule())
        .await
        .unwrap();
    assert_eq!(outcome.deleted, [dev]);
    assert_eq!(outcome.errors[0].id, Some(code));
    assert_eq!(
        outcome.errors[0].message,
        "Cannot delete scheduled run created via code definition."
    );
}

#[tokio::test]
async fn bulk_update_moves_known_schedules_and_reports_unknown_ones() {
    let (fake, client) = setup().await;
    let a = schedule(&client, 1, "prod").await;
    let unknown = Uuid::new_v4();
    let outcome = client
        .bulk_update([(a, at(10)), (unknown, at(11))])
        .await
        .unwrap();
    assert_eq!(outcome.updated, [a]);
    assert_eq!(outcome.errors[0].id, Some(unknown));
    assert_eq!(outcome.errors[0].message, "Scheduled workflow not found.");
    assert_eq!(fake.schedules()[0].trigger_at, at(10));
}

/// Hatchet answers every refused token 403 with this message
/// (`api/v1/server/authn/middleware.go`).
const REFUSED: &str = "Please provide valid credentials";

/// Asserts the error a refused token gives: `Forbidden` with the message.
#[track_caller]
fn assert_refused(error: &Error) {
    assert!(matches!(error, Error::Forbidden(_)), "{error:?}");
    assert_eq!(description(error), REFUSED);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(403));
    assert!(error.to_string().ends_with(REFUSED), "{error}");
}

#[tokio::test]
async fn bad_credentials_are_forbidden_with_the_servers_message() {
    let (fake, client_ok) = setup().await;
    let id = schedule(&client_ok, 1, "prod").await;
    let cron = client_ok
        .crons()
        .create(WORKFLOW, "nightly", "0 2 * * *")
        .send()
        .await
        .unwrap()
        .id;
    let with_token = |token: String| {
        let config = ClientConfig::builder()
            .token(token)
            .server_url(fake.base_url())
            .tenant_id(fake.tenant_id())
            .retry_policy(RetryPolicy::none());
        ScheduledClient::new(config.build().unwrap()).unwrap()
    };
    let garbage = with_token(fake.token().replace('.', ".x"));
    let other_tenants = with_token(FakeHatchet::start().await.token().to_owned());
    for client in [garbage, other_tenants] {
        assert_refused(&client.list().send().await.unwrap_err());
        assert_refused(&client.get(id).await.unwrap_err());
        assert_refused(&client.delete(id).await.unwrap_err());
        assert_refused(&client.create(WORKFLOW, at(2)).send().await.unwrap_err());
        let crons = client.crons();
        assert_refused(&crons.list().send().await.unwrap_err());
        assert_refused(&crons.get(cron).await.unwrap_err());
        assert_refused(&crons.pause(cron).await.unwrap_err());
        assert_refused(&crons.trigger_now(cron).await.unwrap_err());
        assert_refused(&crons.delete(cron).await.unwrap_err());
        let create = crons.create(WORKFLOW, "other", "0 3 * * *");
        assert_refused(&create.send().await.unwrap_err());
    }

    // The client always sends a token; without one the answer is the same.
    let url = format!(
        "{}/api/v1/tenants/{}/workflows/scheduled",
        fake.base_url(),
        fake.tenant_id()
    );
    let answer = reqwest::get(&url).await.unwrap();
    let status = answer.status();
    let body = answer.bytes().await.unwrap();
    let response =
        hatchet_scheduled::ErrorResponse::parse("workflow-scheduled:list", status, &body);
    assert_eq!(
        (status.as_u16(), response.message()),
        (403, REFUSED.to_owned())
    );
    assert_eq!(fake.schedules().len(), 1, "nothing was done");
    assert_eq!(fake.crons().len(), 1);
    assert!(fake.crons()[0].enabled && fake.started_runs().is_empty());
}

#[tokio::test]
async fn an_unknown_tenant_is_not_found() {
    // The tenant lookup runs first (api/v1/server/run/run.go).
    let fake = FakeHatchet::start().await;
    let other_tenant = client(&fake, |c| c.tenant_id(Uuid::new_v4()));
    let error = other_tenant.list().send().await.unwrap_err();
    assert!(error.is_not_found(), "{error:?}");
    assert_eq!(description(&error), "not found");
}

#[tokio::test]
async fn a_create_answered_429_is_retried_and_schedules_once() {
    // Hatchet's rate limiter answers before any handler: nothing was made.
    let fake = FakeHatchet::start().await;
    fake.register_workflow(WORKFLOW);
    let client = client(&fake, |c| c.retry_policy(RetryPolicy::default()));
    fake.fail_next(Fault::rate_limited(0).only(Operation::Create));
    let run = client.create(WORKFLOW, at(1)).send().await.unwrap();
    assert_eq!(count(&fake, Operation::Create), 2);
    assert_eq!(fake.schedules().len(), 1);
    assert_eq!(fake.schedules()[0].id, run.id);
}

#[tokio::test]
async fn rate_limiting_carries_retry_after() {
    let (fake, client) = setup().await;
    fake.fail_next(Fault::rate_limited(7).only(Operation::List));
    let error = client.list().send().await.unwrap_err();
    match &error {
        Error::RateLimited { retry_after, .. } => {
            assert_eq!(*retry_after, Some(Duration::from_secs(7)));
        }
        other => panic!("expected RateLimited, got {other:?}"),
    }
    assert!(error.is_retryable());
    assert!(client.list().send().await.is_ok(), "the fault is used up");
}

#[tokio::test]
async fn an_html_bad_gateway_is_a_server_error() {
    let (fake, client) = setup().await;
    fake.fail_next(Fault::bad_gateway_html());
    let error = client.get(Uuid::new_v4()).await.unwrap_err();
    let Error::Server(response) = &error else {
        panic!("expected Server, got {error:?}");
    };
    assert_eq!(response.status.as_u16(), 502);
    assert!(response.errors.is_empty());
    assert!(response.body_excerpt.starts_with("<html>"));
    assert!(error.to_string().contains("Bad Gateway"), "{error}");
}

#[tokio::test]
async fn a_hung_server_is_a_timeout() {
    let (fake, _) = setup().await;
    let impatient = client(&fake, |c| c.timeout(Duration::from_millis(300)));
    fake.fail_next(Fault::hang(Duration::from_secs(30)));
    let started = std::time::Instant::now();
    let error = impatient.list().send().await.unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn retries_recover_reads_but_never_repeat_a_create() {
    let (fake, _) = setup().await;
    let retrying = client(&fake, |c| {
        c.retry_policy(
            RetryPolicy::default()
                .max_attempts(3)
                .initial_backoff(Duration::from_millis(10)),
        )
    });
    fake.fail_next(Fault::unavailable().only(Operation::List));
    assert!(retrying.list().send().await.is_ok());
    assert_eq!(count(&fake, Operation::List), 2);

    fake.fail_next(Fault::unavailable().only(Operation::Create));
    let error = retrying.create(WORKFLOW, at(1)).send().await.unwrap_err();
    assert!(matches!(error, Error::Server(_)), "{error:?}");
    assert_eq!(count(&fake, Operation::Create), 1);
    assert!(fake.schedules().is_empty());
}

/// Asserts that no operation of `client` finds the schedule `id` any more:
/// firing deleted it (`internal/services/ticker/schedule_workflow_v1.go`).
async fn assert_gone_everywhere(client: &ScheduledClient, id: Uuid) {
    let not_found = |error: Error| {
        assert!(error.is_not_found(), "{error:?}");
        assert_eq!(description(&error), "scheduled workflow run not found");
    };
    not_found(client.get(id).await.unwrap_err());
    not_found(client.update(id, at(9)).await.unwrap_err());
    not_found(client.delete(id).await.unwrap_err());
    not_found(client.trigger_now(id).await.unwrap_err());
    for statuses in [
        vec![],
        vec![ScheduledRunStatus::Scheduled],
        vec![
            ScheduledRunStatus::Pending,
            ScheduledRunStatus::Queued,
            ScheduledRunStatus::Running,
            ScheduledRunStatus::Succeeded,
            ScheduledRunStatus::Failed,
            ScheduledRunStatus::Cancelled,
        ],
    ] {
        let runs: Vec<_> = client
            .list()
            .statuses(statuses.clone())
            .stream()
            .try_collect()
            .await
            .unwrap();
        assert!(runs.iter().all(|r| r.id != id), "{statuses:?}");
    }
    let deleted = client.bulk_delete_ids([id]).await.unwrap();
    assert!(deleted.deleted.is_empty());
    assert_eq!(deleted.errors[0].id, Some(id));
    assert_eq!(
        deleted.errors[0].message,
        "Failed to delete scheduled workflow."
    );
    let updated = client.bulk_update([(id, at(9))]).await.unwrap();
    assert!(updated.updated.is_empty());
    assert_eq!(updated.errors[0].id, Some(id));
    assert_eq!(updated.errors[0].message, "Scheduled workflow not found.");
}

#[tokio::test]
async fn a_schedule_fired_by_the_clock_is_gone_everywhere() {
    let (fake, client) = setup().await;
    let start = fake.now();
    let soon = client
        .create(WORKFLOW, start + chrono::Duration::hours(1))
        .metadata("env", "prod")
        .send()
        .await
        .unwrap()
        .id;
    let later = schedule(&client, 5, "prod").await;
    fake.advance_time(Duration::from_secs(2 * 3600));
    let fired = fake.fire_due();
    assert_eq!(fired.len(), 1);
    assert_eq!(fired[0].started_by, StartedBy::Schedule(soon));
    assert_eq!(fired[0].additional_metadata["env"], "prod");

    assert_gone_everywhere(&client, soon).await;
    let left = client.list().send().await.unwrap();
    assert_eq!(left.items.iter().map(|r| r.id).collect::<Vec<_>>(), [later]);
    assert_eq!(fake.started_runs(), fired, "no second run");
}

#[tokio::test]
async fn a_schedule_triggered_now_is_gone_everywhere() {
    let (fake, client) = setup().await;
    let id = schedule(&client, 1, "prod").await;
    let run_id = client.trigger_now(id).await.unwrap();

    assert_gone_everywhere(&client, id).await;
    let started = fake.started_runs();
    assert_eq!(started.len(), 1, "never a second run");
    assert_eq!(
        (started[0].started_by, started[0].run_id),
        (StartedBy::Schedule(id), run_id)
    );
}

#[tokio::test]
async fn status_filters_are_sent_and_only_scheduled_matches() {
    // Every schedule still listed has not fired, so a run status matches
    // none (workflow_schedules.sql: such a status needs a linked run).
    let (fake, client) = setup().await;
    let id = schedule(&client, 1, "prod").await;
    let scheduled = client
        .list()
        .statuses([ScheduledRunStatus::Scheduled])
        .send()
        .await
        .unwrap();
    assert_eq!(scheduled.items[0].id, id);
    assert_eq!(scheduled.items[0].status, ScheduledRunStatus::Scheduled);
    let failed = client
        .list()
        .statuses([ScheduledRunStatus::Failed, ScheduledRunStatus::Pending])
        .send()
        .await
        .unwrap();
    assert!(failed.items.is_empty());
    assert_eq!((failed.num_pages, failed.has_next()), (Some(0), false));
    assert_eq!(count(&fake, Operation::List), 2);
}

// ------------------------------------------------------------------ crons

/// A fake whose clock reads 2040-01-01T00:00Z ([`at`]`(0)`) with
/// [`WORKFLOW`] registered, and a cron client without retries.
async fn cron_setup() -> (FakeHatchet, CronClient) {
    let (fake, client) = setup().await;
    fake.advance_to(at(0));
    (fake, client.crons())
}

fn ids(page: &Page<CronTrigger>) -> Vec<Uuid> {
    page.items.iter().map(|c| c.id).collect()
}

#[tokio::test]
async fn a_cron_round_trips_every_field_through_create_get_and_list() {
    let (fake, crons) = cron_setup().await;
    let workflow_id = fake.register_workflow(WORKFLOW);

    let cron = crons
        .create(WORKFLOW, "nightly", "30 2 * * MON-FRI")
        .input(json!({"to": "team@example.com"}))
        .metadata("env", "prod")
        .priority(2)
        .send()
        .await
        .unwrap();

    assert_eq!(cron.name.as_deref(), Some("nightly"));
    assert_eq!(cron.expression, "30 2 * * MON-FRI");
    assert!(cron.enabled);
    assert_eq!(
        (
            cron.workflow_id,
            cron.workflow_name.as_str(),
            cron.tenant_id
        ),
        (workflow_id, WORKFLOW, fake.tenant_id())
    );
    assert_eq!(cron.method, ScheduleMethod::Api);
    assert_eq!(cron.input["to"], "team@example.com");
    assert_eq!(cron.additional_metadata["env"], "prod");
    assert_eq!(cron.priority, Some(2));
    assert_eq!(crons.get(cron.id).await.unwrap(), cron);
    assert_eq!(fake.crons()[0].id, cron.id);
    assert_eq!(crons.list().send().await.unwrap().items, [cron]);
}

#[tokio::test]
async fn cron_listings_filter_order_page_and_stream() {
    let (fake, crons) = cron_setup().await;
    let mine = fake.register_workflow(WORKFLOW);
    fake.register_workflow("archive");
    // One second apart, so creation order is unambiguous.
    let mut made = Vec::new();
    for (workflow, name, metadata) in [
        (WORKFLOW, "a", vec![("env", "prod")]),
        ("archive", "b", vec![("env", "dev")]),
        (WORKFLOW, "c", vec![("env", "prod"), ("team", "core")]),
    ] {
        let cron = crons
            .create(workflow, name, "0 2 * * *")
            .metadata_map(metadata)
            .send()
            .await
            .unwrap();
        made.push(cron.id);
        fake.advance_time(Duration::from_secs(1));
    }
    let [a, b, c]: [Uuid; 3] = made.try_into().unwrap();
    let code = fake.insert_definition_cron("nightly-cleanup", "0 4 * * *");

    let cases = [
        (crons.list(), vec![code, c, b, a]),
        (crons.list().workflow_id(mine), vec![c, a]),
        (crons.list().workflow_name(WORKFLOW), vec![c, a]),
        (crons.list().workflow_name("send"), vec![]),
        (crons.list().cron_name("b"), vec![b]),
        (crons.list().metadata("env", "prod"), vec![c, a]),
        (
            crons
                .list()
                .metadata("env", "prod")
                .metadata("team", "core"),
            vec![c],
        ),
        (
            crons
                .list()
                .order_by(CronOrderField::CreatedAt, SortDirection::Asc),
            vec![a, b, c, code],
        ),
        (crons.list().limit(2).offset(2), vec![b, a]),
    ];
    for (listing, expected) in cases {
        let what = format!("{listing:?}");
        assert_eq!(ids(&listing.send().await.unwrap()), expected, "{what}");
    }

    // `name` orders by the workflow's name, not the cron's.
    let by_workflow = crons
        .list()
        .order_by(CronOrderField::WorkflowName, SortDirection::Desc)
        .send()
        .await
        .unwrap();
    let names: Vec<_> = by_workflow
        .items
        .iter()
        .map(|c| c.workflow_name.as_str())
        .collect();
    assert_eq!(names, [WORKFLOW, WORKFLOW, "nightly-cleanup", "archive"]);

    let first = crons.list().limit(3).send().await.unwrap();
    assert_eq!((first.current_page, first.num_pages), (Some(1), Some(2)));
    assert!(first.has_next());
    let before = count(&fake, Operation::CronList);
    let streamed: Vec<_> = crons.list().limit(3).stream().try_collect().await.unwrap();
    assert_eq!(
        streamed.iter().map(|c| c.id).collect::<Vec<_>>(),
        [code, c, b, a]
    );
    assert_eq!(
        count(&fake, Operation::CronList) - before,
        2,
        "2 pages, no extra request"
    );
}

#[tokio::test]
async fn a_namespaced_client_creates_and_finds_crons_of_the_namespaced_workflow() {
    let fake = FakeHatchet::start().await;
    fake.register_workflow("staging_send-email");
    fake.register_workflow(WORKFLOW);
    let crons = client(&fake, |c| c.namespace("Staging")).crons();

    let cron = crons
        .create(WORKFLOW, "nightly", "0 2 * * *")
        .send()
        .await
        .unwrap();
    assert_eq!(cron.workflow_name, "staging_send-email");

    let found = crons.list().workflow_name(WORKFLOW).send().await.unwrap();
    assert_eq!(ids(&found), [cron.id]);
    // The server compares the stored name, so the bare name (what Hatchet's
    // Python SDK sends inside a namespace) finds nothing.
    let bare = client(&fake, |c| c).crons();
    let missed = bare.list().workflow_name(WORKFLOW).send().await.unwrap();
    assert!(missed.items.is_empty());
}

#[tokio::test]
async fn a_cron_fires_by_the_clock_stops_while_paused_and_resumes_without_catching_up() {
    let (fake, crons) = cron_setup().await;
    let cron = crons
        .create(WORKFLOW, "hourly", "0 * * * *")
        .input(json!({"n": 1}))
        .metadata("env", "prod")
        .priority(3)
        .send()
        .await
        .unwrap();
    let by_cron = StartedBy::Cron(cron.id);
    let fired_at = |fired: &[hatchet_fake::FiredRun]| -> Vec<_> {
        fired.iter().map(|r| (r.started_by, r.trigger_at)).collect()
    };

    fake.advance_time(Duration::from_secs(3 * 3600));
    let fired = fake.fire_due();
    assert_eq!(
        fired_at(&fired),
        [(by_cron, at(1)), (by_cron, at(2)), (by_cron, at(3))]
    );
    assert_eq!(
        (
            fired[0].workflow_name.as_str(),
            &fired[0].input["n"],
            &fired[0].additional_metadata["env"],
            fired[0].priority
        ),
        (WORKFLOW, &json!(1), &json!("prod"), 3)
    );

    crons.pause(cron.id).await.unwrap();
    assert!(!crons.get(cron.id).await.unwrap().enabled);
    fake.advance_time(Duration::from_secs(2 * 3600));
    assert!(fake.fire_due().is_empty(), "a paused cron does not fire");

    crons.resume(cron.id).await.unwrap();
    let resumed = crons.get(cron.id).await.unwrap();
    assert!(resumed.enabled);
    assert_eq!(
        resumed.updated_at, cron.updated_at,
        "only `enabled` changes"
    );
    fake.advance_time(Duration::from_secs(3600));
    // 04:00 and 05:00 passed while paused and are not caught up.
    assert_eq!(fired_at(&fake.fire_due()), [(by_cron, at(6))]);
}

#[tokio::test]
async fn trigger_now_starts_a_run_and_the_cron_stays_as_it_was() {
    let (fake, crons) = cron_setup().await;
    let cron = crons
        .create(WORKFLOW, "nightly", "0 2 * * *")
        .metadata("env", "prod")
        .send()
        .await
        .unwrap();
    crons.pause(cron.id).await.unwrap();
    let paused = crons.get(cron.id).await.unwrap();

    let first = crons.trigger_now(cron.id).await.unwrap();
    let second = crons.trigger_now(cron.id).await.unwrap();

    let started: Vec<_> = fake
        .started_runs()
        .iter()
        .map(|r| (r.started_by, r.run_id, r.additional_metadata["env"].clone()))
        .collect();
    let by_cron = StartedBy::Cron(cron.id);
    assert_eq!(
        started,
        [
            (by_cron, first, json!("prod")),
            (by_cron, second, json!("prod"))
        ]
    );
    assert_ne!(first, second);
    assert_eq!(
        crons.get(cron.id).await.unwrap(),
        paused,
        "still there, still paused"
    );
}

#[tokio::test]
async fn a_deleted_cron_is_an_unknown_id_which_hatchet_answers_500() {
    // Hatchet's lookup reports the missing row as a plain error: 500, not 404.
    let (fake, crons) = cron_setup().await;
    let cron = crons
        .create(WORKFLOW, "hourly", "0 * * * *")
        .send()
        .await
        .unwrap();
    crons.delete(cron.id).await.unwrap();
    assert!(fake.crons().is_empty());

    let results = [
        crons.get(cron.id).await.map(drop),
        crons.pause(cron.id).await,
        crons.resume(cron.id).await,
        crons.trigger_now(cron.id).await.map(drop),
        crons.delete(cron.id).await,
    ];
    for result in results {
        let error = result.unwrap_err();
        assert!(matches!(error, Error::Server(_)), "{error:?}");
        assert_eq!(error.status().map(|s| s.as_u16()), Some(500));
        assert!(!error.is_not_found());
        assert_eq!(error.response().unwrap().message(), "Internal Server Error");
    }
    assert!(crons.list().send().await.unwrap().items.is_empty());
    fake.advance_time(Duration::from_secs(3 * 3600));
    assert!(fake.fire_due().is_empty(), "a deleted cron never fires");
}

#[tokio::test]
async fn the_servers_cron_refusals_are_bad_requests_with_its_messages() {
    let (fake, crons) = cron_setup().await;
    let create = |name: &str, expression: &str| crons.create(WORKFLOW, name, expression);
    create("nightly", "0 2 * * *").send().await.unwrap();

    let duplicate = create("nightly", "0 2 * * *").send().await.unwrap_err();
    assert!(matches!(duplicate, Error::BadRequest(_)), "{duplicate:?}");
    assert_eq!(
        description(&duplicate),
        "cron trigger with that name-expression pair already exists"
    );
    // Only the pair is unique.
    create("nightly", "0 3 * * *").send().await.unwrap();
    create("nightly-2", "0 2 * * *").send().await.unwrap();

    let unknown = crons
        .create("nope", "nightly", "0 2 * * *")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(unknown, Error::BadRequest(_)), "{unknown:?}");
    assert_eq!(description(&unknown), "workflow not found");
    assert_eq!(fake.crons().len(), 3);
    assert_eq!(count(&fake, Operation::CronCreate), 5);
}

#[tokio::test]
async fn a_code_defined_cron_reads_without_name_or_metadata_and_can_be_paused_and_deleted() {
    let (fake, crons) = cron_setup().await;
    let id = fake.insert_definition_cron("nightly-cleanup", "0 3 * * *");

    let cron = crons.get(id).await.unwrap();
    assert_eq!((cron.name, cron.method), (None, ScheduleMethod::Default));
    assert!(cron.additional_metadata.is_empty() && cron.input.is_empty());
    assert_eq!(crons.list().send().await.unwrap().items[0].id, id);

    crons.pause(id).await.unwrap();
    assert!(!fake.crons()[0].enabled);
    crons.delete(id).await.unwrap();
    assert!(fake.crons().is_empty());
}

#[tokio::test]
async fn crons_share_the_clients_retry_policy_and_never_repeat_a_create_or_trigger() {
    let (fake, _) = setup().await;
    let crons = client(&fake, |c| {
        c.retry_policy(
            RetryPolicy::default()
                .max_attempts(3)
                .initial_backoff(Duration::from_millis(10)),
        )
    })
    .crons();
    let unavailable = |operation| fake.fail_next(Fault::unavailable().only(operation));

    unavailable(Operation::CronCreate);
    let error = crons
        .create(WORKFLOW, "nightly", "0 2 * * *")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Server(_)), "{error:?}");
    assert!(fake.crons().is_empty());
    let cron = crons
        .create(WORKFLOW, "nightly", "0 2 * * *")
        .send()
        .await
        .unwrap();

    unavailable(Operation::CronTrigger);
    assert!(crons.trigger_now(cron.id).await.is_err());
    assert!(fake.started_runs().is_empty());

    unavailable(Operation::CronList);
    unavailable(Operation::CronUpdate);
    assert_eq!(ids(&crons.list().send().await.unwrap()), [cron.id]);
    crons.pause(cron.id).await.unwrap();

    let attempts = [
        Operation::CronCreate,
        Operation::CronTrigger,
        Operation::CronList,
        Operation::CronUpdate,
    ]
    .map(|operation| count(&fake, operation));
    assert_eq!(attempts, [2, 1, 2, 2], "create, trigger, list, pause");
}
