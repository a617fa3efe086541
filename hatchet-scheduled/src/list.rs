//! Listing filters: plain owned data, checked before anything is sent.

use uuid::Uuid;

use crate::{Error, Page, ScheduledRunStatus};

/// Fields a listing can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ScheduledOrderField {
    /// When the run is due.
    TriggerAt,
    /// When the schedule was created.
    CreatedAt,
}

/// Sort direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortDirection {
    /// Smallest first.
    Asc,
    /// Largest first (the server's default).
    Desc,
}

/// Which scheduled runs to list, and which page. Build it once, reuse it.
///
/// ```
/// use hatchet_scheduled::{ListFilter, ScheduledOrderField, ScheduledRunStatus, SortDirection};
///
/// let due = ListFilter::default()
///     .statuses([ScheduledRunStatus::Scheduled])
///     .metadata("env", "prod")
///     .order_by(ScheduledOrderField::TriggerAt, SortDirection::Asc)
///     .limit(100);
/// assert!(due.validate().is_ok());
/// assert!(ListFilter::default().limit(0).validate().is_err());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[must_use]
pub struct ListFilter {
    pub(crate) workflow_id: Option<Uuid>,
    pub(crate) parent_workflow_run_id: Option<Uuid>,
    pub(crate) parent_step_run_id: Option<Uuid>,
    pub(crate) statuses: Vec<ScheduledRunStatus>,
    pub(crate) metadata: Vec<(String, String)>,
    pub(crate) order: Option<(ScheduledOrderField, SortDirection)>,
    pub(crate) offset: Option<u64>,
    pub(crate) limit: Option<u64>,
}

impl ListFilter {
    /// Only runs of this workflow.
    pub fn workflow_id(mut self, id: Uuid) -> Self {
        self.workflow_id = Some(id);
        self
    }

    /// Only runs scheduled by this parent workflow run.
    pub fn parent_workflow_run_id(mut self, id: Uuid) -> Self {
        self.parent_workflow_run_id = Some(id);
        self
    }

    /// Only runs scheduled by this parent step run.
    pub fn parent_step_run_id(mut self, id: Uuid) -> Self {
        self.parent_step_run_id = Some(id);
        self
    }

    /// Only runs in one of these states (replaces earlier ones).
    pub fn statuses(mut self, statuses: impl IntoIterator<Item = ScheduledRunStatus>) -> Self {
        self.statuses = statuses.into_iter().collect();
        self
    }

    /// Only runs whose additional metadata has `key` set to `value`.
    /// Repeatable; every pair must match.
    pub fn metadata(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.metadata.push((key.into(), value.into()));
        self
    }

    /// Sort order (the server's default: trigger time, descending).
    pub fn order_by(mut self, field: ScheduledOrderField, direction: SortDirection) -> Self {
        self.order = Some((field, direction));
        self
    }

    /// Skip this many runs.
    pub fn offset(mut self, offset: u64) -> Self {
        self.offset = Some(offset);
        self
    }

    /// At most this many runs per page (at least 1; server default 50).
    pub fn limit(mut self, limit: u64) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Checks what the server would reject, or worse, misread.
    pub fn validate(&self) -> Result<(), Error> {
        if self.limit == Some(0) {
            return Err(Error::invalid_argument("limit", "must be at least 1"));
        }
        if self.limit.is_some_and(exceeds_i64) {
            return Err(Error::invalid_argument(
                "limit",
                "must fit in a signed 64-bit integer",
            ));
        }
        if self.offset.is_some_and(exceeds_i64) {
            return Err(Error::invalid_argument(
                "offset",
                "must fit in a signed 64-bit integer",
            ));
        }
        if let Some(unknown) = self
            .statuses
            .iter()
            .find(|s| matches!(s, ScheduledRunStatus::Unknown(_)))
        {
            return Err(Error::invalid_argument(
                "statuses",
                format!("{unknown:?} is not a status the server accepts"),
            ));
        }
        metadata_filters(&self.metadata).map(drop)
    }

    /// The filter for the page after `page`, if there is one.
    pub(crate) fn after<T>(&self, page: &Page<T>) -> Option<Self> {
        page.has_next()
            .then(|| self.clone().offset(page.next_offset()))
    }
}

fn exceeds_i64(n: u64) -> bool {
    i64::try_from(n).is_err()
}

