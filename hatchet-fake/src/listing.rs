//! Which schedules a listing or a bulk-delete filter selects, and in what
//! order.

use std::{cmp::Ordering, collections::BTreeMap};

use hatchet_rest_gen::types::{
    ScheduledRunStatus, ScheduledWorkflowsOrderByField as OrderField,
    WorkflowRunOrderByDirection as Direction,
};
use serde_json::Value;
use uuid::Uuid;

use crate::{Schedule, reply::Failure};

/// The criteria a schedule must all meet.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Filter {
    pub(crate) workflow_id: Option<Uuid>,
    pub(crate) parent_workflow_run_id: Option<Uuid>,
    pub(crate) parent_step_run_id: Option<Uuid>,
    /// Every pair must be in the schedule's metadata (JSON containment).
    pub(crate) metadata: BTreeMap<String, String>,
    /// Empty means any status.
    pub(crate) statuses: Vec<ScheduledRunStatus>,
}

impl Filter {
    pub(crate) fn matches(&self, schedule: &Schedule) -> bool {
        let same =
            |wanted: Option<Uuid>, actual: Option<Uuid>| wanted.is_none_or(|w| actual == Some(w));
        same(self.workflow_id, Some(schedule.workflow_id))
            && same(self.parent_workflow_run_id, schedule.parent_workflow_run_id)
            && same(self.parent_step_run_id, schedule.parent_step_run_id)
            && self.metadata.iter().all(|(key, value)| {
                schedule.additional_metadata.get(key) == Some(&Value::String(value.clone()))
            })
            && (self.statuses.is_empty() || self.statuses.iter().any(|s| has_status(schedule, *s)))
    }
}

/// `SCHEDULED` means not fired yet; any other status is the fired run's.
fn has_status(schedule: &Schedule, status: ScheduledRunStatus) -> bool {
    match (&schedule.run, status) {
        (None, ScheduledRunStatus::Scheduled) => true,
        (Some(run), status) => run.status == status.to_string(),
        (None, _) => false,
    }
}

/// Metadata filters as the real server reads them: each must split on `:`
/// into exactly two parts; a repeated key keeps its last value.
pub(crate) fn parse_metadata(entries: &[String]) -> Result<BTreeMap<String, String>, Failure> {
    entries
        .iter()
        .map(
            |entry| match entry.split(':').collect::<Vec<_>>().as_slice() {
                [key, value] => Ok(((*key).to_owned(), (*value).to_owned())),
                _ => Err(Failure::bad_request(
                    "Additional metadata filters must be in the format key:value.",
                )),
            },
        )
        .collect()
}

/// The matching schedules, sorted by `field` in `direction`, ties broken by
/// id ascending.
pub(crate) fn select<'a>(
    schedules: impl IntoIterator<Item = &'a Schedule>,
    filter: &Filter,
    field: OrderField,
    direction: Direction,
) -> Vec<&'a Schedule> {
    let mut rows: Vec<&Schedule> = schedules
        .into_iter()
        .filter(|s| filter.matches(s))
        .collect();
    rows.sort_by(|a, b| {
        let by_field = match field {
            OrderField::TriggerAt => a.trigger_at.cmp(&b.trigger_at),
            OrderField::CreatedAt => a.created_at.cmp(&b.created_at),
        };
        let by_field = match direction {
            Direction::Asc => by_field,
            Direction::Desc => by_field.reverse(),
        };
        match by_field {
            Ordering::Equal => a.id.cmp(&b.id),
            other => other,
        }
    });
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_entries_need_exactly_one_colon() {
        let parse = |entries: &[&str]| {
            parse_metadata(&entries.iter().map(|e| e.to_string()).collect::<Vec<_>>())
        };
        let parsed = parse(&["env:prod", "team:", "env:dev"]).unwrap();
        assert_eq!(parsed["env"], "dev", "a repeated key keeps its last value");
        assert_eq!(parsed["team"], "");
        for bad in ["novalue", "a:b:c", ""] {
            assert!(parse(&[bad]).is_err(), "{bad:?}");
        }
    }
}
