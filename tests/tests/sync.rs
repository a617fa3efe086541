//! Crons as code against the fake: `CronClient::sync` (plan and send) and
//! `CronClient::replace`, every rule of issue 23, async and blocking, with
//! faults in the middle and a property test that one sync converges.

use std::time::Duration;

use hatchet_fake::{Cron, FakeHatchet, Fault, Operation};
use hatchet_scheduled::{
    ClientConfig, CronClient, CronSpec, CronTrigger, Error, RetryPolicy, ScheduleMethod,
    SyncReport, blocking,
};
use proptest::prelude::*;
use serde_json::{Value, json};

const WORKFLOW: &str = "send-report";

async fn setup() -> (FakeHatchet, CronClient) {
    let fake = FakeHatchet::start().await;
    fake.register_workflow(WORKFLOW);
    let crons = crons_for(&fake, |c| c);
    (fake, crons)
}

fn crons_for(
    fake: &FakeHatchet,
    adjust: impl FnOnce(
        hatchet_scheduled::ClientConfigBuilder,
    ) -> hatchet_scheduled::ClientConfigBuilder,
) -> CronClient {
    let config = ClientConfig::builder()
        .token(fake.token())
        .retry_policy(RetryPolicy::none())
        .timeout(Duration::from_secs(2));
    CronClient::new(adjust(config).build().unwrap()).unwrap()
}

/// A cron made through the API, with nothing but its name and expression.
async fn made(crons: &CronClient, workflow: &str, name: &str, expression: &str) -> CronTrigger {
    crons
        .create(workflow, name, expression)
        .send()
        .await
        .unwrap()
}

fn specs() -> Vec<CronSpec> {
    vec![
        CronSpec::new("nightly", "0 2 * * *")
            .input(json!({"kind": "full"}))
            .metadata("team", "ops")
            .priority(2),
        CronSpec::new("hourly", "0 * * * *"),
    ]
}

/// The operations the fake served since `from` (an index into its log).
fn sent_since(fake: &FakeHatchet, from: usize) -> Vec<Operation> {
    fake.requests()[from..].to_vec()
}

/// The fake's crons of the workflow as (name, expression, input, metadata,
/// priority, enabled), sorted.
fn held(fake: &FakeHatchet) -> Vec<(Option<String>, String, Value, Value, u8, bool)> {
    let mut held: Vec<_> = fake
        .crons()
        .into_iter()
        .map(|c: Cron| {
            (
                c.name,
                c.expression,
                Value::Object(c.input),
                Value::Object(c.additional_metadata.unwrap_or_default()),
                c.priority,
                c.enabled,
            )
        })
        .collect();
    held.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    held
}

#[tokio::test]
async fn a_first_sync_creates_and_a_second_changes_nothing() {
    let (fake, crons) = setup().await;
    let report = crons.sync(WORKFLOW, specs()).send().await.unwrap();
    assert_eq!(report.created.len(), 2);
    assert_eq!(report.created[0].name.as_deref(), Some("nightly"));
    assert_eq!(report.created[0].priority, Some(2));
    assert_eq!(report.created[0].additional_metadata["team"], "ops");
    assert!(report.replaced.is_empty() && report.deleted.is_empty());

    let before = fake.requests().len();
    let again = crons
        .sync(WORKFLOW, specs())
        .prune(true)
        .send()
        .await
        .unwrap();
    assert_eq!(again.kept.len(), 2);
    assert_eq!(
        (
            again.created.len(),
            again.replaced.len(),
            again.deleted.len()
        ),
        (0, 0, 0)
    );
    assert_eq!(sent_since(&fake, before), [Operation::CronList], "no write");
}

#[tokio::test]
async fn plan_only_reads() {
    let (fake, crons) = setup().await;
    made(&crons, WORKFLOW, "stray", "0 5 * * *").await;
    let before = fake.requests().len();
    let plan = crons
        .sync(WORKFLOW, specs())
        .prune(true)
        .plan()
        .await
        .unwrap();
    assert_eq!(plan.create, specs());
    assert_eq!(plan.delete[0].name.as_deref(), Some("stray"));
    assert!(!plan.is_empty());
    assert_eq!(sent_since(&fake, before), [Operation::CronList]);
    assert_eq!(fake.crons().len(), 1, "nothing changed");
}

