//! The listings' query strings, read as the server reads them: the
//! generated binding converts `limit`, `offset` and the ids (400 `{"message"}`
//! when it cannot), and passes every enum value through unchecked; the
//! handler and repository refuse later (`list_scheduled.go`,
//! `list_crons.go`, `pkg/repository/workflow_schedules.go`,
//! `workflow_schedules.sql`).

use axum::http::StatusCode;
use uuid::Uuid;

use crate::{
    go_uuid,
    listing::{Filter, OrderField, parse_metadata},
    reply::Failure,
};

/// Rows per page unless `limit` says otherwise (`list_scheduled.go`,
/// `list_crons.go`).
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

/// A schedule listing request the server would answer with rows.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ListQuery {
    pub(crate) filter: Filter,
    pub(crate) field: OrderField,
    pub(crate) ascending: bool,
    pub(crate) window: Window,
}

/// Which rows of a listing a page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Window {
    pub(crate) limit: u64,
    pub(crate) offset: u64,
}

/// Reads the query and applies the server's checks, in the server's order:
/// binding, parameter by parameter in the contract's order (400), metadata
/// format (400), order field and direction (500, the repository's `oneof`
/// validation), statuses (500, the SQL enum cast), then the page window
/// (see [`window`]). Unknown keys are ignored.
pub(crate) fn list_query(raw: &str) -> Result<ListQuery, Failure> {
    let params = Params::parse(raw);
    let offset = params.integer("offset")?;
    let limit = params.integer("limit")?;
    let order_by_field = params.single("orderByField")?;
    let order_by_direction = params.single("orderByDirection")?;
    let workflow_id = params.id("workflowId")?;
    let parent_workflow_run_id = params.id("parentWorkflowRunId")?;
    let parent_step_run_id = params.id("parentStepRunId")?;
    let metadata = params.list("additionalMetadata");
    let statuses = params.list("statuses");

    let metadata = metadata.as_deref().map(parse_metadata).transpose()?;
    let field = match order_by_field {
        None | Some("triggerAt") => OrderField::TriggerAt,
        Some("createdAt") => OrderField::CreatedAt,
        Some(_) => return Err(Failure::internal()),
    };
    let ascending = ascending(order_by_direction)?;
    if let Some(statuses) = &statuses
        && statuses.iter().any(|s| !STATUSES.contains(&s.as_str()))
    {
        return Err(Failure::internal());
    }
    Ok(ListQuery {
        filter: Filter {
            workflow_id,
            parent_workflow_run_id,
            parent_step_run_id,
            metadata,
            statuses,
        },
        field,
        ascending,
        window: window(limit, offset)?,
    })
}

/// `orderByDirection`, which the repository's `oneof` validation limits
/// to `ASC` and `DESC` (else 500); descending unless given.
pub(crate) fn ascending(direction: Option<&str>) -> Result<bool, Failure> {
    match direction {
        None | Some("DESC") => Ok(false),
        Some("ASC") => Ok(true),
        Some(_) => Err(Failure::internal()),
    }
}

/// The page window: 50 rows from the first unless given. PostgreSQL refuses
/// a negative `LIMIT` or `OFFSET` (500).
///
/// `limit=0` makes the server divide by zero and answer nonsense page
/// numbers; the fake refuses it with a 400 instead.
pub(crate) fn window(limit: Option<i64>, offset: Option<i64>) -> Result<Window, Failure> {
    let limit = limit.unwrap_or(DEFAULT_LIMIT);
    let offset = offset.unwrap_or(0);
    let (Ok(limit), Ok(offset)) = (u64::try_from(limit), u64::try_from(offset)) else {
        return Err(Failure::internal());
    };
    if limit == 0 {
        return Err(Failure::Message(
            StatusCode::BAD_REQUEST,
            "hatchet-fake does not model limit=0 (Hatchet's server divides by it)".into(),
        ));
    }
    Ok(Window { limit, offset })
}

/// A query string as the generated binding reads it: parameter by
/// parameter, each one's failure a 400 `{"message"}`.
pub(crate) struct Params(Vec<(String, String)>);

impl Params {
    pub(crate) fn parse(raw: &str) -> Self {
        Self(
            form_urlencoded::parse(raw.as_bytes())
                .map(|(key, value)| (key.into_owned(), value.into_owned()))
                .collect(),
        )
    }

