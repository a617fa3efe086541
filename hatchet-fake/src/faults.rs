//! Fault injection: make the next requests answer something other than
//! the fake's normal behaviour, as a rate limiter, proxy or hung server
//! would.

use std::time::Duration;

use axum::{
    body::Body,
    http::{
        HeaderName, HeaderValue, StatusCode,
        header::{CONTENT_LENGTH, CONTENT_TYPE},
    },
    response::Response,
};

use crate::Operation;

/// What the next matching request(s) get instead of a normal answer.
///
/// A fault answers with its status, headers and body, after its delay. A
/// fault made with [`Fault::hang`] has no status: the request waits, then is
/// handled normally — enough to push a client past its timeout. Faults are
/// checked before authentication, as a proxy or rate limiter in front of
/// Hatchet would be.
///
/// ```
/// use std::time::Duration;
/// use hatchet_fake::{Fault, Operation};
///
/// let limited = Fault::rate_limited(7).only(Operation::List).times(2);
/// let html = Fault::bad_gateway_html();
/// let custom = Fault::status(409)
///     .json_body(&serde_json::json!({"errors": [{"description": "conflict"}]}))
///     .header("x-request-id", "abc")
///     .delay(Duration::from_millis(50));
/// let hung = Fault::hang(Duration::from_secs(5));
/// # let _ = (limited, html, custom, hung);
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct Fault {
    status: Option<StatusCode>,
    body: String,
    headers: Vec<(HeaderName, HeaderValue)>,
    delay: Duration,
    times: usize,
    only: Option<Operation>,
    lose_answer: bool,
}

impl Fault {
    /// Answers with this status and, unless a body is set, an empty body.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// use hatchet_fake::{FakeHatchet, Fault};
    ///
    /// let fake = FakeHatchet::start().await;
    /// let url = format!("{}/api/v1/tenants/{}/workflows/scheduled", fake.base_url(), fake.tenant_id());
    /// fake.fail_next(Fault::status(409));
    /// let answer = reqwest::get(&url).await?;
    /// assert_eq!(answer.status(), 409);
    /// assert_eq!(answer.text().await?, "");
    /// // Used up: the next request is handled normally (it has no token: 403).
    /// assert_eq!(reqwest::get(&url).await?.status(), 403);
    /// # Ok::<(), reqwest::Error>(())
    /// # }).unwrap();
    /// ```
    ///
    /// # Panics
    /// If `code` is not an HTTP status code (100..=999).
    pub fn status(code: u16) -> Self {
        let status = StatusCode::from_u16(code)
            .unwrap_or_else(|_| panic!("{code} is not an HTTP status code"));
        Self {
            status: Some(status),
            ..Self::hang(Duration::ZERO)
        }
    }

    /// Waits `delay`, then handles the request normally: a server that is
    /// slow, or hung for a client whose timeout is shorter.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// use std::time::{Duration, Instant};
    /// use hatchet_fake::{FakeHatchet, Fault};
    ///
    /// let fake = FakeHatchet::start().await;
    /// let url = format!("{}/api/v1/tenants/{}/workflows/scheduled", fake.base_url(), fake.tenant_id());
    /// fake.fail_next(Fault::hang(Duration::from_millis(100)));
    /// let started = Instant::now();
    /// let answer = reqwest::get(&url).await?;
    /// assert!(started.elapsed() >= Duration::from_millis(100));
    /// assert_eq!(answer.status(), 403, "then handled normally: no token");
    /// # Ok::<(), reqwest::Error>(())
    /// # }).unwrap();
    /// ```
    pub fn hang(delay: Duration) -> Self {
        Self {
            status: None,
            body: String::new(),
            headers: Vec::new(),
            delay,
            times: 1,
            only: None,
            lose_answer: false,
        }
    }

