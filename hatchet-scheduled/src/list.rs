//! Listing filters: plain owned data, checked before anything is sent.

use uuid::Uuid;

use crate::{Error, Page, ScheduledRunStatus};

/// Fields a listing can be sorted by.
///
/// ```
/// use hatchet_scheduled::{ListFilter, ScheduledOrderField, SortDirection};
///
/// let newest_first =
///     ListFilter::default().order_by(ScheduledOrderField::CreatedAt, SortDirection::Desc);
/// assert!(newest_first.validate().is_ok());
/// let due_last =
///     ListFilter::default().order_by(ScheduledOrderField::TriggerAt, SortDirection::Desc);
/// assert_ne!(newest_first, due_last);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ScheduledOrderField {
    /// When the run is due.
    TriggerAt,
    /// When the schedule was created.
    CreatedAt,
}

/// Sort direction.
///
/// ```
/// use hatchet_scheduled::{ListFilter, ScheduledOrderField, SortDirection};
///
/// let soonest_first =
///     ListFilter::default().order_by(ScheduledOrderField::TriggerAt, SortDirection::Asc);
/// assert!(soonest_first.validate().is_ok());
/// assert_ne!(soonest_first, ListFilter::default()); // the default: the server's order
/// ```
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
    ///
    /// ```
    /// use hatchet_scheduled::ListFilter;
    ///
    /// let (a, b) = (uuid::Uuid::from_u128(1), uuid::Uuid::from_u128(2));
    /// let only_b = ListFilter::default().workflow_id(b);
    /// // The last call wins.
    /// assert_eq!(ListFilter::default().workflow_id(a).workflow_id(b), only_b);
    /// assert!(only_b.validate().is_ok());
    /// ```
    pub fn workflow_id(mut self, id: Uuid) -> Self {
        self.workflow_id = Some(id);
        self
    }

    /// Only runs scheduled by this parent workflow run — as documented by
    /// Hatchet's contract.
    ///
    /// **Warning:** Hatchet's server compares this id with each schedule's
    /// *own* id, not with its parent run (`workflow_schedules.sql`, a server
    /// bug), so it matches at most the schedule with this id and never the
    /// children of a run. The value is sent as given.
    ///
    /// ```
    /// use hatchet_scheduled::ListFilter;
    ///
    /// let (parent, workflow) = (uuid::Uuid::from_u128(1), uuid::Uuid::from_u128(2));
    /// let children = ListFilter::default().parent_workflow_run_id(parent);
    /// // Criteria combine, whatever the order they are set in.
    /// assert_eq!(
    ///     children.workflow_id(workflow),
    ///     ListFilter::default().workflow_id(workflow).parent_workflow_run_id(parent)
    /// );
    /// ```
    pub fn parent_workflow_run_id(mut self, id: Uuid) -> Self {
        self.parent_workflow_run_id = Some(id);
        self
    }

    /// Only runs scheduled by this parent step run.
    ///
    /// ```
    /// use hatchet_scheduled::ListFilter;
    ///
    /// let step = uuid::Uuid::from_u128(3);
    /// let by_step = ListFilter::default().parent_step_run_id(step);
    /// assert!(by_step.validate().is_ok());
    /// // Not the same criterion as a parent workflow run.
    /// assert_ne!(by_step, ListFilter::default().parent_workflow_run_id(step));
    /// ```
    pub fn parent_step_run_id(mut self, id: Uuid) -> Self {
        self.parent_step_run_id = Some(id);
        self
    }

    /// Only runs in one of these states (replaces earlier ones). Hatchet
    /// deletes a schedule when it fires, so `Scheduled` matches every listed
    /// schedule and a run status matches only schedules still linked to a
    /// run, usually none; see [`ScheduledRunStatus`].
    ///
    /// ```
    /// use hatchet_scheduled::{ListFilter, ScheduledRunStatus::{Cancelled, Failed, Scheduled}};
    ///
    /// let failed = ListFilter::default().statuses([Failed, Cancelled]);
    /// let replaced = ListFilter::default().statuses([Scheduled]).statuses([Failed, Cancelled]);
    /// assert_eq!(replaced, failed);
    /// let unknown = ListFilter::default().statuses(["EVICTED".into()]);
    /// assert_eq!(
    ///     unknown.validate().unwrap_err().to_string(),
    ///     "invalid argument `statuses`: Unknown(\"EVICTED\") is not a status the server accepts"
    /// );
    /// ```
    pub fn statuses(mut self, statuses: impl IntoIterator<Item = ScheduledRunStatus>) -> Self {
        self.statuses = statuses.into_iter().collect();
        self
    }

    /// Only runs whose additional metadata has `key` set to `value`.
    /// Repeatable; every pair must match.
    ///
    /// ```
    /// use hatchet_scheduled::{Error, ListFilter};
    ///
    /// let prod_core = ListFilter::default().metadata("env", "prod").metadata("team", "core");
    /// assert!(prod_core.validate().is_ok());
    /// // The server splits filters on ':', so neither key nor value may hold one.
    /// let bad = ListFilter::default().metadata("region:eu", "1").validate();
    /// assert!(matches!(bad, Err(Error::InvalidArgument { name: "metadata", .. })));
    /// assert!(ListFilter::default().metadata("", "prod").validate().is_err()); // empty key
    /// ```
    pub fn metadata(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.metadata.push((key.into(), value.into()));
        self
    }

    /// Sort order (the server's default: trigger time, descending).
    ///
    /// ```
    /// use hatchet_scheduled::{ListFilter, ScheduledOrderField, SortDirection};
    ///
    /// let oldest_first =
    ///     ListFilter::default().order_by(ScheduledOrderField::CreatedAt, SortDirection::Asc);
    /// let replaced = ListFilter::default()
    ///     .order_by(ScheduledOrderField::TriggerAt, SortDirection::Desc)
    ///     .order_by(ScheduledOrderField::CreatedAt, SortDirection::Asc);
    /// assert_eq!(replaced, oldest_first); // one order: the last call wins
    /// ```
    pub fn order_by(mut self, field: ScheduledOrderField, direction: SortDirection) -> Self {
        self.order = Some((field, direction));
        self
    }

    /// Skip this many runs.
    ///
    /// ```
    /// use hatchet_scheduled::ListFilter;
    ///
    /// let third_page = ListFilter::default().limit(50).offset(100);
    /// assert!(third_page.validate().is_ok());
    /// assert_eq!(
    ///     ListFilter::default().offset(u64::MAX).validate().unwrap_err().to_string(),
    ///     "invalid argument `offset`: must fit in a signed 64-bit integer"
    /// );
    /// ```
    pub fn offset(mut self, offset: u64) -> Self {
        self.offset = Some(offset);
        self
    }

    /// At most this many runs per page (at least 1; server default 50).
    ///
    /// ```
    /// use hatchet_scheduled::ListFilter;
    ///
    /// assert!(ListFilter::default().limit(1).validate().is_ok());
    /// assert_eq!(
    ///     ListFilter::default().limit(0).validate().unwrap_err().to_string(),
    ///     "invalid argument `limit`: must be at least 1"
    /// );
    /// ```
    pub fn limit(mut self, limit: u64) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Checks what the server would reject, or worse, misread.
    ///
    /// ```
    /// use hatchet_scheduled::{Error, ListFilter};
    ///
    /// assert!(ListFilter::default().validate().is_ok());
    /// match ListFilter::default().limit(0).validate() {
    ///     Err(Error::InvalidArgument { name, reason }) => {
    ///         assert_eq!((name, reason.as_str()), ("limit", "must be at least 1"));
    ///     }
    ///     other => panic!("expected an invalid argument, got {other:?}"),
    /// }
    /// ```
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
///
/// ```
/// use hatchet_scheduled::ListFilter;
///
/// # let config = hatchet_scheduled::ClientConfig::builder().token("token")
/// #     .server_url("https://hatchet.example.com").tenant_id(uuid::Uuid::nil()).build()?;
/// # let client = hatchet_scheduled::ScheduledClient::new(config)?;
/// let production = ListFilter::default().metadata("env", "prod");
/// let builder = client.list_with(production.clone()).limit(10);
/// assert_eq!(builder.filter(), &production.limit(10));
/// # Ok::<(), hatchet_scheduled::Error>(())
/// ```
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
    ///
    /// ```
    /// use hatchet_scheduled::ListFilter;
    ///
    /// # let config = hatchet_scheduled::ClientConfig::builder().token("token")
    /// #     .server_url("https://hatchet.example.com").tenant_id(uuid::Uuid::nil()).build()?;
    /// # let client = hatchet_scheduled::ScheduledClient::new(config)?;
    /// let id = uuid::Uuid::from_u128(1);
    /// let builder = client.list().workflow_id(id);
    /// assert_eq!(builder.filter(), &ListFilter::default().workflow_id(id));
    /// # Ok::<(), hatchet_scheduled::Error>(())
    /// ```
    pub fn workflow_id(self, id: Uuid) -> Self {
        self.map(|f| f.workflow_id(id))
    }

    /// See [`ListFilter::parent_workflow_run_id`].
    ///
    /// ```
    /// use hatchet_scheduled::ListFilter;
    ///
    /// # let config = hatchet_scheduled::ClientConfig::builder().token("token")
    /// #     .server_url("https://hatchet.example.com").tenant_id(uuid::Uuid::nil()).build()?;
    /// # let client = hatchet_scheduled::ScheduledClient::new(config)?;
    /// let parent = uuid::Uuid::from_u128(2);
    /// let builder = client.list().parent_workflow_run_id(parent);
    /// assert_eq!(builder.filter(), &ListFilter::default().parent_workflow_run_id(parent));
    /// # Ok::<(), hatchet_scheduled::Error>(())
    /// ```
    pub fn parent_workflow_run_id(self, id: Uuid) -> Self {
        self.map(|f| f.parent_workflow_run_id(id))
    }

    /// See [`ListFilter::parent_step_run_id`].
    ///
    /// ```
    /// use hatchet_scheduled::ListFilter;
    ///
    /// # let config = hatchet_scheduled::ClientConfig::builder().token("token")
    /// #     .server_url("https://hatchet.example.com").tenant_id(uuid::Uuid::nil()).build()?;
    /// # let client = hatchet_scheduled::ScheduledClient::new(config)?;
    /// let step = uuid::Uuid::from_u128(3);
    /// let builder = client.list().parent_step_run_id(step);
    /// assert_eq!(builder.filter(), &ListFilter::default().parent_step_run_id(step));
    /// # Ok::<(), hatchet_scheduled::Error>(())
    /// ```
    pub fn parent_step_run_id(self, id: Uuid) -> Self {
        self.map(|f| f.parent_step_run_id(id))
    }

    /// See [`ListFilter::statuses`].
    ///
    /// ```
    /// use hatchet_scheduled::{ListFilter, ScheduledRunStatus::{Failed, Scheduled}};
    ///
    /// # let config = hatchet_scheduled::ClientConfig::builder().token("token")
    /// #     .server_url("https://hatchet.example.com").tenant_id(uuid::Uuid::nil()).build()?;
    /// # let client = hatchet_scheduled::ScheduledClient::new(config)?;
    /// let builder = client.list().statuses([Scheduled]).statuses([Failed]);
    /// assert_eq!(builder.filter(), &ListFilter::default().statuses([Failed])); // replaced
    /// # Ok::<(), hatchet_scheduled::Error>(())
    /// ```
    pub fn statuses(self, statuses: impl IntoIterator<Item = ScheduledRunStatus>) -> Self {
        self.map(|f| f.statuses(statuses))
    }

    /// See [`ListFilter::metadata`].
    ///
    /// ```
    /// use hatchet_scheduled::ListFilter;
    ///
    /// # let config = hatchet_scheduled::ClientConfig::builder().token("token")
    /// #     .server_url("https://hatchet.example.com").tenant_id(uuid::Uuid::nil()).build()?;
    /// # let client = hatchet_scheduled::ScheduledClient::new(config)?;
    /// let builder = client.list().metadata("env", "prod").metadata("team", "core");
    /// assert!(builder.filter().validate().is_ok());
    /// assert!(client.list().metadata("env", "prod:eu").filter().validate().is_err());
    /// # Ok::<(), hatchet_scheduled::Error>(())
    /// ```
    pub fn metadata(self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.map(|f| f.metadata(key, value))
    }

    /// See [`ListFilter::order_by`].
    ///
    /// ```
    /// use hatchet_scheduled::{ListFilter, ScheduledOrderField::TriggerAt, SortDirection::Asc};
    ///
    /// # let config = hatchet_scheduled::ClientConfig::builder().token("token")
    /// #     .server_url("https://hatchet.example.com").tenant_id(uuid::Uuid::nil()).build()?;
    /// # let client = hatchet_scheduled::ScheduledClient::new(config)?;
    /// let builder = client.list().order_by(TriggerAt, Asc);
    /// assert_eq!(builder.filter(), &ListFilter::default().order_by(TriggerAt, Asc));
    /// # Ok::<(), hatchet_scheduled::Error>(())
    /// ```
    pub fn order_by(self, field: ScheduledOrderField, direction: SortDirection) -> Self {
        self.map(|f| f.order_by(field, direction))
    }

    /// See [`ListFilter::offset`].
    ///
    /// ```
    /// use hatchet_scheduled::ListFilter;
    ///
    /// # let config = hatchet_scheduled::ClientConfig::builder().token("token")
    /// #     .server_url("https://hatchet.example.com").tenant_id(uuid::Uuid::nil()).build()?;
    /// # let client = hatchet_scheduled::ScheduledClient::new(config)?;
    /// let builder = client.list().limit(20).offset(40);
    /// assert_eq!(builder.filter(), &ListFilter::default().limit(20).offset(40));
    /// # Ok::<(), hatchet_scheduled::Error>(())
    /// ```
    pub fn offset(self, offset: u64) -> Self {
        self.map(|f| f.offset(offset))
    }

    /// See [`ListFilter::limit`].
    ///
    /// ```
    /// use hatchet_scheduled::ListFilter;
    ///
    /// # let config = hatchet_scheduled::ClientConfig::builder().token("token")
    /// #     .server_url("https://hatchet.example.com").tenant_id(uuid::Uuid::nil()).build()?;
    /// # let client = hatchet_scheduled::ScheduledClient::new(config)?;
    /// let builder = client.list().limit(0);
    /// assert!(builder.filter().validate().is_err()); // `send` would refuse it
    /// # Ok::<(), hatchet_scheduled::Error>(())
    /// ```
    pub fn limit(self, limit: u64) -> Self {
        self.map(|f| f.limit(limit))
    }

    /// The filter as built so far.
    ///
    /// ```
    /// use hatchet_scheduled::ListFilter;
    ///
    /// # let config = hatchet_scheduled::ClientConfig::builder().token("token")
    /// #     .server_url("https://hatchet.example.com").tenant_id(uuid::Uuid::nil()).build()?;
    /// # let client = hatchet_scheduled::ScheduledClient::new(config)?;
    /// let builder = client.list().metadata("env", "prod").limit(20);
    /// let saved: ListFilter = builder.filter().clone(); // reuse it with `list_with`
    /// assert_eq!(saved, ListFilter::default().metadata("env", "prod").limit(20));
    /// # Ok::<(), hatchet_scheduled::Error>(())
    /// ```
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
