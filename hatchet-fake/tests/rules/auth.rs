//! Bearer auth and the tenant check.

use reqwest::Method;
use serde_json::json;
use uuid::Uuid;

use crate::support::{Api, reply};

const REFUSED: &str = "Please provide valid credentials";

#[tokio::test]
async fn a_request_without_the_bearer_token_is_401() {
    let api = Api::start().await;
    let bare = reply(api.http.get(api.url("scheduled")).send().await.unwrap()).await;
    bare.assert(401, json!({"message": REFUSED}));

    let wrong = api
        .http
        .get(api.url("scheduled"))
        .bearer_auth("not-the-token")
        .send()
        .await
        .unwrap();
    reply(wrong).await.assert(401, json!({"message": REFUSED}));

    let not_bearer = api
        .http
        .get(api.url("scheduled"))
        .header("authorization", api.fake.token())
        .send()
        .await
        .unwrap();
    assert_eq!(reply(not_bearer).await.status, 401);
}

#[tokio::test]
async fn another_tenant_in_the_path_is_403() {
    let api = Api::start().await;
    for tenant in [Uuid::new_v4().to_string(), "not-a-uuid".to_owned()] {
        let url = format!(
            "{}/api/v1/tenants/{tenant}/workflows/scheduled",
            api.fake.base_url()
        );
        let answer = api
            .http
            .request(Method::GET, url)
            .bearer_auth(api.fake.token())
            .send()
            .await
            .unwrap();
        reply(answer).await.assert(403, json!({"message": REFUSED}));
    }
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
