//! End to end: the blocking `ScheduledClient` and `CronClient` against the
//! embedded fake Hatchet. The fake serves from its own multi-threaded runtime, kept alive
//! for the test; the client is called outside any runtime, as it must be.

use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use hatchet_fake::{FakeHatchet, Fault, Operation, StartedBy};
use hatchet_scheduled::{
    BulkDeleteFilter, ClientConfig, ClientConfigBuilder, Error, RetryPolicy, ScheduleMethod,
    ScheduledOrderField, ScheduledRunStatus, SortDirection,
    blocking::{CronClient, ScheduledClient},
};
use serde_json::json;
use uuid::Uuid;

const WORKFLOW: &str = "send-email";

/// A fake on its own runtime and a blocking client for it. Fields drop in
/// order: the fake stops before its runtime goes.
struct Env {
    fake: FakeHatchet,
    client: ScheduledClient,
    runtime: tokio::runtime::Runtime,
}

impl Env {
    fn start() -> Self {
        Self::with(|config| config)
    }

    /// A client without retries unless `adjust` says otherwise.
    fn with(adjust: impl FnOnce(ClientConfigBuilder) -> ClientConfigBuilder) -> Self {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let fake = runtime.block_on(FakeHatchet::start());
        fake.register_workflow(WORKFLOW);
        let config = ClientConfig::builder()
            .token(fake.token())
            .retry_policy(RetryPolicy::none());
        let client = ScheduledClient::new(adjust(config).build().unwrap()).unwrap();
        Self {
            fake,
            client,
            runtime,
        }
    }

    fn schedule(&self, hour: u32, env: &str) -> Uuid {
        self.client
            .create(WORKFLOW, at(hour))
            .metadata("env", env)
            .send()
            .unwrap()
            .id
    }

    fn count(&self, operation: Operation) -> usize {
        self.fake
            .requests()
            .iter()
            .filter(|&&o| o == operation)
            .count()
    }
}

fn at(hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2040, 1, 1, 0, 0, 0).unwrap() + chrono::Duration::hours(hour.into())
}

fn description(error: &Error) -> &str {
    &error.api_errors()[0].description
}

#[test]
fn create_get_update_delete() {
    let env = Env::start();
    let run = env
        .client
        .create(WORKFLOW, at(1))
        .input(json!({"to": "ada@example.com"}))
        .metadata("env", "prod")
        .priority(3)
        .send()
        .unwrap();
    assert_eq!(
        (run.priority, run.method.clone(), run.trigger_at),
        (Some(3), ScheduleMethod::Api, at(1))
    );
    assert_eq!(env.client.get(run.id).unwrap(), run);

    let moved = env.client.update(run.id, at(5)).unwrap();
    assert_eq!(moved.trigger_at, at(5));

    env.client.delete(run.id).unwrap();
    let error = env.client.get(run.id).unwrap_err();
    assert!(error.is_not_found(), "{error:?}");
    assert_eq!(description(&error), "scheduled workflow run not found");
}

#[test]
fn the_servers_refusals_come_back_as_typed_errors() {
    let env = Env::start();
    let error = env.client.create("nope", at(1)).send().unwrap_err();
    assert!(matches!(error, Error::BadRequest(_)), "{error:?}");
    assert_eq!(description(&error), "workflow not found");

    let code = env.fake.insert_definition_schedule("nightly", at(2));
    let error = env.client.delete(code).unwrap_err();
    assert!(matches!(error, Error::Forbidden(_)), "{error:?}");
    assert_eq!(
        description(&error),
        "Cannot delete scheduled run created via code definition."
    );
    let error = env.client.update(code, at(3)).unwrap_err();
    assert!(matches!(error, Error::Forbidden(_)), "{error:?}");

    let crons = env.client.crons();
    crons
        .create(WORKFLOW, "nightly", "0 2 * * *")
        .send()
        .unwrap();
    for (workflow, message) in [
        (
            WORKFLOW,
            "cron trigger with that name-expression pair already exists",
        ),
        ("nope", "workflow not found"),
    ] {
        let error = crons
            .create(workflow, "nightly", "0 2 * * *")
            .send()
            .unwrap_err();
        assert!(matches!(error, Error::BadRequest(_)), "{error:?}");
        assert_eq!(description(&error), message);
    }
    assert_eq!(env.fake.crons().len(), 1);
}

