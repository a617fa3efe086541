//! Creating, reading, pausing and resuming, deleting and triggering one
//! cron, as the handlers `*_cron.go` and the repository
//! (`pkg/repository/workflow_schedules.go`) do.

use std::ops::RangeInclusive;

use serde_json::{Map, Value};
use uuid::Uuid;

use super::{Cron, StoredCron};
use crate::{
    FiredRun, ScheduleMethod, body::CronCreateRequest, go_time::stored, reply::Failure,
    state::State,
};

/// The priorities the database's check constraint on
/// `WorkflowTriggerCronRef` allows (Hatchet's `sql/schema/v0.sql`): nothing
/// else checks a cron's priority, so 4 is stored.
const PRIORITIES: RangeInclusive<i32> = 1..=4;

/// A cron to store.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NewCron {
    pub(crate) name: Option<String>,
    pub(crate) expression: String,
    pub(crate) input: Map<String, Value>,
    pub(crate) additional_metadata: Option<Map<String, Value>>,
    pub(crate) priority: u8,
}

impl State {
    /// Creates a cron through the API, checking as `create_cron.go` and
    /// the database do, in their order: the cron name must not be empty
    /// (400 "cron name is required"), the workflow must exist (400
    /// "workflow not found"), then the insert must pass the priority check
    /// (default 1) and the unique constraint on the workflow version's
    /// triggers, expression and name (400 "cron trigger with that
    /// name-expression pair already exists"); any other database refusal is
    /// 400 "error creating cron trigger". The expression itself is not
    /// checked: `CreateCronWorkflow` never runs the validator its options
    /// are tagged for. A missing input or metadata is stored as NULL.
    pub(crate) fn create_cron(
        &mut self,
        workflow_name: &str,
        request: CronCreateRequest,
    ) -> Result<&Cron, Failure> {
        if request.cron_name.is_empty() {
            return Err(Failure::bad_request("cron name is required"));
        }
        let workflow = self
            .workflow(workflow_name)
            .ok_or_else(|| Failure::bad_request("workflow not found"))?;
        let priority = request.priority.unwrap_or(1);
        let priority = PRIORITIES
            .contains(&priority)
            .then(|| u8::try_from(priority).ok())
            .flatten()
            .ok_or_else(|| Failure::bad_request("error creating cron trigger"))?;
        let duplicate = self.crons.values().any(|stored| {
            stored.parent_id == workflow.triggers_id
                && stored.cron.expression == request.cron_expression
                && stored.cron.name.as_deref() == Some(request.cron_name.as_str())
        });
        if duplicate {
            return Err(Failure::bad_request(
                "cron trigger with that name-expression pair already exists",
            ));
        }
        let new = NewCron {
            name: Some(request.cron_name),
            expression: request.cron_expression,
            input: request.input.unwrap_or_default(),
            additional_metadata: request.additional_metadata,
            priority,
        };
        self.insert_cron(workflow_name, new, ScheduleMethod::Api)
    }

    /// Stores a new, enabled cron of a registered workflow; its first
    /// occurrence after now is the first to fire.
    pub(crate) fn insert_cron(
        &mut self,
        workflow_name: &str,
        new: NewCron,
        method: ScheduleMethod,
    ) -> Result<&Cron, Failure> {
        let workflow = self
            .workflow(workflow_name)
            .ok_or_else(|| Failure::bad_request("workflow not found"))?;
        let now = self.clock.now();
        let cron = Cron {
            id: Uuid::new_v4(),
            workflow_id: workflow.id,
            workflow_version_id: workflow.version_id,
            workflow_name: workflow_name.to_owned(),
            name: new.name,
            expression: new.expression,
            enabled: true,
            input: new.input,
            additional_metadata: new.additional_metadata,
            priority: new.priority,
            method,
            created_at: stored(now),
            updated_at: stored(now),
        };
        let stored = StoredCron {
            cron,
            parent_id: workflow.triggers_id,
            fires_after: now,
        };
        Ok(&self.crons.entry(stored.cron.id).or_insert(stored).cron)
    }

    /// A cron the lookup found; gone since only through a concurrent
    /// request, which the server answers as an unknown id (500).
    pub(crate) fn cron(&self, id: Uuid) -> Result<&Cron, Failure> {
        self.crons
            .get(&id)
            .map(|stored| &stored.cron)
            .ok_or_else(Failure::internal)
    }

    /// Pauses (`false`) or resumes (`true`) a cron, whatever its method;
    /// `None` changes nothing (`UpdateCronTrigger` keeps `enabled` then).
    /// A resumed cron next fires at its first occurrence after now, as the
    /// ticker schedules it afresh: missed occurrences are not caught up.
    pub(crate) fn update_cron(&mut self, id: Uuid, enabled: Option<bool>) -> Result<(), Failure> {
        let now = self.clock.now();
        let stored = self.crons.get_mut(&id).ok_or_else(Failure::internal)?;
        if let Some(enabled) = enabled {
            if enabled && !stored.cron.enabled {
                stored.fires_after = now;
            }
            stored.cron.enabled = enabled;
        }
        Ok(())
    }

    /// Deletes a cron, whatever its method (`delete_cron.go` does not check
    /// it, unlike schedules).
    pub(crate) fn delete_cron(&mut self, id: Uuid) -> Result<(), Failure> {
        self.crons
            .remove(&id)
            .map(|_| ())
            .ok_or_else(Failure::internal)
    }

    /// Starts a run of the cron's workflow now, with its input, metadata and
    /// priority, paused or not; the cron stays (`trigger_cron.go`).
    pub(crate) fn trigger_cron(&mut self, id: Uuid) -> Result<Uuid, Failure> {
        let now = stored(self.clock.now());
        let run = FiredRun::from_cron(self.cron(id)?, now, Uuid::new_v4(), now, false);
        let run_id = run.run_id;
        self.runs.push(run);
        Ok(run_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(name: &str, expression: &str, priority: Option<i32>) -> CronCreateRequest {
        CronCreateRequest {
            cron_name: name.into(),
            cron_expression: expression.into(),
            priority,
            ..CronCreateRequest::default()
        }
    }

    fn description(failure: Failure) -> String {
        match failure {
            Failure::Errors(status, description) if status == 400 => description,
            other => panic!("not a 400 with errors: {other:?}"),
        }
    }

    #[test]
    fn names_are_unique_per_workflow_and_expression() {
        let mut state = State::new(Uuid::new_v4());
        state.register_workflow("a");
        state.register_workflow("b");
        state
            .create_cron("a", request("n", "0 * * * *", None))
            .unwrap();
        let again = state
            .create_cron("a", request("n", "0 * * * *", None))
            .unwrap_err();
        assert_eq!(
            description(again),
            "cron trigger with that name-expression pair already exists"
        );
        for (workflow, name, expression) in [
            ("a", "n", "0  * * * *"), // the text differs
            ("a", "m", "0 * * * *"),
            ("b", "n", "0 * * * *"),
        ] {
            assert!(
                state
                    .create_cron(workflow, request(name, expression, None))
                    .is_ok(),
                "{workflow} {name} {expression}"
            );
        }
    }

    #[test]
    fn the_priority_check_comes_before_the_unique_constraint() {
        let mut state = State::new(Uuid::new_v4());
        state.register_workflow("a");
        state
            .create_cron("a", request("n", "* * * * *", None))
            .unwrap();
        let refused = state
            .create_cron("a", request("n", "* * * * *", Some(5)))
            .unwrap_err();
        assert_eq!(description(refused), "error creating cron trigger");
    }
}
