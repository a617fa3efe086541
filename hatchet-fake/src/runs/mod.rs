//! Workflow runs, as the v1 read-outs show them: the listing and one run's
//! details. The fake's runs are the ones its schedules and crons started
//! ([`FakeHatchet::started_runs`](crate::FakeHatchet::started_runs)). No
//! worker ever takes them, so each reads as Hatchet shows a run it has
//! queued and no worker has taken: `QUEUED`, no start or finish, an empty
//! output (`api/v1/server/oas/transformers/v1/workflow_runs.go`,
//! `tasks.go`). A registered workflow has one task, named as the workflow.

pub(crate) mod handlers;
mod listing;

use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::{FiredRun, go_time, state::Workflow, workflows::meta};

/// Go's zero time, which the details print for a time no event gave.
const GO_ZERO_TIME: &str = "0001-01-01T00:00:00Z";

/// The run's metadata as the engine stores it: `traceparent` added
/// (`pkg/repository/trigger.go`, `ensureTraceparent`, on every way a run
/// is triggered) unless the metadata holds a valid one already.
fn metadata_with_traceparent(run: &FiredRun) -> Map<String, Value> {
    let mut metadata = run.additional_metadata.clone();
    let valid = metadata
        .get("traceparent")
        .and_then(Value::as_str)
        .is_some_and(is_traceparent);
    if !valid {
        metadata.insert("traceparent".into(), traceparent(run.run_id).into());
    }
    metadata
}

/// The W3C trace context the engine derives from a run's id: the trace id
/// from `hatchet-engine-wf-trace:` and the id's bytes, the span id from
/// `hatchet-engine-wf-span:`, each the start of a SHA-256.
fn traceparent(run_id: Uuid) -> String {
    let digest = |prefix: &str, len: usize| {
        let hash = Sha256::new()
            .chain_update(prefix.as_bytes())
            .chain_update(run_id.as_bytes())
            .finalize();
        hash[..len]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    format!(
        "00-{}-{}-01",
        digest("hatchet-engine-wf-trace:", 16),
        digest("hatchet-engine-wf-span:", 8)
    )
}

/// `00-<32 hex>-<16 hex>-<2 hex>`, in lower case.
fn is_traceparent(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let hex = |part: &str, len: usize| {
        part.len() == len && part.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    };
    matches!(parts.as_slice(), [version, trace, span, flags]
        if hex(version, 2) && hex(trace, 32) && hex(span, 16) && hex(flags, 2))
}

/// The input as the engine wraps it for a task (`repository/input.go`):
/// every run, whatever started it, says `triggered_by: "manual"`.
fn wrapped_input(run: &FiredRun) -> Value {
    json!({
        "input": run.input,
        "overrides": null,
        "parents": {},
        "triggered_by": "manual",
        "triggers": {"filter_payload": null},
        "user_data": null,
    })
}

/// A task run's display name: its task's name and the millisecond of its
/// insertion (`repository/task.go`).
fn display_name(run: &FiredRun) -> String {
    format!(
        "{}-{}",
        run.workflow_name,
        run.started_at.timestamp_millis()
    )
}

/// What a listing shows of a run.
pub(crate) struct Listed<'a> {
    pub(crate) run: &'a FiredRun,
    pub(crate) workflow: Option<Workflow>,
    /// The fake's internal task id: the run's place in the log, from 1.
    pub(crate) task_id: usize,
}

/// A listed run (`WorkflowRunDataToV1TaskSummary`, or with `only_tasks`
/// `PopulateTaskRunDataRowToV1TaskSummary`): payloads only when asked
/// for, no start, finish or duration before any event.
fn summary(listed: &Listed, tenant_id: Uuid, only_tasks: bool, include_payloads: bool) -> Value {
    let Listed {
        run,
        workflow,
        task_id,
    } = listed;
    let (run, task_id) = (*run, *task_id);
    let inserted_at = go_time::print(run.started_at);
    let input = if include_payloads {
        wrapped_input(run)
    } else {
        json!({})
    };
    let mut row = json!({
        "actionId": if only_tasks { format!("{0}:{0}", run.workflow_name) } else { String::new() },
        "additionalMetadata": metadata_with_traceparent(run),
        "attempt": 1,
        "createdAt": inserted_at,
        "displayName": display_name(run),
        "errorMessage": "",
        "input": input,
        "metadata": meta(run.run_id, run.started_at),
        "numSpawnedChildren": 0,
        "output": {},
        "retryCount": 0,
        "status": "QUEUED",
        "taskExternalId": run.run_id,
        "taskId": task_id,
        "taskInsertedAt": inserted_at,
        "tenantId": tenant_id,
        "type": if only_tasks { "TASK" } else { "DAG" },
        "workflowName": run.workflow_name,
        "workflowRunExternalId": run.run_id,
    });
    if let Some(workflow) = workflow {
        row["stepId"] = json!(workflow.step_id);
        row["workflowId"] = json!(workflow.id);
        row["workflowVersionId"] = json!(workflow.version_id);
    }
    row
}