    /// A single-value parameter; given more than once, the binding refuses it.
    pub(crate) fn single(&self, name: &str) -> Result<Option<&str>, Failure> {
        match self.all(name).as_slice() {
            [] => Ok(None),
            [value] => Ok(Some(value)),
            _ => Err(Failure::invalid_parameter(
                name,
                format!("multiple values for single value parameter '{name}'"),
            )),
        }
    }

    /// A 64-bit integer parameter, refused with `strconv.ParseInt`'s words
    /// as the binding wraps them.
    pub(crate) fn integer(&self, name: &str) -> Result<Option<i64>, Failure> {
        self.single(name)?
            .map(|value| {
                value.parse().map_err(|_| {
                    let digits = value.strip_prefix(['+', '-']).unwrap_or(value);
                    let why = if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
                        "value out of range"
                    } else {
                        "invalid syntax"
                    };
                    Failure::invalid_parameter(
                        name,
                        format!(
                            "error binding string parameter: strconv.ParseInt: parsing {}: {why}",
                            go_quote(value)
                        ),
                    )
                })
            })
            .transpose()
    }

    /// A UUID parameter, parsed as `uuid.Parse` parses it, refused with the
    /// binding's words around `uuid.Parse`'s.
    pub(crate) fn id(&self, name: &str) -> Result<Option<Uuid>, Failure> {
        self.single(name)?
            .map(|value| {
                go_uuid::parse(value).map_err(|reason| {
                    Failure::invalid_parameter(
                        name,
                        format!("error unmarshaling '{value}' text as *uuid.UUID: {reason}"),
                    )
                })
            })
            .transpose()
    }

    /// An array parameter: every value of the repeated key; `None` if absent.
    pub(crate) fn list(&self, name: &str) -> Option<Vec<String>> {
        let values = self.all(name);
        (!values.is_empty()).then(|| values.into_iter().map(str::to_owned).collect())
    }

    fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
            .collect()
    }
}

/// A string as Go's `%q` (`strconv.Quote`) prints it, for the ASCII the
/// fake meets: quotes and backslashes escaped, newlines, tabs and carriage
/// returns as `\n`, `\t`, `\r`, other control bytes as `\xNN`.
fn go_quote(text: &str) -> String {
    let mut quoted = String::from("\"");
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                quoted.push('\\');
                quoted.push(c);
            }
            '\n' => quoted.push_str("\\n"),
            '\t' => quoted.push_str("\\t"),
            '\r' => quoted.push_str("\\r"),
            c if c.is_control() => quoted.push_str(&format!("\\x{:02x}", u32::from(c))),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binding_refusals_use_gos_words() {
        let params = Params::parse("limit=abc&offset=99999999999999999999&workflowId=42&q=a%22b");
        assert_eq!(
            params.integer("limit"),
            Err(Failure::invalid_parameter(
                "limit",
                "error binding string parameter: strconv.ParseInt: parsing \"abc\": invalid syntax"
            ))
        );
        assert_eq!(
            params.integer("offset"),
            Err(Failure::invalid_parameter(
                "offset",
                "error binding string parameter: strconv.ParseInt: parsing \"99999999999999999999\": value out of range"
            ))
        );
        assert_eq!(
            params.id("workflowId"),
            Err(Failure::invalid_parameter(
                "workflowId",
                "error unmarshaling '42' text as *uuid.UUID: invalid UUID length: 2"
            ))
        );
        assert_eq!(go_quote("a\"b\\\n\u{1}"), r#""a\"b\\\n\x01""#);
    }

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
            (query.window, query.field, query.ascending),
            (
                Window {
                    limit: 50,
                    offset: 0
                },
                OrderField::TriggerAt,
                false
            )
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
            (query.window, query.field, query.ascending),
            (
                Window {
                    limit: 5,
                    offset: 10
                },
                OrderField::CreatedAt,
                true
            )
        );
    }

    #[test]
    fn parameters_are_bound_in_the_contracts_order() {
        // The generated binding reports the first parameter it fails on,
        // in the order the contract declares them, not as sent.
        match list_query("workflowId=42&limit=x") {
            Err(Failure::Message(StatusCode::BAD_REQUEST, message)) => {
                assert!(
                    message.starts_with("Invalid format for parameter limit"),
                    "{message}"
                );
            }
            other => panic!("{other:?}"),
        }
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