    /// Handles the request normally, then breaks the connection before the
    /// answer's body is complete: the request took effect, but the client
    /// never learns how, as when a proxy or the network fails on the way
    /// back. (An answer without a body, such as a 204, arrives whole.)
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// use hatchet_fake::{FakeHatchet, Fault, Operation};
    /// use hatchet_scheduled::{ClientConfig, Error, ScheduledClient};
    ///
    /// let fake = FakeHatchet::start().await;
    /// fake.register_workflow("send-email");
    /// let client = ScheduledClient::new(ClientConfig::builder().token(fake.token()).build()?)?;
    /// fake.fail_next(Fault::lose_answer().only(Operation::Create));
    /// let lost = client.create("send-email", fake.now()).send().await.unwrap_err();
    /// assert!(matches!(lost, Error::Transport { .. }), "{lost:?}");
    /// assert_eq!(fake.schedules().len(), 1, "yet the schedule was made");
    /// # Ok::<(), hatchet_scheduled::Error>(())
    /// # }).unwrap();
    /// ```
    pub fn lose_answer() -> Self {
        Self {
            lose_answer: true,
            ..Self::hang(Duration::ZERO)
        }
    }

    /// 429 with `Retry-After: <seconds>` and a `null` body, as Hatchet's
    /// rate limiter answers.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// use std::time::Duration;
    /// use hatchet_fake::{FakeHatchet, Fault};
    /// use hatchet_scheduled::{ClientConfig, Error, RetryPolicy, ScheduledClient};
    ///
    /// let fake = FakeHatchet::start().await;
    /// let config = ClientConfig::builder().token(fake.token()).retry_policy(RetryPolicy::none());
    /// let client = ScheduledClient::new(config.build()?)?;
    /// fake.fail_next(Fault::rate_limited(7));
    /// let error = client.list().send().await.unwrap_err();
    /// assert!(matches!(error, Error::RateLimited { retry_after, .. }
    ///     if retry_after == Some(Duration::from_secs(7))));
    /// # Ok::<(), hatchet_scheduled::Error>(())
    /// # }).unwrap();
    /// ```
    pub fn rate_limited(retry_after_secs: u64) -> Self {
        Self::status(429)
            .header("retry-after", &retry_after_secs.to_string())
            .json_text("null")
    }

    /// 503 with a plain-text body, as a load balancer with no healthy
    /// backend answers.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// use hatchet_fake::{FakeHatchet, Fault};
    ///
    /// let fake = FakeHatchet::start().await;
    /// let url = format!("{}/api/v1/tenants/{}/workflows/scheduled", fake.base_url(), fake.tenant_id());
    /// fake.fail_next(Fault::unavailable());
    /// let answer = reqwest::get(&url).await?;
    /// assert_eq!(answer.status(), 503);
    /// assert_eq!(answer.headers()["content-type"], "text/plain; charset=utf-8");
    /// assert_eq!(answer.text().await?, "Service Unavailable");
    /// # Ok::<(), reqwest::Error>(())
    /// # }).unwrap();
    /// ```
    pub fn unavailable() -> Self {
        Self::status(503)
            .header("content-type", "text/plain; charset=utf-8")
            .body("Service Unavailable")
    }

    /// 502 with an HTML page, as a reverse proxy answers.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// use hatchet_fake::{FakeHatchet, Fault};
    ///
    /// let fake = FakeHatchet::start().await;
    /// let url = format!("{}/api/v1/tenants/{}/workflows/scheduled", fake.base_url(), fake.tenant_id());
    /// fake.fail_next(Fault::bad_gateway_html());
    /// let answer = reqwest::get(&url).await?;
    /// assert_eq!(answer.status(), 502);
    /// assert_eq!(answer.headers()["content-type"], "text/html");
    /// assert!(answer.text().await?.contains("<h1>502 Bad Gateway</h1>"));
    /// # Ok::<(), reqwest::Error>(())
    /// # }).unwrap();
    /// ```
    pub fn bad_gateway_html() -> Self {
        Self::status(502)
            .header("content-type", "text/html")
            .body("<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>")
    }

    /// The response body, sent as is.
    ///
    /// Without a `content-type` header, the body is sent as
    /// `text/plain; charset=utf-8`.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// use hatchet_fake::{FakeHatchet, Fault};
    ///
    /// let fake = FakeHatchet::start().await;
    /// let url = format!("{}/api/v1/tenants/{}/workflows/scheduled", fake.base_url(), fake.tenant_id());
    /// fake.fail_next(Fault::status(500).body("database is down"));
    /// let answer = reqwest::get(&url).await?;
    /// assert_eq!(answer.headers()["content-type"], "text/plain; charset=utf-8");
    /// assert_eq!(answer.text().await?, "database is down");
    /// # Ok::<(), reqwest::Error>(())
    /// # }).unwrap();
    /// ```
    pub fn body(mut self, body: impl Into<String>) -> Self {
        self.body = body.into();
        self
    }

