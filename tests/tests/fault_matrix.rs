//! The fault matrix: every operation, scheduled runs' and crons', against
//! every way a server or the network can fail, asserting the error variant,
//! the status, how many attempts were made, and that nothing panics. One
//! table, one loop.
//!
//! Creates, triggers and bulk deletes, of crons too, are sent once whatever
//! happens after the request may have reached the server; a reset
//! connection is counted by the server, so "once" is seen, not assumed.

use std::{
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use hatchet_scheduled::{EXCERPT_LIMIT, Error, RetryPolicy};
use tokio::io::AsyncReadExt;
use wiremock::{Mock, MockServer, ResponseTemplate, matchers::any};

use crate::support::{IDEMPOTENT, Op, client_with_policy};

const ATTEMPTS: u32 = 3;

fn policy() -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(ATTEMPTS)
        .initial_backoff(Duration::from_millis(1))
        .max_backoff(Duration::from_millis(2))
}

#[derive(Clone)]
enum Fault {
    /// An error status with a body.
    Status(u16, &'static str),
    /// The operation's own success status with a body it cannot decode.
    BadSuccessBody(&'static str, Vec<u8>),
    /// A huge error body.
    HugeErrorBody,
    /// The connection is accepted, then reset.
    Reset,
    /// Nothing listens.
    ClosedPort,
}

impl std::fmt::Debug for Fault {
    // Names only: a failure report must not print an 8 MiB body.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Fault::Status(status, body) => write!(f, "{status} with {} body bytes", body.len()),
            Fault::BadSuccessBody(name, _) => write!(f, "success with {name} body"),
            Fault::HugeErrorBody => f.write_str("500 with an 8 MiB body"),
            Fault::Reset => f.write_str("connection reset"),
            Fault::ClosedPort => f.write_str("closed port"),
        }
    }
}

/// What a fault must turn into.
#[derive(Debug, PartialEq)]
struct Expected {
    variant: &'static str,
    status: Option<u16>,
    /// `None` where attempts cannot be counted (nothing listens).
    attempts: Option<usize>,
}

