//! The generated REST client a [`ClientConfig`] describes: the one every
//! [`ScheduledClient`](crate::ScheduledClient) sends through, and the one
//! users of `hatchet-rest-gen`'s `full-api` feature make their full client
//! from, so that both authenticate the same way.

use hatchet_rest_gen::RequestHeaders;
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue, USER_AGENT};

use crate::{ClientConfig, Error, USER_AGENT_VALUE};

impl ClientConfig {
    /// The generated low-level client (`hatchet_rest_gen::Client`) for this
    /// configuration, authenticated and set up exactly as
    /// [`ScheduledClient`](crate::ScheduledClient)'s own: the same
    /// `Authorization: Bearer` token (marked sensitive) and `User-Agent` on
    /// every request, and the [`http_client`](crate::ClientConfigBuilder::http_client)
    /// if one was given, otherwise a new one with this crate's TLS set-up
    /// and this configuration's timeouts.
    ///
    /// It is also the way to the rest of Hatchet's REST API. This crate
    /// builds `hatchet-rest-gen` without its `full-api` feature, so this
    /// client has the scheduled-run operations only. A project that also
    /// depends on `hatchet-rest-gen` with `full-api` turns it into a client
    /// for every operation of the contract with
    /// `hatchet_rest_gen::full::Client::from(config.rest_client()?)`, which
    /// keeps the headers and the HTTP client. Cargo builds one
    /// `hatchet-rest-gen` with the features all its dependents ask for, and
    /// the feature only adds the `full` module, so this crate is unaffected:
    ///
    /// ```toml
    /// [dependencies]
    /// hatchet-scheduled = "0.1"
    /// # The version hatchet-scheduled uses, or cargo builds two copies.
    /// hatchet-rest-gen = { version = "0.1", features = ["full-api"] }
    /// ```
    ///
    /// Calls made with either client are the generated client's: they are
    /// not retried or traced by this crate, their arguments are not checked
    /// before sending, and their errors are `hatchet_rest_gen::Error`. The
    /// configuration's tenant ([`tenant_id`](Self::tenant_id)) is an
    /// argument of each call. `examples/full_api.rs` lists workflows and
    /// workflow runs this way.
    ///
    /// ```
    /// use hatchet_rest_gen::ClientInfo;
    /// use hatchet_scheduled::ClientConfig;
    ///
    /// let config = ClientConfig::builder()
    ///     .token("my-api-token")
    ///     .server_url("https://hatchet.example.com")
    ///     .tenant_id(uuid::Uuid::nil())
    ///     .build()?;
    /// let rest: hatchet_rest_gen::Client = config.rest_client()?;
    /// assert_eq!(rest.baseurl(), "https://hatchet.example.com");
    /// let debug = format!("{:?} {:?}", rest.client(), rest.inner());
    /// assert!(!debug.contains("my-api-token"));
    /// // rest.workflow_scheduled_get(&config.tenant_id(), &id).await?, ...
    /// # Ok::<(), hatchet_scheduled::Error>(())
    /// ```
    pub fn rest_client(&self) -> Result<hatchet_rest_gen::Client, Error> {
        let mut authorization = HeaderValue::try_from(format!("Bearer {}", self.token()))
            .map_err(|_| Error::Configuration("the API token cannot be sent as a header".into()))?;
        authorization.set_sensitive(true);
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, authorization);
        headers.insert(USER_AGENT, HeaderValue::from_static(USER_AGENT_VALUE));
        // A client built here sends the headers as its defaults, which
        // reqwest merges into each request anyway; a caller's client knows
        // nothing of them, so the generated client's hook adds them to each
        // request (`hatchet-rest-gen`'s `RequestHeaders`).
        let (http, per_request) = match self.http_client() {
            Some(client) => (client.clone(), headers),
            None => {
                let http = reqwest::Client::builder()
                    .tls_backend_preconfigured(
                        crate::tls::client_config()
                            .map_err(|e| Error::Configuration(format!("cannot set up TLS: {e}")))?,
                    )
                    .timeout(self.timeout())
                    .connect_timeout(self.connect_timeout())
                    .default_headers(headers)
                    .build()
                    .map_err(|e| {
                        Error::Configuration(format!("cannot build the HTTP client: {e}"))
                    })?;
                (http, HeaderMap::new())
            }
        };
        Ok(hatchet_rest_gen::Client::new_with_client(
            self.server_url(),
            http,
            RequestHeaders::new(per_request),
        ))
    }
}

