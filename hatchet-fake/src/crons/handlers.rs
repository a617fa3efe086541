//! The cron operations' handlers (`create_cron.go`, `list_crons.go`,
//! `get_cron.go`, `update_cron.go`, `delete_cron.go`, `trigger_cron.go`).
//! The gate has already looked the tenant and cron up and authenticated
//! the request.

use axum::{
    Extension,
    extract::{Path, RawQuery, State},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use serde_json::json;

use super::{
    listing::{cron_list_query, select},
    to_wire,
};
use crate::{
    bind::JsonBody,
    body,
    gate::CronId,
    handlers::{AppState, WorkflowPath, reply},
    pagination::page,
    reply::Failure,
};

pub(crate) async fn create(
    State(shared): AppState,
    Path(WorkflowPath { workflow }): Path<WorkflowPath>,
    JsonBody(json): JsonBody,
) -> Response {
    reply(body::cron_create_request(json).and_then(|request| {
        let mut state = shared.lock();
        let tenant_id = state.tenant_id;
        state
            .create_cron(&workflow, request)
            .map(|cron| to_wire(cron, tenant_id))
    }))
}

pub(crate) async fn list(State(shared): AppState, RawQuery(raw): RawQuery) -> Response {
    reply(cron_list_query(raw.as_deref().unwrap_or("")).map(|query| {
        let state = shared.lock();
        let rows = select(state.crons.values(), &query);
        page(rows, query.window, |cron| to_wire(cron, state.tenant_id))
    }))
}

pub(crate) async fn get(
    State(shared): AppState,
    Extension(CronId(id)): Extension<CronId>,
) -> Response {
    let state = shared.lock();
    reply(state.cron(id).map(|cron| to_wire(cron, state.tenant_id)))
}

/// Pauses or resumes: 204 with no body.
pub(crate) async fn update(
    State(shared): AppState,
    Extension(CronId(id)): Extension<CronId>,
    JsonBody(json): JsonBody,
) -> Response {
    no_content(
        body::cron_update_request(json).and_then(|enabled| shared.lock().update_cron(id, enabled)),
    )
}

pub(crate) async fn delete(
    State(shared): AppState,
    Extension(CronId(id)): Extension<CronId>,
) -> Response {
    no_content(shared.lock().delete_cron(id))
}

/// Starts a run now; answers the contract's `TriggerRunResult`.
pub(crate) async fn trigger(
    State(shared): AppState,
    Extension(CronId(id)): Extension<CronId>,
) -> Response {
    reply(
        shared
            .lock()
            .trigger_cron(id)
            .map(|run_id| json!({"externalId": run_id})),
    )
}

fn no_content(result: Result<(), Failure>) -> Response {
    match result {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(failure) => failure.into_response(),
    }
}
