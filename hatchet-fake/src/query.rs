//! The list operation's query string, read as the server reads it: the
//! generated binding converts `limit`, `offset` and the ids (400 `{"message"}`
//! when it cannot), and passes every enum value through unchecked; the
//! handler and repository refuse later (`list_scheduled.go`,
//! `pkg/repository/workflow_schedules.go`, `workflow_schedules.sql`).

use uuid::Uuid;

use crate::{
    go_uuid,
    listing::{Filter, OrderField, parse_metadata},
    reply::Failure,
};

/// Rows per page unless `limit` says otherwise (`list_scheduled.go`).
pub(crate) const DEFAULT_LIMIT: i64 = 50;

/// The values the `"WorkflowRunStatus"` enum cast of the SQL accepts, plus
/// `SCHEDULED`, which the repository turns into "has no run" before the
/// cast. The database enum is the contract's `WorkflowRunStatus`.
const STATUSES: [&str; 8] = [
    "SCHEDULED",
    "PENDING",
    "RUNNING",
    "SUCCEEDED",
    "FAILED",
    "CANCELLED",
    "QUEUED",
    "BACKOFF",
];

/// A listing request the server would answer with rows.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ListQuery {
    pub(crate) filter: Filter,
    pub(crate) field: OrderField,
    pub(crate) ascending: bool,
    pub(crate) limit: u64,
    pub(crate) offset: u64,
}

/// The parameters as bound, before the handler looks at them.
#[derive(Debug, Default)]
struct Bound {
    limit: Option<i64>,
    offset: Option<i64>,
    order_by_field: Option<String>,
    order_by_direction: Option<String>,
    workflow_id: Option<Uuid>,
    parent_workflow_run_id: Option<Uuid>,
    parent_step_run_id: Option<Uuid>,
    metadata: Option<Vec<String>>,
    statuses: Option<Vec<String>>,
}

/// Reads the query and applies the server's checks, in the server's order:
/// binding (400), metadata format (400), order field and direction (500,
/// the repository's `oneof` validation), statuses (500, the SQL enum cast),
/// negative limit or offset (500, refused by PostgreSQL). Unknown keys are
/// ignored.
///
/// `limit=0` makes the server divide by zero and answer nonsense page
/// numbers; the fake refuses it with a 400 instead.
pub(crate) fn list_query(raw: &str) -> Result<ListQuery, Failure> {
    let bound = bind(raw)?;
    let metadata = bound.metadata.as_deref().map(parse_metadata).transpose()?;
    let field = match bound.order_by_field.as_deref() {
        None | Some("triggerAt") => OrderField::TriggerAt,
        Some("createdAt") => OrderField::CreatedAt,
        Some(_) => return Err(Failure::internal()),
    };
    let ascending = match bound.order_by_direction.as_deref() {
        None | Some("DESC") => false,
        Some("ASC") => true,
        Some(_) => return Err(Failure::internal()),
    };
    if let Some(statuses) = &bound.statuses
        && statuses.iter().any(|s| !STATUSES.contains(&s.as_str()))
    {
        return Err(Failure::internal());
    }
    let limit = bound.limit.unwrap_or(DEFAULT_LIMIT);
    let offset = bound.offset.unwrap_or(0);
    let (Ok(limit), Ok(offset)) = (u64::try_from(limit), u64::try_from(offset)) else {
        return Err(Failure::internal());
    };
    if limit == 0 {
        return Err(Failure::Message(
            axum::http::StatusCode::BAD_REQUEST,
            "hatchet-fake does not model limit=0 (Hatchet's server divides by it)".into(),
        ));
    }
    Ok(ListQuery {
        filter: Filter {
            workflow_id: bound.workflow_id,
            parent_workflow_run_id: bound.parent_workflow_run_id,
            parent_step_run_id: bound.parent_step_run_id,
            metadata,
            statuses: bound.statuses,
        },
        field,
        ascending,
        limit,
        offset,
    })
}