/// One run's details (`ToWorkflowRunDetails`), once the engine has queued
/// it and no worker has taken it: its one task `QUEUED`, the run's
/// `createdAt` the time of that first event (the fake says one millisecond
/// after the insertion), start and finish Go's zero time, duration 0, no
/// task events (a one-task run has none), and the workflow's options as
/// an SDK registers a one-task workflow with its defaults.
fn details(listed: &Listed, tenant_id: Uuid) -> Value {
    let Listed { run, workflow, .. } = listed;
    let queued_at = run.started_at + chrono::Duration::milliseconds(1);
    let mut task = summary(listed, tenant_id, true, true);
    task["createdAt"] = json!(GO_ZERO_TIME);
    task["isDurable"] = json!(false);
    task["isEvicted"] = json!(false);
    if let Some(task) = task.as_object_mut() {
        task.remove("workflowName");
    }
    let mut details = json!({
        "run": {
            "additionalMetadata": metadata_with_traceparent(run),
            "createdAt": go_time::print(queued_at),
            "displayName": display_name(run),
            "duration": 0,
            "errorMessage": "",
            "finishedAt": GO_ZERO_TIME,
            "input": wrapped_input(run),
            "metadata": meta(run.run_id, run.started_at),
            "output": {},
            "startedAt": GO_ZERO_TIME,
            "status": "QUEUED",
            "tenantId": tenant_id,
        },
        "shape": [],
        "taskEvents": [],
        "tasks": [task],
        "workflowConfig": {},
    });
    if let Some(workflow) = workflow {
        details["run"]["workflowId"] = json!(workflow.id);
        details["run"]["workflowVersionId"] = json!(workflow.version_id);
        details["shape"] = json!([{
            "childrenStepIds": [],
            "stepId": workflow.step_id,
            "taskExternalId": run.run_id,
            "taskName": run.workflow_name,
        }]);
        details["workflowConfig"] = workflow_config(&run.workflow_name);
    }
    details
}

/// The options stored for a workflow of one task named as the workflow,
/// registered with an SDK's defaults (`createWorkflowVersionOpts`, keys as
/// Go names them).
fn workflow_config(name: &str) -> Value {
    json!({
        "CronInput": null,
        "CronTriggers": null,
        "DefaultPriority": 1,
        "EventTriggers": null,
        "Name": name,
        "Sticky": null,
        "Tasks": [{
            "Action": format!("{name}:{name}"),
            "DesiredWorkerLabels": null,
            "Parents": [],
            "RateLimits": [],
            "ReadableId": name,
            "Retries": 0,
            "RetryBackoffFactor": null,
            "RetryBackoffMaxSeconds": null,
            "ScheduleTimeout": "5m",
            "Timeout": "1m",
            "TriggerConditions": [],
        }],
        "description": "",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_traceparent_is_derived_from_the_run_id_as_the_engine_derives_it() {
        // A run a real Hatchet (89d130f) started, and the traceparent it gave.
        let run = Uuid::parse_str("5cb42f24-1982-4815-abc6-8120604e7708").unwrap();
        assert_eq!(
            traceparent(run),
            "00-c638587a226cd429a2e605c80e651681-d8e9cf1778583f80-01"
        );
        assert!(is_traceparent(&traceparent(run)));
        for not in [
            "",
            "00-abc-def-01",
            "00-C638587A226CD429A2E605C80E651681-d8e9cf1778583f80-01",
        ] {
            assert!(!is_traceparent(not), "{not}");
        }
    }
}
