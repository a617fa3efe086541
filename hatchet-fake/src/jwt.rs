//! The fake's API token: an unsigned JWT carrying the claims Hatchet's
//! clients read (`sub` = tenant, `server_url` = where to send requests).

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use serde_json::json;
use uuid::Uuid;

/// Ten years: a fake's token should never expire during a test run.
const LIFETIME_SECS: i64 = 10 * 365 * 24 * 3600;

/// Mints `header.payload.signature`. The signature is a fixed marker: the
/// fake compares whole tokens and no client verifies signatures.
pub(crate) fn mint(tenant_id: Uuid, server_url: &str, issued_at: i64) -> String {
    let header = json!({"alg": "none", "typ": "JWT"});
    let claims = json!({
        "sub": tenant_id.to_string(),
        "server_url": server_url,
        "grpc_broadcast_address": server_url.trim_start_matches("http://"),
        "iss": server_url,
        "aud": [server_url],
        "iat": issued_at,
        "exp": issued_at + LIFETIME_SECS,
        "token_id": Uuid::new_v4().to_string(),
    });
    format!(
        "{}.{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string()),
        URL_SAFE_NO_PAD.encode("hatchet-fake-unsigned"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_payload_carries_tenant_and_server_url() {
        let tenant = Uuid::new_v4();
        let token = mint(tenant, "http://127.0.0.1:8080", 0);
        let parts: Vec<&str> = token.split('.').collect();
        assert_eq!(parts.len(), 3);
        assert!(parts.iter().all(|p| !p.is_empty()));
        let claims: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
        assert_eq!(claims["sub"], tenant.to_string());
        assert_eq!(claims["server_url"], "http://127.0.0.1:8080");
    }

    #[test]
    fn the_token_lasts_ten_years() {
        let token = mint(Uuid::new_v4(), "http://127.0.0.1:8080", 1_000);
        let payload = token.split('.').nth(1).unwrap();
        let claims: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
        assert_eq!(claims["iat"], 1_000);
        assert_eq!(claims["exp"], 1_000 + 315_360_000);
    }
}
