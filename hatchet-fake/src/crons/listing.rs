//! Which crons a listing selects, and in what order, as `list_crons.go`
//! reads the query and `ListCronWorkflows` and `CountCronWorkflows` in
//! `pkg/repository/sqlcv1/workflow_schedules.sql` select them.

use std::{cmp::Ordering, collections::BTreeMap};

use uuid::Uuid;

use super::{Cron, StoredCron};
use crate::{
    listing::{contains_metadata, parse_metadata},
    query::{Params, Window, ascending, window},
    reply::Failure,
};

/// A cron listing request the server would answer with rows.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CronQuery {
    pub(crate) filter: CronFilter,
    pub(crate) field: CronOrderField,
    pub(crate) ascending: bool,
    pub(crate) window: Window,
}

/// The criteria a cron must all meet.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct CronFilter {
    pub(crate) workflow_id: Option<Uuid>,
    /// Compared with the workflow's stored (namespaced) name, exactly.
    pub(crate) workflow_name: Option<String>,
    /// Compared with the cron's name, exactly; a cron without one never
    /// matches.
    pub(crate) cron_name: Option<String>,
    /// See [`contains_metadata`].
    pub(crate) metadata: Option<BTreeMap<String, String>>,
}

impl CronFilter {
    fn matches(&self, cron: &Cron) -> bool {
        self.workflow_id.is_none_or(|id| id == cron.workflow_id)
            && self
                .workflow_name
                .as_ref()
                .is_none_or(|name| *name == cron.workflow_name)
            && self
                .cron_name
                .as_ref()
                .is_none_or(|name| cron.name.as_ref() == Some(name))
            && self
                .metadata
                .as_ref()
                .is_none_or(|wanted| contains_metadata(cron.additional_metadata.as_ref(), wanted))
    }
}

/// The field a cron listing is ordered by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CronOrderField {
    /// `name`: the name of the cron's workflow, not of the cron.
    WorkflowName,
    CreatedAt,
}

/// Reads the query as `list_crons.go` does, in the server's order: binding,
/// parameter by parameter in the contract's order (400), metadata format
/// (400), order field and direction (500, the repository's `oneof`
/// validation), then the page window. Defaults: 50 rows from the first,
/// newest first. Unknown keys are ignored.
pub(crate) fn cron_list_query(raw: &str) -> Result<CronQuery, Failure> {
    let params = Params::parse(raw);
    let offset = params.integer("offset")?;
    let limit = params.integer("limit")?;
    let workflow_id = params.id("workflowId")?;
    let workflow_name = params.single("workflowName")?.map(str::to_owned);
    let cron_name = params.single("cronName")?.map(str::to_owned);
    let metadata = params.list("additionalMetadata");
    let order_by_field = params.single("orderByField")?;
    let order_by_direction = params.single("orderByDirection")?;

    let metadata = metadata.as_deref().map(parse_metadata).transpose()?;
    let field = match order_by_field {
        None | Some("createdAt") => CronOrderField::CreatedAt,
        Some("name") => CronOrderField::WorkflowName,
        Some(_) => return Err(Failure::internal()),
    };
    Ok(CronQuery {
        filter: CronFilter {
            workflow_id,
            workflow_name,
            cron_name,
            metadata,
        },
        field,
        ascending: ascending(order_by_direction)?,
        window: window(limit, offset)?,
    })
}

/// The matching crons, ordered by the query's field (descending unless
/// ascending). The server then orders ties by the cron's `parentId`
/// ascending, which is the same for every cron of a workflow version; the
/// fake orders what the server leaves to PostgreSQL by cron id ascending.
pub(crate) fn select<'a>(
    crons: impl IntoIterator<Item = &'a StoredCron>,
    query: &CronQuery,
) -> Vec<&'a Cron> {
    let mut rows: Vec<&StoredCron> = crons
        .into_iter()
        .filter(|stored| query.filter.matches(&stored.cron))
        .collect();
    rows.sort_by(|a, b| {
        let by_field = match query.field {
            CronOrderField::WorkflowName => a.cron.workflow_name.cmp(&b.cron.workflow_name),
            CronOrderField::CreatedAt => a.cron.created_at.cmp(&b.cron.created_at),
        };
        let by_field = if query.ascending {
            by_field
        } else {
            by_field.reverse()
        };
        match by_field {
            Ordering::Equal => (a.parent_id, a.cron.id).cmp(&(b.parent_id, b.cron.id)),
            other => other,
        }
    });
    rows.into_iter().map(|stored| &stored.cron).collect()
}

#[cfg(test)]
mod tests {
    use axum::http::StatusCode;

    use super::*;

    fn status(raw: &str) -> StatusCode {
        match cron_list_query(raw) {
            Ok(_) => StatusCode::OK,
            Err(Failure::Message(status, _) | Failure::Errors(status, _)) => status,
            Err(other) => panic!("{other:?}"),
        }
    }

    #[test]
    fn defaults_are_the_servers() {
        let query = cron_list_query("").unwrap();
        assert_eq!(
            (query.window, query.field, query.ascending),
            (
                Window {
                    limit: 50,
                    offset: 0
                },
                CronOrderField::CreatedAt,
                false
            )
        );
        assert_eq!(query.filter, CronFilter::default());
    }

    #[test]
    fn every_parameter_is_read() {
        let id = Uuid::new_v4();
        let query = cron_list_query(&format!(
            "workflowId={id}&workflowName=ns_report&cronName=nightly&additionalMetadata=env:prod\
             &orderByField=name&orderByDirection=ASC&limit=5&offset=10&other=1"
        ))
        .unwrap();
        assert_eq!(
            query.filter,
            CronFilter {
                workflow_id: Some(id),
                workflow_name: Some("ns_report".into()),
                cron_name: Some("nightly".into()),
                metadata: Some([("env".into(), "prod".into())].into()),
            }
        );
        assert_eq!(
            (query.window, query.field, query.ascending),
            (
                Window {
                    limit: 5,
                    offset: 10
                },
                CronOrderField::WorkflowName,
                true
            )
        );
    }

    #[test]
    fn each_refusal_has_the_servers_status() {
        for (raw, expected) in [
            ("limit=x", StatusCode::BAD_REQUEST),
            ("cronName=a&cronName=b", StatusCode::BAD_REQUEST),
            ("workflowId=42", StatusCode::BAD_REQUEST),
            ("additionalMetadata=nocolon", StatusCode::BAD_REQUEST),
            ("orderByField=triggerAt", StatusCode::INTERNAL_SERVER_ERROR),
            (
                "orderByField=workflowName",
                StatusCode::INTERNAL_SERVER_ERROR,
            ),
            ("orderByDirection=desc", StatusCode::INTERNAL_SERVER_ERROR),
            ("limit=-1", StatusCode::INTERNAL_SERVER_ERROR),
            ("offset=-1", StatusCode::INTERNAL_SERVER_ERROR),
            ("limit=0", StatusCode::BAD_REQUEST),
            (
                "additionalMetadata=x&orderByField=triggerAt",
                StatusCode::BAD_REQUEST,
            ),
        ] {
            assert_eq!(status(raw), expected, "{raw}");
        }
    }
}
