//! Crons as code: the crons a workflow should have, declared as
//! [`CronSpec`]s and made true by [`CronClient::sync`] (created when
//! missing, replaced when they differ, left alone when equal); and
//! [`CronClient::replace`], which changes one cron. Hatchet itself can only
//! pause and resume a cron, so a change is a new cron in place of the old:
//! its id changes.

mod apply;
mod plan;

use serde::Serialize;
use uuid::Uuid;

use crate::{
    CronClient, CronTrigger, Error, RunInput,
    create::{RunOptions, run_option_setters},
};

/// A cron a workflow should have: its name, which identifies it in a sync,
/// its expression, and the input, metadata and priority of its runs, which
/// mean what they mean on [`CronCreateBuilder`](crate::CronCreateBuilder).
///
/// ```
/// use hatchet_scheduled::CronSpec;
///
/// let nightly = CronSpec::new("nightly", "0 2 * * *")
///     .input(serde_json::json!({"kind": "full"}))
///     .metadata("team", "ops")
///     .priority(2);
/// assert_eq!((nightly.name(), nightly.expression()), ("nightly", "0 2 * * *"));
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct CronSpec {
    declared: Declared,
}

/// What a spec declares; a field of its own so that the option setters
/// shared with the create builders apply to it.
#[derive(Debug, Clone, PartialEq)]
struct Declared {
    name: String,
    expression: String,
    options: RunOptions,
}

impl CronSpec {
    /// A cron named `name` that fires at `expression` (checked, like a
    /// create's, when the sync is planned or sent).
    pub fn new(name: impl Into<String>, expression: impl Into<String>) -> Self {
        Self {
            declared: Declared {
                name: name.into(),
                expression: expression.into(),
                options: RunOptions::default(),
            },
        }
    }

    /// The cron's name.
    pub fn name(&self) -> &str {
        &self.declared.name
    }

    /// The cron's expression, as written.
    pub fn expression(&self) -> &str {
        &self.declared.expression
    }

    run_option_setters!(declared);
}

/// What a sync would do, from [`CronSyncBuilder::plan`]; made by reading
/// only.
///
/// ```
/// # async fn run(crons: hatchet_scheduled::CronClient) -> Result<(), hatchet_scheduled::Error> {
/// use hatchet_scheduled::CronSpec;
///
/// let plan = crons.sync("send-report", [CronSpec::new("nightly", "0 2 * * *")]).plan().await?;
/// for (old, spec) in &plan.replace {
///     println!("{} becomes `{}`", old.expression, spec.expression());
/// }
/// if plan.is_empty() {
///     println!("nothing to do: {} crons as declared", plan.keep.len());
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct SyncPlan {
    /// Specs no cron of the workflow is named after: created.
    pub create: Vec<CronSpec>,
    /// Crons that differ from the spec of their name, each with that spec:
    /// replaced by a cron made from it (several of one name by one).
    pub replace: Vec<(CronTrigger, CronSpec)>,
    /// Crons made through the API that no spec names: deleted, with
    /// [`prune`](CronSyncBuilder::prune).
    pub delete: Vec<CronTrigger>,
    /// Crons equal to their spec: left as they are, paused or not.
    pub keep: Vec<CronTrigger>,
    /// Crons the sync leaves alone: those declared in the workflow's code,
    /// and, without `prune`, those no spec names.
    pub ignored: Vec<CronTrigger>,
}

impl SyncPlan {
    /// Whether carrying the plan out would change nothing.
    pub fn is_empty(&self) -> bool {
        self.create.is_empty() && self.replace.is_empty() && self.delete.is_empty()
    }
}

/// What a sync did, from [`CronSyncBuilder::send`]; also what it had done
/// when it stopped part-way ([`Error::SyncIncomplete`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SyncReport {
    /// The crons created for specs that had none.
    pub created: Vec<CronTrigger>,
    /// Each replaced cron's old id, and the cron that replaced it.
    pub replaced: Vec<(Uuid, CronTrigger)>,
    /// The ids of the crons deleted.
    pub deleted: Vec<Uuid>,
    /// The crons that were equal to their spec.
    pub kept: Vec<CronTrigger>,
    /// The crons left alone.
    pub ignored: Vec<CronTrigger>,
}