#[tokio::test]
async fn an_equal_cron_is_kept_paused_or_not() {
    let (fake, crons) = setup().await;
    let made = crons.sync(WORKFLOW, specs()).send().await.unwrap();
    crons.pause(made.created[0].id).await.unwrap();
    let before = fake.requests().len();
    let report = crons.sync(WORKFLOW, specs()).send().await.unwrap();
    assert_eq!(report.kept.len(), 2);
    assert!(
        !report
            .kept
            .iter()
            .find(|c| c.name.as_deref() == Some("nightly"))
            .unwrap()
            .enabled
    );
    assert_eq!(sent_since(&fake, before), [Operation::CronList]);
}

#[tokio::test]
async fn the_same_name_and_expression_is_deleted_then_created_and_stays_paused() {
    let (fake, crons) = setup().await;
    let old = crons
        .create(WORKFLOW, "nightly", "0 2 * * *")
        .input(json!({"kind": "partial"}))
        .send()
        .await
        .unwrap();
    crons.pause(old.id).await.unwrap();
    let before = fake.requests().len();
    let report = crons.sync(WORKFLOW, specs()).send().await.unwrap();
    use Operation::{CronCreate, CronDelete, CronList, CronUpdate};
    assert_eq!(
        sent_since(&fake, before),
        [CronList, CronCreate, CronDelete, CronCreate, CronUpdate],
        "hourly created; nightly deleted first (one cron per name and expression), then made and paused"
    );
    let (old_id, new) = &report.replaced[0];
    assert_eq!(*old_id, old.id);
    assert_ne!(new.id, old.id);
    assert!(!new.enabled, "a paused cron stays paused");
    assert_eq!(new.input["kind"], "full");
    assert!(report.deleted.is_empty(), "replaced, not deleted");
    assert!(fake.crons().iter().all(|c| c.id != old.id));
}

#[tokio::test]
async fn another_expression_is_created_before_the_old_is_deleted() {
    let (fake, crons) = setup().await;
    let old = made(&crons, WORKFLOW, "hourly", "30 * * * *").await;
    let before = fake.requests().len();
    let report = crons
        .sync(WORKFLOW, [CronSpec::new("hourly", "0 * * * *")])
        .send()
        .await
        .unwrap();
    use Operation::{CronCreate, CronDelete, CronList};
    assert_eq!(
        sent_since(&fake, before),
        [CronList, CronCreate, CronDelete]
    );
    assert_eq!(report.replaced[0].0, old.id);
    assert!(report.replaced[0].1.enabled);
}

#[tokio::test]
async fn unnamed_api_crons_are_pruned_or_ignored_and_code_defined_ones_never_change() {
    let (fake, crons) = setup().await;
    let stray = made(&crons, WORKFLOW, "stray", "0 5 * * *").await;
    let code = fake.insert_definition_cron(WORKFLOW, "0 6 * * *");
    let other_workflow = {
        fake.register_workflow("other");
        made(&crons, "other", "stray", "0 5 * * *").await
    };
    let kept = crons.sync(WORKFLOW, specs()).send().await.unwrap();
    let ignored: Vec<_> = kept.ignored.iter().map(|c| c.id).collect();
    assert_eq!(ignored.len(), 2);
    assert!(ignored.contains(&stray.id) && ignored.contains(&code));

    let pruned = crons
        .sync(WORKFLOW, specs())
        .prune(true)
        .send()
        .await
        .unwrap();
    assert_eq!(pruned.deleted, [stray.id]);
    assert_eq!(pruned.ignored.len(), 1);
    assert_eq!(pruned.ignored[0].method, ScheduleMethod::Default);
    let ids: Vec<_> = fake.crons().into_iter().map(|c| c.id).collect();
    assert!(
        ids.contains(&code) && ids.contains(&other_workflow.id),
        "scope: one workflow"
    );
}

