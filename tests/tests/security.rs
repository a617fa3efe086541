//! The token never shows: not in `Debug`/`Display` of clients, configs and
//! every error this crate produces (tracing output: `tracing_output.rs`).

use std::time::Duration;

use hatchet_scheduled::{
    BulkDeleteFilter, ClientConfig, Error, RetryPolicy, ScheduledClient, blocking,
};
use serde_json::json;
use wiremock::{
    Mock, ResponseTemplate,
    matchers::{method, path},
};

use crate::support::*;

/// Checks `Display`, `Debug`, alternate `Debug` and the whole source chain.
fn assert_error_hides_token(error: &Error) {
    let mut texts = vec![
        error.to_string(),
        format!("{error:?}"),
        format!("{error:#?}"),
    ];
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        texts.push(cause.to_string());
        texts.push(format!("{cause:?}"));
        source = cause.source();
    }
    for text in texts {
        assert_no_token(&format!("{error:?}"), &text);
    }
}

#[test]
fn config_and_builder_debug_redact_the_token() {
    let builder = config("https://hatchet.example.com").namespace("staging");
    let builder_debug = format!("{builder:?}");
    assert_no_token("ClientConfigBuilder", &builder_debug);
    assert!(builder_debug.contains("<redacted>"), "{builder_debug}");

    let config = builder.build().unwrap();
    for text in [format!("{config:?}"), format!("{config:#?}")] {
        assert_no_token("ClientConfig", &text);
        assert!(text.contains("<redacted>"), "{text}");
        assert!(text.contains("https://hatchet.example.com"), "{text}");
    }
}

#[test]
fn clients_and_builders_debug_without_the_token() {
    let config = config("https://hatchet.example.com").build().unwrap();
    let client = ScheduledClient::new(config.clone()).unwrap();
    let blocking = blocking::ScheduledClient::new(config).unwrap();
    let at = chrono::DateTime::UNIX_EPOCH;

    let texts = [
        format!("{client:?}"),
        format!("{client:#?}"),
        format!("{blocking:?}"),
        format!(
            "{:?}",
            client
                .create("wf", at)
                .input(json!({"a": 1}))
                .metadata("k", "v")
        ),
        format!("{:?}", blocking.create("wf", at)),
        format!("{:?}", client.list().limit(5)),
        format!("{:?}", blocking.list().limit(5)),
        format!("{:?}", blocking.list().iter()),
        format!("{:?}", BulkDeleteFilter::default().metadata("k", "v")),
    ];
    for text in &texts {
        assert_no_token("a client", text);
    }
    assert!(texts[0].contains(&TENANT.to_string()), "{}", texts[0]);
}

#[test]
fn configuration_errors_do_not_echo_the_token() {
    let builder = || ClientConfig::builder().tenant_id(TENANT);
    let long = format!("{TOKEN}{}", "a".repeat(20_000));
    let errors = [
        // Plain http to a remote host.
        builder()
            .token(TOKEN)
            .server_url("http://hatchet.example.com")
            .build()
            .unwrap_err(),
        // A token that cannot be a header value.
        builder()
            .token(format!("{TOKEN} {TOKEN}"))
            .server_url("https://hatchet.example.com")
            .build()
            .unwrap_err(),
        builder()
            .token(format!("{TOKEN}\n"))
            .server_url("https://hatchet.example.com\u{7f}")
            .build()
            .unwrap_err(),
        builder()
            .token(long)
            .server_url("https://hatchet.example.com")
            .build()
            .unwrap_err(),
        // No server URL, and the token's claims must be read.
        builder().token(TOKEN).build().unwrap_err(),
        ClientConfig::builder()
            .token(format!("not-a-jwt-{TOKEN_SIGNATURE}"))
            .build()
            .unwrap_err(),
    ];
    for error in &errors {
        assert!(matches!(error, Error::Configuration(_)), "{error:?}");
        assert_error_hides_token(error);
    }
}

