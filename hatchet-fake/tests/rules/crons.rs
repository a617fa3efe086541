//! Cron triggers: the six operations (`api/v1/server/handlers/workflows/*_cron.go`),
//! the `cron-workflow` lookup (`api/v1/server/run/run.go`), the repository
//! (`pkg/repository/workflow_schedules.go`, `sqlcv1/workflow_schedules.sql`)
//! and the ticker (`internal/services/ticker/cron.go`).

mod create;
mod fired;
mod list;
mod lookup;
mod single;

use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::support::{Api, id_of};

/// Where crons of the workflow every `Api` registers are created.
const CREATE: &str = "send-email/crons";

/// A create body with input and metadata.
fn body(name: &str, expression: &str) -> Value {
    json!({
        "cronName": name,
        "cronExpression": expression,
        "input": {"to": "ada"},
        "additionalMetadata": {"env": "prod"},
    })
}

/// Creates a cron from `request` and returns its row.
async fn create(api: &Api, request: Value) -> Value {
    let reply = api.post(CREATE, request).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    reply.json()
}

/// Creates a cron with this metadata and returns its id.
async fn cron_with(api: &Api, name: &str, metadata: Value) -> Uuid {
    let mut request = body(name, "0 * * * *");
    request["additionalMetadata"] = metadata;
    id_of(&create(api, request).await)
}

/// `crons/{id}`.
fn path(id: Uuid) -> String {
    format!("crons/{id}")
}

/// The ids of a cron listing's rows, in order.
async fn list_ids(api: &Api, query: &str) -> Vec<Uuid> {
    let reply = api.get(&format!("crons?{query}")).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    crate::support::rows(&reply.json())
        .iter()
        .map(id_of)
        .collect()
}

/// Sets the fake's clock to 2040-01-01T00:00Z plus `minutes` (a hair
/// after: the real clock runs on).
fn set_clock(api: &Api, minutes: i64) {
    api.fake
        .advance_to(crate::support::future(0) + chrono::Duration::minutes(minutes));
}
