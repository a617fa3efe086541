//! Every error body shape and status mapping, decode failures, timeouts
//! and broken connections.

use std::time::{Duration, Instant};

use hatchet_scheduled::{Error, RetryPolicy};
use serde_json::json;
use wiremock::{
    Mock, ResponseTemplate,
    matchers::{any, method, path},
};

use crate::support::*;

/// The variant's name, for table-driven assertions.
fn variant(error: &Error) -> &'static str {
    match error {
        Error::InvalidArgument { .. } => "InvalidArgument",
        Error::Configuration(_) => "Configuration",
        Error::NotFound(_) => "NotFound",
        Error::Unauthorized(_) => "Unauthorized",
        Error::Forbidden(_) => "Forbidden",
        Error::BadRequest(_) => "BadRequest",
        Error::RateLimited { .. } => "RateLimited",
        Error::Server(_) => "Server",
        Error::UnexpectedStatus(_) => "UnexpectedStatus",
        Error::Timeout { .. } => "Timeout",
        Error::Transport { .. } => "Transport",
        Error::Decode { .. } => "Decode",
        Error::BlockingInAsyncContext => "BlockingInAsyncContext",
        _ => "a variant these tests do not know",
    }
}

/// (status, variant, retryable)
const STATUSES: [(u16, &str, bool); 11] = [
    (400, "BadRequest", false),
    (401, "Unauthorized", false),
    (403, "Forbidden", false),
    (404, "NotFound", false),
    (409, "UnexpectedStatus", false),
    (422, "UnexpectedStatus", false),
    (429, "RateLimited", true),
    (500, "Server", false),
    (502, "Server", true),
    (503, "Server", true),
    (504, "Server", true),
];

struct Body {
    raw: &'static str,
    mime: &'static str,
    /// (description, field) of each error entry expected.
    errors: &'static [(&'static str, Option<&'static str>)],
}

const BODIES: [Body; 6] = [
    Body {
        raw: r#"{"errors":[{"description":"d","field":"f"}]}"#,
        mime: "application/json",
        errors: &[("d", Some("f"))],
    },
    Body {
        raw: r#"{"description":"cannot delete"}"#,
        mime: "application/json",
        errors: &[("cannot delete", None)],
    },
    Body {
        raw: r#"{"message":"invalid scheduled workflow run id"}"#,
        mime: "application/json",
        errors: &[("invalid scheduled workflow run id", None)],
    },
    Body {
        raw: "null",
        mime: "application/json",
        errors: &[],
    },
    Body {
        raw: "",
        mime: "text/plain",
        errors: &[],
    },
    Body {
        raw: "<html><body><h1>502 Bad Gateway</h1></body></html>",
        mime: "text/html",
        errors: &[],
    },
];

#[tokio::test]
async fn every_status_and_body_shape_maps_to_its_variant() {
    let server = server().await;
    let client = client_without_retries(&server.uri());
    let mut case = 0;
    for (status, expected_variant, retryable) in STATUSES {
        for body in &BODIES {
            case += 1;
            let id = nth_id(case);
            let mut answer = ResponseTemplate::new(status).set_body_raw(body.raw, body.mime);
            if status == 429 {
                answer = answer.insert_header("Retry-After", "7");
            }
            Mock::given(method("GET"))
                .and(path(api_path(&format!("scheduled/{id}"))))
                .respond_with(answer)
                .mount(&server)
                .await;

            let error = client.get(id).await.unwrap_err();

            let what = format!("{status} {:?}", body.raw);
            assert_eq!(variant(&error), expected_variant, "{what}: {error:?}");
            assert_eq!(error.status().map(|s| s.as_u16()), Some(status), "{what}");
            assert_eq!(error.is_retryable(), retryable, "{what}");
            assert_eq!(error.is_not_found(), status == 404, "{what}");
            let entries: Vec<_> = error
                .api_errors()
                .iter()
                .map(|e| (e.description.as_str(), e.field.as_deref()))
                .collect();
            assert_eq!(entries, body.errors, "{what}");
            let response = error.response().expect("a status error has a response");
            assert_eq!(response.operation, "workflow-scheduled:get", "{what}");
            assert_eq!(response.body_excerpt, body.raw, "{what}");
            if let Error::RateLimited { retry_after, .. } = &error {
                assert_eq!(*retry_after, Some(Duration::from_secs(7)), "{what}");
            }
            // Display always carries the status code.
            assert!(
                error.to_string().contains(&format!("({status})")),
                "{what}: {error}"
            );
        }
    }
    assert_eq!(received(&server).await.len(), 66);
}

