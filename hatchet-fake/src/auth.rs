//! Bearer authentication and the tenant check, answered as the real
//! server's middleware answers: a `{"message"}` body.

use axum::http::{HeaderMap, StatusCode, header::AUTHORIZATION};
use uuid::Uuid;

use crate::reply::Failure;

const REFUSED: &str = "Please provide valid credentials";

/// 401 unless the request carries `Authorization: Bearer <the fake's
/// token>`; 403 unless the tenant in the path is the token's tenant.
pub(crate) fn authorize(
    headers: &HeaderMap,
    tenant_segment: &str,
    token: &str,
    tenant_id: Uuid,
) -> Result<(), Failure> {
    let presented = headers
        .get(AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim);
    if presented != Some(token) {
        return Err(Failure::Message(StatusCode::UNAUTHORIZED, REFUSED.into()));
    }
    if Uuid::parse_str(tenant_segment).ok() != Some(tenant_id) {
        return Err(Failure::Message(StatusCode::FORBIDDEN, REFUSED.into()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn headers(value: Option<&'static str>) -> HeaderMap {
        let mut headers = HeaderMap::new();
        if let Some(value) = value {
            headers.insert(AUTHORIZATION, HeaderValue::from_static(value));
        }
        headers
    }

    fn status(result: Result<(), Failure>) -> Option<StatusCode> {
        match result {
            Ok(()) => None,
            Err(Failure::Message(status, _)) => Some(status),
            Err(other) => panic!("unexpected shape {other:?}"),
        }
    }

    #[test]
    fn token_then_tenant() {
        let tenant = Uuid::new_v4();
        let t = tenant.to_string();
        let check = |h: HeaderMap, path: &str| status(authorize(&h, path, "tok", tenant));
        assert_eq!(check(headers(Some("Bearer tok")), &t), None);
        assert_eq!(check(headers(None), &t), Some(StatusCode::UNAUTHORIZED));
        assert_eq!(
            check(headers(Some("Bearer other")), &t),
            Some(StatusCode::UNAUTHORIZED)
        );
        assert_eq!(
            check(headers(Some("tok")), &t),
            Some(StatusCode::UNAUTHORIZED)
        );
        assert_eq!(
            check(headers(Some("Bearer tok")), &Uuid::new_v4().to_string()),
            Some(StatusCode::FORBIDDEN)
        );
        assert_eq!(
            check(headers(Some("Bearer tok")), "nope"),
            Some(StatusCode::FORBIDDEN)
        );
    }
}
