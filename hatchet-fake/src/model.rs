//! What the fake stores, and how it looks on the wire.

use std::{fmt, num::NonZeroU32};

use chrono::{DateTime, SubsecRound, Utc};
use hatchet_rest_gen::types as rest;
use serde_json::{Map, Value};
use uuid::Uuid;

/// How a schedule was made, as Hatchet's `method` field says.
///
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// use hatchet_fake::{FakeHatchet, ScheduleMethod};
/// use hatchet_scheduled::{ClientConfig, ScheduledClient};
///
/// let fake = FakeHatchet::start().await;
/// fake.register_workflow("send-email");
/// let client = ScheduledClient::new(ClientConfig::builder().token(fake.token()).build()?)?;
/// let run = client.create("send-email", fake.now()).send().await?;
/// assert_eq!(run.method, hatchet_scheduled::ScheduleMethod::Api);
/// assert_eq!(fake.schedules()[0].method, ScheduleMethod::Api);
/// # Ok::<(), hatchet_scheduled::Error>(())
/// # }).unwrap();
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScheduleMethod {
    /// `DEFAULT`: declared in a workflow's code definition. The API may
    /// not update or delete it.
    Default,
    /// `API`: created through the REST API.
    Api,
}

impl ScheduleMethod {
    /// The value as Hatchet spells it.
    ///
    /// ```
    /// use hatchet_fake::ScheduleMethod;
    ///
    /// assert_eq!(ScheduleMethod::Api.as_str(), "API");
    /// assert_eq!(ScheduleMethod::Default.as_str(), "DEFAULT");
    /// assert_eq!(ScheduleMethod::Default.to_string(), "DEFAULT");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Default => "DEFAULT",
            Self::Api => "API",
        }
    }
}

impl fmt::Display for ScheduleMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A scheduled run as the fake holds it; see
/// [`FakeHatchet::schedules`](crate::FakeHatchet::schedules).
///
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// use chrono::{TimeZone, Utc};
/// use hatchet_fake::FakeHatchet;
/// use hatchet_scheduled::{ClientConfig, ScheduledClient};
///
/// let fake = FakeHatchet::start().await;
/// fake.register_workflow("send-email");
/// let client = ScheduledClient::new(ClientConfig::builder().token(fake.token()).build()?)?;
/// let due = Utc.with_ymd_and_hms(2040, 1, 1, 9, 0, 0).unwrap();
/// let input = serde_json::json!({"to": "ada@example.com"});
/// client.create("send-email", due).input(&input).priority(3).send().await?;
/// let schedule = &fake.schedules()[0];
/// assert_eq!(schedule.workflow_name, "send-email");
/// assert_eq!(schedule.trigger_at, due);
/// assert_eq!(schedule.input["to"], "ada@example.com");
/// assert_eq!(schedule.priority, 3);
/// assert!(schedule.run.is_none(), "not fired yet");
/// # Ok::<(), hatchet_scheduled::Error>(())
/// # }).unwrap();
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Schedule {
    /// The schedule's id.
    pub id: Uuid,
    /// The workflow it starts.
    pub workflow_id: Uuid,
    /// The workflow's version.
    pub workflow_version_id: Uuid,
    /// The workflow's name.
    pub workflow_name: String,
    /// When it is due (millisecond precision, as the real server stores it).
    pub trigger_at: DateTime<Utc>,
    /// When it was created, by the fake's clock.
    pub created_at: DateTime<Utc>,
    /// When it was last changed, by the fake's clock.
    pub updated_at: DateTime<Utc>,
    /// The input its run receives.
    pub input: Map<String, Value>,
    /// Its additional metadata.
    pub additional_metadata: Map<String, Value>,
    /// Its priority, 1 to 3.
    pub priority: u8,
    /// How it was made.
    pub method: ScheduleMethod,
    /// The parent workflow run that made it, if any.
    pub parent_workflow_run_id: Option<Uuid>,
    /// The parent step run that made it, if any.
    pub parent_step_run_id: Option<Uuid>,
    /// The run it started, once it fired.
    pub run: Option<RunState>,
}

