#![doc = include_str!("../README.md")]
#![doc = include_str!("rules.md")]
#![warn(missing_docs)]

mod auth;
mod bind;
mod body;
mod bulk;
mod clock;
mod crons;
mod faults;
mod gate;
mod go_time;
mod go_uuid;
mod handlers;
mod jwt;
mod listing;
mod lookup;
mod model;
mod operation;
mod pagination;
mod query;
mod reply;
mod router;
mod runs;
mod server;
mod state;
mod workflows;

use std::{fmt, net::SocketAddr, sync::Arc, time::Duration};

use chrono::{DateTime, TimeZone, Utc};
use serde_json::Map;
use uuid::Uuid;

pub use crons::Cron;
pub use faults::Fault;
pub use model::{
    CRON_EXPRESSION_KEY, CRON_NAME_KEY, CRON_SCHEDULED_AT_KEY, FiredRun, Schedule, ScheduleMethod,
    StartedBy,
};
pub use operation::Operation;

use crate::{
    crons::NewCron,
    server::Running,
    state::{NewSchedule, Shared, State},
};

/// A running fake Hatchet server, for one tenant. Stops when dropped or
/// [`shutdown`](Self::shutdown). (Dropping needs no code of its own: the
/// server and every held request wait on the stop signal, whose sender
/// closing ends them as sending it does.)
///
/// It answers as Hatchet's server does; the [crate docs](crate#server-rules)
/// list every rule with the server source it comes from and the test that
/// pins it.
///
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// use hatchet_fake::FakeHatchet;
/// use hatchet_scheduled::{ClientConfig, Error, ScheduledClient};
///
/// let fake = FakeHatchet::start().await;
/// let client = ScheduledClient::new(ClientConfig::builder().token(fake.token()).build()?)?;
/// let error = client.create("unregistered", fake.now()).send().await.unwrap_err();
/// assert!(matches!(error, Error::BadRequest(_)));
/// assert_eq!(error.api_errors()[0].description, "workflow not found");
/// assert!(client.get(uuid::Uuid::new_v4()).await.unwrap_err().is_not_found());
/// # Ok::<(), hatchet_scheduled::Error>(())
/// # }).unwrap();
/// ```
pub struct FakeHatchet {
    shared: Arc<Shared>,
    address: SocketAddr,
    base_url: String,
    tenant_id: Uuid,
    stop: tokio::sync::watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl fmt::Debug for FakeHatchet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FakeHatchet")
            .field("base_url", &self.base_url)
            .field("tenant_id", &self.tenant_id)
            .finish_non_exhaustive()
    }
}

impl FakeHatchet {
    /// Starts a fake on a free port of `127.0.0.1`, serving on the current
    /// Tokio runtime, with a new tenant.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// use hatchet_fake::FakeHatchet;
    ///
    /// let fake = FakeHatchet::start().await;
    /// assert!(fake.address().ip().is_loopback());
    /// assert!(fake.schedules().is_empty());
    /// assert_ne!(FakeHatchet::start().await.tenant_id(), fake.tenant_id());
    /// # });
    /// ```
    ///
    /// # Panics
    /// Outside a Tokio runtime, or if no local port can be bound; see
    /// [`try_start`](Self::try_start).
    pub async fn start() -> Self {
        Self::try_start()
            .await
            .unwrap_or_else(|e| panic!("cannot start the fake Hatchet server: {e}"))
    }

    /// [`start`](Self::start), returning a bind failure instead of panicking.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let fake = hatchet_fake::FakeHatchet::try_start().await?;
    /// assert!(fake.base_url().starts_with("http://127.0.0.1:"));
    /// # Ok::<(), std::io::Error>(())
    /// # }).unwrap();
    /// ```
    pub async fn try_start() -> std::io::Result<Self> {
        let tenant_id = Uuid::new_v4();
        let issued_at = Utc::now().timestamp();
        let Running {
            address,
            shared,
            stop,
            task,
        } = server::start(State::new(tenant_id), |url| {
            jwt::mint(tenant_id, url, issued_at)
        })
        .await?;
        Ok(Self {
            shared,
            address,
            base_url: format!("http://{address}"),
            tenant_id,
            stop,
            task,
        })
    }

