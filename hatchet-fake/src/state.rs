//! The fake's in-memory tenant: workflows, schedules, crons, clock, faults
//! and the request log, the single-schedule operations on them, and the
//! lock every request handler shares it through.

use std::{
    collections::{BTreeMap, HashMap},
    sync::{Mutex, MutexGuard, PoisonError},
    time::Duration,
};

use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value};
use tokio::sync::watch;
use uuid::Uuid;

use crate::{
    FiredRun, Operation, Schedule, ScheduleMethod,
    body::{CreateRequest, GoTime},
    clock::Clock,
    crons::StoredCron,
    faults::FaultQueue,
    go_time::{stored, stored_trigger_time},
    reply::Failure,
};

/// What PostgreSQL says when a schedule's trigger time is NULL, which is
/// what Go's zero time becomes (`sqlchelpers.TimestampFromTime`).
pub(crate) const NULL_TRIGGER_AT: &str = "ERROR: null value in column \"triggerAt\" of relation \
     \"WorkflowTriggerScheduledRef\" violates not-null constraint (SQLSTATE 23502)";

/// A registered workflow, with one version of one task (a step) named as
/// the workflow.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Workflow {
    pub(crate) id: Uuid,
    pub(crate) version_id: Uuid,
    /// Its version's `WorkflowTriggers` row: the parent of its crons.
    pub(crate) triggers_id: Uuid,
    /// Its task's step.
    pub(crate) step_id: Uuid,
    /// When it was registered, by the fake's clock, to the millisecond.
    pub(crate) created_at: DateTime<Utc>,
}

/// A schedule to store.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NewSchedule {
    pub(crate) trigger_at: DateTime<Utc>,
    pub(crate) input: Map<String, Value>,
    pub(crate) additional_metadata: Option<Map<String, Value>>,
    pub(crate) priority: u8,
}

/// Everything the fake knows. One lock guards it all, held only briefly.
#[derive(Debug)]
pub(crate) struct State {
    pub(crate) tenant_id: Uuid,
    pub(crate) clock: Clock,
    pub(crate) faults: FaultQueue,
    pub(crate) requests: Vec<Operation>,
    pub(crate) runs: Vec<FiredRun>,
    workflows: BTreeMap<String, Workflow>,
    pub(crate) schedules: HashMap<Uuid, Schedule>,
    pub(crate) crons: HashMap<Uuid, StoredCron>,
}

impl State {
    pub(crate) fn new(tenant_id: Uuid) -> Self {
        Self {
            tenant_id,
            clock: Clock::default(),
            faults: FaultQueue::default(),
            requests: Vec::new(),
            runs: Vec::new(),
            workflows: BTreeMap::new(),
            schedules: HashMap::new(),
            crons: HashMap::new(),
        }
    }

    /// Registers a workflow by name; registering it again changes nothing.
    pub(crate) fn register_workflow(&mut self, name: &str) -> Uuid {
        let created_at = stored(self.clock.now());
        self.workflows
            .entry(name.to_owned())
            .or_insert_with(|| Workflow {
                id: Uuid::new_v4(),
                version_id: Uuid::new_v4(),
                triggers_id: Uuid::new_v4(),
                step_id: Uuid::new_v4(),
                created_at,
            })
            .id
    }

    /// The registered workflow of that name.
    pub(crate) fn workflow(&self, name: &str) -> Option<Workflow> {
        self.workflows.get(name).copied()
    }

    /// Every registered workflow with its name.
    pub(crate) fn workflows(&self) -> impl Iterator<Item = (&str, &Workflow)> {
        self.workflows
            .iter()
            .map(|(name, workflow)| (name.as_str(), workflow))
    }

    /// The registered workflow with that id, with its name.
    pub(crate) fn workflow_by_id(&self, id: Uuid) -> Option<(&str, &Workflow)> {
        self.workflows().find(|(_, workflow)| workflow.id == id)
    }

