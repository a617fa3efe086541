//! Client configuration, read the way Hatchet's SDKs read it.
//!
//! `HATCHET_CLIENT_TOKEN` is required. The server URL and tenant come from
//! `HATCHET_CLIENT_SERVER_URL` and `HATCHET_CLIENT_TENANT_ID` when set, and
//! otherwise from the token's own claims (`server_url` and `sub`).

use std::{fmt, time::Duration};

use reqwest::Url;
use uuid::Uuid;

use crate::{Error, RetryPolicy, namespace, token::Token};

/// The request timeout unless configured otherwise: 30 s.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// The connect timeout unless configured otherwise: 10 s.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Everything a [`ScheduledClient`](crate::ScheduledClient) needs; made by
/// [`ClientConfig::from_env`] or [`ClientConfig::builder`].
///
/// `Debug` never shows the token.
///
/// ```
/// use std::time::Duration;
/// use hatchet_scheduled::{ClientConfig, RetryPolicy};
///
/// let config = ClientConfig::builder()
///     .token("my-api-token")
///     .server_url("https://hatchet.example.com/")
///     .tenant_id(uuid::uuid!("707d0855-80ab-4e1f-a156-f1c4546cbf52"))
///     .namespace("Staging")
///     .timeout(Duration::from_secs(5))
///     .retry_policy(RetryPolicy::default().max_attempts(5))
///     .build()?;
/// assert_eq!(config.server_url(), "https://hatchet.example.com");
/// assert_eq!(config.namespace(), Some("staging_"));
/// assert!(!format!("{config:?}").contains("my-api-token"));
/// # Ok::<(), hatchet_scheduled::Error>(())
/// ```
#[derive(Clone)]
pub struct ClientConfig {
    token: Token,
    server_url: String,
    tenant_id: Uuid,
    namespace: Option<String>,
    timeout: Duration,
    connect_timeout: Duration,
    retry: RetryPolicy,
    http_client: Option<reqwest::Client>,
}

impl ClientConfig {
    /// Starts a configuration; only the token is required.
    pub fn builder() -> ClientConfigBuilder {
        ClientConfigBuilder::default()
    }

    /// Reads `HATCHET_CLIENT_TOKEN`, `HATCHET_CLIENT_SERVER_URL`,
    /// `HATCHET_CLIENT_TENANT_ID` and `HATCHET_CLIENT_NAMESPACE`.
    ///
    /// ```no_run
    /// let config = hatchet_scheduled::ClientConfig::from_env()?;
    /// # Ok::<(), hatchet_scheduled::Error>(())
    /// ```
    pub fn from_env() -> Result<Self, Error> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// [`from_env`](Self::from_env) over any variable source, for tests.
    pub(crate) fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, Error> {
        let var = |name: &str| lookup(name).filter(|value| !value.trim().is_empty());
        let mut builder = Self::builder();
        builder.token = var("HATCHET_CLIENT_TOKEN");
        builder.server_url = var("HATCHET_CLIENT_SERVER_URL");
        if let Some(tenant) = var("HATCHET_CLIENT_TENANT_ID") {
            let tenant = tenant.trim().parse().map_err(|_| {
                Error::Configuration(format!(
                    "HATCHET_CLIENT_TENANT_ID is not a UUID: {tenant:?}"
                ))
            })?;
            builder.tenant_id = Some(tenant);
        }
        builder.namespace = var("HATCHET_CLIENT_NAMESPACE");
        builder.build()
    }

    /// The server's base URL, without a trailing `/`.
    pub fn server_url(&self) -> &str {
        &self.server_url
    }

    /// The tenant every request is made for.
    pub fn tenant_id(&self) -> Uuid {
        self.tenant_id
    }

    /// The normalized namespace prefixed to workflow names, if any.
    pub fn namespace(&self) -> Option<&str> {
        self.namespace.as_deref()
    }

    /// The whole-request timeout.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// The connection timeout.
    pub fn connect_timeout(&self) -> Duration {
        self.connect_timeout
    }

    /// How failed calls are retried.
    pub fn retry_policy(&self) -> RetryPolicy {
        self.retry
    }

    pub(crate) fn token(&self) -> &str {
        self.token.as_str()
    }

    pub(crate) fn http_client(&self) -> Option<&reqwest::Client> {
        self.http_client.as_ref()
    }
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field("token", &self.token)
            .field("server_url", &self.server_url)
            .field("tenant_id", &self.tenant_id)
            .field("namespace", &self.namespace)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .field("custom_http_client", &self.http_client.is_some())
            .finish()
    }
}

