//! Deciding a sync: which declared crons are missing, which differ, which
//! are equal, and what else the workflow has. Pure: no request is made
//! here, so every rule is tested without a server.

use std::collections::{BTreeMap, HashSet};

#[cfg(test)]
use serde_json::Value;

use super::{CronSpec, SyncPlan};
use crate::{CronTrigger, Error, ScheduleMethod, create::NewCron};

/// Refuses what a sync must not send: a blank or repeated name, or a spec
/// that a create would refuse. The error names the spec.
pub(crate) fn check(workflow: &str, specs: &[CronSpec]) -> Result<(), Error> {
    let mut names = HashSet::new();
    for spec in specs {
        let refuse = |reason: String| Error::invalid_argument("specs", reason);
        if spec.name().trim().is_empty() {
            return Err(refuse(format!(
                "the spec with expression `{}` has a blank name; a sync identifies crons by name",
                spec.expression()
            )));
        }
        if !names.insert(spec.name()) {
            return Err(refuse(format!(
                "two specs are named `{}`; names must be unique in one sync",
                spec.name()
            )));
        }
        spec.to_new_cron(workflow.to_owned())
            .validate()
            .map_err(|e| refuse(format!("spec `{}`: {e}", spec.name())))?;
    }
    Ok(())
}

/// Whether the cron already is what the spec declares: the same expression
/// as written, input, metadata and priority (unset meaning the server's
/// default, 1).
pub(crate) fn is_equal(cron: &CronTrigger, spec: &CronSpec) -> bool {
    let declared = &spec.declared.options;
    cron.expression == spec.declared.expression
        && declared
            .input
            .as_ref()
            .is_ok_and(|input| *input == cron.input)
        && declared.metadata == cron.additional_metadata
        && cron.priority.unwrap_or(1) == declared.priority.unwrap_or(1)
}

/// The plan for `specs` over the workflow's `current` crons (every page).
/// Crons declared in code (`DEFAULT`) are only ever `ignored`; API-made
/// crons no spec names are deleted with `prune`, ignored without.
pub(crate) fn plan(specs: Vec<CronSpec>, current: Vec<CronTrigger>, prune: bool) -> SyncPlan {
    let mut plan = SyncPlan::default();
    let mut by_name: BTreeMap<String, Vec<CronTrigger>> = BTreeMap::new();
    for cron in current {
        match (&cron.method, cron.name.clone()) {
            (ScheduleMethod::Api, Some(name)) => by_name.entry(name).or_default().push(cron),
            (ScheduleMethod::Api, None) if prune => plan.delete.push(cron),
            _ => plan.ignored.push(cron),
        }
    }
    for spec in specs {
        match by_name.remove(spec.name()) {
            None => plan.create.push(spec),
            Some(mut olds) if olds.len() == 1 && is_equal(&olds[0], &spec) => {
                plan.keep.push(olds.remove(0));
            }
            Some(olds) => plan
                .replace
                .extend(olds.into_iter().map(|old| (old, spec.clone()))),
        }
    }
    let unnamed = by_name.into_values().flatten();
    if prune {
        plan.delete.extend(unnamed);
    } else {
        plan.ignored.extend(unnamed);
    }
    plan
}

impl CronSpec {
    /// The create request this spec makes for `workflow`.
    pub(crate) fn to_new_cron(&self, workflow: String) -> NewCron {
        NewCron {
            workflow,
            name: self.declared.name.clone(),
            expression: self.declared.expression.clone(),
            options: self.declared.options.clone(),
        }
    }
}