    /// The server's base URL, `http://127.0.0.1:<port>`, without a
    /// trailing `/`.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let fake = hatchet_fake::FakeHatchet::start().await;
    /// assert_eq!(fake.base_url(), format!("http://{}", fake.address()));
    /// assert!(!fake.base_url().ends_with('/'));
    /// # });
    /// ```
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The address the server listens on.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let fake = hatchet_fake::FakeHatchet::start().await;
    /// assert_eq!(fake.address().ip(), std::net::Ipv4Addr::LOCALHOST);
    /// assert_ne!(fake.address().port(), 0);
    /// # });
    /// ```
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The tenant every request must be for.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let fake = hatchet_fake::FakeHatchet::start().await;
    /// let http = reqwest::Client::new();
    /// // Another tenant does not exist here: Hatchet answers 404 "not found".
    /// for (tenant, status) in [(fake.tenant_id(), 200), (uuid::Uuid::new_v4(), 404)] {
    ///     let url = format!("{}/api/v1/tenants/{tenant}/workflows/scheduled", fake.base_url());
    ///     let answer = http.get(url).bearer_auth(fake.token()).send().await?;
    ///     assert_eq!(answer.status(), status);
    /// }
    /// # Ok::<(), reqwest::Error>(())
    /// # }).unwrap();
    /// ```
    pub fn tenant_id(&self) -> Uuid {
        self.tenant_id
    }

    /// The API token the fake accepts: an unsigned JWT whose claims carry
    /// `sub` (the tenant) and `server_url` (the base URL), so a client
    /// configured with only this token finds the fake.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let fake = hatchet_fake::FakeHatchet::start().await;
    /// let config = hatchet_scheduled::ClientConfig::builder().token(fake.token()).build()?;
    /// assert_eq!(config.server_url(), fake.base_url());
    /// assert_eq!(config.tenant_id(), fake.tenant_id());
    /// # Ok::<(), hatchet_scheduled::Error>(())
    /// # }).unwrap();
    /// ```
    pub fn token(&self) -> &str {
        &self.shared.token
    }

    /// Registers a workflow so schedules of it can be created; returns its
    /// id. Registering a name again returns the same id.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// use hatchet_fake::FakeHatchet;
    /// use hatchet_scheduled::{ClientConfig, ScheduledClient};
    ///
    /// let fake = FakeHatchet::start().await;
    /// let workflow_id = fake.register_workflow("send-email");
    /// assert_eq!(fake.register_workflow("send-email"), workflow_id);
    /// let client = ScheduledClient::new(ClientConfig::builder().token(fake.token()).build()?)?;
    /// let run = client.create("send-email", fake.now()).send().await?;
    /// assert_eq!(run.workflow_id, workflow_id);
    /// # Ok::<(), hatchet_scheduled::Error>(())
    /// # }).unwrap();
    /// ```
    pub fn register_workflow(&self, name: &str) -> Uuid {
        self.shared.lock().register_workflow(name)
    }

    /// Adds a schedule as a workflow's code definition declares one
    /// (`method: DEFAULT`), which the API may list and trigger but not update
    /// or delete. Like those, it has no metadata: the server answers
    /// `"additionalMetadata": null` for it. Registers the workflow if needed;
    /// returns the schedule id.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// use hatchet_fake::{FakeHatchet, ScheduleMethod};
    ///
    /// let fake = FakeHatchet::start().await;
    /// let id = fake.insert_definition_schedule("nightly", fake.now() + chrono::Duration::hours(3));
    /// assert_eq!(fake.schedules()[0].id, id);
    /// assert_eq!(fake.schedules()[0].method, ScheduleMethod::Default);
    /// assert_eq!(fake.schedules()[0].additional_metadata, None);
    /// # });
    /// ```
    pub fn insert_definition_schedule<Tz: TimeZone>(
        &self,
        workflow: &str,
        trigger_at: DateTime<Tz>,
    ) -> Uuid {
        let mut state = self.shared.lock();
        state.register_workflow(workflow);
        let new = NewSchedule {
            trigger_at: trigger_at.with_timezone(&Utc),
            input: Map::new(),
            additional_metadata: None,
            priority: 1,
        };
        state
            .insert(workflow, new, ScheduleMethod::Default)
            .map(|schedule| schedule.id)
            .expect("the workflow was just registered")
    }