async fn error_for(answer: ResponseTemplate) -> Error {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path(run_path()))
        .respond_with(answer)
        .mount(&server)
        .await;
    client_without_retries(&server.uri())
        .get(RUN_ID)
        .await
        .unwrap_err()
}

fn json_answer(status: u16, body: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(body)
}

#[tokio::test]
async fn display_shows_status_operation_and_the_servers_words() {
    let cases = [
        (
            json_answer(400, json!({"errors": [{"description": "d", "field": "f"}]})),
            "bad request (400) in workflow-scheduled:get: f: d",
        ),
        (
            json_answer(
                400,
                json!({"errors": [
                    {"description": "must be in the future", "field": "triggerAt", "code": 1400},
                    {"description": "unknown workflow"}
                ]}),
            ),
            "bad request (400) in workflow-scheduled:get: triggerAt: must be in the future; unknown workflow",
        ),
        (
            json_answer(401, json!({"errors": [{"description": "invalid token"}]})),
            "unauthorized (401) in workflow-scheduled:get: invalid token",
        ),
        (
            json_answer(403, json!({"description": "cannot delete"})),
            "forbidden (403) in workflow-scheduled:get: cannot delete",
        ),
        (
            json_answer(404, json!({"message": "invalid scheduled workflow run id"})),
            "not found (404) in workflow-scheduled:get: invalid scheduled workflow run id",
        ),
        (
            ResponseTemplate::new(409).set_body_raw("null", "application/json"),
            "unexpected status (409) in workflow-scheduled:get: Conflict",
        ),
        (
            ResponseTemplate::new(502).set_body_raw("<html>bad gateway</html>", "text/html"),
            "server error (502) in workflow-scheduled:get: Bad Gateway",
        ),
        (
            json_answer(500, json!({"errors": [{"description": "internal error"}]})),
            "server error (500) in workflow-scheduled:get: internal error",
        ),
    ];
    for (answer, expected) in cases {
        assert_eq!(error_for(answer).await.to_string(), expected);
    }
}

#[tokio::test]
async fn error_entries_keep_codes() {
    let error = error_for(json_answer(
        400,
        json!({"errors": [{"description": "bad", "field": "triggerAt", "code": 1400, "docs_link": "https://docs.hatchet.run"}]}),
    ))
    .await;

    let entry = &error.api_errors()[0];
    assert_eq!(entry.description, "bad");
    assert_eq!(entry.field.as_deref(), Some("triggerAt"));
    assert_eq!(entry.code, Some(1400));
    assert_eq!(entry.docs_link.as_deref(), Some("https://docs.hatchet.run"));
}

