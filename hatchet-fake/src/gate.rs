//! The gate every routed request passes before its handler. It is a route
//! layer, so requests no route serves (the router's 404 and 405) never
//! reach it. It logs the operation, applies an injected fault (a proxy in
//! front of Hatchet), then does what Hatchet's middleware does, in its
//! order: the lookups of the tenant and the schedule or cron the path
//! names, then authentication.

use std::sync::Arc;

use axum::{
    extract::{Request, State},
    http::StatusCode,
    middleware::Next,
    response::{IntoResponse, Response},
};
use uuid::Uuid;

use crate::{
    Operation,
    auth::authenticate,
    lookup::{self, CRON, SCHEDULE},
    reply::Failure,
    state::Shared,
};

/// The schedule the gate's lookup found, for a single-schedule handler.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ScheduleId(pub(crate) Uuid);

/// The cron the gate's lookup found, for a single-cron handler.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CronId(pub(crate) Uuid);

/// The workflow the gate's lookup found, for `workflow:get`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct WorkflowId(pub(crate) Uuid);

/// The workflow run the gate's lookup found, for `v1-workflow-run:get`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RunId(pub(crate) Uuid);

/// What the lookups found beyond the tenant.
#[derive(Debug, Clone, Copy)]
enum Found {
    Schedule(ScheduleId),
    Cron(CronId),
    Workflow(WorkflowId),
    Run(RunId),
}

/// The gate of one route: the fake, and the operation the route serves.
#[derive(Debug, Clone)]
pub(crate) struct Gate {
    pub(crate) shared: Arc<Shared>,
    pub(crate) operation: Operation,
}

/// Logs the operation, applies a pending fault, looks the tenant and the
/// schedule or cron up, then authenticates.
pub(crate) async fn pass(
    State(Gate { shared, operation }): State<Gate>,
    request: Request,
    next: Next,
) -> Response {
    let fault = {
        let mut state = shared.lock();
        state.requests.push(operation);
        state.faults.take(operation)
    };
    if let Some(fault) = &fault {
        if !shared.wait(fault.wait()).await {
            return (StatusCode::SERVICE_UNAVAILABLE, "the fake is shutting down").into_response();
        }
        if let Some(response) = fault.response() {
            return response;
        }
    }
    let response = handle(&shared, operation, request, next).await;
    match fault {
        Some(fault) => fault.deliver(response),
        None => response,
    }
}

/// The lookups, authentication and the handler: the fake's normal answer.
async fn handle(
    shared: &Shared,
    operation: Operation,
    mut request: Request,
    next: Next,
) -> Response {
    let checked = look_up(shared, operation, request.uri().path())
        .and_then(|id| authenticate(request.headers(), &shared.token).map(|()| id));
    match checked {
        Ok(found) => {
            let extensions = request.extensions_mut();
            match found {
                Some(Found::Schedule(id)) => {
                    extensions.insert(id);
                }
                Some(Found::Cron(id)) => {
                    extensions.insert(id);
                }
                Some(Found::Workflow(id)) => {
                    extensions.insert(id);
                }
                Some(Found::Run(id)) => {
                    extensions.insert(id);
                }
                None => {}
            }
            next.run(request).await
        }
        Err(failure) => failure.into_response(),
    }
}

/// The populator's lookups of what the route names: a workflow or a run
/// on the two routes without a tenant; otherwise the tenant, then, on a
/// single-schedule or single-cron route, the schedule or cron.
fn look_up(shared: &Shared, operation: Operation, path: &str) -> Result<Option<Found>, Failure> {
    let route = operation.endpoint().path;
    let state = shared.lock();
    match operation {
        Operation::WorkflowGet => {
            let segment = parameter(route, path, "workflow").unwrap_or_default();
            let id = lookup::owned(segment, "invalid workflow id", |id| {
                state.workflow_by_id(id).is_some()
            })?;
            return Ok(Some(Found::Workflow(WorkflowId(id))));
        }
        Operation::WorkflowRunGet => {
            let segment = parameter(route, path, "v1-workflow-run").unwrap_or_default();
            let id = lookup::owned(segment, "invalid workflow run id", |id| {
                state.runs.iter().any(|run| run.run_id == id)
            })?;
            return Ok(Some(Found::Run(RunId(id))));
        }
        _ => {}
    }
    let tenant = parameter(route, path, "tenant").unwrap_or_default();
    lookup::tenant(tenant, state.tenant_id)?;
    if let Some(segment) = parameter(route, path, SCHEDULE.parameter) {
        let id = SCHEDULE.look_up(tenant, segment, state.tenant_id, |id| {
            state.schedules.contains_key(&id)
        })?;
        return Ok(Some(Found::Schedule(ScheduleId(id))));
    }
    if let Some(segment) = parameter(route, path, CRON.parameter) {
        let id = CRON.look_up(tenant, segment, state.tenant_id, |id| {
            state.crons.contains_key(&id)
        })?;
        return Ok(Some(Found::Cron(CronId(id))));
    }
    Ok(None)
}

/// The segment of `path` that the parameter `{name}` of `route` matched,
/// as sent (not percent-decoded). A parameter matches one whole segment,
/// so the segments of a route and of a path it matched line up.
fn parameter<'a>(route: &str, path: &'a str, name: &str) -> Option<&'a str> {
    route
        .split('/')
        .zip(path.split('/'))
        .find(|(pattern, _)| {
            pattern
                .strip_prefix('{')
                .and_then(|pattern| pattern.strip_suffix('}'))
                == Some(name)
        })
        .map(|(_, segment)| segment)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_the_path_segments_as_sent() {
        let route = "/tenants/{tenant}/scheduled/{scheduled-workflow-run}";
        let path = "/tenants/t%31/scheduled/";
        assert_eq!(parameter(route, path, "tenant"), Some("t%31"));
        assert_eq!(parameter(route, path, "scheduled-workflow-run"), Some(""));
        assert_eq!(parameter(route, path, "workflow"), None);
    }
}
