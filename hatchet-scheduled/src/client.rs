//! The async client for scheduled runs: each operation is a few lines over
//! the shared connection's dispatch (`connection.rs`).

use std::{fmt, future::Future, sync::Arc};

use chrono::{DateTime, TimeZone, Utc};
use futures_util::Stream;
use hatchet_rest_gen::ClientInfo;
use uuid::Uuid;

use crate::{
    BulkDeleteFilter, BulkDeleteOutcome, BulkItemError, BulkUpdateOutcome, ClientConfig,
    CreateBuilder, CronClient, Error, ListBuilder, Page, ScheduledRun,
    bulk::{MAX_BULK_ITEMS, non_empty},
    connection::Connection,
    convert,
    list::{self, Listing},
    operation::Operation,
    response::decode_failure,
};

/// The `User-Agent` every request carries: `hatchet-scheduled/<version>`.
pub const USER_AGENT_VALUE: &str = concat!("hatchet-scheduled/", env!("CARGO_PKG_VERSION"));

/// Manages a tenant's scheduled workflow runs. Cheap to clone: clones share
/// one connection pool.
///
/// ```no_run
/// use chrono::{Duration, Utc};
/// use hatchet_scheduled::ScheduledClient;
///
/// # async fn run() -> Result<(), hatchet_scheduled::Error> {
/// let client = ScheduledClient::from_env()?;
/// let run = client
///     .create("send-email", Utc::now() + Duration::hours(2))
///     .input(serde_json::json!({"to": "ada@example.com"}))
///     .metadata("env", "prod")
///     .send()
///     .await?;
/// client.update(run.id, Utc::now() + Duration::hours(3)).await?;
/// client.delete(run.id).await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct ScheduledClient {
    connection: Arc<Connection>,
}

impl fmt::Debug for ScheduledClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ScheduledClient")
            .field("server_url", &self.connection.rest.baseurl())
            .field("tenant_id", &self.connection.tenant_id)
            .field("namespace", &self.connection.namespace)
            .finish_non_exhaustive()
    }
}

impl ScheduledClient {
    /// A client for this configuration.
    ///
    /// ```
    /// use hatchet_scheduled::{ClientConfig, ScheduledClient};
    ///
    /// let config = ClientConfig::builder()
    ///     .token("token")
    ///     .server_url("https://hatchet.example.com")
    ///     .tenant_id(uuid::Uuid::nil())
    ///     .build()?;
    /// let client = ScheduledClient::new(config)?;
    /// assert_eq!(client.tenant_id(), uuid::Uuid::nil());
    /// # Ok::<(), hatchet_scheduled::Error>(())
    /// ```
    pub fn new(config: ClientConfig) -> Result<Self, Error> {
        Ok(Self::on(Connection::new(&config)?))
    }

    pub(crate) fn on(connection: Arc<Connection>) -> Self {
        Self { connection }
    }

    /// A client configured from `HATCHET_CLIENT_*` variables; see
    /// [`ClientConfig::from_env`].
    ///
    /// ```no_run
    /// # fn run() -> Result<(), hatchet_scheduled::Error> {
    /// let client = hatchet_scheduled::ScheduledClient::from_env()?;
    /// # Ok(()) }
    /// ```
    pub fn from_env() -> Result<Self, Error> {
        Self::new(ClientConfig::from_env()?)
    }

    /// A cron-trigger client on this client's connection pool,
    /// configuration and retry policy: nothing new is built.
    pub fn crons(&self) -> CronClient {
        CronClient::on(self.connection.clone())
    }

    /// The tenant this client acts for.
    pub fn tenant_id(&self) -> Uuid {
        self.connection.tenant_id
    }

    /// The server this client talks to, without a trailing `/`.
    pub fn server_url(&self) -> &str {
        self.connection.rest.baseurl()
    }