#[test]
fn trigger_now_starts_a_run_and_removes_the_schedule() {
    let env = Env::start();
    let id = env.schedule(1, "prod");
    let run_id = env.client.trigger_now(id).unwrap();
    assert_eq!(env.fake.started_runs()[0].run_id, run_id);
    assert!(env.client.get(id).unwrap_err().is_not_found());
}

#[test]
fn list_pages_and_iterates() {
    let env = Env::start();
    for hour in 0..5 {
        env.schedule(hour, if hour % 2 == 0 { "prod" } else { "dev" });
    }
    let page = env
        .client
        .list()
        .metadata("env", "prod")
        .order_by(ScheduledOrderField::TriggerAt, SortDirection::Asc)
        .limit(2)
        .send()
        .unwrap();
    let times: Vec<_> = page.items.iter().map(|r| r.trigger_at).collect();
    assert_eq!(times, [at(0), at(2)]);
    assert!(page.has_next());

    let before = env.count(Operation::List);
    let all: Vec<_> = env
        .client
        .list()
        .limit(2)
        .iter()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(all.len(), 5);
    assert_eq!(all[0].trigger_at, at(4), "trigger time descending");
    assert_eq!(env.count(Operation::List) - before, 3);
}

#[test]
fn bulk_delete_by_ids_and_by_filter() {
    let env = Env::start();
    let a = env.schedule(1, "prod");
    let b = env.schedule(2, "dev");
    let c = env.schedule(3, "dev");
    let unknown = Uuid::new_v4();

    let outcome = env.client.bulk_delete_ids([a, unknown]).unwrap();
    assert_eq!(outcome.deleted, [a]);
    assert_eq!(outcome.errors[0].id, Some(unknown));

    let outcome = env
        .client
        .bulk_delete_matching(BulkDeleteFilter::default().metadata("env", "dev"))
        .unwrap();
    let mut deleted = outcome.deleted;
    deleted.sort();
    let mut expected = vec![b, c];
    expected.sort();
    assert_eq!(deleted, expected);
    assert!(env.fake.schedules().is_empty());
}

#[test]
fn bulk_update_reports_unknown_ids() {
    let env = Env::start();
    let a = env.schedule(1, "prod");
    let unknown = Uuid::new_v4();
    let outcome = env
        .client
        .bulk_update([(a, at(7)), (unknown, at(8))])
        .unwrap();
    assert_eq!(outcome.updated, [a]);
    assert_eq!(outcome.errors[0].message, "Scheduled workflow not found.");
    assert_eq!(env.client.get(a).unwrap().trigger_at, at(7));
}

#[test]
fn faults_map_to_rate_limited_server_and_timeout() {
    let env = Env::with(|c| c.timeout(Duration::from_millis(300)));
    env.fake.fail_next(Fault::rate_limited(7));
    let error = env.client.list().send().unwrap_err();
    assert!(
        matches!(
            error,
            Error::RateLimited {
                retry_after: Some(wait),
                ..
            } if wait == Duration::from_secs(7)
        ),
        "{error:?}"
    );

    env.fake.fail_next(Fault::bad_gateway_html());
    let error = env.client.get(Uuid::new_v4()).unwrap_err();
    assert!(
        matches!(&error, Error::Server(r) if r.status.as_u16() == 502),
        "{error:?}"
    );

    env.fake.fail_next(Fault::hang(Duration::from_secs(30)));
    let error = env.client.list().send().unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
}

