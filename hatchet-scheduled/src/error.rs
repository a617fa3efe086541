//! The one error type every operation returns.
//!
//! Hatchet answers errors in four body shapes: `{"errors":[...]}`, a bare
//! `{"description":...}`, `{"message":...}` from its middleware, and `null`
//! or non-JSON from the rate limiter and proxies. All four are read into
//! [`ApiError`]s so callers see the server's words whatever the shape.

use std::time::Duration;

use reqwest::StatusCode;
use serde::Deserialize;

/// Everything that can go wrong in a call, as one enum to `match` on, or to
/// ask: [`is_not_found`](Self::is_not_found), [`status`](Self::status),
/// [`is_retryable`](Self::is_retryable), [`response`](Self::response) with
/// the server's message.
///
/// ```no_run
/// use hatchet_scheduled::{Error, ScheduledClient};
///
/// # async fn run(client: ScheduledClient, id: uuid::Uuid) -> Result<(), Error> {
/// match client.get(id).await {
///     Ok(run) => println!("due at {}", run.trigger_at),
///     Err(e) if e.is_not_found() => println!("gone: it fired or was deleted"),
///     Err(Error::Forbidden(refused)) => eprintln!("check the token: {}", refused.message()),
///     Err(Error::InvalidArgument { name, reason }) => eprintln!("fix `{name}`: {reason}"),
///     Err(e) if e.is_retryable() => eprintln!("try again later: {e}"),
///     Err(e) => return Err(e),
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A caller's argument was rejected before anything was sent.
    #[error("invalid argument `{name}`: {reason}")]
    InvalidArgument {
        /// The argument, as named in this crate's API.
        name: &'static str,
        /// Why it was rejected.
        reason: String,
    },
    /// The client could not be configured (missing token, bad URL, ...).
    #[error("configuration error: {0}")]
    Configuration(String),
    /// 404: the scheduled run does not exist. A schedule that fired, by its
    /// time or by trigger-now, no longer exists either: Hatchet deletes it
    /// once it has started its run.
    #[error("not found (404) in {}: {}", .0.operation, .0.message())]
    NotFound(ErrorResponse),
    /// 401: from something in front of Hatchet, which itself answers
    /// refused credentials with a 403 (see [`Error::Forbidden`]).
    #[error("unauthorized (401) in {}: {}", .0.operation, .0.message())]
    Unauthorized(ErrorResponse),
    /// 403: the credentials were refused, or the schedule may not be changed.
    ///
    /// Hatchet answers every refused token (unknown, malformed, expired, or
    /// another tenant's) with a 403 whose message is `Please provide valid
    /// credentials`; this is the variant to match for bad credentials. Its
    /// other 403s refuse to update or delete a schedule made by a workflow's
    /// code definition. The server's message is kept:
    ///
    /// ```
    /// use hatchet_scheduled::Error;
    ///
    /// fn explain(error: &Error) -> String {
    ///     match error {
    ///         // "Please provide valid credentials" for a refused token.
    ///         Error::Forbidden(response) => format!("refused: {}", response.message()),
    ///         other => other.to_string(),
    ///     }
    /// }
    /// # let _ = explain;
    /// ```
    #[error("forbidden (403) in {}: {}", .0.operation, .0.message())]
    Forbidden(ErrorResponse),
    /// 400: the server rejected the request; see [`Error::api_errors`].
    #[error("bad request (400) in {}: {}", .0.operation, .0.message())]
    BadRequest(ErrorResponse),
    /// 429: slow down, and wait `retry_after` when the server said so.
    #[error("rate limited (429) in {}: {}{}", .response.operation, .response.message(), retry_hint(*.retry_after))]
    RateLimited {
        /// The server's `Retry-After`, when it sent one.
        retry_after: Option<Duration>,
        /// The response.
        response: ErrorResponse,
    },
    /// 5xx: the server or a proxy in front of it failed.
    #[error("server error ({}) in {}: {}", .0.status.as_u16(), .0.operation, .0.message())]
    Server(ErrorResponse),
    /// Any other non-success status.
    #[error("unexpected status ({}) in {}: {}", .0.status.as_u16(), .0.operation, .0.message())]
    UnexpectedStatus(ErrorResponse),
    /// No answer within the configured timeout.
    #[error("timed out in {operation}")]
    Timeout {
        /// The operation that timed out.
        operation: &'static str,
        /// The underlying error.
        #[source]
        source: reqwest::Error,
    },
    /// The connection failed or broke before a complete answer.
    #[error("transport error in {operation}: {source}")]
    Transport {
        /// The operation that failed.
        operation: &'static str,
        /// The underlying error.
        #[source]
        source: reqwest::Error,
    },
    /// A success status with a body this client cannot read.
    #[error("cannot decode the {} answer of {operation}: {reason} (body: {excerpt:?})", .status.as_u16())]
    Decode {
        /// The operation whose answer was unreadable.
        operation: &'static str,
        /// The HTTP status of the answer.
        status: StatusCode,
        /// What was wrong with it.
        reason: String,
        /// The start of the body, at most [`EXCERPT_LIMIT`] bytes. Empty
        /// when the body was JSON of the right shape but held a value this
        /// client refuses (such as an id that is not a UUID): then `reason`
        /// names the field and the value.
        excerpt: String,
    },
    /// A cron sync or replacement stopped part-way: `done` is what it had
    /// already changed, `source` what stopped it. Running the same sync
    /// again finishes it without repeating what was done.
    #[error("cron sync stopped part-way ({}): {source}", done.summary())]
    SyncIncomplete {
        /// What was done before the failure.
        done: Box<crate::SyncReport>,
        /// The failure.
        source: Box<Error>,
    },
    /// The blocking client was called from inside an async runtime, where
    /// blocking would stall the runtime's threads. Use the async client there.
    #[error(
        "the blocking client was called inside an async runtime; use the async `ScheduledClient` there"
    )]
    BlockingInAsyncContext,
}

