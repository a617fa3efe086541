//! The run read-outs' handlers (`api/v1/server/handlers/v1/workflow-runs/
//! list.go`, `get.go`). The gate has already looked the tenant, or the
//! run, up and authenticated the request.

use std::cmp::Reverse;

use axum::{
    Extension,
    extract::{RawQuery, State},
    response::Response,
};
use serde_json::json;

use super::{Listed, details, listing::run_list_query, summary};
use crate::{
    gate::RunId,
    handlers::{AppState, reply},
};

/// `v1-workflow-run:list`: the matching runs, newest first (ties: id
/// descending; listing tasks, id ascending).
pub(crate) async fn list(State(shared): AppState, RawQuery(raw): RawQuery) -> Response {
    reply(run_list_query(raw.as_deref().unwrap_or("")).map(|query| {
        let state = shared.lock();
        let mut rows: Vec<Listed> = state
            .runs
            .iter()
            .enumerate()
            .map(|(index, run)| Listed {
                run,
                workflow: state.workflow(&run.workflow_name),
                task_id: index + 1,
            })
            .filter(|listed| query.matches(listed.run, listed.workflow.map(|w| w.id)))
            .collect();
        if query.only_tasks {
            rows.sort_by_key(|l| (Reverse(l.run.started_at), l.run.run_id));
        } else {
            rows.sort_by_key(|l| Reverse((l.run.started_at, l.run.run_id)));
        }
        let count = rows.len();
        let shown: Vec<_> = rows
            .iter()
            .skip(usize::try_from(query.offset).unwrap_or(usize::MAX))
            .take(usize::try_from(query.limit).unwrap_or(usize::MAX))
            .map(|listed| {
                summary(
                    listed,
                    state.tenant_id,
                    query.only_tasks,
                    query.include_payloads,
                )
            })
            .collect();
        json!({"pagination": query.pagination(count), "rows": shown})
    }))
}

/// `v1-workflow-run:get`: the run the gate found.
pub(crate) async fn get(
    State(shared): AppState,
    Extension(RunId(id)): Extension<RunId>,
) -> Response {
    let state = shared.lock();
    let (index, run) = state
        .runs
        .iter()
        .enumerate()
        .find(|(_, run)| run.run_id == id)
        .expect("the gate found the run");
    let listed = Listed {
        run,
        workflow: state.workflow(&run.workflow_name),
        task_id: index + 1,
    };
    reply(Ok(details(&listed, state.tenant_id)))
}
