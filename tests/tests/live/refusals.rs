//! What Hatchet refuses, and how: refused tokens, malformed and unknown ids
//! for every single-item operation, unknown workflows, priorities out of
//! range. Each with its exact status, error variant and message.

use hatchet_scheduled::Error;
use serde_json::{Value, json};
use uuid::Uuid;

use super::{
    Live,
    crons::assert_unknown_cron,
    live_test,
    scheduled::{description, far},
};

/// The message of an error body in either of Hatchet's shapes:
/// `{"errors": [{"description"}]}` or echo's `{"message"}`.
fn message(body: &Value) -> &str {
    body["errors"][0]["description"]
        .as_str()
        .or_else(|| body["message"].as_str())
        .unwrap_or_else(|| panic!("no error message in {body}"))
}

live_test!(refused_token);
async fn refused_token(live: &Live) {
    let (key, tag) = live.tag();
    let mine = live
        .client()
        .create(live.workflow(), far(1))
        .metadata(key, tag)
        .send()
        .await
        .unwrap();
    let client = live.refused();
    let crons = client.crons();
    let errors = [
        client.list().send().await.map(drop).unwrap_err(),
        client
            .create(live.workflow(), far(1))
            .send()
            .await
            .map(drop)
            .unwrap_err(),
        client.get(mine.id).await.map(drop).unwrap_err(),
        client.delete(mine.id).await.unwrap_err(),
        crons.list().send().await.map(drop).unwrap_err(),
        crons
            .create(live.workflow(), "live-refused", "0 1 * * *")
            .send()
            .await
            .map(drop)
            .unwrap_err(),
    ];
    for error in errors {
        assert!(matches!(error, Error::Forbidden(_)), "{error:?}");
        assert_eq!(
            error.response().unwrap().message(),
            "Please provide valid credentials"
        );
    }
    // Ids are looked up before the token is checked.
    let unknown = client.get(Uuid::new_v4()).await.unwrap_err();
    assert!(matches!(unknown, Error::NotFound(_)), "{unknown:?}");
    assert_unknown_cron(crons.get(Uuid::new_v4()).await.unwrap_err());
}

live_test!(malformed_and_unknown_ids);
async fn malformed_and_unknown_ids(live: &Live) {
    // The facade takes ids as `Uuid`: a malformed one can only be sent raw.
    let schedule_body = json!({"triggerAt": "2040-01-01T00:00:00Z"});
    for (method, body) in [
        ("GET", None),
        ("PATCH", Some(schedule_body)),
        ("DELETE", None),
        ("POST", None),
    ] {
        let (status, answer) = live
            .raw(method, "workflows/scheduled/not-a-uuid", body)
            .await;
        assert_eq!(
            (status, message(&answer)),
            (400, "invalid scheduled workflow run id"),
            "{method}"
        );
    }
    for (method, body) in [
        ("GET", None),
        ("PATCH", Some(json!({"enabled": false}))),
        ("DELETE", None),
        ("POST", None),
    ] {
        let (status, answer) = live.raw(method, "workflows/crons/not-a-uuid", body).await;
        assert_eq!(
            (status, message(&answer)),
            (400, "invalid cron workflow id"),
            "{method}"
        );
    }

    let client = live.client();
    let unknown = Uuid::new_v4();
    for error in [
        client.get(unknown).await.map(drop).unwrap_err(),
        client.update(unknown, far(1)).await.map(drop).unwrap_err(),
        client.delete(unknown).await.unwrap_err(),
        client.trigger_now(unknown).await.map(drop).unwrap_err(),
    ] {
        assert!(matches!(error, Error::NotFound(_)), "{error:?}");
        assert_eq!(description(&error), "scheduled workflow run not found");
    }
    let crons = client.crons();
    assert_unknown_cron(crons.get(unknown).await.unwrap_err());
    assert_unknown_cron(crons.pause(unknown).await.unwrap_err());
    assert_unknown_cron(crons.resume(unknown).await.unwrap_err());
    assert_unknown_cron(crons.trigger_now(unknown).await.map(drop).unwrap_err());
    assert_unknown_cron(crons.delete(unknown).await.unwrap_err());
}