/// How much of a body errors keep, so a huge answer cannot bloat them.
pub const EXCERPT_LIMIT: usize = 512;

fn retry_hint(retry_after: Option<Duration>) -> String {
    retry_after.map_or_else(String::new, |d| format!(" (retry after {}s)", d.as_secs()))
}

impl Error {
    /// An [`Error::InvalidArgument`], for checks made before sending.
    pub fn invalid_argument(name: &'static str, reason: impl Into<String>) -> Self {
        Self::InvalidArgument {
            name,
            reason: reason.into(),
        }
    }

    /// The HTTP status of the answer, when there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Decode { status, .. } => Some(*status),
            Self::SyncIncomplete { source, .. } => source.status(),
            other => other.response().map(|r| r.status),
        }
    }

    /// Whether this is a 404.
    pub fn is_not_found(&self) -> bool {
        match self {
            Self::SyncIncomplete { source, .. } => source.is_not_found(),
            other => matches!(other, Self::NotFound(_)),
        }
    }

    /// Whether the same call may succeed later: rate limiting, 502/503/504,
    /// timeouts and broken connections. Whether retrying is *safe* depends on
    /// the operation: a retried create may schedule twice.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::RateLimited { .. } | Self::Timeout { .. } | Self::Transport { .. } => true,
            Self::Server(r) => matches!(r.status.as_u16(), 502..=504),
            Self::SyncIncomplete { source, .. } => source.is_retryable(),
            _ => false,
        }
    }

    /// The server's error entries (empty when there was no answer).
    pub fn api_errors(&self) -> &[ApiError] {
        self.response().map_or(&[], |r| &r.errors)
    }

    /// The error answer, for the status variants.
    pub fn response(&self) -> Option<&ErrorResponse> {
        match self {
            Self::NotFound(r)
            | Self::Unauthorized(r)
            | Self::Forbidden(r)
            | Self::BadRequest(r)
            | Self::Server(r)
            | Self::UnexpectedStatus(r)
            | Self::RateLimited { response: r, .. } => Some(r),
            Self::SyncIncomplete { source, .. } => source.response(),
            _ => None,
        }
    }

    /// Classifies a non-success answer by its status.
    pub(crate) fn from_status(response: ErrorResponse, retry_after: Option<Duration>) -> Self {
        match response.status.as_u16() {
            400 => Self::BadRequest(response),
            401 => Self::Unauthorized(response),
            403 => Self::Forbidden(response),
            404 => Self::NotFound(response),
            429 => Self::RateLimited {
                retry_after,
                response,
            },
            500..=599 => Self::Server(response),
            _ => Self::UnexpectedStatus(response),
        }
    }
}

/// A non-success answer: its status and what the server said.
///
/// ```
/// use hatchet_scheduled::ErrorResponse;
/// use reqwest::StatusCode;
///
/// let body = br#"{"errors":[{"description":"must be in the future","field":"triggerAt"}]}"#;
/// let r = ErrorResponse::parse("workflow-scheduled:update", StatusCode::BAD_REQUEST, body);
/// assert_eq!(r.status, StatusCode::BAD_REQUEST);
/// assert_eq!(r.errors[0].field.as_deref(), Some("triggerAt"));
/// assert_eq!(r.body_excerpt.as_bytes(), body);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ErrorResponse {
    /// The operation that was answered (Hatchet's operation id).
    pub operation: &'static str,
    /// The HTTP status.
    pub status: StatusCode,
    /// The server's error entries, from whichever body shape it used.
    pub errors: Vec<ApiError>,
    /// The start of the raw body, at most [`EXCERPT_LIMIT`] bytes.
    pub body_excerpt: String,
}

