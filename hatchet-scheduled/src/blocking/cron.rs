//! The blocking cron-trigger client.

use std::fmt;

use uuid::Uuid;

use super::{Blocker, Pages};
use crate::{
    ClientConfig, CronCreateBuilder, CronListBuilder, CronReplaceBuilder, CronSpec,
    CronSyncBuilder, CronTrigger, Error, Page, SyncPlan, SyncReport,
};

/// Blocking cron-trigger client; the same operations as
/// [`crate::CronClient`]. Cheap to clone: clones share the runtime and
/// connection pool. Made by [`CronClient::new`] or
/// [`ScheduledClient::crons`](super::ScheduledClient::crons).
///
/// ```no_run
/// use hatchet_scheduled::blocking::ScheduledClient;
///
/// let crons = ScheduledClient::from_env()?.crons();
/// let nightly = crons
///     .create("send-report", "nightly", "0 3 * * *")
///     .input(serde_json::json!({"format": "pdf"}))
///     .send()?;
/// crons.pause(nightly.id)?;
/// for cron in crons.list().workflow_name("send-report").iter() {
///     let cron = cron?;
///     println!("{} `{}` enabled: {}", cron.workflow_name, cron.expression, cron.enabled);
/// }
/// # Ok::<(), hatchet_scheduled::Error>(())
/// ```
#[derive(Clone)]
pub struct CronClient {
    inner: crate::CronClient,
    blocker: Blocker,
}

impl fmt::Debug for CronClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("blocking::CronClient")
            .field(&self.inner)
            .finish()
    }
}

impl CronClient {
    /// A client for this configuration.
    pub fn new(config: ClientConfig) -> Result<Self, Error> {
        Ok(Self::on(crate::CronClient::new(config)?, Blocker::new()?))
    }

    /// A client configured from `HATCHET_CLIENT_*` variables.
    pub fn from_env() -> Result<Self, Error> {
        Self::new(ClientConfig::from_env()?)
    }

    pub(super) fn on(inner: crate::CronClient, blocker: Blocker) -> Self {
        Self { inner, blocker }
    }

    /// The async client this one drives.
    pub fn as_async(&self) -> &crate::CronClient {
        &self.inner
    }

    /// See [`crate::CronClient::create`].
    pub fn create(
        &self,
        workflow: impl Into<String>,
        cron_name: impl Into<String>,
        expression: impl Into<String>,
    ) -> CronCreateBuilder<Self> {
        let CronCreateBuilder { cron, .. } = self.inner.create(workflow, cron_name, expression);
        CronCreateBuilder {
            client: self.clone(),
            cron,
        }
    }

    /// See [`crate::CronClient::get`].
    pub fn get(&self, id: Uuid) -> Result<CronTrigger, Error> {
        self.blocker.block_on(self.inner.get(id))
    }

    /// See [`crate::CronClient::delete`].
    pub fn delete(&self, id: Uuid) -> Result<(), Error> {
        self.blocker.block_on(self.inner.delete(id))
    }

    /// See [`crate::CronClient::pause`].
    pub fn pause(&self, id: Uuid) -> Result<(), Error> {
        self.blocker.block_on(self.inner.pause(id))
    }

    /// See [`crate::CronClient::resume`].
    pub fn resume(&self, id: Uuid) -> Result<(), Error> {
        self.blocker.block_on(self.inner.resume(id))
    }

    /// See [`crate::CronClient::trigger_now`].
    pub fn trigger_now(&self, id: Uuid) -> Result<Uuid, Error> {
        self.blocker.block_on(self.inner.trigger_now(id))
    }

    /// See [`crate::CronClient::list`]; the builder's `send` gives a page,
    /// and `iter` every cron.
    pub fn list(&self) -> CronListBuilder<Self> {
        CronListBuilder::new(self.clone())
    }

    /// See [`crate::CronClient::sync`]; the builder's `plan` and `send`
    /// block.
    ///
    /// ```no_run
    /// use hatchet_scheduled::{CronSpec, blocking::CronClient};
    ///
    /// let crons = CronClient::from_env()?;
    /// let report = crons
    ///     .sync("send-report", [CronSpec::new("nightly", "0 2 * * *")])
    ///     .send()?;
    /// println!("{}", report.summary());
    /// # Ok::<(), hatchet_scheduled::Error>(())
    /// ```
    pub fn sync(
        &self,
        workflow: impl Into<String>,
        specs: impl IntoIterator<Item = CronSpec>,
    ) -> CronSyncBuilder<Self> {
        let CronSyncBuilder {
            workflow,
            specs,
            prune,
            ..
        } = self.inner.sync(workflow, specs);
        CronSyncBuilder {
            client: self.clone(),
            workflow,
            specs,
            prune,
        }
    }

    /// See [`crate::CronClient::replace`]: the new cron has a new id.
    pub fn replace(&self, id: Uuid) -> CronReplaceBuilder<Self> {
        CronReplaceBuilder::new(self.clone(), id)
    }
}

impl CronSyncBuilder<CronClient> {
    /// See [`crate::CronSyncBuilder::plan`].
    pub fn plan(self) -> Result<SyncPlan, Error> {
        let blocker = self.client.blocker.clone();
        blocker.block_on(self.on_async().plan())
    }

    /// See [`crate::CronSyncBuilder::send`].
    pub fn send(self) -> Result<SyncReport, Error> {
        let blocker = self.client.blocker.clone();
        blocker.block_on(self.on_async().send())
    }

    fn on_async(self) -> CronSyncBuilder<crate::CronClient> {
        CronSyncBuilder {
            client: self.client.inner,
            workflow: self.workflow,
            specs: self.specs,
            prune: self.prune,
        }
    }
}

impl CronReplaceBuilder<CronClient> {
    /// See [`crate::CronReplaceBuilder::send`].
    pub fn send(self) -> Result<CronTrigger, Error> {
        let CronReplaceBuilder {
            client,
            id,
            changes,
        } = self;
        let on_async = CronReplaceBuilder {
            client: client.inner.clone(),
            id,
            changes,
        };
        client.blocker.block_on(on_async.send())
    }
}

impl CronCreateBuilder<CronClient> {
    /// Checks the cron and creates it.
    pub fn send(self) -> Result<CronTrigger, Error> {
        self.client
            .blocker
            .block_on(self.client.inner.send_create(self.cron))
    }
}

impl CronListBuilder<CronClient> {
    /// Fetches one page.
    pub fn send(self) -> Result<Page<CronTrigger>, Error> {
        self.client
            .blocker
            .block_on(self.client.inner.send_list(&self.listing))
    }

    /// Every matching cron, fetching pages as the iterator advances. Stops
    /// after the last page or after the first error.
    pub fn iter(self) -> Pages<CronTrigger> {
        let stream = CronListBuilder {
            client: self.client.inner.clone(),
            listing: self.listing,
        }
        .stream();
        self.client.blocker.pages(stream)
    }
}