    /// A JSON response body, with `Content-Type: application/json`.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// use hatchet_fake::{FakeHatchet, Fault};
    /// use serde_json::{Value, json};
    ///
    /// let fake = FakeHatchet::start().await;
    /// let url = format!("{}/api/v1/tenants/{}/workflows/scheduled", fake.base_url(), fake.tenant_id());
    /// fake.fail_next(Fault::status(400).json_body(&json!({"errors": [{"description": "nope"}]})));
    /// let answer = reqwest::get(&url).await?;
    /// assert_eq!(answer.headers()["content-type"], "application/json");
    /// assert_eq!(answer.json::<Value>().await?["errors"][0]["description"], "nope");
    /// # Ok::<(), reqwest::Error>(())
    /// # }).unwrap();
    /// ```
    pub fn json_body(self, body: &serde_json::Value) -> Self {
        self.json_text(&body.to_string())
    }

    fn json_text(self, text: &str) -> Self {
        self.header("content-type", "application/json").body(text)
    }

    /// Adds a response header (replacing an earlier one of that name).
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// use hatchet_fake::{FakeHatchet, Fault};
    ///
    /// let fake = FakeHatchet::start().await;
    /// let url = format!("{}/api/v1/tenants/{}/workflows/scheduled", fake.base_url(), fake.tenant_id());
    /// fake.fail_next(Fault::rate_limited(7).header("Retry-After", "60").header("x-request-id", "r1"));
    /// let answer = reqwest::get(&url).await?;
    /// assert_eq!(answer.headers().get_all("retry-after").iter().collect::<Vec<_>>(), ["60"]);
    /// assert_eq!(answer.headers()["x-request-id"], "r1");
    /// # Ok::<(), reqwest::Error>(())
    /// # }).unwrap();
    /// ```
    ///
    /// # Panics
    /// If the name or value cannot be an HTTP header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        let name =
            HeaderName::try_from(name).unwrap_or_else(|_| panic!("{name:?} is not a header name"));
        let value = HeaderValue::try_from(value)
            .unwrap_or_else(|_| panic!("{value:?} is not a header value"));
        self.headers.retain(|(n, _)| *n != name);
        self.headers.push((name, value));
        self
    }

    /// Waits this long before answering.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// use std::time::{Duration, Instant};
    /// use hatchet_fake::{FakeHatchet, Fault};
    ///
    /// let fake = FakeHatchet::start().await;
    /// let url = format!("{}/api/v1/tenants/{}/workflows/scheduled", fake.base_url(), fake.tenant_id());
    /// fake.fail_next(Fault::status(504).delay(Duration::from_millis(100)));
    /// let started = Instant::now();
    /// assert_eq!(reqwest::get(&url).await?.status(), 504);
    /// assert!(started.elapsed() >= Duration::from_millis(100));
    /// # Ok::<(), reqwest::Error>(())
    /// # }).unwrap();
    /// ```
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    /// Applies to the next `n` matching requests (default 1).
    ///
    /// A client that retries gets through once the fault is used up:
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// use hatchet_fake::{FakeHatchet, Fault, Operation};
    /// use hatchet_scheduled::{ClientConfig, ScheduledClient};
    ///
    /// let fake = FakeHatchet::start().await;
    /// let client = ScheduledClient::new(ClientConfig::builder().token(fake.token()).build()?)?;
    /// fake.fail_next(Fault::unavailable().times(2));
    /// assert!(client.list().send().await?.items.is_empty());
    /// assert_eq!(fake.requests(), [Operation::List; 3], "two 503s, then the answer");
    /// # Ok::<(), hatchet_scheduled::Error>(())
    /// # }).unwrap();
    /// ```
    pub fn times(mut self, n: usize) -> Self {
        self.times = n;
        self
    }

    /// Applies only to requests of this operation; others pass untouched.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// use hatchet_fake::{FakeHatchet, Fault, Operation};
    ///
    /// let fake = FakeHatchet::start().await;
    /// let url = format!("{}/api/v1/tenants/{}/workflows/scheduled", fake.base_url(), fake.tenant_id());
    /// fake.fail_next(Fault::status(500).only(Operation::Get));
    /// assert_eq!(reqwest::get(&url).await?.status(), 403, "a list passes untouched");
    /// let get = format!("{url}/{}", uuid::Uuid::new_v4());
    /// assert_eq!(reqwest::get(&get).await?.status(), 500);
    /// assert_eq!(fake.requests(), [Operation::List, Operation::Get]);
    /// # Ok::<(), reqwest::Error>(())
    /// # }).unwrap();
    /// ```
    pub fn only(mut self, operation: Operation) -> Self {
        self.only = Some(operation);
        self
    }

    /// How long the request waits.
    pub(crate) fn wait(&self) -> Duration {
        self.delay
    }

    /// The normal answer with its body broken off, if this fault loses
    /// answers; the answer as it is otherwise.
    pub(crate) fn deliver(&self, response: Response) -> Response {
        if !self.lose_answer {
            return response;
        }
        let (mut parts, _) = response.into_parts();
        parts.headers.remove(CONTENT_LENGTH);
        let broken = futures_util::stream::once(async {
            Err::<axum::body::Bytes, _>(std::io::Error::other("hatchet-fake lost the answer"))
        });
        Response::from_parts(parts, Body::from_stream(broken))
    }

    /// The answer, or `None` to handle the request normally.
    pub(crate) fn response(&self) -> Option<Response> {
        let status = self.status?;
        let mut response = Response::new(Body::from(self.body.clone()));
        *response.status_mut() = status;
        for (name, value) in &self.headers {
            response.headers_mut().insert(name.clone(), value.clone());
        }
        if !self.body.is_empty() && !response.headers().contains_key(CONTENT_TYPE) {
            response.headers_mut().insert(
                CONTENT_TYPE,
                HeaderValue::from_static("text/plain; charset=utf-8"),
            );
        }
        Some(response)
    }

    /// Whether the fault is for `operation`. A queued fault has uses left:
    /// `push` refuses one without, and `take` removes it at its last.
    fn applies_to(&self, operation: Operation) -> bool {
        self.only.is_none_or(|only| only == operation)
    }
}

