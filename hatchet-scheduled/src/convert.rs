//! Every conversion between the facade's types and the generated ones.
//!
//! Kept in one module so that regenerating the bindings can only break
//! this file, and the public API never shows a generated type.

use std::num::NonZeroU32;

use chrono::{DateTime, Utc};
use hatchet_rest_gen::types as rest;
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::{
    BulkDeleteFilter, BulkItemError, CronOrderField, CronTrigger, Error, Page, ScheduleMethod,
    ScheduledOrderField, ScheduledRun, ScheduledRunStatus, SortDirection, StartedRun,
    create::{NewCron, NewRun},
    list::{CronListing, Listing},
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
        order_by_direction: listing
            .order
            .map(|(_, direction)| direction_to_rest(direction)),
        order_by_field: listing.order.map(|(field, _)| match field {
            ScheduledOrderField::TriggerAt => rest::ScheduledWorkflowsOrderByField::TriggerAt,
            ScheduledOrderField::CreatedAt => rest::ScheduledWorkflowsOrderByField::CreatedAt,
        }),
        parent_step_run_id: listing.parents.step_run_id,
        parent_workflow_run_id: listing.parents.workflow_run_id,
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

/// The workflow name to send (namespaced) and the create body, for a run
/// that `NewRun::validate` accepted. Takes the run so that the name, input
/// and metadata move into the request instead of being copied.
pub(crate) fn schedule_request(
    run: NewRun,
    namespace: Option<&str>,
) -> (String, rest::ScheduleWorkflowRunRequest) {
    let body = rest::ScheduleWorkflowRunRequest {
        additional_metadata: run.options.metadata,
        input: run.options.input.unwrap_or_default(),
        priority: priority(run.options.priority),
        trigger_at: run.trigger_at,
    };
    (crate::namespace::apply(namespace, run.workflow), body)
}

/// The workflow name to send (namespaced) and the cron create body, for a
/// cron that `NewCron::validate` accepted. The expression is sent exactly
/// as written; input and metadata always, as `{}` when empty (the contract
/// requires them); priority only when set.
pub(crate) fn cron_request(
    cron: NewCron,
    namespace: Option<&str>,
) -> (String, rest::CreateCronWorkflowTriggerRequest) {
    let body = rest::CreateCronWorkflowTriggerRequest {
        additional_metadata: cron.options.metadata,
        cron_expression: cron.expression,
        cron_name: cron.name,
        input: cron.options.input.unwrap_or_default(),
        priority: priority(cron.options.priority),
    };
    (crate::namespace::apply(namespace, cron.workflow), body)
}

/// `validate` has refused priorities outside 1–3.
fn priority(priority: Option<u8>) -> Option<NonZeroU32> {
    priority.and_then(|p| NonZeroU32::new(p.into()))
}

/// The pause and resume body.
pub(crate) fn cron_enabled(enabled: bool) -> rest::UpdateCronWorkflowTriggerRequest {
    rest::UpdateCronWorkflowTriggerRequest {
        enabled: Some(enabled),
    }
}

/// The cron list operation's query, in generated types.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct CronListQuery {
    pub(crate) additional_metadata: Option<Vec<String>>,
    pub(crate) cron_name: Option<String>,
    pub(crate) limit: Option<i64>,
    pub(crate) offset: Option<i64>,
    pub(crate) order_by_direction: Option<rest::WorkflowRunOrderByDirection>,
    pub(crate) order_by_field: Option<rest::CronWorkflowsOrderByField>,
    pub(crate) workflow_id: Option<Uuid>,
    pub(crate) workflow_name: Option<String>,
}

