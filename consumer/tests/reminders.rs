//! The reminder code against `hatchet-fake`, as a crates.io user tests it:
//! schedule, list with a filter, get, reschedule and delete, one call with
//! the blocking client, and a typed error.

use chrono::{TimeZone, Utc};
use hatchet_consumer::{
    WORKFLOW, cancel, pending_reminders, postpone, reminder_time, schedule_reminder,
};
use hatchet_fake::FakeHatchet;
use hatchet_scheduled::{ClientConfig, ScheduledClient, blocking};

#[test]
fn a_reminder_is_scheduled_found_moved_and_cancelled() {
    // The fake serves on this runtime; the blocking client must be called
    // outside it, so the async part runs in `block_on`.
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let fake = runtime.block_on(FakeHatchet::start());
    fake.register_workflow(WORKFLOW);
    let config = || ClientConfig::builder().token(fake.token()).build().unwrap();
    let client = ScheduledClient::new(config()).unwrap();
    let due = Utc.with_ymd_and_hms(2040, 3, 15, 9, 0, 0).unwrap();
    let later = Utc.with_ymd_and_hms(2040, 4, 1, 9, 0, 0).unwrap();

    let reminder = runtime.block_on(async {
        let reminder = schedule_reminder(&client, "INV-7", due).await.unwrap();
        schedule_reminder(&client, "INV-8", due).await.unwrap();

        let pending = pending_reminders(&client, "INV-7").await.unwrap();
        let ids: Vec<_> = pending.iter().map(|run| run.id).collect();
        assert_eq!(ids, [reminder], "the filter keeps INV-7's reminder only");

        let run = client.get(reminder).await.unwrap();
        assert_eq!(run.workflow_name, WORKFLOW);
        assert_eq!(run.trigger_at, reminder_time(due));
        assert_eq!(run.input["invoice"], "INV-7");

        let moved = postpone(&client, reminder, later).await.unwrap();
        assert_eq!(moved.trigger_at, reminder_time(later));
        reminder
    });

    let blocking = blocking::ScheduledClient::new(config()).unwrap();
    assert_eq!(
        blocking.get(reminder).unwrap().trigger_at,
        reminder_time(later),
        "the blocking client sees the move"
    );

    runtime.block_on(async {
        cancel(&client, reminder).await.unwrap();
        let error = client.get(reminder).await.unwrap_err();
        assert!(error.is_not_found(), "{error}");
        assert!(
            pending_reminders(&client, "INV-7")
                .await
                .unwrap()
                .is_empty()
        );
    });
}
