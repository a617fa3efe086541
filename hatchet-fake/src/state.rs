//! The fake's in-memory tenant: workflows, schedules, clock, faults and the
//! request log, and the single-row operations on them.

use std::collections::{BTreeMap, HashMap};

use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::{
    FiredRun, Operation, Schedule, ScheduleMethod,
    clock::Clock,
    faults::FaultQueue,
    model::{RunState, stored_time},
    reply::Failure,
};

/// The status a run starts in when its schedule fires.
pub(crate) const FIRED_STATUS: &str = "PENDING";

/// A registered workflow.
#[derive(Debug, Clone, Copy)]
struct Workflow {
    id: Uuid,
    version_id: Uuid,
}

/// A schedule to create, as a create request described it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NewSchedule {
    pub(crate) trigger_at: DateTime<Utc>,
    pub(crate) input: Map<String, Value>,
    pub(crate) additional_metadata: Map<String, Value>,
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
        }
    }

    /// Registers a workflow by name; registering it again changes nothing.
    pub(crate) fn register_workflow(&mut self, name: &str) -> Uuid {
        self.workflows
            .entry(name.to_owned())
            .or_insert_with(|| Workflow {
                id: Uuid::new_v4(),
                version_id: Uuid::new_v4(),
            })
            .id
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
        let now = stored_time(self.clock.now());
        let schedule = Schedule {
            id: Uuid::new_v4(),
            workflow_id: workflow.id,
            workflow_version_id: workflow.version_id,
            workflow_name: workflow_name.to_owned(),
            trigger_at: stored_time(new.trigger_at),
            created_at: now,
            updated_at: now,
            input: new.input,
            additional_metadata: new.additional_metadata,
            priority: new.priority,
            method,
            parent_workflow_run_id: None,
            parent_step_run_id: None,
            run: None,
        };
        let id = schedule.id;
        Ok(self.schedules.entry(id).or_insert(schedule))
    }

    /// The id in a request path, checked as the real server's middleware
    /// does: malformed → 400, unknown → 404, both as `{"message"}`.
    pub(crate) fn find(&self, raw_id: &str) -> Result<Uuid, Failure> {
        let id = Uuid::parse_str(raw_id).map_err(|_| {
            Failure::Message(
                StatusCode::BAD_REQUEST,
                "invalid scheduled workflow run id".into(),
            )
        })?;
        if !self.schedules.contains_key(&id) {
            return Err(Failure::Message(
                StatusCode::NOT_FOUND,
                "scheduled workflow run not found".into(),
            ));
        }
        Ok(id)
    }

    pub(crate) fn get(&self, raw_id: &str) -> Result<&Schedule, Failure> {
        let id = self.find(raw_id)?;
        Ok(&self.schedules[&id])
    }

    /// Reschedules one API-made schedule that has not fired yet.
    pub(crate) fn update(
        &mut self,
        raw_id: &str,
        trigger_at: DateTime<Utc>,
    ) -> Result<&Schedule, Failure> {
        let id = self.find(raw_id)?;
        let now = stored_time(self.clock.now());
        let schedule = self.schedules.get_mut(&id).expect("`find` checked the id");
        if schedule.method != ScheduleMethod::Api {
            return Err(Failure::Errors(
                StatusCode::FORBIDDEN,
                "Cannot update scheduled run created via code definition.".into(),
            ));
        }
        if schedule.run.is_some() {
            return Err(Failure::bad_request(
                "Scheduled run has already been triggered and cannot be rescheduled.",
            ));
        }
        schedule.trigger_at = stored_time(trigger_at);
        schedule.updated_at = now;
        Ok(schedule)
    }

    /// Deletes one API-made schedule.
    pub(crate) fn delete(&mut self, raw_id: &str) -> Result<(), Failure> {
        let id = self.find(raw_id)?;
        if self.schedules[&id].method != ScheduleMethod::Api {
            return Err(Failure::Description(
                StatusCode::FORBIDDEN,
                "Cannot delete scheduled run created via code definition.".into(),
            ));
        }
        self.schedules.remove(&id);
        Ok(())
    }

    /// Starts a schedule's run now; the schedule is then gone.
    pub(crate) fn trigger(&mut self, raw_id: &str) -> Result<Uuid, Failure> {
        let id = self.find(raw_id)?;
        let schedule = self.schedules.remove(&id).expect("`find` checked the id");
        let run_id = Uuid::new_v4();
        let started = FiredRun::new(&schedule, run_id, stored_time(self.clock.now()));
        self.runs.push(started);
        Ok(run_id)
    }

    /// Fires every schedule due by the fake's clock that has not fired,
    /// earliest first: each gets a run in [`FIRED_STATUS`] and stays listed.
    pub(crate) fn fire_due(&mut self) -> Vec<FiredRun> {
        let now = self.clock.now();
        let mut due: Vec<&mut Schedule> = self
            .schedules
            .values_mut()
            .filter(|s| s.run.is_none() && s.trigger_at <= now)
            .collect();
        due.sort_by_key(|s| (s.trigger_at, s.id));
        let started_at = stored_time(now);
        let fired: Vec<FiredRun> = due
            .into_iter()
            .map(|schedule| {
                let run_id = Uuid::new_v4();
                schedule.run = Some(RunState {
                    id: run_id,
                    name: run_name(&schedule.workflow_name, run_id),
                    status: FIRED_STATUS.to_owned(),
                    created_at: started_at,
                });
                FiredRun::new(schedule, run_id, started_at)
            })
            .collect();
        self.runs.extend(fired.iter().cloned());
        fired
    }

    /// Sets the status of a fired schedule's run; `false` if the schedule
    /// does not exist or has not fired.
    pub(crate) fn set_run_status(&mut self, schedule_id: Uuid, status: &str) -> bool {
        match self
            .schedules
            .get_mut(&schedule_id)
            .and_then(|s| s.run.as_mut())
        {
            Some(run) => {
                run.status = status.to_owned();
                true
            }
            None => false,
        }
    }
}

