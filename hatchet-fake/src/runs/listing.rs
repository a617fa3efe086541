//! Which runs `v1-workflow-run:list` selects, in what order and with what
//! page info, as `api/v1/server/handlers/v1/workflow-runs/list.go` reads
//! the query and `pkg/repository/olap.go` (`ListWorkflowRuns`,
//! `ListTasks`) selects.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::{
    FiredRun, go_time, go_uuid,
    query::{DEFAULT_LIMIT, Params},
    reply::Failure,
};

/// The statuses a run can have (`V1TaskStatus`); any other value given is
/// dropped, and none left means all.
const STATUSES: [&str; 5] = ["QUEUED", "RUNNING", "COMPLETED", "CANCELLED", "FAILED"];

/// The count behind `num_pages` stops here (`olap.go`).
const COUNT_CAP: u64 = 20_000;

/// A run listing request the server answers with rows.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct RunQuery {
    pub(crate) since: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
    /// The known statuses asked for; empty: all.
    statuses: Vec<String>,
    metadata: BTreeMap<String, String>,
    /// Whether every metadata pair must match (else any one).
    all_pairs: bool,
    workflow_ids: Option<Vec<Uuid>>,
    /// Filters no run of the fake meets when given: the fake's runs have
    /// no worker, parent task, triggering event or idempotency key.
    unmet: bool,
    pub(crate) only_tasks: bool,
    pub(crate) include_payloads: bool,
    pub(crate) limit: u64,
    pub(crate) offset: u64,
}

/// Reads the query parameter by parameter in the contract's order, each
/// refusal a 400 as the generated binding words it; enum values pass
/// unchecked. Then the repository's limits: a `limit` of 0 or less, or a
/// negative `offset`, fails in SQL or in the page arithmetic (500).
pub(crate) fn run_list_query(raw: &str) -> Result<RunQuery, Failure> {
    let params = Params::parse(raw);
    let offset = params.integer("offset")?;
    let limit = params.integer("limit")?;
    let statuses = params.list("statuses").unwrap_or_default();
    let since = time(&params, "since")?;
    let until = time(&params, "until")?;
    let metadata = params.list("additional_metadata").unwrap_or_default();
    let operator = params.single("additional_metadata_operator")?;
    let workflow_ids = ids(&params, "workflow_ids")?;
    let worker_id = params.id("worker_id")?;
    let only_tasks = boolean(&params, "only_tasks")?.ok_or_else(|| {
        Failure::invalid_parameter("only_tasks", "query parameter 'only_tasks' is required")
    })?;
    let parent_task = params.id("parent_task_external_id")?;
    let triggering_event = params.id("triggering_event_external_id")?;
    let include_payloads = boolean(&params, "include_payloads")?.unwrap_or(false);
    params.single("running_filter")?;
    let idempotency_keys = params.list("idempotency_keys");

    let (Ok(limit), Ok(offset)) = (
        u64::try_from(limit.unwrap_or(DEFAULT_LIMIT)),
        u64::try_from(offset.unwrap_or(0)),
    ) else {
        return Err(Failure::internal());
    };
    if limit == 0 {
        return Err(Failure::internal());
    }
    // Each filter applies in one mode only: the worker to tasks, the
    // parent task to runs.
    let unmet = (only_tasks && worker_id.is_some())
        || (!only_tasks && parent_task.is_some())
        || triggering_event.is_some()
        || idempotency_keys.is_some();
    let metadata = metadata_pairs(&metadata);
    Ok(RunQuery {
        since,
        until,
        statuses: statuses
            .into_iter()
            .filter(|s| STATUSES.contains(&s.as_str()))
            .collect(),
        all_pairs: metadata.len() <= 1 || operator == Some("AND"),
        metadata,
        workflow_ids,
        unmet,
        only_tasks,
        include_payloads,
        limit,
        offset,
    })
}

/// `k:v` pairs split at the first `:`; entries without one are dropped, a
/// repeated key keeps its last value.
fn metadata_pairs(entries: &[String]) -> BTreeMap<String, String> {
    entries
        .iter()
        .filter_map(|entry| entry.split_once(':'))
        .map(|(key, value)| (key.to_owned(), value.to_owned()))
        .collect()
}

/// A time parameter: RFC 3339 (with fractions) or a bare date.
fn time(params: &Params, name: &str) -> Result<Option<DateTime<Utc>>, Failure> {
    params
        .single(name)?
        .map(|value| {
            if let Ok(at) = go_time::parse(value) {
                return Ok(at.to_utc());
            }
            NaiveDate::parse_from_str(value, "%Y-%m-%d")
                .map(|day| day.and_hms_opt(0, 0, 0).expect("midnight").and_utc())
                .map_err(|_| {
                    Failure::invalid_parameter(
                        name,
                        format!(
                            "error parsing '{value}' as RFC3339 or 2006-01-02 time: parsing time \
                             \"{value}\" as \"2006-01-02\": cannot parse \"{value}\" as \"2006\""
                        ),
                    )
                })
        })
        .transpose()
}

/// A boolean parameter, as `strconv.ParseBool` reads it.
fn boolean(params: &Params, name: &str) -> Result<Option<bool>, Failure> {
    params
        .single(name)?
        .map(|value| match value {
            "1" | "t" | "T" | "TRUE" | "true" | "True" => Ok(true),
            "0" | "f" | "F" | "FALSE" | "false" | "False" => Ok(false),
            other => Err(Failure::invalid_parameter(
                name,
                format!(
                    "error binding string parameter: strconv.ParseBool: parsing \"{other}\": \
                     invalid syntax"
                ),
            )),
        })
        .transpose()
}

