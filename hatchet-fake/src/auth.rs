//! Bearer authentication as `api/v1/server/authn/middleware.go` does it:
//! every refusal is a 403 `{"message":"Please provide valid credentials"}`.

use axum::http::{HeaderMap, StatusCode, header::AUTHORIZATION};

use crate::reply::Failure;

const REFUSED: &str = "Please provide valid credentials";

/// Accepts the request only if its `Authorization` header holds the fake's
/// token after the word `Bearer`. The server splits the header on `Bearer`
/// and wants exactly two parts, the token being the second one trimmed;
/// a missing header, another word, or any token but the fake's (garbage,
/// expired, another tenant's) is refused.
pub(crate) fn authenticate(headers: &HeaderMap, token: &str) -> Result<(), Failure> {
    let presented = headers
        .get(AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(
            |value| match value.split("Bearer").collect::<Vec<_>>().as_slice() {
                [_, token] => Some(token.trim()),
                _ => None,
            },
        );
    if presented != Some(token) {
        return Err(Failure::Message(StatusCode::FORBIDDEN, REFUSED.into()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn check(value: Option<&'static str>) -> bool {
        let mut headers = HeaderMap::new();
        if let Some(value) = value {
            headers.insert(AUTHORIZATION, HeaderValue::from_static(value));
        }
        match authenticate(&headers, "tok") {
            Ok(()) => true,
            Err(failure) => {
                assert_eq!(
                    failure,
                    Failure::Message(StatusCode::FORBIDDEN, REFUSED.into())
                );
                false
            }
        }
    }

    #[test]
    fn only_the_token_after_bearer_passes() {
        assert!(check(Some("Bearer tok")));
        assert!(check(Some("Bearer   tok  ")));
        assert!(!check(None));
        assert!(!check(Some("Bearer other")));
        assert!(!check(Some("tok")));
        assert!(!check(Some("Bearer tok Bearer tok")));
        assert!(!check(Some("Bearer ")));
    }
}
