//! Every facade operation as a value, for table-driven tests: how to call
//! it and what a successful answer looks like.

use std::time::Duration;

use chrono::{TimeZone, Utc};
use hatchet_scheduled::{ClientConfig, Error, RetryPolicy, ScheduledClient};
use uuid::Uuid;
use wiremock::ResponseTemplate;

pub const TENANT: Uuid = Uuid::from_u128(0x707d0855_80ab_4e1f_a156_f1c4546cbf52);
pub const ID: Uuid = Uuid::from_u128(0x6e0bb1d4_3c43_4b9c_9a2f_5c2c0c8a1d11);

pub fn client(server_url: &str, policy: RetryPolicy, timeout: Duration) -> ScheduledClient {
    let config = ClientConfig::builder()
        .token("retry-test-token")
        .server_url(server_url)
        .tenant_id(TENANT)
        .timeout(timeout)
        .retry_policy(policy)
        .build()
        .unwrap();
    ScheduledClient::new(config).unwrap()
}

/// A realistic scheduled run as the server sends it.
pub fn row() -> serde_json::Value {
    serde_json::json!({
        "metadata": {"id": ID, "createdAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-01T00:00:00Z"},
        "tenantId": TENANT, "workflowId": Uuid::from_u128(1), "workflowVersionId": Uuid::from_u128(2),
        "workflowName": "wf", "triggerAt": "2026-02-01T00:00:00Z", "method": "API"
    })
}

/// One facade operation.
#[derive(Clone, Copy, Debug)]
pub enum Op {
    Get,
    List,
    Delete,
    Update,
    BulkUpdate,
    Create,
    Trigger,
    BulkDelete,
}

impl Op {
    pub fn success(self) -> ResponseTemplate {
        let ok = ResponseTemplate::new(200);
        match self {
            Op::Get | Op::Update | Op::Create => ok.set_body_json(row()),
            Op::List => ok.set_body_json(serde_json::json!({"rows": [row()]})),
            Op::Delete => ResponseTemplate::new(204),
            Op::BulkUpdate => {
                ok.set_body_json(serde_json::json!({"updatedIds": [ID], "errors": []}))
            }
            Op::BulkDelete => {
                ok.set_body_json(serde_json::json!({"deletedIds": [ID], "errors": []}))
            }
            Op::Trigger => ok.set_body_json(serde_json::json!({"externalId": ID})),
        }
    }

    pub async fn run(self, client: &ScheduledClient) -> Result<(), Error> {
        let at = Utc.with_ymd_and_hms(2026, 2, 1, 0, 0, 0).unwrap();
        match self {
            Op::Get => client.get(ID).await.map(drop),
            Op::List => client.list().send().await.map(drop),
            Op::Delete => client.delete(ID).await,
            Op::Update => client.update(ID, at).await.map(drop),
            Op::BulkUpdate => client.bulk_update([(ID, at)]).await.map(drop),
            Op::Create => client.create("wf", at).send().await.map(drop),
            Op::Trigger => client.trigger_now(ID).await.map(drop),
            Op::BulkDelete => client.bulk_delete_ids([ID]).await.map(drop),
        }
    }
}

pub const IDEMPOTENT: [Op; 5] = [Op::Get, Op::List, Op::Delete, Op::Update, Op::BulkUpdate];
pub const NOT_IDEMPOTENT: [Op; 3] = [Op::Create, Op::Trigger, Op::BulkDelete];