    /// Schedules `workflow` to run at `trigger_at` (any time zone; sent as
    /// UTC). Add input, metadata and priority, then `send`.
    ///
    /// ```no_run
    /// # async fn run(client: hatchet_scheduled::ScheduledClient, id: uuid::Uuid) -> Result<(), hatchet_scheduled::Error> {
    /// let in_an_hour = chrono::Utc::now() + chrono::Duration::hours(1);
    /// let run = client
    ///     .create("send-email", in_an_hour)
    ///     .input(serde_json::json!({"to": "ada@example.com"}))
    ///     .metadata("env", "prod")
    ///     .priority(2)
    ///     .send()
    ///     .await?;
    /// assert_eq!(run.trigger_at.timestamp(), in_an_hour.timestamp());
    /// # Ok(()) }
    /// ```
    pub fn create<Tz: TimeZone>(
        &self,
        workflow: impl Into<String>,
        trigger_at: DateTime<Tz>,
    ) -> CreateBuilder<Self> {
        CreateBuilder::new(
            self.clone(),
            workflow.into(),
            trigger_at.with_timezone(&Utc),
        )
    }

    /// One scheduled run by id.
    ///
    /// ```no_run
    /// # async fn run(client: hatchet_scheduled::ScheduledClient, id: uuid::Uuid) -> Result<(), hatchet_scheduled::Error> {
    /// match client.get(id).await {
    ///     Ok(run) => println!("{} fires at {}", run.workflow_name, run.trigger_at),
    ///     Err(e) if e.is_not_found() => println!("no such schedule"),
    ///     Err(e) => return Err(e),
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn get(&self, id: Uuid) -> Result<ScheduledRun, Error> {
        let op = Operation::Get;
        let raw = self
            .connection
            .call(op, || {
                self.connection
                    .rest
                    .workflow_scheduled_get(&self.connection.tenant_id, &id)
            })
            .await?;
        convert::scheduled_run(raw).map_err(|reason| decode_failure(op, reason))
    }

    /// Deletes a scheduled run.
    pub async fn delete(&self, id: Uuid) -> Result<(), Error> {
        self.connection
            .call(Operation::Delete, || {
                self.connection
                    .rest
                    .workflow_scheduled_delete(&self.connection.tenant_id, &id)
            })
            .await
    }

    /// Moves a scheduled run to `trigger_at` (sent as UTC).
    ///
    /// ```no_run
    /// # async fn run(client: hatchet_scheduled::ScheduledClient, id: uuid::Uuid) -> Result<(), hatchet_scheduled::Error> {
    /// let later = client.update(id, chrono::Utc::now() + chrono::Duration::days(1)).await?;
    /// # Ok(()) }
    /// ```
    pub async fn update<Tz: TimeZone>(
        &self,
        id: Uuid,
        trigger_at: DateTime<Tz>,
    ) -> Result<ScheduledRun, Error> {
        let op = Operation::Update;
        let body = convert::update_request(trigger_at.with_timezone(&Utc))?;
        let raw = self
            .connection
            .call(op, || {
                self.connection.rest.workflow_scheduled_update(
                    &self.connection.tenant_id,
                    &id,
                    &body,
                )
            })
            .await?;
        convert::scheduled_run(raw).map_err(|reason| decode_failure(op, reason))
    }

    /// Starts a scheduled run now; returns the id of the workflow run it
    /// started. The schedule itself is then gone.
    ///
    /// ```no_run
    /// # async fn run(client: hatchet_scheduled::ScheduledClient, id: uuid::Uuid) -> Result<(), hatchet_scheduled::Error> {
    /// let workflow_run_id = client.trigger_now(id).await?;
    /// # Ok(()) }
    /// ```
    pub async fn trigger_now(&self, id: Uuid) -> Result<Uuid, Error> {
        let result = self
            .connection
            .call(Operation::Trigger, || {
                self.connection
                    .rest
                    .workflow_scheduled_trigger(&self.connection.tenant_id, &id)
            })
            .await?;
        Ok(result.external_id)
    }

    /// Starts a listing; add criteria (see [`ListBuilder`]), then `send`
    /// for a page or `stream` for every run.
    pub fn list(&self) -> ListBuilder<Self> {
        ListBuilder::new(self.clone())
    }

