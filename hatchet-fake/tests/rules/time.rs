//! The test-controlled clock, concurrency and lifecycle.

use hatchet_fake::StartedBy;
use std::time::Duration;

use chrono::Duration as Span;
use serde_json::json;

use crate::support::{Api, WORKFLOW};

#[tokio::test]
async fn advancing_time_makes_schedules_due_for_fire_due() {
    let api = Api::start().await;
    let start = api.fake.now();
    let soon = api.schedule_at(start + Span::hours(1), json!({})).await;
    let later = api.schedule_at(start + Span::hours(5), json!({})).await;
    assert!(api.fake.fire_due().is_empty());

    api.fake.advance_time(Duration::from_secs(2 * 3600));
    assert!(api.fake.now() - start >= Span::hours(2));
    let fired = api.fake.fire_due();
    assert_eq!(fired.len(), 1);
    assert_eq!(fired[0].started_by, StartedBy::Schedule(soon));
    assert_eq!(fired[0].workflow_name, WORKFLOW);
    assert!(api.fake.fire_due().is_empty(), "fires once");

    api.fake.advance_to(start + Span::hours(6));
    assert_eq!(
        api.fake.fire_due()[0].started_by,
        StartedBy::Schedule(later)
    );
    assert!(api.list_ids("statuses=SCHEDULED").await.is_empty());
    assert_eq!(api.fake.started_runs().len(), 2);
}

#[tokio::test]
async fn advancing_to_the_past_does_nothing() {
    let api = Api::start().await;
    let before = api.fake.now();
    api.fake.advance_to(before - Span::hours(1));
    assert!(api.fake.now() >= before);
}

#[tokio::test]
async fn created_at_follows_the_fake_clock() {
    let api = Api::start().await;
    api.fake.advance_time(Duration::from_secs(86_400));
    let row = api.create("2040-01-01T00:00:00Z", json!({})).await;
    let created: chrono::DateTime<chrono::Utc> = row["metadata"]["createdAt"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(created - chrono::Utc::now() > Span::hours(23));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_requests_are_all_applied() {
    let api = std::sync::Arc::new(Api::start().await);
    let tasks: Vec<_> = (0..40)
        .map(|i| {
            let api = api.clone();
            tokio::spawn(async move {
                api.schedule_at(crate::support::future(i), json!({"i": i.to_string()}))
                    .await
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    assert_eq!(api.fake.schedules().len(), 40);
    assert_eq!(api.list_ids("limit=100").await.len(), 40);
}

#[tokio::test]
async fn shutdown_stops_the_server_and_cuts_hangs_short() {
    let api = Api::start().await;
    let url = api.url("scheduled");
    let token = api.fake.token().to_owned();
    api.fake
        .fail_next(hatchet_fake::Fault::hang(Duration::from_secs(60)));
    let http = api.http.clone();
    let hung = tokio::spawn({
        let (http, url, token) = (http.clone(), url.clone(), token.clone());
        async move { http.get(url).bearer_auth(token).send().await }
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    tokio::time::timeout(Duration::from_secs(5), api.fake.shutdown())
        .await
        .expect("shutdown does not wait for the hang");
    let _ = hung.await.unwrap();
    assert!(http.get(url).bearer_auth(token).send().await.is_err());
}

#[tokio::test]
async fn dropping_the_fake_stops_it() {
    let api = Api::start().await;
    let url = api.url("scheduled");
    let http = api.http.clone();
    drop(api);
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(http.get(url).send().await.is_err());
}
