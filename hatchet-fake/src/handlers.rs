//! The eight endpoints: each reads its request, applies one state
//! operation under the lock, and answers.

use std::sync::Arc;

use axum::{
    Json,
    body::Bytes,
    extract::{Path, RawQuery, State},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::{
    ScheduleMethod, body, listing::select, model::to_rest, pagination::page_info,
    query::list_query, reply::Failure, server::Shared,
};

type AppState = State<Arc<Shared>>;

#[derive(Deserialize)]
pub(crate) struct WorkflowPath {
    workflow: String,
}

#[derive(Deserialize)]
pub(crate) struct IdPath {
    id: String,
}

fn reply<T: Serialize>(result: Result<T, Failure>) -> Response {
    match result {
        Ok(value) => Json(value).into_response(),
        Err(failure) => failure.into_response(),
    }
}

pub(crate) async fn create(
    State(shared): AppState,
    Path(WorkflowPath { workflow }): Path<WorkflowPath>,
    request: Bytes,
) -> Response {
    reply(body::create_request(&request).and_then(|new| {
        let mut state = shared.lock();
        let tenant_id = state.tenant_id;
        let row = state.insert(&workflow, new, ScheduleMethod::Api)?;
        Ok(to_rest(row, tenant_id))
    }))
}

pub(crate) async fn get(State(shared): AppState, Path(IdPath { id }): Path<IdPath>) -> Response {
    let state = shared.lock();
    reply(state.get(&id).map(|row| to_rest(row, state.tenant_id)))
}

pub(crate) async fn update(
    State(shared): AppState,
    Path(IdPath { id }): Path<IdPath>,
    request: Bytes,
) -> Response {
    let mut state = shared.lock();
    let tenant_id = state.tenant_id;
    reply(
        state
            .find(&id)
            .and_then(|_| body::update_request(&request))
            .and_then(|at| state.update(&id, at).map(|row| to_rest(row, tenant_id))),
    )
}

pub(crate) async fn delete(State(shared): AppState, Path(IdPath { id }): Path<IdPath>) -> Response {
    match shared.lock().delete(&id) {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(failure) => failure.into_response(),
    }
}

pub(crate) async fn trigger(
    State(shared): AppState,
    Path(IdPath { id }): Path<IdPath>,
) -> Response {
    reply(
        shared
            .lock()
            .trigger(&id)
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
            query.direction,
        );
        let count = rows.len() as u64;
        let page: Vec<_> = rows
            .into_iter()
            .skip(usize::try_from(query.offset).unwrap_or(usize::MAX))
            .take(usize::try_from(query.limit).unwrap_or(usize::MAX))
            .map(|row| to_rest(row, state.tenant_id))
            .collect();
        json!({
            "rows": page,
            "pagination": page_info(count, query.limit, query.offset),
        })
    }))
}

pub(crate) async fn bulk_delete(State(shared): AppState, request: Bytes) -> Response {
    reply(
        body::bulk_delete_request(&request).and_then(|request| shared.lock().bulk_delete(request)),
    )
}

pub(crate) async fn bulk_update(State(shared): AppState, request: Bytes) -> Response {
    reply(body::bulk_update_request(&request).map(|updates| shared.lock().bulk_update(updates)))
}
