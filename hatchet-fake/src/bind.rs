//! Reading a request body the way Hatchet's strict handlers do: echo's
//! `DefaultBinder` (`ctx.Bind`), before the handler runs and without any
//! validation against the OpenAPI contract.
//!
//! - An empty body (no bytes, not chunked) is not read at all: the handler
//!   gets the zero request, whatever the content type.
//! - Otherwise the content type must start with `application/json`, else
//!   415 `{"message":"Unsupported Media Type"}`.
//! - The first JSON value is decoded and anything after it ignored, as Go's
//!   `json.Decoder` does; no value, a truncated one or a syntax error is a
//!   400 `{"message": ...}`.

use axum::{
    body::Bytes,
    extract::{FromRequest, Request},
    http::{
        HeaderMap, StatusCode,
        header::{CONTENT_TYPE, TRANSFER_ENCODING},
    },
    response::{IntoResponse, Response},
};
use serde_json::Value;

use crate::reply::Failure;

/// A handler's body as [`json_body`] reads it: its first JSON value, or
/// `None` for the zero request.
pub(crate) struct JsonBody(pub(crate) Option<Value>);

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Response> {
        let headers = request.headers().clone();
        let body = Bytes::from_request(request, state)
            .await
            .map_err(IntoResponse::into_response)?;
        json_body(&headers, &body)
            .map(Self)
            .map_err(IntoResponse::into_response)
    }
}

/// The body's first JSON value; `None` for an empty body (the zero request).
pub(crate) fn json_body(headers: &HeaderMap, body: &[u8]) -> Result<Option<Value>, Failure> {
    let chunked = headers
        .get(TRANSFER_ENCODING)
        .is_some_and(|value| value.as_bytes().eq_ignore_ascii_case(b"chunked"));
    if body.is_empty() && !chunked {
        return Ok(None);
    }
    let content_type = headers
        .get(CONTENT_TYPE)
        .map_or(&b""[..], |value| value.as_bytes());
    if !content_type.starts_with(b"application/json") {
        return Err(Failure::Message(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Unsupported Media Type".into(),
        ));
    }
    let bad = |message: String| Failure::Message(StatusCode::BAD_REQUEST, message);
    match serde_json::Deserializer::from_slice(body)
        .into_iter::<Value>()
        .next()
    {
        None => Err(bad("EOF".into())),
        Some(Ok(value)) => Ok(Some(value)),
        Some(Err(error)) if error.is_eof() => Err(bad("unexpected EOF".into())),
        Some(Err(error)) => Err(bad(format!("Syntax error: {error}"))),
    }
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn headers(content_type: Option<&'static str>) -> HeaderMap {
        let mut headers = HeaderMap::new();
        if let Some(value) = content_type {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static(value));
        }
        headers
    }

    fn message(failure: Failure) -> (StatusCode, String) {
        match failure {
            Failure::Message(status, message) => (status, message),
            other => panic!("not a message: {other:?}"),
        }
    }

    #[test]
    fn an_empty_body_is_the_zero_request_whatever_its_type() {
        assert_eq!(json_body(&headers(Some("text/plain")), b""), Ok(None));
        assert_eq!(json_body(&headers(None), b""), Ok(None));
    }

    #[test]
    fn only_json_is_read_and_only_its_first_value() {
        let json = headers(Some("application/json; charset=utf-8"));
        assert_eq!(
            json_body(&json, br#"{"a":1} trailing garbage"#),
            Ok(Some(serde_json::json!({"a": 1})))
        );
        assert_eq!(json_body(&json, b"null"), Ok(Some(Value::Null)));
        for content_type in [None, Some("text/plain"), Some("Application/JSON")] {
            assert_eq!(
                message(json_body(&headers(content_type), b"{}").unwrap_err()),
                (
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "Unsupported Media Type".into()
                ),
                "{content_type:?}"
            );
        }
    }

    #[test]
    fn undecodable_json_is_a_400_message() {
        let json = headers(Some("application/json"));
        assert_eq!(
            message(json_body(&json, b"  ").unwrap_err()),
            (StatusCode::BAD_REQUEST, "EOF".into())
        );
        assert_eq!(
            message(json_body(&json, br#"{"a":"#).unwrap_err()),
            (StatusCode::BAD_REQUEST, "unexpected EOF".into())
        );
        let (status, text) = message(json_body(&json, b"{nope}").unwrap_err());
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(text.starts_with("Syntax error: "), "{text}");
    }
}