/// Metadata filters as the server's `key:value` strings. The server splits
/// on `:`, so a key or value holding one would be misread (it answers 400).
pub(crate) fn metadata_filters(pairs: &[(String, String)]) -> Result<Vec<String>, Error> {
    pairs
        .iter()
        .map(|(key, value)| {
            if key.is_empty() {
                return Err(Error::invalid_argument(
                    "metadata",
                    "a filter key must not be empty",
                ));
            }
            if key.contains(':') || value.contains(':') {
                return Err(Error::invalid_argument(
                    "metadata",
                    format!("filter {key:?} = {value:?}: neither key nor value may contain ':'"),
                ));
            }
            Ok(format!("{key}:{value}"))
        })
        .collect()
}

/// A listing about to be sent: a [`ListFilter`] bound to a client.
///
/// Made by `ScheduledClient::list`; the setters are the filter's.
#[derive(Debug, Clone)]
#[must_use]
pub struct ListBuilder<C> {
    pub(crate) client: C,
    pub(crate) filter: ListFilter,
}

impl<C> ListBuilder<C> {
    pub(crate) fn new(client: C, filter: ListFilter) -> Self {
        Self { client, filter }
    }

    /// See [`ListFilter::workflow_id`].
    pub fn workflow_id(self, id: Uuid) -> Self {
        self.map(|f| f.workflow_id(id))
    }

    /// See [`ListFilter::parent_workflow_run_id`].
    pub fn parent_workflow_run_id(self, id: Uuid) -> Self {
        self.map(|f| f.parent_workflow_run_id(id))
    }

    /// See [`ListFilter::parent_step_run_id`].
    pub fn parent_step_run_id(self, id: Uuid) -> Self {
        self.map(|f| f.parent_step_run_id(id))
    }

    /// See [`ListFilter::statuses`].
    pub fn statuses(self, statuses: impl IntoIterator<Item = ScheduledRunStatus>) -> Self {
        self.map(|f| f.statuses(statuses))
    }

    /// See [`ListFilter::metadata`].
    pub fn metadata(self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.map(|f| f.metadata(key, value))
    }

    /// See [`ListFilter::order_by`].
    pub fn order_by(self, field: ScheduledOrderField, direction: SortDirection) -> Self {
        self.map(|f| f.order_by(field, direction))
    }

    /// See [`ListFilter::offset`].
    pub fn offset(self, offset: u64) -> Self {
        self.map(|f| f.offset(offset))
    }

    /// See [`ListFilter::limit`].
    pub fn limit(self, limit: u64) -> Self {
        self.map(|f| f.limit(limit))
    }

    /// The filter as built so far.
    pub fn filter(&self) -> &ListFilter {
        &self.filter
    }

    fn map(mut self, change: impl FnOnce(ListFilter) -> ListFilter) -> Self {
        self.filter = change(self.filter);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rejected(filter: ListFilter) -> (&'static str, String) {
        match filter.validate() {
            Err(Error::InvalidArgument { name, reason }) => (name, reason),
            other => panic!("expected an invalid argument, got {other:?}"),
        }
    }

    #[test]
    fn rejects_what_the_server_would_refuse_or_misread() {
        let f = ListFilter::default;
        assert_eq!(
            rejected(f().limit(0)),
            ("limit", "must be at least 1".into())
        );
        assert_eq!(rejected(f().limit(u64::MAX)).0, "limit");
        assert_eq!(rejected(f().offset(u64::MAX)).0, "offset");
        assert_eq!(
            rejected(f().metadata("a:b", "c")),
            (
                "metadata",
                "filter \"a:b\" = \"c\": neither key nor value may contain ':'".into()
            )
        );
        assert_eq!(rejected(f().metadata("a", "b:c")).0, "metadata");
        assert_eq!(
            rejected(f().metadata("", "c")),
            ("metadata", "a filter key must not be empty".into())
        );
        assert_eq!(
            rejected(f().statuses([ScheduledRunStatus::Unknown("NEW".into())])),
            (
                "statuses",
                "Unknown(\"NEW\") is not a status the server accepts".into()
            )
        );
        assert!(f().limit(1).offset(0).metadata("k", "").validate().is_ok());
    }

    #[test]
    fn metadata_filters_are_key_colon_value_in_order() {
        let pairs = [
            ("b".to_owned(), "2".to_owned()),
            ("a".to_owned(), "1".to_owned()),
        ];
        assert_eq!(metadata_filters(&pairs).unwrap(), ["b:2", "a:1"]);
    }

    #[test]
    fn the_next_filter_moves_the_offset_by_what_was_received() {
        let filter = ListFilter::default().limit(2).offset(4);
        let page = Page {
            items: vec![1, 2],
            offset: 4,
            current_page: Some(3),
            num_pages: Some(4),
        };
        assert_eq!(filter.after(&page), Some(filter.clone().offset(6)));
        let last = Page {
            current_page: Some(4),
            ..page
        };
        assert_eq!(filter.after(&last), None);
    }
}
