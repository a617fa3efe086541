//! Bulk delete and bulk reschedule, with the real server's per-item errors.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use hatchet_rest_gen::types::{
    self as rest, ScheduledWorkflowsBulkError as ItemError,
    ScheduledWorkflowsOrderByField as OrderField, WorkflowRunOrderByDirection as Direction,
};
use uuid::Uuid;

use crate::{
    ScheduleMethod,
    listing::{Filter, parse_metadata, select},
    model::stored_time,
    reply::Failure,
    state::State,
};

fn item_error(id: Uuid, error: &str) -> ItemError {
    ItemError {
        error: error.to_owned(),
        id: Some(id),
    }
}

impl State {
    /// Deletes by ids or by filter (never both; one is required).
    ///
    /// By filter, every matching schedule is selected (trigger time
    /// descending) and the ones made by code definitions come back as
    /// errors; an empty filter selects everything. By ids, an id that is
    /// unknown or made by a code definition is "Failed to delete".
    pub(crate) fn bulk_delete(
        &mut self,
        request: rest::ScheduledWorkflowsBulkDeleteRequest,
    ) -> Result<rest::ScheduledWorkflowsBulkDeleteResponse, Failure> {
        let ids = request.scheduled_workflow_run_ids;
        let mut errors = Vec::new();
        let targets = match (ids.is_empty(), request.filter) {
            (false, Some(_)) => {
                return Err(Failure::bad_request(
                    "Provide either scheduledWorkflowRunIds or filter, not both.",
                ));
            }
            (true, None) => {
                return Err(Failure::bad_request(
                    "Provide scheduledWorkflowRunIds or filter.",
                ));
            }
            (false, None) => ids,
            (true, Some(filter)) => {
                let filter = Filter {
                    workflow_id: filter.workflow_id,
                    parent_workflow_run_id: filter.parent_workflow_run_id,
                    parent_step_run_id: filter.parent_step_run_id,
                    metadata: parse_metadata(&filter.additional_metadata)?,
                    statuses: Vec::new(),
                };
                let selected = select(
                    self.schedules.values(),
                    &filter,
                    OrderField::TriggerAt,
                    Direction::Desc,
                );
                let (api, code): (Vec<_>, Vec<_>) = selected
                    .into_iter()
                    .partition(|s| s.method == ScheduleMethod::Api);
                errors.extend(code.iter().map(|s| {
                    item_error(
                        s.id,
                        "Cannot delete scheduled run created via code definition.",
                    )
                }));
                api.iter().map(|s| s.id).collect()
            }
        };
        let deleted: HashSet<Uuid> = targets
            .iter()
            .copied()
            .filter(|id| {
                self.schedules
                    .get(id)
                    .is_some_and(|s| s.method == ScheduleMethod::Api)
            })
            .collect();
        self.schedules.retain(|id, _| !deleted.contains(id));
        let (done, failed): (Vec<Uuid>, Vec<Uuid>) =
            targets.into_iter().partition(|id| deleted.contains(id));
        errors.extend(
            failed
                .into_iter()
                .map(|id| item_error(id, "Failed to delete scheduled workflow.")),
        );
        Ok(rest::ScheduledWorkflowsBulkDeleteResponse {
            deleted_ids: done,
            errors,
        })
    }

    /// Reschedules each item: unknown ids, fired schedules and schedules
    /// made by code definitions come back as per-item errors.
    pub(crate) fn bulk_update(
        &mut self,
        updates: Vec<(Uuid, DateTime<Utc>)>,
    ) -> rest::ScheduledWorkflowsBulkUpdateResponse {
        let now = stored_time(self.clock.now());
        let mut errors = Vec::new();
        let mut attempted = Vec::new();
        for (id, trigger_at) in &updates {
            match self.schedules.get(id) {
                None => errors.push(item_error(*id, "Scheduled workflow not found.")),
                Some(s) if s.run.is_some() => errors.push(item_error(
                    *id,
                    "Scheduled run has already been triggered and cannot be rescheduled.",
                )),
                Some(_) => attempted.push((*id, *trigger_at)),
            }
        }
        let mut updated = HashSet::new();
        for (id, trigger_at) in &attempted {
            if let Some(s) = self.schedules.get_mut(id)
                && s.method == ScheduleMethod::Api
            {
                s.trigger_at = stored_time(*trigger_at);
                s.updated_at = now;
                updated.insert(*id);
            }
        }
        errors.extend(
            attempted
                .iter()
                .filter(|(id, _)| !updated.contains(id))
                .map(|(id, _)| item_error(*id, "Failed to update scheduled workflow.")),
        );
        rest::ScheduledWorkflowsBulkUpdateResponse {
            errors,
            updated_ids: updates
                .into_iter()
                .map(|(id, _)| id)
                .filter(|id| updated.contains(id))
                .collect(),
        }
    }
}
