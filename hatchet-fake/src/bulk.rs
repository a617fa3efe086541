//! Bulk delete and bulk reschedule, as `bulk_delete_scheduled.go` and
//! `bulk_update_scheduled.go` do them: no limit on the number of items,
//! which are processed in chunks of 200, each chunk one query.

use serde_json::{Value, json};
use uuid::Uuid;

use crate::{
    ScheduleMethod,
    body::{BulkDeleteRequest, BulkUpdateItem},
    go_time::stored_trigger_time,
    listing::{Filter, OrderField, parse_metadata, select},
    reply::Failure,
    state::State,
};

/// How many items the handlers send to the database at once.
const CHUNK: usize = 200;

fn item_error(id: Uuid, error: &str) -> Value {
    json!({"error": error, "id": id})
}

impl State {
    /// Deletes by ids or by filter. Ids and a filter together are a 400;
    /// no ids (missing or `[]`) and no filter a 400 too. A filter selects
    /// every matching schedule, trigger time descending, and reports the
    /// `DEFAULT` ones as per-item errors; by ids, an id that is unknown or
    /// `DEFAULT` is "Failed to delete", as is a repeat in a later chunk of
    /// an id already deleted (a repeat in the same chunk is listed twice).
    pub(crate) fn bulk_delete(&mut self, request: BulkDeleteRequest) -> Result<Value, Failure> {
        let mut ids = request.ids.unwrap_or_default();
        let used_filter = request.filter.is_some();
        if !ids.is_empty() && used_filter {
            return Err(Failure::bad_request(
                "Provide either scheduledWorkflowRunIds or filter, not both.",
            ));
        }
        let mut errors = Vec::new();
        if let Some(filter) = request.filter {
            let filter = Filter {
                workflow_id: filter.workflow_id,
                parent_workflow_run_id: filter.parent_workflow_run_id,
                parent_step_run_id: filter.parent_step_run_id,
                metadata: filter
                    .additional_metadata
                    .as_deref()
                    .map(parse_metadata)
                    .transpose()?,
                statuses: None,
            };
            for schedule in select(
                self.schedules.values(),
                &filter,
                OrderField::TriggerAt,
                false,
            ) {
                if schedule.method == ScheduleMethod::Api {
                    ids.push(schedule.id);
                } else {
                    errors.push(item_error(
                        schedule.id,
                        "Cannot delete scheduled run created via code definition.",
                    ));
                }
            }
        }
        if ids.is_empty() && !used_filter {
            return Err(Failure::bad_request(
                "Provide scheduledWorkflowRunIds or filter.",
            ));
        }
        let mut deleted = Vec::new();
        for chunk in ids.chunks(CHUNK) {
            let gone: Vec<Uuid> = chunk
                .iter()
                .copied()
                .filter(|id| {
                    self.schedules
                        .get(id)
                        .is_some_and(|s| s.method == ScheduleMethod::Api)
                })
                .collect();
            for id in &gone {
                self.schedules.remove(id);
            }
            for id in chunk {
                if gone.contains(id) {
                    deleted.push(*id);
                } else {
                    errors.push(item_error(*id, "Failed to delete scheduled workflow."));
                }
            }
        }
        Ok(json!({"deletedIds": deleted, "errors": errors}))
    }

    /// Reschedules each item, chunk by chunk: an unknown id (the zero UUID
    /// when missing) is "Scheduled workflow not found.", a `DEFAULT`
    /// schedule "Failed to update scheduled workflow.". A missing time on an
    /// API-made schedule makes the database refuse the chunk: the whole
    /// request is a 500, chunks before it stay applied. `updatedAt` does
    /// not change. No items is a 200 with empty lists.
    pub(crate) fn bulk_update(&mut self, updates: Vec<BulkUpdateItem>) -> Result<Value, Failure> {
        let mut updated = Vec::new();
        let mut errors = Vec::new();
        for chunk in updates.chunks(CHUNK) {
            let mut attempted = Vec::new();
            for &(id, at) in chunk {
                match self.schedules.get(&id) {
                    None => errors.push(item_error(id, "Scheduled workflow not found.")),
                    Some(schedule) => {
                        attempted.push((id, at, schedule.method == ScheduleMethod::Api))
                    }
                }
            }
            let applied: Vec<(Uuid, _)> = attempted
                .iter()
                .filter(|(_, _, api)| *api)
                .map(|&(id, at, _)| at.map(|at| (id, at)).ok_or_else(Failure::internal))
                .collect::<Result<_, _>>()?;
            for (id, at) in &applied {
                if let Some(schedule) = self.schedules.get_mut(id) {
                    schedule.trigger_at = stored_trigger_time(*at);
                }
            }
            let moved = |id: &Uuid| applied.iter().any(|(done, _)| done == id);
            updated.extend(chunk.iter().map(|(id, _)| *id).filter(|id| moved(id)));
            errors.extend(
                attempted
                    .iter()
                    .filter(|(id, _, _)| !moved(id))
                    .map(|(id, _, _)| item_error(*id, "Failed to update scheduled workflow.")),
            );
        }
        Ok(json!({"errors": errors, "updatedIds": updated}))
    }
}
