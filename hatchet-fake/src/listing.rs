//! Which schedules a listing or a bulk-delete filter selects, and in what
//! order, as `ListScheduledWorkflows` and `CountScheduledWorkflows` in
//! `pkg/repository/sqlcv1/workflow_schedules.sql` select them.

use std::{cmp::Ordering, collections::BTreeMap};

use serde_json::{Map, Value};
use uuid::Uuid;

use crate::{Schedule, reply::Failure};

/// The criteria a schedule must all meet.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Filter {
    pub(crate) workflow_id: Option<Uuid>,
    /// What the `parentWorkflowRunId` parameter sets. The server compares
    /// it with the schedule's own id (`t."id"`), not with its parent run:
    /// a bug the fake follows.
    pub(crate) parent_workflow_run_id: Option<Uuid>,
    pub(crate) parent_step_run_id: Option<Uuid>,
    /// `Some`: the schedule's metadata must contain every pair (see
    /// [`contains_metadata`]).
    pub(crate) metadata: Option<BTreeMap<String, String>>,
    /// `Some`: the schedule's status must be one of these. A schedule the
    /// fake holds has not fired (firing deletes it), so only `SCHEDULED`
    /// can match.
    pub(crate) statuses: Option<Vec<String>>,
}

/// The status that means "not fired": a schedule without a run.
const SCHEDULED: &str = "SCHEDULED";

impl Filter {
    pub(crate) fn matches(&self, schedule: &Schedule) -> bool {
        let same =
            |wanted: Option<Uuid>, actual: Option<Uuid>| wanted.is_none_or(|w| actual == Some(w));
        same(self.workflow_id, Some(schedule.workflow_id))
            && same(self.parent_workflow_run_id, Some(schedule.id))
            && same(self.parent_step_run_id, schedule.parent_step_run_id)
            && self.metadata.as_ref().is_none_or(|wanted| {
                contains_metadata(schedule.additional_metadata.as_ref(), wanted)
            })
            && self
                .statuses
                .as_ref()
                .is_none_or(|statuses| statuses.iter().any(|s| s == SCHEDULED))
    }
}

/// Whether metadata `held` (`None` for a NULL column) contains every
/// wanted pair as a string, as the SQL's JSON containment (`@>`) decides:
/// a NULL column never matches, even an empty set of pairs.
pub(crate) fn contains_metadata(
    held: Option<&Map<String, Value>>,
    wanted: &BTreeMap<String, String>,
) -> bool {
    held.is_some_and(|held| {
        wanted
            .iter()
            .all(|(key, value)| held.get(key) == Some(&Value::String(value.clone())))
    })
}

/// Metadata filters as the handlers read them: each must split on `:`
/// into exactly two parts, else 400; a repeated key keeps its last value.
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

/// The field a listing is ordered by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OrderField {
    TriggerAt,
    CreatedAt,
}

/// The matching schedules, ordered by `field` (descending unless
/// `ascending`), ties broken by id ascending.
pub(crate) fn select<'a>(
    schedules: impl IntoIterator<Item = &'a Schedule>,
    filter: &Filter,
    field: OrderField,
    ascending: bool,
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
        let by_field = if ascending {
            by_field
        } else {
            by_field.reverse()
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