#[test]
fn a_schedule_fired_by_the_clock_is_gone() {
    // Firing deletes the schedule (internal/services/ticker/schedule_workflow_v1.go).
    let env = Env::start();
    let start = env.fake.now();
    let soon = env
        .client
        .create(WORKFLOW, start + chrono::Duration::minutes(30))
        .send()
        .unwrap()
        .id;
    env.fake.advance_time(Duration::from_secs(3600));
    assert_eq!(env.fake.fire_due()[0].started_by, StartedBy::Schedule(soon));

    assert!(env.client.get(soon).unwrap_err().is_not_found());
    assert!(env.client.update(soon, at(3)).unwrap_err().is_not_found());
    assert!(env.client.trigger_now(soon).unwrap_err().is_not_found());
    for statuses in [
        vec![ScheduledRunStatus::Scheduled],
        vec![ScheduledRunStatus::Failed],
    ] {
        let page = env.client.list().statuses(statuses).send().unwrap();
        assert!(page.items.is_empty());
    }
    let outcome = env.client.bulk_delete_ids([soon]).unwrap();
    assert_eq!(
        outcome.errors[0].message,
        "Failed to delete scheduled workflow."
    );
    assert_eq!(env.fake.started_runs().len(), 1);
}

#[test]
fn bad_credentials_are_forbidden_with_the_servers_message() {
    // api/v1/server/authn/middleware.go
    let env = Env::start();
    let other = env.runtime.block_on(FakeHatchet::start());
    for token in [
        env.fake.token().replace('.', ".x"),
        other.token().to_owned(),
    ] {
        let config = ClientConfig::builder()
            .token(token)
            .server_url(env.fake.base_url())
            .tenant_id(env.fake.tenant_id())
            .retry_policy(RetryPolicy::none());
        let client = ScheduledClient::new(config.build().unwrap()).unwrap();
        let error = client.list().send().unwrap_err();
        assert!(matches!(error, Error::Forbidden(_)), "{error:?}");
        assert_eq!(description(&error), "Please provide valid credentials");
    }
}

#[test]
fn calling_it_inside_a_runtime_is_refused() {
    let env = Env::start();
    let error = env
        .runtime
        .block_on(async { env.client.list().send() })
        .unwrap_err();
    assert!(matches!(error, Error::BlockingInAsyncContext), "{error:?}");
    assert!(env.fake.requests().is_empty(), "nothing was sent");
}

#[test]
fn a_cron_lives_fires_pauses_resumes_triggers_and_is_deleted() {
    let env = Env::start();
    env.fake.advance_to(at(0));
    // Built on its own, not by `ScheduledClient::crons`.
    let config = ClientConfig::builder()
        .token(env.fake.token())
        .retry_policy(RetryPolicy::none());
    let crons = CronClient::new(config.build().unwrap()).unwrap();

    let cron = crons
        .create(WORKFLOW, "hourly", "0 * * * *")
        .metadata("env", "prod")
        .send()
        .unwrap();
    assert_eq!(crons.get(cron.id).unwrap(), cron);
    let listed: Vec<_> = crons
        .list()
        .workflow_name(WORKFLOW)
        .metadata("env", "prod")
        .limit(1)
        .iter()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(listed, std::slice::from_ref(&cron));

    let by_cron = StartedBy::Cron(cron.id);
    let fired_at = |env: &Env| -> Vec<_> {
        env.fake
            .fire_due()
            .iter()
            .map(|r| (r.started_by, r.trigger_at))
            .collect()
    };
    env.fake.advance_time(Duration::from_secs(3600));
    assert_eq!(fired_at(&env), [(by_cron, at(1))]);
    crons.pause(cron.id).unwrap();
    env.fake.advance_time(Duration::from_secs(3600));
    assert!(fired_at(&env).is_empty(), "paused");
    crons.resume(cron.id).unwrap();
    env.fake.advance_time(Duration::from_secs(3600));
    assert_eq!(fired_at(&env), [(by_cron, at(3))]);

    let run_id = crons.trigger_now(cron.id).unwrap();
    let last = env.fake.started_runs().pop().unwrap();
    assert_eq!((last.started_by, last.run_id), (by_cron, run_id));
    assert!(crons.get(cron.id).unwrap().enabled, "the cron stays");

    crons.delete(cron.id).unwrap();
    let error = crons.get(cron.id).unwrap_err();
    assert!(matches!(error, Error::Server(_)), "{error:?}");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(env.fake.started_runs().len(), 3);
}