    /// Every schedule the fake holds, in trigger-time order (ties by id).
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// use chrono::Duration;
    ///
    /// let fake = hatchet_fake::FakeHatchet::start().await;
    /// let now = fake.now();
    /// let later = fake.insert_definition_schedule("nightly", now + Duration::hours(2));
    /// let sooner = fake.insert_definition_schedule("hourly", now + Duration::hours(1));
    /// let ids: Vec<_> = fake.schedules().iter().map(|s| s.id).collect();
    /// assert_eq!(ids, [sooner, later]);
    /// # });
    /// ```
    pub fn schedules(&self) -> Vec<Schedule> {
        let state = self.shared.lock();
        let mut schedules: Vec<Schedule> = state.schedules.values().cloned().collect();
        schedules.sort_by_key(|s| (s.trigger_at, s.id));
        schedules
    }

    /// Adds a cron as a workflow's code definition declares one
    /// (`method: DEFAULT`): enabled, without a name, input or metadata
    /// (`"additionalMetadata": null`), priority 1. The API may list, pause,
    /// resume, trigger and delete it. The expression is stored as written,
    /// as the server stores any; [`fire_due`](Self::fire_due) says what
    /// becomes of one its ticker cannot schedule. Registers the workflow if
    /// needed; returns the cron id.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// use hatchet_fake::{FakeHatchet, ScheduleMethod};
    ///
    /// let fake = FakeHatchet::start().await;
    /// let id = fake.insert_definition_cron("nightly", "0 2 * * *");
    /// let cron = &fake.crons()[0];
    /// assert_eq!((cron.id, cron.method), (id, ScheduleMethod::Default));
    /// assert_eq!((&cron.name, &cron.additional_metadata), (&None, &None));
    /// # });
    /// ```
    pub fn insert_definition_cron(&self, workflow: &str, expression: &str) -> Uuid {
        let mut state = self.shared.lock();
        state.register_workflow(workflow);
        let new = NewCron {
            name: None,
            expression: expression.to_owned(),
            input: Map::new(),
            additional_metadata: None,
            priority: 1,
        };
        state
            .insert_cron(workflow, new, ScheduleMethod::Default)
            .map(|cron| cron.id)
            .expect("the workflow was just registered")
    }

    /// Every cron the fake holds, oldest first (ties by id).
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let fake = hatchet_fake::FakeHatchet::start().await;
    /// let first = fake.insert_definition_cron("nightly", "0 2 * * *");
    /// fake.advance_time(std::time::Duration::from_secs(1));
    /// let second = fake.insert_definition_cron("hourly", "0 * * * *");
    /// let ids: Vec<_> = fake.crons().iter().map(|c| c.id).collect();
    /// assert_eq!(ids, [first, second]);
    /// # });
    /// ```
    pub fn crons(&self) -> Vec<Cron> {
        let state = self.shared.lock();
        let mut crons: Vec<Cron> = state.crons.values().map(|c| c.cron.clone()).collect();
        crons.sort_by_key(|c| (c.created_at, c.id));
        crons
    }

