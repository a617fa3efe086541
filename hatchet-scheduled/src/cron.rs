//! The async client for cron triggers: each operation is a few lines over
//! the shared connection's dispatch (`connection.rs`), like scheduled runs.

use std::{fmt, sync::Arc};

use futures_util::Stream;
use uuid::Uuid;

use crate::{
    ClientConfig, CronCreateBuilder, CronListBuilder, CronTrigger, Error, Page,
    connection::Connection,
    convert,
    create::NewCron,
    list::{self, CronListing},
    operation::Operation,
    response::decode_failure,
};

/// Manages a tenant's cron triggers: create, get, list, pause and resume,
/// trigger now, delete. Cheap to clone; made by [`CronClient::new`] or,
/// sharing a scheduled-run client's connection pool, configuration and
/// retry policy, by [`ScheduledClient::crons`](crate::ScheduledClient::crons).
///
/// Beyond what Hatchet's official SDKs offer for crons (create, get, list,
/// delete), this client also pauses, resumes and triggers them now, which
/// Hatchet's REST API allows. Where the official Python SDK does the same
/// thing, the requests are the same, except for deliberate fixes: the
/// workflow-name filter is namespaced like create; expressions outside the
/// grammar Hatchet validates are refused before sending (Hatchet's create
/// would store them and its ticker then silently delete the cron; see
/// [`CronExpression`](crate::CronExpression)), `@daily`-style descriptors
/// included; a blank workflow or cron name and a priority outside 1–3 are
/// refused.
///
/// Hatchet answers an unknown cron id (a deleted one, say) with **500**,
/// not 404: its lookup reports the missing row as a plain error
/// (`pkg/repository/workflow_schedules.go`, `GetCronWorkflow`), so such
/// calls fail with [`Error::Server`], not [`Error::NotFound`]. A malformed
/// id cannot be written here ([`Uuid`]).
///
/// ```no_run
/// use hatchet_scheduled::{CronClient, CronOrderField, SortDirection};
///
/// # async fn run() -> Result<(), hatchet_scheduled::Error> {
/// let crons = CronClient::from_env()?;
/// let nightly = crons
///     .create("send-report", "nightly-report", "0 2 * * *") // 02:00 every day
///     .input(serde_json::json!({"report": "daily"}))
///     .metadata("env", "prod")
///     .send()
///     .await?;
///
/// crons.pause(nightly.id).await?;
/// let run_id = crons.trigger_now(nightly.id).await?; // runs once now; the cron stays
/// crons.resume(nightly.id).await?;
///
/// let page = crons
///     .list()
///     .workflow_name("send-report")
///     .order_by(CronOrderField::CreatedAt, SortDirection::Asc)
///     .send()
///     .await?;
/// crons.delete(nightly.id).await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct CronClient {
    connection: Arc<Connection>,
}

impl fmt::Debug for CronClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("CronClient").field(&self.connection).finish()
    }
}

impl CronClient {
    /// A client for this configuration.
    pub fn new(config: ClientConfig) -> Result<Self, Error> {
        Ok(Self::on(Connection::new(&config)?))
    }

    /// A client configured from `HATCHET_CLIENT_*` variables; see
    /// [`ClientConfig::from_env`].
    pub fn from_env() -> Result<Self, Error> {
        Self::new(ClientConfig::from_env()?)
    }

    pub(crate) fn on(connection: Arc<Connection>) -> Self {
        Self { connection }
    }

    /// Creates a cron trigger named `cron_name` that starts `workflow`
    /// whenever `expression` matches. The expression is sent exactly as
    /// written, after the checks of [`CronExpression`](crate::CronExpression);
    /// add input, metadata and priority, then `send`. Hatchet refuses a
    /// second cron with the same name and expression (`BadRequest`).
    pub fn create(
        &self,
        workflow: impl Into<String>,
        cron_name: impl Into<String>,
        expression: impl Into<String>,
    ) -> CronCreateBuilder<Self> {
        CronCreateBuilder::new(
            self.clone(),
            workflow.into(),
            cron_name.into(),
            expression.into(),
        )
    }

