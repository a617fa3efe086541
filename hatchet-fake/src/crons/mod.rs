//! Cron triggers: what the fake stores and how a cron looks on the wire
//! (here), the operations on them (`store`), their listing (`listing`),
//! their firing (`firing`) and the handlers of their six endpoints
//! (`handlers`).

mod firing;
pub(crate) mod handlers;
mod listing;
mod store;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::{ScheduleMethod, go_time};

pub(crate) use store::NewCron;

/// A cron trigger as the fake holds it; see
/// [`FakeHatchet::crons`](crate::FakeHatchet::crons). What it fired is in
/// [`FakeHatchet::started_runs`](crate::FakeHatchet::started_runs).
///
/// ```
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// use hatchet_fake::{FakeHatchet, ScheduleMethod};
/// use hatchet_scheduled::{ClientConfig, ScheduledClient};
///
/// let fake = FakeHatchet::start().await;
/// fake.register_workflow("send-report");
/// let client = ScheduledClient::new(ClientConfig::builder().token(fake.token()).build()?)?;
/// let crons = client.crons();
/// let nightly = crons.create("send-report", "nightly", "0 2 * * *").priority(2).send().await?;
/// crons.pause(nightly.id).await?;
/// let cron = &fake.crons()[0];
/// assert_eq!((cron.id, cron.name.as_deref()), (nightly.id, Some("nightly")));
/// assert_eq!(cron.expression, "0 2 * * *");
/// assert!(!cron.enabled);
/// assert_eq!((cron.priority, cron.method), (2, ScheduleMethod::Api));
/// # Ok::<(), hatchet_scheduled::Error>(())
/// # }).unwrap();
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Cron {
    /// The cron's id.
    pub id: Uuid,
    /// The workflow it starts.
    pub workflow_id: Uuid,
    /// The workflow's version.
    pub workflow_version_id: Uuid,
    /// The workflow's name.
    pub workflow_name: String,
    /// Its name; `None` for a code-defined cron, which has none (the server
    /// answers `"name": ""`).
    pub name: Option<String>,
    /// Its expression, exactly as written. The server stores any text: it
    /// checks expressions only when its ticker schedules them (see
    /// [`FakeHatchet::fire_due`](crate::FakeHatchet::fire_due)).
    pub expression: String,
    /// Whether it fires; pausing and resuming set it.
    pub enabled: bool,
    /// The input its runs receive (empty when none was given).
    pub input: Map<String, Value>,
    /// Its additional metadata; `None` when the column is NULL (crons from
    /// workflow definitions, or created without metadata), which the server
    /// answers as `"additionalMetadata": null`.
    pub additional_metadata: Option<Map<String, Value>>,
    /// Its priority: 1 to 4, as the database's check constraint allows.
    pub priority: u8,
    /// How it was made.
    pub method: ScheduleMethod,
    /// When it was created, by the fake's clock.
    pub created_at: DateTime<Utc>,
    /// When it was last changed, by the fake's clock. Pausing and resuming
    /// do not change it: the server's update sets only `enabled`.
    pub updated_at: DateTime<Utc>,
}

/// A cron and what the fake keeps beside it.
#[derive(Debug, Clone)]
pub(crate) struct StoredCron {
    pub(crate) cron: Cron,
    /// Its `parentId`: the `WorkflowTriggers` row of its workflow's
    /// version, which scopes its name and expression and orders listing
    /// ties.
    pub(crate) parent_id: Uuid,
    /// Its occurrences after this time have not fired yet.
    pub(crate) fires_after: DateTime<Utc>,
}

/// A cron as `ToCronWorkflowsFromSQLC`
/// (`api/v1/server/oas/transformers/workflow_run.go`) writes it: every
/// field present, `additionalMetadata` `null` for a NULL column, `input`
/// at least `{}`, `name` `""` when it has none, the cron's own id and
/// times in `metadata`. Times are Go's RFC3339Nano.
pub(crate) fn to_wire(cron: &Cron, tenant_id: Uuid) -> Value {
    json!({
        "additionalMetadata": cron.additional_metadata,
        "cron": cron.expression,
        "enabled": cron.enabled,
        "input": cron.input,
        "metadata": {
            "createdAt": go_time::print(cron.created_at),
            "id": cron.id,
            "updatedAt": go_time::print(cron.updated_at),
        },
        "method": cron.method.as_str(),
        "name": cron.name.as_deref().unwrap_or_default(),
        "priority": cron.priority,
        "tenantId": tenant_id,
        "workflowId": cron.workflow_id,
        "workflowName": cron.workflow_name,
        "workflowVersionId": cron.workflow_version_id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wire_row_has_every_field_the_transformer_writes() {
        let at = "2040-01-01T10:00:00.120Z".parse().unwrap();
        let cron = Cron {
            id: Uuid::from_u128(1),
            workflow_id: Uuid::from_u128(2),
            workflow_version_id: Uuid::from_u128(3),
            workflow_name: "nightly".into(),
            name: None,
            expression: "0 2 * * *".into(),
            enabled: true,
            input: Map::new(),
            additional_metadata: None,
            priority: 1,
            method: ScheduleMethod::Default,
            created_at: at,
            updated_at: at,
        };
        assert_eq!(
            to_wire(&cron, Uuid::from_u128(4)),
            json!({
                "additionalMetadata": null,
                "cron": "0 2 * * *",
                "enabled": true,
                "input": {},
                "metadata": {
                    "createdAt": "2040-01-01T10:00:00.12Z",
                    "id": "00000000-0000-0000-0000-000000000001",
                    "updatedAt": "2040-01-01T10:00:00.12Z"
                },
                "method": "DEFAULT",
                "name": "",
                "priority": 1,
                "tenantId": "00000000-0000-0000-0000-000000000004",
                "workflowId": "00000000-0000-0000-0000-000000000002",
                "workflowName": "nightly",
                "workflowVersionId": "00000000-0000-0000-0000-000000000003"
            })
        );
    }
}