#[cfg(test)]
mod tests {
    use std::io::{BufRead, BufReader, Write};
    use std::net::TcpListener;
    use std::time::Duration;

    use super::*;

    /// A server for one request: returns its head (request line and
    /// headers, lower-cased) after answering `204`, or, when told not to
    /// answer, once the client has given up and closed the connection.
    fn one_request(answer: bool) -> (String, std::thread::JoinHandle<String>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let server = std::thread::spawn(move || {
            let (mut stream, _) = listener.accept().unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut head = String::new();
            let mut line = String::new();
            while reader.read_line(&mut line).unwrap() > 0 && line != "\r\n" {
                head.push_str(&line.to_ascii_lowercase());
                line.clear();
            }
            if answer {
                stream
                    .write_all(b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n")
                    .unwrap();
            } else {
                while reader.read_line(&mut line).unwrap_or(0) > 0 {}
            }
            head
        });
        (url, server)
    }

    fn config(url: &str) -> ClientConfig {
        ClientConfig::builder()
            .token(" the-token\n")
            .server_url(url)
            .tenant_id(uuid::Uuid::nil())
            .timeout(Duration::from_millis(300))
            .build()
            .unwrap()
    }

    fn assert_token_and_user_agent(head: &str) {
        assert!(
            head.contains("\r\nauthorization: bearer the-token\r\n"),
            "{head}"
        );
        let agent = format!(
            "\r\nuser-agent: {}\r\n",
            USER_AGENT_VALUE.to_ascii_lowercase()
        );
        assert!(head.contains(&agent), "{head}");
        assert_eq!(head.matches("\r\nauthorization:").count(), 1, "{head}");
        assert_eq!(head.matches("\r\nuser-agent:").count(), 1, "{head}");
    }

    async fn delete_one(config: ClientConfig) {
        let id = uuid::Uuid::nil();
        let rest = config.rest_client().unwrap();
        rest.workflow_scheduled_delete(&id, &id).await.unwrap();
    }

    #[tokio::test]
    async fn every_request_carries_the_facades_token_and_user_agent() {
        let (url, server) = one_request(true);
        delete_one(config(&url)).await;
        assert_token_and_user_agent(&server.join().unwrap());
    }

    #[tokio::test]
    async fn a_callers_http_client_sends_them_too() {
        let (url, server) = one_request(true);
        let config = ClientConfig::builder()
            .token(" the-token\n")
            .server_url(&url)
            .tenant_id(uuid::Uuid::nil())
            .http_client(reqwest::Client::builder().build().unwrap())
            .build()
            .unwrap();
        delete_one(config).await;
        assert_token_and_user_agent(&server.join().unwrap());
    }

    #[tokio::test]
    async fn requests_time_out_after_the_configured_timeout() {
        let (url, server) = one_request(false);
        let id = uuid::Uuid::nil();
        let rest = config(&url).rest_client().unwrap();
        // The server never answers: only the configured timeout ends the call.
        let result = tokio::time::timeout(
            Duration::from_secs(10),
            rest.workflow_scheduled_delete(&id, &id),
        )
        .await
        .expect("the configured 300 ms timeout did not apply");
        let hatchet_rest_gen::Error::CommunicationError(error) = result.unwrap_err() else {
            panic!("not a communication error");
        };
        assert!(error.is_timeout(), "{error}");
        // The connection closes on this runtime's thread, so wait elsewhere.
        drop(rest);
        tokio::task::spawn_blocking(move || server.join().unwrap())
            .await
            .unwrap();
    }
}
