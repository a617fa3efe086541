//! What the fake stores, and how it looks on the wire.

use std::{fmt, num::NonZeroU32};

use chrono::{DateTime, SubsecRound, Utc};
use hatchet_rest_gen::types as rest;
use serde_json::{Map, Value};
use uuid::Uuid;

/// How a schedule was made, as Hatchet's `method` field says.
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
        additional_metadata: schedule.additional_metadata.clone(),
        input: schedule.input.clone(),
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