/// Builds a [`ClientConfig`]; see [`ClientConfig::builder`].
///
/// Cheap to clone, so one partly filled builder can seed several
/// configurations. `Debug` never shows the token.
///
/// ```
/// use hatchet_scheduled::ClientConfig;
///
/// let base = ClientConfig::builder()
///     .token("my-api-token")
///     .tenant_id(uuid::Uuid::nil());
/// let staging = base.clone().server_url("https://staging.example.com").build()?;
/// let prod = base.server_url("https://hatchet.example.com").build()?;
/// # Ok::<(), hatchet_scheduled::Error>(())
/// ```
#[derive(Default, Clone)]
#[must_use]
pub struct ClientConfigBuilder {
    token: Option<String>,
    server_url: Option<String>,
    tenant_id: Option<Uuid>,
    namespace: Option<String>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
    http_client: Option<reqwest::Client>,
    allow_insecure_http: bool,
}

impl ClientConfigBuilder {
    /// The API token (a JWT issued by Hatchet). Required. When the server
    /// URL or tenant is not given, they are read from the token's claims,
    /// which are decoded but not verified: the server verifies.
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// The server's base URL; defaults to the token's `server_url` claim.
    ///
    /// Trailing `/`s are dropped. Plain `http://` is accepted for the local
    /// machine only, unless [`allow_insecure_http`](Self::allow_insecure_http).
    pub fn server_url(mut self, url: impl Into<String>) -> Self {
        self.server_url = Some(url.into());
        self
    }

    /// The tenant; defaults to the token's `sub` claim.
    pub fn tenant_id(mut self, tenant_id: Uuid) -> Self {
        self.tenant_id = Some(tenant_id);
        self
    }

    /// A namespace prefixed to workflow names, as Hatchet's SDKs do. It is
    /// lowercased and ends with `_`: `Staging` becomes `staging_`.
    pub fn namespace(mut self, namespace: impl Into<String>) -> Self {
        self.namespace = Some(namespace.into());
        self
    }

    /// The whole-request timeout (default [`DEFAULT_TIMEOUT`]).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The connection timeout (default [`DEFAULT_CONNECT_TIMEOUT`]).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// How failed calls are retried (default [`RetryPolicy::default`];
    /// [`RetryPolicy::none`] turns retries off).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Sends through this `reqwest::Client` instead of building one. Its own
    /// timeouts and TLS settings then apply; the timeouts here do not.
    ///
    /// ```
    /// use std::time::Duration;
    /// use hatchet_scheduled::{ClientConfig, ScheduledClient};
    ///
    /// let http = reqwest::Client::builder().timeout(Duration::from_secs(60)).build()?;
    /// let config = ClientConfig::builder()
    ///     .token("token")
    ///     .server_url("https://hatchet.example.com")
    ///     .tenant_id(uuid::Uuid::nil())
    ///     .http_client(http)
    ///     .build()?;
    /// let client = ScheduledClient::new(config)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Allows sending the token over plain `http://` to a host that is not
    /// the local machine. Refused by default: anyone on the path could read
    /// the token.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Checks everything and fills the server URL and tenant from the
    /// token's claims where they were not given. Every problem is an
    /// [`Error::Configuration`] that never quotes the token.
    pub fn build(self) -> Result<ClientConfig, Error> {
        let token = self.token.as_deref().ok_or_else(|| {
            Error::Configuration(
                "no API token: set HATCHET_CLIENT_TOKEN or call ClientConfigBuilder::token".into(),
            )
        })?;
        let token = Token::new(token)?;
        let claims = if self.server_url.is_none() || self.tenant_id.is_none() {
            Some(token.claims()?)
        } else {
            None
        };
        let claim = |pick: fn(&crate::token::Claims) -> Option<&String>, what: &str| {
            claims.as_ref().and_then(pick).cloned().ok_or_else(|| {
                Error::Configuration(format!(
                    "no {what}: set it explicitly or use a token whose claims carry it"
                ))
            })
        };
        let server_url = match self.server_url {
            Some(url) => url,
            None => claim(
                |c| c.server_url.as_ref(),
                "server URL (HATCHET_CLIENT_SERVER_URL)",
            )?,
        };
        let tenant_id = match self.tenant_id {
            Some(tenant) => tenant,
            None => {
                let sub = claim(|c| c.sub.as_ref(), "tenant id (HATCHET_CLIENT_TENANT_ID)")?;
                sub.parse().map_err(|_| {
                    Error::Configuration(format!(
                        "the token's `sub` claim is not a tenant UUID: {sub:?}"
                    ))
                })?
            }
        };
        Ok(ClientConfig {
            token,
            server_url: normalize_server_url(&server_url, self.allow_insecure_http)?,
            tenant_id,
            namespace: self.namespace.as_deref().and_then(namespace::normalize),
            timeout: self.timeout.unwrap_or(DEFAULT_TIMEOUT),
            connect_timeout: self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT),
            retry: self.retry.unwrap_or_default(),
            http_client: self.http_client,
        })
    }
}