#[tokio::test]
async fn several_crons_of_one_name_are_all_replaced_by_the_one_spec() {
    let (fake, crons) = setup().await;
    let a = made(&crons, WORKFLOW, "hourly", "0 * * * *").await;
    let b = made(&crons, WORKFLOW, "hourly", "15 * * * *").await;
    let report = crons
        .sync(WORKFLOW, [CronSpec::new("hourly", "0 * * * *")])
        .send()
        .await
        .unwrap();
    let olds: Vec<_> = report.replaced.iter().map(|(old, _)| *old).collect();
    assert_eq!(olds, [a.id, b.id]);
    assert_eq!(
        report.replaced[0].1, report.replaced[1].1,
        "by one new cron"
    );
    assert_eq!(fake.crons().len(), 1);
}

#[tokio::test]
async fn bad_specs_are_refused_before_anything_is_sent() {
    let (fake, crons) = setup().await;
    for specs in [
        vec![
            CronSpec::new("nightly", "0 2 * * *"),
            CronSpec::new("nightly", "0 3 * * *"),
        ],
        vec![CronSpec::new("", "0 2 * * *")],
        vec![CronSpec::new("nightly", "@daily")],
        vec![CronSpec::new("nightly", "0 2 * * *").priority(0)],
    ] {
        let refused = crons
            .sync(WORKFLOW, specs.clone())
            .send()
            .await
            .unwrap_err();
        assert!(
            matches!(refused, Error::InvalidArgument { name: "specs", .. }),
            "{refused:?}"
        );
        let refused = crons.sync(WORKFLOW, specs).plan().await.unwrap_err();
        assert!(matches!(
            refused,
            Error::InvalidArgument { name: "specs", .. }
        ));
    }
    assert!(fake.requests().is_empty());
}

#[tokio::test]
async fn a_namespaced_sync_works_on_the_namespaced_workflow() {
    let fake = FakeHatchet::start().await;
    fake.register_workflow("staging_send-report");
    let crons = crons_for(&fake, |c| c.namespace("staging"));
    let report = crons.sync(WORKFLOW, specs()).send().await.unwrap();
    assert_eq!(report.created[0].workflow_name, "staging_send-report");
    assert_eq!(
        crons
            .sync(WORKFLOW, specs())
            .send()
            .await
            .unwrap()
            .kept
            .len(),
        2
    );
}

/// A sync stopped by `fault` on its prune step says what it had done, and a
/// rerun converges without duplicating anything.
async fn converges_after(fault: Fault, expect: impl Fn(&Error)) {
    let (fake, crons) = setup().await;
    let stale = made(&crons, WORKFLOW, "stray", "0 5 * * *").await;
    fake.fail_next(fault.only(Operation::CronDelete));
    let error = crons
        .sync(WORKFLOW, specs())
        .prune(true)
        .send()
        .await
        .unwrap_err();
    let Error::SyncIncomplete { done, source } = &error else {
        panic!("{error:?}");
    };
    expect(source);
    assert_eq!(done.created.len(), 2, "both creates were done: {done:?}");
    assert!(done.deleted.is_empty());
    assert!(
        error
            .to_string()
            .starts_with("cron sync stopped part-way (created 2, replaced 0, deleted 0): "),
        "{error}"
    );
    let rerun = crons
        .sync(WORKFLOW, specs())
        .prune(true)
        .send()
        .await
        .unwrap();
    assert_eq!(
        (rerun.created.len(), rerun.kept.len(), rerun.deleted.clone()),
        (0, 2, vec![stale.id])
    );
    let names: Vec<_> = held(&fake).into_iter().map(|c| c.0.unwrap()).collect();
    assert_eq!(names, ["hourly", "nightly"], "nothing duplicated");
    let quiet = crons
        .sync(WORKFLOW, specs())
        .prune(true)
        .send()
        .await
        .unwrap();
    assert!(quiet.created.is_empty() && quiet.replaced.is_empty() && quiet.deleted.is_empty());
}

