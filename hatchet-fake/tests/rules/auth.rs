//! Authentication (`api/v1/server/authn/middleware.go`) and the lookups
//! that run before it (`api/v1/server/run/run.go`, populator.go).

use reqwest::Method;
use serde_json::json;
use uuid::Uuid;

use crate::support::{Api, future, reply};

const REFUSED: &str = "Please provide valid credentials";

/// Sends `method url` with this `Authorization` header (none when `None`).
async fn send_as(
    api: &Api,
    method: Method,
    url: &str,
    authorization: Option<&str>,
) -> crate::support::Reply {
    let mut request = api.http.request(method, url);
    if let Some(value) = authorization {
        request = request.header("authorization", value);
    }
    reply(request.send().await.unwrap()).await
}

/// Another fake's token: valid for Hatchet, but for another tenant.
async fn another_tenants_token() -> String {
    hatchet_fake::FakeHatchet::start().await.token().to_owned()
}

#[tokio::test]
async fn missing_malformed_unknown_and_other_tenants_tokens_are_403() {
    let api = Api::start().await;
    let id = api.schedule_at(future(1), json!({})).await;
    let other = another_tenants_token().await;
    let garbage = "Bearer not-a-token".to_owned();
    let others = format!("Bearer {other}");
    let bare_token = api.fake.token().to_owned();
    let twice = format!("Bearer {0} Bearer {0}", api.fake.token());
    for authorization in [
        None,
        Some(garbage.as_str()),
        Some(others.as_str()),
        Some(bare_token.as_str()),
        Some(twice.as_str()),
    ] {
        for (method, path) in [
            (Method::GET, "scheduled".to_owned()),
            (Method::GET, format!("scheduled/{id}")),
            (Method::POST, "send-email/scheduled".to_owned()),
            (Method::POST, "scheduled/bulk-delete".to_owned()),
        ] {
            send_as(&api, method, &api.url(&path), authorization)
                .await
                .assert_message(403, REFUSED);
        }
    }
    assert_eq!(api.fake.schedules().len(), 1, "nothing was done");
}

#[tokio::test]
async fn the_token_may_follow_bearer_with_any_spacing() {
    let api = Api::start().await;
    let spaced = format!("Bearer    {}  ", api.fake.token());
    let answer = send_as(&api, Method::GET, &api.url("scheduled"), Some(&spaced)).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
}

#[tokio::test]
async fn tenants_are_looked_up_before_the_token_is_checked() {
    let api = Api::start().await;
    let base = api.fake.base_url();
    for authorization in [None, Some("Bearer garbage")] {
        let url = format!("{base}/api/v1/tenants/not-a-uuid/workflows/scheduled");
        send_as(&api, Method::GET, &url, authorization)
            .await
            .assert_message(400, "invalid tenant id");
        let unknown = Uuid::new_v4();
        let url = format!("{base}/api/v1/tenants/{unknown}/workflows/scheduled");
        send_as(&api, Method::GET, &url, authorization)
            .await
            .assert_message(404, "not found");
    }
}

#[tokio::test]
async fn schedule_ids_are_looked_up_before_the_token_is_checked() {
    let api = Api::start().await;
    let id = api.schedule_at(future(1), json!({})).await;
    for authorization in [None, Some("Bearer garbage")] {
        for method in [Method::GET, Method::PATCH, Method::DELETE, Method::POST] {
            send_as(&api, method.clone(), &api.url("scheduled/x"), authorization)
                .await
                .assert_message(400, "invalid scheduled workflow run id");
            let unknown = api.url(&format!("scheduled/{}", Uuid::new_v4()));
            send_as(&api, method.clone(), &unknown, authorization)
                .await
                .assert_message(404, "scheduled workflow run not found");
            let known = api.url(&format!("scheduled/{id}"));
            send_as(&api, method, &known, authorization)
                .await
                .assert_message(403, REFUSED);
        }
    }
}

#[tokio::test]
async fn a_tenant_spelled_otherwise_than_go_prints_it_is_403_on_a_schedule() {
    // The populator compares the path's tenant, as written, with the
    // schedule's tenant as Go prints it.
    let api = Api::start().await;
    let id = api.schedule_at(future(1), json!({})).await;
    let upper = api.fake.tenant_id().to_string().to_uppercase();
    let url = |path: &str| {
        format!(
            "{}/api/v1/tenants/{upper}/workflows/{path}",
            api.fake.base_url()
        )
    };
    let bearer = format!("Bearer {}", api.fake.token());
    send_as(
        &api,
        Method::GET,
        &url(&format!("scheduled/{id}")),
        Some(&bearer),
    )
    .await
    .assert_message(403, "not authorized to access this resource");
    let listing = send_as(&api, Method::GET, &url("scheduled"), Some(&bearer)).await;
    assert_eq!(
        listing.status, 200,
        "a listing names no schedule: {}",
        listing.text
    );
}

#[tokio::test]
async fn the_token_is_a_jwt_naming_the_fake_and_its_tenant() {
    use base64::Engine;
    let api = Api::start().await;
    let parts: Vec<&str> = api.fake.token().split('.').collect();
    assert_eq!(parts.len(), 3);
    let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(parts[1])
        .unwrap();
    let claims: serde_json::Value = serde_json::from_slice(&payload).unwrap();
    assert_eq!(claims["sub"], api.fake.tenant_id().to_string());
    assert_eq!(claims["server_url"], api.fake.base_url());
}
