//! Every validation rule: the exact `InvalidArgument`, and nothing sent.

use chrono::{DateTime, TimeZone, Utc};
use futures_util::StreamExt;
use hatchet_scheduled::{BulkDeleteFilter, Error, ScheduledRunStatus};
use serde_json::json;
use uuid::Uuid;
use wiremock::MockServer;

use crate::support::*;

fn at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap()
}

/// The name and reason of an `InvalidArgument`; anything else fails.
fn invalid<T: std::fmt::Debug>(result: Result<T, Error>) -> (&'static str, String) {
    match result {
        Err(Error::InvalidArgument { name, reason }) => (name, reason),
        other => panic!("expected an invalid argument, got {other:?}"),
    }
}

async fn assert_nothing_sent(server: &MockServer) {
    assert_eq!(received(server).await.len(), 0, "a request was sent");
}

const COLON_IN_KEY: &str = "filter \"a:b\" = \"c\": neither key nor value may contain ':'";
const COLON_IN_VALUE: &str = "filter \"env\" = \"prod:eu\": neither key nor value may contain ':'";
const EMPTY_KEY: &str = "a filter key must not be empty";

#[tokio::test]
async fn input_must_be_a_json_object() {
    let server = server().await;
    let client = client(&server);
    let create = || client.create("send-email", at());

    let cases = [
        (
            invalid(create().input(json!([1, 2])).send().await),
            "an array",
        ),
        (invalid(create().input("text").send().await), "a string"),
        (invalid(create().input(&42).send().await), "a number"),
        (invalid(create().input(&true).send().await), "a boolean"),
        (invalid(create().input(&()).send().await), "null"),
        (invalid(create().input(&None::<u8>).send().await), "null"),
    ];
    for ((name, reason), kind) in cases {
        assert_eq!(name, "input");
        assert_eq!(
            reason,
            format!("must serialize to a JSON object, not {kind}")
        );
    }
    let unserializable = std::collections::BTreeMap::from([((1, 2), 3)]);
    assert_eq!(
        invalid(create().input(&unserializable).send().await),
        ("input", "cannot be serialized: key must be a string".into())
    );
    assert_nothing_sent(&server).await;
}

#[tokio::test]
async fn the_last_input_wins() {
    let server = server_with([create_answer()]).await;

    client(&server)
        .create("send-email", at())
        .input(&[1])
        .input(json!({"ok": true}))
        .send()
        .await
        .unwrap();

    assert_eq!(
        wire(&server).await[0].body.as_ref().unwrap()["input"],
        json!({"ok": true})
    );
}

#[tokio::test]
async fn priority_must_be_1_to_3() {
    let server = server().await;
    let client = client(&server);

    for priority in [0, 4, u8::MAX] {
        assert_eq!(
            invalid(
                client
                    .create("send-email", at())
                    .priority(priority)
                    .send()
                    .await
            ),
            ("priority", format!("must be 1, 2 or 3, not {priority}"))
        );
    }
    assert_nothing_sent(&server).await;
}

#[tokio::test]
async fn the_workflow_name_must_not_be_empty() {
    let server = server().await;
    let client = client(&server);

    for name in ["", " ", "\t\n"] {
        assert_eq!(
            invalid(client.create(name, at()).send().await),
            ("workflow", "must not be empty".into()),
            "{name:?}"
        );
    }
    // Even with a namespace, which would otherwise make the name non-empty.
    let namespaced = client_from(config(&server.uri()).namespace("staging"));
    assert_eq!(
        invalid(namespaced.create("", at()).send().await),
        ("workflow", "must not be empty".into())
    );
    assert_nothing_sent(&server).await;
}

#[tokio::test]
async fn limit_and_offset_must_be_in_range() {
    let server = server().await;
    let client = client(&server);

    assert_eq!(
        invalid(client.list().limit(0).send().await),
        ("limit", "must be at least 1".into())
    );
    assert_eq!(
        invalid(client.list().limit(u64::MAX).send().await),
        ("limit", "must fit in a signed 64-bit integer".into())
    );
    assert_eq!(
        invalid(client.list().offset(i64::MAX as u64 + 1).send().await),
        ("offset", "must fit in a signed 64-bit integer".into())
    );
    assert_nothing_sent(&server).await;
}

