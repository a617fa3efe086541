//! Firing crons by the fake's clock, as the ticker does
//! (`internal/services/ticker/cron.go`, gocron v2 over robfig/cron):
//! enabled crons only, at their occurrences in UTC, the cron staying; what
//! it cannot schedule, it deletes.

use hatchet_fake::{CRON_EXPRESSION_KEY, CRON_NAME_KEY, CRON_SCHEDULED_AT_KEY, StartedBy};
use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::Method;
use serde_json::json;
use uuid::Uuid;

use super::{body, create, path, set_clock};
use crate::support::{Api, INTERNAL, future, id_of};

/// Creates a cron with this expression and returns its id.
async fn cron_at(api: &Api, expression: &str) -> Uuid {
    id_of(&create(api, body(expression, expression)).await)
}

/// When each run started by the cron `id` was due, in firing order.
fn fired_at(runs: &[hatchet_fake::FiredRun], id: Uuid) -> Vec<DateTime<Utc>> {
    runs.iter()
        .filter(|run| run.started_by == StartedBy::Cron(id))
        .map(|run| run.trigger_at)
        .collect()
}

fn minutes(minutes: i64) -> DateTime<Utc> {
    future(0) + chrono::Duration::minutes(minutes)
}

#[tokio::test]
async fn an_enabled_cron_fires_once_per_occurrence_and_stays() {
    let api = Api::start().await;
    set_clock(&api, 0);
    let mut request = body("quarterly", "*/15 * * * *");
    request["priority"] = json!(2);
    let row = create(&api, request).await;
    let id = id_of(&row);
    assert!(
        api.fake.fire_due().is_empty(),
        "not before its first occurrence"
    );

    api.fake.advance_time(Duration::from_secs(3600));
    let fired = api.fake.fire_due();
    assert_eq!(
        fired_at(&fired, id),
        [minutes(15), minutes(30), minutes(45), minutes(60)]
    );
    for run in &fired {
        assert_eq!((run.started_by, run.priority), (StartedBy::Cron(id), 2));
        assert_eq!(run.input, *row["input"].as_object().unwrap());
        let mut metadata = row["additionalMetadata"].as_object().unwrap().clone();
        metadata.insert(CRON_EXPRESSION_KEY.into(), json!("*/15 * * * *"));
        metadata.insert(CRON_NAME_KEY.into(), row["name"].clone());
        let due = run.trigger_at.format("%Y-%m-%dT%H:%M:%SZ").to_string();
        metadata.insert(CRON_SCHEDULED_AT_KEY.into(), json!(due));
        assert_eq!(
            run.additional_metadata, metadata,
            "the cron's, and what fired it"
        );
        assert!(run.started_at >= minutes(60));
    }
    assert!(api.fake.fire_due().is_empty(), "each occurrence fires once");
    assert_eq!(api.fake.started_runs(), fired);
    api.get(&path(id)).await.assert(200, row);
}

#[tokio::test]
async fn seconds_fields_fire_on_the_second() {
    let api = Api::start().await;
    set_clock(&api, 0);
    let id = cron_at(&api, "*/20 * * * * *").await;
    api.fake.advance_time(Duration::from_secs(60));
    let seconds: Vec<i64> = fired_at(&api.fake.fire_due(), id)
        .iter()
        .map(|at| (*at - future(0)).num_seconds())
        .collect();
    assert_eq!(seconds, [20, 40, 60]);
}

#[tokio::test]
async fn a_paused_cron_does_not_fire_and_resumes_without_catching_up() {
    // The ticker polls enabled crons only; a resumed one is scheduled
    // afresh, from its next occurrence.
    let api = Api::start().await;
    set_clock(&api, 0);
    let id = cron_at(&api, "0 * * * *").await;
    api.send(Method::PATCH, &path(id), Some(json!({"enabled": false})))
        .await;
    set_clock(&api, 150);
    assert!(api.fake.fire_due().is_empty(), "paused");
    api.send(Method::PATCH, &path(id), Some(json!({"enabled": true})))
        .await;
    assert!(
        api.fake.fire_due().is_empty(),
        "01:00 and 02:00 are not caught up"
    );
    set_clock(&api, 185);
    assert_eq!(fired_at(&api.fake.fire_due(), id), [minutes(180)]);
}

#[tokio::test]
async fn enabling_an_enabled_cron_changes_nothing() {
    let api = Api::start().await;
    set_clock(&api, 0);
    let id = cron_at(&api, "0 * * * *").await;
    set_clock(&api, 150);
    api.send(Method::PATCH, &path(id), Some(json!({"enabled": true})))
        .await;
    assert_eq!(
        fired_at(&api.fake.fire_due(), id),
        [minutes(60), minutes(120)]
    );
}

