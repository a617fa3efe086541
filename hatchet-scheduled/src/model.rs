//! The facade's own data types; nothing generated leaks through them.

use std::{fmt, str::FromStr};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use uuid::Uuid;

/// A workflow run scheduled to start at a set time.
///
/// ```
/// # fn show(run: &hatchet_scheduled::ScheduledRun) {
/// println!("{} runs {} at {}", run.id, run.workflow_name, run.trigger_at);
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ScheduledRun {
    /// The schedule's id.
    pub id: Uuid,
    /// When the schedule was created.
    pub created_at: DateTime<Utc>,
    /// When the schedule was last changed.
    pub updated_at: DateTime<Utc>,
    /// The tenant it belongs to.
    pub tenant_id: Uuid,
    /// The workflow it starts.
    pub workflow_id: Uuid,
    /// The workflow version it starts.
    pub workflow_version_id: Uuid,
    /// The workflow's name (with its namespace, if any).
    pub workflow_name: String,
    /// When it starts.
    pub trigger_at: DateTime<Utc>,
    /// The input the run receives.
    pub input: Map<String, Value>,
    /// The run's additional metadata.
    pub additional_metadata: Map<String, Value>,
    /// The run's priority, 1 (lowest) to 3.
    pub priority: Option<u8>,
    /// How the schedule was made: by this API or by a workflow's definition.
    pub method: ScheduleMethod,
    /// Where it stands: [`ScheduledRunStatus::Scheduled`] until it fires.
    /// Hatchet deletes a schedule when it fires, so that is what every
    /// schedule it answers says; another status appears only on a schedule
    /// still linked to its run (see [`ScheduledRunStatus`]).
    pub status: ScheduledRunStatus,
    /// The workflow run it started, for a schedule still linked to its run;
    /// `None` otherwise. Hatchet writes "no run" as an empty run name and
    /// Go's zero time (`0001-01-01T00:00:00Z`), which never count as a run.
    pub workflow_run: Option<StartedRun>,
}

/// A cron trigger: starts its workflow every time its expression matches,
/// until it is paused or deleted.
///
/// Its fields mean what [`ScheduledRun`]'s fields of the same name mean.
///
/// ```no_run
/// # async fn run(crons: hatchet_scheduled::CronClient, id: uuid::Uuid) -> Result<(), hatchet_scheduled::Error> {
/// let cron = crons.get(id).await?;
/// let name = cron.name.as_deref().unwrap_or("(code-defined, unnamed)");
/// let state = if cron.enabled { "runs" } else { "is paused" };
/// println!("{name} {state}: `{}` starts {}", cron.expression, cron.workflow_name);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CronTrigger {
    /// The cron's id.
    pub id: Uuid,
    /// The cron's name; crons declared in a workflow's code may have none.
    pub name: Option<String>,
    /// The cron expression, as it was written.
    pub expression: String,
    /// Whether it fires; `false` while paused.
    pub enabled: bool,
    /// The tenant it belongs to.
    pub tenant_id: Uuid,
    /// The workflow it starts.
    pub workflow_id: Uuid,
    /// The workflow version it starts.
    pub workflow_version_id: Uuid,
    /// The workflow's name (with its namespace, if any).
    pub workflow_name: String,
    /// How the cron was made: by this API or by a workflow's definition.
    pub method: ScheduleMethod,
    /// The input each run receives.
    pub input: Map<String, Value>,
    /// Each run's additional metadata.
    pub additional_metadata: Map<String, Value>,
    /// Each run's priority, 1 (lowest) to 3.
    pub priority: Option<u8>,
    /// When the cron was created.
    pub created_at: DateTime<Utc>,
    /// When the cron was last changed.
    pub updated_at: DateTime<Utc>,
}

/// The workflow run a schedule started.
///
/// ```
/// use hatchet_scheduled::{ScheduledRun, StartedRun};
///
/// fn started(run: &ScheduledRun) -> Option<&StartedRun> {
///     run.workflow_run.as_ref() // `None` until the schedule fires
/// }
/// // It (de)serializes with its field names; the optional ones may be absent.
/// let json = r#"{"id": "00000000-0000-0000-0000-000000000000"}"#;
/// let run: StartedRun = serde_json::from_str(json)?;
/// assert_eq!((run.id, run.name, run.created_at), (uuid::Uuid::nil(), None, None));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StartedRun {
    /// The run's id.
    pub id: Uuid,
    /// The run's name, when the server reports it.
    pub name: Option<String>,
    /// When the run was created, when the server reports it.
    pub created_at: Option<DateTime<Utc>>,
}

