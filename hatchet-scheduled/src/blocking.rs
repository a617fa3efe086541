//! The blocking twin of the async client, for code without a runtime.
//!
//! [`ScheduledClient`] owns a small single-threaded Tokio runtime and runs
//! the async client on it, so both behave the same: every method here is
//! its async twin's (see [`crate::ScheduledClient`]) without `.await`, and
//! listings gain [`ListBuilder::iter`]. It must not be called from inside
//! an async runtime (that would stall the runtime's thread): such calls
//! return [`Error::BlockingInAsyncContext`] instead of panicking.
//!
//! ```no_run
//! use chrono::{Duration, Utc};
//! use hatchet_scheduled::{BulkDeleteFilter, ScheduledRunStatus, blocking::ScheduledClient};
//!
//! let client = ScheduledClient::from_env()?; // HATCHET_CLIENT_TOKEN, ...
//! let run = client
//!     .create("send-email", Utc::now() + Duration::hours(1))
//!     .input(&serde_json::json!({"to": "ada@example.com"}))
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
//! # Ok::<(), hatchet_scheduled::Error>(())
//! ```

use std::{fmt, future::Future, sync::Arc};

use chrono::{DateTime, TimeZone};
use uuid::Uuid;

use crate::{
    BulkDeleteFilter, BulkDeleteOutcome, BulkUpdateOutcome, ClientConfig, CreateBuilder, Error,
    ListBuilder, Page, ScheduledRun, list::Listing,
};

/// Blocking client; the same operations as [`crate::ScheduledClient`].
/// Cheap to clone: clones share the runtime and connection pool.
#[derive(Clone)]
pub struct ScheduledClient {
    inner: crate::ScheduledClient,
    runtime: Arc<OwnedRuntime>,
}

/// The runtime a blocking client drives the async one on. Tokio panics
/// when a runtime is dropped inside an async context, so there it is shut
/// down without waiting instead: a blocking client may be created and
/// dropped anywhere, even where its calls are refused.
struct OwnedRuntime(Option<tokio::runtime::Runtime>);

impl OwnedRuntime {
    fn get(&self) -> &tokio::runtime::Runtime {
        self.0.as_ref().expect("the runtime lives until drop")
    }
}

impl Drop for OwnedRuntime {
    fn drop(&mut self) {
        if let Some(runtime) = self.0.take()
            && tokio::runtime::Handle::try_current().is_ok()
        {
            runtime.shutdown_background();
        }
    }
}

impl fmt::Debug for ScheduledClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("blocking::ScheduledClient")
            .field(&self.inner)
            .finish()
    }
}

impl ScheduledClient {
    /// A client for this configuration.
    pub fn new(config: ClientConfig) -> Result<Self, Error> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::Configuration(format!("cannot start the blocking runtime: {e}")))?;
        Ok(Self {
            inner: crate::ScheduledClient::new(config)?,
            runtime: Arc::new(OwnedRuntime(Some(runtime))),
        })
    }

    /// A client configured from `HATCHET_CLIENT_*` variables.
    pub fn from_env() -> Result<Self, Error> {
        Self::new(ClientConfig::from_env()?)
    }

    /// The async client this one drives.
    pub fn as_async(&self) -> &crate::ScheduledClient {
        &self.inner
    }

    /// See [`crate::ScheduledClient::create`].
    pub fn create<Tz: TimeZone>(
        &self,
        workflow: impl Into<String>,
        trigger_at: DateTime<Tz>,
    ) -> CreateBuilder<Self> {
        let CreateBuilder { run, .. } = self.inner.create(workflow, trigger_at);
        CreateBuilder {
            client: self.clone(),
            run,
        }
    }

    /// See [`crate::ScheduledClient::get`].
    pub fn get(&self, id: Uuid) -> Result<ScheduledRun, Error> {
        self.block_on(self.inner.get(id))
    }

    /// See [`crate::ScheduledClient::delete`].
    pub fn delete(&self, id: Uuid) -> Result<(), Error> {
        self.block_on(self.inner.delete(id))
    }

    /// See [`crate::ScheduledClient::update`].
    pub fn update<Tz: TimeZone>(
        &self,
        id: Uuid,
        trigger_at: DateTime<Tz>,
    ) -> Result<ScheduledRun, Error> {
        self.block_on(self.inner.update(id, trigger_at))
    }

    /// See [`crate::ScheduledClient::trigger_now`].
    pub fn trigger_now(&self, id: Uuid) -> Result<Uuid, Error> {
        self.block_on(self.inner.trigger_now(id))
    }

    /// See [`crate::ScheduledClient::list`]; the builder's `send` gives a
    /// page, and `iter` every run.
    pub fn list(&self) -> ListBuilder<Self> {
        ListBuilder::new(self.clone())
    }

    /// See [`crate::ScheduledClient::bulk_delete_ids`].
    pub fn bulk_delete_ids(
        &self,
        ids: impl IntoIterator<Item = Uuid>,
    ) -> Result<BulkDeleteOutcome, Error> {
        self.block_on(self.inner.bulk_delete_ids(ids))
    }

    /// See [`crate::ScheduledClient::bulk_delete_matching`].
    pub fn bulk_delete_matching(
        &self,
        filter: BulkDeleteFilter,
    ) -> Result<BulkDeleteOutcome, Error> {
        self.block_on(self.inner.bulk_delete_matching(filter))
    }

    /// See [`crate::ScheduledClient::bulk_update`].
    pub fn bulk_update<Tz: TimeZone>(
        &self,
        updates: impl IntoIterator<Item = (Uuid, DateTime<Tz>)>,
    ) -> Result<BulkUpdateOutcome, Error> {
        self.block_on(self.inner.bulk_update(updates))
    }

    fn block_on<T>(&self, future: impl Future<Output = Result<T, Error>>) -> Result<T, Error> {
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(Error::BlockingInAsyncContext);
        }
        self.runtime.get().block_on(future)
    }
}

impl CreateBuilder<ScheduledClient> {
    /// Checks the run and schedules it.
    pub fn send(self) -> Result<ScheduledRun, Error> {
        self.client
            .block_on(self.client.inner.send_create(self.run))
    }
}

impl ListBuilder<ScheduledClient> {
    /// Fetches one page.
    pub fn send(self) -> Result<Page<ScheduledRun>, Error> {
        self.client
            .block_on(self.client.inner.send_list(&self.listing))
    }

    /// Every matching run, fetching pages as the iterator advances. Stops
    /// after the last page or after the first error.
    pub fn iter(self) -> Pages {
        Pages {
            client: self.client,
            next: Some(self.listing),
            items: Vec::new().into_iter(),
        }
    }
}

/// The iterator of [`ListBuilder::iter`]: every run of a listing.
#[derive(Debug)]
pub struct Pages {
    client: ScheduledClient,
    next: Option<Listing>,
    items: std::vec::IntoIter<ScheduledRun>,
}

impl Iterator for Pages {
    type Item = Result<ScheduledRun, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(run) = self.items.next() {
                return Some(Ok(run));
            }
            let listing = self.next.take()?;
            match self.client.block_on(self.client.inner.send_list(&listing)) {
                Ok(page) => {
                    self.next = listing.after(&page);
                    self.items = page.items.into_iter();
                }
                Err(error) => return Some(Err(error)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
