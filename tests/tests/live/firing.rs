//! What firing does: a schedule due in a few seconds starts its run and is
//! gone. Waits poll against a deadline, through a client that is not
//! recorded (how often it asks depends on timing); what they find is then
//! read once more, recorded.

use std::time::Duration;

use chrono::{DurationRound, Utc};
use hatchet_scheduled::Error;
use serde_json::json;

use super::{Live, live_test, scheduled::description};

/// How long a firing may take on a real Hatchet: its ticker polls every
/// few seconds.
const FIRING_LIMIT: Duration = Duration::from_secs(60);

live_test!(scheduled_firing);
async fn scheduled_firing(live: &Live) {
    let client = live.client();
    let (key, tag) = live.tag();
    let due = (Utc::now() + chrono::Duration::seconds(3))
        .duration_trunc(chrono::Duration::seconds(1))
        .unwrap();
    let run = client
        .create(live.workflow(), due)
        .input(json!({"fired": true}))
        .metadata(key, tag)
        .metadata("kind", "firing")
        .send()
        .await
        .unwrap();
    assert_eq!(run.trigger_at, due);

    let unrecorded = &live.unrecorded();
    let id = run.id;
    live.poll(
        "the schedule fires",
        Duration::from_millis(500),
        FIRING_LIMIT,
        || async move {
            match unrecorded.get(id).await {
                Err(error) if error.is_not_found() => Some(()),
                Ok(_) => None,
                Err(error) => panic!("polling the schedule: {error}"),
            }
        },
    )
    .await;

    let gone = client.get(run.id).await.unwrap_err();
    assert!(matches!(gone, Error::NotFound(_)), "{gone:?}");
    assert_eq!(description(&gone), "scheduled workflow run not found");
    assert!(
        client
            .list()
            .metadata(key, tag)
            .send()
            .await
            .unwrap()
            .items
            .is_empty()
    );
    let trigger = client.trigger_now(run.id).await.unwrap_err();
    assert!(trigger.is_not_found(), "fired means gone: {trigger:?}");
}
