//! Scheduled runs through the blocking twin: every operation, called from a
//! thread outside any runtime.

use hatchet_scheduled::{BulkDeleteFilter, Error, ScheduledOrderField, SortDirection};
use serde_json::json;
use uuid::Uuid;

use super::{
    Live, live_test,
    scheduled::{description, far, ids},
};

live_test!(blocking scheduled_blocking);
fn scheduled_blocking(live: &Live) {
    let client = live.blocking();
    let (key, tag) = live.tag();
    let create = |hour, env: &str| {
        let run = client
            .create(live.workflow(), far(hour))
            .metadata(key, tag)
            .metadata("env", env)
            .send()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        run
    };
    let a = client
        .create(live.workflow(), far(1))
        .input(json!({"to": "ada@example.com"}))
        .metadata(key, tag)
        .metadata("env", "a")
        .priority(2)
        .send()
        .unwrap();
    assert_eq!((a.trigger_at, a.priority), (far(1), Some(2)));
    assert_eq!(a.input["to"], "ada@example.com");
    assert_eq!(client.get(a.id).unwrap(), a);
    let b = create(2, "b");
    let c = create(3, "c");

    let listed = client.list().metadata(key, tag).send().unwrap();
    assert_eq!(ids(&listed.items), [c.id, b.id, a.id]);
    let walked: Vec<_> = client
        .list()
        .metadata(key, tag)
        .order_by(ScheduledOrderField::TriggerAt, SortDirection::Asc)
        .limit(1)
        .iter()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(ids(&walked), [a.id, b.id, c.id], "three pages of one");

    assert_eq!(client.update(a.id, far(4)).unwrap().trigger_at, far(4));
    let started = client.trigger_now(c.id).unwrap();
    assert_ne!(started, c.id);
    assert!(
        client.get(c.id).unwrap_err().is_not_found(),
        "triggered means gone"
    );

    let unknown = Uuid::new_v4();
    let moved = client
        .bulk_update([(a.id, far(5)), (unknown, far(6))])
        .unwrap();
    assert_eq!(moved.updated, [a.id]);
    assert_eq!(moved.errors[0].message, "Scheduled workflow not found.");
    let deleted = client.bulk_delete_ids([b.id, unknown]).unwrap();
    assert_eq!(deleted.deleted, [b.id]);
    assert_eq!(
        deleted.errors[0].message,
        "Failed to delete scheduled workflow."
    );
    let d = create(6, "d");
    let matching = BulkDeleteFilter::default()
        .metadata(key, tag)
        .metadata("env", "d");
    assert_eq!(
        client.bulk_delete_matching(matching).unwrap().deleted,
        [d.id]
    );

    client.delete(a.id).unwrap();
    let gone = client.get(a.id).unwrap_err();
    assert!(matches!(gone, Error::NotFound(_)), "{gone:?}");
    assert_eq!(description(&gone), "scheduled workflow run not found");
    assert!(
        client
            .list()
            .metadata(key, tag)
            .send()
            .unwrap()
            .items
            .is_empty()
    );

    let unknown = client.update(Uuid::new_v4(), far(1)).unwrap_err();
    assert!(matches!(unknown, Error::NotFound(_)), "{unknown:?}");
    let refused = live.refused_blocking().list().send().unwrap_err();
    assert!(matches!(refused, Error::Forbidden(_)), "{refused:?}");
    assert_eq!(
        refused.response().unwrap().message(),
        "Please provide valid credentials"
    );
}