/// Declares a string enum that keeps values this version does not know.
macro_rules! open_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $wire:literal,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(from = "String", into = "String")]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$vmeta])* $variant,)*
            /// A value this version of the crate does not know.
            Unknown(String),
        }

        impl $name {
            /// The value as Hatchet spells it.
            ///
            /// ```
            /// use hatchet_scheduled::{ScheduleMethod, ScheduledRunStatus};
            ///
            /// assert_eq!(ScheduledRunStatus::Scheduled.as_str(), "SCHEDULED");
            /// assert_eq!(ScheduleMethod::Api.as_str(), "API");
            /// // Values this version does not know keep their spelling.
            /// assert_eq!(ScheduledRunStatus::from("EVICTED").as_str(), "EVICTED");
            /// ```
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::Unknown(other) => other,
                }
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $($wire => Self::$variant,)*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                Self::from(value.as_str())
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> Self {
                value.as_str().to_owned()
            }
        }

        impl FromStr for $name {
            type Err = std::convert::Infallible;
            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

open_enum! {
    /// Where a scheduled run stands.
    ///
    /// A schedule that fires, at its time or by trigger-now, starts its run
    /// and is then deleted by Hatchet (`RunScheduledWorkflow` in its ticker),
    /// so every schedule Hatchet lists is [`Scheduled`](Self::Scheduled). As a
    /// list filter, `Scheduled` therefore matches every listed schedule; a run
    /// status (`Pending`, `Failed`, ...) matches only a schedule still linked
    /// to the run it started, which current servers do not leave behind (a
    /// database kept from older Hatchet versions may hold some), so such a
    /// filter usually gives an empty page. The values are still sent and
    /// decoded as Hatchet spells them.
    ///
    /// ```
    /// use hatchet_scheduled::ScheduledRunStatus;
    ///
    /// assert_eq!(ScheduledRunStatus::from("SCHEDULED"), ScheduledRunStatus::Scheduled);
    /// assert_eq!(ScheduledRunStatus::from("EVICTED"), ScheduledRunStatus::Unknown("EVICTED".into()));
    /// assert_eq!(ScheduledRunStatus::Failed.as_str(), "FAILED");
    /// ```
    ScheduledRunStatus {
        /// Not fired yet.
        Scheduled = "SCHEDULED",
        /// Fired; its run is pending.
        Pending = "PENDING",
        /// Fired; its run is queued.
        Queued = "QUEUED",
        /// Fired; its run is running.
        Running = "RUNNING",
        /// Fired; its run succeeded.
        Succeeded = "SUCCEEDED",
        /// Fired; its run failed.
        Failed = "FAILED",
        /// Fired; its run was cancelled.
        Cancelled = "CANCELLED",
    }
}

open_enum! {
    /// How a schedule was made.
    ///
    /// ```
    /// use hatchet_scheduled::ScheduleMethod;
    ///
    /// assert_eq!(ScheduleMethod::from("API"), ScheduleMethod::Api);
    /// ```
    ScheduleMethod {
        /// Declared in a workflow's definition. Hatchet refuses to update or
        /// delete such a scheduled run through the API (crons it lets go).
        Default = "DEFAULT",
        /// Created through the API.
        Api = "API",
    }
}

/// One page of a listing, with what is needed to fetch the next.
///
/// ```
/// # async fn run(client: hatchet_scheduled::ScheduledClient) -> Result<(), hatchet_scheduled::Error> {
/// let page = client.list().limit(20).send().await?;
/// for run in &page.items {
///     println!("{}", run.id);
/// }
/// if page.has_next() {
///     println!("more from offset {}", page.next_offset());
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Page<T> {
    /// The page's items, in the requested order.
    pub items: Vec<T>,
    /// The offset this page starts at.
    pub offset: u64,
    /// The server's page number, 1-based, when it reported one.
    pub current_page: Option<u64>,
    /// How many pages the listing has, when the server reported it.
    pub num_pages: Option<u64>,
}

impl<T> Page<T> {
    /// Whether another page follows. Reads Hatchet's page info with its
    /// quirks: the last page repeats its own number as `next_page`, and an
    /// empty listing reports zero pages (and a `next_page` of 2).
    ///
    /// ```no_run
    /// # async fn run(client: hatchet_scheduled::ScheduledClient) -> Result<(), hatchet_scheduled::Error> {
    /// let mut page = client.list().limit(100).send().await?;
    /// loop {
    ///     println!("{} runs from offset {}", page.items.len(), page.offset);
    ///     if !page.has_next() {
    ///         break;
    ///     }
    ///     page = client.list().limit(100).offset(page.next_offset()).send().await?;
    /// }
    /// # Ok(()) }
    /// ```
    pub fn has_next(&self) -> bool {
        match (self.current_page, self.num_pages) {
            (Some(current), Some(total)) => !self.items.is_empty() && current < total,
            _ => false,
        }
    }

    /// The offset the next page starts at: right after this page's items.
    pub fn next_offset(&self) -> u64 {
        self.offset + self.items.len() as u64
    }
}

impl<T> IntoIterator for Page<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// What a bulk delete did.
///
/// ```
/// use hatchet_scheduled::BulkDeleteOutcome;
///
/// // `Default` is an empty outcome, e.g. to start a test double from.
/// let mut outcome = BulkDeleteOutcome::default();
/// assert!(outcome.deleted.is_empty() && outcome.errors.is_empty());
/// outcome.deleted.push(uuid::Uuid::nil());
/// assert_eq!(outcome.deleted, [uuid::Uuid::nil()]);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct BulkDeleteOutcome {
    /// The schedules that were deleted.
    pub deleted: Vec<Uuid>,
    /// The schedules that were not, and why.
    pub errors: Vec<BulkItemError>,
}