#[tokio::test]
async fn list_metadata_filters_must_not_hold_colons_or_empty_keys() {
    let server = server().await;
    let client = client(&server);

    assert_eq!(
        invalid(client.list().metadata("a:b", "c").send().await),
        ("metadata", COLON_IN_KEY.into())
    );
    assert_eq!(
        invalid(client.list().metadata("env", "prod:eu").send().await),
        ("metadata", COLON_IN_VALUE.into())
    );
    assert_eq!(
        invalid(client.list().metadata("", "prod").send().await),
        ("metadata", EMPTY_KEY.into())
    );
    // A bad pair after a good one is still caught.
    assert_eq!(
        invalid(
            client
                .list()
                .metadata("team", "core")
                .metadata("", "x")
                .send()
                .await
        ),
        ("metadata", EMPTY_KEY.into())
    );
    assert_nothing_sent(&server).await;
}

#[tokio::test]
async fn unknown_statuses_cannot_be_filtered_on() {
    let server = server().await;

    assert_eq!(
        invalid(
            client(&server)
                .list()
                .statuses([
                    ScheduledRunStatus::Scheduled,
                    ScheduledRunStatus::Unknown("EVICTED".into())
                ])
                .send()
                .await
        ),
        (
            "statuses",
            "Unknown(\"EVICTED\") is not a status the server accepts".into()
        )
    );
    assert_nothing_sent(&server).await;
}

#[tokio::test]
async fn an_invalid_stream_yields_the_error_once_and_sends_nothing() {
    let server = server().await;

    let results: Vec<_> = client(&server).list().limit(0).stream().collect().await;

    assert_eq!(results.len(), 1);
    assert_eq!(
        invalid(results.into_iter().next().unwrap()),
        ("limit", "must be at least 1".into())
    );
    assert_nothing_sent(&server).await;
}

#[tokio::test]
async fn bulk_lists_must_not_be_empty() {
    let server = server().await;
    let client = client(&server);

    assert_eq!(
        invalid(client.bulk_delete_ids(Vec::<Uuid>::new()).await),
        ("ids", "must not be empty".into())
    );
    assert_eq!(
        invalid(
            client
                .bulk_update(Vec::<(Uuid, DateTime<Utc>)>::new())
                .await
        ),
        ("updates", "must not be empty".into())
    );
    assert_nothing_sent(&server).await;
}

#[tokio::test]
async fn an_empty_bulk_delete_filter_is_refused() {
    let server = server().await;

    assert_eq!(
        invalid(
            client(&server)
                .bulk_delete_matching(BulkDeleteFilter::default())
                .await
        ),
        (
            "filter",
            "an empty filter deletes every API-created schedule of the tenant; \
             use BulkDeleteFilter::every_api_created_schedule() if that is meant"
                .into()
        )
    );
    assert_nothing_sent(&server).await;
}

#[tokio::test]
async fn bulk_delete_metadata_filters_are_checked() {
    let server = server().await;
    let client = client(&server);
    let filter = || BulkDeleteFilter::default().workflow_id(WORKFLOW_ID);

    assert_eq!(
        invalid(
            client
                .bulk_delete_matching(filter().metadata("a:b", "c"))
                .await
        ),
        ("metadata", COLON_IN_KEY.into())
    );
    assert_eq!(
        invalid(
            client
                .bulk_delete_matching(filter().metadata("env", "prod:eu"))
                .await
        ),
        ("metadata", COLON_IN_VALUE.into())
    );
    assert_eq!(
        invalid(
            client
                .bulk_delete_matching(filter().metadata("", "x"))
                .await
        ),
        ("metadata", EMPTY_KEY.into())
    );
    // The explicit everything-filter still checks what is added to it.
    assert_eq!(
        invalid(
            client
                .bulk_delete_matching(
                    BulkDeleteFilter::every_api_created_schedule().metadata("", "x")
                )
                .await
        ),
        ("metadata", EMPTY_KEY.into())
    );
    assert_nothing_sent(&server).await;
}

#[tokio::test]
async fn validation_messages_name_the_argument() {
    let server = server().await;

    let error = client(&server).list().limit(0).send().await.unwrap_err();

    assert_eq!(
        error.to_string(),
        "invalid argument `limit`: must be at least 1"
    );
    assert_eq!(error.status(), None);
    assert!(!error.is_retryable());
    assert!(!error.is_not_found());
    assert!(error.api_errors().is_empty());
    assert_nothing_sent(&server).await;
}

