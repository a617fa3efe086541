//! The API token: checked before it is ever sent, never shown, and read
//! for the claims that say where to send it.

use std::fmt;

use base64::Engine;
use serde::Deserialize;

use crate::Error;

/// A longer token is refused rather than decoded: no real JWT is this big.
const MAX_TOKEN_LEN: usize = 16 * 1024;

/// An API token that can be sent as a header; its `Debug` is redacted.
#[derive(Clone)]
pub(crate) struct Token(String);

/// The claims this client reads; others are ignored.
#[derive(Debug, Deserialize)]
pub(crate) struct Claims {
    /// The tenant.
    pub(crate) sub: Option<String>,
    pub(crate) server_url: Option<String>,
}

impl Token {
    /// Trims the token (tokens read from files or secrets often end with a
    /// newline) and refuses one that cannot be sent, without echoing it.
    pub(crate) fn new(raw: &str) -> Result<Self, Error> {
        let token = raw.trim();
        if token.is_empty() {
            return Err(Error::Configuration("the API token is empty".into()));
        }
        if token.len() > MAX_TOKEN_LEN {
            return Err(Error::Configuration(format!(
                "the API token is longer than {MAX_TOKEN_LEN} bytes"
            )));
        }
        if !token.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(Error::Configuration(
                "the API token contains characters a header cannot carry".into(),
            ));
        }
        Ok(Self(token.to_owned()))
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    /// Decodes the JWT payload without verifying it: the server verifies;
    /// the client only reads where to send and for which tenant.
    pub(crate) fn claims(&self) -> Result<Claims, Error> {
        let invalid =
            |why: &str| Error::Configuration(format!("the API token is not a readable JWT: {why}"));
        let mut parts = self.0.split('.');
        let payload = match (parts.next(), parts.next(), parts.next()) {
            (Some(_), Some(payload), Some(_)) => payload,
            _ => return Err(invalid("expected three dot-separated parts")),
        };
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload.trim_end_matches('='))
            .map_err(|_| invalid("the payload is not base64url"))?;
        serde_json::from_slice(&bytes)
            .map_err(|_| invalid("the payload is not a JSON object of claims"))
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(result: Result<impl fmt::Debug, Error>) -> String {
        match result {
            Err(Error::Configuration(message)) => message,
            other => panic!("expected a configuration error, got {other:?}"),
        }
    }

    #[test]
    fn tokens_are_trimmed_and_refused_when_they_cannot_be_sent() {
        assert_eq!(
            Token::new(" opaque-token\n").unwrap().as_str(),
            "opaque-token"
        );
        assert_eq!(refused(Token::new(" \n")), "the API token is empty");
        assert_eq!(
            refused(Token::new(&"a".repeat(MAX_TOKEN_LEN + 1))),
            "the API token is longer than 16384 bytes"
        );
        assert_eq!(
            refused(Token::new("secret token")),
            "the API token contains characters a header cannot carry"
        );
    }

    #[test]
    fn claims_are_read_from_the_payload_and_bad_ones_never_echo_the_token() {
        let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let token = |payload: &str| Token::new(&format!("a.{payload}.c")).unwrap();
        let claims = token(&engine.encode(r#"{"sub":"t","server_url":"https://h","aud":"x"}"#))
            .claims()
            .unwrap();
        assert_eq!(
            (claims.sub.as_deref(), claims.server_url.as_deref()),
            (Some("t"), Some("https://h"))
        );
        let cases = [
            (
                Token::new("secret-not-a-jwt").unwrap(),
                "expected three dot-separated parts",
            ),
            (token("!!!secret!!!"), "the payload is not base64url"),
            (
                token(&engine.encode("[1,2]")),
                "the payload is not a JSON object of claims",
            ),
            (
                token(&engine.encode("secret")),
                "the payload is not a JSON object of claims",
            ),
            (
                token(&engine.encode(r#"{"sub":5}"#)),
                "the payload is not a JSON object of claims",
            ),
        ];
        for (token, expected) in cases {
            let message = refused(token.claims());
            assert_eq!(
                message,
                format!("the API token is not a readable JWT: {expected}")
            );
            assert!(!message.contains("secret"), "{message}");
        }
    }

    #[test]
    fn debug_is_redacted() {
        assert_eq!(format!("{:?}", Token::new("secret").unwrap()), "<redacted>");
    }
}