/// Faults waiting for requests, oldest first.
#[derive(Debug, Default)]
pub(crate) struct FaultQueue {
    pending: Vec<Fault>,
}

impl FaultQueue {
    pub(crate) fn push(&mut self, fault: Fault) {
        if fault.times > 0 {
            self.pending.push(fault);
        }
    }

    pub(crate) fn clear(&mut self) {
        self.pending.clear();
    }

    /// The oldest fault that applies to `operation`, used up by one.
    pub(crate) fn take(&mut self, operation: Operation) -> Option<Fault> {
        let index = self.pending.iter().position(|f| f.applies_to(operation))?;
        let fault = &mut self.pending[index];
        fault.times -= 1;
        if fault.times == 0 {
            Some(self.pending.remove(index))
        } else {
            Some(fault.clone())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_are_used_up_in_order_and_by_operation() {
        let mut queue = FaultQueue::default();
        queue.push(Fault::status(503).times(2).only(Operation::List));
        queue.push(Fault::status(429));
        assert_eq!(
            queue.take(Operation::Get).unwrap().status,
            Some(StatusCode::TOO_MANY_REQUESTS)
        );
        assert!(queue.take(Operation::Get).is_none());
        assert_eq!(
            queue.take(Operation::List).unwrap().status,
            Some(StatusCode::SERVICE_UNAVAILABLE)
        );
        assert!(queue.take(Operation::List).is_some());
        assert!(queue.take(Operation::List).is_none());
    }

    #[test]
    fn a_hang_answers_nothing_itself() {
        let fault = Fault::hang(Duration::from_secs(1));
        assert!(fault.response().is_none());
        assert_eq!(fault.wait(), Duration::from_secs(1));
        let response = Fault::rate_limited(7).response().unwrap();
        assert_eq!(response.headers()["retry-after"], "7");
        assert_eq!(response.headers()[CONTENT_TYPE], "application/json");
    }

    #[test]
    fn zero_times_never_applies() {
        let mut queue = FaultQueue::default();
        queue.push(Fault::status(500).times(0));
        assert!(queue.take(Operation::Create).is_none());
    }
}
