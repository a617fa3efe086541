//! The list operation's query string. Arrays arrive as repeated keys
//! (`statuses=A&statuses=B`), so the raw query is parsed here.

use std::str::FromStr;

use hatchet_rest_gen::types::{
    ScheduledRunStatus, ScheduledWorkflowsOrderByField as OrderField,
    WorkflowRunOrderByDirection as Direction,
};
use uuid::Uuid;

use crate::{
    listing::{Filter, parse_metadata},
    reply::Failure,
};

/// Rows per page unless `limit` says otherwise.
pub(crate) const DEFAULT_LIMIT: u64 = 50;

/// A parsed listing request.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ListQuery {
    pub(crate) filter: Filter,
    pub(crate) field: OrderField,
    pub(crate) direction: Direction,
    pub(crate) limit: u64,
    pub(crate) offset: u64,
}

/// Reads the query. Unknown keys are ignored, as the real server does.
///
/// The real server divides by `limit` and passes `offset` to SQL; the fake
/// refuses a `limit` below 1 or a negative `offset` with a 400 instead of
/// mimicking what that does there.
pub(crate) fn list_query(raw: &str) -> Result<ListQuery, Failure> {
    let mut query = ListQuery {
        filter: Filter::default(),
        field: OrderField::TriggerAt,
        direction: Direction::Desc,
        limit: DEFAULT_LIMIT,
        offset: 0,
    };
    let mut metadata = Vec::new();
    for (key, value) in form_urlencoded::parse(raw.as_bytes()) {
        let value = value.as_ref();
        match key.as_ref() {
            "limit" => {
                query.limit = parse::<i64>("limit", value)?
                    .try_into()
                    .ok()
                    .filter(|&limit| limit >= 1)
                    .ok_or_else(|| Failure::invalid_field("limit", "limit must be at least 1"))?;
            }
            "offset" => {
                query.offset = parse::<i64>("offset", value)?
                    .try_into()
                    .map_err(|_| Failure::invalid_field("offset", "offset must not be negative"))?;
            }
            "orderByField" => query.field = parse("orderByField", value)?,
            "orderByDirection" => query.direction = parse("orderByDirection", value)?,
            "workflowId" => query.filter.workflow_id = Some(parse::<Uuid>("workflowId", value)?),
            "parentWorkflowRunId" => {
                query.filter.parent_workflow_run_id = Some(parse("parentWorkflowRunId", value)?);
            }
            "parentStepRunId" => {
                query.filter.parent_step_run_id = Some(parse("parentStepRunId", value)?);
            }
            "statuses" => query
                .filter
                .statuses
                .push(parse::<ScheduledRunStatus>("statuses", value)?),
            "additionalMetadata" => metadata.push(value.to_owned()),
            _ => {}
        }
    }
    query.filter.metadata = parse_metadata(&metadata)?;
    Ok(query)
}

fn parse<T>(name: &str, value: &str) -> Result<T, Failure>
where
    T: FromStr,
    T::Err: std::fmt::Display,
{
    value
        .parse()
        .map_err(|e| Failure::invalid_parameter(name, format!("{value:?}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_servers() {
        let query = list_query("").unwrap();
        assert_eq!(
            (query.limit, query.offset, query.field, query.direction),
            (50, 0, OrderField::TriggerAt, Direction::Desc)
        );
        assert_eq!(query.filter, Filter::default());
    }

    #[test]
    fn arrays_are_repeated_keys() {
        let query = list_query(
            "statuses=SCHEDULED&statuses=FAILED&additionalMetadata=env%3Aprod&additionalMetadata=team:core&limit=5&offset=10&orderByField=createdAt&orderByDirection=ASC&other=1",
        )
        .unwrap();
        assert_eq!(
            query.filter.statuses,
            [ScheduledRunStatus::Scheduled, ScheduledRunStatus::Failed]
        );
        assert_eq!(query.filter.metadata.len(), 2);
        assert_eq!(query.filter.metadata["env"], "prod");
        assert_eq!(
            (query.limit, query.offset, query.field, query.direction),
            (5, 10, OrderField::CreatedAt, Direction::Asc)
        );
    }

    #[test]
    fn bad_values_are_refused() {
        for raw in [
            "limit=0",
            "limit=x",
            "offset=-1",
            "statuses=NEW",
            "orderByField=name",
            "orderByDirection=up",
            "workflowId=42",
            "additionalMetadata=nocolon",
        ] {
            assert!(list_query(raw).is_err(), "{raw}");
        }
    }
}