/// Hatchet names runs after their workflow plus a short suffix.
fn run_name(workflow: &str, run_id: Uuid) -> String {
    let suffix = run_id.simple().to_string();
    format!("{workflow}-{}", &suffix[..8])
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::*;

    fn new_at(trigger_at: DateTime<Utc>) -> NewSchedule {
        NewSchedule {
            trigger_at,
            input: Map::new(),
            additional_metadata: Map::new(),
            priority: 1,
        }
    }

    #[test]
    fn only_due_unfired_schedules_fire_and_they_stay_listed() {
        let mut state = State::new(Uuid::new_v4());
        state.register_workflow("wf");
        let now = state.clock.now();
        let due = state
            .insert(
                "wf",
                new_at(now - Duration::minutes(1)),
                ScheduleMethod::Api,
            )
            .unwrap()
            .id;
        let later = state
            .insert("wf", new_at(now + Duration::hours(1)), ScheduleMethod::Api)
            .unwrap()
            .id;
        let fired = state.fire_due();
        assert_eq!(fired.len(), 1);
        assert_eq!(fired[0].schedule_id, due);
        assert!(state.fire_due().is_empty(), "a schedule fires once");
        assert_eq!(
            state.schedules[&due].run.as_ref().unwrap().status,
            "PENDING"
        );
        assert!(state.schedules[&later].run.is_none());
        assert!(state.set_run_status(due, "SUCCEEDED"));
        assert!(!state.set_run_status(later, "SUCCEEDED"));
    }

    #[test]
    fn registering_twice_keeps_the_workflow() {
        let mut state = State::new(Uuid::new_v4());
        assert_eq!(state.register_workflow("a"), state.register_workflow("a"));
        assert_ne!(state.register_workflow("a"), state.register_workflow("b"));
    }
}
