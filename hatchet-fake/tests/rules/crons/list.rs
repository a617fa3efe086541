//! Listing crons (`list_crons.go`, `ListCronWorkflows` and
//! `CountCronWorkflows` in `pkg/repository/workflow_schedules.go` and
//! `sqlcv1/workflow_schedules.sql`): defaults, order, filters and pages.

use std::time::Duration;

use serde_json::json;
use uuid::Uuid;

use super::{CREATE, body, create, cron_with, list_ids};
use crate::support::{Api, INTERNAL, id_of, rows};

/// Creates a cron of `workflow` named `name` and returns its id.
async fn cron_of(api: &Api, workflow: &str, name: &str) -> Uuid {
    let reply = api
        .post(&format!("{workflow}/crons"), body(name, "0 * * * *"))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    id_of(&reply.json())
}

#[tokio::test]
async fn defaults_are_limit_50_offset_0_newest_first() {
    let api = Api::start().await;
    let mut ids = Vec::new();
    for i in 0..55 {
        ids.push(cron_with(&api, &format!("cron-{i}"), json!({})).await);
        api.fake.advance_time(Duration::from_millis(10));
    }
    let listing = api.get("crons").await.json();
    let shown: Vec<Uuid> = rows(&listing).iter().map(id_of).collect();
    ids.reverse();
    assert_eq!(shown, ids[..50]);
    assert_eq!(
        listing["pagination"],
        json!({"current_page": 1, "next_page": 2, "num_pages": 2})
    );
    assert_eq!(
        list_ids(&api, "orderByField=createdAt&orderByDirection=DESC").await,
        ids[..50]
    );
    ids.reverse();
    assert_eq!(list_ids(&api, "orderByDirection=ASC&limit=100").await, ids);
}

#[tokio::test]
async fn name_orders_by_the_workflows_name_then_the_fakes_tie_break() {
    // ORDER BY w."name", then t."id" (the workflow version's triggers,
    // shared by its crons): the fake orders those ties by cron id, in both
    // directions.
    let api = Api::start().await;
    api.fake.register_workflow("alpha");
    api.fake.register_workflow("zulu");
    let mut zulu = vec![
        cron_of(&api, "zulu", "a").await,
        cron_of(&api, "zulu", "b").await,
    ];
    let mut alpha = vec![
        cron_of(&api, "alpha", "z").await,
        cron_of(&api, "alpha", "y").await,
    ];
    zulu.sort();
    alpha.sort();
    assert_eq!(
        list_ids(&api, "orderByField=name&orderByDirection=ASC").await,
        [alpha.clone(), zulu.clone()].concat()
    );
    assert_eq!(
        list_ids(&api, "orderByField=name").await,
        [zulu, alpha].concat(),
        "descending by default, ties still ascending"
    );
}

#[tokio::test]
async fn order_values_the_repository_refuses_are_500() {
    // Passed through unchecked by the binding; ListCronWorkflowsOpts'
    // `oneof=createdAt name` and `oneof=ASC DESC` fail.
    let api = Api::start().await;
    for query in [
        "orderByField=triggerAt",
        "orderByField=workflowName",
        "orderByField=",
        "orderByDirection=asc",
        "orderByDirection=",
    ] {
        api.get(&format!("crons?{query}"))
            .await
            .assert_message(500, INTERNAL);
    }
}

#[tokio::test]
async fn workflow_filters_match_its_id_and_its_stored_name_exactly() {
    // `workflowName` is compared with the stored name, namespace included.
    let api = Api::start().await;
    let workflow_id = api.fake.register_workflow("acme_send-report");
    let mine = cron_of(&api, "acme_send-report", "nightly").await;
    let other = cron_with(&api, "nightly", json!({})).await;
    assert_eq!(
        list_ids(&api, &format!("workflowId={workflow_id}")).await,
        [mine]
    );
    assert_eq!(
        list_ids(&api, "workflowName=acme_send-report").await,
        [mine]
    );
    for near_miss in ["send-report", "ACME_send-report", "acme_send-report%20", ""] {
        assert!(
            list_ids(&api, &format!("workflowName={near_miss}"))
                .await
                .is_empty(),
            "{near_miss}"
        );
    }
    assert_eq!(list_ids(&api, "workflowName=send-email").await, [other]);
    api.get("crons?workflowId=42").await.assert_message(
        400,
        "Invalid format for parameter workflowId: error unmarshaling '42' text as *uuid.UUID: invalid UUID length: 2",
    );
}