fn faults() -> Vec<Fault> {
    let mut faults: Vec<Fault> = [400, 401, 403, 404, 409, 422, 429, 500, 503, 504]
        .into_iter()
        .map(|status| Fault::Status(status, r#"{"errors":[{"description":"it broke"}]}"#))
        .collect();
    faults.push(Fault::Status(
        502,
        "<html><body>502 Bad Gateway</body></html>",
    ));
    faults.push(Fault::Status(500, ""));
    faults.push(Fault::BadSuccessBody("empty body", Vec::new()));
    faults.push(Fault::BadSuccessBody(
        "truncated JSON",
        br#"{"metadata":{"id":"#.to_vec(),
    ));
    faults.push(Fault::BadSuccessBody("wrong shape", b"[1,2,3]".to_vec()));
    let mut huge = br#"{"rows":[""#.to_vec();
    huge.resize(8 << 20, b'x');
    faults.push(Fault::BadSuccessBody("huge", huge));
    faults.push(Fault::HugeErrorBody);
    faults.push(Fault::Reset);
    faults.push(Fault::ClosedPort);
    faults
}

fn expected(op: Op, fault: &Fault) -> Expected {
    let idempotent = IDEMPOTENT.contains(&op);
    // Non-idempotent operations are retried only after a 429, which
    // Hatchet's rate limiter gives before any handler runs.
    let retried = |retryable: bool, unseen: bool| {
        Some(if retryable && (idempotent || unseen) {
            ATTEMPTS as usize
        } else {
            1
        })
    };
    match fault {
        Fault::Status(status, _) => {
            let variant = match status {
                400 => "BadRequest",
                401 => "Unauthorized",
                403 => "Forbidden",
                404 => "NotFound",
                429 => "RateLimited",
                500..=599 => "Server",
                _ => "UnexpectedStatus",
            };
            Expected {
                variant,
                status: Some(*status),
                attempts: retried(matches!(status, 429 | 502..=504), *status == 429),
            }
        }
        // A 204 has no body to misread.
        Fault::BadSuccessBody(..) if op.success_status() == 204 => Expected {
            variant: "Ok",
            status: None,
            attempts: Some(1),
        },
        Fault::BadSuccessBody(..) => Expected {
            variant: "Decode",
            status: Some(200),
            attempts: Some(1),
        },
        Fault::HugeErrorBody => Expected {
            variant: "Server",
            status: Some(500),
            attempts: Some(1),
        },
        Fault::Reset => Expected {
            variant: "Transport",
            status: None,
            attempts: retried(true, false),
        },
        Fault::ClosedPort => Expected {
            variant: "Transport",
            status: None,
            attempts: None,
        },
    }
}

/// The variant's name, from its `Debug` form.
fn variant(result: &Result<(), Error>) -> String {
    match result {
        Ok(()) => "Ok".into(),
        Err(error) => format!("{error:?}")
            .split(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or_default()
            .to_owned(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_meets_every_fault_with_the_right_error() {
    let mut failures = Vec::new();
    let mut cases = 0;
    for op in Op::all() {
        for fault in faults() {
            cases += 1;
            let (result, attempts) = run(op, &fault).await;
            let seen = Expected {
                variant: Box::leak(variant(&result).into_boxed_str()),
                status: result
                    .as_ref()
                    .err()
                    .and_then(Error::status)
                    .map(|s| s.as_u16()),
                attempts,
            };
            let want = expected(op, &fault);
            let excerpt_ok = result.as_ref().err().is_none_or(|e| match e {
                Error::Decode { excerpt, .. } => excerpt.len() <= EXCERPT_LIMIT,
                other => other
                    .response()
                    .is_none_or(|r| r.body_excerpt.len() <= EXCERPT_LIMIT),
            });
            if seen != want || !excerpt_ok {
                failures.push(format!("{op:?} / {fault:?}: want {want:?}, got {seen:?}"));
            }
        }
    }
    println!(
        "fault matrix: {cases} cases run, {} failures",
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Runs `op` against `fault`; gives the result and the attempts counted.
async fn run(op: Op, fault: &Fault) -> (Result<(), Error>, Option<usize>) {
    match fault {
        Fault::Reset => {
            let (url, accepted) = resetting_server().await;
            let result = op.run(&client_with_policy(&url, policy())).await;
            (result, Some(accepted.load(Ordering::SeqCst)))
        }
        Fault::ClosedPort => {
            let port = std::net::TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap()
                .port();
            let url = format!("http://127.0.0.1:{port}");
            (op.run(&client_with_policy(&url, policy())).await, None)
        }
        _ => {
            let server = MockServer::start().await;
            let template = match fault {
                Fault::Status(429, body) => ResponseTemplate::new(429)
                    .insert_header("retry-after", "0")
                    .set_body_raw(*body, "application/json"),
                Fault::Status(status, body) => {
                    ResponseTemplate::new(*status).set_body_raw(*body, "text/html")
                }
                Fault::BadSuccessBody(_, body) => ResponseTemplate::new(op.success_status())
                    .set_body_raw(body.clone(), "application/json"),
                Fault::HugeErrorBody => {
                    ResponseTemplate::new(500).set_body_raw(vec![b'e'; 8 << 20], "text/plain")
                }
                Fault::Reset | Fault::ClosedPort => unreachable!(),
            };
            Mock::given(any())
                .respond_with(template)
                .mount(&server)
                .await;
            let result = op.run(&client_with_policy(&server.uri(), policy())).await;
            (
                result,
                Some(server.received_requests().await.unwrap().len()),
            )
        }
    }
}

/// A server that reads each request and resets the connection.
async fn resetting_server() -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = accepted.clone();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            let mut buffer = [0u8; 4096];
            let _ = stream.read(&mut buffer).await;
            // Linger zero turns the close into a reset; with a zero
            // timeout the close does not block, the deprecation's concern.
            #[allow(deprecated)]
            let _ = stream.set_linger(Some(Duration::ZERO));
            drop(stream);
        }
    });
    (url, accepted)
}
