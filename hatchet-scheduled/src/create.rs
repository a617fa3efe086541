//! Creating schedules: one-off runs and cron triggers. Both start a workflow
//! with input, metadata and a priority, so those options, their setters and
//! their checks are written once ([`RunOptions`], `run_option_setters!`).

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use crate::{Error, cron_expression};

/// A run about to be scheduled; made by `ScheduledClient::create`.
///
/// The workflow name and trigger time are required arguments there; input,
/// metadata and priority are optional here. Nothing is checked or sent
/// until `send`.
///
/// ```
/// use hatchet_scheduled::Error;
///
/// # let config = hatchet_scheduled::ClientConfig::builder().token("token")
/// #     .server_url("https://hatchet.example.com").tenant_id(uuid::Uuid::nil()).build()?;
/// # let client = hatchet_scheduled::blocking::ScheduledClient::new(config)?;
/// // Building never fails: a blank workflow name is only refused by `send`,
/// // before any request is made.
/// let builder = client.create(" ", chrono::Utc::now()).metadata("env", "prod");
/// let refused = builder.send();
/// assert!(matches!(refused, Err(Error::InvalidArgument { name: "workflow", .. })));
/// # Ok::<(), Error>(())
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct CreateBuilder<C> {
    pub(crate) client: C,
    pub(crate) run: NewRun,
}

/// A cron trigger about to be created; made by `CronClient::create`.
///
/// The workflow, the cron's name and its expression are required arguments
/// there; input, metadata and priority are optional here. Nothing is
/// checked or sent until `send`, which refuses an expression outside the
/// grammar Hatchet validates (see [`CronExpression`](crate::CronExpression)).
///
/// ```
/// use hatchet_scheduled::Error;
///
/// # let config = hatchet_scheduled::ClientConfig::builder().token("token")
/// #     .server_url("https://hatchet.example.com").tenant_id(uuid::Uuid::nil()).build()?;
/// # let client = hatchet_scheduled::blocking::ScheduledClient::new(config)?;
/// let refused = client.crons().create("send-report", "nightly", "@daily").send();
/// match refused {
///     Err(Error::InvalidArgument { name: "expression", reason }) => {
///         assert!(reason.ends_with("write `0 0 * * *` instead"), "{reason}");
///     }
///     other => panic!("expected the expression to be refused, got {other:?}"),
/// }
/// # Ok::<(), Error>(())
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct CronCreateBuilder<C> {
    pub(crate) client: C,
    pub(crate) cron: NewCron,
}

/// A one-off run to schedule.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NewRun {
    pub(crate) workflow: String,
    pub(crate) trigger_at: DateTime<Utc>,
    pub(crate) options: RunOptions,
}

/// A cron trigger to create.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NewCron {
    pub(crate) workflow: String,
    pub(crate) name: String,
    pub(crate) expression: String,
    pub(crate) options: RunOptions,
}

/// What every run a schedule starts carries.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RunOptions {
    /// The input, or why it could not become a JSON object.
    pub(crate) input: Result<Map<String, Value>, String>,
    pub(crate) metadata: Map<String, Value>,
    pub(crate) priority: Option<u8>,
}

impl Default for RunOptions {
    fn default() -> Self {
        Self {
            input: Ok(Map::new()),
            metadata: Map::new(),
            priority: None,
        }
    }
}

impl RunOptions {
    fn check(&self) -> Result<(), Error> {
        if let Err(reason) = &self.input {
            return Err(Error::invalid_argument("input", reason.clone()));
        }
        if let Some(priority) = self.priority.filter(|p| !(1..=3).contains(p)) {
            return Err(Error::invalid_argument(
                "priority",
                format!("must be 1, 2 or 3, not {priority}"),
            ));
        }
        Ok(())
    }
}

/// Refuses a blank workflow name.
fn check_workflow(workflow: &str) -> Result<(), Error> {
    if workflow.trim().is_empty() {
        return Err(Error::invalid_argument("workflow", "must not be empty"));
    }
    Ok(())
}

impl NewRun {
    /// Checks the run.
    pub(crate) fn validate(&self) -> Result<(), Error> {
        check_workflow(&self.workflow)?;
        crate::convert::trigger_time("trigger_at", self.trigger_at)?;
        self.options.check()
    }
}

impl NewCron {
    /// Checks the cron.
    pub(crate) fn validate(&self) -> Result<(), Error> {
        check_workflow(&self.workflow)?;
        // The server refuses an empty name only (`create_cron.go`); a blank
        // one is refused here too, as it names nothing a reader can see.
        // The expression is not checked by the server at all.
        if self.name.trim().is_empty() {
            return Err(Error::invalid_argument("cron_name", "must not be empty"));
        }
        cron_expression::check(&self.expression)?;
        self.options.check()
    }
}