#[tokio::test]
async fn a_503_part_way_is_reported_with_what_was_done_and_a_rerun_converges() {
    converges_after(Fault::unavailable(), |source| {
        assert!(matches!(source, Error::Server(_)), "{source:?}");
    })
    .await;
}

#[tokio::test]
async fn a_hang_part_way_times_out_with_what_was_done_and_a_rerun_converges() {
    converges_after(Fault::hang(Duration::from_secs(5)), |source| {
        assert!(matches!(source, Error::Timeout { .. }), "{source:?}");
    })
    .await;
}

#[tokio::test]
async fn a_create_that_landed_unacknowledged_is_found_equal_next_time() {
    // The connection drops after Hatchet made the first cron: the sync
    // cannot know it was made, and does not retry the create.
    let (fake, crons) = setup().await;
    fake.fail_next(Fault::lose_answer().only(Operation::CronCreate));
    let error = crons.sync(WORKFLOW, specs()).send().await.unwrap_err();
    let Error::SyncIncomplete { done, source } = &error else {
        panic!("{error:?}");
    };
    assert!(matches!(**source, Error::Transport { .. }), "{source:?}");
    assert_eq!(**done, SyncReport::default(), "nothing it knows of");
    assert_eq!(fake.crons().len(), 1, "yet the first cron was made");
    let rerun = crons.sync(WORKFLOW, specs()).send().await.unwrap();
    assert_eq!((rerun.kept.len(), rerun.created.len()), (1, 1));
    assert_eq!(rerun.kept[0].name.as_deref(), Some("nightly"));
    let names: Vec<_> = held(&fake).into_iter().map(|c| c.0.unwrap()).collect();
    assert_eq!(names, ["hourly", "nightly"], "nothing duplicated");
}

#[tokio::test]
async fn replace_carries_over_what_is_not_set_and_gives_a_new_id() {
    let (fake, crons) = setup().await;
    let old = crons
        .create(WORKFLOW, "nightly", "0 2 * * *")
        .input(json!({"kind": "full"}))
        .metadata("team", "ops")
        .priority(3)
        .send()
        .await
        .unwrap();
    crons.pause(old.id).await.unwrap();
    let new = crons
        .replace(old.id)
        .expression("30 2 * * *")
        .send()
        .await
        .unwrap();
    assert_ne!(new.id, old.id);
    assert_eq!(new.expression, "30 2 * * *");
    assert_eq!(
        (new.name, new.input, new.additional_metadata, new.priority),
        (
            old.name.clone(),
            old.input.clone(),
            old.additional_metadata.clone(),
            Some(3)
        )
    );
    assert!(!new.enabled, "paused stays paused");
    assert_eq!(fake.crons().len(), 1);

    let before = fake.requests().len();
    let newer = crons
        .replace(new.id)
        .input(json!({"kind": "delta"}))
        .metadata("team", "data")
        .priority(1)
        .send()
        .await
        .unwrap();
    use Operation::{CronCreate, CronDelete, CronGet, CronUpdate};
    assert_eq!(
        sent_since(&fake, before),
        [CronGet, CronDelete, CronCreate, CronUpdate],
        "same name and expression: the old one goes first"
    );
    assert_eq!(newer.input["kind"], "delta");
    assert_eq!(
        newer.additional_metadata,
        *json!({"team": "data"}).as_object().unwrap()
    );
    assert_eq!(newer.priority, Some(1));
}

#[tokio::test]
async fn replace_refuses_a_code_defined_cron_and_a_bad_change_before_writing() {
    let (fake, crons) = setup().await;
    let code = fake.insert_definition_cron(WORKFLOW, "0 6 * * *");
    let refused = crons
        .replace(code)
        .expression("0 7 * * *")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(refused, Error::InvalidArgument { name: "id", .. }),
        "{refused:?}"
    );
    let old = made(&crons, WORKFLOW, "nightly", "0 2 * * *").await;
    let before = fake.requests().len();
    let refused = crons
        .replace(old.id)
        .expression("@daily")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(refused, Error::InvalidArgument { name: "specs", .. }),
        "{refused:?}"
    );
    assert_eq!(sent_since(&fake, before), [Operation::CronGet], "only read");
}

