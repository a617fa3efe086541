//! Carrying a plan out, keeping count of what was done so that a failure
//! part-way can say so (`Error::SyncIncomplete`).

use super::{CronSpec, SyncPlan, SyncReport};
use crate::{CronClient, CronTrigger, Error};

/// What has been done so far, and the client doing it.
struct Progress<'a> {
    client: &'a CronClient,
    workflow: &'a str,
    done: SyncReport,
}

/// Carries `plan` out: creates, then replacements, then deletions. On a
/// failure the error carries what was done before it.
pub(crate) async fn apply(
    client: &CronClient,
    workflow: &str,
    plan: SyncPlan,
) -> Result<SyncReport, Error> {
    let SyncPlan {
        create,
        replace,
        delete,
        keep,
        ignored,
    } = plan;
    let mut progress = Progress {
        client,
        workflow,
        done: SyncReport {
            kept: keep,
            ignored,
            ..SyncReport::default()
        },
    };
    let outcome = progress.run(create, replace, delete).await;
    match outcome {
        Ok(()) => Ok(progress.done),
        Err(source) => Err(Error::SyncIncomplete {
            done: Box::new(progress.done),
            source: Box::new(source),
        }),
    }
}

impl Progress<'_> {
    async fn run(
        &mut self,
        create: Vec<CronSpec>,
        replace: Vec<(CronTrigger, CronSpec)>,
        delete: Vec<CronTrigger>,
    ) -> Result<(), Error> {
        for spec in create {
            let made = self.create(&spec).await?;
            self.done.created.push(made);
        }
        for (olds, spec) in by_spec(replace) {
            self.replace(olds, &spec).await?;
        }
        for cron in delete {
            self.client.delete(cron.id).await?;
            self.done.deleted.push(cron.id);
        }
        Ok(())
    }

    async fn create(&self, spec: &CronSpec) -> Result<CronTrigger, Error> {
        let cron = spec.to_new_cron(self.workflow.to_owned());
        self.client.send_create(cron).await
    }

    /// Replaces `olds` (crons of the spec's name) with one cron made from
    /// `spec`. Hatchet allows one cron per name and expression, so an old
    /// one with the spec's expression is deleted first, leaving a moment
    /// without it; the others after the new one exists. The new cron is
    /// paused if an old one was.
    async fn replace(
        &mut self,
        olds: Vec<CronTrigger>,
        spec: &CronSpec,
    ) -> Result<CronTrigger, Error> {
        let (blocking, rest): (Vec<_>, Vec<_>) = olds
            .iter()
            .partition(|old| old.expression == spec.expression());
        for old in &blocking {
            self.client.delete(old.id).await?;
            self.done.deleted.push(old.id);
        }
        let mut made = self.create(spec).await?;
        // The ones deleted first were replaced, not merely deleted.
        self.done
            .deleted
            .retain(|id| !blocking.iter().any(|old| old.id == *id));
        self.done
            .replaced
            .extend(blocking.iter().map(|old| (old.id, made.clone())));
        if olds.iter().any(|old| !old.enabled) {
            self.client.pause(made.id).await?;
            made.enabled = false;
            for (_, new) in &mut self.done.replaced {
                if new.id == made.id {
                    new.enabled = false;
                }
            }
        }
        for old in &rest {
            self.client.delete(old.id).await?;
            self.done.replaced.push((old.id, made.clone()));
        }
        Ok(made)
    }
}

/// The replacements grouped by spec, in the plan's order.
fn by_spec(replace: Vec<(CronTrigger, CronSpec)>) -> Vec<(Vec<CronTrigger>, CronSpec)> {
    let mut groups: Vec<(Vec<CronTrigger>, CronSpec)> = Vec::new();
    for (old, spec) in replace {
        match groups.iter_mut().find(|(_, s)| s.name() == spec.name()) {
            Some((olds, _)) => olds.push(old),
            None => groups.push((vec![old], spec)),
        }
    }
    groups
}

/// Replaces one cron, as `CronClient::replace` does.
pub(crate) async fn replace_one(
    client: &CronClient,
    old: CronTrigger,
    spec: &CronSpec,
) -> Result<CronTrigger, Error> {
    let workflow = old.workflow_name.clone();
    let mut progress = Progress {
        client,
        workflow: &workflow,
        done: SyncReport::default(),
    };
    match progress.replace(vec![old], spec).await {
        Ok(made) => Ok(made),
        Err(source) if progress.done == SyncReport::default() => Err(source),
        Err(source) => Err(Error::SyncIncomplete {
            done: Box::new(progress.done),
            source: Box::new(source),
        }),
    }
}