/// What a builder's `input` takes: a reference to anything that serializes
/// to a JSON object, or an owned `serde_json` object (a [`Value`] or a
/// [`Map`]), which is used as it is rather than serialized again.
///
/// The trait is sealed: these are all its implementations.
///
/// ```
/// use serde::Serialize;
/// use serde_json::json;
///
/// #[derive(Serialize)]
/// struct Report {
///     id: u32,
/// }
///
/// # let config = hatchet_scheduled::ClientConfig::builder().token("token")
/// #     .server_url("https://hatchet.example.com").tenant_id(uuid::Uuid::nil()).build()?;
/// # let client = hatchet_scheduled::blocking::ScheduledClient::new(config)?;
/// let at = chrono::Utc::now() + chrono::TimeDelta::hours(1);
/// // Serialized into a JSON object:
/// let typed = client.create("send-report", at).input(&Report { id: 42 });
/// // Already one, so moved in as it is:
/// let untyped = client.create("send-report", at).input(json!({ "id": 42 }));
/// # Ok::<(), hatchet_scheduled::Error>(())
/// ```
pub trait RunInput: sealed::IntoObject {}

impl<T: sealed::IntoObject> RunInput for T {}

pub(crate) mod sealed {
    use serde::Serialize;
    use serde_json::{Map, Value};

    /// The input as the JSON object a run is given, or why it is not one.
    pub trait IntoObject {
        fn into_object(self) -> Result<Map<String, Value>, String>;
    }

    impl<T: Serialize + ?Sized> IntoObject for &T {
        fn into_object(self) -> Result<Map<String, Value>, String> {
            let value =
                serde_json::to_value(self).map_err(|e| format!("cannot be serialized: {e}"))?;
            value.into_object()
        }
    }

    impl IntoObject for Value {
        fn into_object(self) -> Result<Map<String, Value>, String> {
            match self {
                Value::Object(map) => Ok(map),
                other => Err(format!(
                    "must serialize to a JSON object, not {}",
                    super::json_kind(&other)
                )),
            }
        }
    }

    impl IntoObject for Map<String, Value> {
        fn into_object(self) -> Result<Map<String, Value>, String> {
            Ok(self)
        }
    }
}

/// The setters of [`RunOptions`], written once for both builders (each has
/// `$run.options`).
macro_rules! run_option_setters {
    ($run:ident) => {
        /// The run's input (default `{}`): a reference to anything that
        /// serializes to a JSON object, or an owned `serde_json` object,
        /// which is not serialized again (see [`RunInput`]).
        pub fn input(mut self, input: impl RunInput) -> Self {
            self.$run.options.input = input.into_object();
            self
        }

        /// Adds one additional-metadata entry. Repeatable; a later value for
        /// the same key wins.
        pub fn metadata(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
            self.$run
                .options
                .metadata
                .insert(key.into(), serde_json::Value::String(value.into()));
            self
        }

        /// Adds several additional-metadata entries, e.g. from a `HashMap`;
        /// a later value for the same key wins.
        pub fn metadata_map<K, V>(mut self, entries: impl IntoIterator<Item = (K, V)>) -> Self
        where
            K: Into<String>,
            V: Into<String>,
        {
            for (key, value) in entries {
                self.$run
                    .options
                    .metadata
                    .insert(key.into(), serde_json::Value::String(value.into()));
            }
            self
        }

        /// The run's priority: 1 (lowest, the default) to 3.
        pub fn priority(mut self, priority: u8) -> Self {
            self.$run.options.priority = Some(priority);
            self
        }
    };
}

pub(crate) use run_option_setters;

impl<C> CreateBuilder<C> {
    pub(crate) fn new(client: C, workflow: String, trigger_at: DateTime<Utc>) -> Self {
        Self {
            client,
            run: NewRun {
                workflow,
                trigger_at,
                options: RunOptions::default(),
            },
        }
    }

    run_option_setters!(run);
}

impl<C> CronCreateBuilder<C> {
    pub(crate) fn new(client: C, workflow: String, name: String, expression: String) -> Self {
        Self {
            client,
            cron: NewCron {
                workflow,
                name,
                expression,
                options: RunOptions::default(),
            },
        }
    }

    run_option_setters!(cron);
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builder() -> CreateBuilder<()> {
        CreateBuilder::new((), "send-email".into(), DateTime::UNIX_EPOCH)
    }

