//! What the fake stores, and how it looks on the wire.

use std::fmt;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::{Cron, go_time};

/// How a schedule or cron was made, as Hatchet's `method` field says.
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
    /// not update or delete such a schedule (it may a cron).
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
/// [`FakeHatchet::schedules`](crate::FakeHatchet::schedules). A schedule
/// that fired is gone: what fired is in
/// [`FakeHatchet::started_runs`](crate::FakeHatchet::started_runs).
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
/// assert_eq!(schedule.additional_metadata, Some(serde_json::Map::new()));
/// assert_eq!(schedule.priority, 3);
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
    /// When it was last changed, by the fake's clock. Rescheduling does not
    /// change it: the server's update sets only the trigger time.
    pub updated_at: DateTime<Utc>,
    /// The input its run receives (empty when none was given).
    pub input: Map<String, Value>,
    /// Its additional metadata; `None` when the column is NULL (schedules
    /// from workflow definitions, or created without metadata), which the
    /// server answers as `"additionalMetadata": null`.
    pub additional_metadata: Option<Map<String, Value>>,
    /// Its priority, 1 to 3.
    pub priority: u8,
    /// How it was made.
    pub method: ScheduleMethod,
    /// The parent workflow run that made it, if any (never set through the
    /// REST API; the `parentWorkflowRunId` filter does not read it).
    pub parent_workflow_run_id: Option<Uuid>,
    /// The parent step run that made it, if any (never set through the REST
    /// API).
    pub parent_step_run_id: Option<Uuid>,
}

/// A workflow run the fake started, by [`FakeHatchet::fire_due`](crate::FakeHatchet::fire_due)
/// or by a trigger-now request, from a schedule (which is then deleted) or
/// from a cron (which stays).
///
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let fake = hatchet_fake::FakeHatchet::start().await;
/// let id = fake.insert_definition_schedule("nightly", fake.now() + chrono::Duration::hours(1));
/// let cron_id = fake.insert_definition_cron("hourly", "0 * * * *");
/// fake.advance_time(std::time::Duration::from_secs(2 * 3600));
/// let fired = fake.fire_due();
/// use hatchet_fake::StartedBy;
/// let from_schedule = fired.iter().find(|run| run.started_by == StartedBy::Schedule(id)).unwrap();
/// assert_eq!(from_schedule.workflow_name, "nightly");
/// assert!(from_schedule.started_at > from_schedule.trigger_at, "fired an hour late");
/// let from_cron: Vec<_> = fired.iter().filter(|run| run.started_by == StartedBy::Cron(cron_id)).collect();
/// assert_eq!(from_cron.len(), 2, "one run per hour that came");
/// assert_eq!(fake.started_runs(), fired);
/// assert!(fake.schedules().is_empty(), "firing deleted the schedule");
/// assert_eq!(fake.crons().len(), 1, "and kept the cron");
/// # });
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct FiredRun {
    /// The schedule (now deleted) or the cron that started it.
    pub started_by: StartedBy,
    /// The new workflow run's id (what trigger-now answers as `externalId`).
    pub run_id: Uuid,
    /// The workflow it runs.
    pub workflow_name: String,
    /// The input it received.
    pub input: Map<String, Value>,
    /// The additional metadata it carries (empty when the schedule or cron
    /// had none).
    pub additional_metadata: Map<String, Value>,
    /// The priority it runs with: the schedule's or the cron's.
    pub priority: u8,
    /// When it was due: the schedule's trigger time, the cron's occurrence,
    /// or, triggered now, the time of the request.
    pub trigger_at: DateTime<Utc>,
    /// When it started, by the fake's clock.
    pub started_at: DateTime<Utc>,
}

/// The metadata keys a cron's run carries besides the cron's own
/// (`pkg/constants/metadata.go`).
pub const CRON_EXPRESSION_KEY: &str = "hatchet__cron_expression";
/// See [`CRON_EXPRESSION_KEY`]: when the run was due, RFC 3339 in UTC, to
/// the second.
pub const CRON_SCHEDULED_AT_KEY: &str = "hatchet__cron_scheduled_at";
/// See [`CRON_EXPRESSION_KEY`]: the cron's name.
pub const CRON_NAME_KEY: &str = "hatchet__cron_name";

/// What started a [`FiredRun`], by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum StartedBy {
    /// A scheduled run, which firing deleted.
    Schedule(Uuid),
    /// A cron trigger, which stays.
    Cron(Uuid),
}

