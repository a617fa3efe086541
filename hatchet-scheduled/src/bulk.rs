//! Bulk deletes and reschedules.

use uuid::Uuid;

use crate::{
    Error,
    list::{Criteria, Parents},
};

/// The most items the server takes in one bulk request; longer lists are
/// split into several requests and their outcomes merged.
pub const MAX_BULK_ITEMS: usize = 500;

/// Which schedules a bulk delete removes: the criteria of a listing
/// ([`ListBuilder`](crate::ListBuilder)), without statuses, order or
/// paging. Every criterion set must match.
///
/// An empty filter would delete **every** API-created schedule in the
/// tenant, so it is refused unless made with
/// [`BulkDeleteFilter::every_api_created_schedule`].
///
/// ```
/// use hatchet_scheduled::{BulkDeleteFilter, Error};
///
/// let staging = BulkDeleteFilter::default().metadata("env", "staging");
/// assert!(staging.validate().is_ok());
///
/// let accidental = BulkDeleteFilter::default().validate();
/// assert!(matches!(accidental, Err(Error::InvalidArgument { name: "filter", .. })));
/// assert!(BulkDeleteFilter::every_api_created_schedule().validate().is_ok());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[must_use]
pub struct BulkDeleteFilter {
    criteria: Criteria,
    parents: Parents,
    everything: bool,
}

impl BulkDeleteFilter {
    /// A filter that deliberately matches every API-created schedule of the
    /// tenant. Criteria added to it still narrow it.
    pub fn every_api_created_schedule() -> Self {
        Self {
            everything: true,
            ..Self::default()
        }
    }

    /// Only schedules of this workflow.
    pub fn workflow_id(mut self, id: Uuid) -> Self {
        self.criteria.workflow_id = Some(id);
        self
    }

    /// Only schedules made by this parent workflow run, as Hatchet's
    /// contract documents it.
    ///
    /// **Warning:** Hatchet's server compares this id with each schedule's
    /// *own* id (`workflow_schedules.sql`, a server bug), so it deletes at
    /// most the schedule with this id, never the children of a run. The
    /// value is sent as given.
    pub fn parent_workflow_run_id(mut self, id: Uuid) -> Self {
        self.parents.workflow_run_id = Some(id);
        self
    }

    /// Only schedules made by this parent step run.
    pub fn parent_step_run_id(mut self, id: Uuid) -> Self {
        self.parents.step_run_id = Some(id);
        self
    }

    /// Only schedules whose metadata has `key` set to `value`. Repeatable;
    /// neither may contain `:`.
    pub fn metadata(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.criteria.metadata.push((key.into(), value.into()));
        self
    }

    /// Whether no criterion is set.
    pub fn is_empty(&self) -> bool {
        self.criteria.is_empty() && self.parents.is_empty()
    }

    /// Checks the metadata pairs and refuses an accidental empty filter;
    /// `bulk_delete_matching` does the same before sending.
    pub fn validate(&self) -> Result<(), Error> {
        self.checked().map(drop)
    }

    /// The criteria, once checked, with their metadata filters as sent.
    pub(crate) fn checked(&self) -> Result<(&Criteria, Parents, Vec<String>), Error> {
        if self.is_empty() && !self.everything {
            return Err(Error::invalid_argument(
                "filter",
                "an empty filter deletes every API-created schedule of the tenant; \
                 use BulkDeleteFilter::every_api_created_schedule() if that is meant",
            ));
        }
        Ok((
            &self.criteria,
            self.parents,
            self.criteria.metadata_filters()?,
        ))
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
        let everything = BulkDeleteFilter::every_api_created_schedule();
        assert!(everything.is_empty());
        assert!(everything.validate().is_ok());
        assert!(!everything.metadata("env", "staging").is_empty());
        for narrowed in [
            BulkDeleteFilter::default().workflow_id(Uuid::nil()),
            BulkDeleteFilter::default().parent_workflow_run_id(Uuid::nil()),
            BulkDeleteFilter::default().parent_step_run_id(Uuid::nil()),
            BulkDeleteFilter::default().metadata("env", "staging"),
        ] {
            assert!(!narrowed.is_empty(), "{narrowed:?}");
            assert!(narrowed.validate().is_ok(), "{narrowed:?}");
        }
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
