//! The workflow read-outs' handlers (`api/v1/server/handlers/workflows/
//! list.go`, `get.go`). The gate has already looked the tenant, or the
//! workflow, up and authenticated the request.

use std::cmp::Reverse;

use axum::{
    Extension,
    extract::{RawQuery, State},
    response::Response,
};

use super::{details, list_row, name_matches};
use crate::{
    gate::WorkflowId,
    handlers::{AppState, reply},
    pagination::page,
    query::{DEFAULT_LIMIT, Params, Window},
    reply::Failure,
};

/// `workflow:list`: the workflows whose name contains `name`, newest
/// first, 50 unless `limit` says otherwise. `ListWorkflows` takes a
/// `limit` of 0 or less as 50 and an offset below 0 as 0
/// (`pkg/repository/workflow.go`).
pub(crate) async fn list(State(shared): AppState, RawQuery(raw): RawQuery) -> Response {
    let query = (|| {
        let params = Params::parse(raw.as_deref().unwrap_or(""));
        let offset = params.integer("offset")?.unwrap_or(0);
        let limit = params.integer("limit")?.unwrap_or(DEFAULT_LIMIT);
        let name = params.single("name")?.unwrap_or("").to_owned();
        let window = Window {
            limit: u64::try_from(limit).ok().filter(|&l| l > 0).unwrap_or(50),
            offset: u64::try_from(offset).unwrap_or(0),
        };
        Ok::<_, Failure>((name, window))
    })();
    reply(query.map(|(name, window)| {
        let state = shared.lock();
        let mut rows: Vec<_> = state
            .workflows()
            .filter(|(workflow_name, _)| name_matches(workflow_name, &name))
            .collect();
        // Newest first; the server breaks no ties, the fake by id.
        rows.sort_by_key(|(_, workflow)| (Reverse(workflow.created_at), workflow.id));
        page(rows, window, |(name, workflow)| list_row(name, workflow))
    }))
}

/// `workflow:get`: the workflow the gate found.
pub(crate) async fn get(
    State(shared): AppState,
    Extension(WorkflowId(id)): Extension<WorkflowId>,
) -> Response {
    let state = shared.lock();
    let (name, workflow) = state
        .workflow_by_id(id)
        .expect("the gate found the workflow");
    reply(Ok(details(name, workflow, state.tenant_id)))
}
