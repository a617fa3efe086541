//! The read-outs around a schedule: its workflow by name and by id, and
//! the runs listing and get's refusals, through the generated client
//! (`full-api`) and raw where the client cannot send the request.

use serde_json::{Value, json};
use uuid::Uuid;

use super::{Live, live_test};

fn message(body: &Value) -> &str {
    body["message"]
        .as_str()
        .unwrap_or_else(|| panic!("no message in {body}"))
}

live_test!(workflow_read_outs);
async fn workflow_read_outs(live: &Live) {
    let rest = live.rest();
    let tenant = live.tenant();
    let listed = rest
        .workflow_list(&tenant, None, Some(live.workflow()), None)
        .await
        .unwrap()
        .into_inner();
    let row = listed
        .rows
        .iter()
        .find(|row| row.name == live.workflow())
        .expect("the workflow is listed by its name");
    assert_eq!(row.tenant_id, "", "a listed workflow's tenant is never set");
    assert!(row.versions.is_empty());
    // The name matches anywhere, in any case.
    let upper = live.workflow().to_uppercase();
    let by_part = rest
        .workflow_list(&tenant, None, Some(&upper[1..]), None)
        .await
        .unwrap()
        .into_inner();
    assert!(by_part.rows.iter().any(|row| row.name == live.workflow()));
    let none = rest
        .workflow_list(&tenant, None, Some("live-no-such-workflow"), None)
        .await
        .unwrap()
        .into_inner();
    assert!(none.rows.is_empty());

    let id: Uuid = row.metadata.id.parse().unwrap();
    let workflow = rest.workflow_get(&id).await.unwrap().into_inner();
    assert_eq!(workflow.name, live.workflow());
    assert_eq!(workflow.tenant_id, tenant.to_string());
    assert_eq!(workflow.versions.len(), 1, "the latest version");
    assert_eq!(workflow.versions[0].workflow_id, id.to_string());

    let (status, answer) = live
        .raw_at(
            "GET",
            &format!("/api/v1/workflows/{}", Uuid::new_v4()),
            None,
        )
        .await;
    assert_eq!((status, message(&answer)), (404, "not found"));
    let (status, answer) = live
        .raw_at("GET", "/api/v1/workflows/not-a-uuid", None)
        .await;
    assert_eq!((status, message(&answer)), (400, "invalid workflow id"));
}

live_test!(run_read_out_refusals);
async fn run_read_out_refusals(live: &Live) {
    let runs = format!("/api/v1/stable/tenants/{}/workflow-runs", live.tenant());
    let (status, answer) = live.raw_at("GET", &runs, None).await;
    assert_eq!(
        (status, message(&answer)),
        (
            400,
            "Invalid format for parameter only_tasks: query parameter 'only_tasks' is required"
        )
    );
    // Without `since` nothing is at or after it.
    let (status, answer) = live
        .raw_at("GET", &format!("{runs}?only_tasks=false"), None)
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        answer,
        json!({"pagination": {"current_page": 1, "next_page": 2, "num_pages": 0}, "rows": []})
    );
    for (query, expected) in [
        (
            "only_tasks=maybe",
            "Invalid format for parameter only_tasks: error binding string parameter: \
             strconv.ParseBool: parsing \"maybe\": invalid syntax",
        ),
        (
            "only_tasks=false&since=x",
            "Invalid format for parameter since: error parsing 'x' as RFC3339 or 2006-01-02 \
             time: parsing time \"x\" as \"2006-01-02\": cannot parse \"x\" as \"2006\"",
        ),
        (
            "only_tasks=false&workflow_ids=42",
            "Invalid format for parameter workflow_ids: error setting array element: error \
             unmarshaling '42' text as *uuid.UUID: invalid UUID length: 2",
        ),
    ] {
        let (status, answer) = live.raw_at("GET", &format!("{runs}?{query}"), None).await;
        assert_eq!((status, message(&answer)), (400, expected), "{query}");
    }
    let (status, answer) = live
        .raw_at(
            "GET",
            &format!("/api/v1/stable/workflow-runs/{}", Uuid::new_v4()),
            None,
        )
        .await;
    assert_eq!((status, message(&answer)), (404, "not found"));
    let (status, answer) = live
        .raw_at("GET", "/api/v1/stable/workflow-runs/not-a-uuid", None)
        .await;
    assert_eq!((status, message(&answer)), (400, "invalid workflow run id"));
}