/// Checks a cron listing and turns it into the list query; the workflow
/// name is namespaced as on create.
pub(crate) fn cron_list_query(
    listing: &CronListing,
    namespace: Option<&str>,
) -> Result<CronListQuery, Error> {
    let (offset, limit) = listing.paging.to_query()?;
    let metadata = listing.criteria.metadata_filters()?;
    Ok(CronListQuery {
        additional_metadata: (!metadata.is_empty()).then_some(metadata),
        cron_name: listing.cron_name.clone(),
        limit,
        offset,
        order_by_direction: listing
            .order
            .map(|(_, direction)| direction_to_rest(direction)),
        order_by_field: listing.order.map(|(field, _)| match field {
            CronOrderField::WorkflowName => rest::CronWorkflowsOrderByField::Name,
            CronOrderField::CreatedAt => rest::CronWorkflowsOrderByField::CreatedAt,
        }),
        workflow_id: listing.criteria.workflow_id,
        workflow_name: listing
            .workflow_name
            .clone()
            .map(|name| crate::namespace::apply(namespace, name)),
    })
}

fn direction_to_rest(direction: SortDirection) -> rest::WorkflowRunOrderByDirection {
    match direction {
        SortDirection::Asc => rest::WorkflowRunOrderByDirection::Asc,
        SortDirection::Desc => rest::WorkflowRunOrderByDirection::Desc,
    }
}

/// The update body, for a time [`trigger_time`] accepts.
pub(crate) fn update_request(
    trigger_at: DateTime<Utc>,
) -> Result<rest::UpdateScheduledWorkflowRunRequest, Error> {
    Ok(rest::UpdateScheduledWorkflowRunRequest {
        trigger_at: trigger_time("trigger_at", trigger_at)?,
    })
}

/// Refuses Go's zero time as a trigger time. The server decodes a missing
/// or `null` `triggerAt` as that very instant and stores it as NULL, which
/// the database refuses: create answers 400, update 500 and bulk update
/// fails its whole chunk with 500 (`create_scheduled.go`,
/// `update_scheduled.go`, `bulk_update_scheduled.go`, through
/// `pkg/repository/workflow_schedules.go`). Sending it would be sending no
/// time at all.
pub(crate) fn trigger_time(name: &'static str, at: DateTime<Utc>) -> Result<DateTime<Utc>, Error> {
    if at == go_zero_time() {
        return Err(Error::invalid_argument(
            name,
            "0001-01-01T00:00:00Z is the time Hatchet reads as no time at all, and refuses",
        ));
    }
    Ok(at)
}