impl SyncReport {
    /// `created 1, replaced 0, deleted 2`: what changed, for messages.
    pub fn summary(&self) -> String {
        format!(
            "created {}, replaced {}, deleted {}",
            self.created.len(),
            self.replaced.len(),
            self.deleted.len()
        )
    }
}

/// A sync of one workflow's crons with declared specs; made by
/// [`CronClient::sync`].
///
/// ```no_run
/// # async fn run(crons: hatchet_scheduled::CronClient) -> Result<(), hatchet_scheduled::Error> {
/// use hatchet_scheduled::CronSpec;
///
/// let specs = [
///     CronSpec::new("nightly", "0 2 * * *").metadata("team", "ops"),
///     CronSpec::new("hourly", "0 * * * *"),
/// ];
/// let report = crons.sync("send-report", specs).prune(true).send().await?;
/// println!("{}", report.summary());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct CronSyncBuilder<C> {
    pub(crate) client: C,
    pub(crate) workflow: String,
    pub(crate) specs: Vec<CronSpec>,
    pub(crate) prune: bool,
}

impl<C> CronSyncBuilder<C> {
    /// Whether crons made through the API that no spec names are deleted
    /// (default `false`: they are left alone, in `ignored`).
    pub fn prune(mut self, prune: bool) -> Self {
        self.prune = prune;
        self
    }
}

impl CronSyncBuilder<CronClient> {
    /// What the sync would do. Reads every page of the workflow's crons;
    /// sends no write.
    pub async fn plan(self) -> Result<SyncPlan, Error> {
        plan::check(&self.workflow, &self.specs)?;
        let current = self.client.workflow_crons(&self.workflow).await?;
        Ok(plan::plan(self.specs, current, self.prune))
    }

    /// Makes the workflow's crons what the specs declare, and says what it
    /// did. Specs are checked before anything is sent. Replacing a cron
    /// whose name and expression both stay deletes the old one first,
    /// since Hatchet allows one cron per name and expression: for a moment
    /// neither exists. If a request fails part-way, the error is
    /// [`Error::SyncIncomplete`] with what was done; running the same sync
    /// again finishes it.
    pub async fn send(self) -> Result<SyncReport, Error> {
        let client = self.client.clone();
        let workflow = self.workflow.clone();
        let plan = self.plan().await?;
        apply::apply(&client, &workflow, plan).await
    }
}

/// A change to one cron; made by [`CronClient::replace`]. What is not set
/// is carried over from the old cron.
///
/// ```no_run
/// # async fn run(crons: hatchet_scheduled::CronClient, id: uuid::Uuid) -> Result<(), hatchet_scheduled::Error> {
/// let new = crons.replace(id).expression("30 2 * * *").send().await?;
/// assert_ne!(new.id, id, "a replaced cron has a new id");
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct CronReplaceBuilder<C> {
    pub(crate) client: C,
    pub(crate) id: Uuid,
    pub(crate) changes: Changes,
}

/// What a replacement changes; `None` keeps the old cron's.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Changes {
    expression: Option<String>,
    options: ChangedOptions,
}

/// The run options a replacement sets, each kept from the old cron when
/// not set. Metadata set here replaces the old metadata as a whole.
#[derive(Debug, Clone, Default, PartialEq)]
struct ChangedOptions {
    input: Option<RunOptionsInput>,
    metadata: Option<serde_json::Map<String, serde_json::Value>>,
    priority: Option<u8>,
}

type RunOptionsInput = Result<serde_json::Map<String, serde_json::Value>, String>;

impl<C> CronReplaceBuilder<C> {
    pub(crate) fn new(client: C, id: Uuid) -> Self {
        Self {
            client,
            id,
            changes: Changes::default(),
        }
    }

    /// The new expression.
    pub fn expression(mut self, expression: impl Into<String>) -> Self {
        self.changes.expression = Some(expression.into());
        self
    }

    /// The new input of each run (see [`RunInput`]).
    pub fn input(mut self, input: impl RunInput) -> Self {
        self.changes.options.input = Some(input.into_object());
        self
    }

    /// Adds one entry to the new metadata, which replaces the old cron's
    /// metadata as a whole once any entry is set.
    pub fn metadata(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.changes
            .options
            .metadata
            .get_or_insert_default()
            .insert(key.into(), value.into().into());
        self
    }

