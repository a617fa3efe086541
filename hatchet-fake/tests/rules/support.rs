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

    /// Asserts a status and a `{"message"}` body.
    #[track_caller]
    pub fn assert_message(&self, status: u16, message: &str) {
        self.assert(status, json!({"message": message}));
    }

    /// Asserts a status and a `{"message"}` body starting with `prefix`.
    #[track_caller]
    pub fn assert_message_starts(&self, status: u16, prefix: &str) {
        assert_eq!(self.status.as_u16(), status, "{}", self.text);
        let body = self.json();
        assert_eq!(body.as_object().map(|o| o.len()), Some(1), "{body}");
        let message = body["message"].as_str().unwrap_or_default();
        assert!(
            message.starts_with(prefix),
            "{message:?} does not start with {prefix:?}"
        );
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

    /// Sends raw bytes with this content type (none when `None`) and the
    /// fake's token.
    pub async fn send_bytes(
        &self,
        method: Method,
        path: &str,
        content_type: Option<&str>,
        body: &'static [u8],
    ) -> Reply {
        let mut request = self
            .http
            .request(method, self.url(path))
            .bearer_auth(self.fake.token())
            .body(body);
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
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

/// What echo answers for an error a handler returned instead of an answer.
pub const INTERNAL: &str = "Internal Server Error";

/// A fixed future time, `hours` after 2040-01-01T00:00Z.
pub fn future(hours: i64) -> DateTime<Utc> {
    "2040-01-01T00:00:00Z".parse::<DateTime<Utc>>().unwrap() + chrono::Duration::hours(hours)
}
