//! Every conversion between the facade's types and the generated ones.
//!
//! Kept in one module so that regenerating the bindings can only break
//! this file, and the public API never shows a generated type.

use std::num::NonZeroU32;

use chrono::{DateTime, Utc};
use hatchet_rest_gen::types as rest;
use uuid::Uuid;

use crate::{
    BulkDeleteFilter, BulkItemError, Error, Page, ScheduleMethod, ScheduledOrderField,
    ScheduledRun, ScheduledRunStatus, SortDirection, StartedRun, create::NewRun, list::Listing,
};

/// The list operation's query, in generated types, ready to pass by reference.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct ListQuery {
    pub(crate) additional_metadata: Option<Vec<String>>,
    pub(crate) limit: Option<i64>,
    pub(crate) offset: Option<i64>,
    pub(crate) order_by_direction: Option<rest::WorkflowRunOrderByDirection>,
    pub(crate) order_by_field: Option<rest::ScheduledWorkflowsOrderByField>,
    pub(crate) parent_step_run_id: Option<Uuid>,
    pub(crate) parent_workflow_run_id: Option<Uuid>,
    pub(crate) statuses: Option<Vec<rest::ScheduledRunStatus>>,
    pub(crate) workflow_id: Option<Uuid>,
}

/// Checks a listing and turns it into the list query, in one pass.
pub(crate) fn list_query(listing: &Listing) -> Result<ListQuery, Error> {
    let (offset, limit) = listing.paging.to_query()?;
    let statuses = listing
        .statuses
        .iter()
        .map(status_to_rest)
        .collect::<Result<Vec<_>, _>>()?;
    let metadata = listing.criteria.metadata_filters()?;
    let criteria = &listing.criteria;
    Ok(ListQuery {
        additional_metadata: (!metadata.is_empty()).then_some(metadata),
        limit,
        offset,
        order_by_direction: listing.order.map(|(_, direction)| match direction {
            SortDirection::Asc => rest::WorkflowRunOrderByDirection::Asc,
            SortDirection::Desc => rest::WorkflowRunOrderByDirection::Desc,
        }),
        order_by_field: listing.order.map(|(field, _)| match field {
            ScheduledOrderField::TriggerAt => rest::ScheduledWorkflowsOrderByField::TriggerAt,
            ScheduledOrderField::CreatedAt => rest::ScheduledWorkflowsOrderByField::CreatedAt,
        }),
        parent_step_run_id: criteria.parent_step_run_id,
        parent_workflow_run_id: criteria.parent_workflow_run_id,
        statuses: (!statuses.is_empty()).then_some(statuses),
        workflow_id: criteria.workflow_id,
    })
}

/// Refuses `Unknown`: the server only takes the statuses it defines.
fn status_to_rest(status: &ScheduledRunStatus) -> Result<rest::ScheduledRunStatus, Error> {
    Ok(match status {
        ScheduledRunStatus::Scheduled => rest::ScheduledRunStatus::Scheduled,
        ScheduledRunStatus::Pending => rest::ScheduledRunStatus::Pending,
        ScheduledRunStatus::Queued => rest::ScheduledRunStatus::Queued,
        ScheduledRunStatus::Running => rest::ScheduledRunStatus::Running,
        ScheduledRunStatus::Succeeded => rest::ScheduledRunStatus::Succeeded,
        ScheduledRunStatus::Failed => rest::ScheduledRunStatus::Failed,
        ScheduledRunStatus::Cancelled => rest::ScheduledRunStatus::Cancelled,
        ScheduledRunStatus::Unknown(_) => {
            return Err(Error::invalid_argument(
                "statuses",
                format!("{status:?} is not a status the server accepts"),
            ));
        }
    })
}

/// The create body, for a run that `NewRun::validate` accepted. Takes the
/// run so input and metadata move into the body instead of being copied.
pub(crate) fn schedule_request(run: NewRun) -> rest::ScheduleWorkflowRunRequest {
    rest::ScheduleWorkflowRunRequest {
        additional_metadata: run.metadata,
        input: run.input.unwrap_or_default(),
        priority: run.priority.and_then(|p| NonZeroU32::new(p.into())),
        trigger_at: run.trigger_at,
    }
}

pub(crate) fn update_request(trigger_at: DateTime<Utc>) -> rest::UpdateScheduledWorkflowRunRequest {
    rest::UpdateScheduledWorkflowRunRequest { trigger_at }
}