    /// Creates a schedule through the API, checking as `create_scheduled.go`
    /// and the repository do, in their order: the workflow must exist (400
    /// "workflow not found"), then the priority (default 1) must be 1..=3
    /// (400 with Hatchet's validator's message), then the database refuses a
    /// missing trigger time (400 with its message). A missing input or
    /// metadata is stored as NULL.
    pub(crate) fn create(
        &mut self,
        workflow_name: &str,
        request: CreateRequest,
    ) -> Result<&Schedule, Failure> {
        if !self.workflows.contains_key(workflow_name) {
            return Err(Failure::bad_request("workflow not found"));
        }
        let priority = request.priority.unwrap_or(1);
        let priority = u8::try_from(priority)
            .ok()
            .filter(|p| (1..=3).contains(p))
            .ok_or_else(|| {
                // Hatchet's validator wraps go-playground's error in its
                // own multi-error text; the pointer field's value prints
                // as `invalid type` (`pkg/validator/default.go`).
                let (tag, bound) = match priority.cmp(&1) {
                    std::cmp::Ordering::Less => ("min", 1),
                    _ => ("max", 3),
                };
                Failure::bad_request(format!(
                    "error 400: 1 error occurred:\n\t* validation failed on field \
                     'CreateScheduledWorkflowRunForWorkflowOpts.Priority': on condition \
                     '{tag}' [ {bound} ]: got invalid type\n\n"
                ))
            })?;
        let trigger_at = request
            .trigger_at
            .ok_or_else(|| Failure::bad_request(NULL_TRIGGER_AT))?;
        let new = NewSchedule {
            trigger_at: stored_trigger_time(trigger_at),
            input: request.input.unwrap_or_default(),
            additional_metadata: request.additional_metadata,
            priority,
        };
        self.insert(workflow_name, new, ScheduleMethod::Api)
    }

    /// Stores a new schedule of a registered workflow.
    pub(crate) fn insert(
        &mut self,
        workflow_name: &str,
        new: NewSchedule,
        method: ScheduleMethod,
    ) -> Result<&Schedule, Failure> {
        let workflow = *self
            .workflows
            .get(workflow_name)
            .ok_or_else(|| Failure::bad_request("workflow not found"))?;
        let now = stored(self.clock.now());
        let schedule = Schedule {
            id: Uuid::new_v4(),
            workflow_id: workflow.id,
            workflow_version_id: workflow.version_id,
            workflow_name: workflow_name.to_owned(),
            trigger_at: stored(new.trigger_at),
            created_at: now,
            updated_at: now,
            input: new.input,
            additional_metadata: new.additional_metadata,
            priority: new.priority,
            method,
            parent_workflow_run_id: None,
            parent_step_run_id: None,
        };
        let id = schedule.id;
        Ok(self.schedules.entry(id).or_insert(schedule))
    }

    /// A schedule the lookup found; gone since only through a concurrent
    /// request.
    pub(crate) fn get(&self, id: Uuid) -> Result<&Schedule, Failure> {
        self.schedules.get(&id).ok_or_else(not_found)
    }

    /// Reschedules one schedule (`update_scheduled.go`): 403 for a `DEFAULT`
    /// one, 500 for a missing time (the database refuses NULL). Only the
    /// trigger time changes; `updatedAt` stays.
    pub(crate) fn update(&mut self, id: Uuid, trigger_at: GoTime) -> Result<&Schedule, Failure> {
        let schedule = self.schedules.get_mut(&id).ok_or_else(not_found)?;
        if schedule.method != ScheduleMethod::Api {
            return Err(Failure::Errors(
                StatusCode::FORBIDDEN,
                "Cannot update scheduled run created via code definition.".into(),
            ));
        }
        let trigger_at = trigger_at.ok_or_else(Failure::internal)?;
        schedule.trigger_at = stored_trigger_time(trigger_at);
        Ok(schedule)
    }

    /// Deletes one API-made schedule (`delete_scheduled.go`).
    pub(crate) fn delete(&mut self, id: Uuid) -> Result<(), Failure> {
        if self.get(id)?.method != ScheduleMethod::Api {
            return Err(Failure::Description(
                StatusCode::FORBIDDEN,
                "Cannot delete scheduled run created via code definition.".into(),
            ));
        }
        self.schedules.remove(&id);
        Ok(())
    }