impl ErrorResponse {
    /// Reads an error body in any of Hatchet's shapes.
    pub fn parse(operation: &'static str, status: StatusCode, body: &[u8]) -> Self {
        Self {
            operation,
            status,
            errors: parse_error_body(body),
            body_excerpt: excerpt(body),
        }
    }

    /// The server's message: its error descriptions joined by `; `, or the
    /// status's reason when the body said nothing readable.
    pub fn message(&self) -> String {
        if self.errors.is_empty() {
            return self
                .status
                .canonical_reason()
                .unwrap_or("no message")
                .to_owned();
        }
        let described: Vec<String> = self.errors.iter().map(ApiError::to_string).collect();
        described.join("; ")
    }
}

/// One error entry from the server.
///
/// Its `Display` is the description, prefixed by the field when there is one.
///
/// ```
/// use hatchet_scheduled::ErrorResponse;
/// use reqwest::StatusCode;
///
/// let body = br#"{"description":"must be in the future","field":"triggerAt","code":1400}"#;
/// let r = ErrorResponse::parse("workflow-scheduled:update", StatusCode::BAD_REQUEST, body);
/// let error = &r.errors[0];
/// assert_eq!(error.code, Some(1400));
/// assert_eq!(error.docs_link, None);
/// assert_eq!(error.to_string(), "triggerAt: must be in the future");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct ApiError {
    /// What went wrong.
    pub description: String,
    /// The request field it concerns, if any.
    #[serde(default)]
    pub field: Option<String>,
    /// Hatchet's own error code, if any.
    #[serde(default)]
    pub code: Option<u64>,
    /// A documentation link, if any.
    #[serde(default)]
    pub docs_link: Option<String>,
}

impl ApiError {
    fn described(description: String) -> Self {
        Self {
            description,
            field: None,
            code: None,
            docs_link: None,
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.field {
            Some(field) => write!(f, "{field}: {}", self.description),
            None => f.write_str(&self.description),
        }
    }
}

/// The body shapes Hatchet uses for errors; `null` and non-JSON read as none.
#[derive(Deserialize)]
#[serde(untagged)]
enum ErrorBody {
    List { errors: Vec<ApiError> },
    Single(ApiError),
    Message { message: String },
}

fn parse_error_body(body: &[u8]) -> Vec<ApiError> {
    match serde_json::from_slice::<ErrorBody>(body) {
        Ok(ErrorBody::List { errors }) => errors,
        Ok(ErrorBody::Single(error)) => vec![error],
        Ok(ErrorBody::Message { message }) => vec![ApiError::described(message)],
        Err(_) => Vec::new(),
    }
}

/// The start of a body as text, cut at a character boundary.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(EXCERPT_LIMIT)]);
    text.trim_end_matches('\u{FFFD}').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(body: &str) -> Vec<ApiError> {
        parse_error_body(body.as_bytes())
    }

    #[test]
    fn reads_the_error_list_shape_with_fields_and_codes() {
        let errors = parse(
            r#"{"errors":[{"description":"bad","field":"triggerAt","code":1400,"docs_link":"d"},{"description":"worse"}]}"#,
        );
        assert_eq!(
            errors,
            vec![
                ApiError {
                    description: "bad".into(),
                    field: Some("triggerAt".into()),
                    code: Some(1400),
                    docs_link: Some("d".into()),
                },
                ApiError::described("worse".into()),
            ]
        );
    }

