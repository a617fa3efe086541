//! The async client: every scheduled-run operation, sent through one
//! dispatch function that maps errors and traces each call.

use std::{fmt, future::Future, sync::Arc, time::Instant};

use chrono::{DateTime, TimeZone, Utc};
use futures_util::{Stream, TryStreamExt, stream};
use hatchet_rest_gen::{ClientInfo, ResponseValue};
use reqwest::StatusCode;
use tracing::Instrument;
use uuid::Uuid;

use crate::{
    BulkDeleteFilter, BulkDeleteOutcome, BulkItemError, BulkUpdateOutcome, ClientConfig,
    CreateBuilder, Error, ListBuilder, ListFilter, Page, ScheduledRun,
    bulk::{MAX_BULK_ITEMS, non_empty},
    convert,
    response::{decode_failure, from_rest_error},
    retry::{RetryPolicy, Safety},
};

/// The `User-Agent` every request carries.
///
/// ```
/// use hatchet_scheduled::USER_AGENT_VALUE;
///
/// assert!(USER_AGENT_VALUE.starts_with("hatchet-scheduled/"));
/// ```
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
///     .input(&serde_json::json!({"to": "ada@example.com"}))
///     .metadata("env", "prod")
///     .send()
///     .await?;
/// client.update(run.id, Utc::now() + Duration::hours(3)).await?;
/// client.delete(run.id).await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct ScheduledClient {
    inner: Arc<Inner>,
}

struct Inner {
    rest: hatchet_rest_gen::Client,
    tenant_id: Uuid,
    namespace: Option<String>,
    retry: RetryPolicy,
}

