//! The blocking twins of the async clients, for code without a runtime.
//!
//! [`ScheduledClient`] owns a small single-threaded Tokio runtime and runs
//! the async client on it, so both behave the same: every method here is
//! its async twin's (see [`crate::ScheduledClient`] and
//! [`crate::CronClient`]) without `.await`, and listings gain `iter()`
//! ([`Pages`]). [`ScheduledClient::crons`] gives the [`CronClient`] on the
//! same runtime and connection pool. They must not be called from inside an
//! async runtime (that would stall the runtime's thread): such calls return
//! [`Error::BlockingInAsyncContext`] instead of panicking.
//!
//! ```no_run
//! use chrono::{Duration, Utc};
//! use hatchet_scheduled::{BulkDeleteFilter, ScheduledRunStatus, blocking::ScheduledClient};
//!
//! let client = ScheduledClient::from_env()?; // HATCHET_CLIENT_TOKEN, ...
//! let run = client
//!     .create("send-email", Utc::now() + Duration::hours(1))
//!     .input(serde_json::json!({"to": "ada@example.com"}))
//!     .send()?;
//! client.update(run.id, Utc::now() + Duration::hours(2))?;
//!
//! let first_page = client.list().statuses([ScheduledRunStatus::Scheduled]).limit(20).send()?;
//! for run in client.list().metadata("env", "staging").iter() {
//!     println!("{}", run?.id);
//! }
//!
//! client.delete(run.id)?;
//! client.bulk_delete_matching(BulkDeleteFilter::default().metadata("env", "staging"))?;
//!
//! let crons = client.crons();
//! let nightly = crons.create("send-report", "nightly", "0 2 * * *").send()?;
//! crons.pause(nightly.id)?;
//! for cron in crons.list().workflow_name("send-report").iter() {
//!     println!("{} enabled: {}", cron?.expression, nightly.enabled);
//! }
//! # Ok::<(), hatchet_scheduled::Error>(())
//! ```

mod cron;
mod scheduled;

use std::{fmt, future::Future, pin::Pin, sync::Arc};

use futures_util::{Stream, StreamExt};

use crate::Error;

pub use cron::CronClient;
pub use scheduled::ScheduledClient;

/// The runtime blocking clients drive the async ones on, shared by a client,
/// its clones and its [`CronClient`].
#[derive(Clone)]
struct Blocker(Arc<OwnedRuntime>);

/// Tokio panics when a runtime is dropped inside an async context, so there
/// it is shut down without waiting instead: a blocking client may be created
/// and dropped anywhere, even where its calls are refused.
struct OwnedRuntime(Option<tokio::runtime::Runtime>);

impl Drop for OwnedRuntime {
    fn drop(&mut self) {
        if let Some(runtime) = self.0.take()
            && tokio::runtime::Handle::try_current().is_ok()
        {
            runtime.shutdown_background();
        }
    }
}

impl Blocker {
    fn new() -> Result<Self, Error> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::Configuration(format!("cannot start the blocking runtime: {e}")))?;
        Ok(Self(Arc::new(OwnedRuntime(Some(runtime)))))
    }

    /// Runs `future` to completion, unless called inside an async runtime.
    fn block_on<T>(&self, future: impl Future<Output = Result<T, Error>>) -> Result<T, Error> {
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(Error::BlockingInAsyncContext);
        }
        let runtime = self.0.0.as_ref().expect("the runtime lives until drop");
        runtime.block_on(future)
    }

    /// An iterator over the items of an async listing stream.
    fn pages<T>(&self, stream: impl Stream<Item = Result<T, Error>> + Send + 'static) -> Pages<T> {
        Pages {
            blocker: self.clone(),
            stream: Some(Box::pin(stream)),
        }
    }
}

/// The iterator of a blocking listing's `iter()`: every item it matches,
/// fetching pages as it advances. Ends after the last page or after the
/// first error.
pub struct Pages<T> {
    blocker: Blocker,
    /// `None` once it has ended.
    stream: Option<BoxedListing<T>>,
}

type BoxedListing<T> = Pin<Box<dyn Stream<Item = Result<T, Error>> + Send>>;

impl<T> fmt::Debug for Pages<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("done", &self.stream.is_none())
            .finish_non_exhaustive()
    }
}

impl<T> Iterator for Pages<T> {
    type Item = Result<T, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        let stream = self.stream.as_mut()?;
        let next = self
            .blocker
            .block_on(async { stream.next().await.transpose() })
            .transpose();
        if !matches!(next, Some(Ok(_))) {
            self.stream = None;
        }
        next
    }
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::*;
    use crate::ClientConfig;

    fn client() -> ScheduledClient {
        let config = ClientConfig::builder()
            .token("token")
            .server_url("https://hatchet.example.com")
            .tenant_id(Uuid::nil())
            .build()
            .unwrap();
        ScheduledClient::new(config).unwrap()
    }

    #[tokio::test]
    async fn can_be_created_refused_and_dropped_inside_a_runtime() {
        let client = client();
        let clone = client.clone();
        assert!(matches!(
            client.get(Uuid::nil()),
            Err(Error::BlockingInAsyncContext)
        ));
        drop(client);
        drop(clone); // the last reference drops the runtime: no panic
    }

    #[test]
    fn drops_normally_outside_a_runtime() {
        let client = client();
        let clone = client.clone();
        drop(client);
        drop(clone);
    }
}