    /// Every workflow run the fake started, by [`fire_due`](Self::fire_due)
    /// or by a trigger-now request of a schedule or cron, oldest first.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// use hatchet_fake::FakeHatchet;
    /// use hatchet_scheduled::{ClientConfig, ScheduledClient};
    ///
    /// let fake = FakeHatchet::start().await;
    /// fake.register_workflow("send-email");
    /// let client = ScheduledClient::new(ClientConfig::builder().token(fake.token()).build()?)?;
    /// let schedule = client.create("send-email", fake.now()).send().await?;
    /// let run_id = client.trigger_now(schedule.id).await?;
    /// let started = fake.started_runs();
    /// assert_eq!((started[0].started_by, started[0].run_id), (hatchet_fake::StartedBy::Schedule(schedule.id), run_id));
    /// assert!(fake.schedules().is_empty(), "a triggered schedule is gone");
    /// # Ok::<(), hatchet_scheduled::Error>(())
    /// # }).unwrap();
    /// ```
    pub fn started_runs(&self) -> Vec<FiredRun> {
        self.shared.lock().runs.clone()
    }

    /// The fake's current time: the real time plus every
    /// [`advance_time`](Self::advance_time).
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// use chrono::Utc;
    ///
    /// let fake = hatchet_fake::FakeHatchet::start().await;
    /// let before = Utc::now();
    /// let now = fake.now();
    /// assert!(before <= now && now <= Utc::now(), "the real time, until advanced");
    /// fake.advance_time(std::time::Duration::from_secs(3600));
    /// assert!(fake.now() >= now + chrono::Duration::hours(1));
    /// # });
    /// ```
    pub fn now(&self) -> DateTime<Utc> {
        self.shared.lock().clock.now()
    }

    /// Moves the fake's clock forward. Nothing fires by itself, neither
    /// schedules nor crons; call [`fire_due`](Self::fire_due).
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let fake = hatchet_fake::FakeHatchet::start().await;
    /// let id = fake.insert_definition_schedule("nightly", fake.now() + chrono::Duration::minutes(30));
    /// fake.advance_time(std::time::Duration::from_secs(3600));
    /// assert_eq!(fake.schedules()[0].id, id, "nothing fires by itself");
    /// assert_eq!(fake.fire_due()[0].started_by, hatchet_fake::StartedBy::Schedule(id));
    /// # });
    /// ```
    pub fn advance_time(&self, by: Duration) {
        self.shared.lock().clock.advance(by);
    }

    /// Moves the fake's clock forward to `at`; does nothing if `at` is
    /// not in the future.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// use chrono::{Duration, Utc};
    ///
    /// let fake = hatchet_fake::FakeHatchet::start().await;
    /// let target = Utc::now() + Duration::days(30);
    /// fake.advance_to(target);
    /// assert!(fake.now() >= target);
    /// fake.advance_to(target - Duration::days(1)); // in the fake's past: no change
    /// assert!(fake.now() >= target);
    /// # });
    /// ```
    pub fn advance_to<Tz: TimeZone>(&self, at: DateTime<Tz>) {
        let mut state = self.shared.lock();
        if let Ok(ahead) = (at.with_timezone(&Utc) - state.clock.now()).to_std() {
            state.clock.advance(ahead);
        }
    }

    /// Fires every schedule and cron due by the fake's clock, earliest
    /// first, and returns the runs started.
    ///
    /// As Hatchet's ticker does, firing deletes each schedule: afterwards
    /// get, update, delete and trigger answer 404, no listing shows it and
    /// bulk operations report it per item.
    ///
    /// A cron stays, and fires once per occurrence that has come since it
    /// was created, resumed or last checked, as a server running all along
    /// would, each run due at its occurrence. The fake reads the fields in
    /// UTC: it has no time-zone database, so a `CRON_TZ=` or `TZ=` zone is
    /// not honoured. Paused crons do not fire, and a resumed one fires
    /// from its first occurrence after the resume: missed ones are not
    /// caught up. A clock jump past more than 1,000 occurrences of one cron
    /// fires the first 1,000 and drops the rest, as the ticker's scheduler
    /// (gocron) drops runs it missed while not running. As the ticker does,
    /// firing deletes a cron whose expression it cannot schedule (one the
    /// server's cron parser refuses, or that never matches, such as
    /// `0 0 30 2 *`); a descriptor such as `@daily`, which the ticker
    /// would fire, is kept and never fired by the fake.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// use chrono::{Duration, TimeZone, Utc};
    /// use hatchet_fake::StartedBy;
    ///
    /// let fake = hatchet_fake::FakeHatchet::start().await;
    /// fake.advance_to(Utc.with_ymd_and_hms(2040, 1, 1, 0, 0, 0).unwrap());
    /// let id = fake.insert_definition_schedule("nightly", fake.now() + Duration::hours(3));
    /// let cron = fake.insert_definition_cron("hourly", "30 * * * *");
    /// assert!(fake.fire_due().is_empty());
    /// fake.advance_time(std::time::Duration::from_secs(4 * 3600));
    /// let fired = fake.fire_due();
    /// assert_eq!(fired.len(), 5, "four half-past occurrences and the schedule");
    /// assert_eq!(fired[3].started_by, StartedBy::Schedule(id), "earliest first: due at 03:00");
    /// assert_eq!(fired.iter().filter(|run| run.started_by == StartedBy::Cron(cron)).count(), 4);
    /// assert!(fake.schedules().is_empty(), "the schedule is gone");
    /// assert_eq!(fake.crons()[0].id, cron, "the cron stays");
    /// assert_eq!(fake.started_runs(), fired);
    /// # });
    /// ```
    pub fn fire_due(&self) -> Vec<FiredRun> {
        self.shared.lock().fire_due()
    }

