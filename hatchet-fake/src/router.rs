//! The router, built from the operation table: each operation's method and
//! path lead to its handler, behind a gate that knows which operation it
//! guards.

use std::sync::Arc;

use axum::{
    Router, middleware,
    routing::{MethodRouter, on},
};

use crate::{
    Operation, crons,
    gate::{self, Gate},
    handlers, runs,
    state::Shared,
    workflows,
};

/// Routes every operation in the table. Operations on one path share its
/// route, so a method none of them serves is answered 405 by the router,
/// as a path no route matches is answered 404, without passing the gate.
pub(crate) fn router(shared: Arc<Shared>) -> Router {
    let mut router = Router::new();
    for &operation in Operation::ALL {
        let gate = Gate {
            shared: shared.clone(),
            operation,
        };
        let guarded =
            handler(operation).route_layer(middleware::from_fn_with_state(gate, gate::pass));
        router = router.route(operation.endpoint().path, guarded);
    }
    router.with_state(shared)
}

/// The operation's handler, for requests of the operation's method.
fn handler(operation: Operation) -> MethodRouter<Arc<Shared>> {
    let method = operation.endpoint().method;
    match operation {
        Operation::Create => on(method, handlers::create),
        Operation::List => on(method, handlers::list),
        Operation::Get => on(method, handlers::get),
        Operation::Update => on(method, handlers::update),
        Operation::Delete => on(method, handlers::delete),
        Operation::Trigger => on(method, handlers::trigger),
        Operation::BulkDelete => on(method, handlers::bulk_delete),
        Operation::BulkUpdate => on(method, handlers::bulk_update),
        Operation::CronCreate => on(method, crons::handlers::create),
        Operation::CronList => on(method, crons::handlers::list),
        Operation::CronGet => on(method, crons::handlers::get),
        Operation::CronUpdate => on(method, crons::handlers::update),
        Operation::CronDelete => on(method, crons::handlers::delete),
        Operation::CronTrigger => on(method, crons::handlers::trigger),
        Operation::WorkflowList => on(method, workflows::handlers::list),
        Operation::WorkflowGet => on(method, workflows::handlers::get),
        Operation::WorkflowRunList => on(method, runs::handlers::list),
        Operation::WorkflowRunGet => on(method, runs::handlers::get),
    }
}