/// Hatchet reads a missing or `null` `triggerAt` as Go's zero time and the
/// database refuses it: create 400, update 500, a bulk update chunk 500
/// (`create_scheduled.go`, `update_scheduled.go`, `bulk_update_scheduled.go`
/// and `pkg/repository/workflow_schedules.go` in the server). The client
/// refuses that instant itself, before sending anything.
#[tokio::test]
async fn the_zero_time_is_refused_as_a_trigger_time() {
    let server = server().await;
    let client = client(&server);
    let zero = Utc.with_ymd_and_hms(1, 1, 1, 0, 0, 0).unwrap();
    let reason = "0001-01-01T00:00:00Z is the time Hatchet reads as no time at all, and refuses";

    assert_eq!(
        invalid(client.create("send-email", zero).send().await),
        ("trigger_at", reason.into())
    );
    assert_eq!(
        invalid(client.update(RUN_ID, zero).await),
        ("trigger_at", reason.into())
    );
    let updates = [(nth_id(1), at()), (nth_id(2), zero)];
    assert_eq!(
        invalid(client.bulk_update(updates).await),
        ("updates", reason.into())
    );
    assert_nothing_sent(&server).await;

    // A millisecond later is a real time, and is sent.
    create_answer().mount(&server).await;
    let later = zero + chrono::Duration::milliseconds(1);
    client.create("send-email", later).send().await.unwrap();
    assert_eq!(received(&server).await.len(), 1);
}

/// The server's side of the same rule: every request that carries a trigger
/// time carries it as an RFC 3339 string, never missing and never `null`.
#[tokio::test]
async fn every_trigger_time_is_sent_as_a_string() {
    let server = server_with([
        create_answer(),
        answer("PATCH", &run_path(), default_run()),
        answer(
            "POST",
            &api_path("scheduled/bulk-update"),
            json!({"updatedIds": [], "errors": []}),
        ),
    ])
    .await;
    let client = client(&server);

    client.create("send-email", at()).send().await.unwrap();
    client.update(RUN_ID, at()).await.unwrap();
    client
        .bulk_update((1..=3).map(|n| (nth_id(n), at())))
        .await
        .unwrap();

    let bodies: Vec<serde_json::Value> = wire(&server)
        .await
        .into_iter()
        .map(|request| request.body.expect("a body"))
        .collect();
    let mut times: Vec<&serde_json::Value> = vec![&bodies[0]["triggerAt"], &bodies[1]["triggerAt"]];
    times.extend(
        bodies[2]["updates"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| &u["triggerAt"]),
    );
    assert_eq!(times.len(), 5);
    for time in times {
        assert_eq!(time, &json!("2026-03-01T08:00:00Z"));
    }
}

// ------------------------------------------------------------------ crons