    /// Adds several entries to the new metadata (see
    /// [`metadata`](Self::metadata)).
    pub fn metadata_map<K, V>(mut self, entries: impl IntoIterator<Item = (K, V)>) -> Self
    where
        K: Into<String>,
        V: Into<String>,
    {
        let metadata = self.changes.options.metadata.get_or_insert_default();
        for (key, value) in entries {
            metadata.insert(key.into(), value.into().into());
        }
        self
    }

    /// The new priority: 1 (lowest) to 3.
    pub fn priority(mut self, priority: u8) -> Self {
        self.changes.options.priority = Some(priority);
        self
    }
}

impl Changes {
    /// The spec of the cron that replaces `old`.
    fn spec_over(&self, old: &CronTrigger) -> Result<CronSpec, Error> {
        let name = old.name.clone().filter(|n| !n.is_empty()).ok_or_else(|| {
            Error::invalid_argument(
                "id",
                "a cron declared in a workflow's code cannot be replaced; change it in the code",
            )
        })?;
        let expression = self
            .expression
            .clone()
            .unwrap_or_else(|| old.expression.clone());
        let mut spec = CronSpec::new(name, expression);
        let options = &mut spec.declared.options;
        options.input = self
            .options
            .input
            .clone()
            .unwrap_or_else(|| Ok(old.input.clone()));
        options.metadata = self
            .options
            .metadata
            .clone()
            .unwrap_or_else(|| old.additional_metadata.clone());
        options.priority = self.options.priority.or(old.priority);
        Ok(spec)
    }
}

impl CronReplaceBuilder<CronClient> {
    /// Reads the old cron, checks the new one as a create would, then puts
    /// it in place of the old: created first and the old one deleted, or,
    /// when name and expression stay the same (Hatchet allows one cron per
    /// pair), the old one deleted first, leaving a moment with neither. A
    /// paused cron's replacement is paused. Returns the new cron, **whose
    /// id is new**. A failure after the old cron was deleted is
    /// [`Error::SyncIncomplete`], which says so.
    pub async fn send(self) -> Result<CronTrigger, Error> {
        let old = self.client.get(self.id).await?;
        if old.method != crate::ScheduleMethod::Api {
            return Err(Error::invalid_argument(
                "id",
                "a cron declared in a workflow's code cannot be replaced; change it in the code",
            ));
        }
        let spec = self.changes.spec_over(&old)?;
        plan::check(&old.workflow_name, std::slice::from_ref(&spec))?;
        apply::replace_one(&self.client, old, &spec).await
    }
}

impl CronClient {
    /// Syncs `workflow`'s crons with `specs` (see [`CronSyncBuilder`]). The
    /// workflow name is namespaced as everywhere else. Only that workflow's
    /// crons are looked at; those declared in its code are never changed.
    ///
    /// ```no_run
    /// # async fn run(crons: hatchet_scheduled::CronClient) -> Result<(), hatchet_scheduled::Error> {
    /// use hatchet_scheduled::CronSpec;
    ///
    /// let specs = [CronSpec::new("nightly", "0 2 * * *")];
    /// let plan = crons.sync("send-report", specs.clone()).plan().await?;
    /// if !plan.is_empty() {
    ///     crons.sync("send-report", specs).send().await?;
    /// }
    /// # Ok(()) }
    /// ```
    pub fn sync(
        &self,
        workflow: impl Into<String>,
        specs: impl IntoIterator<Item = CronSpec>,
    ) -> CronSyncBuilder<Self> {
        CronSyncBuilder {
            client: self.clone(),
            workflow: workflow.into(),
            specs: specs.into_iter().collect(),
            prune: false,
        }
    }

    /// Changes one cron: set what changes (see [`CronReplaceBuilder`]),
    /// then `send`. Hatchet cannot change a cron, so a new one takes the
    /// old one's place, **with a new id**.
    pub fn replace(&self, id: Uuid) -> CronReplaceBuilder<Self> {
        CronReplaceBuilder::new(self.clone(), id)
    }

    /// Every cron of `workflow`, every page.
    async fn workflow_crons(&self, workflow: &str) -> Result<Vec<CronTrigger>, Error> {
        use futures_util::TryStreamExt;
        self.list()
            .workflow_name(workflow)
            .limit(100)
            .stream()
            .try_collect()
            .await
    }
}