/// What a bulk reschedule did.
///
/// ```no_run
/// # async fn run(client: hatchet_scheduled::ScheduledClient, ids: Vec<uuid::Uuid>) -> Result<(), hatchet_scheduled::Error> {
/// let tomorrow = chrono::Utc::now() + chrono::Duration::days(1);
/// let outcome = client.bulk_update(ids.iter().map(|&id| (id, tomorrow))).await?;
/// println!("moved {}, not moved {}", outcome.updated.len(), outcome.errors.len());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct BulkUpdateOutcome {
    /// The schedules that were moved.
    pub updated: Vec<Uuid>,
    /// The schedules that were not, and why.
    pub errors: Vec<BulkItemError>,
}

/// One item a bulk operation could not handle.
///
/// ```no_run
/// # async fn run(client: hatchet_scheduled::ScheduledClient, ids: Vec<uuid::Uuid>) -> Result<(), hatchet_scheduled::Error> {
/// let outcome = client.bulk_delete_ids(ids).await?;
/// for failure in &outcome.errors {
///     match failure.id {
///         Some(id) => eprintln!("{id} not deleted: {}", failure.message),
///         None => eprintln!("not deleted: {}", failure.message),
///     }
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct BulkItemError {
    /// The schedule concerned, when the server named it.
    pub id: Option<Uuid>,
    /// What went wrong.
    pub message: String,
}

impl BulkItemError {
    pub(crate) fn new(id: Option<Uuid>, message: impl Into<String>) -> Self {
        Self {
            id,
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(items: usize, current: Option<u64>, total: Option<u64>) -> Page<u8> {
        Page {
            items: vec![0; items],
            offset: 0,
            current_page: current,
            num_pages: total,
        }
    }

    #[test]
    fn has_next_follows_the_servers_page_info_and_quirks() {
        assert!(page(10, Some(1), Some(3)).has_next());
        assert!(!page(10, Some(3), Some(3)).has_next(), "last page");
        assert!(!page(0, Some(1), Some(0)).has_next(), "empty listing");
        assert!(
            !page(0, Some(2), Some(3)).has_next(),
            "an empty page never leads on"
        );
        assert!(!page(10, None, None).has_next(), "no page info");
    }

    #[test]
    fn a_page_iterates_over_its_items_in_order() {
        let page = Page {
            items: vec![3, 1, 2],
            offset: 0,
            current_page: None,
            num_pages: None,
        };
        assert_eq!(page.into_iter().collect::<Vec<u8>>(), [3, 1, 2]);
    }

    #[test]
    fn unknown_values_round_trip_through_serde() {
        let status: ScheduledRunStatus = serde_json::from_str("\"EVICTED\"").unwrap();
        assert_eq!(status, ScheduledRunStatus::Unknown("EVICTED".into()));
        assert_eq!(serde_json::to_string(&status).unwrap(), "\"EVICTED\"");
        assert_eq!(
            serde_json::to_string(&ScheduleMethod::Api).unwrap(),
            "\"API\""
        );
    }
}