#[tokio::test]
async fn the_cron_name_filter_matches_exactly_and_never_an_unnamed_cron() {
    let api = Api::start().await;
    let nightly = cron_with(&api, "nightly", json!({})).await;
    cron_with(&api, "nightly-2", json!({})).await;
    api.fake.insert_definition_cron("send-email", "0 * * * *");
    assert_eq!(list_ids(&api, "cronName=nightly").await, [nightly]);
    assert!(list_ids(&api, "cronName=NIGHTLY").await.is_empty());
    assert!(
        list_ids(&api, "cronName=").await.is_empty(),
        "NULL is not ''"
    );
    api.get("crons?cronName=a&cronName=b").await.assert_message(
        400,
        "Invalid format for parameter cronName: multiple values for single value parameter 'cronName'",
    );
}

#[tokio::test]
async fn metadata_filters_match_string_values_and_must_all_match() {
    // JSON containment (`@>`) of {"key": "value"}: equal strings only, and
    // a cron without metadata (NULL) never matches.
    let api = Api::start().await;
    let both = cron_with(&api, "both", json!({"env": "prod", "team": "core"})).await;
    api.fake.advance_time(Duration::from_millis(10));
    let prod = cron_with(&api, "prod", json!({"env": "prod"})).await;
    cron_with(&api, "number", json!({"env": 5})).await;
    cron_with(&api, "empty", json!({})).await;
    api.post(
        CREATE,
        json!({"cronName": "none", "cronExpression": "0 * * * *"}),
    )
    .await;
    api.fake.insert_definition_cron("send-email", "0 * * * *");
    assert_eq!(
        list_ids(&api, "additionalMetadata=env:prod").await,
        [prod, both]
    );
    assert_eq!(
        list_ids(
            &api,
            "additionalMetadata=env:prod&additionalMetadata=team:core"
        )
        .await,
        [both]
    );
    assert!(list_ids(&api, "additionalMetadata=env:5").await.is_empty());
    assert_eq!(
        list_ids(
            &api,
            "additionalMetadata=env:dev&additionalMetadata=env:prod"
        )
        .await,
        [prod, both],
        "the last value of a repeated key wins"
    );
    assert_eq!(list_ids(&api, "").await.len(), 6);
}

#[tokio::test]
async fn a_metadata_filter_without_exactly_one_colon_is_400() {
    let api = Api::start().await;
    for bad in ["env", "a:b:c", "env%3Aprod%3Ax"] {
        api.get(&format!("crons?additionalMetadata={bad}"))
            .await
            .assert_errors(
                400,
                "Additional metadata filters must be in the format key:value.",
            );
    }
    api.get("crons?additionalMetadata=env&orderByField=triggerAt")
        .await
        .assert_errors(
            400,
            "Additional metadata filters must be in the format key:value.",
        );
}

#[tokio::test]
async fn pages_count_only_the_matching_crons_with_the_servers_arithmetic() {
    let api = Api::start().await;
    for i in 0..5 {
        cron_with(&api, &format!("prod-{i}"), json!({"env": "prod"})).await;
    }
    cron_with(&api, "dev", json!({"env": "dev"})).await;
    let pagination = |query: &'static str| {
        let api = &api;
        async move {
            let listing = api
                .get(&format!("crons?additionalMetadata=env:prod&{query}"))
                .await
                .json();
            (rows(&listing).len(), listing["pagination"].clone())
        }
    };
    assert_eq!(
        pagination("limit=2").await,
        (
            2,
            json!({"current_page": 1, "next_page": 2, "num_pages": 3})
        )
    );
    assert_eq!(
        pagination("limit=2&offset=4").await,
        (
            1,
            json!({"current_page": 3, "next_page": 3, "num_pages": 3})
        )
    );
    assert_eq!(
        pagination("limit=2&offset=1").await,
        (
            2,
            json!({"current_page": 2, "next_page": 3, "num_pages": 3})
        )
    );
    assert_eq!(
        pagination("limit=2&offset=10").await,
        (
            0,
            json!({"current_page": 6, "next_page": 7, "num_pages": 3})
        )
    );
    let empty = Api::start().await;
    empty.get("crons").await.assert(
        200,
        json!({"rows": [], "pagination": {"current_page": 1, "next_page": 2, "num_pages": 0}}),
    );
}

#[tokio::test]
async fn limits_and_offsets_are_bound_as_integers_and_negative_ones_fail_in_sql() {
    let api = Api::start().await;
    api.get("crons?limit=ten")
        .await
        .assert_message_starts(400, "Invalid format for parameter limit: ");
    for query in ["limit=-3", "offset=-1"] {
        api.get(&format!("crons?{query}"))
            .await
            .assert_message(500, INTERNAL);
    }
    api.get("crons?limit=0").await.assert_message(
        400,
        "hatchet-fake does not model limit=0 (Hatchet's server divides by it)",
    );
}

#[tokio::test]
async fn a_listed_row_is_the_created_row() {
    let api = Api::start().await;
    let row = create(&api, body("nightly", "0 2 * * *")).await;
    api.get("crons").await.assert(
        200,
        json!({"rows": [row], "pagination": {"current_page": 1, "next_page": 1, "num_pages": 1}}),
    );
}
