//! The operations' handlers. The gate has already looked the tenant and
//! schedule up and authenticated the request; each handler binds its body,
//! applies one state operation under the lock, and answers.

use std::sync::Arc;

use axum::{
    Extension, Json,
    extract::{Path, RawQuery, State},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::{
    Schedule,
    bind::JsonBody,
    body,
    gate::ScheduleId,
    listing::select,
    model::to_wire,
    pagination::page,
    query::list_query,
    reply::Failure,
    state::{self, Shared},
};

pub(crate) type AppState = State<Arc<Shared>>;

#[derive(Deserialize)]
pub(crate) struct WorkflowPath {
    pub(crate) workflow: String,
}

pub(crate) fn reply(result: Result<Value, Failure>) -> Response {
    match result {
        Ok(value) => Json(value).into_response(),
        Err(failure) => failure.into_response(),
    }
}

/// Applies `change` under the lock; the schedule it made or changed, as a row.
fn changed_row(
    shared: &Shared,
    change: impl FnOnce(&mut state::State) -> Result<&Schedule, Failure>,
) -> Result<Value, Failure> {
    let mut state = shared.lock();
    let tenant_id = state.tenant_id;
    change(&mut state).map(|row| to_wire(row, tenant_id))
}

pub(crate) async fn create(
    State(shared): AppState,
    Path(WorkflowPath { workflow }): Path<WorkflowPath>,
    JsonBody(json): JsonBody,
) -> Response {
    reply(
        body::create_request(json)
            .and_then(|request| changed_row(&shared, |state| state.create(&workflow, request))),
    )
}

pub(crate) async fn get(
    State(shared): AppState,
    Extension(ScheduleId(id)): Extension<ScheduleId>,
) -> Response {
    let state = shared.lock();
    reply(state.get(id).map(|row| to_wire(row, state.tenant_id)))
}

pub(crate) async fn update(
    State(shared): AppState,
    Extension(ScheduleId(id)): Extension<ScheduleId>,
    JsonBody(json): JsonBody,
) -> Response {
    reply(
        body::update_request(json)
            .and_then(|trigger_at| changed_row(&shared, |state| state.update(id, trigger_at))),
    )
}

pub(crate) async fn delete(
    State(shared): AppState,
    Extension(ScheduleId(id)): Extension<ScheduleId>,
) -> Response {
    match shared.lock().delete(id) {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(failure) => failure.into_response(),
    }
}

pub(crate) async fn trigger(
    State(shared): AppState,
    Extension(ScheduleId(id)): Extension<ScheduleId>,
) -> Response {
    reply(
        shared
            .lock()
            .trigger(id)
            .map(|run_id| json!({"externalId": run_id})),
    )
}

pub(crate) async fn list(State(shared): AppState, RawQuery(raw): RawQuery) -> Response {
    reply(list_query(raw.as_deref().unwrap_or("")).map(|query| {
        let state = shared.lock();
        let rows = select(
            state.schedules.values(),
            &query.filter,
            query.field,
            query.ascending,
        );
        page(rows, query.window, |row| to_wire(row, state.tenant_id))
    }))
}

pub(crate) async fn bulk_delete(State(shared): AppState, JsonBody(json): JsonBody) -> Response {
    reply(body::bulk_delete_request(json).and_then(|request| shared.lock().bulk_delete(request)))
}

pub(crate) async fn bulk_update(State(shared): AppState, JsonBody(json): JsonBody) -> Response {
    reply(body::bulk_update_request(json).and_then(|updates| shared.lock().bulk_update(updates)))
}