    /// One cron trigger by id. Hatchet answers an id it does not know with
    /// 500, not 404 (its cron lookup fails before the handler runs:
    /// `run.go`, `GetCronWorkflow`), so that is [`Error::Server`].
    ///
    /// ```no_run
    /// # async fn run(client: hatchet_scheduled::CronClient, id: uuid::Uuid) -> Result<(), hatchet_scheduled::Error> {
    /// let cron = client.get(id).await?;
    /// println!("{} runs at `{}`", cron.workflow_name, cron.expression);
    /// # Ok(()) }
    /// ```
    pub async fn get(&self, id: Uuid) -> Result<CronTrigger, Error> {
        let op = Operation::CronGet;
        let raw = self
            .connection
            .call(op, || {
                self.connection
                    .rest
                    .workflow_cron_get(&self.connection.tenant_id, &id)
            })
            .await?;
        convert::cron_trigger(raw).map_err(|reason| decode_failure(op, reason))
    }

    /// Deletes a cron trigger; it fires no more.
    pub async fn delete(&self, id: Uuid) -> Result<(), Error> {
        self.connection
            .call(Operation::CronDelete, || {
                self.connection
                    .rest
                    .workflow_cron_delete(&self.connection.tenant_id, &id)
            })
            .await
    }

    /// Stops a cron trigger from firing until [`resume`](Self::resume).
    pub async fn pause(&self, id: Uuid) -> Result<(), Error> {
        self.set_enabled(id, false).await
    }

    /// Lets a paused cron trigger fire again.
    pub async fn resume(&self, id: Uuid) -> Result<(), Error> {
        self.set_enabled(id, true).await
    }

    async fn set_enabled(&self, id: Uuid, enabled: bool) -> Result<(), Error> {
        let body = convert::cron_enabled(enabled);
        self.connection
            .call(Operation::CronUpdate, || {
                self.connection
                    .rest
                    .workflow_cron_update(&self.connection.tenant_id, &id, &body)
            })
            .await
    }

    /// Starts the cron's workflow now, once, with the cron's input,
    /// metadata and priority; returns the id of the workflow run. The cron
    /// stays as it is (a paused one stays paused).
    pub async fn trigger_now(&self, id: Uuid) -> Result<Uuid, Error> {
        let result = self
            .connection
            .call(Operation::CronTrigger, || {
                self.connection
                    .rest
                    .workflow_cron_trigger(&self.connection.tenant_id, &id)
            })
            .await?;
        Ok(result.external_id)
    }

    /// Starts a listing; add criteria (see [`CronListBuilder`]), then
    /// `send` for a page or `stream` for every cron.
    pub fn list(&self) -> CronListBuilder<Self> {
        CronListBuilder::new(self.clone())
    }

    pub(crate) async fn send_create(&self, cron: NewCron) -> Result<CronTrigger, Error> {
        let op = Operation::CronCreate;
        cron.validate()?;
        let (workflow, body) = convert::cron_request(cron, self.connection.namespace.as_deref());
        let raw = self
            .connection
            .call(op, || {
                self.connection.rest.cron_workflow_trigger_create(
                    &self.connection.tenant_id,
                    &workflow,
                    &body,
                )
            })
            .await?;
        convert::cron_trigger(raw).map_err(|reason| decode_failure(op, reason))
    }

    pub(crate) async fn send_list(
        &self,
        listing: &CronListing,
    ) -> Result<Page<CronTrigger>, Error> {
        let op = Operation::CronList;
        let q = convert::cron_list_query(listing, self.connection.namespace.as_deref())?;
        let raw = self
            .connection
            .call(op, || {
                self.connection.rest.cron_workflow_list(
                    &self.connection.tenant_id,
                    q.additional_metadata.as_ref(),
                    q.cron_name.as_deref(),
                    q.limit,
                    q.offset,
                    q.order_by_direction,
                    q.order_by_field,
                    q.workflow_id.as_ref(),
                    q.workflow_name.as_deref(),
                )
            })
            .await?;
        convert::cron_page(raw, listing.paging.offset.unwrap_or(0))
            .map_err(|reason| decode_failure(op, reason))
    }
}

impl CronCreateBuilder<CronClient> {
    /// Checks the cron and creates it.
    pub async fn send(self) -> Result<CronTrigger, Error> {
        self.client.send_create(self.cron).await
    }
}

impl CronListBuilder<CronClient> {
    /// Fetches one page.
    pub async fn send(self) -> Result<Page<CronTrigger>, Error> {
        self.client.send_list(&self.listing).await
    }

    /// Every matching cron, fetching pages lazily as the stream is polled.
    /// Stops after the last page (no extra request) or at the first error.
    pub fn stream(self) -> impl Stream<Item = Result<CronTrigger, Error>> + Send + 'static {
        let Self { client, listing } = self;
        list::every(listing, move |listing| {
            let client = client.clone();
            async move { client.send_list(&listing).await }
        })
    }
}
