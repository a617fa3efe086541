//! A raw HTTP client for the fake, and small helpers.

use chrono::{DateTime, Utc};
use hatchet_fake::FakeHatchet;
use reqwest::{Method, StatusCode, header::HeaderMap};
use serde_json::{Value, json};
use uuid::Uuid;

/// The workflow every `Api` registers.
pub const WORKFLOW: &str = "send-email";

/// A fake plus a plain HTTP client that sends the fake's token.
pub struct Api {
    pub fake: FakeHatchet,
    pub http: reqwest::Client,
}

/// An answer: status, headers and raw body.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub text: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", self.text))
    }

    /// Asserts the status and the whole JSON body.
    #[track_caller]
    pub fn assert(&self, status: u16, body: Value) {
        assert_eq!(self.status.as_u16(), status, "{}", self.text);
        assert_eq!(self.json(), body);
    }

    /// Asserts a status and an `{"errors":[{"description"}]}` body.
    #[track_caller]
    pub fn assert_errors(&self, status: u16, description: &str) {
        self.assert(status, json!({"errors": [{"description": description}]}));
    }
}

impl Api {
    pub async fn start() -> Self {
        let fake = FakeHatchet::start().await;
        fake.register_workflow(WORKFLOW);
        Self {
            fake,
            http: reqwest::Client::new(),
        }
    }

    /// `.../tenants/{tenant}/workflows/{path}`.
    pub fn url(&self, path: &str) -> String {
        format!(
            "{}/api/v1/tenants/{}/workflows/{path}",
            self.fake.base_url(),
            self.fake.tenant_id()
        )
    }

    pub async fn send(&self, method: Method, path: &str, body: Option<Value>) -> Reply {
        let mut request = self
            .http
            .request(method, self.url(path))
            .bearer_auth(self.fake.token());
        if let Some(body) = body {
            request = request.json(&body);
        }
        reply(request.send().await.expect("the fake answers")).await
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Reply {
        self.send(Method::POST, path, Some(body)).await
    }

    /// Creates a schedule of [`WORKFLOW`] and returns its row.
    pub async fn create(&self, trigger_at: &str, metadata: Value) -> Value {
        let reply = self
            .post(
                &format!("{WORKFLOW}/scheduled"),
                json!({"input": {"n": 1}, "additionalMetadata": metadata, "triggerAt": trigger_at}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
        reply.json()
    }

    /// Creates a schedule due at `at` and returns its id.
    pub async fn schedule_at(&self, at: DateTime<Utc>, metadata: Value) -> Uuid {
        id_of(&self.create(&at.to_rfc3339(), metadata).await)
    }

    /// The ids of a listing's rows, in order.
    pub async fn list_ids(&self, query: &str) -> Vec<Uuid> {
        let reply = self.get(&format!("scheduled?{query}")).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
        rows(&reply.json()).iter().map(id_of).collect()
    }
}

pub async fn reply(response: reqwest::Response) -> Reply {
    Reply {
        status: response.status(),
        headers: response.headers().clone(),
        text: response.text().await.expect("a readable body"),
    }
}

pub fn id_of(row: &Value) -> Uuid {
    row["metadata"]["id"].as_str().unwrap().parse().unwrap()
}

pub fn rows(listing: &Value) -> Vec<Value> {
    listing["rows"].as_array().cloned().unwrap_or_default()
}

/// A fixed future time, `hours` after 2040-01-01T00:00Z.
pub fn future(hours: i64) -> DateTime<Utc> {
    "2040-01-01T00:00:00Z".parse::<DateTime<Utc>>().unwrap() + chrono::Duration::hours(hours)
}
