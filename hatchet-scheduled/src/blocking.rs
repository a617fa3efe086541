//! The blocking twin of the async client, for code without a runtime.
//!
//! [`ScheduledClient`] owns a small single-threaded Tokio runtime and runs
//! the async client on it, so both behave the same. It must not be called
//! from inside an async runtime (that would stall the runtime's thread):
//! such calls return [`Error::BlockingInAsyncContext`] instead of panicking.
//!
//! ```no_run
//! use chrono::{Duration, Utc};
//! use hatchet_scheduled::blocking::ScheduledClient;
//!
//! let client = ScheduledClient::from_env()?;
//! let run = client.create("send-email", Utc::now() + Duration::hours(1)).send()?;
//! for run in client.list().limit(100).iter() {
//!     println!("{}", run?.id);
//! }
//! client.delete(run.id)?;
//! # Ok::<(), hatchet_scheduled::Error>(())
//! ```

use std::{fmt, future::Future, sync::Arc};

use chrono::{DateTime, TimeZone};
use uuid::Uuid;

use crate::{
    BulkDeleteFilter, BulkDeleteOutcome, BulkUpdateOutcome, ClientConfig, CreateBuilder, Error,
    ListBuilder, ListFilter, Page, ScheduledRun,
};

/// Blocking client; the same operations as [`crate::ScheduledClient`].
/// Cheap to clone: clones share the runtime and connection pool.
///
/// ```
/// use hatchet_scheduled::{ClientConfig, Error, blocking::ScheduledClient};
///
/// let config = ClientConfig::builder()
///     .token("token")
///     .server_url("https://hatchet.example.com")
///     .tenant_id(uuid::Uuid::nil())
///     .build()?;
/// let client = ScheduledClient::new(config)?;
/// let clone = client.clone();
/// // Arguments are checked before anything is sent.
/// let refused = clone.list().limit(0).send();
/// assert!(matches!(refused, Err(Error::InvalidArgument { name: "limit", .. })));
/// # Ok::<(), Error>(())
/// ```
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
    ///
    /// ```
    /// use hatchet_scheduled::{ClientConfig, blocking::ScheduledClient};
    ///
    /// let config = ClientConfig::builder()
    ///     .token("token")
    ///     .server_url("https://hatchet.example.com")
    ///     .tenant_id(uuid::Uuid::nil())
    ///     .build()?;
    /// let client = ScheduledClient::new(config)?;
    /// # Ok::<(), hatchet_scheduled::Error>(())
    /// ```
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
    ///
    /// ```no_run
    /// let client = hatchet_scheduled::blocking::ScheduledClient::from_env()?;
    /// # Ok::<(), hatchet_scheduled::Error>(())
    /// ```
    pub fn from_env() -> Result<Self, Error> {
        Self::new(ClientConfig::from_env()?)
    }

    /// The async client this one drives.
    ///
    /// ```
    /// use hatchet_scheduled::Error;
    ///
    /// # let config = hatchet_scheduled::ClientConfig::builder().token("token")
    /// #     .server_url("https://hatchet.example.com").tenant_id(uuid::Uuid::nil()).build()?;
    /// # let client = hatchet_scheduled::blocking::ScheduledClient::new(config)?;
    /// assert_eq!(client.as_async().tenant_id(), uuid::Uuid::nil());
    /// // Inside async code the blocking calls are refused: use the async client there.
    /// let runtime = tokio::runtime::Builder::new_current_thread().build()?;
    /// runtime.block_on(async {
    ///     assert!(matches!(client.get(uuid::Uuid::nil()), Err(Error::BlockingInAsyncContext)));
    ///     let _future = client.as_async().get(uuid::Uuid::nil()); // `.await` it instead
    /// });
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn as_async(&self) -> &crate::ScheduledClient {
        &self.inner
    }

    /// See [`crate::ScheduledClient::create`].
    ///
    /// ```no_run
    /// # fn run(client: &hatchet_scheduled::blocking::ScheduledClient, id: uuid::Uuid) -> Result<(), hatchet_scheduled::Error> {
    /// let in_an_hour = chrono::Utc::now() + chrono::Duration::hours(1);
    /// let run = client
    ///     .create("send-email", in_an_hour)
    ///     .input(&serde_json::json!({"to": "ada@example.com"}))
    ///     .priority(2)
    ///     .send()?;
    /// println!("{} is due at {}", run.id, run.trigger_at);
    /// # Ok(()) }
    /// ```
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
    ///
    /// ```no_run
    /// # fn run(client: &hatchet_scheduled::blocking::ScheduledClient, id: uuid::Uuid) -> Result<(), hatchet_scheduled::Error> {
    /// match client.get(id) {
    ///     Ok(run) => println!("{} fires at {}", run.workflow_name, run.trigger_at),
    ///     Err(e) if e.is_not_found() => println!("no such schedule"),
    ///     Err(e) => return Err(e),
    /// }
    /// # Ok(()) }
    /// ```
    pub fn get(&self, id: Uuid) -> Result<ScheduledRun, Error> {
        self.block_on(self.inner.get(id))
    }

    /// See [`crate::ScheduledClient::delete`].
    ///
    /// ```no_run
    /// # fn run(client: &hatchet_scheduled::blocking::ScheduledClient, id: uuid::Uuid) -> Result<(), hatchet_scheduled::Error> {
    /// client.delete(id)?;
    /// # Ok(()) }
    /// ```
    pub fn delete(&self, id: Uuid) -> Result<(), Error> {
        self.block_on(self.inner.delete(id))
    }

    /// See [`crate::ScheduledClient::update`].
    ///
    /// ```no_run
    /// # fn run(client: &hatchet_scheduled::blocking::ScheduledClient, id: uuid::Uuid) -> Result<(), hatchet_scheduled::Error> {
    /// let tomorrow = chrono::Utc::now() + chrono::Duration::days(1);
    /// let moved = client.update(id, tomorrow)?;
    /// println!("{} now fires at {}", moved.id, moved.trigger_at);
    /// # Ok(()) }
    /// ```
    pub fn update<Tz: TimeZone>(
        &self,
        id: Uuid,
        trigger_at: DateTime<Tz>,
    ) -> Result<ScheduledRun, Error> {
        self.block_on(self.inner.update(id, trigger_at))
    }

    /// See [`crate::ScheduledClient::trigger_now`].
    ///
    /// ```no_run
    /// # fn run(client: &hatchet_scheduled::blocking::ScheduledClient, id: uuid::Uuid) -> Result<(), hatchet_scheduled::Error> {
    /// let workflow_run_id = client.trigger_now(id)?;
    /// println!("started workflow run {workflow_run_id}");
    /// # Ok(()) }
    /// ```
    pub fn trigger_now(&self, id: Uuid) -> Result<Uuid, Error> {
        self.block_on(self.inner.trigger_now(id))
    }

    /// See [`crate::ScheduledClient::list`].
    ///
    /// ```
    /// use hatchet_scheduled::{Error, ListFilter, ScheduledRunStatus};
    ///
    /// # let config = hatchet_scheduled::ClientConfig::builder().token("token")
    /// #     .server_url("https://hatchet.example.com").tenant_id(uuid::Uuid::nil()).build()?;
    /// # let client = hatchet_scheduled::blocking::ScheduledClient::new(config)?;
    /// let due = ListFilter::default().statuses([ScheduledRunStatus::Scheduled]).limit(20);
    /// let builder = client.list().statuses([ScheduledRunStatus::Scheduled]).limit(20);
    /// assert_eq!(builder.filter(), &due);
    /// // `send` fetches a page, but checks the filter first:
    /// let refused = client.list().limit(0).send();
    /// assert!(matches!(refused, Err(Error::InvalidArgument { name: "limit", .. })));
    /// # Ok::<(), Error>(())
    /// ```
    pub fn list(&self) -> ListBuilder<Self> {
        self.list_with(ListFilter::default())
    }

    /// See [`crate::ScheduledClient::list_with`].
    ///
    /// ```
    /// use hatchet_scheduled::{Error, ListFilter};
    ///
    /// # let config = hatchet_scheduled::ClientConfig::builder().token("token")
    /// #     .server_url("https://hatchet.example.com").tenant_id(uuid::Uuid::nil()).build()?;
    /// # let client = hatchet_scheduled::blocking::ScheduledClient::new(config)?;
    /// let production = ListFilter::default().metadata("env", "prod");
    /// assert_eq!(client.list_with(production.clone()).filter(), &production);
    /// // A ':' would be misread by the server, so it is refused before sending.
    /// let refused = client.list_with(ListFilter::default().metadata("env", "prod:eu")).send();
    /// assert!(matches!(refused, Err(Error::InvalidArgument { name: "metadata", .. })));
    /// # Ok::<(), Error>(())
    /// ```
    pub fn list_with(&self, filter: ListFilter) -> ListBuilder<Self> {
        ListBuilder::new(self.clone(), filter)
    }

    /// See [`crate::ScheduledClient::bulk_delete_ids`].
    ///
    /// ```
    /// # let config = hatchet_scheduled::ClientConfig::builder().token("token")
    /// #     .server_url("https://hatchet.example.com").tenant_id(uuid::Uuid::nil()).build()?;
    /// # let client = hatchet_scheduled::blocking::ScheduledClient::new(config)?;
    /// let ids: Vec<uuid::Uuid> = Vec::new(); // e.g. from a listing that matched nothing
    /// assert_eq!(
    ///     client.bulk_delete_ids(ids).unwrap_err().to_string(),
    ///     "invalid argument `ids`: must not be empty"
    /// );
    /// # Ok::<(), hatchet_scheduled::Error>(())
    /// ```
    pub fn bulk_delete_ids(
        &self,
        ids: impl IntoIterator<Item = Uuid>,
    ) -> Result<BulkDeleteOutcome, Error> {
        self.block_on(self.inner.bulk_delete_ids(ids))
    }

    /// See [`crate::ScheduledClient::bulk_delete_matching`].
    ///
    /// ```
    /// use hatchet_scheduled::{BulkDeleteFilter, Error};
    ///
    /// # let config = hatchet_scheduled::ClientConfig::builder().token("token")
    /// #     .server_url("https://hatchet.example.com").tenant_id(uuid::Uuid::nil()).build()?;
    /// # let client = hatchet_scheduled::blocking::ScheduledClient::new(config)?;
    /// // An empty filter would delete every API-created schedule, so it is refused.
    /// let refused = client.bulk_delete_matching(BulkDeleteFilter::default());
    /// assert!(matches!(refused, Err(Error::InvalidArgument { name: "filter", .. })));
    /// // Deliberately: `BulkDeleteFilter::every_api_created_schedule()`.
    /// # Ok::<(), Error>(())
    /// ```
    pub fn bulk_delete_matching(
        &self,
        filter: BulkDeleteFilter,
    ) -> Result<BulkDeleteOutcome, Error> {
        self.block_on(self.inner.bulk_delete_matching(filter))
    }

    /// See [`crate::ScheduledClient::bulk_update`].
    ///
    /// ```no_run
    /// # fn run(client: &hatchet_scheduled::blocking::ScheduledClient, id: uuid::Uuid) -> Result<(), hatchet_scheduled::Error> {
    /// let tomorrow = chrono::Utc::now() + chrono::Duration::days(1);
    /// let outcome = client.bulk_update([(id, tomorrow)])?;
    /// for failure in &outcome.errors {
    ///     println!("{:?} not moved: {}", failure.id, failure.message);
    /// }
    /// # Ok(()) }
    /// ```
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
    ///
    /// ```no_run
    /// # fn run(client: &hatchet_scheduled::blocking::ScheduledClient, id: uuid::Uuid) -> Result<(), hatchet_scheduled::Error> {
    /// let in_an_hour = chrono::Utc::now() + chrono::Duration::hours(1);
    /// let run = client.create("nightly-report", in_an_hour).send()?;
    /// println!("scheduled {} for {}", run.id, run.trigger_at);
    /// # Ok(()) }
    /// ```
    pub fn send(self) -> Result<ScheduledRun, Error> {
        self.client
            .block_on(self.client.inner.send_create(self.run))
    }
}