#[tokio::test]
async fn rate_limits_carry_retry_after_when_given() {
    let with = error_for(
        ResponseTemplate::new(429)
            .insert_header("Retry-After", "7")
            .set_body_raw("null", "application/json"),
    )
    .await;
    match &with {
        Error::RateLimited {
            retry_after,
            response,
        } => {
            assert_eq!(*retry_after, Some(Duration::from_secs(7)));
            assert_eq!(response.status.as_u16(), 429);
            assert!(response.errors.is_empty());
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        with.to_string(),
        "rate limited (429) in workflow-scheduled:get: Too Many Requests (retry after 7s)"
    );

    let without = error_for(ResponseTemplate::new(429)).await;
    assert!(
        matches!(
            without,
            Error::RateLimited {
                retry_after: None,
                ..
            }
        ),
        "{without:?}"
    );
    assert_eq!(
        without.to_string(),
        "rate limited (429) in workflow-scheduled:get: Too Many Requests"
    );
    assert!(without.is_retryable());

    let with_message = error_for(
        json_answer(
            429,
            json!({"errors": [{"description": "tenant rate limit exceeded"}]}),
        )
        .insert_header("Retry-After", "2"),
    )
    .await;
    assert_eq!(
        with_message.to_string(),
        "rate limited (429) in workflow-scheduled:get: tenant rate limit exceeded (retry after 2s)"
    );
}

#[tokio::test]
async fn delete_maps_its_403_description_and_404() {
    let server = server().await;
    let client = client(&server);
    let forbidden = nth_id(1);
    let gone = nth_id(2);
    for (id, answer) in [
        (
            forbidden,
            json_answer(
                403,
                json!({"description": "cannot delete a schedule created by a workflow definition"}),
            ),
        ),
        (
            gone,
            json_answer(
                404,
                json!({"errors": [{"description": "scheduled workflow run not found"}]}),
            ),
        ),
    ] {
        Mock::given(method("DELETE"))
            .and(path(api_path(&format!("scheduled/{id}"))))
            .respond_with(answer)
            .mount(&server)
            .await;
    }

    let error = client.delete(forbidden).await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "forbidden (403) in workflow-scheduled:delete: cannot delete a schedule created by a workflow definition"
    );
    let error = client.delete(gone).await.unwrap_err();
    assert!(error.is_not_found());
    assert_eq!(
        error.to_string(),
        "not found (404) in workflow-scheduled:delete: scheduled workflow run not found"
    );
}

#[tokio::test]
async fn each_operation_names_itself_in_errors() {
    let server = server().await; // everything answers the catch-all's 418
    let client = client(&server);
    let at = chrono::DateTime::UNIX_EPOCH;

    let operations = [
        client.create("wf", at).send().await.unwrap_err(),
        client.get(RUN_ID).await.unwrap_err(),
        client.delete(RUN_ID).await.unwrap_err(),
        client.update(RUN_ID, at).await.unwrap_err(),
        client.trigger_now(RUN_ID).await.unwrap_err(),
        client.list().send().await.unwrap_err(),
        client.bulk_delete_ids([RUN_ID]).await.unwrap_err(),
        client
            .bulk_delete_matching(hatchet_scheduled::BulkDeleteFilter::every_api_created_schedule())
            .await
            .unwrap_err(),
        client.bulk_update([(RUN_ID, at)]).await.unwrap_err(),
    ];
    let names: Vec<_> = operations
        .iter()
        .map(|e| e.response().unwrap().operation)
        .collect();
    assert_eq!(
        names,
        [
            "scheduled-workflow-run:create",
            "workflow-scheduled:get",
            "workflow-scheduled:delete",
            "workflow-scheduled:update",
            "workflow-scheduled:trigger",
            "workflow-scheduled:list",
            "workflow-scheduled:bulk-delete",
            "workflow-scheduled:bulk-delete",
            "workflow-scheduled:bulk-update",
        ]
    );
    assert_eq!(
        operations[1].to_string(),
        format!(
            "unexpected status (418) in workflow-scheduled:get: no test mock matched GET {}",
            run_path()
        )
    );
}

// ----------------------------------------------------------------- crons

/// Hatchet's operation id of a cron operation.
fn cron_operation(op: Op) -> &'static str {
    match op {
        Op::CronCreate => "cron-workflow-trigger:create",
        Op::CronList => "cron-workflow:list",
        Op::CronGet => "workflow-cron:get",
        Op::CronPause | Op::CronResume => "workflow-cron:update",
        Op::CronDelete => "workflow-cron:delete",
        Op::CronTrigger => "workflow-cron:trigger",
        other => panic!("{other:?} is not a cron operation"),
    }
}

const CRON_OPS: [Op; 7] = [
    Op::CronCreate,
    Op::CronList,
    Op::CronGet,
    Op::CronPause,
    Op::CronResume,
    Op::CronDelete,
    Op::CronTrigger,
];

/// The operations on one cron, which Hatchet's `cron-workflow` getter looks
/// up first (`api/v1/server/run/run.go`).
const ON_ONE_CRON: [Op; 5] = [
    Op::CronGet,
    Op::CronPause,
    Op::CronResume,
    Op::CronDelete,
    Op::CronTrigger,
];

