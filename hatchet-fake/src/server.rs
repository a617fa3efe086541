//! Binding, routing and the gate every request passes first: it logs the
//! operation, applies injected faults (a proxy in front of Hatchet), then
//! does what Hatchet's middleware does, in its order: the lookups of the
//! tenant and schedule, then authentication.

use std::{
    net::{Ipv4Addr, SocketAddr},
    sync::Arc,
};

use axum::{
    Router,
    extract::{Request, State as AxumState},
    http::StatusCode,
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use tokio::{net::TcpListener, sync::watch, task::JoinHandle};

use crate::{
    Operation,
    auth::authenticate,
    handlers::{self, ScheduleId},
    lookup,
    operation::{Target, classify},
    reply::Failure,
    state::{Shared, State},
};

/// A running server: its address, shared state and task.
pub(crate) struct Running {
    pub(crate) address: SocketAddr,
    pub(crate) shared: Arc<Shared>,
    pub(crate) stop: watch::Sender<bool>,
    pub(crate) task: JoinHandle<()>,
}

/// Binds `127.0.0.1:0` and serves on the current Tokio runtime. The token
/// is minted from the bound address, so it is made by `mint_token`.
pub(crate) async fn start(
    state: State,
    mint_token: impl FnOnce(&str) -> String,
) -> std::io::Result<Running> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
    let address = listener.local_addr()?;
    let (stop, shutdown) = watch::channel(false);
    let token = mint_token(&format!("http://{address}"));
    let shared = Arc::new(Shared::new(state, token, shutdown.clone()));
    let app = router(shared.clone());
    let task = tokio::spawn(async move {
        let mut shutdown = shutdown;
        let stopped = async move {
            let _ = shutdown.wait_for(|stopped| *stopped).await;
        };
        // An accept loop error ends the fake; tests then see connection errors.
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(stopped)
            .await;
    });
    Ok(Running {
        address,
        shared,
        stop,
        task,
    })
}

fn router(shared: Arc<Shared>) -> Router {
    let scheduled = "/api/v1/tenants/{tenant}/workflows/scheduled";
    Router::new()
        .route(
            "/api/v1/tenants/{tenant}/workflows/{workflow}/scheduled",
            post(handlers::create),
        )
        .route(scheduled, get(handlers::list))
        .route(
            &format!("{scheduled}/bulk-delete"),
            post(handlers::bulk_delete),
        )
        .route(
            &format!("{scheduled}/bulk-update"),
            post(handlers::bulk_update),
        )
        .route(
            &format!("{scheduled}/{{id}}"),
            get(handlers::get)
                .patch(handlers::update)
                .delete(handlers::delete)
                .post(handlers::trigger),
        )
        .layer(middleware::from_fn_with_state(shared.clone(), gate))
        .with_state(shared)
}

/// Logs the operation, applies a pending fault, looks the tenant and
/// schedule up, then authenticates.
async fn gate(
    AxumState(shared): AxumState<Arc<Shared>>,
    mut request: Request,
    next: Next,
) -> Response {
    let Some(target) = classify(request.method(), request.uri().path()) else {
        return next.run(request).await;
    };
    let fault = {
        let mut state = shared.lock();
        state.requests.push(target.operation);
        state.faults.take(target.operation)
    };
    if let Some(fault) = fault {
        if !shared.wait(fault.wait()).await {
            return (StatusCode::SERVICE_UNAVAILABLE, "the fake is shutting down").into_response();
        }
        if let Some(response) = fault.response() {
            return response;
        }
    }
    let checked = look_up(&shared, &target)
        .and_then(|id| authenticate(request.headers(), &shared.token).map(|()| id));
    match checked {
        Ok(id) => {
            if let Some(id) = id {
                request.extensions_mut().insert(ScheduleId(id));
            }
            next.run(request).await
        }
        Err(failure) => failure.into_response(),
    }
}

/// The populator's lookups; the schedule's id for single-schedule routes.
fn look_up(shared: &Shared, target: &Target<'_>) -> Result<Option<uuid::Uuid>, Failure> {
    let state = shared.lock();
    lookup::tenant(target.tenant, state.tenant_id)?;
    match (target.operation, target.schedule) {
        (
            Operation::Get | Operation::Update | Operation::Delete | Operation::Trigger,
            Some(segment),
        ) => lookup::schedule(target.tenant, segment, state.tenant_id, |id| {
            state.schedules.contains_key(&id)
        })
        .map(Some),
        _ => Ok(None),
    }
}