impl ListBuilder<ScheduledClient> {
    /// Fetches one page.
    ///
    /// ```no_run
    /// # fn run(client: &hatchet_scheduled::blocking::ScheduledClient, id: uuid::Uuid) -> Result<(), hatchet_scheduled::Error> {
    /// let page = client.list().limit(5).send()?;
    /// for run in &page.items {
    ///     println!("{} fires at {}", run.id, run.trigger_at);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn send(self) -> Result<Page<ScheduledRun>, Error> {
        self.client
            .block_on(self.client.inner.send_list(&self.filter))
    }

    /// Every matching run, fetching pages as the iterator advances. Stops
    /// after the last page or after the first error.
    ///
    /// ```
    /// use hatchet_scheduled::Error;
    ///
    /// # let config = hatchet_scheduled::ClientConfig::builder().token("token")
    /// #     .server_url("https://hatchet.example.com").tenant_id(uuid::Uuid::nil()).build()?;
    /// # let client = hatchet_scheduled::blocking::ScheduledClient::new(config)?;
    /// let mut runs = client.list().limit(0).iter();
    /// assert!(matches!(runs.next(), Some(Err(Error::InvalidArgument { name: "limit", .. }))));
    /// assert!(runs.next().is_none()); // nothing more after an error
    /// # Ok::<(), Error>(())
    /// ```
    pub fn iter(self) -> Pages {
        Pages {
            client: self.client,
            next: Some(self.filter),
            items: Vec::new().into_iter(),
        }
    }
}

/// The iterator of [`ListBuilder::iter`]: every run of a listing.
///
/// ```no_run
/// # fn run(client: &hatchet_scheduled::blocking::ScheduledClient, id: uuid::Uuid) -> Result<(), hatchet_scheduled::Error> {
/// let production: Vec<_> = client
///     .list()
///     .metadata("env", "prod")
///     .iter()
///     .collect::<Result<_, _>>()?;
/// println!("{} runs in production", production.len());
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct Pages {
    client: ScheduledClient,
    next: Option<ListFilter>,
    items: std::vec::IntoIter<ScheduledRun>,
}

impl Iterator for Pages {
    type Item = Result<ScheduledRun, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(run) = self.items.next() {
                return Some(Ok(run));
            }
            let filter = self.next.take()?;
            match self.client.block_on(self.client.inner.send_list(&filter)) {
                Ok(page) => {
                    self.next = filter.after(&page);
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
