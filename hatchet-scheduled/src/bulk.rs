//! Bulk deletes and reschedules.

use uuid::Uuid;

use crate::{Error, list::metadata_filters};

/// The most items the server takes in one bulk request; longer lists are
/// split into several requests and their outcomes merged.
///
/// ```
/// use hatchet_scheduled::MAX_BULK_ITEMS;
///
/// assert_eq!(MAX_BULK_ITEMS, 500);
/// ```
pub const MAX_BULK_ITEMS: usize = 500;

/// Which schedules a bulk delete removes. Every criterion set must match.
///
/// An empty filter would delete **every** API-created schedule in the
/// tenant, so it is refused unless made with
/// [`BulkDeleteFilter::every_api_created_schedule`].
///
/// ```
/// use hatchet_scheduled::BulkDeleteFilter;
///
/// let filter = BulkDeleteFilter::default().metadata("env", "staging");
/// assert!(filter.validate().is_ok());
/// assert!(BulkDeleteFilter::default().validate().is_err());
/// assert!(BulkDeleteFilter::every_api_created_schedule().validate().is_ok());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[must_use]
pub struct BulkDeleteFilter {
    pub(crate) workflow_id: Option<Uuid>,
    pub(crate) parent_workflow_run_id: Option<Uuid>,
    pub(crate) parent_step_run_id: Option<Uuid>,
    pub(crate) metadata: Vec<(String, String)>,
    everything: bool,
}

impl BulkDeleteFilter {
    /// A filter that deliberately matches every API-created schedule of the
    /// tenant. Criteria added to it still narrow it.
    ///
    /// ```
    /// use hatchet_scheduled::BulkDeleteFilter;
    ///
    /// let everything = BulkDeleteFilter::every_api_created_schedule();
    /// assert!(everything.is_empty());
    /// assert!(everything.validate().is_ok());
    /// assert!(!everything.metadata("env", "staging").is_empty());
    /// ```
    pub fn every_api_created_schedule() -> Self {
        Self {
            everything: true,
            ..Self::default()
        }
    }

    /// Only schedules of this workflow.
    ///
    /// ```
    /// let workflow = uuid::uuid!("707d0855-80ab-4e1f-a156-f1c4546cbf52");
    /// let filter = hatchet_scheduled::BulkDeleteFilter::default().workflow_id(workflow);
    /// assert!(!filter.is_empty());
    /// assert!(filter.validate().is_ok());
    /// ```
    pub fn workflow_id(mut self, id: Uuid) -> Self {
        self.workflow_id = Some(id);
        self
    }

    /// Only schedules made by this parent workflow run — as documented by
    /// Hatchet's contract.
    ///
    /// **Warning:** Hatchet's server compares this id with each schedule's
    /// *own* id (`workflow_schedules.sql`, a server bug), so it deletes at
    /// most the schedule with this id, never the children of a run. The
    /// value is sent as given.
    ///
    /// ```
    /// let parent = uuid::uuid!("707d0855-80ab-4e1f-a156-f1c4546cbf52");
    /// let filter = hatchet_scheduled::BulkDeleteFilter::default().parent_workflow_run_id(parent);
    /// assert!(!filter.is_empty());
    /// assert!(filter.validate().is_ok());
    /// ```
    pub fn parent_workflow_run_id(mut self, id: Uuid) -> Self {
        self.parent_workflow_run_id = Some(id);
        self
    }

    /// Only schedules made by this parent step run.
    ///
    /// ```
    /// let step = uuid::uuid!("707d0855-80ab-4e1f-a156-f1c4546cbf52");
    /// let filter = hatchet_scheduled::BulkDeleteFilter::default().parent_step_run_id(step);
    /// assert!(!filter.is_empty());
    /// assert!(filter.validate().is_ok());
    /// ```
    pub fn parent_step_run_id(mut self, id: Uuid) -> Self {
        self.parent_step_run_id = Some(id);
        self
    }

    /// Only schedules whose metadata has `key` set to `value`. Repeatable.
    /// [`validate`](Self::validate) refuses an empty key and a `:` in either.
    ///
    /// ```
    /// use hatchet_scheduled::{BulkDeleteFilter, Error};
    ///
    /// let filter = BulkDeleteFilter::default().metadata("env", "staging").metadata("team", "billing");
    /// assert!(filter.validate().is_ok());
    /// let bad = BulkDeleteFilter::default().metadata("env", "a:b").validate();
    /// assert!(matches!(bad, Err(Error::InvalidArgument { name: "metadata", .. })));
    /// ```
    pub fn metadata(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.metadata.push((key.into(), value.into()));
        self
    }

    /// Whether no criterion is set.
    ///
    /// ```
    /// use hatchet_scheduled::BulkDeleteFilter;
    ///
    /// assert!(BulkDeleteFilter::default().is_empty());
    /// assert!(!BulkDeleteFilter::default().metadata("env", "staging").is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.workflow_id.is_none()
            && self.parent_workflow_run_id.is_none()
            && self.parent_step_run_id.is_none()
            && self.metadata.is_empty()
    }

    /// Checks the metadata pairs and refuses an accidental empty filter.
    ///
    /// ```
    /// use hatchet_scheduled::{BulkDeleteFilter, Error};
    ///
    /// let empty = BulkDeleteFilter::default().validate();
    /// assert!(matches!(empty, Err(Error::InvalidArgument { name: "filter", .. })));
    /// BulkDeleteFilter::default().metadata("env", "staging").validate()?;
    /// # Ok::<(), hatchet_scheduled::Error>(())
    /// ```
    pub fn validate(&self) -> Result<(), Error> {
        if self.is_empty() && !self.everything {
            return Err(Error::invalid_argument(
                "filter",
                "an empty filter deletes every API-created schedule of the tenant; \
                 use BulkDeleteFilter::every_api_created_schedule() if that is meant",
            ));
        }
        metadata_filters(&self.metadata).map(drop)
    }
}

/// Refuses an empty bulk list before anything is sent.
pub(crate) fn non_empty<T>(items: Vec<T>, name: &'static str) -> Result<Vec<T>, Error> {
    if items.is_empty() {
        return Err(Error::invalid_argument(name, "must not be empty"));
    }
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_filter_needs_the_explicit_constructor() {
        let error = BulkDeleteFilter::default().validate().unwrap_err();
        assert!(
            matches!(&error, Error::InvalidArgument { name: "filter", reason } if reason.contains("every API-created schedule")),
            "{error:?}"
        );
        assert!(BulkDeleteFilter::every_api_created_schedule().is_empty());
        assert!(
            BulkDeleteFilter::every_api_created_schedule()
                .validate()
                .is_ok()
        );
        assert!(
            !BulkDeleteFilter::default()
                .parent_step_run_id(Uuid::nil())
                .is_empty()
        );
    }

    #[test]
    fn metadata_pairs_are_checked_like_list_filters() {
        let error = BulkDeleteFilter::default()
            .metadata("a", "b:c")
            .validate()
            .unwrap_err();
        assert!(
            matches!(
                error,
                Error::InvalidArgument {
                    name: "metadata",
                    ..
                }
            ),
            "{error:?}"
        );
    }

    #[test]
    fn empty_lists_are_refused() {
        let error = non_empty(Vec::<u8>::new(), "ids").unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid argument `ids`: must not be empty"
        );
        assert_eq!(non_empty(vec![1], "ids").unwrap(), [1]);
    }
}
