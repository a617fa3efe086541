//! The blocking scheduled-run client.

use std::{fmt, future::Future};

use chrono::{DateTime, TimeZone};
use uuid::Uuid;

use super::{Blocker, CronClient, Pages};
use crate::{
    BulkDeleteFilter, BulkDeleteOutcome, BulkUpdateOutcome, ClientConfig, CreateBuilder, Error,
    ListBuilder, Page, ScheduledRun,
};

/// Blocking client; the same operations as [`crate::ScheduledClient`].
/// Cheap to clone: clones share the runtime and connection pool.
#[derive(Clone)]
pub struct ScheduledClient {
    inner: crate::ScheduledClient,
    blocker: Blocker,
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
        Ok(Self {
            blocker: Blocker::new()?,
            inner: crate::ScheduledClient::new(config)?,
        })
    }

    /// A client configured from `HATCHET_CLIENT_*` variables.
    pub fn from_env() -> Result<Self, Error> {
        Self::new(ClientConfig::from_env()?)
    }

    /// The blocking cron-trigger client on this client's runtime, connection
    /// pool, configuration and retry policy; see
    /// [`crate::ScheduledClient::crons`].
    pub fn crons(&self) -> CronClient {
        CronClient::on(self.inner.crons(), self.blocker.clone())
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
        self.blocker.block_on(future)
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
    pub fn iter(self) -> Pages<ScheduledRun> {
        let stream = ListBuilder {
            client: self.client.inner.clone(),
            listing: self.listing,
        }
        .stream();
        self.client.blocker.pages(stream)
    }
}
