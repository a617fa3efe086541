//! Scheduling a new run.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::Error;

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

/// The owned description of a run to schedule.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NewRun {
    pub(crate) workflow: String,
    pub(crate) trigger_at: DateTime<Utc>,
    /// The input, or why it could not become a JSON object.
    pub(crate) input: Result<Map<String, Value>, String>,
    pub(crate) metadata: Map<String, Value>,
    pub(crate) priority: Option<u8>,
}

impl NewRun {
    /// Checks the run and gives the workflow name to send, namespaced.
    pub(crate) fn validate(&self, namespace: Option<&str>) -> Result<String, Error> {
        if self.workflow.trim().is_empty() {
            return Err(Error::invalid_argument("workflow", "must not be empty"));
        }
        crate::convert::trigger_time("trigger_at", self.trigger_at)?;
        if let Err(reason) = &self.input {
            return Err(Error::invalid_argument("input", reason.clone()));
        }
        if let Some(priority) = self.priority.filter(|p| !(1..=3).contains(p)) {
            return Err(Error::invalid_argument(
                "priority",
                format!("must be 1, 2 or 3, not {priority}"),
            ));
        }
        Ok(crate::namespace::apply(namespace, &self.workflow))
    }
}

impl<C> CreateBuilder<C> {
    pub(crate) fn new(client: C, workflow: String, trigger_at: DateTime<Utc>) -> Self {
        Self {
            client,
            run: NewRun {
                workflow,
                trigger_at,
                input: Ok(Map::new()),
                metadata: Map::new(),
                priority: None,
            },
        }
    }

    /// The run's input; it must serialize to a JSON object (default `{}`).
    pub fn input<T: Serialize + ?Sized>(mut self, input: &T) -> Self {
        self.run.input = match serde_json::to_value(input) {
            Ok(Value::Object(map)) => Ok(map),
            Ok(other) => Err(format!(
                "must serialize to a JSON object, not {}",
                json_kind(&other)
            )),
            Err(e) => Err(format!("cannot be serialized: {e}")),
        };
        self
    }

    /// Adds one additional-metadata entry. Repeatable; a later value for
    /// the same key wins.
    pub fn metadata(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.run
            .metadata
            .insert(key.into(), Value::String(value.into()));
        self
    }

    /// Adds several additional-metadata entries.
    ///
    /// ```no_run
    /// # async fn run(client: hatchet_scheduled::ScheduledClient) -> Result<(), hatchet_scheduled::Error> {
    /// let labels = std::collections::HashMap::from([("env", "prod"), ("team", "growth")]);
    /// let run = client
    ///     .create("send-email", chrono::Utc::now() + chrono::Duration::hours(1))
    ///     .metadata("env", "dev")
    ///     .metadata_map(labels) // a later value for the same key wins: env = prod
    ///     .send()
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn metadata_map<K, V>(mut self, entries: impl IntoIterator<Item = (K, V)>) -> Self
    where
        K: Into<String>,
        V: Into<String>,
    {
        for (key, value) in entries {
            self.run
                .metadata
                .insert(key.into(), Value::String(value.into()));
        }
        self
    }

    /// The run's priority: 1 (lowest, the default) to 3.
    pub fn priority(mut self, priority: u8) -> Self {
        self.run.priority = Some(priority);
        self
    }
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

    fn rejected(run: &NewRun) -> (&'static str, String) {
        match run.validate(None) {
            Err(Error::InvalidArgument { name, reason }) => (name, reason),
            other => panic!("expected an invalid argument, got {other:?}"),
        }
    }

    #[test]
    fn namespace_is_prefixed_once() {
        let run = builder().run;
        assert_eq!(
            run.validate(Some("staging_")).unwrap(),
            "staging_send-email"
        );
        let already = CreateBuilder::new((), "staging_send-email".into(), DateTime::UNIX_EPOCH).run;
        assert_eq!(
            already.validate(Some("staging_")).unwrap(),
            "staging_send-email"
        );
        assert_eq!(run.validate(None).unwrap(), "send-email");
    }

    #[test]
    fn rejects_bad_input_priority_and_names() {
        assert_eq!(
            rejected(&builder().input(&[1, 2]).run),
            (
                "input",
                "must serialize to a JSON object, not an array".into()
            )
        );
        assert_eq!(
            rejected(&builder().input("text").run),
            (
                "input",
                "must serialize to a JSON object, not a string".into()
            )
        );
        let bad_map = std::collections::HashMap::from([((1, 2), 3)]);
        assert_eq!(
            rejected(&builder().input(&bad_map).run),
            ("input", "cannot be serialized: key must be a string".into())
        );
        assert_eq!(
            rejected(&builder().priority(0).run),
            ("priority", "must be 1, 2 or 3, not 0".into())
        );
        assert_eq!(rejected(&builder().priority(4).run).0, "priority");
        let empty = CreateBuilder::new((), " ".into(), DateTime::UNIX_EPOCH).run;
        assert_eq!(rejected(&empty), ("workflow", "must not be empty".into()));
    }

    #[test]
    fn metadata_accumulates_and_later_keys_win() {
        let run = builder()
            .metadata("env", "dev")
            .metadata_map([("team", "core"), ("env", "prod")])
            .run;
        assert_eq!(
            Value::Object(run.metadata),
            serde_json::json!({"env": "prod", "team": "core"})
        );
    }
}
