//! Cron triggers through the blocking twin: every operation, called from a
//! thread outside any runtime.

use hatchet_scheduled::{CronOrderField, Error, SortDirection};
use serde_json::json;

use super::{
    Live,
    crons::{assert_unknown_cron, cron_ids},
    live_test,
};

live_test!(blocking crons_blocking);
fn crons_blocking(live: &Live) {
    let crons = live.blocking().crons();
    let (key, tag) = live.tag();
    let create = |name: &str, expression: &str| {
        let made = crons
            .create(live.workflow(), name, expression)
            .input(json!({"name": name}))
            .metadata(key, tag)
            .priority(3)
            .send()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        made
    };
    let a = create("live-blocking-a", "0 6 * * *");
    let b = create("live-blocking-b", "15 */10 * * * *");
    assert_eq!((a.expression.as_str(), a.priority), ("0 6 * * *", Some(3)));
    assert_eq!(crons.get(b.id).unwrap(), b);

    let listed = crons.list().metadata(key, tag).send().unwrap();
    assert_eq!(cron_ids(&listed.items), [b.id, a.id]);
    let walked: Vec<_> = crons
        .list()
        .metadata(key, tag)
        .order_by(CronOrderField::CreatedAt, SortDirection::Asc)
        .limit(1)
        .iter()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(cron_ids(&walked), [a.id, b.id]);

    crons.pause(a.id).unwrap();
    assert!(!crons.get(a.id).unwrap().enabled);
    crons.resume(a.id).unwrap();
    assert!(crons.get(a.id).unwrap().enabled);
    assert_ne!(crons.trigger_now(a.id).unwrap(), a.id);

    crons.delete(a.id).unwrap();
    crons.delete(b.id).unwrap();
    assert!(
        crons
            .list()
            .metadata(key, tag)
            .send()
            .unwrap()
            .items
            .is_empty()
    );

    assert_unknown_cron(crons.get(a.id).unwrap_err());
    assert_unknown_cron(crons.pause(uuid::Uuid::new_v4()).unwrap_err());
    let refused = live.refused_blocking().crons().list().send().unwrap_err();
    assert!(matches!(refused, Error::Forbidden(_)), "{refused:?}");
}