impl fmt::Debug for ClientConfigBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfigBuilder")
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("server_url", &self.server_url)
            .field("tenant_id", &self.tenant_id)
            .field("namespace", &self.namespace)
            .finish_non_exhaustive()
    }
}

/// Checks the URL and drops trailing `/`s so paths never start with `//`.
fn normalize_server_url(raw: &str, allow_insecure_http: bool) -> Result<String, Error> {
    let trimmed = raw.trim().trim_end_matches('/');
    let url = Url::parse(trimmed)
        .map_err(|e| Error::Configuration(format!("invalid server URL {trimmed:?}: {e}")))?;
    match url.scheme() {
        "https" => {}
        "http" if allow_insecure_http || is_loopback(&url) => {}
        "http" => {
            return Err(Error::Configuration(format!(
                "refusing to send the API token over plain http to {trimmed:?}; use https, \
                 or call ClientConfigBuilder::allow_insecure_http(true)"
            )));
        }
        other => {
            return Err(Error::Configuration(format!(
                "invalid server URL {trimmed:?}: scheme {other:?} is not http or https"
            )));
        }
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::Configuration(format!(
            "invalid server URL {trimmed:?}: it must not carry a query or fragment"
        )));
    }
    Ok(trimmed.to_owned())
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use base64::Engine;

    use super::*;

    const TENANT: &str = "707d0855-80ab-4e1f-a156-f1c4546cbf52";

    fn jwt(claims: &str) -> String {
        let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        format!(
            "{}.{}.signature",
            engine.encode(r#"{"alg":"HS256"}"#),
            engine.encode(claims)
        )
    }

    fn from_vars(vars: &[(&str, &str)]) -> Result<ClientConfig, Error> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        ClientConfig::from_lookup(|name| vars.get(name).cloned())
    }

    fn configuration_message(result: Result<ClientConfig, Error>) -> String {
        match result {
            Err(Error::Configuration(message)) => message,
            other => panic!("expected a configuration error, got {other:?}"),
        }
    }

    #[test]
    fn server_url_and_tenant_come_from_the_token_claims() {
        let token = jwt(&format!(
            r#"{{"sub":"{TENANT}","server_url":"https://cloud.example.com/","aud":"x"}}"#
        ));
        let config = from_vars(&[("HATCHET_CLIENT_TOKEN", &token)]).unwrap();
        assert_eq!(config.server_url(), "https://cloud.example.com");
        assert_eq!(config.tenant_id().to_string(), TENANT);
        assert_eq!(config.token(), token);
        assert_eq!(config.namespace(), None);
        assert_eq!(config.timeout(), DEFAULT_TIMEOUT);
    }

    #[test]
    fn explicit_variables_override_the_claims() {
        let other = "11111111-2222-3333-4444-555555555555";
        let token = jwt(&format!(
            r#"{{"sub":"{TENANT}","server_url":"https://a.example.com"}}"#
        ));
        let config = from_vars(&[
            ("HATCHET_CLIENT_TOKEN", &token),
            ("HATCHET_CLIENT_SERVER_URL", "https://b.example.com//"),
            ("HATCHET_CLIENT_TENANT_ID", other),
            ("HATCHET_CLIENT_NAMESPACE", "Staging"),
        ])
        .unwrap();
        assert_eq!(config.server_url(), "https://b.example.com");
        assert_eq!(config.tenant_id().to_string(), other);
        assert_eq!(config.namespace(), Some("staging_"));
    }

    #[test]
    fn an_opaque_token_works_when_url_and_tenant_are_given() {
        let config = from_vars(&[
            ("HATCHET_CLIENT_TOKEN", "opaque"),
            ("HATCHET_CLIENT_SERVER_URL", "http://localhost:8080"),
            ("HATCHET_CLIENT_TENANT_ID", TENANT),
        ])
        .unwrap();
        assert_eq!(config.server_url(), "http://localhost:8080");
    }

    #[test]
    fn a_missing_token_is_a_configuration_error() {
        let message = configuration_message(from_vars(&[]));
        assert_eq!(
            message,
            "no API token: set HATCHET_CLIENT_TOKEN or call ClientConfigBuilder::token"
        );
    }

    #[test]
    fn missing_claims_and_bad_tenants_are_explained() {
        let token = jwt(r#"{"server_url":"https://a.example.com"}"#);
        let message = configuration_message(from_vars(&[("HATCHET_CLIENT_TOKEN", &token)]));
        assert_eq!(
            message,
            "no tenant id (HATCHET_CLIENT_TENANT_ID): set it explicitly or use a token whose claims carry it"
        );
        let token = jwt(r#"{"sub":"not-a-uuid","server_url":"https://a.example.com"}"#);
        let message = configuration_message(from_vars(&[("HATCHET_CLIENT_TOKEN", &token)]));
        assert_eq!(
            message,
            "the token's `sub` claim is not a tenant UUID: \"not-a-uuid\""
        );
        let message = configuration_message(from_vars(&[
            ("HATCHET_CLIENT_TOKEN", &token),
            ("HATCHET_CLIENT_TENANT_ID", "nope"),
        ]));
        assert_eq!(message, "HATCHET_CLIENT_TENANT_ID is not a UUID: \"nope\"");
    }

    #[test]
    fn plain_http_is_refused_off_the_local_machine_unless_allowed() {
        let build = |url: &str, allow: bool| {
            ClientConfig::builder()
                .token("t")
                .server_url(url)
                .tenant_id(TENANT.parse().unwrap())
                .allow_insecure_http(allow)
                .build()
        };
        for url in [
            "http://localhost:1",
            "http://127.0.0.1:1",
            "http://[::1]:1",
            "https://x.example.com",
        ] {
            assert!(build(url, false).is_ok(), "{url}");
        }
        let message = configuration_message(build("http://hatchet.internal", false));
        assert!(
            message.starts_with("refusing to send the API token over plain http"),
            "{message}"
        );
        assert_eq!(
            build("http://hatchet.internal/", true)
                .unwrap()
                .server_url(),
            "http://hatchet.internal"
        );
        let message = configuration_message(build("ftp://x", false));
        assert!(message.contains("is not http or https"), "{message}");
        let message = configuration_message(build("not a url", false));
        assert!(message.starts_with("invalid server URL"), "{message}");
    }

    #[test]
    fn a_bad_token_is_refused_without_being_echoed() {
        let message =
            configuration_message(from_vars(&[("HATCHET_CLIENT_TOKEN", "secret-not-a-jwt")]));
        assert_eq!(
            message,
            "the API token is not a readable JWT: expected three dot-separated parts"
        );
    }

    #[test]
    fn surrounding_whitespace_is_trimmed_from_the_token() {
        let config = ClientConfig::builder()
            .token(" opaque-token\n")
            .server_url("https://hatchet.example.com")
            .tenant_id(Uuid::nil())
            .build()
            .unwrap();
        assert_eq!(config.token(), "opaque-token");
        assert!(crate::ScheduledClient::new(config).is_ok());
    }

    #[test]
    fn debug_never_shows_the_token() {
        let token = jwt(&format!(
            r#"{{"sub":"{TENANT}","server_url":"https://a.example.com"}}"#
        ));
        let config = from_vars(&[("HATCHET_CLIENT_TOKEN", &token)]).unwrap();
        let debug = format!(
            "{config:?} {:?}",
            ClientConfig::builder().token(token.clone())
        );
        assert!(!debug.contains(&token), "{debug}");
        assert!(debug.contains("<redacted>"));
    }

    #[test]
    fn a_query_or_a_fragment_alone_is_refused() {
        for url in [
            "https://hatchet.example.com/?tenant=1",
            "https://hatchet.example.com/#top",
        ] {
            let refused = ClientConfig::builder()
                .token("opaque")
                .server_url(url)
                .tenant_id(Uuid::nil())
                .build();
            let message = configuration_message(refused);
            assert!(
                message.ends_with("it must not carry a query or fragment"),
                "{message}"
            );
        }
    }

    #[test]
    fn the_connect_timeout_is_set_beside_the_rest() {
        let config = ClientConfig::builder()
            .token("opaque")
            .server_url("https://hatchet.example.com")
            .tenant_id(Uuid::nil())
            .connect_timeout(Duration::from_millis(1500))
            .build()
            .unwrap();
        assert_eq!(config.connect_timeout(), Duration::from_millis(1500));
        assert_eq!(config.server_url(), "https://hatchet.example.com");
        assert_eq!(config.timeout(), DEFAULT_TIMEOUT);
    }
}