#[tokio::test]
async fn a_replace_that_fails_after_deleting_the_old_cron_says_so() {
    let (fake, crons) = setup().await;
    let old = made(&crons, WORKFLOW, "nightly", "0 2 * * *").await;
    fake.fail_next(Fault::unavailable().only(Operation::CronCreate));
    let error = crons.replace(old.id).priority(2).send().await.unwrap_err();
    let Error::SyncIncomplete { done, .. } = &error else {
        panic!("{error:?}");
    };
    assert_eq!(done.deleted, [old.id], "the old cron is gone, no new one");
    assert!(error.is_retryable(), "its cause, a 503, is");
}

#[test]
fn the_blocking_twins_sync_and_replace() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let fake = runtime.block_on(FakeHatchet::start());
    fake.register_workflow(WORKFLOW);
    let config = ClientConfig::builder()
        .token(fake.token())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let crons = blocking::CronClient::new(config).unwrap();
    let plan = crons.sync(WORKFLOW, specs()).plan().unwrap();
    assert_eq!(plan.create.len(), 2);
    let report = crons.sync(WORKFLOW, specs()).send().unwrap();
    assert_eq!(report.created.len(), 2);
    let stray = crons.create(WORKFLOW, "stray", "0 5 * * *").send().unwrap();
    let pruned = crons.sync(WORKFLOW, specs()).prune(true).send().unwrap();
    assert_eq!(
        (pruned.kept.len(), pruned.deleted.clone()),
        (2, vec![stray.id])
    );
    let nightly = report.created[0].id;
    let new = crons
        .replace(nightly)
        .expression("45 2 * * *")
        .send()
        .unwrap();
    assert_ne!(new.id, nightly);
    let back = crons.sync(WORKFLOW, specs()).send().unwrap();
    assert_eq!(
        back.replaced[0].0, new.id,
        "the sync puts the declared expression back"
    );
    assert_eq!(held(&fake).len(), 2);

    // The other rules, through the twin.
    let before = fake.requests().len();
    let refused = crons
        .sync(WORKFLOW, [CronSpec::new("x", "@daily")])
        .plan()
        .unwrap_err();
    assert!(
        matches!(refused, Error::InvalidArgument { name: "specs", .. }),
        "{refused:?}"
    );
    assert_eq!(fake.requests().len(), before, "refused before sending");
    let code = fake.insert_definition_cron(WORKFLOW, "0 6 * * *");
    let hourly = back
        .kept
        .iter()
        .find(|c| c.name.as_deref() == Some("hourly"))
        .unwrap();
    crons.pause(hourly.id).unwrap();
    let changed = [
        specs()[0].clone(),
        CronSpec::new("hourly", "0 * * * *").priority(3),
    ];
    let report = crons
        .sync(WORKFLOW, changed.clone())
        .prune(true)
        .send()
        .unwrap();
    assert!(!report.replaced[0].1.enabled, "paused stays paused");
    assert_eq!(
        report.ignored.iter().map(|c| c.id).collect::<Vec<_>>(),
        [code]
    );
    let stray = crons.create(WORKFLOW, "stray", "0 5 * * *").send().unwrap();
    fake.fail_next(Fault::unavailable().only(Operation::CronDelete));
    let stopped = crons
        .sync(WORKFLOW, changed.clone())
        .prune(true)
        .send()
        .unwrap_err();
    assert!(
        matches!(stopped, Error::SyncIncomplete { .. }),
        "{stopped:?}"
    );
    let rerun = crons.sync(WORKFLOW, changed).prune(true).send().unwrap();
    assert_eq!(
        (rerun.kept.len(), rerun.deleted.clone()),
        (2, vec![stray.id])
    );
}