/// Every refusal of a cron create: the workflow is checked first, then the
/// cron's name, the expression (the grammar of Hatchet's validator, robfig/cron
/// v3 with optional seconds and no descriptors, which Hatchet's create never
/// applies: see `CronExpression`), then input and priority.
#[tokio::test]
async fn cron_creates_are_checked_before_sending() {
    let server = server().await;
    let crons = cron_client(&server);
    let namespaced = client_from(config(&server.uri()).namespace("staging")).crons();
    let create = |expression: &str| crons.create(CRON_WORKFLOW, "nightly", expression);
    let empty = "must not be empty";
    let instead = |descriptor: &str, fields: &str| {
        format!(
            "descriptors such as {descriptor} are outside the cron grammar Hatchet validates; \
             write {fields} instead"
        )
    };
    let five_fields = "the five fields (minute hour day-of-month month day-of-week)";

    let cases = [
        (
            crons.create("", "nightly", "0 2 * * *"),
            "workflow",
            empty.into(),
        ),
        (
            crons.create(" \t", "nightly", "0 2 * * *"),
            "workflow",
            empty.into(),
        ),
        (
            namespaced.create("", "nightly", "0 2 * * *"),
            "workflow",
            empty.into(),
        ),
        (
            crons.create(CRON_WORKFLOW, "", "0 2 * * *"),
            "cron_name",
            empty.into(),
        ),
        (
            crons.create(CRON_WORKFLOW, "  ", "0 2 * * *"),
            "cron_name",
            empty.into(),
        ),
        (create("").priority(9), "expression", empty.into()),
        (
            create("61 2 * * *"),
            "expression",
            "minute: 61 is above the maximum 59".into(),
        ),
        (
            create("0 24 * * *"),
            "expression",
            "hour: 24 is above the maximum 23".into(),
        ),
        (
            create("0 2 0 * *"),
            "expression",
            "day of month: 0 is below the minimum 1".into(),
        ),
        (
            create("0 2 32 * *"),
            "expression",
            "day of month: 32 is above the maximum 31".into(),
        ),
        (
            create("0 2 * 13 *"),
            "expression",
            "month: 13 is above the maximum 12".into(),
        ),
        (
            create("0 2 * * 7"),
            "expression",
            "day of week: 7 is above the maximum 6".into(),
        ),
        (
            create("60 0 2 * * *"),
            "expression",
            "second: 60 is above the maximum 59".into(),
        ),
        (
            create("5-1 2 * * *"),
            "expression",
            "minute: the range 5-1 starts after it ends".into(),
        ),
        (
            create("*/0 2 * * *"),
            "expression",
            "minute: the step of */0 must be at least 1".into(),
        ),
        (
            create("0 2 * JANUARY *"),
            "expression",
            "month: \"JANUARY\" is not a number (or a name such as JAN)".into(),
        ),
        (
            create("0 2 * *"),
            "expression",
            "expected 5 fields (or 6 with seconds first), found 4".into(),
        ),
        (
            create("0 0 2 * * * *"),
            "expression",
            "expected 5 fields (or 6 with seconds first), found 7".into(),
        ),
        (
            create("@daily"),
            "expression",
            instead("@daily", "`0 0 * * *`"),
        ),
        (
            create("@midnight"),
            "expression",
            instead("@midnight", "`0 0 * * *`"),
        ),
        (
            create("@hourly"),
            "expression",
            instead("@hourly", "`0 * * * *`"),
        ),
        (
            create("@weekly"),
            "expression",
            instead("@weekly", "`0 0 * * 0`"),
        ),
        (
            create("@monthly"),
            "expression",
            instead("@monthly", "`0 0 1 * *`"),
        ),
        (
            create("@yearly"),
            "expression",
            instead("@yearly", "`0 0 1 1 *`"),
        ),
        (
            create("@annually"),
            "expression",
            instead("@annually", "`0 0 1 1 *`"),
        ),
        (
            create("CRON_TZ=UTC @daily"),
            "expression",
            instead("@daily", "`0 0 * * *`"),
        ),
        (
            create("@every 1h"),
            "expression",
            instead("@every 1h", five_fields),
        ),
        (
            create("0 2 * * *").input(&[1, 2]).priority(9),
            "input",
            "must serialize to a JSON object, not an array".into(),
        ),
        (
            create("0 2 * * *").input("text"),
            "input",
            "must serialize to a JSON object, not a string".into(),
        ),
        (
            create("0 2 * * *").input(&()),
            "input",
            "must serialize to a JSON object, not null".into(),
        ),
        (
            create("0 2 * * *").priority(0),
            "priority",
            "must be 1, 2 or 3, not 0".into(),
        ),
        (
            create("0 2 * * *").priority(4),
            "priority",
            "must be 1, 2 or 3, not 4".into(),
        ),
    ];
    for (cron, name, reason) in cases {
        let what = format!("{cron:?}");
        assert_eq!(invalid(cron.send().await), (name, reason), "{what}");
    }
    assert_nothing_sent(&server).await;

    // The same cron with a valid expression is sent.
    cron_create_answer().mount(&server).await;
    create("0 2 * * *").priority(3).send().await.unwrap();
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn cron_listings_are_checked_before_sending_and_streams_yield_the_error_once() {
    let server = server().await;
    let crons = cron_client(&server);
    let too_big = "must fit in a signed 64-bit integer";

    let cases = [
        (crons.list().limit(0), "limit", "must be at least 1"),
        (crons.list().limit(u64::MAX), "limit", too_big),
        (crons.list().offset(i64::MAX as u64 + 1), "offset", too_big),
        (crons.list().metadata("a:b", "c"), "metadata", COLON_IN_KEY),
        (
            crons.list().metadata("env", "prod:eu"),
            "metadata",
            COLON_IN_VALUE,
        ),
        (
            crons.list().metadata("team", "core").metadata("", "x"),
            "metadata",
            EMPTY_KEY,
        ),
    ];
    for (listing, name, reason) in cases {
        let expected = (name, reason.to_owned());
        assert_eq!(invalid(listing.clone().send().await), expected);
        let streamed: Vec<_> = listing.stream().collect().await;
        assert_eq!(streamed.len(), 1);
        assert_eq!(invalid(streamed.into_iter().next().unwrap()), expected);
    }
    assert_nothing_sent(&server).await;
}
