//! Fault injection.

use std::time::{Duration, Instant};

use hatchet_fake::{Fault, Operation};
use serde_json::json;

use crate::support::{Api, reply};

#[tokio::test]
async fn rate_limited_answers_429_with_retry_after_and_a_null_body() {
    let api = Api::start().await;
    api.fake.fail_next(Fault::rate_limited(7));
    let limited = api.get("scheduled").await;
    assert_eq!(limited.status, 429);
    assert_eq!(limited.headers["retry-after"], "7");
    assert_eq!(limited.text, "null");
    assert_eq!(api.get("scheduled").await.status, 200, "used up");
}

#[tokio::test]
async fn unavailable_and_html_bad_gateway() {
    let api = Api::start().await;
    api.fake.fail_next(Fault::unavailable());
    api.fake.fail_next(Fault::bad_gateway_html());
    let unavailable = api.get("scheduled").await;
    assert_eq!(unavailable.status, 503);
    assert_eq!(unavailable.text, "Service Unavailable");
    let html = api.get("scheduled").await;
    assert_eq!(html.status, 502);
    assert_eq!(html.headers["content-type"], "text/html");
    assert!(html.text.starts_with("<html>"));
}

#[tokio::test]
async fn a_custom_fault_sets_status_body_headers_and_count() {
    let api = Api::start().await;
    api.fake.fail_next(
        Fault::status(409)
            .json_body(&json!({"errors": [{"description": "conflict"}]}))
            .header("x-request-id", "abc")
            .times(2),
    );
    for _ in 0..2 {
        let answer = api.get("scheduled").await;
        answer.assert_errors(409, "conflict");
        assert_eq!(answer.headers["x-request-id"], "abc");
        assert_eq!(answer.headers["content-type"], "application/json");
    }
    assert_eq!(api.get("scheduled").await.status, 200);
}

#[tokio::test]
async fn a_fault_for_one_operation_leaves_the_others_alone() {
    let api = Api::start().await;
    api.fake
        .fail_next(Fault::status(500).only(Operation::Trigger));
    assert_eq!(api.get("scheduled").await.status, 200);
    let id = api.schedule_at(crate::support::future(1), json!({})).await;
    let path = format!("scheduled/{id}");
    assert_eq!(api.get(&path).await.status, 200);
    assert_eq!(
        api.send(reqwest::Method::POST, &path, None).await.status,
        500
    );
    assert_eq!(
        api.send(reqwest::Method::POST, &path, None).await.status,
        200
    );
    assert_eq!(
        api.fake.requests(),
        [
            Operation::List,
            Operation::Create,
            Operation::Get,
            Operation::Trigger,
            Operation::Trigger
        ]
    );
}

#[tokio::test]
async fn faults_apply_before_authentication_like_a_proxy() {
    let api = Api::start().await;
    api.fake.fail_next(Fault::bad_gateway_html());
    let answer = reply(api.http.get(api.url("scheduled")).send().await.unwrap()).await;
    assert_eq!(answer.status, 502);
}

#[tokio::test]
async fn a_hang_outlasts_a_short_client_timeout() {
    let api = Api::start().await;
    api.fake.fail_next(Fault::hang(Duration::from_secs(30)));
    let impatient = reqwest::Client::builder()
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = impatient
        .get(api.url("scheduled"))
        .bearer_auth(api.fake.token())
        .send()
        .await
        .unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn a_delay_then_the_normal_answer() {
    let api = Api::start().await;
    api.fake.fail_next(Fault::hang(Duration::from_millis(300)));
    let started = Instant::now();
    assert_eq!(api.get("scheduled").await.status, 200);
    assert!(started.elapsed() >= Duration::from_millis(300));
    api.fake
        .fail_next(Fault::status(503).delay(Duration::from_millis(200)));
    let started = Instant::now();
    assert_eq!(api.get("scheduled").await.status, 503);
    assert!(started.elapsed() >= Duration::from_millis(200));
}

#[tokio::test]
async fn clear_faults_drops_pending_ones() {
    let api = Api::start().await;
    api.fake.fail_next(Fault::status(500).times(10));
    api.fake.clear_faults();
    assert_eq!(api.get("scheduled").await.status, 200);
}
