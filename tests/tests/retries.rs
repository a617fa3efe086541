//! Retries: what is retried, how often, and what never is.

use std::time::Duration;

use hatchet_scheduled::{Error, RetryPolicy};
use wiremock::{Mock, MockServer, ResponseTemplate, matchers::any};

use crate::support::{
    IDEMPOTENT, NOT_IDEMPOTENT, Op, RUN_ID, client_from, client_with_policy, config,
};

fn fast() -> RetryPolicy {
    RetryPolicy::default()
        .initial_backoff(Duration::from_millis(1))
        .max_backoff(Duration::from_millis(5))
}

/// A server that answers `failures` with `status` first, then succeeds.
async fn flaky(status: u16, failures: u64, success: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(status).insert_header("retry-after", "0"))
        .up_to_n_times(failures)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(success)
        .mount(&server)
        .await;
    server
}

async fn attempts(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

#[tokio::test]
async fn idempotent_operations_retry_transient_statuses_until_success() {
    for op in IDEMPOTENT {
        for status in [429, 502, 503, 504] {
            let server = flaky(status, 2, op.success()).await;
            let client = client_with_policy(&server.uri(), fast());
            op.run(&client)
                .await
                .unwrap_or_else(|e| panic!("{op:?} {status}: {e}"));
            assert_eq!(attempts(&server).await, 3, "{op:?} {status}");
        }
    }
}

#[tokio::test]
async fn non_idempotent_operations_are_sent_once_when_the_server_may_have_acted() {
    for op in NOT_IDEMPOTENT {
        for status in [502, 503, 504] {
            let server = flaky(status, 2, op.success()).await;
            let client = client_with_policy(&server.uri(), fast());
            let error = op.run(&client).await.unwrap_err();
            assert_eq!(error.status().map(|s| s.as_u16()), Some(status), "{op:?}");
            assert_eq!(attempts(&server).await, 1, "{op:?} {status}");
        }
    }
}

#[tokio::test]
async fn non_idempotent_operations_retry_a_429_which_no_handler_saw() {
    for op in NOT_IDEMPOTENT {
        let server = flaky(429, 2, op.success()).await;
        let client = client_with_policy(&server.uri(), fast());
        op.run(&client)
            .await
            .unwrap_or_else(|e| panic!("{op:?}: {e}"));
        assert_eq!(attempts(&server).await, 3, "{op:?}");
    }
}

#[tokio::test]
async fn not_found_and_client_errors_are_reported_at_once() {
    for status in [400, 401, 403, 404, 409, 422, 500] {
        let server = flaky(status, 5, Op::Get.success()).await;
        let client = client_with_policy(&server.uri(), fast());
        let error = client.get(RUN_ID).await.unwrap_err();
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(attempts(&server).await, 1, "{status}");
    }
}

#[tokio::test]
async fn attempts_are_bounded_and_retries_can_be_turned_off() {
    let server = flaky(503, 10, Op::Get.success()).await;
    let error = client_with_policy(&server.uri(), fast().max_attempts(4))
        .get(RUN_ID)
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Server(_)), "{error:?}");
    assert_eq!(attempts(&server).await, 4);

    let server = flaky(503, 10, Op::Get.success()).await;
    client_with_policy(&server.uri(), RetryPolicy::none())
        .get(RUN_ID)
        .await
        .unwrap_err();
    assert_eq!(attempts(&server).await, 1);
}

#[tokio::test]
async fn retry_after_beyond_the_total_budget_is_not_waited_for() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "3"))
        .mount(&server)
        .await;
    let policy = fast()
        .max_backoff(Duration::from_secs(10))
        .max_elapsed(Duration::from_secs(1));
    let error = client_with_policy(&server.uri(), policy)
        .get(RUN_ID)
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::RateLimited { retry_after: Some(d), .. } if d == Duration::from_secs(3)),
        "{error:?}"
    );
    assert_eq!(attempts(&server).await, 1);
}

#[tokio::test]
async fn timeouts_are_retried_only_where_repeating_is_harmless() {
    let hang = |op: Op| op.success().set_delay(Duration::from_secs(5));
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(hang(Op::Get))
        .mount(&server)
        .await;
    let client = client_from(
        config(&server.uri())
            .retry_policy(fast().max_attempts(2))
            .timeout(Duration::from_millis(150)),
    );
    let error = client.get(RUN_ID).await.unwrap_err();
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
    assert_eq!(attempts(&server).await, 2);

    server.reset().await;
    Mock::given(any())
        .respond_with(hang(Op::Create))
        .mount(&server)
        .await;
    let error = Op::Create.run(&client).await.unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    assert_eq!(attempts(&server).await, 1);
}

#[tokio::test]
async fn a_closed_port_is_a_transport_error_for_every_operation() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let client = client_from(
        config(&format!("http://127.0.0.1:{port}"))
            .retry_policy(fast())
            .timeout(Duration::from_secs(2)),
    );
    for op in Op::all() {
        let error = op.run(&client).await.unwrap_err();
        assert!(
            matches!(error, Error::Transport { .. }),
            "{op:?}: {error:?}"
        );
        assert!(error.is_retryable());
    }
}
