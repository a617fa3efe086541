//! A crates.io user's code: invoice reminders, scheduled as Hatchet runs
//! with `hatchet-scheduled`. `tests/reminders.rs` tests it against
//! `hatchet-fake`. CI builds both from the packaged crates (see Cargo.toml).

use chrono::{DateTime, Duration, Utc};
use hatchet_scheduled::{Error, ScheduledClient, ScheduledRun, ScheduledRunStatus};
use uuid::Uuid;

/// The Hatchet workflow that sends a reminder.
pub const WORKFLOW: &str = "send-reminder";

/// When the reminder for an invoice `due` then is sent: a day before.
pub fn reminder_time(due: DateTime<Utc>) -> DateTime<Utc> {
    due - Duration::days(1)
}

/// Schedules the reminder for `invoice`.
pub async fn schedule_reminder(
    client: &ScheduledClient,
    invoice: &str,
    due: DateTime<Utc>,
) -> Result<Uuid, Error> {
    let run = client
        .create(WORKFLOW, reminder_time(due))
        .input(serde_json::json!({ "invoice": invoice }))
        .metadata("invoice", invoice)
        .send()
        .await?;
    Ok(run.id)
}

/// The reminders for `invoice` that have not been sent yet.
pub async fn pending_reminders(
    client: &ScheduledClient,
    invoice: &str,
) -> Result<Vec<ScheduledRun>, Error> {
    let page = client
        .list()
        .metadata("invoice", invoice)
        .statuses([ScheduledRunStatus::Scheduled])
        .send()
        .await?;
    Ok(page.items)
}

/// Moves a reminder when its invoice's due date moves.
pub async fn postpone(
    client: &ScheduledClient,
    reminder: Uuid,
    due: DateTime<Utc>,
) -> Result<ScheduledRun, Error> {
    client.update(reminder, reminder_time(due)).await
}

/// Cancels a reminder: the invoice is paid.
pub async fn cancel(client: &ScheduledClient, reminder: Uuid) -> Result<(), Error> {
    client.delete(reminder).await
}