    /// Makes the next matching request(s) answer as `fault` says. Faults
    /// queue up; each request uses the oldest one that applies to it.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// use hatchet_fake::{FakeHatchet, Fault, Operation};
    ///
    /// let fake = FakeHatchet::start().await;
    /// fake.fail_next(Fault::rate_limited(7).only(Operation::List).times(2));
    /// fake.fail_next(Fault::bad_gateway_html());
    /// # });
    /// ```
    pub fn fail_next(&self, fault: Fault) {
        self.shared.lock().faults.push(fault);
    }

    /// Drops every fault not used yet.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// use hatchet_fake::{FakeHatchet, Fault};
    /// use hatchet_scheduled::{ClientConfig, ScheduledClient};
    ///
    /// let fake = FakeHatchet::start().await;
    /// let client = ScheduledClient::new(ClientConfig::builder().token(fake.token()).build()?)?;
    /// fake.fail_next(Fault::unavailable().times(5));
    /// fake.clear_faults();
    /// assert!(client.list().send().await?.items.is_empty());
    /// assert_eq!(fake.requests().len(), 1, "answered at the first attempt");
    /// # Ok::<(), hatchet_scheduled::Error>(())
    /// # }).unwrap();
    /// ```
    pub fn clear_faults(&self) {
        self.shared.lock().faults.clear();
    }

    /// The operations requested so far, in arrival order, whatever they
    /// were answered (faults and refused credentials included).
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// use hatchet_fake::{FakeHatchet, Operation};
    /// use hatchet_scheduled::{ClientConfig, ScheduledClient};
    ///
    /// let fake = FakeHatchet::start().await;
    /// let client = ScheduledClient::new(ClientConfig::builder().token(fake.token()).build()?)?;
    /// client.list().send().await?;
    /// assert!(client.get(uuid::Uuid::new_v4()).await.unwrap_err().is_not_found());
    /// assert_eq!(fake.requests(), [Operation::List, Operation::Get]);
    /// # Ok::<(), hatchet_scheduled::Error>(())
    /// # }).unwrap();
    /// ```
    pub fn requests(&self) -> Vec<Operation> {
        self.shared.lock().requests.clone()
    }

    /// Stops the server and waits until it has stopped. Requests held by a
    /// [`Fault::hang`] are cut short.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let fake = hatchet_fake::FakeHatchet::start().await;
    /// let url = format!("{}/api/v1/tenants/{}/workflows/scheduled", fake.base_url(), fake.tenant_id());
    /// assert_eq!(reqwest::get(&url).await?.status(), 403);
    /// fake.shutdown().await;
    /// assert!(reqwest::get(&url).await.is_err(), "nothing listens any more");
    /// # Ok::<(), reqwest::Error>(())
    /// # }).unwrap();
    /// ```
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}
