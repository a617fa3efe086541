//! Retries: what is retried, how often, and what never is.

use std::time::Duration;

use chrono::{TimeZone, Utc};
use hatchet_scheduled::{ClientConfig, Error, RetryPolicy, ScheduledClient};
use uuid::Uuid;
use wiremock::{Mock, MockServer, ResponseTemplate, matchers::any};

const TENANT: Uuid = Uuid::from_u128(0x707d0855_80ab_4e1f_a156_f1c4546cbf52);
const ID: Uuid = Uuid::from_u128(0x6e0bb1d4_3c43_4b9c_9a2f_5c2c0c8a1d11);

fn client(server_url: &str, policy: RetryPolicy, timeout: Duration) -> ScheduledClient {
    let config = ClientConfig::builder()
        .token("retry-test-token")
        .server_url(server_url)
        .tenant_id(TENANT)
        .timeout(timeout)
        .retry_policy(policy)
        .build()
        .unwrap();
    ScheduledClient::new(config).unwrap()
}

fn fast() -> RetryPolicy {
    RetryPolicy::default()
        .initial_backoff(Duration::from_millis(1))
        .max_backoff(Duration::from_millis(5))
}

fn row() -> serde_json::Value {
    serde_json::json!({
        "metadata": {"id": ID, "createdAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-01T00:00:00Z"},
        "tenantId": TENANT, "workflowId": Uuid::from_u128(1), "workflowVersionId": Uuid::from_u128(2),
        "workflowName": "wf", "triggerAt": "2026-02-01T00:00:00Z", "method": "API"
    })
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
    Mock::given(any()).respond_with(success).mount(&server).await;
    server
}

async fn attempts(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

#[derive(Clone, Copy, Debug)]
enum Op {
    Get,
    List,
    Delete,
    Update,
    BulkUpdate,
    Create,
    Trigger,
    BulkDelete,
}

impl Op {
    fn success(self) -> ResponseTemplate {
        let ok = ResponseTemplate::new(200);
        match self {
            Op::Get | Op::Update | Op::Create => ok.set_body_json(row()),
            Op::List => ok.set_body_json(serde_json::json!({"rows": [row()]})),
            Op::Delete => ResponseTemplate::new(204),
            Op::BulkUpdate => ok.set_body_json(serde_json::json!({"updatedIds": [ID], "errors": []})),
            Op::BulkDelete => ok.set_body_json(serde_json::json!({"deletedIds": [ID], "errors": []})),
            Op::Trigger => ok.set_body_json(serde_json::json!({"externalId": ID})),
        }
    }

    async fn run(self, client: &ScheduledClient) -> Result<(), Error> {
        let at = Utc.with_ymd_and_hms(2026, 2, 1, 0, 0, 0).unwrap();
        match self {
            Op::Get => client.get(ID).await.map(drop),
            Op::List => client.list().send().await.map(drop),
            Op::Delete => client.delete(ID).await,
            Op::Update => client.update(ID, at).await.map(drop),
            Op::BulkUpdate => client.bulk_update([(ID, at)]).await.map(drop),
            Op::Create => client.create("wf", at).send().await.map(drop),
            Op::Trigger => client.trigger_now(ID).await.map(drop),
            Op::BulkDelete => client.bulk_delete_ids([ID]).await.map(drop),
        }
    }
}

const IDEMPOTENT: [Op; 5] = [Op::Get, Op::List, Op::Delete, Op::Update, Op::BulkUpdate];
const NOT_IDEMPOTENT: [Op; 3] = [Op::Create, Op::Trigger, Op::BulkDelete];

#[tokio::test]
async fn idempotent_operations_retry_transient_statuses_until_success() {
    for op in IDEMPOTENT {
        for status in [429, 502, 503, 504] {
            let server = flaky(status, 2, op.success()).await;
            let client = client(&server.uri(), fast(), Duration::from_secs(5));
            op.run(&client).await.unwrap_or_else(|e| panic!("{op:?} {status}: {e}"));
            assert_eq!(attempts(&server).await, 3, "{op:?} {status}");
        }
    }
}

#[tokio::test]
async fn non_idempotent_operations_are_sent_once_even_when_the_server_says_try_again() {
    for op in NOT_IDEMPOTENT {
        for status in [429, 502, 503, 504] {
            let server = flaky(status, 2, op.success()).await;
            let client = client(&server.uri(), fast(), Duration::from_secs(5));
            let error = op.run(&client).await.unwrap_err();
            assert_eq!(error.status().map(|s| s.as_u16()), Some(status), "{op:?}");
            assert_eq!(attempts(&server).await, 1, "{op:?} {status}");
        }
    }
}

#[tokio::test]
async fn not_found_and_client_errors_are_reported_at_once() {
    for status in [400, 401, 403, 404, 409, 422, 500] {
        let server = flaky(status, 5, Op::Get.success()).await;
        let client = client(&server.uri(), fast(), Duration::from_secs(5));
        let error = client.get(ID).await.unwrap_err();
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(attempts(&server).await, 1, "{status}");
    }
}

#[tokio::test]
async fn attempts_are_bounded_and_retries_can_be_turned_off() {
    let server = flaky(503, 10, Op::Get.success()).await;
    let error = client(&server.uri(), fast().max_attempts(4), Duration::from_secs(5))
        .get(ID)
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Server(_)), "{error:?}");
    assert_eq!(attempts(&server).await, 4);

    let server = flaky(503, 10, Op::Get.success()).await;
    client(&server.uri(), RetryPolicy::none(), Duration::from_secs(5))
        .get(ID)
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
    let policy = fast().max_backoff(Duration::from_secs(10)).max_elapsed(Duration::from_secs(1));
    let error = client(&server.uri(), policy, Duration::from_secs(5))
        .get(ID)
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
    Mock::given(any()).respond_with(hang(Op::Get)).mount(&server).await;
    let client = client(&server.uri(), fast().max_attempts(2), Duration::from_millis(150));
    let error = client.get(ID).await.unwrap_err();
    assert!(matches!(error, Error::Timeout { operation: "workflow-scheduled:get", .. }), "{error:?}");
    assert_eq!(attempts(&server).await, 2);

    server.reset().await;
    Mock::given(any()).respond_with(hang(Op::Create)).mount(&server).await;
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
    let client = client(&format!("http://127.0.0.1:{port}"), fast(), Duration::from_secs(2));
    for op in IDEMPOTENT.into_iter().chain(NOT_IDEMPOTENT) {
        let error = op.run(&client).await.unwrap_err();
        assert!(matches!(error, Error::Transport { .. }), "{op:?}: {error:?}");
        assert!(error.is_retryable());
    }
}
