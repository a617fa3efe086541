//! Selecting schedules: the criteria of listings and bulk deletes, written
//! once and checked before anything is sent.
//!
//! A listing is one sentence on the client,
//! `client.list().statuses([..]).metadata("k", "v").limit(50).send()`: the
//! builder *is* the filter, so each criterion has one setter and there is
//! no separate filter type to convert or keep in step with it. To reuse a
//! listing, clone the builder; clones share the client's connection pool.
//! A bulk delete selects with the same criteria through
//! [`BulkDeleteFilter`](crate::BulkDeleteFilter), minus what only a
//! listing has (statuses, order, paging). Cron triggers are listed the same
//! way ([`CronListBuilder`]): the criteria and paging every Hatchet listing
//! takes (workflow, metadata pairs, offset, limit) have one setter each,
//! written once for both builders, and one check.

use std::future::Future;

use futures_util::{Stream, TryStreamExt, stream};
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

/// What every Hatchet listing (and a bulk delete) filters on: a workflow
/// and metadata pairs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Criteria {
    pub(crate) workflow_id: Option<Uuid>,
    pub(crate) metadata: Vec<(String, String)>,
}

impl Criteria {
    pub(crate) fn is_empty(&self) -> bool {
        self.workflow_id.is_none() && self.metadata.is_empty()
    }

    /// The metadata pairs as the server's `key:value` filters. The server
    /// splits on `:`, so a key or value holding one would be misread (it
    /// answers 400); an empty key is refused too.
    pub(crate) fn metadata_filters(&self) -> Result<Vec<String>, Error> {
        self.metadata
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
                        format!(
                            "filter {key:?} = {value:?}: neither key nor value may contain ':'"
                        ),
                    ));
                }
                Ok(format!("{key}:{value}"))
            })
            .collect()
    }
}

/// What made a scheduled run: criteria of scheduled runs only.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Parents {
    pub(crate) workflow_run_id: Option<Uuid>,
    pub(crate) step_run_id: Option<Uuid>,
}

impl Parents {
    pub(crate) fn is_empty(self) -> bool {
        self.workflow_run_id.is_none() && self.step_run_id.is_none()
    }
}

/// Which page of a listing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Paging {
    pub(crate) offset: Option<u64>,
    pub(crate) limit: Option<u64>,
}

impl Paging {
    /// Offset and limit as the server's signed integers; refuses a zero
    /// limit, which the server would answer with an empty page forever.
    pub(crate) fn to_query(self) -> Result<(Option<i64>, Option<i64>), Error> {
        if self.limit == Some(0) {
            return Err(Error::invalid_argument("limit", "must be at least 1"));
        }
        Ok((signed("offset", self.offset)?, signed("limit", self.limit)?))
    }

    /// The paging of the page after `page`, if there is one.
    pub(crate) fn after<T>(self, page: &Page<T>) -> Option<Self> {
        page.has_next().then_some(Self {
            offset: Some(page.next_offset()),
            ..self
        })
    }
}

fn signed(name: &'static str, n: Option<u64>) -> Result<Option<i64>, Error> {
    n.map(i64::try_from)
        .transpose()
        .map_err(|_| Error::invalid_argument(name, "must fit in a signed 64-bit integer"))
}

/// A listing that can be fetched page after page.
pub(crate) trait Paged: Clone + Send + 'static {
    fn paging(&self) -> Paging;
    fn with_paging(&self, paging: Paging) -> Self;
}

/// Every item of a listing, fetching pages lazily as the stream is polled;
/// stops after the last page (no extra request) or at the first error.
pub(crate) fn every<L, T, F, Fut>(first: L, fetch: F) -> impl Stream<Item = Result<T, Error>> + Send
where
    L: Paged,
    T: Send + 'static,
    F: Fn(L) -> Fut + Send + 'static,
    Fut: Future<Output = Result<Page<T>, Error>> + Send,
{
    stream::try_unfold(Some(first), move |next| {
        let fetched = next.map(|listing| {
            let after = listing.clone();
            (fetch(listing), after)
        });
        async move {
            let Some((page, listing)) = fetched else {
                return Ok(None);
            };
            let page = page.await?;
            let next = listing
                .paging()
                .after(&page)
                .map(|paging| listing.with_paging(paging));
            Ok(Some((stream::iter(page.items.into_iter().map(Ok)), next)))
        }
    })
    .try_flatten()
}