pub(crate) fn bulk_delete_ids(ids: &[Uuid]) -> rest::ScheduledWorkflowsBulkDeleteRequest {
    rest::ScheduledWorkflowsBulkDeleteRequest {
        filter: None,
        scheduled_workflow_run_ids: ids.to_vec(),
    }
}

/// Checks a bulk-delete filter and turns it into the request body.
pub(crate) fn bulk_delete_filter(
    filter: &BulkDeleteFilter,
) -> Result<rest::ScheduledWorkflowsBulkDeleteRequest, Error> {
    let (criteria, additional_metadata) = filter.checked()?;
    Ok(rest::ScheduledWorkflowsBulkDeleteRequest {
        filter: Some(rest::ScheduledWorkflowsBulkDeleteFilter {
            additional_metadata,
            parent_step_run_id: criteria.parent_step_run_id,
            parent_workflow_run_id: criteria.parent_workflow_run_id,
            workflow_id: criteria.workflow_id,
        }),
        scheduled_workflow_run_ids: Vec::new(),
    })
}

pub(crate) fn bulk_update(
    updates: &[(Uuid, DateTime<Utc>)],
) -> rest::ScheduledWorkflowsBulkUpdateRequest {
    rest::ScheduledWorkflowsBulkUpdateRequest {
        updates: updates
            .iter()
            .map(|&(id, trigger_at)| rest::ScheduledWorkflowsBulkUpdateItem { id, trigger_at })
            .collect(),
    }
}

pub(crate) fn bulk_errors(errors: Vec<rest::ScheduledWorkflowsBulkError>) -> Vec<BulkItemError> {
    errors
        .into_iter()
        .map(|e| BulkItemError::new(e.id, e.error))
        .collect()
}

/// A listing page; `offset` is where it was asked to start.
pub(crate) fn page(
    raw: rest::ScheduledWorkflowsList,
    offset: u64,
) -> Result<Page<ScheduledRun>, String> {
    let pagination = raw.pagination.unwrap_or_default();
    let count = |n: Option<i64>| n.and_then(|n| u64::try_from(n).ok());
    Ok(Page {
        items: raw
            .rows
            .into_iter()
            .map(scheduled_run)
            .collect::<Result<_, _>>()?,
        offset,
        current_page: count(pagination.current_page),
        num_pages: count(pagination.num_pages),
    })
}

/// A schedule as the facade shows it. Fails on ids that are not UUIDs.
pub(crate) fn scheduled_run(raw: rest::ScheduledWorkflows) -> Result<ScheduledRun, String> {
    let workflow_run = raw.workflow_run_id.map(|id| StartedRun {
        id,
        name: raw.workflow_run_name,
        created_at: raw.workflow_run_created_at,
    });
    // The server reports the status of the run a schedule started; no run
    // yet means the schedule has not fired.
    let status = match (&raw.workflow_run_status, &workflow_run) {
        (Some(status), _) => ScheduledRunStatus::from(status.0.as_str()),
        (None, None) => ScheduledRunStatus::Scheduled,
        (None, Some(_)) => ScheduledRunStatus::Pending,
    };
    Ok(ScheduledRun {
        id: uuid_field("metadata.id", &raw.metadata.id)?,
        created_at: raw.metadata.created_at,
        updated_at: raw.metadata.updated_at,
        tenant_id: uuid_field("tenantId", &raw.tenant_id)?,
        workflow_id: uuid_field("workflowId", &raw.workflow_id)?,
        workflow_version_id: uuid_field("workflowVersionId", &raw.workflow_version_id)?,
        workflow_name: raw.workflow_name,
        trigger_at: raw.trigger_at,
        input: raw.input,
        additional_metadata: raw.additional_metadata,
        priority: raw
            .priority
            .map(|p| u8::try_from(p.get()).unwrap_or(u8::MAX)),
        method: ScheduleMethod::from(raw.method.0.as_str()),
        status,
        workflow_run,
    })
}

