//! What every client of a tenant shares: the generated client with its
//! connection pool and headers, the tenant, the namespace and the retry
//! policy, and the one dispatch function every operation goes through.

use std::{fmt, future::Future, sync::Arc, time::Instant};

use hatchet_rest_gen::{ClientInfo, ResponseValue};
use tracing::Instrument;
use uuid::Uuid;

use crate::{
    ClientConfig, Error, operation::Operation, response::from_rest_error, retry::RetryPolicy,
};

/// One tenant's connection to Hatchet. Clients hold it in an `Arc`, so
/// clones and sibling clients share the pool and the configuration.
pub(crate) struct Connection {
    pub(crate) rest: hatchet_rest_gen::Client,
    pub(crate) tenant_id: Uuid,
    pub(crate) namespace: Option<String>,
    retry: RetryPolicy,
}

impl fmt::Debug for Connection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connection")
            .field("server_url", &self.rest.baseurl())
            .field("tenant_id", &self.tenant_id)
            .field("namespace", &self.namespace)
            .finish_non_exhaustive()
    }
}

impl Connection {
    pub(crate) fn new(config: &ClientConfig) -> Result<Arc<Self>, Error> {
        let rest = config.rest_client()?;
        Ok(Arc::new(Self {
            rest,
            tenant_id: config.tenant_id(),
            namespace: config.namespace().map(str::to_owned),
            retry: config.retry_policy(),
        }))
    }

    /// Sends one operation: the single place that retries, traces calls
    /// and turns the generated client's errors into [`Error`].
    pub(crate) async fn call<T, F, Fut>(&self, operation: Operation, send: F) -> Result<T, Error>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<ResponseValue<T>, hatchet_rest_gen::Error<()>>>,
    {
        let span = tracing::debug_span!(
            "hatchet_scheduled",
            operation = operation.id(),
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        async {
            let started = Instant::now();
            let safety = operation.spec().safety;
            let mut attempt = 1;
            let result = loop {
                let error = match send().await {
                    Ok(value) => break Ok(value.into_inner()),
                    Err(error) => from_rest_error(operation, error).await,
                };
                let Some(delay) =
                    self.retry.next_delay(safety, attempt, started.elapsed(), &error)
                else {
                    break Err(error);
                };
                tracing::debug!(attempt, delay_ms = delay.as_millis() as u64, error = %error, "retrying");
                tokio::time::sleep(delay).await;
                attempt += 1;
            };
            let span = tracing::Span::current();
            span.record("attempts", attempt);
            span.record("duration_ms", started.elapsed().as_millis() as u64);
            match &result {
                Ok(_) => span.record("status", "ok"),
                Err(error) => span.record("status", tracing::field::display(error_status(error))),
            };
            result
        }
        .instrument(span)
        .await
    }
}

/// The status a failed call is traced with: the HTTP status, or the kind of
/// failure when there was no answer.
fn error_status(error: &Error) -> String {
    match error.status() {
        Some(status) => status.as_u16().to_string(),
        None => match error {
            Error::Timeout { .. } => "timeout".into(),
            Error::Transport { .. } => "transport".into(),
            _ => "not sent".into(),
        },
    }
}