/// An array of UUIDs; a bad element is refused with the array's prefix.
fn ids(params: &Params, name: &str) -> Result<Option<Vec<Uuid>>, Failure> {
    params
        .list(name)
        .map(|values| {
            values
                .iter()
                .map(|value| {
                    go_uuid::parse(value).map_err(|reason| {
                        Failure::invalid_parameter(
                            name,
                            format!(
                                "error setting array element: error unmarshaling '{value}' \
                                 text as *uuid.UUID: {reason}"
                            ),
                        )
                    })
                })
                .collect()
        })
        .transpose()
}

impl RunQuery {
    /// Whether the run is one the listing selects. Every run of the fake is
    /// `QUEUED`.
    pub(crate) fn matches(&self, run: &FiredRun, workflow_id: Option<Uuid>) -> bool {
        let Some(since) = self.since else {
            // A missing `since` binds as Go's zero time, which the query
            // reads as NULL: nothing is at or after it.
            return false;
        };
        !self.unmet
            && run.started_at >= since
            && self.until.is_none_or(|until| run.started_at <= until)
            && (self.statuses.is_empty() || self.statuses.iter().any(|s| s == "QUEUED"))
            && self
                .workflow_ids
                .as_ref()
                .is_none_or(|ids| workflow_id.is_some_and(|id| ids.contains(&id)))
            && self.metadata_matches(run)
    }

    /// All pairs by JSON containment (equal strings), or any one pair by
    /// text (`jsonb_each_text`, so a number matches its digits).
    fn metadata_matches(&self, run: &FiredRun) -> bool {
        if self.metadata.is_empty() {
            return true;
        }
        let held = &run.additional_metadata;
        if self.all_pairs {
            self.metadata
                .iter()
                .all(|(key, value)| held.get(key) == Some(&Value::String(value.clone())))
        } else {
            self.metadata.iter().any(|(key, value)| {
                held.get(key).is_some_and(|held| match held {
                    Value::String(text) => text == value,
                    other => value.as_str() == other.to_string().as_str(),
                })
            })
        }
    }

    /// The page info (`transformers/v1/workflow_runs.go`): the page is
    /// `offset / limit + 1`, the next always one more, and the number of
    /// pages counts at most 20,000 rows.
    pub(crate) fn pagination(&self, count: usize) -> Value {
        let count = (count as u64).min(COUNT_CAP);
        let current = self.offset / self.limit + 1;
        json!({
            "current_page": current,
            "next_page": current + 1,
            "num_pages": count.div_ceil(self.limit),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(raw: &str) -> String {
        match run_list_query(raw) {
            Err(Failure::Message(_, message)) => message,
            other => panic!("{raw}: {other:?}"),
        }
    }

    #[test]
    fn only_tasks_is_required_and_read_as_parse_bool_reads() {
        assert_eq!(
            refusal(""),
            "Invalid format for parameter only_tasks: query parameter 'only_tasks' is required"
        );
        assert_eq!(
            refusal("only_tasks=maybe"),
            "Invalid format for parameter only_tasks: error binding string parameter: \
             strconv.ParseBool: parsing \"maybe\": invalid syntax"
        );
        assert!(run_list_query("only_tasks=T").unwrap().only_tasks);
        assert!(!run_list_query("only_tasks=0").unwrap().only_tasks);
    }

    #[test]
    fn times_ids_and_limits_are_bound_as_the_server_binds_them() {
        assert_eq!(
            refusal("only_tasks=false&since=x"),
            "Invalid format for parameter since: error parsing 'x' as RFC3339 or 2006-01-02 \
             time: parsing time \"x\" as \"2006-01-02\": cannot parse \"x\" as \"2006\""
        );
        assert_eq!(
            refusal("only_tasks=false&workflow_ids=42"),
            "Invalid format for parameter workflow_ids: error setting array element: error \
             unmarshaling '42' text as *uuid.UUID: invalid UUID length: 2"
        );
        let day = run_list_query("only_tasks=false&since=2040-01-02").unwrap();
        assert_eq!(day.since.unwrap().to_rfc3339(), "2040-01-02T00:00:00+00:00");
        for raw in ["limit=0", "limit=-1", "offset=-1"] {
            assert!(
                matches!(run_list_query(&format!("only_tasks=false&{raw}")), Err(f) if f == Failure::internal()),
                "{raw}"
            );
        }
    }

    #[test]
    fn pages_count_from_the_offset_and_always_go_on() {
        let query = run_list_query("only_tasks=false&limit=5&offset=15").unwrap();
        assert_eq!(
            query.pagination(18),
            json!({"current_page": 4, "next_page": 5, "num_pages": 4})
        );
        let empty = run_list_query("only_tasks=false").unwrap();
        assert_eq!(
            empty.pagination(0),
            json!({"current_page": 1, "next_page": 2, "num_pages": 0})
        );
        assert_eq!(
            empty.pagination(30_000)["num_pages"],
            400,
            "counted up to 20,000"
        );
    }

    #[test]
    fn metadata_pairs_split_at_the_first_colon_and_drop_the_rest() {
        let pairs = metadata_pairs(&["a:b:c".into(), "nocolon".into(), "a:d".into(), "e:f".into()]);
        assert_eq!(
            pairs,
            BTreeMap::from([("a".into(), "d".into()), ("e".into(), "f".into())])
        );
    }
}
