//! The `cron-workflow` lookup (`api/v1/server/run/run.go`), run by the
//! populator (`api/v1/server/middleware/populator/populator.go`) before
//! authentication (`api/v1/server/authn/middleware.go`), and routing.

use hatchet_fake::{Fault, Operation};
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use super::{CREATE, body, cron_with, path};
use crate::support::{Api, INTERNAL, Reply, id_of, reply};

/// Every single-cron operation, with a body where it takes one.
fn operations() -> [(Method, Option<Value>); 4] {
    [
        (Method::GET, None),
        (Method::PATCH, Some(json!({"enabled": false}))),
        (Method::DELETE, None),
        (Method::POST, None),
    ]
}

/// Sends `method` to `workflows/{path}` with this `Authorization` header.
async fn send_as(api: &Api, method: Method, path: &str, authorization: Option<&str>) -> Reply {
    let mut request = api.http.request(method, api.url(path));
    if let Some(value) = authorization {
        request = request.header("authorization", value);
    }
    reply(request.send().await.unwrap()).await
}

#[tokio::test]
async fn a_malformed_cron_id_is_400_and_an_unknown_one_500() {
    // run.go's getter: 400 for what uuid.Parse refuses; GetCronWorkflow
    // reports a missing row as a plain error, so its 404 is unreachable and
    // echo answers 500.
    let api = Api::start().await;
    for (method, body) in operations() {
        api.send(method.clone(), "crons/not-a-uuid", body.clone())
            .await
            .assert_message(400, "invalid cron workflow id");
        api.send(method, &path(Uuid::new_v4()), body)
            .await
            .assert_message(500, INTERNAL);
    }
}

#[tokio::test]
async fn cron_ids_are_looked_up_before_the_token_is_checked() {
    let api = Api::start().await;
    let id = cron_with(&api, "nightly", json!({})).await;
    for authorization in [None, Some("Bearer garbage")] {
        for (method, _) in operations() {
            send_as(&api, method.clone(), "crons/x", authorization)
                .await
                .assert_message(400, "invalid cron workflow id");
            send_as(&api, method.clone(), &path(Uuid::new_v4()), authorization)
                .await
                .assert_message(500, INTERNAL);
            send_as(&api, method, &path(id), authorization)
                .await
                .assert_message(403, "Please provide valid credentials");
        }
        for (method, route) in [(Method::GET, "crons"), (Method::POST, CREATE)] {
            send_as(&api, method, route, authorization)
                .await
                .assert_message(403, "Please provide valid credentials");
        }
    }
    let cron = &api.fake.crons()[0];
    assert!(cron.enabled, "nothing was done");
    assert!(api.fake.started_runs().is_empty());
}

#[tokio::test]
async fn a_tenant_spelled_otherwise_than_go_prints_it_is_403_on_a_cron() {
    // The populator compares the path's tenant, as written, with the
    // cron's tenant as Go prints it.
    let api = Api::start().await;
    let id = cron_with(&api, "nightly", json!({})).await;
    let upper = api.fake.tenant_id().to_string().to_uppercase();
    let url = format!(
        "{}/api/v1/tenants/{upper}/workflows/crons/{id}",
        api.fake.base_url()
    );
    let answer = api
        .http
        .get(url)
        .bearer_auth(api.fake.token())
        .send()
        .await
        .unwrap();
    reply(answer)
        .await
        .assert_message(403, "not authorized to access this resource");
}

#[tokio::test]
async fn cron_ids_are_parsed_as_leniently_as_uuid_parse() {
    let api = Api::start().await;
    let id = cron_with(&api, "nightly", json!({})).await;
    for spelling in [
        id.to_string().to_uppercase(),
        format!("x{id}y"),
        format!("urn:uuid:{id}"),
        id.simple().to_string(),
    ] {
        let answer = api.get(&format!("crons/{spelling}")).await;
        assert_eq!(answer.status, 200, "{spelling}: {}", answer.text);
        assert_eq!(id_of(&answer.json()), id);
    }
}

#[tokio::test]
async fn crons_paths_win_over_a_workflow_named_crons() {
    let api = Api::start().await;
    api.fake.register_workflow("crons");
    api.post("crons/crons", body("nightly", "0 * * * *"))
        .await
        .assert_message(400, "invalid cron workflow id");
    assert_eq!(api.fake.requests(), [Operation::CronTrigger]);
    assert!(api.fake.crons().is_empty(), "nothing was created");
}

#[tokio::test]
async fn each_cron_operation_is_logged_and_can_be_faulted() {
    let api = Api::start().await;
    let id = cron_with(&api, "nightly", json!({})).await;
    api.fake.fail_next(
        Fault::status(500)
            .json_body(&json!({"errors": [{"description": "Failed to trigger cron workflow."}]}))
            .only(Operation::CronTrigger),
    );
    api.get("crons").await;
    api.get(&path(id)).await;
    api.send(Method::PATCH, &path(id), Some(json!({}))).await;
    api.send(Method::POST, &path(id), None)
        .await
        .assert_errors(500, "Failed to trigger cron workflow.");
    assert!(api.fake.started_runs().is_empty(), "the fault answered");
    api.send(Method::DELETE, &path(id), None).await;
    assert_eq!(
        api.fake.requests(),
        [
            Operation::CronCreate,
            Operation::CronList,
            Operation::CronGet,
            Operation::CronUpdate,
            Operation::CronTrigger,
            Operation::CronDelete,
        ]
    );
}