    /// Deletes these scheduled runs. Lists longer than [`MAX_BULK_ITEMS`]
    /// are sent in several requests, in order, and their outcomes merged.
    ///
    /// # Chunks
    /// If a request after the first fails, the runs of it and of the
    /// requests not yet sent are reported in the outcome's `errors` with the
    /// failure's message; a failure of the first request is returned as is.
    ///
    /// ```no_run
    /// # async fn run(client: hatchet_scheduled::ScheduledClient, id: uuid::Uuid) -> Result<(), hatchet_scheduled::Error> {
    /// let outcome = client.bulk_delete_ids([id]).await?;
    /// for failure in &outcome.errors {
    ///     println!("{:?} not deleted: {}", failure.id, failure.message);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn bulk_delete_ids(
        &self,
        ids: impl IntoIterator<Item = Uuid>,
    ) -> Result<BulkDeleteOutcome, Error> {
        let ids = non_empty(ids.into_iter().collect(), "ids")?;
        let (results, not_done) = in_chunks(&ids, |chunk| {
            let body = convert::bulk_delete_ids(chunk);
            async move { self.bulk_delete(&body).await }
        })
        .await?;
        let mut outcome = BulkDeleteOutcome::default();
        for result in results {
            outcome.deleted.extend(result.deleted_ids);
            outcome.errors.extend(convert::bulk_errors(result.errors));
        }
        outcome.errors.extend(not_done);
        Ok(outcome)
    }

    /// Deletes every scheduled run the filter matches. An empty filter is
    /// refused unless made with [`BulkDeleteFilter::every_api_created_schedule`].
    ///
    /// ```no_run
    /// # async fn run(client: hatchet_scheduled::ScheduledClient, id: uuid::Uuid) -> Result<(), hatchet_scheduled::Error> {
    /// use hatchet_scheduled::BulkDeleteFilter;
    ///
    /// let outcome = client
    ///     .bulk_delete_matching(BulkDeleteFilter::default().metadata("env", "staging"))
    ///     .await?;
    /// println!("deleted {}", outcome.deleted.len());
    /// # Ok(()) }
    /// ```
    pub async fn bulk_delete_matching(
        &self,
        filter: BulkDeleteFilter,
    ) -> Result<BulkDeleteOutcome, Error> {
        let body = convert::bulk_delete_filter(&filter)?;
        let result = self.bulk_delete(&body).await?;
        Ok(BulkDeleteOutcome {
            deleted: result.deleted_ids,
            errors: convert::bulk_errors(result.errors),
        })
    }

    /// Moves each scheduled run to its new time (sent as UTC). Chunked like
    /// [`bulk_delete_ids`](Self::bulk_delete_ids).
    ///
    /// ```no_run
    /// # async fn run(client: hatchet_scheduled::ScheduledClient, id: uuid::Uuid) -> Result<(), hatchet_scheduled::Error> {
    /// let tomorrow = chrono::Utc::now() + chrono::Duration::days(1);
    /// let outcome = client.bulk_update([(id, tomorrow)]).await?;
    /// assert!(outcome.errors.is_empty());
    /// # Ok(()) }
    /// ```
    pub async fn bulk_update<Tz: TimeZone>(
        &self,
        updates: impl IntoIterator<Item = (Uuid, DateTime<Tz>)>,
    ) -> Result<BulkUpdateOutcome, Error> {
        let updates: Vec<_> = updates
            .into_iter()
            .map(|(id, at)| (id, at.with_timezone(&Utc)))
            .collect();
        let updates = non_empty(updates, "updates")?;
        convert::bulk_update_times(&updates)?;
        let (results, not_done) = in_chunks(&updates, |chunk| {
            let body = convert::bulk_update(chunk);
            async move {
                self.connection
                    .call(Operation::BulkUpdate, || {
                        self.connection
                            .rest
                            .workflow_scheduled_bulk_update(&self.connection.tenant_id, &body)
                    })
                    .await
            }
        })
        .await?;
        let mut outcome = BulkUpdateOutcome::default();
        for result in results {
            outcome.updated.extend(result.updated_ids);
            outcome.errors.extend(convert::bulk_errors(result.errors));
        }
        outcome.errors.extend(not_done);
        Ok(outcome)
    }

    async fn bulk_delete(
        &self,
        body: &hatchet_rest_gen::types::ScheduledWorkflowsBulkDeleteRequest,
    ) -> Result<hatchet_rest_gen::types::ScheduledWorkflowsBulkDeleteResponse, Error> {
        self.connection
            .call(Operation::BulkDelete, || {
                self.connection
                    .rest
                    .workflow_scheduled_bulk_delete(&self.connection.tenant_id, body)
            })
            .await
    }

    pub(crate) async fn send_create(
        &self,
        run: crate::create::NewRun,
    ) -> Result<ScheduledRun, Error> {
        let op = Operation::Create;
        run.validate()?;
        let (workflow, body) = convert::schedule_request(run, self.connection.namespace.as_deref());
        let raw = self
            .connection
            .call(op, || {
                self.connection.rest.scheduled_workflow_run_create(
                    &self.connection.tenant_id,
                    &workflow,
                    &body,
                )
            })
            .await?;
        convert::scheduled_run(raw).map_err(|reason| decode_failure(op, reason))
    }

    pub(crate) async fn send_list(&self, listing: &Listing) -> Result<Page<ScheduledRun>, Error> {
        let op = Operation::List;
        let q = convert::list_query(listing)?;
        let raw = self
            .connection
            .call(op, || {
                self.connection.rest.workflow_scheduled_list(
                    &self.connection.tenant_id,
                    q.additional_metadata.as_ref(),
                    q.limit,
                    q.offset,
                    q.order_by_direction,
                    q.order_by_field,
                    q.parent_step_run_id.as_ref(),
                    q.parent_workflow_run_id.as_ref(),
                    q.statuses.as_ref(),
                    q.workflow_id.as_ref(),
                )
            })
            .await?;
        convert::page(raw, listing.paging.offset.unwrap_or(0))
            .map_err(|reason| decode_failure(op, reason))
    }
}