impl fmt::Debug for ScheduledClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ScheduledClient")
            .field("server_url", &self.inner.rest.baseurl())
            .field("tenant_id", &self.inner.tenant_id)
            .field("namespace", &self.inner.namespace)
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
        let rest = config.rest_client()?;
        Ok(Self {
            inner: Arc::new(Inner {
                rest,
                tenant_id: config.tenant_id(),
                namespace: config.namespace().map(str::to_owned),
                retry: config.retry_policy(),
            }),
        })
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

    /// The tenant this client acts for.
    ///
    /// ```
    /// let tenant = uuid::uuid!("707d0855-80ab-4e1f-a156-f1c4546cbf52");
    /// # let config = hatchet_scheduled::ClientConfig::builder()
    /// #     .token("t").server_url("https://hatchet.example.com").tenant_id(tenant).build()?;
    /// let client = hatchet_scheduled::ScheduledClient::new(config)?;
    /// assert_eq!(client.tenant_id(), tenant);
    /// # Ok::<(), hatchet_scheduled::Error>(())
    /// ```
    pub fn tenant_id(&self) -> Uuid {
        self.inner.tenant_id
    }

    /// The server this client talks to, without a trailing `/`.
    ///
    /// ```
    /// # let config = hatchet_scheduled::ClientConfig::builder()
    /// #     .token("t").server_url("https://hatchet.example.com/").tenant_id(uuid::Uuid::nil()).build()?;
    /// let client = hatchet_scheduled::ScheduledClient::new(config)?;
    /// assert_eq!(client.server_url(), "https://hatchet.example.com");
    /// # Ok::<(), hatchet_scheduled::Error>(())
    /// ```
    pub fn server_url(&self) -> &str {
        self.inner.rest.baseurl()
    }

    /// Schedules `workflow` to run at `trigger_at` (any time zone; sent as
    /// UTC). Add input, metadata and priority, then `send`.
    ///
    /// ```no_run
    /// # async fn run(client: hatchet_scheduled::ScheduledClient, id: uuid::Uuid) -> Result<(), hatchet_scheduled::Error> {
    /// let in_an_hour = chrono::Utc::now() + chrono::Duration::hours(1);
    /// let run = client
    ///     .create("send-email", in_an_hour)
    ///     .input(&serde_json::json!({"to": "ada@example.com"}))
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
        let op = "workflow-scheduled:get";
        let raw = self
            .call(op, || {
                self.inner
                    .rest
                    .workflow_scheduled_get(&self.inner.tenant_id, &id)
            })
            .await?;
        convert::scheduled_run(raw).map_err(|reason| decode_failure(op, StatusCode::OK, reason))
    }

    /// Deletes a scheduled run.
    ///
    /// ```no_run
    /// # async fn run(client: hatchet_scheduled::ScheduledClient, id: uuid::Uuid) -> Result<(), hatchet_scheduled::Error> {
    /// client.delete(id).await?;
    /// # Ok(()) }
    /// ```
    pub async fn delete(&self, id: Uuid) -> Result<(), Error> {
        self.call("workflow-scheduled:delete", || {
            self.inner
                .rest
                .workflow_scheduled_delete(&self.inner.tenant_id, &id)
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
        let op = "workflow-scheduled:update";
        let body = convert::update_request(trigger_at.with_timezone(&Utc));
        let raw = self
            .call(op, || {
                self.inner
                    .rest
                    .workflow_scheduled_update(&self.inner.tenant_id, &id, &body)
            })
            .await?;
        convert::scheduled_run(raw).map_err(|reason| decode_failure(op, StatusCode::OK, reason))
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
            .call("workflow-scheduled:trigger", || {
                self.inner
                    .rest
                    .workflow_scheduled_trigger(&self.inner.tenant_id, &id)
            })
            .await?;
        Ok(result.external_id)
    }

    /// Starts a listing; add filters, then `send` for a page or `stream`
    /// for every run.
    ///
    /// ```no_run
    /// # async fn run(client: hatchet_scheduled::ScheduledClient, id: uuid::Uuid) -> Result<(), hatchet_scheduled::Error> {
    /// use hatchet_scheduled::ScheduledRunStatus;
    ///
    /// let page = client.list().statuses([ScheduledRunStatus::Scheduled]).limit(20).send().await?;
    /// println!("{} runs, more: {}", page.items.len(), page.has_next());
    /// # Ok(()) }
    /// ```
    pub fn list(&self) -> ListBuilder<Self> {
        self.list_with(ListFilter::default())
    }

    /// Starts a listing from a filter built earlier.
    ///
    /// ```no_run
    /// # async fn run(client: hatchet_scheduled::ScheduledClient, id: uuid::Uuid) -> Result<(), hatchet_scheduled::Error> {
    /// use hatchet_scheduled::ListFilter;
    ///
    /// let production = ListFilter::default().metadata("env", "prod");
    /// let first = client.list_with(production.clone()).limit(10).send().await?;
    /// let next = client.list_with(production).offset(10).limit(10).send().await?;
    /// # Ok(()) }
    /// ```
    pub fn list_with(&self, filter: ListFilter) -> ListBuilder<Self> {
        ListBuilder::new(self.clone(), filter)
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
        let (results, not_done) = in_chunks(&updates, |chunk| {
            let body = convert::bulk_update(chunk);
            async move {
                self.call("workflow-scheduled:bulk-update", || {
                    self.inner
                        .rest
                        .workflow_scheduled_bulk_update(&self.inner.tenant_id, &body)
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
        self.call("workflow-scheduled:bulk-delete", || {
            self.inner
                .rest
                .workflow_scheduled_bulk_delete(&self.inner.tenant_id, body)
        })
        .await
    }

    pub(crate) async fn send_create(
        &self,
        run: crate::create::NewRun,
    ) -> Result<ScheduledRun, Error> {
        let op = "scheduled-workflow-run:create";
        let workflow = run.validate(self.inner.namespace.as_deref())?;
        let body = convert::schedule_request(run);
        let raw = self
            .call(op, || {
                self.inner.rest.scheduled_workflow_run_create(
                    &self.inner.tenant_id,
                    &workflow,
                    &body,
                )
            })
            .await?;
        convert::scheduled_run(raw).map_err(|reason| decode_failure(op, StatusCode::OK, reason))
    }

    pub(crate) async fn send_list(&self, filter: &ListFilter) -> Result<Page<ScheduledRun>, Error> {
        let op = "workflow-scheduled:list";
        let q = convert::list_query(filter)?;
        let raw = self
            .call(op, || {
                self.inner.rest.workflow_scheduled_list(
                    &self.inner.tenant_id,
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
        convert::page(raw, filter.offset.unwrap_or(0))
            .map_err(|reason| decode_failure(op, StatusCode::OK, reason))
    }

    /// Sends one operation: the single place that retries, traces calls
    /// and turns the generated client's errors into [`Error`].
    async fn call<T, F, Fut>(&self, operation: &'static str, send: F) -> Result<T, Error>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<ResponseValue<T>, hatchet_rest_gen::Error<()>>>,
    {
        let span = tracing::debug_span!(
            "hatchet_scheduled",
            operation,
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        async {
            let started = Instant::now();
            let safety = Safety::of(operation);
            let mut attempt = 1;
            let result = loop {
                let error = match send().await {
                    Ok(value) => break Ok(value.into_inner()),
                    Err(error) => from_rest_error(operation, error).await,
                };
                let Some(delay) =
                    self.inner.retry.next_delay(safety, attempt, started.elapsed(), &error)
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
    ///
    /// ```no_run
    /// # async fn run(client: hatchet_scheduled::ScheduledClient, id: uuid::Uuid) -> Result<(), hatchet_scheduled::Error> {
    /// let run = client.create("nightly-report", chrono::Utc::now()).send().await?;
    /// # Ok(()) }
    /// ```
    pub async fn send(self) -> Result<ScheduledRun, Error> {
        self.client.send_create(self.run).await
    }
}

impl ListBuilder<ScheduledClient> {
    /// Fetches one page.
    ///
    /// ```no_run
    /// # async fn run(client: hatchet_scheduled::ScheduledClient, id: uuid::Uuid) -> Result<(), hatchet_scheduled::Error> {
    /// let page = client.list().limit(5).send().await?;
    /// # Ok(()) }
    /// ```
    pub async fn send(self) -> Result<Page<ScheduledRun>, Error> {
        self.client.send_list(&self.filter).await
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
        let Self { client, filter } = self;
        stream::try_unfold(Some(filter), move |next| {
            let client = client.clone();
            async move {
                let Some(filter) = next else { return Ok(None) };
                let page = client.send_list(&filter).await?;
                let after = filter.after(&page);
                Ok(Some((stream::iter(page.items.into_iter().map(Ok)), after)))
            }
        })
        .try_flatten()
    }
}