/// Checks every time of a bulk reschedule before any chunk is sent.
pub(crate) fn bulk_update_times(updates: &[(Uuid, DateTime<Utc>)]) -> Result<(), Error> {
    updates
        .iter()
        .try_for_each(|&(_, at)| trigger_time("updates", at).map(drop))
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
    let (criteria, parents, additional_metadata) = filter.checked()?;
    Ok(rest::ScheduledWorkflowsBulkDeleteRequest {
        filter: Some(rest::ScheduledWorkflowsBulkDeleteFilter {
            additional_metadata,
            parent_step_run_id: parents.step_run_id,
            parent_workflow_run_id: parents.workflow_run_id,
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

/// A page of schedules; `offset` is where it was asked to start.
pub(crate) fn page(
    raw: rest::ScheduledWorkflowsList,
    offset: u64,
) -> Result<Page<ScheduledRun>, String> {
    rows_page(raw.rows, raw.pagination, offset, scheduled_run)
}

/// A page of crons; `offset` is where it was asked to start.
pub(crate) fn cron_page(
    raw: rest::CronWorkflowsList,
    offset: u64,
) -> Result<Page<CronTrigger>, String> {
    rows_page(raw.rows, raw.pagination, offset, cron_trigger)
}

/// Hatchet's listings share their page info; only the rows differ.
fn rows_page<R, T>(
    rows: Vec<R>,
    pagination: Option<rest::PaginationResponse>,
    offset: u64,
    convert: fn(R) -> Result<T, String>,
) -> Result<Page<T>, String> {
    let pagination = pagination.unwrap_or_default();
    let count = |n: Option<i64>| n.and_then(|n| u64::try_from(n).ok());
    Ok(Page {
        items: rows.into_iter().map(convert).collect::<Result<_, _>>()?,
        offset,
        current_page: count(pagination.current_page),
        num_pages: count(pagination.num_pages),
    })
}

/// A cron as the facade shows it. Fails on ids that are not UUIDs.
pub(crate) fn cron_trigger(raw: rest::CronWorkflows) -> Result<CronTrigger, String> {
    Ok(CronTrigger {
        id: uuid_field("metadata.id", &raw.metadata.id)?,
        name: present_text(raw.name),
        expression: raw.cron,
        enabled: raw.enabled,
        tenant_id: uuid_field("tenantId", &raw.tenant_id)?,
        workflow_id: uuid_field("workflowId", &raw.workflow_id)?,
        workflow_version_id: uuid_field("workflowVersionId", &raw.workflow_version_id)?,
        workflow_name: raw.workflow_name,
        method: ScheduleMethod::from(raw.method.0.as_str()),
        input: map_or_empty(raw.input),
        additional_metadata: map_or_empty(raw.additional_metadata),
        priority: raw
            .priority
            .map(|p| u8::try_from(p.get()).unwrap_or(u8::MAX)),
        created_at: raw.metadata.created_at,
        updated_at: raw.metadata.updated_at,
    })
}

/// A schedule as the facade shows it. Fails on ids that are not UUIDs.
///
/// Hatchet's transformer (`api/v1/server/oas/transformers/workflow_run.go`,
/// `ToScheduledWorkflowsFromSQLC`) writes every field of a schedule that has
/// not fired: `workflowRunCreatedAt` as Go's zero time, `workflowRunName` as
/// `""` and `additionalMetadata` as `null` when the column is NULL. Those
/// values mean "absent" here, so such a schedule never reports a run.
pub(crate) fn scheduled_run(raw: rest::ScheduledWorkflows) -> Result<ScheduledRun, String> {
    let workflow_run = raw.workflow_run_id.map(|id| StartedRun {
        id,
        name: present_text(raw.workflow_run_name),
        created_at: present_time(raw.workflow_run_created_at),
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
        input: map_or_empty(raw.input),
        additional_metadata: map_or_empty(raw.additional_metadata),
        priority: raw
            .priority
            .map(|p| u8::try_from(p.get()).unwrap_or(u8::MAX)),
        method: ScheduleMethod::from(raw.method.0.as_str()),
        status,
        workflow_run,
    })
}

// How the server writes "nothing" for the fields it always sends. Crons use
// the same transformer conventions (`ToCronWorkflowsFromSQLC`): their `name`
// is `""` when unset and their metadata and input may be `null`, so the cron
// conversions reuse these helpers.

/// A JSON object the importer marked nullable (`server-nullable`): `null`
/// is an empty map.
fn map_or_empty(map: Option<Map<String, Value>>) -> Map<String, Value> {
    map.unwrap_or_default()
}

/// Text the server writes from a nullable column as `""` when it is NULL.
fn present_text(text: Option<String>) -> Option<String> {
    text.filter(|text| !text.is_empty())
}

/// A time the server writes from a nullable column as Go's zero time,
/// `0001-01-01T00:00:00Z`, when it is NULL.
fn present_time(at: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    at.filter(|at| *at != go_zero_time())
}

/// Go's `time.Time{}`, `0001-01-01T00:00:00Z`: what the server means by
/// "no time".
pub(crate) fn go_zero_time() -> DateTime<Utc> {
    DateTime::from_timestamp(GO_ZERO_TIME_UNIX_SECONDS, 0).expect("year 1 is within chrono's range")
}

/// Seconds from the Unix epoch back to 0001-01-01T00:00:00Z.
const GO_ZERO_TIME_UNIX_SECONDS: i64 = -62_135_596_800;

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

    /// A schedule that has not fired, exactly as `ToScheduledWorkflowsFromSQLC`
    /// (api/v1/server/oas/transformers/workflow_run.go) writes it when its
    /// metadata column is NULL.
    fn unfired_row_as_the_transformer_writes_it() -> serde_json::Value {
        json!({
            "additionalMetadata": null,
            "input": {},
            "metadata": {"createdAt": "2026-01-01T10:00:00.12Z", "id": "6e0bb1d4-3c43-4b9c-9a2f-5c2c0c8a1d11",
                         "updatedAt": "2026-01-01T10:00:00.123Z"},
            "method": "DEFAULT",
            "priority": 1,
            "tenantId": "707d0855-80ab-4e1f-a156-f1c4546cbf52",
            "triggerAt": "2026-01-02T08:30:00Z",
            "workflowId": "0b6f2a8e-0000-4000-8000-000000000001",
            "workflowName": "send-email",
            "workflowRunCreatedAt": "0001-01-01T00:00:00Z",
            "workflowRunName": "",
            "workflowVersionId": "0b6f2a8e-0000-4000-8000-000000000002"
        })
    }

    #[test]
    fn an_unfired_row_with_null_metadata_has_empty_metadata_and_no_run() {
        let run = scheduled_run(raw(unfired_row_as_the_transformer_writes_it())).unwrap();
        assert!(run.additional_metadata.is_empty());
        assert!(run.input.is_empty());
        assert_eq!(run.status, ScheduledRunStatus::Scheduled);
        assert_eq!(run.workflow_run, None);
        assert_eq!(run.created_at.to_rfc3339(), "2026-01-01T10:00:00.120+00:00");
        assert_eq!(run.updated_at.to_rfc3339(), "2026-01-01T10:00:00.123+00:00");
    }

    #[test]
    fn a_null_input_is_empty() {
        let mut value = unfired_row_as_the_transformer_writes_it();
        value["input"] = json!(null);
        assert!(scheduled_run(raw(value)).unwrap().input.is_empty());
    }

    #[test]
    fn a_run_reported_with_the_zero_time_and_an_empty_name_has_neither() {
        let mut value = unfired_row_as_the_transformer_writes_it();
        value["workflowRunId"] = json!("aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee");
        let started = scheduled_run(raw(value)).unwrap().workflow_run.unwrap();
        assert_eq!((started.name, started.created_at), (None, None));
    }

    #[test]
    fn helpers_read_the_servers_spelling_of_nothing() {
        assert_eq!(go_zero_time().to_rfc3339(), "0001-01-01T00:00:00+00:00");
        assert_eq!(present_text(Some(String::new())), None);
        assert_eq!(present_text(Some("a".into())).as_deref(), Some("a"));
        assert_eq!(present_time(Some(go_zero_time())), None);
        let later = go_zero_time() + chrono::Duration::milliseconds(1);
        assert_eq!(present_time(Some(later)), Some(later));
        assert!(map_or_empty(None).is_empty());
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

    /// A cron row exactly as `ToCronWorkflowsFromSQLC`
    /// (`transformers/workflow_run.go`) writes one made by a workflow's
    /// definition: no name (`""`), NULL metadata (`null`), input `{}`, and
    /// Go's RFC 3339 times with trailing zeros trimmed.
    fn code_defined_cron_as_the_transformer_writes_it() -> serde_json::Value {
        json!({
            "metadata": {"id": "5b0e2a61-8c1d-4f3e-9a7b-2c4d6e8f0a1b",
                         "createdAt": "2026-03-01T09:00:00.12Z", "updatedAt": "2026-03-01T09:00:00Z"},
            "workflowVersionId": "0b6f2a8e-0000-4000-8000-000000000002",
            "workflowId": "0b6f2a8e-0000-4000-8000-000000000001",
            "workflowName": "nightly-cleanup",
            "tenantId": "707d0855-80ab-4e1f-a156-f1c4546cbf52",
            "cron": "0 3 * * *",
            "additionalMetadata": null,
            "name": "",
            "enabled": true,
            "method": "DEFAULT",
            "priority": 1,
            "input": {}
        })
    }

    #[test]
    fn a_code_defined_cron_decodes_with_no_name_and_empty_metadata() {
        let raw: rest::CronWorkflows =
            serde_json::from_value(code_defined_cron_as_the_transformer_writes_it()).unwrap();
        let cron = cron_trigger(raw).unwrap();
        assert_eq!(cron.name, None);
        assert!(cron.additional_metadata.is_empty());
        assert!(cron.input.is_empty());
        assert_eq!(cron.expression, "0 3 * * *");
        assert!(cron.enabled);
        assert_eq!(cron.method, ScheduleMethod::Default);
        assert_eq!(cron.priority, Some(1));
        assert_eq!(
            cron.created_at,
            "2026-03-01T09:00:00.120Z".parse::<DateTime<Utc>>().unwrap()
        );
        assert_eq!(
            cron.workflow_version_id.to_string(),
            "0b6f2a8e-0000-4000-8000-000000000002"
        );
    }

    #[test]
    fn an_api_made_cron_keeps_its_name_metadata_and_input() {
        let mut value = code_defined_cron_as_the_transformer_writes_it();
        value["name"] = json!("nightly");
        value["additionalMetadata"] = json!({"env": "prod"});
        value["input"] = json!({"report": "daily"});
        value["method"] = json!("API");
        value["enabled"] = json!(false);
        let cron = cron_trigger(serde_json::from_value(value).unwrap()).unwrap();
        assert_eq!(cron.name.as_deref(), Some("nightly"));
        assert_eq!(cron.additional_metadata["env"], "prod");
        assert_eq!(cron.input["report"], "daily");
        assert_eq!(cron.method, ScheduleMethod::Api);
        assert!(!cron.enabled);
    }

    #[test]
    fn cron_list_query_carries_every_option_and_namespaces_the_workflow_name() {
        let id = Uuid::from_u128(1);
        let listing = crate::CronListBuilder::new(())
            .workflow_id(id)
            .workflow_name("send-report")
            .cron_name("nightly")
            .metadata("env", "prod")
            .order_by(CronOrderField::WorkflowName, SortDirection::Asc)
            .offset(10)
            .limit(5)
            .listing;
        assert_eq!(
            cron_list_query(&listing, Some("staging_")).unwrap(),
            CronListQuery {
                additional_metadata: Some(vec!["env:prod".into()]),
                cron_name: Some("nightly".into()),
                limit: Some(5),
                offset: Some(10),
                order_by_direction: Some(rest::WorkflowRunOrderByDirection::Asc),
                order_by_field: Some(rest::CronWorkflowsOrderByField::Name),
                workflow_id: Some(id),
                workflow_name: Some("staging_send-report".into()),
            }
        );
        assert_eq!(
            cron_list_query(&CronListing::default(), Some("staging_")).unwrap(),
            CronListQuery::default()
        );
        let refused = crate::CronListBuilder::new(()).limit(0).listing;
        assert!(matches!(
            cron_list_query(&refused, None),
            Err(Error::InvalidArgument { name: "limit", .. })
        ));
    }

    #[test]
    fn cron_bodies_carry_empty_objects_and_priority_only_when_set() {
        let cron = crate::CronCreateBuilder::new((), "w".into(), "n".into(), "0 0 * * *".into());
        assert_eq!(
            serde_json::to_value(cron_request(cron.clone().cron, None).1).unwrap(),
            json!({"cronName": "n", "cronExpression": "0 0 * * *", "input": {}, "additionalMetadata": {}})
        );
        assert_eq!(
            serde_json::to_value(cron_request(cron.priority(2).cron, None).1).unwrap()["priority"],
            2
        );
        assert_eq!(
            serde_json::to_value(cron_enabled(false)).unwrap(),
            json!({"enabled": false})
        );
    }
}
