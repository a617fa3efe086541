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
    /// `{"errors":[{"description":...}]}`: what handlers return.
    Errors(StatusCode, String),
    /// `{"errors":[{"description":...,"field":...}]}`: a request field the
    /// contract's validation refused.
    Field(StatusCode, &'static str, String),
    /// A bare `{"description":...}`: delete's 403.
    Description(StatusCode, String),
    /// `{"message":...}`: what middleware (auth, id lookup, parameter
    /// binding) answers.
    Message(StatusCode, String),
}

impl Failure {
    pub(crate) fn bad_request(description: impl Into<String>) -> Self {
        Self::Errors(StatusCode::BAD_REQUEST, description.into())
    }

    pub(crate) fn invalid_field(field: &'static str, description: impl Into<String>) -> Self {
        Self::Field(StatusCode::BAD_REQUEST, field, description.into())
    }

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
            Self::Field(status, field, description) => (
                status,
                json!({"errors": [{"description": description, "field": field}]}),
            ),
            Self::Description(status, description) => (status, json!({"description": description})),
            Self::Message(status, message) => (status, json!({"message": message})),
        };
        (status, Json(body)).into_response()
    }
}