/// A metadata map as the specs and crons hold it, for tests.
#[cfg(test)]
fn metadata(pairs: &[(&str, &str)]) -> serde_json::Map<String, Value> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), Value::String((*v).to_owned())))
        .collect()
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use serde_json::json;
    use uuid::Uuid;

    use super::*;

    fn cron(name: Option<&str>, expression: &str, method: ScheduleMethod) -> CronTrigger {
        let at = Utc.with_ymd_and_hms(2040, 1, 1, 0, 0, 0).unwrap();
        let value = json!({
            "id": Uuid::new_v4(), "name": name, "expression": expression, "enabled": true,
            "tenant_id": Uuid::nil(), "workflow_id": Uuid::nil(), "workflow_version_id": Uuid::nil(),
            "workflow_name": "send-report", "method": method.as_str(), "input": {},
            "additional_metadata": {}, "priority": 1, "created_at": at, "updated_at": at,
        });
        serde_json::from_value(value).unwrap()
    }

    fn api(name: &str, expression: &str) -> CronTrigger {
        cron(Some(name), expression, ScheduleMethod::Api)
    }

    #[test]
    fn specs_are_checked_before_anything_and_the_error_names_the_spec() {
        let refused = |specs: &[CronSpec]| match check("send-report", specs) {
            Err(Error::InvalidArgument {
                name: "specs",
                reason,
            }) => reason,
            other => panic!("{other:?}"),
        };
        assert!(refused(&[CronSpec::new(" ", "0 2 * * *")]).contains("blank name"));
        let twice = [
            CronSpec::new("nightly", "0 2 * * *"),
            CronSpec::new("nightly", "0 3 * * *"),
        ];
        assert!(refused(&twice).contains("two specs are named `nightly`"));
        let daily = refused(&[CronSpec::new("nightly", "@daily")]);
        assert!(
            daily.starts_with("spec `nightly`: invalid argument `expression`"),
            "{daily}"
        );
        let priority = refused(&[CronSpec::new("nightly", "0 2 * * *").priority(4)]);
        assert!(priority.contains("must be 1, 2 or 3"), "{priority}");
        let input = refused(&[CronSpec::new("nightly", "0 2 * * *").input(json!([1]))]);
        assert!(input.contains("input"), "{input}");
        assert!(check("send-report", &[CronSpec::new("nightly", "0 2 * * *")]).is_ok());
    }

    #[test]
    fn equal_means_expression_input_metadata_and_priority_with_1_for_unset() {
        let mut current = api("nightly", "0 2 * * *");
        let spec = CronSpec::new("nightly", "0 2 * * *");
        assert!(is_equal(&current, &spec));
        assert!(is_equal(&current, &spec.clone().priority(1)));
        assert!(!is_equal(&current, &spec.clone().priority(2)));
        assert!(
            !is_equal(&current, &CronSpec::new("nightly", "0 2 * * * ")),
            "as written"
        );
        assert!(!is_equal(&current, &spec.clone().input(json!({"a": 1}))));
        assert!(!is_equal(&current, &spec.clone().metadata("team", "ops")));
        current.additional_metadata = metadata(&[("team", "ops")]);
        current.input = json!({"a": 1}).as_object().unwrap().clone();
        current.enabled = false;
        let same = spec.input(json!({"a": 1})).metadata("team", "ops");
        assert!(is_equal(&current, &same), "paused or not");
    }

    #[test]
    fn a_plan_creates_keeps_replaces_deletes_and_ignores() {
        let kept = api("kept", "0 1 * * *");
        let changed = api("changed", "0 2 * * *");
        let twin_a = api("twins", "0 3 * * *");
        let twin_b = api("twins", "0 4 * * *");
        let stray = api("stray", "0 5 * * *");
        let code = cron(None, "0 6 * * *", ScheduleMethod::Default);
        let current = vec![
            kept.clone(),
            changed.clone(),
            twin_a.clone(),
            twin_b.clone(),
            stray.clone(),
            code.clone(),
        ];
        let specs = vec![
            CronSpec::new("kept", "0 1 * * *"),
            CronSpec::new("changed", "0 2 * * *").priority(3),
            CronSpec::new("twins", "0 3 * * *"),
            CronSpec::new("new", "0 7 * * *"),
        ];
        let plan = plan(specs.clone(), current.clone(), false);
        assert_eq!(plan.create, [specs[3].clone()]);
        assert_eq!(plan.keep, [kept]);
        assert_eq!(
            plan.replace,
            [
                (changed, specs[1].clone()),
                (twin_a, specs[2].clone()),
                (twin_b, specs[2].clone())
            ],
            "several crons of one name are all replaced, even one equal to the spec"
        );
        assert!(plan.delete.is_empty());
        assert_eq!(plan.ignored, [code.clone(), stray.clone()]);

        let pruned = super::plan(specs, current, true);
        assert_eq!(pruned.delete, [stray]);
        assert_eq!(
            pruned.ignored,
            [code],
            "code-defined crons are never pruned"
        );
    }
}