/// Runs `send` over chunks of at most [`MAX_BULK_ITEMS`], in order, and
/// gives each chunk's result. A failure of the first chunk is returned;
/// after that, the ids of the failed chunk and of the ones not sent come
/// back as item errors, so what earlier chunks did is not lost.
async fn in_chunks<T, R, F, Fut>(
    items: &[T],
    send: F,
) -> Result<(Vec<R>, Vec<BulkItemError>), Error>
where
    T: BulkItem,
    F: Fn(&[T]) -> Fut,
    Fut: Future<Output = Result<R, Error>>,
{
    let mut results = Vec::new();
    for (index, chunk) in items.chunks(MAX_BULK_ITEMS).enumerate() {
        match send(chunk).await {
            Ok(result) => results.push(result),
            Err(error) if index == 0 => return Err(error),
            Err(error) => {
                let message = format!("not done: a request of this bulk operation failed: {error}");
                let not_done = items[index * MAX_BULK_ITEMS..]
                    .iter()
                    .map(|item| BulkItemError::new(Some(item.id()), message.clone()))
                    .collect();
                return Ok((results, not_done));
            }
        }
    }
    Ok((results, Vec::new()))
}

/// Something a bulk operation acts on, identified by a schedule id.
trait BulkItem {
    fn id(&self) -> Uuid;
}

impl BulkItem for Uuid {
    fn id(&self) -> Uuid {
        *self
    }
}

impl BulkItem for (Uuid, DateTime<Utc>) {
    fn id(&self) -> Uuid {
        self.0
    }
}

impl CreateBuilder<ScheduledClient> {
    /// Checks the run and schedules it.
    pub async fn send(self) -> Result<ScheduledRun, Error> {
        self.client.send_create(self.run).await
    }
}

impl ListBuilder<ScheduledClient> {
    /// Fetches one page.
    pub async fn send(self) -> Result<Page<ScheduledRun>, Error> {
        self.client.send_list(&self.listing).await
    }

    /// Every matching run, fetching pages lazily as the stream is polled.
    /// Stops after the last page (no extra request) or at the first error.
    ///
    /// ```no_run
    /// use futures_util::TryStreamExt;
    ///
    /// # async fn run(client: hatchet_scheduled::ScheduledClient) -> Result<(), hatchet_scheduled::Error> {
    /// let runs: Vec<_> = client.list().limit(200).stream().try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn stream(self) -> impl Stream<Item = Result<ScheduledRun, Error>> + Send + 'static {
        let Self { client, listing } = self;
        list::every(listing, move |listing| {
            let client = client.clone();
            async move { client.send_list(&listing).await }
        })
    }
}
