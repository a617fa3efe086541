//! Listing: defaults, order, filters and the page info quirks.

use serde_json::json;

use crate::support::{Api, future, id_of, rows};

#[tokio::test]
async fn defaults_are_limit_50_offset_0_trigger_time_descending() {
    let api = Api::start().await;
    for hour in 0..55 {
        api.schedule_at(future(hour), json!({})).await;
    }
    let listing = api.get("scheduled").await.json();
    let rows = rows(&listing);
    assert_eq!(rows.len(), 50);
    let times: Vec<&str> = rows
        .iter()
        .map(|r| r["triggerAt"].as_str().unwrap())
        .collect();
    assert_eq!(times[0], "2040-01-03T06:00:00Z", "latest first");
    assert!(times.windows(2).all(|w| w[0] > w[1]));
    assert_eq!(
        listing["pagination"],
        json!({"current_page": 1, "next_page": 2, "num_pages": 2})
    );
}

#[tokio::test]
async fn equal_times_are_ordered_by_id_ascending_in_both_directions() {
    let api = Api::start().await;
    let mut ids = Vec::new();
    for _ in 0..5 {
        ids.push(api.schedule_at(future(1), json!({})).await);
    }
    ids.sort();
    assert_eq!(api.list_ids("").await, ids);
    assert_eq!(api.list_ids("orderByDirection=ASC").await, ids);
}

#[tokio::test]
async fn order_by_created_at_ascending() {
    let api = Api::start().await;
    let first = api.schedule_at(future(5), json!({})).await;
    api.fake.advance_time(std::time::Duration::from_secs(1));
    let second = api.schedule_at(future(1), json!({})).await;
    assert_eq!(
        api.list_ids("orderByField=createdAt&orderByDirection=ASC")
            .await,
        [first, second]
    );
    assert_eq!(
        api.list_ids("orderByField=triggerAt&orderByDirection=ASC")
            .await,
        [second, first]
    );
}

#[tokio::test]
async fn metadata_filters_must_all_match() {
    let api = Api::start().await;
    let both = api
        .schedule_at(future(1), json!({"env": "prod", "team": "core"}))
        .await;
    let prod = api.schedule_at(future(2), json!({"env": "prod"})).await;
    api.schedule_at(future(3), json!({"env": "dev", "team": "core"}))
        .await;
    api.schedule_at(future(4), json!({"env": 5})).await;
    assert_eq!(
        api.list_ids("additionalMetadata=env:prod").await,
        [prod, both]
    );
    assert_eq!(
        api.list_ids("additionalMetadata=env:prod&additionalMetadata=team:core")
            .await,
        [both]
    );
    assert!(api.list_ids("additionalMetadata=env:5").await.is_empty());
}

#[tokio::test]
async fn a_metadata_filter_without_exactly_one_colon_is_400() {
    let api = Api::start().await;
    for bad in ["env", "a:b:c", "env%3Aprod%3Ax"] {
        api.get(&format!("scheduled?additionalMetadata={bad}"))
            .await
            .assert_errors(
                400,
                "Additional metadata filters must be in the format key:value.",
            );
    }
}

#[tokio::test]
async fn statuses_scheduled_means_not_fired_and_others_are_the_runs() {
    let api = Api::start().await;
    let fired = api.schedule_at(future(-400_000), json!({})).await;
    let failed = api.schedule_at(future(-400_001), json!({})).await;
    let waiting = api.schedule_at(future(1), json!({})).await;
    assert_eq!(api.fake.fire_due().len(), 2);
    assert!(api.fake.set_run_status(failed, "FAILED"));
    assert_eq!(api.list_ids("statuses=SCHEDULED").await, [waiting]);
    assert_eq!(api.list_ids("statuses=PENDING").await, [fired]);
    assert_eq!(
        api.list_ids("statuses=SCHEDULED&statuses=FAILED").await,
        [waiting, failed]
    );
    assert_eq!(api.get("scheduled?statuses=NEW").await.status, 400);
}

#[tokio::test]
async fn fired_rows_carry_their_run() {
    let api = Api::start().await;
    let id = api.schedule_at(future(-400_000), json!({})).await;
    let fired = api.fake.fire_due();
    let row = api.get(&format!("scheduled/{id}")).await.json();
    assert_eq!(row["workflowRunId"], fired[0].run_id.to_string());
    assert_eq!(row["workflowRunStatus"], "PENDING");
    assert!(
        row["workflowRunName"]
            .as_str()
            .unwrap()
            .starts_with("send-email-")
    );
    assert!(row["workflowRunCreatedAt"].is_string());
}

#[tokio::test]
async fn workflow_and_parent_filters() {
    let api = Api::start().await;
    let id = api.schedule_at(future(1), json!({})).await;
    let other = api.fake.register_workflow("other");
    api.fake.insert_definition_schedule("other", future(2));
    let mine = api.fake.register_workflow("send-email");
    assert_eq!(api.list_ids(&format!("workflowId={mine}")).await, [id]);
    assert_eq!(api.list_ids(&format!("workflowId={other}")).await.len(), 1);
    assert!(
        api.list_ids(&format!("parentWorkflowRunId={}", uuid::Uuid::new_v4()))
            .await
            .is_empty()
    );
    assert_eq!(api.get("scheduled?workflowId=42").await.status, 400);
}

#[tokio::test]
async fn the_last_page_repeats_its_number_as_next_page() {
    let api = Api::start().await;
    for hour in 0..5 {
        api.schedule_at(future(hour), json!({})).await;
    }
    let page = |query: &'static str| {
        let api = &api;
        async move { api.get(&format!("scheduled?{query}")).await.json() }
    };
    let first = page("limit=2").await;
    assert_eq!(
        first["pagination"],
        json!({"current_page": 1, "next_page": 2, "num_pages": 3})
    );
    let last = page("limit=2&offset=4").await;
    assert_eq!(rows(&last).len(), 1);
    assert_eq!(
        last["pagination"],
        json!({"current_page": 3, "next_page": 3, "num_pages": 3})
    );
    let ids: Vec<_> = [page("limit=2").await, page("limit=2&offset=2").await, last]
        .iter()
        .flat_map(rows)
        .map(|r| id_of(&r))
        .collect();
    assert_eq!(ids, api.list_ids("").await, "pages tile the listing");
}

#[tokio::test]
async fn zero_rows_give_zero_pages_and_next_page_2() {
    let api = Api::start().await;
    api.get("scheduled").await.assert(
        200,
        json!({"rows": [], "pagination": {"current_page": 1, "next_page": 2, "num_pages": 0}}),
    );
}

#[tokio::test]
async fn the_fake_refuses_a_limit_below_one_and_a_negative_offset() {
    let api = Api::start().await;
    for query in ["limit=0", "limit=-3", "offset=-1", "limit=ten"] {
        assert_eq!(
            api.get(&format!("scheduled?{query}")).await.status,
            400,
            "{query}"
        );
    }
}