#[tokio::test]
async fn a_jump_past_1000_occurrences_fires_1000_and_drops_the_rest() {
    let api = Api::start().await;
    set_clock(&api, 0);
    let id = cron_at(&api, "* * * * * *").await;
    api.fake.advance_time(Duration::from_secs(7200));
    let fired = fired_at(&api.fake.fire_due(), id);
    assert_eq!(fired.len(), 1000);
    assert_eq!(fired[0], future(0) + chrono::Duration::seconds(1));
    assert_eq!(fired[999], future(0) + chrono::Duration::seconds(1000));
    api.fake.advance_time(Duration::from_secs(1));
    let next = fired_at(&api.fake.fire_due(), id);
    assert_eq!(next.len(), 1, "from its first occurrence after the jump");
    assert!(next[0] > future(0) + chrono::Duration::seconds(7200));
}

#[tokio::test]
async fn a_time_zone_prefix_is_not_honoured_the_fields_are_read_in_utc() {
    let api = Api::start().await;
    set_clock(&api, 0);
    let id = cron_at(&api, "CRON_TZ=Asia/Tokyo 0 9 * * *").await;
    set_clock(&api, 24 * 60);
    assert_eq!(fired_at(&api.fake.fire_due(), id), [minutes(9 * 60)]);
}

#[tokio::test]
async fn the_ticker_deletes_a_cron_it_cannot_schedule() {
    // gocron refuses the expression (ErrCronJobParse) or finds no next run
    // (ErrCronJobInvalid): the ticker calls DeleteInvalidCron.
    let api = Api::start().await;
    let refused = cron_at(&api, "61 * * * *").await;
    let never = cron_at(&api, "0 0 30 2 *").await;
    let good = cron_at(&api, "0 * * * *").await;
    assert!(api.fake.fire_due().is_empty());
    for id in [refused, never] {
        api.get(&path(id)).await.assert_message(500, INTERNAL);
    }
    let left: Vec<Uuid> = api.fake.crons().iter().map(|c| c.id).collect();
    assert_eq!(left, [good]);
}

#[tokio::test]
async fn a_paused_cron_the_ticker_cannot_schedule_stays_until_resumed() {
    let api = Api::start().await;
    let id = cron_at(&api, "not a cron").await;
    api.send(Method::PATCH, &path(id), Some(json!({"enabled": false})))
        .await;
    api.fake.fire_due();
    assert_eq!(
        api.fake.crons().len(),
        1,
        "the ticker polls enabled crons only"
    );
    api.send(Method::PATCH, &path(id), Some(json!({"enabled": true})))
        .await;
    api.fake.fire_due();
    assert!(api.fake.crons().is_empty());
}

#[tokio::test]
async fn a_descriptor_is_kept_but_never_fired_by_the_fake() {
    let api = Api::start().await;
    let id = cron_at(&api, "@hourly").await;
    api.fake.advance_time(Duration::from_secs(3 * 3600));
    assert!(api.fake.fire_due().is_empty());
    assert_eq!(api.fake.crons()[0].id, id);
}

#[tokio::test]
async fn code_defined_crons_fire_and_runs_come_earliest_first() {
    let api = Api::start().await;
    set_clock(&api, 0);
    let hourly = api.fake.insert_definition_cron("hourly", "0 * * * *");
    let half = api.fake.insert_definition_cron("half-hourly", "30 * * * *");
    let schedule = api.fake.insert_definition_schedule("once", minutes(45));
    set_clock(&api, 65);
    let fired = api.fake.fire_due();
    let order: Vec<(DateTime<Utc>, StartedBy)> = fired
        .iter()
        .map(|run| (run.trigger_at, run.started_by))
        .collect();
    assert_eq!(
        order,
        [
            (minutes(30), StartedBy::Cron(half)),
            (minutes(45), StartedBy::Schedule(schedule)),
            (minutes(60), StartedBy::Cron(hourly)),
        ]
    );
    assert_eq!(
        (fired[0].workflow_name.as_str(), fired[0].priority),
        ("half-hourly", 1)
    );
    // The ticker names a cron without a name `""`.
    assert_eq!(
        fired[0].additional_metadata,
        *json!({
            CRON_EXPRESSION_KEY: "30 * * * *",
            CRON_NAME_KEY: "",
            CRON_SCHEDULED_AT_KEY: "2040-01-01T00:30:00Z",
        })
        .as_object()
        .unwrap()
    );
}