fn uuid_field(name: &str, value: &str) -> Result<Uuid, String> {
    value
        .parse()
        .map_err(|_| format!("`{name}` is not a UUID: {value:?}"))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn raw(value: serde_json::Value) -> rest::ScheduledWorkflows {
        serde_json::from_value(value).unwrap()
    }

    fn row() -> serde_json::Value {
        json!({
            "metadata": {"id": "6e0bb1d4-3c43-4b9c-9a2f-5c2c0c8a1d11",
                         "createdAt": "2026-01-01T10:00:00Z", "updatedAt": "2026-01-01T10:05:00.5Z"},
            "tenantId": "707d0855-80ab-4e1f-a156-f1c4546cbf52",
            "workflowId": "0b6f2a8e-0000-4000-8000-000000000001",
            "workflowVersionId": "0b6f2a8e-0000-4000-8000-000000000002",
            "workflowName": "send-email",
            "triggerAt": "2026-01-02T08:30:00+02:00",
            "method": "API",
            "input": {"to": "a@example.com"},
            "additionalMetadata": {"env": "prod"},
            "priority": 2,
            "someFutureField": [1, 2, 3]
        })
    }

    #[test]
    fn a_pending_schedule_decodes_with_utc_times() {
        let run = scheduled_run(raw(row())).unwrap();
        assert_eq!(run.id.to_string(), "6e0bb1d4-3c43-4b9c-9a2f-5c2c0c8a1d11");
        assert_eq!(run.trigger_at.to_rfc3339(), "2026-01-02T06:30:00+00:00");
        assert_eq!(run.status, ScheduledRunStatus::Scheduled);
        assert_eq!(run.method, ScheduleMethod::Api);
        assert_eq!(run.priority, Some(2));
        assert_eq!(run.workflow_run, None);
        assert_eq!(run.input["to"], "a@example.com");
    }

    #[test]
    fn a_fired_schedule_carries_its_run_and_unknown_values_survive() {
        let mut value = row();
        value["workflowRunId"] = json!("aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee");
        value["workflowRunStatus"] = json!("BACKOFF");
        value["workflowRunName"] = json!("send-email-1");
        value["method"] = json!("CRON");
        let run = scheduled_run(raw(value)).unwrap();
        assert_eq!(run.status, ScheduledRunStatus::Unknown("BACKOFF".into()));
        assert_eq!(run.method, ScheduleMethod::Unknown("CRON".into()));
        let started = run.workflow_run.unwrap();
        assert_eq!(started.name.as_deref(), Some("send-email-1"));
    }

    #[test]
    fn ids_that_are_not_uuids_are_reported_by_field() {
        let mut value = row();
        value["workflowId"] = json!("wf-1");
        assert_eq!(
            scheduled_run(raw(value)).unwrap_err(),
            "`workflowId` is not a UUID: \"wf-1\""
        );
    }

    #[test]
    fn list_query_carries_every_option() {
        let id = Uuid::from_u128(1);
        let listing = crate::ListBuilder::new(())
            .workflow_id(id)
            .parent_workflow_run_id(id)
            .parent_step_run_id(id)
            .statuses([ScheduledRunStatus::Scheduled, ScheduledRunStatus::Failed])
            .metadata("env", "prod")
            .order_by(ScheduledOrderField::CreatedAt, SortDirection::Asc)
            .offset(10)
            .limit(5)
            .listing;
        assert_eq!(
            list_query(&listing).unwrap(),
            ListQuery {
                additional_metadata: Some(vec!["env:prod".into()]),
                limit: Some(5),
                offset: Some(10),
                order_by_direction: Some(rest::WorkflowRunOrderByDirection::Asc),
                order_by_field: Some(rest::ScheduledWorkflowsOrderByField::CreatedAt),
                parent_step_run_id: Some(id),
                parent_workflow_run_id: Some(id),
                statuses: Some(vec![
                    rest::ScheduledRunStatus::Scheduled,
                    rest::ScheduledRunStatus::Failed
                ]),
                workflow_id: Some(id),
            }
        );
        assert_eq!(
            list_query(&Listing::default()).unwrap(),
            ListQuery::default()
        );
    }

    #[test]
    fn list_query_refuses_unknown_statuses() {
        let listing = crate::ListBuilder::new(())
            .statuses([ScheduledRunStatus::Unknown("NEW".into())])
            .listing;
        match list_query(&listing) {
            Err(Error::InvalidArgument { name, reason }) => assert_eq!(
                (name, reason.as_str()),
                (
                    "statuses",
                    "Unknown(\"NEW\") is not a status the server accepts"
                )
            ),
            other => panic!("expected an invalid argument, got {other:?}"),
        }
    }
}
