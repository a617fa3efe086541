//! Turning the generated client's failures into [`Error`].

use hatchet_rest_gen::Error as RestError;

use crate::{
    Error,
    error::{ErrorResponse, excerpt},
    operation::Operation,
    retry::retry_after,
};

/// Error bodies are read up to this size; the rest is not needed to
/// understand them and could be a hostile or broken proxy's answer.
const ERROR_BODY_LIMIT: usize = 64 * 1024;

/// Maps a failure of `operation`, reading the body of error answers.
pub(crate) async fn from_rest_error(operation: Operation, error: RestError<()>) -> Error {
    let spec = operation.spec();
    let operation = spec.id;
    match error {
        RestError::UnexpectedResponse(response) => {
            let status = response.status();
            let retry_after = retry_after(response.headers());
            let body = read_bounded(response).await;
            Error::from_status(ErrorResponse::parse(operation, status, &body), retry_after)
        }
        RestError::CommunicationError(source)
        | RestError::ResponseBodyError(source)
        | RestError::InvalidUpgrade(source) => transport(operation, source),
        RestError::InvalidResponsePayload(body, source) => Error::Decode {
            operation,
            status: spec.success,
            reason: source.to_string(),
            excerpt: excerpt(&body),
        },
        RestError::ErrorResponse(response) => Error::from_status(
            ErrorResponse::parse(operation, response.status(), b""),
            None,
        ),
        RestError::InvalidRequest(reason) => Error::InvalidArgument {
            name: "request",
            reason,
        },
        RestError::Custom(reason) => Error::Configuration(reason),
    }
}

/// A decoded success body that the facade's types still refuse.
pub(crate) fn decode_failure(operation: Operation, reason: String) -> Error {
    let spec = operation.spec();
    Error::Decode {
        operation: spec.id,
        status: spec.success,
        reason,
        excerpt: String::new(),
    }
}

fn transport(operation: &'static str, source: reqwest::Error) -> Error {
    if source.is_timeout() {
        Error::Timeout { operation, source }
    } else {
        Error::Transport { operation, source }
    }
}

async fn read_bounded(mut response: reqwest::Response) -> Vec<u8> {
    let mut body = Vec::new();
    while body.len() < ERROR_BODY_LIMIT {
        match response.chunk().await {
            Ok(Some(chunk)) => body.extend_from_slice(&chunk),
            // A body that breaks off still tells the status; keep what came.
            Ok(None) | Err(_) => break,
        }
    }
    body.truncate(ERROR_BODY_LIMIT);
    body
}