live_test!(unknown_workflow);
async fn unknown_workflow(live: &Live) {
    let client = live.client();
    let (key, tag) = live.tag();
    let error = client
        .create("live-no-such-workflow", far(1))
        .metadata(key, tag)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::BadRequest(_)), "{error:?}");
    assert_eq!(description(&error), "workflow not found");
    let error = client
        .crons()
        .create("live-no-such-workflow", "live-orphan", "0 1 * * *")
        .metadata(key, tag)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::BadRequest(_)), "{error:?}");
    assert_eq!(description(&error), "workflow not found");
}

live_test!(priority_out_of_range);
async fn priority_out_of_range(live: &Live) {
    let client = live.client();
    let (key, tag) = live.tag();
    let sent = live.exchange_count();
    for priority in [0, 4] {
        let refused = client
            .create(live.workflow(), far(1))
            .priority(priority)
            .send()
            .await;
        assert!(
            matches!(
                refused,
                Err(Error::InvalidArgument {
                    name: "priority",
                    ..
                })
            ),
            "{refused:?}"
        );
        let refused = client
            .crons()
            .create(live.workflow(), "live-priority", "0 1 * * *")
            .priority(priority)
            .send()
            .await;
        assert!(
            matches!(
                refused,
                Err(Error::InvalidArgument {
                    name: "priority",
                    ..
                })
            ),
            "{refused:?}"
        );
    }
    assert_eq!(live.exchange_count(), sent, "refused before sending");

    // What the server itself says, sent raw.
    let scheduled = format!("workflows/{}/scheduled", live.workflow());
    for (priority, condition, bound) in [(0, "min", 1), (4, "max", 3)] {
        let body = json!({"triggerAt": "2040-01-01T00:00:00Z", "priority": priority, "additionalMetadata": {key: tag}, "input": {}});
        let (status, answer) = live.raw("POST", &scheduled, Some(body)).await;
        let expected = format!(
            "error 400: 1 error occurred:\n\t* validation failed on field \
             'CreateScheduledWorkflowRunForWorkflowOpts.Priority': on condition '{condition}' \
             [ {bound} ]: got invalid type\n\n"
        );
        assert_eq!((status, message(&answer)), (400, expected.as_str()));
    }
    let crons = format!("workflows/{}/crons", live.workflow());
    for priority in [0, 5] {
        let body = json!({"cronName": "live-priority", "cronExpression": "0 1 * * *", "priority": priority, "additionalMetadata": {key: tag}, "input": {}});
        let (status, answer) = live.raw("POST", &crons, Some(body)).await;
        assert_eq!(
            (status, message(&answer)),
            (400, "error creating cron trigger"),
            "{priority}"
        );
    }
    // The database's check allows 4 for crons.
    let body = json!({"cronName": "live-priority", "cronExpression": "0 1 * * *", "priority": 4, "additionalMetadata": {key: tag}, "input": {}});
    let (status, answer) = live.raw("POST", &crons, Some(body)).await;
    assert_eq!((status, &answer["priority"]), (200, &json!(4)));
}

live_test!(malformed_queries);
async fn malformed_queries(live: &Live) {
    // What the generated binding says of a query it cannot read; the facade
    // never sends one, so these are raw.
    for listing in ["workflows/scheduled", "workflows/crons"] {
        for (query, expected) in [
            (
                "limit=abc",
                "Invalid format for parameter limit: error binding string parameter: \
                 strconv.ParseInt: parsing \"abc\": invalid syntax",
            ),
            (
                "offset=99999999999999999999",
                "Invalid format for parameter offset: error binding string parameter: \
                 strconv.ParseInt: parsing \"99999999999999999999\": value out of range",
            ),
            (
                "workflowId=42",
                "Invalid format for parameter workflowId: error unmarshaling '42' text as \
                 *uuid.UUID: invalid UUID length: 2",
            ),
            (
                "limit=1&limit=2",
                "Invalid format for parameter limit: multiple values for single value \
                 parameter 'limit'",
            ),
        ] {
            let (status, answer) = live.raw("GET", &format!("{listing}?{query}"), None).await;
            assert_eq!(
                (status, message(&answer)),
                (400, expected),
                "{listing}?{query}"
            );
        }
    }
}