impl FiredRun {
    pub(crate) fn new(schedule: Schedule, run_id: Uuid, started_at: DateTime<Utc>) -> Self {
        Self {
            started_by: StartedBy::Schedule(schedule.id),
            run_id,
            workflow_name: schedule.workflow_name,
            input: schedule.input,
            additional_metadata: schedule.additional_metadata.unwrap_or_default(),
            priority: schedule.priority,
            trigger_at: schedule.trigger_at,
            started_at,
        }
    }

    /// A run of `cron`'s workflow with its input, metadata and priority,
    /// its metadata extended as `RunCronWorkflow`
    /// (`internal/services/ticker/cron_v1.go`) extends it: the cron's
    /// expression, the time it was due to the second, and its name. The
    /// ticker names a cron without one `""`; trigger-now leaves the name
    /// out then.
    pub(crate) fn from_cron(
        cron: &Cron,
        trigger_at: DateTime<Utc>,
        run_id: Uuid,
        started_at: DateTime<Utc>,
        by_ticker: bool,
    ) -> Self {
        let mut additional_metadata = cron.additional_metadata.clone().unwrap_or_default();
        additional_metadata.insert(CRON_EXPRESSION_KEY.into(), cron.expression.clone().into());
        additional_metadata.insert(
            CRON_SCHEDULED_AT_KEY.into(),
            trigger_at.format("%Y-%m-%dT%H:%M:%SZ").to_string().into(),
        );
        match (&cron.name, by_ticker) {
            (Some(name), _) => {
                additional_metadata.insert(CRON_NAME_KEY.into(), name.clone().into());
            }
            (None, true) => {
                additional_metadata.insert(CRON_NAME_KEY.into(), "".into());
            }
            (None, false) => {}
        }
        Self {
            started_by: StartedBy::Cron(cron.id),
            run_id,
            workflow_name: cron.workflow_name.clone(),
            input: cron.input.clone(),
            additional_metadata,
            priority: cron.priority,
            trigger_at,
            started_at,
        }
    }
}

/// A schedule as `ToScheduledWorkflowsFromSQLC`
/// (`api/v1/server/oas/transformers/workflow_run.go`) writes it: every
/// field present, `additionalMetadata` `null` for a NULL column, and, as no
/// schedule the fake holds has a run, the run's time as Go's zero time, its
/// name empty and no run id or status. Times are Go's RFC3339Nano.
pub(crate) fn to_wire(schedule: &Schedule, tenant_id: Uuid) -> Value {
    json!({
        "additionalMetadata": schedule.additional_metadata,
        "input": schedule.input,
        "metadata": {
            "createdAt": go_time::print(schedule.created_at),
            "id": schedule.id,
            "updatedAt": go_time::print(schedule.updated_at),
        },
        "method": schedule.method.as_str(),
        "priority": schedule.priority,
        "tenantId": tenant_id,
        "triggerAt": go_time::print(schedule.trigger_at),
        "workflowId": schedule.workflow_id,
        "workflowName": schedule.workflow_name,
        "workflowRunCreatedAt": GO_ZERO_TIME,
        "workflowRunName": "",
        "workflowVersionId": schedule.workflow_version_id,
    })
}

/// How Go prints a zero `time.Time`.
const GO_ZERO_TIME: &str = "0001-01-01T00:00:00Z";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wire_row_has_every_field_the_transformer_writes() {
        let at = "2040-01-01T10:00:00.120Z".parse().unwrap();
        let schedule = Schedule {
            id: Uuid::from_u128(1),
            workflow_id: Uuid::from_u128(2),
            workflow_version_id: Uuid::from_u128(3),
            workflow_name: "nightly".into(),
            trigger_at: at,
            created_at: at,
            updated_at: at,
            input: Map::new(),
            additional_metadata: None,
            priority: 1,
            method: ScheduleMethod::Default,
            parent_workflow_run_id: None,
            parent_step_run_id: None,
        };
        assert_eq!(
            to_wire(&schedule, Uuid::from_u128(4)),
            json!({
                "additionalMetadata": null,
                "input": {},
                "metadata": {
                    "createdAt": "2040-01-01T10:00:00.12Z",
                    "id": "00000000-0000-0000-0000-000000000001",
                    "updatedAt": "2040-01-01T10:00:00.12Z"
                },
                "method": "DEFAULT",
                "priority": 1,
                "tenantId": "00000000-0000-0000-0000-000000000004",
                "triggerAt": "2040-01-01T10:00:00.12Z",
                "workflowId": "00000000-0000-0000-0000-000000000002",
                "workflowName": "nightly",
                "workflowRunCreatedAt": "0001-01-01T00:00:00Z",
                "workflowRunName": "",
                "workflowVersionId": "00000000-0000-0000-0000-000000000003"
            })
        );
    }
}