/// The workflow run a fired schedule started, as listings report it.
///
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let fake = hatchet_fake::FakeHatchet::start().await;
/// let id = fake.insert_definition_schedule("nightly", fake.now() - chrono::Duration::minutes(1));
/// let fired = fake.fire_due();
/// let run = fake.schedules()[0].run.clone().unwrap();
/// assert_eq!(run.id, fired[0].run_id);
/// assert_eq!(run.status, "PENDING");
/// assert!(run.name.starts_with("nightly-"));
/// assert!(fake.set_run_status(id, "SUCCEEDED"));
/// assert_eq!(fake.schedules()[0].run.as_ref().unwrap().status, "SUCCEEDED");
/// # });
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RunState {
    /// The run's id.
    pub id: Uuid,
    /// The run's name.
    pub name: String,
    /// The run's status as Hatchet spells it (`PENDING` when fired; change
    /// it with [`FakeHatchet::set_run_status`](crate::FakeHatchet::set_run_status)).
    pub status: String,
    /// When the run was created, by the fake's clock.
    pub created_at: DateTime<Utc>,
}

/// A workflow run the fake started, by [`FakeHatchet::fire_due`](crate::FakeHatchet::fire_due)
/// or by a trigger-now request.
///
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let fake = hatchet_fake::FakeHatchet::start().await;
/// let id = fake.insert_definition_schedule("nightly", fake.now() + chrono::Duration::hours(1));
/// fake.advance_time(std::time::Duration::from_secs(2 * 3600));
/// let fired = fake.fire_due();
/// assert_eq!(fired[0].schedule_id, id);
/// assert_eq!(fired[0].workflow_name, "nightly");
/// assert!(fired[0].started_at > fired[0].trigger_at, "fired an hour late");
/// assert_eq!(fake.started_runs(), fired);
/// # });
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct FiredRun {
    /// The schedule that started it.
    pub schedule_id: Uuid,
    /// The new workflow run's id (what trigger-now answers as `externalId`).
    pub run_id: Uuid,
    /// The workflow it runs.
    pub workflow_name: String,
    /// The input it received.
    pub input: Map<String, Value>,
    /// The additional metadata it carries.
    pub additional_metadata: Map<String, Value>,
    /// When the schedule was due.
    pub trigger_at: DateTime<Utc>,
    /// When it started, by the fake's clock.
    pub started_at: DateTime<Utc>,
}

impl FiredRun {
    pub(crate) fn new(schedule: &Schedule, run_id: Uuid, started_at: DateTime<Utc>) -> Self {
        Self {
            schedule_id: schedule.id,
            run_id,
            workflow_name: schedule.workflow_name.clone(),
            input: schedule.input.clone(),
            additional_metadata: schedule.additional_metadata.clone(),
            trigger_at: schedule.trigger_at,
            started_at,
        }
    }
}

/// A time as a `TIMESTAMP(3)` column keeps it: rounded to milliseconds.
pub(crate) fn stored_time(at: DateTime<Utc>) -> DateTime<Utc> {
    at.round_subsecs(3)
}

/// The wire form of a schedule.
pub(crate) fn to_rest(schedule: &Schedule, tenant_id: Uuid) -> rest::ScheduledWorkflows {
    let run = schedule.run.as_ref();
    rest::ScheduledWorkflows {
        additional_metadata: Some(schedule.additional_metadata.clone()),
        input: Some(schedule.input.clone()),
        metadata: rest::ApiResourceMeta {
            created_at: schedule.created_at,
            id: schedule
                .id
                .to_string()
                .parse()
                .expect("a hyphenated UUID is 36 characters"),
            updated_at: schedule.updated_at,
        },
        method: rest::ScheduledWorkflowsMethod(schedule.method.as_str().to_owned()),
        priority: NonZeroU32::new(schedule.priority.into()),
        tenant_id: tenant_id.to_string(),
        trigger_at: schedule.trigger_at,
        workflow_id: schedule.workflow_id.to_string(),
        workflow_name: schedule.workflow_name.clone(),
        workflow_run_created_at: run.map(|r| r.created_at),
        workflow_run_id: run.map(|r| r.id),
        workflow_run_name: run.map(|r| r.name.clone()),
        workflow_run_status: run.map(|r| rest::WorkflowRunStatus(r.status.clone())),
        workflow_version_id: schedule.workflow_version_id.to_string(),
    }
}
