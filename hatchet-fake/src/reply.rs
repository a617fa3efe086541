//! The error answers, in each of the body shapes Hatchet uses.

use axum::{
    Json,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use serde_json::json;

/// A refused request, shaped as the real server shapes that refusal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Failure {
    /// `{"errors":[{"description":...}]}`: what handlers return
    /// (`apierrors.NewAPIErrors`).
    Errors(StatusCode, String),
    /// A bare `{"description":...}`: delete's 403.
    Description(StatusCode, String),
    /// `{"message":...}`: echo's rendering of an `HTTPError`, which the
    /// middleware (lookups, authentication), parameter and body binding, and
    /// any error a handler returns instead of an answer produce.
    Message(StatusCode, String),
}

impl Failure {
    /// A 400 `{"errors":[...]}`.
    pub(crate) fn bad_request(description: impl Into<String>) -> Self {
        Self::Errors(StatusCode::BAD_REQUEST, description.into())
    }

    /// A 500 as echo answers an error a handler returned instead of an
    /// answer (a failed query, a repository validation error).
    pub(crate) fn internal() -> Self {
        Self::Message(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Internal Server Error".into(),
        )
    }

    /// A 400 `{"message"}` for a query parameter the binding refused.
    pub(crate) fn invalid_parameter(name: &str, detail: impl std::fmt::Display) -> Self {
        Self::Message(
            StatusCode::BAD_REQUEST,
            format!("Invalid format for parameter {name}: {detail}"),
        )
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let (status, body) = match self {
            Self::Errors(status, description) => {
                (status, json!({"errors": [{"description": description}]}))
            }
            Self::Description(status, description) => (status, json!({"description": description})),
            Self::Message(status, message) => (status, json!({"message": message})),
        };
        (status, Json(body)).into_response()
    }
}