    /// Starts a schedule's run now and deletes the schedule, as
    /// `RunScheduledWorkflow` does (`internal/services/ticker/schedule_workflow_v1.go`).
    pub(crate) fn trigger(&mut self, id: Uuid) -> Result<Uuid, Failure> {
        let schedule = self.schedules.remove(&id).ok_or_else(not_found)?;
        let run_id = Uuid::new_v4();
        let started = FiredRun::new(schedule, run_id, stored(self.clock.now()));
        self.runs.push(started);
        Ok(run_id)
    }

    /// Fires every schedule and cron occurrence due by the fake's clock,
    /// earliest first, and keeps the runs started.
    pub(crate) fn fire_due(&mut self) -> Vec<FiredRun> {
        let now = self.clock.now();
        let mut fired = self.fire_due_schedules(now);
        fired.extend(self.fire_due_crons(now));
        fired.sort_by_key(|run| (run.trigger_at, run.started_by));
        self.runs.extend(fired.iter().cloned());
        fired
    }

    /// Fires every schedule due at `now`: each starts a run and is deleted,
    /// as the ticker's `RunScheduledWorkflow` does.
    fn fire_due_schedules(&mut self, now: DateTime<Utc>) -> Vec<FiredRun> {
        let due: Vec<Uuid> = self
            .schedules
            .values()
            .filter(|s| s.trigger_at <= now)
            .map(|s| s.id)
            .collect();
        let started_at = stored(now);
        due.into_iter()
            .filter_map(|id| self.schedules.remove(&id))
            .map(|schedule| FiredRun::new(schedule, Uuid::new_v4(), started_at))
            .collect()
    }
}

/// What every request handler shares: the state, the token the fake
/// accepts, and whether the fake is shutting down.
#[derive(Debug)]
pub(crate) struct Shared {
    state: Mutex<State>,
    pub(crate) token: String,
    shutdown: watch::Receiver<bool>,
}

impl Shared {
    pub(crate) fn new(state: State, token: String, shutdown: watch::Receiver<bool>) -> Self {
        Self {
            state: Mutex::new(state),
            token,
            shutdown,
        }
    }

    /// The state. A handler that panicked cannot leave it half-changed in a
    /// way that matters to a fake, so a poisoned lock is used anyway.
    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits `delay`; `false` if the fake shut down meanwhile.
    pub(crate) async fn wait(&self, delay: Duration) -> bool {
        if delay.is_zero() {
            return true;
        }
        let mut shutdown = self.shutdown.clone();
        tokio::select! {
            () = tokio::time::sleep(delay) => true,
            _ = shutdown.wait_for(|stopped| *stopped) => false,
        }
    }
}

/// What the schedule lookup answers for an id it cannot find.
pub(crate) fn not_found() -> Failure {
    Failure::Message(
        StatusCode::NOT_FOUND,
        "scheduled workflow run not found".into(),
    )
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::*;
    use crate::StartedBy;

    fn new_at(trigger_at: DateTime<Utc>) -> NewSchedule {
        NewSchedule {
            trigger_at,
            input: Map::new(),
            additional_metadata: None,
            priority: 1,
        }
    }

    #[test]
    fn due_schedules_fire_once_and_are_deleted() {
        let mut state = State::new(Uuid::new_v4());
        state.register_workflow("wf");
        let now = state.clock.now();
        let insert = |state: &mut State, at| {
            state
                .insert("wf", new_at(at), ScheduleMethod::Api)
                .unwrap()
                .id
        };
        let due = insert(&mut state, now - Duration::minutes(1));
        let later = insert(&mut state, now + Duration::hours(1));
        let fired = state.fire_due();
        assert_eq!(fired.len(), 1);
        assert_eq!(fired[0].started_by, StartedBy::Schedule(due));
        assert!(state.fire_due().is_empty(), "a schedule fires once");
        assert!(!state.schedules.contains_key(&due));
        assert!(state.schedules.contains_key(&later));
        assert_eq!(state.runs, fired);
    }

    #[test]
    fn registering_twice_keeps_the_workflow() {
        let mut state = State::new(Uuid::new_v4());
        assert_eq!(state.register_workflow("a"), state.register_workflow("a"));
        assert_ne!(state.register_workflow("a"), state.register_workflow("b"));
    }
}