    fn cron(workflow: &str, name: &str, expression: &str) -> CronCreateBuilder<()> {
        CronCreateBuilder::new((), workflow.into(), name.into(), expression.into())
    }

    fn rejected(result: Result<(), Error>) -> (&'static str, String) {
        match result {
            Err(Error::InvalidArgument { name, reason }) => (name, reason),
            other => panic!("expected an invalid argument, got {other:?}"),
        }
    }

    #[test]
    fn namespace_is_prefixed_once() {
        use crate::convert::{cron_request, schedule_request};
        let run = builder().run;
        let workflow = |run: &NewRun, namespace| schedule_request(run.clone(), namespace).0;
        assert_eq!(workflow(&run, Some("staging_")), "staging_send-email");
        let already = CreateBuilder::new((), "staging_send-email".into(), DateTime::UNIX_EPOCH).run;
        assert_eq!(workflow(&already, Some("staging_")), "staging_send-email");
        assert_eq!(workflow(&run, None), "send-email");
        let cron = cron("send-email", "nightly", "0 0 * * *").cron;
        assert_eq!(cron_request(cron, Some("staging_")).0, "staging_send-email");
    }

    #[test]
    fn rejects_bad_input_priority_and_names() {
        let check = |builder: CreateBuilder<()>| rejected(builder.run.validate());
        assert_eq!(
            check(builder().input(&[1, 2])),
            (
                "input",
                "must serialize to a JSON object, not an array".into()
            )
        );
        assert_eq!(
            check(builder().input("text")),
            (
                "input",
                "must serialize to a JSON object, not a string".into()
            )
        );
        let bad_map = std::collections::HashMap::from([((1, 2), 3)]);
        assert_eq!(
            check(builder().input(&bad_map)),
            ("input", "cannot be serialized: key must be a string".into())
        );
        assert_eq!(
            check(builder().priority(0)),
            ("priority", "must be 1, 2 or 3, not 0".into())
        );
        assert_eq!(check(builder().priority(4)).0, "priority");
        assert_eq!(
            check(CreateBuilder::new((), " ".into(), DateTime::UNIX_EPOCH)),
            ("workflow", "must not be empty".into())
        );
    }

    #[test]
    fn an_owned_object_is_the_input_a_reference_would_give() {
        #[derive(serde::Serialize)]
        struct Report {
            id: u32,
            to: [&'static str; 1],
        }
        let expected = serde_json::json!({"id": 42, "to": ["ada@example.com"]});
        let map = expected.as_object().expect("an object").clone();
        let report = Report {
            id: 42,
            to: ["ada@example.com"],
        };
        for options in [
            builder().input(&report).run.options,
            builder().input(&expected).run.options,
            builder().input(expected.clone()).run.options,
            builder().input(map).run.options,
        ] {
            assert_eq!(options.input.map(Value::Object), Ok(expected.clone()));
        }
        let not_an_object = cron("send", "nightly", "0 0 * * *").input(Value::Bool(true));
        assert_eq!(
            rejected(not_an_object.cron.validate()),
            (
                "input",
                "must serialize to a JSON object, not a boolean".into()
            )
        );
    }

    #[test]
    fn crons_are_checked_like_runs_plus_name_and_expression() {
        let check = |builder: CronCreateBuilder<()>| rejected(builder.cron.validate());
        assert_eq!(
            check(cron(" ", "nightly", "0 0 * * *")),
            ("workflow", "must not be empty".into())
        );
        assert_eq!(
            check(cron("send", "", "0 0 * * *")),
            ("cron_name", "must not be empty".into())
        );
        assert_eq!(
            check(cron("send", "nightly", "0 0 * * 8")),
            ("expression", "day of week: 8 is above the maximum 6".into())
        );
        assert_eq!(
            check(cron("send", "nightly", "0 0 * * *").priority(9)),
            ("priority", "must be 1, 2 or 3, not 9".into())
        );
        assert_eq!(
            check(cron("send", "nightly", "0 0 * * *").input(&1)),
            (
                "input",
                "must serialize to a JSON object, not a number".into()
            )
        );
        let accepted = cron("send", "nightly", "CRON_TZ=UTC 0 0 * * *").priority(3);
        assert!(accepted.cron.validate().is_ok());
    }

    #[test]
    fn metadata_accumulates_and_later_keys_win() {
        let options = builder()
            .metadata("env", "dev")
            .metadata_map([("team", "core"), ("env", "prod")])
            .run
            .options;
        assert_eq!(
            Value::Object(options.metadata),
            serde_json::json!({"env": "prod", "team": "core"})
        );
    }
}