#[tokio::test]
async fn status_decode_and_network_errors_hide_the_token() {
    let server = server().await;
    let client = client_without_retries(&server.uri());
    let mut errors = Vec::new();
    for (n, answer) in [
        ResponseTemplate::new(400)
            .set_body_json(json!({"errors": [{"description": "d", "field": "f"}]})),
        ResponseTemplate::new(401).set_body_json(json!({"message": "unauthorized"})),
        ResponseTemplate::new(403).set_body_json(json!({"description": "forbidden"})),
        ResponseTemplate::new(404).set_body_raw("null", "application/json"),
        ResponseTemplate::new(409),
        ResponseTemplate::new(429).insert_header("Retry-After", "7"),
        ResponseTemplate::new(502).set_body_raw("<html>bad gateway</html>", "text/html"),
        ResponseTemplate::new(200).set_body_raw("{\"truncated", "application/json"),
    ]
    .into_iter()
    .enumerate()
    {
        let id = nth_id(n as u64);
        Mock::given(method("GET"))
            .and(path(api_path(&format!("scheduled/{id}"))))
            .respond_with(answer)
            .mount(&server)
            .await;
        errors.push(client.get(id).await.unwrap_err());
    }
    errors.push(client.list().limit(0).send().await.unwrap_err());
    errors.push(
        client
            .bulk_delete_matching(BulkDeleteFilter::default())
            .await
            .unwrap_err(),
    );

    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let slow = client_from(
        config(&format!("http://{}", silent.local_addr().unwrap()))
            .timeout(Duration::from_millis(200))
            .retry_policy(RetryPolicy::none()),
    );
    errors.push(slow.get(RUN_ID).await.unwrap_err());
    drop(silent);
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let closed = client_without_retries(&format!("http://127.0.0.1:{port}"));
    errors.push(closed.get(RUN_ID).await.unwrap_err());

    let blocking = blocking_client(&server.uri());
    errors.push(blocking.get(RUN_ID).unwrap_err());

    let kinds: Vec<_> = errors
        .iter()
        .map(|e| {
            format!("{e:?}")
                .split([' ', '(', '{'])
                .next()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "BadRequest",
            "Unauthorized",
            "Forbidden",
            "NotFound",
            "UnexpectedStatus",
            "RateLimited",
            "Server",
            "Decode",
            "InvalidArgument",
            "InvalidArgument",
            "Timeout",
            "Transport",
            "BlockingInAsyncContext",
        ]
    );
    for error in &errors {
        assert_error_hides_token(error);
    }
}

#[test]
fn debug_names_each_client_and_where_it_points() {
    let config = config("https://hatchet.example.com").build().unwrap();
    let client = ScheduledClient::new(config.clone()).unwrap();
    let blocking = blocking::ScheduledClient::new(config).unwrap();
    let target = format!(
        "server_url: \"https://hatchet.example.com\", tenant_id: {TENANT}, namespace: None, .."
    );
    let connection = format!("Connection {{ {target} }}");
    assert_eq!(
        format!("{client:?}"),
        format!("ScheduledClient {{ {target} }}")
    );
    assert_eq!(
        format!("{:?}", client.crons()),
        format!("CronClient({connection})")
    );
    assert_eq!(
        format!("{blocking:?}"),
        format!("blocking::ScheduledClient(ScheduledClient {{ {target} }})")
    );
    assert_eq!(
        format!("{:?}", blocking.crons()),
        format!("blocking::CronClient(CronClient({connection}))")
    );
    // Nothing listens on port 1: the listing fails at once, and is done.
    let closed = blocking::ScheduledClient::new(
        crate::support::config("http://127.0.0.1:1")
            .build()
            .unwrap(),
    );
    let mut pages = closed.unwrap().list().iter();
    assert_eq!(format!("{pages:?}"), "Pages { done: false, .. }");
    assert!(pages.next().unwrap().is_err());
    assert_eq!(format!("{pages:?}"), "Pages { done: true, .. }");
    assert_eq!(client.tenant_id(), TENANT);
    assert_eq!(client.server_url(), "https://hatchet.example.com");
}