fn bind(raw: &str) -> Result<Bound, Failure> {
    let mut bound = Bound::default();
    for (key, value) in form_urlencoded::parse(raw.as_bytes()) {
        let value = value.into_owned();
        match key.as_ref() {
            "limit" => once(&mut bound.limit, "limit", integer("limit", &value)?)?,
            "offset" => once(&mut bound.offset, "offset", integer("offset", &value)?)?,
            "orderByField" => once(&mut bound.order_by_field, "orderByField", value)?,
            "orderByDirection" => once(&mut bound.order_by_direction, "orderByDirection", value)?,
            "workflowId" => once(
                &mut bound.workflow_id,
                "workflowId",
                id("workflowId", &value)?,
            )?,
            "parentWorkflowRunId" => once(
                &mut bound.parent_workflow_run_id,
                "parentWorkflowRunId",
                id("parentWorkflowRunId", &value)?,
            )?,
            "parentStepRunId" => once(
                &mut bound.parent_step_run_id,
                "parentStepRunId",
                id("parentStepRunId", &value)?,
            )?,
            "additionalMetadata" => bound.metadata.get_or_insert_with(Vec::new).push(value),
            "statuses" => bound.statuses.get_or_insert_with(Vec::new).push(value),
            _ => {}
        }
    }
    Ok(bound)
}

/// Sets a single-value parameter; a repeated one is refused by the binding.
fn once<T>(slot: &mut Option<T>, name: &str, value: T) -> Result<(), Failure> {
    if slot.is_some() {
        return Err(Failure::invalid_parameter(
            name,
            format!("multiple values for single value parameter '{name}'"),
        ));
    }
    *slot = Some(value);
    Ok(())
}

fn integer(name: &str, value: &str) -> Result<i64, Failure> {
    value
        .parse()
        .map_err(|_| Failure::invalid_parameter(name, format!("{value:?} is not a 64-bit integer")))
}

fn id(name: &str, value: &str) -> Result<Uuid, Failure> {
    go_uuid::parse(value).map_err(|reason| Failure::invalid_parameter(name, reason))
}

#[cfg(test)]
mod tests {
    use axum::http::StatusCode;

    use super::*;

    fn status(raw: &str) -> StatusCode {
        match list_query(raw) {
            Ok(_) => StatusCode::OK,
            Err(Failure::Message(status, _) | Failure::Errors(status, _)) => status,
            Err(other) => panic!("{other:?}"),
        }
    }

    #[test]
    fn defaults_are_the_servers() {
        let query = list_query("").unwrap();
        assert_eq!(
            (query.limit, query.offset, query.field, query.ascending),
            (50, 0, OrderField::TriggerAt, false)
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
            Some(vec!["SCHEDULED".into(), "FAILED".into()])
        );
        assert_eq!(query.filter.metadata.as_ref().unwrap()["env"], "prod");
        assert_eq!(
            (query.limit, query.offset, query.field, query.ascending),
            (5, 10, OrderField::CreatedAt, true)
        );
    }

    #[test]
    fn each_refusal_has_the_servers_status() {
        for (raw, expected) in [
            ("limit=x", StatusCode::BAD_REQUEST),
            ("limit=1&limit=2", StatusCode::BAD_REQUEST),
            ("workflowId=42", StatusCode::BAD_REQUEST),
            ("additionalMetadata=nocolon", StatusCode::BAD_REQUEST),
            ("orderByField=name", StatusCode::INTERNAL_SERVER_ERROR),
            ("orderByDirection=asc", StatusCode::INTERNAL_SERVER_ERROR),
            ("statuses=NEW", StatusCode::INTERNAL_SERVER_ERROR),
            ("statuses=BACKOFF", StatusCode::OK),
            ("limit=-1", StatusCode::INTERNAL_SERVER_ERROR),
            ("offset=-1", StatusCode::INTERNAL_SERVER_ERROR),
            ("limit=0", StatusCode::BAD_REQUEST),
            (
                "additionalMetadata=x&orderByField=name",
                StatusCode::BAD_REQUEST,
            ),
        ] {
            assert_eq!(status(raw), expected, "{raw}");
        }
    }
}
