//! Cron triggers through the async client: every operation and option, the
//! same assertions on the fake and on Hatchet.

use std::time::Duration;

use futures_util::TryStreamExt;
use hatchet_scheduled::{
    CronClient, CronOrderField, CronSpec, CronTrigger, Error, ScheduleMethod, SortDirection,
};
use serde_json::json;
use uuid::Uuid;

use super::{Live, live_test, scheduled::description};

pub fn cron_ids(crons: &[CronTrigger]) -> Vec<Uuid> {
    crons.iter().map(|cron| cron.id).collect()
}

/// A tagged cron of the live workflow with `env` metadata.
async fn cron(
    live: &Live,
    crons: &CronClient,
    name: &str,
    expression: &str,
    env: &str,
) -> CronTrigger {
    let (key, tag) = live.tag();
    let made = crons
        .create(live.workflow(), name, expression)
        .metadata(key, tag)
        .metadata("env", env)
        .send()
        .await
        .unwrap();
    // Creation times apart, so ordering by them is decided by the rows.
    tokio::time::sleep(Duration::from_millis(20)).await;
    made
}

/// Asserts Hatchet's answer for a cron id it does not know: 500.
pub fn assert_unknown_cron(error: Error) {
    assert!(matches!(error, Error::Server(_)), "{error:?}");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(error.response().unwrap().message(), "Internal Server Error");
}

live_test!(cron_single);
async fn cron_single(live: &Live) {
    let crons = live.client().crons();
    let (key, tag) = live.tag();
    let nightly = crons
        .create(live.workflow(), "live-nightly", "0 2 * * *")
        .input(json!({"kind": "full", "depth": 2}))
        .metadata(key, tag)
        .metadata("team", "ops")
        .priority(2)
        .send()
        .await
        .unwrap();
    assert_eq!(nightly.name.as_deref(), Some("live-nightly"));
    assert_eq!(nightly.expression, "0 2 * * *");
    assert!(nightly.enabled);
    assert_eq!(nightly.workflow_name, live.workflow());
    assert_eq!(nightly.tenant_id, live.tenant());
    assert_eq!(nightly.method, ScheduleMethod::Api);
    assert_eq!(
        nightly.input,
        *json!({"kind": "full", "depth": 2}).as_object().unwrap()
    );
    assert_eq!(
        nightly.additional_metadata,
        *json!({key: tag, "team": "ops"}).as_object().unwrap()
    );
    assert_eq!(nightly.priority, Some(2));
    assert_eq!(crons.get(nightly.id).await.unwrap(), nightly);

    // Six fields: the first is seconds. Unset options: priority 1, input `{}`.
    let seconds = crons
        .create(live.workflow(), "live-seconds", "30 */5 * * * *")
        .metadata(key, tag)
        .send()
        .await
        .unwrap();
    assert_eq!(seconds.expression, "30 */5 * * * *");
    assert_eq!(
        (seconds.priority, seconds.input.is_empty()),
        (Some(1), true)
    );
    assert_eq!(crons.get(seconds.id).await.unwrap(), seconds);

    crons.pause(nightly.id).await.unwrap();
    let paused = crons.get(nightly.id).await.unwrap();
    assert!(!paused.enabled);
    assert_eq!(paused.expression, nightly.expression);
    crons.resume(nightly.id).await.unwrap();
    assert!(crons.get(nightly.id).await.unwrap().enabled);

    let started = crons.trigger_now(nightly.id).await.unwrap();
    assert_ne!(started, nightly.id);
    assert!(
        crons.get(nightly.id).await.unwrap().enabled,
        "the cron stays"
    );

    crons.delete(nightly.id).await.unwrap();
    assert_unknown_cron(crons.get(nightly.id).await.unwrap_err());
    assert_unknown_cron(crons.pause(nightly.id).await.unwrap_err());
    assert_unknown_cron(crons.resume(nightly.id).await.unwrap_err());
    assert_unknown_cron(crons.trigger_now(nightly.id).await.map(drop).unwrap_err());
    assert_unknown_cron(crons.delete(nightly.id).await.unwrap_err());
    crons.delete(seconds.id).await.unwrap();
}

