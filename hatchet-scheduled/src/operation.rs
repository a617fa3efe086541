//! The operations the facade sends: one table of what the dispatcher needs
//! to know about each, decided at compile time.

use reqwest::StatusCode;

use crate::retry::Safety;

/// One of Hatchet's REST operations that the facade calls.
///
/// Adding a variant does not compile until [`Operation::spec`] says how it
/// is named, whether a retry is harmless and what it answers on success.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Operation {
    Create,
    Get,
    List,
    Update,
    Delete,
    Trigger,
    BulkDelete,
    BulkUpdate,
    CronCreate,
    CronList,
    CronGet,
    CronDelete,
    /// Pause and resume.
    CronUpdate,
    CronTrigger,
}

/// What the dispatcher needs to know about an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Spec {
    /// Hatchet's operation id, for tracing and errors.
    pub(crate) id: &'static str,
    pub(crate) safety: Safety,
    /// The status a successful answer has.
    pub(crate) success: StatusCode,
}

impl Operation {
    /// The operation's row in the table.
    pub(crate) const fn spec(self) -> Spec {
        use Safety::{Idempotent, NotIdempotent};
        const fn row(id: &'static str, safety: Safety, success: StatusCode) -> Spec {
            Spec {
                id,
                safety,
                success,
            }
        }
        match self {
            // Repeating a create, a trigger or a bulk delete may schedule,
            // start or delete something a second time.
            Self::Create => row(
                "scheduled-workflow-run:create",
                NotIdempotent,
                StatusCode::OK,
            ),
            Self::Trigger => row("workflow-scheduled:trigger", NotIdempotent, StatusCode::OK),
            Self::BulkDelete => row(
                "workflow-scheduled:bulk-delete",
                NotIdempotent,
                StatusCode::OK,
            ),
            Self::Get => row("workflow-scheduled:get", Idempotent, StatusCode::OK),
            Self::List => row("workflow-scheduled:list", Idempotent, StatusCode::OK),
            Self::Update => row("workflow-scheduled:update", Idempotent, StatusCode::OK),
            Self::Delete => row(
                "workflow-scheduled:delete",
                Idempotent,
                StatusCode::NO_CONTENT,
            ),
            Self::BulkUpdate => row("workflow-scheduled:bulk-update", Idempotent, StatusCode::OK),
            // A cron created twice is refused as a duplicate, but a retried
            // trigger starts a second run.
            Self::CronCreate => row(
                "cron-workflow-trigger:create",
                NotIdempotent,
                StatusCode::OK,
            ),
            Self::CronTrigger => row("workflow-cron:trigger", NotIdempotent, StatusCode::OK),
            Self::CronList => row("cron-workflow:list", Idempotent, StatusCode::OK),
            Self::CronGet => row("workflow-cron:get", Idempotent, StatusCode::OK),
            Self::CronDelete => row("workflow-cron:delete", Idempotent, StatusCode::NO_CONTENT),
            Self::CronUpdate => row("workflow-cron:update", Idempotent, StatusCode::NO_CONTENT),
        }
    }

    /// Hatchet's operation id.
    pub(crate) const fn id(self) -> &'static str {
        self.spec().id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Operation; 14] = [
        Operation::Create,
        Operation::Get,
        Operation::List,
        Operation::Update,
        Operation::Delete,
        Operation::Trigger,
        Operation::BulkDelete,
        Operation::BulkUpdate,
        Operation::CronCreate,
        Operation::CronList,
        Operation::CronGet,
        Operation::CronDelete,
        Operation::CronUpdate,
        Operation::CronTrigger,
    ];

    #[test]
    fn creates_triggers_and_bulk_deletes_are_unsafe_to_repeat() {
        let unsafe_to_repeat: Vec<_> = ALL
            .into_iter()
            .filter(|op| op.spec().safety == Safety::NotIdempotent)
            .collect();
        assert_eq!(
            unsafe_to_repeat,
            [
                Operation::Create,
                Operation::Trigger,
                Operation::BulkDelete,
                Operation::CronCreate,
                Operation::CronTrigger
            ]
        );
    }

    #[test]
    fn deletes_and_cron_updates_succeed_without_a_body() {
        for op in ALL {
            let no_body = [
                Operation::Delete,
                Operation::CronDelete,
                Operation::CronUpdate,
            ];
            let expected = if no_body.contains(&op) {
                StatusCode::NO_CONTENT
            } else {
                StatusCode::OK
            };
            assert_eq!(op.spec().success, expected, "{op:?}");
        }
    }
}