/// Each answer Hatchet's server gives a cron operation, and what it maps
/// to: (operation, status, body, variant, the `Display` after `in <op>: `).
/// Handlers refuse with `{"errors": [{"description"}]}` (`*_cron.go`); the
/// lookups and the authentication answer echo's `{"message"}`. An unknown
/// cron id is **500** `Internal Server Error`, not 404: the repository's
/// lookup (`GetCronWorkflow`) reports the missing row as a plain error.
fn cron_answers() -> Vec<(Op, u16, serde_json::Value, &'static str, &'static str)> {
    let errors = |description: &str| json!({"errors": [{"description": description}]});
    let message = |message: &str| json!({"message": message});
    let mut cases = vec![
        (
            Op::CronCreate,
            400,
            errors("cron name is required"),
            "BadRequest",
            "cron name is required",
        ),
        (
            Op::CronCreate,
            400,
            errors("workflow not found"),
            "BadRequest",
            "workflow not found",
        ),
        (
            Op::CronCreate,
            400,
            errors("cron trigger with that name-expression pair already exists"),
            "BadRequest",
            "cron trigger with that name-expression pair already exists",
        ),
        (
            Op::CronCreate,
            400,
            errors("error creating cron trigger"),
            "BadRequest",
            "error creating cron trigger",
        ),
        (
            Op::CronTrigger,
            500,
            errors("Failed to trigger cron workflow."),
            "Server",
            "Failed to trigger cron workflow.",
        ),
    ];
    for op in ON_ONE_CRON {
        cases.push((
            op,
            400,
            message("invalid cron workflow id"),
            "BadRequest",
            "invalid cron workflow id",
        ));
        cases.push((
            op,
            500,
            message("Internal Server Error"),
            "Server",
            "Internal Server Error",
        ));
    }
    for op in CRON_OPS {
        cases.push((
            op,
            403,
            message("Please provide valid credentials"),
            "Forbidden",
            "Please provide valid credentials",
        ));
    }
    cases
}

#[tokio::test]
async fn the_servers_cron_answers_map_to_their_variants_with_its_messages() {
    let server = server().await;
    let client = client_without_retries(&server.uri());
    for (op, status, body, expected_variant, message) in cron_answers() {
        server.reset().await;
        Mock::given(any())
            .respond_with(json_answer(status, body))
            .mount(&server)
            .await;

        let error = op.run(&client).await.unwrap_err();

        let what = format!("{op:?} {status} {message}");
        assert_eq!(variant(&error), expected_variant, "{what}: {error:?}");
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status), "{what}");
        assert!(!error.is_not_found(), "{what}");
        assert!(!error.is_retryable(), "{what}");
        let descriptions: Vec<_> = error
            .api_errors()
            .iter()
            .map(|e| e.description.as_str())
            .collect();
        assert_eq!(descriptions, [message], "{what}");
        let words = match expected_variant {
            "BadRequest" => "bad request",
            "Forbidden" => "forbidden",
            _ => "server error",
        };
        assert_eq!(
            error.to_string(),
            format!("{words} ({status}) in {}: {message}", cron_operation(op)),
            "{what}"
        );
    }
}

#[tokio::test]
async fn a_rate_limited_cron_operation_carries_retry_after() {
    let server = server_with([Mock::given(any())
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "7"))])
    .await;
    let client = client_without_retries(&server.uri());
    for op in CRON_OPS {
        let error = op.run(&client).await.unwrap_err();
        assert!(
            matches!(&error, Error::RateLimited { retry_after: Some(wait), .. } if *wait == Duration::from_secs(7)),
            "{op:?}: {error:?}"
        );
        assert!(error.is_retryable());
        assert_eq!(
            error.to_string(),
            format!(
                "rate limited (429) in {}: Too Many Requests (retry after 7s)",
                cron_operation(op)
            )
        );
    }
    assert_eq!(received(&server).await.len(), CRON_OPS.len());
}

// ---------------------------------------------------------------- decode