/// The setters of the criteria and paging every listing takes, written once
/// for every list builder (each has a `listing` with `criteria` and
/// `paging`). `$what` names what is listed, for the docs.
macro_rules! listing_setters {
    ($what:literal) => {
        #[doc = concat!("Only ", $what, " of this workflow.")]
        pub fn workflow_id(mut self, id: Uuid) -> Self {
            self.listing.criteria.workflow_id = Some(id);
            self
        }

        #[doc = concat!("Only ", $what, " whose additional metadata has `key` set to `value`.")]
        /// Repeatable; every pair must match. Neither may contain `:`.
        pub fn metadata(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
            self.listing
                .criteria
                .metadata
                .push((key.into(), value.into()));
            self
        }

        #[doc = concat!("Skip this many ", $what, ".")]
        pub fn offset(mut self, offset: u64) -> Self {
            self.listing.paging.offset = Some(offset);
            self
        }

        #[doc = concat!("At most this many ", $what, " per page (at least 1; server default 50).")]
        pub fn limit(mut self, limit: u64) -> Self {
            self.listing.paging.limit = Some(limit);
            self
        }
    };
}

/// A listing of scheduled runs, without its client.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Listing {
    pub(crate) criteria: Criteria,
    pub(crate) parents: Parents,
    pub(crate) statuses: Vec<ScheduledRunStatus>,
    pub(crate) order: Option<(ScheduledOrderField, SortDirection)>,
    pub(crate) paging: Paging,
}

impl Paged for Listing {
    fn paging(&self) -> Paging {
        self.paging
    }

    fn with_paging(&self, paging: Paging) -> Self {
        Self {
            paging,
            ..self.clone()
        }
    }
}

/// A listing of scheduled runs about to be sent; made by
/// [`ScheduledClient::list`](crate::ScheduledClient::list). Every criterion
/// set must match. Nothing is checked or sent until `send` (or `stream`,
/// `iter`), which refuse what the server would refuse or misread.
///
/// ```no_run
/// use futures_util::TryStreamExt;
/// use hatchet_scheduled::{ScheduledOrderField, ScheduledRunStatus, SortDirection};
///
/// # async fn run(client: hatchet_scheduled::ScheduledClient) -> Result<(), hatchet_scheduled::Error> {
/// let due = client
///     .list()
///     .statuses([ScheduledRunStatus::Scheduled])
///     .metadata("env", "prod")
///     .order_by(ScheduledOrderField::TriggerAt, SortDirection::Asc);
///
/// let first_page = due.clone().limit(20).send().await?; // a builder is reusable
/// let everything: Vec<_> = due.stream().try_collect().await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct ListBuilder<C> {
    pub(crate) client: C,
    pub(crate) listing: Listing,
}

impl<C> ListBuilder<C> {
    pub(crate) fn new(client: C) -> Self {
        Self {
            client,
            listing: Listing::default(),
        }
    }

    listing_setters!("runs");

    /// Only runs scheduled by this parent workflow run, as Hatchet's
    /// contract documents it.
    ///
    /// **Warning:** Hatchet's server compares this id with each schedule's
    /// *own* id, not with its parent run (`workflow_schedules.sql`, a server
    /// bug), so it matches at most the schedule with this id and never the
    /// children of a run. The value is sent as given.
    pub fn parent_workflow_run_id(mut self, id: Uuid) -> Self {
        self.listing.parents.workflow_run_id = Some(id);
        self
    }

    /// Only runs scheduled by this parent step run.
    pub fn parent_step_run_id(mut self, id: Uuid) -> Self {
        self.listing.parents.step_run_id = Some(id);
        self
    }

    /// Only runs in one of these states (replaces earlier ones). Hatchet
    /// deletes a schedule when it fires, so `Scheduled` matches every listed
    /// schedule and a run status matches only schedules still linked to a
    /// run, usually none; see [`ScheduledRunStatus`].
    pub fn statuses(mut self, statuses: impl IntoIterator<Item = ScheduledRunStatus>) -> Self {
        self.listing.statuses = statuses.into_iter().collect();
        self
    }

    /// Sort order (the server's default: trigger time, descending). The
    /// last call wins.
    pub fn order_by(mut self, field: ScheduledOrderField, direction: SortDirection) -> Self {
        self.listing.order = Some((field, direction));
        self
    }
}

/// Fields a cron listing can be sorted by.
///
/// ```no_run
/// use hatchet_scheduled::{CronOrderField, SortDirection};
///
/// # async fn run(client: hatchet_scheduled::CronClient) -> Result<(), hatchet_scheduled::Error> {
/// let by_workflow = client
///     .list()
///     .order_by(CronOrderField::WorkflowName, SortDirection::Asc)
///     .send()
///     .await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CronOrderField {
    /// The name of the cron's **workflow** (Hatchet's `orderByField=name`
    /// sorts by the workflow's name, not the cron's:
    /// `workflow_schedules.sql`, `ListCronWorkflows`).
    WorkflowName,
    /// When the cron was created (the server's default, descending).
    CreatedAt,
}

/// A listing of cron triggers, without its client.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct CronListing {
    pub(crate) criteria: Criteria,
    pub(crate) workflow_name: Option<String>,
    pub(crate) cron_name: Option<String>,
    pub(crate) order: Option<(CronOrderField, SortDirection)>,
    pub(crate) paging: Paging,
}

impl Paged for CronListing {
    fn paging(&self) -> Paging {
        self.paging
    }