live_test!(cron_list);
async fn cron_list(live: &Live) {
    let crons = live.client().crons();
    let (key, tag) = live.tag();
    let a = cron(live, &crons, "live-list-a", "0 1 * * *", "a").await;
    let b = cron(live, &crons, "live-list-b", "0 3 * * *", "b").await;
    let c = cron(live, &crons, "live-list-c", "*/5 * * * *", "a").await;
    let mine = || crons.list().metadata(key, tag);

    let page = mine().send().await.unwrap();
    assert_eq!(cron_ids(&page.items), [c.id, b.id, a.id], "newest first");
    assert_eq!(
        (page.offset, page.current_page, page.num_pages),
        (0, Some(1), Some(1))
    );
    assert_eq!(page.items[2], a, "listed as created");

    use CronOrderField::{CreatedAt, WorkflowName};
    use SortDirection::{Asc, Desc};
    let by = |field, direction| mine().order_by(field, direction).send();
    assert_eq!(
        cron_ids(&by(CreatedAt, Asc).await.unwrap().items),
        [a.id, b.id, c.id]
    );
    assert_eq!(
        cron_ids(&by(CreatedAt, Desc).await.unwrap().items),
        [c.id, b.id, a.id]
    );
    // Crons of one workflow tie on its name; one cron has no tie to break.
    for direction in [Asc, Desc] {
        let one = mine()
            .cron_name("live-list-b")
            .order_by(WorkflowName, direction);
        assert_eq!(cron_ids(&one.send().await.unwrap().items), [b.id]);
    }

    let env_a = mine().metadata("env", "a").send().await.unwrap();
    assert_eq!(cron_ids(&env_a.items), [c.id, a.id]);
    let by_id = mine().workflow_id(a.workflow_id).send().await.unwrap();
    assert_eq!(by_id.items.len(), 3);
    assert!(
        mine()
            .workflow_id(Uuid::new_v4())
            .send()
            .await
            .unwrap()
            .items
            .is_empty()
    );
    let by_name = mine().workflow_name(live.workflow()).send().await.unwrap();
    assert_eq!(by_name.items.len(), 3);
    let no_such = mine()
        .workflow_name("live-no-such-workflow")
        .send()
        .await
        .unwrap();
    assert!(no_such.items.is_empty());
    let named = mine().cron_name("live-list-a").send().await.unwrap();
    assert_eq!(cron_ids(&named.items), [a.id]);

    let first = mine().limit(2).send().await.unwrap();
    assert_eq!(cron_ids(&first.items), [c.id, b.id]);
    assert_eq!((first.current_page, first.num_pages), (Some(1), Some(2)));
    assert!(first.has_next());
    let second = mine().limit(2).offset(2).send().await.unwrap();
    assert_eq!(cron_ids(&second.items), [a.id]);
    assert!(!second.has_next());

    let streamed: Vec<CronTrigger> = mine()
        .order_by(CreatedAt, Asc)
        .limit(1)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        cron_ids(&streamed),
        [a.id, b.id, c.id],
        "three pages of one"
    );
}

live_test!(cron_name_expression_pair);
async fn cron_name_expression_pair(live: &Live) {
    let crons = live.client().crons();
    let first = cron(live, &crons, "live-pair", "0 4 * * *", "a").await;
    let (key, tag) = live.tag();
    let twice = crons
        .create(live.workflow(), "live-pair", "0 4 * * *")
        .metadata(key, tag)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(twice, Error::BadRequest(_)), "{twice:?}");
    assert_eq!(
        description(&twice),
        "cron trigger with that name-expression pair already exists"
    );
    // Either half alone may repeat.
    let other_expression = cron(live, &crons, "live-pair", "0 5 * * *", "b").await;
    let other_name = cron(live, &crons, "live-pair-2", "0 4 * * *", "c").await;
    let listed = crons
        .list()
        .metadata(key, tag)
        .cron_name("live-pair")
        .send()
        .await
        .unwrap();
    assert_eq!(cron_ids(&listed.items), [other_expression.id, first.id]);
    assert_ne!(other_name.id, first.id);
}

live_test!(cron_sync);
async fn cron_sync(live: &Live) {
    // A workflow of its own: a sync looks at every cron of its workflow.
    let workflow = super::target::sync_workflow(live.workflow());
    let crons = live.client().crons();
    let (key, tag) = live.tag();
    let specs = |nightly: &str, hourly_input: serde_json::Value| {
        [
            CronSpec::new("live-sync-nightly", nightly)
                .metadata(key, tag)
                .priority(2),
            CronSpec::new("live-sync-hourly", "0 * * * *")
                .input(hourly_input)
                .metadata(key, tag),
        ]
    };
    let plan = crons
        .sync(&workflow, specs("0 2 * * *", json!({})))
        .plan()
        .await
        .unwrap();
    assert_eq!(plan.create.len(), 2);
    let made = crons
        .sync(&workflow, specs("0 2 * * *", json!({})))
        .send()
        .await
        .unwrap();
    assert_eq!(made.created.len(), 2);

    let sent = live.exchange_count();
    let again = crons
        .sync(&workflow, specs("0 2 * * *", json!({})))
        .send()
        .await
        .unwrap();
    assert_eq!(again.kept.len(), 2);
    assert_eq!(live.exchange_count(), sent + 1, "one listing, no write");

    // Another expression, and another input under the same expression.
    crons.pause(made.created[1].id).await.unwrap();
    let changed = crons
        .sync(&workflow, specs("30 2 * * *", json!({"changed": true})))
        .send()
        .await
        .unwrap();
    assert_eq!(changed.replaced.len(), 2);
    let hourly = &changed.replaced[1].1;
    assert_eq!(hourly.input["changed"], true);
    assert!(!hourly.enabled, "a paused cron stays paused");

    let stray = crons
        .create(&workflow, "live-sync-stray", "0 5 * * *")
        .metadata(key, tag)
        .send()
        .await
        .unwrap();
    let pruned = crons
        .sync(&workflow, specs("30 2 * * *", json!({"changed": true})))
        .prune(true)
        .send()
        .await
        .unwrap();
    assert_eq!(
        (pruned.kept.len(), pruned.deleted.clone()),
        (2, vec![stray.id])
    );

    let nightly = changed.replaced[0].1.id;
    let moved = crons
        .replace(nightly)
        .expression("45 2 * * *")
        .send()
        .await
        .unwrap();
    assert_ne!(moved.id, nightly);
    assert_eq!(
        (moved.expression.as_str(), moved.priority),
        ("45 2 * * *", Some(2))
    );
}
