//! The workflow and run read-outs (`api/v1/server/handlers/workflows/
//! list.go`, `get.go`; `handlers/v1/workflow-runs/list.go`, `get.go`).

use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::support::{Api, WORKFLOW, id_of, rows};

/// GET `path` from the server's root, with the fake's token unless
/// `token` is false.
async fn get_at(api: &Api, path: &str, token: bool) -> crate::support::Reply {
    let mut request = api.http.get(format!("{}{path}", api.fake.base_url()));
    if token {
        request = request.bearer_auth(api.fake.token());
    }
    crate::support::reply(request.send().await.unwrap()).await
}

/// GET `workflow:list` with `query`.
async fn workflows(api: &Api, query: &str) -> crate::support::Reply {
    let path = format!("/api/v1/tenants/{}/workflows{query}", api.fake.tenant_id());
    get_at(api, &path, true).await
}

fn runs_path(api: &Api, query: &str) -> String {
    format!(
        "/api/v1/stable/tenants/{}/workflow-runs?{query}",
        api.fake.tenant_id()
    )
}

/// Fires a schedule of [`WORKFLOW`] with `metadata` now; returns its run.
async fn started_run(api: &Api, metadata: Value) -> Uuid {
    let id = id_of(&api.create("2001-01-01T00:00:00Z", metadata).await);
    let answer = api
        .send(Method::POST, &format!("scheduled/{id}"), None)
        .await;
    answer.json()["externalId"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap()
}

const SINCE: &str = "since=2000-01-01";

#[tokio::test]
async fn workflows_are_listed_by_a_name_anywhere_in_any_case_newest_first() {
    let api = Api::start().await;
    let other = api.fake.register_workflow("send-email-digest");
    let page = workflows(&api, "").await;
    assert_eq!(page.status, 200, "{}", page.text);
    let names: Vec<Value> = rows(&page.json())
        .iter()
        .map(|row| row["name"].clone())
        .collect();
    assert_eq!(names, [json!("send-email-digest"), json!(WORKFLOW)]);
    let row = &rows(&page.json())[0];
    assert_eq!(
        (
            row["tenantId"].clone(),
            row["description"].clone(),
            row["isPaused"].clone()
        ),
        (json!(""), json!(""), json!(false))
    );
    assert_eq!(id_of(row), other);
    assert!(row.get("versions").is_none());
    let named = workflows(&api, "?name=EMAIL-D").await.json();
    assert_eq!(rows(&named).len(), 1);
    assert_eq!(
        rows(&workflows(&api, "?name=s_nd%25digest").await.json()).len(),
        1,
        "_ and % are wildcards"
    );
    assert_eq!(
        workflows(&api, "?name=nothing").await.json(),
        json!({"pagination": {"current_page": 1, "next_page": 2, "num_pages": 0}, "rows": []})
    );
    // A limit of 0 or less is 50, an offset below 0 is 0.
    assert_eq!(
        rows(&workflows(&api, "?limit=0&offset=-3").await.json()).len(),
        2
    );
    let second = workflows(&api, "?limit=1&offset=1").await.json();
    assert_eq!(
        second["pagination"],
        json!({"current_page": 2, "next_page": 2, "num_pages": 2})
    );
}

#[tokio::test]
async fn a_workflow_by_id_has_its_tenant_and_latest_version() {
    let api = Api::start().await;
    let id = api.fake.register_workflow(WORKFLOW);
    let answer = get_at(&api, &format!("/api/v1/workflows/{id}"), true).await;
    let workflow = answer.json();
    assert_eq!(answer.status, 200);
    assert_eq!(workflow["tenantId"], json!(api.fake.tenant_id()));
    assert_eq!(workflow["versions"].as_array().unwrap().len(), 1);
    assert_eq!(workflow["versions"][0]["workflowId"], json!(id));
    assert_eq!(
        (
            workflow["versions"][0]["order"].clone(),
            workflow["versions"][0]["version"].clone()
        ),
        (json!(1), json!(""))
    );
    // The lookup runs before authentication.
    get_at(&api, "/api/v1/workflows/nope", false)
        .await
        .assert_message(400, "invalid workflow id");
    get_at(
        &api,
        &format!("/api/v1/workflows/{}", Uuid::new_v4()),
        false,
    )
    .await
    .assert_message(404, "not found");
    get_at(&api, &format!("/api/v1/workflows/{id}"), false)
        .await
        .assert_message(403, "Please provide valid credentials");
}

#[tokio::test]
async fn runs_list_newest_first_filtered_and_paged_as_the_server_pages() {
    let api = Api::start().await;
    let first = started_run(&api, json!({"env": "a", "n": 1})).await;
    let second = started_run(&api, json!({"env": "b"})).await;
    let ids = |listing: &Value| rows(listing).iter().map(id_of).collect::<Vec<_>>();
    let all = get_at(
        &api,
        &runs_path(&api, &format!("only_tasks=false&{SINCE}")),
        true,
    )
    .await
    .json();
    let newest_first = {
        let mut both = [first, second];
        // Started in the same millisecond, they tie and go by id, descending.
        if rows(&all)[0]["createdAt"] == rows(&all)[1]["createdAt"] {
            both.sort_by(|a, b| b.cmp(a));
        } else {
            both.reverse();
        }
        both
    };
    assert_eq!(ids(&all), newest_first);
    let row = &rows(&all)[0];
    assert_eq!(
        (
            row["type"].clone(),
            row["actionId"].clone(),
            row["status"].clone()
        ),
        (json!("DAG"), json!(""), json!("QUEUED"))
    );
    assert_eq!(row["input"], json!({}), "payloads only when asked for");
    assert!(row.get("startedAt").is_none() && row.get("duration").is_none());
    let query = |extra: &str| runs_path(&api, &format!("only_tasks=false&{SINCE}&{extra}"));
    let listed = |extra: String| {
        let path = query(&extra);
        let api = &api;
        async move { ids(&get_at(api, &path, true).await.json()) }
    };
    assert_eq!(listed("additional_metadata=env:a".into()).await, [first]);
    assert_eq!(
        listed("additional_metadata=env:a&additional_metadata=env:b".into()).await,
        [second],
        "last value wins"
    );
    assert_eq!(
        listed(
            "additional_metadata=env:b&additional_metadata=n:1&additional_metadata_operator=OR"
                .into()
        )
        .await
        .len(),
        2
    );
    assert!(
        listed(
            "additional_metadata=env:b&additional_metadata=n:1&additional_metadata_operator=AND"
                .into()
        )
        .await
        .is_empty()
    );
    assert_eq!(listed("statuses=QUEUED".into()).await.len(), 2);
    assert!(listed("statuses=COMPLETED".into()).await.is_empty());
    assert_eq!(
        listed("statuses=NEW".into()).await.len(),
        2,
        "unknown statuses are dropped"
    );
    assert!(listed("until=2000-01-02".into()).await.is_empty());
    assert!(
        listed(format!("workflow_ids={}", Uuid::new_v4()))
            .await
            .is_empty()
    );
    assert!(
        listed("triggering_event_external_id=6e0bb1d4-3c43-4b9c-9a2f-5c2c0c8a1d11".into())
            .await
            .is_empty()
    );
    let tasks = get_at(
        &api,
        &runs_path(
            &api,
            &format!("only_tasks=true&include_payloads=true&{SINCE}"),
        ),
        true,
    )
    .await
    .json();
    let task = &rows(&tasks)[0];
    assert_eq!(
        (task["type"].clone(), task["actionId"].clone()),
        (json!("TASK"), json!(format!("{WORKFLOW}:{WORKFLOW}")))
    );
    assert_eq!(task["input"]["triggered_by"], "manual");
    let paged = get_at(&api, &query("limit=1&offset=1"), true).await.json();
    assert_eq!(
        paged["pagination"],
        json!({"current_page": 2, "next_page": 3, "num_pages": 2})
    );
    let none = get_at(&api, &runs_path(&api, "only_tasks=false"), true)
        .await
        .json();
    assert!(rows(&none).is_empty(), "no `since`: nothing");
}

#[tokio::test]
async fn a_run_reads_as_queued_with_its_wrapped_input_and_one_task() {
    let api = Api::start().await;
    let run = started_run(&api, json!({"env": "a"})).await;
    let answer = get_at(&api, &format!("/api/v1/stable/workflow-runs/{run}"), true).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    let details = answer.json();
    assert_eq!(details["run"]["status"], "QUEUED");
    assert_eq!(details["run"]["startedAt"], "0001-01-01T00:00:00Z");
    assert_eq!(
        details["run"]["input"]["input"],
        json!({"n": 1}),
        "the schedule's input"
    );
    assert_eq!(details["run"]["additionalMetadata"]["env"], "a");
    assert!(
        details["run"]["additionalMetadata"]["traceparent"]
            .as_str()
            .unwrap()
            .starts_with("00-")
    );
    assert_eq!(details["tasks"].as_array().unwrap().len(), 1);
    assert_eq!(details["shape"][0]["taskExternalId"], json!(run));
    assert_eq!(details["taskEvents"], json!([]));
    get_at(&api, "/api/v1/stable/workflow-runs/nope", false)
        .await
        .assert_message(400, "invalid workflow run id");
    get_at(
        &api,
        &format!("/api/v1/stable/workflow-runs/{}", Uuid::new_v4()),
        false,
    )
    .await
    .assert_message(404, "not found");
}