    fn with_paging(&self, paging: Paging) -> Self {
        Self {
            paging,
            ..self.clone()
        }
    }
}

/// A listing of cron triggers about to be sent; made by
/// [`CronClient::list`](crate::CronClient::list). Every criterion set must
/// match; only what is set is sent, so the server's defaults apply to the
/// rest (50 per page, newest first).
///
/// ```no_run
/// use futures_util::TryStreamExt;
/// use hatchet_scheduled::{CronOrderField, SortDirection};
///
/// # async fn run(crons: hatchet_scheduled::CronClient) -> Result<(), hatchet_scheduled::Error> {
/// let reports = crons
///     .list()
///     .workflow_name("send-report")
///     .metadata("env", "prod")
///     .order_by(CronOrderField::CreatedAt, SortDirection::Asc);
///
/// let first_page = reports.clone().limit(20).send().await?;
/// let every_one: Vec<_> = reports.stream().try_collect().await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct CronListBuilder<C> {
    pub(crate) client: C,
    pub(crate) listing: CronListing,
}

impl<C> CronListBuilder<C> {
    pub(crate) fn new(client: C) -> Self {
        Self {
            client,
            listing: CronListing::default(),
        }
    }

    listing_setters!("crons");

    /// Only crons of the workflow with this name. The client's namespace is
    /// applied, as on create, because the server compares the stored,
    /// namespaced name (Hatchet's Python SDK sends it bare, so inside a
    /// namespace its filter matches nothing).
    pub fn workflow_name(mut self, name: impl Into<String>) -> Self {
        self.listing.workflow_name = Some(name.into());
        self
    }

    /// Only the crons with this name.
    pub fn cron_name(mut self, name: impl Into<String>) -> Self {
        self.listing.cron_name = Some(name.into());
        self
    }

    /// Sort order (the server's default: creation time, descending). The
    /// last call wins.
    pub fn order_by(mut self, field: CronOrderField, direction: SortDirection) -> Self {
        self.listing.order = Some((field, direction));
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paging(
        offset: Option<u64>,
        limit: Option<u64>,
    ) -> Result<(Option<i64>, Option<i64>), Error> {
        Paging { offset, limit }.to_query()
    }

    fn refused<T: std::fmt::Debug>(result: Result<T, Error>) -> (&'static str, String) {
        match result {
            Err(Error::InvalidArgument { name, reason }) => (name, reason),
            other => panic!("expected an invalid argument, got {other:?}"),
        }
    }

    #[test]
    fn paging_refuses_a_zero_limit_and_values_beyond_i64() {
        assert_eq!(
            refused(paging(None, Some(0))),
            ("limit", "must be at least 1".into())
        );
        assert_eq!(
            refused(paging(None, Some(u64::MAX))),
            ("limit", "must fit in a signed 64-bit integer".into())
        );
        assert_eq!(
            refused(paging(Some(u64::MAX), None)),
            ("offset", "must fit in a signed 64-bit integer".into())
        );
        assert_eq!(paging(Some(0), Some(1)).unwrap(), (Some(0), Some(1)));
        assert_eq!(paging(None, None).unwrap(), (None, None));
    }

    #[test]
    fn metadata_filters_are_key_colon_value_in_order_and_refuse_colons() {
        let criteria = |pairs: &[(&str, &str)]| Criteria {
            metadata: pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ..Criteria::default()
        };
        assert_eq!(
            criteria(&[("b", "2"), ("a", "1"), ("k", "")])
                .metadata_filters()
                .unwrap(),
            ["b:2", "a:1", "k:"]
        );
        assert_eq!(
            refused(criteria(&[("a:b", "c")]).metadata_filters()),
            (
                "metadata",
                "filter \"a:b\" = \"c\": neither key nor value may contain ':'".into()
            )
        );
        assert_eq!(
            refused(criteria(&[("a", "b:c")]).metadata_filters()).0,
            "metadata"
        );
        assert_eq!(
            refused(criteria(&[("", "c")]).metadata_filters()),
            ("metadata", "a filter key must not be empty".into())
        );
    }

    #[test]
    fn the_next_listing_moves_the_offset_by_what_was_received() {
        let listing = Listing {
            paging: Paging {
                offset: Some(4),
                limit: Some(2),
            },
            statuses: vec![ScheduledRunStatus::Scheduled],
            ..Listing::default()
        };
        let page = Page {
            items: vec![1, 2],
            offset: 4,
            current_page: Some(3),
            num_pages: Some(4),
        };
        let next = listing.with_paging(listing.paging().after(&page).unwrap());
        assert_eq!(
            next.paging,
            Paging {
                offset: Some(6),
                limit: Some(2)
            }
        );
        assert_eq!(next.statuses, listing.statuses);
        let last = Page {
            current_page: Some(4),
            ..page
        };
        assert_eq!(listing.paging().after(&last), None);
    }
}
