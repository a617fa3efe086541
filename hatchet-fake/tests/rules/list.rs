//! Listing (`list_scheduled.go`, `ListScheduledWorkflows` in
//! `pkg/repository/workflow_schedules.go` and `workflow_schedules.sql`):
//! defaults, order, filters and the page arithmetic.

use serde_json::json;

use crate::support::{Api, INTERNAL, future, id_of, rows};

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
async fn order_values_the_repository_refuses_are_500() {
    // Not checked at binding; the repository's `oneof` validation fails.
    let api = Api::start().await;
    for query in [
        "orderByField=name",
        "orderByField=",
        "orderByDirection=asc",
        "orderByDirection=UP",
    ] {
        api.get(&format!("scheduled?{query}"))
            .await
            .assert_message(500, INTERNAL);
    }
}

#[tokio::test]
async fn metadata_filters_match_string_values_and_must_all_match() {
    // JSON containment (`@>`) of {"key": "value"}: equal strings only.
    let api = Api::start().await;
    let both = api
        .schedule_at(future(1), json!({"env": "prod", "team": "core"}))
        .await;
    let prod = api.schedule_at(future(2), json!({"env": "prod"})).await;
    api.schedule_at(future(3), json!({"env": "dev", "team": "core"}))
        .await;
    api.schedule_at(future(4), json!({"env": 5})).await;
    api.schedule_at(future(5), json!({"env": "production"}))
        .await;
    api.schedule_at(future(6), json!({"env": ["prod"]})).await;
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
    assert_eq!(
        api.list_ids("additionalMetadata=env:dev&additionalMetadata=env:prod")
            .await,
        [prod, both],
        "the last value of a repeated key wins"
    );
}

#[tokio::test]
async fn a_schedule_without_metadata_never_matches_a_metadata_filter() {
    let api = Api::start().await;
    let code = api.fake.insert_definition_schedule("nightly", future(1));
    assert_eq!(api.list_ids("").await, [code]);
    assert!(api.list_ids("additionalMetadata=env:prod").await.is_empty());
    let row = api.get(&format!("scheduled/{code}")).await.json();
    assert_eq!(row["additionalMetadata"], serde_json::Value::Null);
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
async fn statuses_scheduled_matches_every_schedule_and_run_statuses_none() {
    // A schedule that fired is deleted, so no schedule has a run status.
    let api = Api::start().await;
    let a = api.schedule_at(future(2), json!({})).await;
    let b = api.schedule_at(future(1), json!({})).await;
    assert_eq!(api.list_ids("statuses=SCHEDULED").await, [a, b]);
    assert_eq!(
        api.list_ids("statuses=SCHEDULED&statuses=FAILED").await,
        [a, b]
    );
    for status in [
        "PENDING",
        "RUNNING",
        "SUCCEEDED",
        "FAILED",
        "CANCELLED",
        "QUEUED",
        "BACKOFF",
    ] {
        assert!(
            api.list_ids(&format!("statuses={status}")).await.is_empty(),
            "{status}"
        );
    }
}

#[tokio::test]
async fn a_status_the_database_enum_refuses_is_500() {
    // The SQL casts the statuses to "WorkflowRunStatus"[]; not checked at binding.
    let api = Api::start().await;
    for query in [
        "statuses=NEW",
        "statuses=scheduled",
        "statuses=SCHEDULED&statuses=",
    ] {
        api.get(&format!("scheduled?{query}"))
            .await
            .assert_message(500, INTERNAL);
    }
}

#[tokio::test]
async fn workflow_and_parent_filters() {
    let api = Api::start().await;
    let id = api.schedule_at(future(1), json!({})).await;
    let other = api.fake.register_workflow("other");
    let code = api.fake.insert_definition_schedule("other", future(2));
    let mine = api.fake.register_workflow("send-email");
    assert_eq!(api.list_ids(&format!("workflowId={mine}")).await, [id]);
    assert_eq!(api.list_ids(&format!("workflowId={other}")).await, [code]);
    assert!(
        api.list_ids(&format!("parentStepRunId={}", uuid::Uuid::new_v4()))
            .await
            .is_empty()
    );
    api.get("scheduled?workflowId=42").await.assert_message(
        400,
        "Invalid format for parameter workflowId: error unmarshaling '42' text as *uuid.UUID: invalid UUID length: 2",
    );
    let upper = mine.to_string().to_uppercase();
    assert_eq!(
        api.list_ids(&format!("workflowId={upper}")).await,
        [id],
        "uuid.Parse"
    );
}

#[tokio::test]
async fn the_parent_workflow_run_filter_matches_the_schedules_own_id() {
    // workflow_schedules.sql compares parentWorkflowRunId with t."id": a
    // server bug the fake follows.
    let api = Api::start().await;
    let a = api.schedule_at(future(1), json!({})).await;
    api.schedule_at(future(2), json!({})).await;
    assert_eq!(api.list_ids(&format!("parentWorkflowRunId={a}")).await, [a]);
    assert!(
        api.list_ids(&format!("parentWorkflowRunId={}", uuid::Uuid::new_v4()))
            .await
            .is_empty()
    );
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
async fn offsets_round_up_and_past_the_end_pages_go_on() {
    // currPage = 1 + ceil(offset / limit); nextPage = currPage + 1 unless
    // currPage == totalPages.
    let api = Api::start().await;
    for hour in 0..5 {
        api.schedule_at(future(hour), json!({})).await;
    }
    let pagination = |query: &'static str| {
        let api = &api;
        async move { api.get(&format!("scheduled?{query}")).await.json() }
    };
    let off_grid = pagination("limit=2&offset=1").await;
    assert_eq!(rows(&off_grid).len(), 2);
    assert_eq!(
        off_grid["pagination"],
        json!({"current_page": 2, "next_page": 3, "num_pages": 3})
    );
    let beyond = pagination("limit=2&offset=10").await;
    assert!(rows(&beyond).is_empty());
    assert_eq!(
        beyond["pagination"],
        json!({"current_page": 6, "next_page": 7, "num_pages": 3})
    );
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
async fn limits_and_offsets_are_bound_as_integers_and_negative_ones_fail_in_sql() {
    let api = Api::start().await;
    api.get("scheduled?limit=ten")
        .await
        .assert_message_starts(400, "Invalid format for parameter limit: ");
    api.get("scheduled?limit=1&limit=2").await.assert_message(
        400,
        "Invalid format for parameter limit: multiple values for single value parameter 'limit'",
    );
    for query in ["limit=-3", "offset=-1"] {
        api.get(&format!("scheduled?{query}"))
            .await
            .assert_message(500, INTERNAL);
    }
}

#[tokio::test]
async fn the_fake_refuses_limit_zero() {
    // The server divides by it; a deliberate difference.
    let api = Api::start().await;
    api.get("scheduled?limit=0").await.assert_message(
        400,
        "hatchet-fake does not model limit=0 (Hatchet's server divides by it)",
    );
}