    #[test]
    fn reads_a_bare_description() {
        assert_eq!(
            parse(r#"{"description":"cannot delete"}"#),
            vec![ApiError::described("cannot delete".into())]
        );
    }

    #[test]
    fn reads_a_middleware_message() {
        assert_eq!(
            parse(r#"{"message":"invalid scheduled workflow run id"}"#),
            vec![ApiError::described(
                "invalid scheduled workflow run id".into()
            )]
        );
    }

    #[test]
    fn null_html_and_empty_bodies_carry_no_errors() {
        for body in [
            "null",
            "<html>502 Bad Gateway</html>",
            "",
            "{\"errors\":",
            "[1,2]",
        ] {
            assert_eq!(parse(body), vec![], "{body}");
        }
    }

    #[test]
    fn message_falls_back_to_the_status_reason() {
        let r = ErrorResponse::parse("op", StatusCode::BAD_GATEWAY, b"<html>oops</html>");
        assert_eq!(r.message(), "Bad Gateway");
        assert_eq!(r.body_excerpt, "<html>oops</html>");
    }

    #[test]
    fn display_names_status_operation_and_server_message() {
        let r = ErrorResponse::parse(
            "workflow-scheduled:update",
            StatusCode::BAD_REQUEST,
            br#"{"errors":[{"description":"already triggered","field":"triggerAt"}]}"#,
        );
        let error = Error::from_status(r, None);
        assert_eq!(
            error.to_string(),
            "bad request (400) in workflow-scheduled:update: triggerAt: already triggered"
        );
        assert_eq!(error.status(), Some(StatusCode::BAD_REQUEST));
        assert_eq!(error.api_errors().len(), 1);
    }

    #[test]
    fn statuses_map_to_variants_and_retryability() {
        let cases = [
            (400, "BadRequest", false),
            (401, "Unauthorized", false),
            (403, "Forbidden", false),
            (404, "NotFound", false),
            (409, "UnexpectedStatus", false),
            (422, "UnexpectedStatus", false),
            (429, "RateLimited", true),
            (500, "Server", false),
            (502, "Server", true),
            (503, "Server", true),
            (504, "Server", true),
        ];
        for (code, variant, retryable) in cases {
            let status = StatusCode::from_u16(code).unwrap();
            let error = Error::from_status(ErrorResponse::parse("op", status, b"null"), None);
            let debug = format!("{error:?}");
            assert!(debug.starts_with(variant), "{code}: {debug}");
            assert_eq!(error.is_retryable(), retryable, "{code}");
            assert_eq!(error.status(), Some(status));
        }
    }

    #[test]
    fn rate_limit_display_includes_retry_after() {
        let r = ErrorResponse::parse(
            "workflow-scheduled:list",
            StatusCode::TOO_MANY_REQUESTS,
            b"null",
        );
        let error = Error::from_status(r, Some(Duration::from_secs(7)));
        assert_eq!(
            error.to_string(),
            "rate limited (429) in workflow-scheduled:list: Too Many Requests (retry after 7s)"
        );
    }

    #[test]
    fn rate_limit_display_includes_the_servers_message() {
        let r = ErrorResponse::parse(
            "workflow-scheduled:list",
            StatusCode::TOO_MANY_REQUESTS,
            br#"{"errors":[{"description":"tenant rate limit exceeded"}]}"#,
        );
        assert_eq!(
            Error::from_status(r.clone(), Some(Duration::from_secs(2))).to_string(),
            "rate limited (429) in workflow-scheduled:list: tenant rate limit exceeded (retry after 2s)"
        );
        assert_eq!(
            Error::from_status(r, None).to_string(),
            "rate limited (429) in workflow-scheduled:list: tenant rate limit exceeded"
        );
    }

    #[test]
    fn excerpt_is_bounded_and_valid_text() {
        let body = "é".repeat(EXCERPT_LIMIT);
        let cut = excerpt(body.as_bytes());
        assert!(cut.len() <= EXCERPT_LIMIT);
        assert!(cut.chars().all(|c| c == 'é'));
    }

    #[test]
    fn messages_join_every_description_with_its_field() {
        let body = br#"{"errors":[{"description":"in the past","field":"triggerAt"},{"description":"bad input"}]}"#;
        let r = ErrorResponse::parse("op", StatusCode::BAD_REQUEST, body);
        assert_eq!(r.message(), "triggerAt: in the past; bad input");
        assert_eq!(r.body_excerpt.as_bytes(), body);
    }

    #[test]
    fn errors_without_an_answer_have_no_status_or_entries() {
        for error in [
            Error::BlockingInAsyncContext,
            Error::Configuration("no token".into()),
            Error::invalid_argument("limit", "must be at least 1"),
        ] {
            assert_eq!(error.status(), None, "{error}");
            assert!(error.response().is_none(), "{error}");
            assert!(error.api_errors().is_empty(), "{error}");
            assert!(!error.is_not_found() && !error.is_retryable(), "{error}");
        }
        let decode = Error::Decode {
            operation: "op",
            status: StatusCode::OK,
            reason: "bad".into(),
            excerpt: String::new(),
        };
        assert_eq!(decode.status(), Some(StatusCode::OK));
    }

    #[test]
    fn excerpts_stop_at_the_limit() {
        let body = "x".repeat(10 * EXCERPT_LIMIT);
        let r = ErrorResponse::parse("op", StatusCode::BAD_GATEWAY, body.as_bytes());
        assert_eq!(r.body_excerpt.len(), EXCERPT_LIMIT);
        assert_eq!(EXCERPT_LIMIT, 512);
    }
}
