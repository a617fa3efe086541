//! Workflows, as the read-outs show them: the listing, which SDKs use to
//! resolve a workflow's name to its id, and one workflow by id. A workflow
//! the fake knows was registered by a test
//! ([`FakeHatchet::register_workflow`](crate::FakeHatchet::register_workflow)),
//! with one version.

pub(crate) mod handlers;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::{go_time, state::Workflow};

/// `metadata` of a row that was never changed: both times its creation.
pub(crate) fn meta(id: Uuid, created_at: DateTime<Utc>) -> Value {
    json!({
        "createdAt": go_time::print(created_at),
        "id": id,
        "updatedAt": go_time::print(created_at),
    })
}

/// A listed workflow as `ToWorkflowFromSQLC`
/// (`api/v1/server/oas/transformers/workflow.go`) writes it: no versions,
/// and a `tenantId` it never sets, so `""`.
pub(crate) fn list_row(name: &str, workflow: &Workflow) -> Value {
    json!({
        "description": "",
        "isPaused": false,
        "metadata": meta(workflow.id, workflow.created_at),
        "name": name,
        "tenantId": "",
    })
}

/// One workflow as `ToWorkflow` writes it: its tenant, and its latest
/// version (the fake's only one), numbered 1 and without a version string.
pub(crate) fn details(name: &str, workflow: &Workflow, tenant_id: Uuid) -> Value {
    json!({
        "description": "",
        "isPaused": false,
        "metadata": meta(workflow.id, workflow.created_at),
        "name": name,
        "tenantId": tenant_id,
        "versions": [{
            "metadata": meta(workflow.version_id, workflow.created_at),
            "order": 1,
            "version": "",
            "workflowId": workflow.id,
        }],
    })
}

/// SQL's `ILIKE '%' || pattern || '%'`, as `ListWorkflows` filters by name
/// (`pkg/repository/sqlcv1/workflows.sql`): case-insensitive, anywhere in
/// the name, with `%` matching any run of characters and `_` any one.
pub(crate) fn name_matches(name: &str, pattern: &str) -> bool {
    fn like(name: &[char], pattern: &[char]) -> bool {
        match pattern.split_first() {
            None => name.is_empty(),
            Some(('%', rest)) => (0..=name.len()).any(|skip| like(&name[skip..], rest)),
            Some((&wanted, rest)) => name
                .split_first()
                .is_some_and(|(&got, tail)| (wanted == '_' || got == wanted) && like(tail, rest)),
        }
    }
    let lower = |text: &str| text.to_lowercase().chars().collect::<Vec<_>>();
    let pattern: Vec<char> = ['%']
        .into_iter()
        .chain(lower(pattern))
        .chain(['%'])
        .collect();
    like(&lower(name), &pattern)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_as_ilike_anywhere_with_wildcards() {
        for pattern in ["", "live", "ECHO", "e_h", "%", "live-echo", "-"] {
            assert!(name_matches("live-echo", pattern), "{pattern}");
        }
        for pattern in ["echo-live", "x", "e__h", "live-echo-"] {
            assert!(!name_matches("live-echo", pattern), "{pattern}");
        }
    }
}