#[test]
fn the_blocking_twins_replace_in_the_servers_order_within_the_namespace() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let fake = runtime.block_on(FakeHatchet::start());
    fake.register_workflow("staging_send-report");
    let config = ClientConfig::builder()
        .token(fake.token())
        .namespace("staging")
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let crons = blocking::CronClient::new(config).unwrap();
    let nightly = crons
        .create(WORKFLOW, "nightly", "0 2 * * *")
        .send()
        .unwrap();
    crons.pause(nightly.id).unwrap();
    crons
        .create(WORKFLOW, "hourly", "0 * * * *")
        .send()
        .unwrap();
    crons
        .create(WORKFLOW, "hourly", "15 * * * *")
        .send()
        .unwrap();
    let before = fake.requests().len();
    let report = crons.sync(WORKFLOW, specs()).send().unwrap();
    use Operation::{CronCreate, CronDelete, CronList, CronUpdate};
    assert_eq!(
        sent_since(&fake, before),
        [
            CronList, CronDelete, CronCreate, CronUpdate, // nightly: same expression
            CronDelete, CronCreate, CronDelete, // hourly: one blocks, one follows
        ]
    );
    assert_eq!(report.replaced.len(), 3);
    assert!(!report.replaced[0].1.enabled, "paused stays paused");
    assert!(
        fake.crons()
            .iter()
            .all(|c| c.workflow_name == "staging_send-report")
    );
    assert_eq!(held(&fake).len(), 2);
}

fn spec_strategy() -> impl Strategy<Value = (String, String, u8, Option<String>)> {
    (
        prop::sample::select(vec!["a", "b", "c", "d"]),
        prop::sample::select(vec![
            "0 1 * * *",
            "0 2 * * *",
            "*/5 * * * *",
            "30 */2 * * * *",
        ]),
        1u8..=3,
        prop::option::of(prop::sample::select(vec!["ops", "data"])),
    )
        .prop_map(|(n, e, p, t)| (n.to_owned(), e.to_owned(), p, t.map(str::to_owned)))
}

fn to_spec((name, expression, priority, team): &(String, String, u8, Option<String>)) -> CronSpec {
    let spec = CronSpec::new(name, expression).priority(*priority);
    match team {
        Some(team) => spec.metadata("team", team),
        None => spec,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// For any crons the workflow has (API-made, with or without names the
    /// specs use, some paused) and any specs, one sync with prune leaves
    /// exactly the declared crons, and a second writes nothing.
    #[test]
    fn one_sync_converges_and_a_second_writes_nothing(
        current in prop::collection::vec((spec_strategy(), any::<bool>()), 0..5),
        desired in prop::collection::vec(spec_strategy(), 0..4),
    ) {
        let mut desired = desired;
        desired.sort_by(|a, b| a.0.cmp(&b.0));
        desired.dedup_by(|a, b| a.0 == b.0);
        let runtime = tokio::runtime::Runtime::new().unwrap();
        runtime.block_on(async {
            let (fake, crons) = setup().await;
            for (spec, paused) in &current {
                let spec = to_spec(spec);
                let made = crons
                    .create(WORKFLOW, spec.name(), spec.expression())
                    .send()
                    .await;
                if let (Ok(made), true) = (made, *paused) {
                    crons.pause(made.id).await.unwrap();
                }
            }
            let specs: Vec<CronSpec> = desired.iter().map(to_spec).collect();
            crons.sync(WORKFLOW, specs.clone()).prune(true).send().await.unwrap();
            let mut expected: Vec<_> = desired
                .iter()
                .map(|(name, expression, priority, team)| {
                    let metadata = team.as_ref().map_or(json!({}), |t| json!({"team": t}));
                    (Some(name.clone()), expression.clone(), json!({}), metadata, *priority)
                })
                .collect();
            expected.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
            let actual: Vec<_> = held(&fake).into_iter().map(|c| (c.0, c.1, c.2, c.3, c.4)).collect();
            assert_eq!(actual, expected);
            let before = fake.requests().len();
            let again = crons.sync(WORKFLOW, specs).prune(true).send().await.unwrap();
            assert_eq!(again.kept.len(), desired.len());
            assert_eq!(sent_since(&fake, before), [Operation::CronList], "no write");
        });
    }
}