#[tokio::test]
async fn truncated_json_is_a_decode_error_with_an_excerpt() {
    let body = r#"{"metadata":{"id":"6e0bb1d4-3c43"#;
    let error = error_for(ResponseTemplate::new(200).set_body_raw(body, "application/json")).await;

    match &error {
        Error::Decode {
            operation,
            status,
            reason,
            excerpt,
        } => {
            assert_eq!(*operation, "workflow-scheduled:get");
            assert_eq!(status.as_u16(), 200);
            assert_eq!(reason, "EOF while parsing a string at line 1 column 32");
            assert_eq!(excerpt, body);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(error.status().map(|s| s.as_u16()), Some(200));
    assert!(!error.is_retryable());
    assert_eq!(
        error.to_string(),
        format!(
            "cannot decode the 200 answer of workflow-scheduled:get: \
             EOF while parsing a string at line 1 column 32 (body: {body:?})"
        )
    );
}

#[tokio::test]
async fn a_wrong_shape_is_a_decode_error() {
    let server = server().await;
    let body = r#"{"rows":{"not":"a list"},"pagination":{}}"#;
    Mock::given(method("GET"))
        .and(path(api_path("scheduled")))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .mount(&server)
        .await;

    let error = client(&server).list().send().await.unwrap_err();

    match error {
        Error::Decode {
            operation,
            status,
            reason,
            excerpt,
        } => {
            assert_eq!(operation, "workflow-scheduled:list");
            assert_eq!(status.as_u16(), 200);
            assert_eq!(
                reason,
                "invalid type: map, expected a sequence at line 1 column 8"
            );
            assert_eq!(excerpt, body);
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_huge_unreadable_body_is_cut_in_the_excerpt() {
    let body = format!("<html>{}</html>", "x".repeat(10_000));
    let error = error_for(ResponseTemplate::new(200).set_body_raw(body.clone(), "text/html")).await;

    match error {
        Error::Decode { excerpt, .. } => {
            assert_eq!(excerpt.len(), hatchet_scheduled::EXCERPT_LIMIT);
            assert_eq!(excerpt, body[..hatchet_scheduled::EXCERPT_LIMIT]);
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn an_id_that_is_no_uuid_is_a_decode_error() {
    let mut run = default_run();
    run["tenantId"] = json!("tenant-1");

    let error = error_for(json_answer(200, run)).await;

    match error {
        Error::Decode {
            operation,
            status,
            reason,
            excerpt,
        } => {
            assert_eq!(operation, "workflow-scheduled:get");
            assert_eq!(status.as_u16(), 200);
            assert_eq!(reason, "`tenantId` is not a UUID: \"tenant-1\"");
            assert_eq!(excerpt, "", "the JSON itself was fine");
        }
        other => panic!("{other:?}"),
    }
}

// ------------------------------------------------------- network failures

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    // Accepted by the kernel's backlog, never answered.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", silent.local_addr().unwrap());
    let client = client_from(
        config(&url)
            .timeout(Duration::from_millis(200))
            .retry_policy(RetryPolicy::none()),
    );

    let started = Instant::now();
    let error = client.get(RUN_ID).await.unwrap_err();

    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert!(
        matches!(
            error,
            Error::Timeout {
                operation: "workflow-scheduled:get",
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(error.to_string(), "timed out in workflow-scheduled:get");
    assert!(error.is_retryable());
    assert_eq!(error.status(), None);
    assert!(std::error::Error::source(&error).is_some());
    drop(silent);
}

#[tokio::test]
async fn a_closed_port_is_a_transport_error() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let client = client_without_retries(&format!("http://127.0.0.1:{port}"));

    let error = client.get(RUN_ID).await.unwrap_err();

    assert!(
        matches!(
            error,
            Error::Transport {
                operation: "workflow-scheduled:get",
                ..
            }
        ),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .starts_with("transport error in workflow-scheduled:get: "),
        "{error}"
    );
    assert!(error.is_retryable());
    assert_eq!(error.status(), None);
    assert!(error.api_errors().is_empty());
}

#[tokio::test]
async fn a_long_error_body_is_read_whole_up_to_64_kib() {
    // Error bodies are read up to 64 KiB: a 40 KB description arrives whole.
    let long = "x".repeat(40_000);
    let server = server_with([answer_with(
        "GET",
        &run_path(),
        ResponseTemplate::new(400).set_body_json(json!({"errors": [{"description": long}]})),
    )])
    .await;
    let error = client(&server).get(RUN_ID).await.unwrap_err();
    assert_eq!(error.api_errors()[0].description.len(), 40_000);
}
