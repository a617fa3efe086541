//! Request bodies decoded as Go's `encoding/json` decodes them into the
//! server's generated request types (`api/v1/server/oas/gen`), after
//! [`bind`](crate::bind) found the first JSON value.
//!
//! Nothing is validated against the contract: a missing or `null` field is
//! the field's zero value (a nil map, a nil list, the zero UUID, Go's zero
//! time), unknown fields are ignored, and only a value of the wrong JSON
//! type, an unparsable UUID or an unparsable time is refused, with a 400
//! `{"message": ...}`. What the handler then makes of zero values is the
//! handler's business.

use axum::http::StatusCode;
use chrono::{DateTime, FixedOffset};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::{go_time, go_uuid, reply::Failure};

/// A time field: `None` is Go's zero time (missing, `null` or
/// `0001-01-01T00:00:00Z`), which the server stores as NULL.
pub(crate) type GoTime = Option<DateTime<FixedOffset>>;

/// `ScheduleWorkflowRunRequest`.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct CreateRequest {
    pub(crate) input: Option<Map<String, Value>>,
    pub(crate) additional_metadata: Option<Map<String, Value>>,
    pub(crate) trigger_at: GoTime,
    pub(crate) priority: Option<i32>,
}

/// `CreateCronWorkflowTriggerRequest`: a missing name or expression is `""`.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct CronCreateRequest {
    pub(crate) input: Option<Map<String, Value>>,
    pub(crate) additional_metadata: Option<Map<String, Value>>,
    pub(crate) cron_name: String,
    pub(crate) cron_expression: String,
    pub(crate) priority: Option<i32>,
}

/// `ScheduledWorkflowsBulkDeleteFilter`.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct FilterRequest {
    pub(crate) workflow_id: Option<Uuid>,
    pub(crate) parent_workflow_run_id: Option<Uuid>,
    pub(crate) parent_step_run_id: Option<Uuid>,
    pub(crate) additional_metadata: Option<Vec<String>>,
}

/// `ScheduledWorkflowsBulkDeleteRequest`.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct BulkDeleteRequest {
    pub(crate) ids: Option<Vec<Uuid>>,
    pub(crate) filter: Option<FilterRequest>,
}

/// One `ScheduledWorkflowsBulkUpdateItem`: the id (zero UUID when missing)
/// and the new time.
pub(crate) type BulkUpdateItem = (Uuid, GoTime);

pub(crate) fn create_request(body: Option<Value>) -> Result<CreateRequest, Failure> {
    decode(body, "gen.ScheduleWorkflowRunRequest", |object| {
        Ok(CreateRequest {
            input: map_field(object, "input")?,
            additional_metadata: map_field(object, "additionalMetadata")?,
            trigger_at: time_field(object, "triggerAt")?,
            priority: int32_field(object, "priority")?,
        })
    })
}

pub(crate) fn update_request(body: Option<Value>) -> Result<GoTime, Failure> {
    decode(body, "gen.UpdateScheduledWorkflowRunRequest", |object| {
        time_field(object, "triggerAt")
    })
}

pub(crate) fn bulk_delete_request(body: Option<Value>) -> Result<BulkDeleteRequest, Failure> {
    decode(body, "gen.ScheduledWorkflowsBulkDeleteRequest", |object| {
        let ids = array_field(object, "scheduledWorkflowRunIds", "[]uuid.UUID")?
            .map(|items| {
                items
                    .iter()
                    .map(|item| uuid_value(item, "scheduledWorkflowRunIds"))
                    .collect::<Result<Vec<_>, _>>()
            })
            .transpose()?;
        let filter = match object.get("filter") {
            None | Some(Value::Null) => None,
            Some(Value::Object(filter)) => Some(FilterRequest {
                workflow_id: uuid_field(filter, "workflowId", "filter.workflowId")?,
                parent_workflow_run_id: uuid_field(
                    filter,
                    "parentWorkflowRunId",
                    "filter.parentWorkflowRunId",
                )?,
                parent_step_run_id: uuid_field(
                    filter,
                    "parentStepRunId",
                    "filter.parentStepRunId",
                )?,
                additional_metadata: array_field(filter, "additionalMetadata", "[]string")?
                    .map(|items| {
                        items
                            .iter()
                            .map(|item| string_value(item, "filter.additionalMetadata"))
                            .collect::<Result<Vec<_>, _>>()
                    })
                    .transpose()?,
            }),
            Some(other) => {
                return Err(type_error(
                    "gen.ScheduledWorkflowsBulkDeleteFilter",
                    other,
                    "filter",
                ));
            }
        };
        Ok(BulkDeleteRequest { ids, filter })
    })
}

pub(crate) fn bulk_update_request(body: Option<Value>) -> Result<Vec<BulkUpdateItem>, Failure> {
    decode(body, "gen.ScheduledWorkflowsBulkUpdateRequest", |object| {
        array_field(object, "updates", "[]gen.ScheduledWorkflowsBulkUpdateItem")?
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .map(|item| match item {
                Value::Null => Ok((Uuid::nil(), None)),
                Value::Object(item) => Ok((
                    item.get("id")
                        .map_or(Ok(Uuid::nil()), |id| uuid_value(id, "updates.id"))?,
                    time_field(item, "triggerAt")?,
                )),
                other => Err(type_error(
                    "gen.ScheduledWorkflowsBulkUpdateItem",
                    other,
                    "updates",
                )),
            })
            .collect()
    })
}

pub(crate) fn cron_create_request(body: Option<Value>) -> Result<CronCreateRequest, Failure> {
    decode(body, "gen.CreateCronWorkflowTriggerRequest", |object| {
        Ok(CronCreateRequest {
            input: map_field(object, "input")?,
            additional_metadata: map_field(object, "additionalMetadata")?,
            cron_name: string_field(object, "cronName")?,
            cron_expression: string_field(object, "cronExpression")?,
            priority: int32_field(object, "priority")?,
        })
    })
}

/// `UpdateCronWorkflowTriggerRequest`: its `enabled`, if given.
pub(crate) fn cron_update_request(body: Option<Value>) -> Result<Option<bool>, Failure> {
    decode(
        body,
        "gen.UpdateCronWorkflowTriggerRequest",
        |object| match object.get("enabled") {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(enabled)) => Ok(Some(*enabled)),
            Some(other) => Err(type_error("bool", other, "enabled")),
        },
    )
}

/// Decodes the top-level object; `null` and no body are the zero request.
fn decode<T: Default>(
    body: Option<Value>,
    go_type: &str,
    read: impl FnOnce(&Map<String, Value>) -> Result<T, String>,
) -> Result<T, Failure> {
    let result = match &body {
        None | Some(Value::Null) => Ok(T::default()),
        Some(Value::Object(object)) => read(object),
        Some(other) => Err(type_error(go_type, other, "")),
    };
    result.map_err(|message| Failure::Message(StatusCode::BAD_REQUEST, message))
}

/// Echo's wording of Go's `UnmarshalTypeError` (without the byte offset).
fn type_error(expected: &str, got: &Value, field: &str) -> String {
    let got = match got {
        Value::Null => "null".to_owned(),
        Value::Bool(_) => "bool".to_owned(),
        Value::Number(n) => format!("number {n}"),
        Value::String(_) => "string".to_owned(),
        Value::Array(_) => "array".to_owned(),
        Value::Object(_) => "object".to_owned(),
    };
    format!("Unmarshal type error: expected={expected}, got={got}, field={field}")
}

fn map_field(
    object: &Map<String, Value>,
    name: &str,
) -> Result<Option<Map<String, Value>>, String> {
    match object.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(map)) => Ok(Some(map.clone())),
        Some(other) => Err(type_error("map[string]interface {}", other, name)),
    }
}

/// A `string` field: missing or `null` leaves `""`.
fn string_field(object: &Map<String, Value>, name: &str) -> Result<String, String> {
    object
        .get(name)
        .map_or(Ok(String::new()), |value| string_value(value, name))
}

fn time_field(object: &Map<String, Value>, name: &str) -> Result<GoTime, String> {
    match object.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => {
            let at = go_time::parse(text)?;
            Ok((!go_time::is_go_zero(at)).then_some(at))
        }
        Some(_) => Err("Time.UnmarshalJSON: input is not a JSON string".into()),
    }
}

fn int32_field(object: &Map<String, Value>, name: &str) -> Result<Option<i32>, String> {
    match object.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => value
            .as_i64()
            .and_then(|n| i32::try_from(n).ok())
            .map(Some)
            .ok_or_else(|| type_error("int32", value, name)),
    }
}

fn array_field<'a>(
    object: &'a Map<String, Value>,
    name: &str,
    go_type: &str,
) -> Result<Option<&'a Vec<Value>>, String> {
    match object.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(items)) => Ok(Some(items)),
        Some(other) => Err(type_error(go_type, other, name)),
    }
}

/// A `*uuid.UUID` field: missing or `null` is nil.
fn uuid_field(object: &Map<String, Value>, name: &str, path: &str) -> Result<Option<Uuid>, String> {
    match object.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => uuid_value(value, path).map(Some),
    }
}

/// A `uuid.UUID` value: `null` leaves the zero UUID.
fn uuid_value(value: &Value, path: &str) -> Result<Uuid, String> {
    match value {
        Value::Null => Ok(Uuid::nil()),
        Value::String(text) => go_uuid::parse(text),
        other => Err(type_error("uuid.UUID", other, path)),
    }
}

/// A `string` value (a field or a list element): `null` leaves the empty
/// string.
fn string_value(value: &Value, path: &str) -> Result<String, String> {
    match value {
        Value::Null => Ok(String::new()),
        Value::String(text) => Ok(text.clone()),
        other => Err(type_error("string", other, path)),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn message(failure: Failure) -> String {
        match failure {
            Failure::Message(StatusCode::BAD_REQUEST, message) => message,
            other => panic!("not a 400 message: {other:?}"),
        }
    }

    #[test]
    fn missing_and_null_fields_are_zero_values() {
        assert_eq!(create_request(None), Ok(CreateRequest::default()));
        assert_eq!(
            create_request(Some(Value::Null)),
            Ok(CreateRequest::default())
        );
        assert_eq!(
            create_request(Some(
                json!({"input": null, "triggerAt": null, "extra": [1]})
            )),
            Ok(CreateRequest::default())
        );
        assert_eq!(
            update_request(Some(json!({"triggerAt": "0001-01-01T00:00:00Z"}))),
            Ok(None),
            "Go's zero time is no time"
        );
        assert_eq!(
            bulk_update_request(Some(json!({"updates": [{}, null]}))),
            Ok(vec![(Uuid::nil(), None), (Uuid::nil(), None)])
        );
        assert_eq!(
            bulk_delete_request(Some(
                json!({"scheduledWorkflowRunIds": [null], "filter": {}})
            )),
            Ok(BulkDeleteRequest {
                ids: Some(vec![Uuid::nil()]),
                filter: Some(FilterRequest::default())
            })
        );
    }

    #[test]
    fn wrong_types_are_refused_with_echos_words() {
        assert_eq!(
            message(create_request(Some(json!({"priority": 1.5}))).unwrap_err()),
            "Unmarshal type error: expected=int32, got=number 1.5, field=priority"
        );
        assert_eq!(
            message(create_request(Some(json!({"priority": 2_147_483_648_i64}))).unwrap_err()),
            "Unmarshal type error: expected=int32, got=number 2147483648, field=priority"
        );
        assert_eq!(
            message(create_request(Some(json!({"input": [1]}))).unwrap_err()),
            "Unmarshal type error: expected=map[string]interface {}, got=array, field=input"
        );
        assert_eq!(
            message(create_request(Some(json!([1, 2]))).unwrap_err()),
            "Unmarshal type error: expected=gen.ScheduleWorkflowRunRequest, got=array, field="
        );
        assert_eq!(
            message(update_request(Some(json!({"triggerAt": 5}))).unwrap_err()),
            "Time.UnmarshalJSON: input is not a JSON string"
        );
    }

    #[test]
    fn cron_bodies_decode_as_go_decodes_them() {
        assert_eq!(cron_create_request(None), Ok(CronCreateRequest::default()));
        assert_eq!(
            cron_create_request(Some(json!({
                "cronName": "nightly", "cronExpression": null, "input": {"a": 1}, "priority": 2
            }))),
            Ok(CronCreateRequest {
                input: Some(json!({"a": 1}).as_object().unwrap().clone()),
                cron_name: "nightly".into(),
                priority: Some(2),
                ..CronCreateRequest::default()
            })
        );
        assert_eq!(
            message(cron_create_request(Some(json!({"cronName": 5}))).unwrap_err()),
            "Unmarshal type error: expected=string, got=number 5, field=cronName"
        );
        assert_eq!(cron_update_request(None), Ok(None));
        assert_eq!(
            cron_update_request(Some(json!({"enabled": null}))),
            Ok(None)
        );
        assert_eq!(
            cron_update_request(Some(json!({"enabled": false}))),
            Ok(Some(false))
        );
        assert_eq!(
            message(cron_update_request(Some(json!({"enabled": "no"}))).unwrap_err()),
            "Unmarshal type error: expected=bool, got=string, field=enabled"
        );
    }

    #[test]
    fn ids_and_times_are_parsed_as_go_parses_them() {
        assert_eq!(
            message(
                bulk_delete_request(Some(json!({"scheduledWorkflowRunIds": ["42"]}))).unwrap_err()
            ),
            "invalid UUID length: 2"
        );
        assert!(
            message(update_request(Some(json!({"triggerAt": "tomorrow"}))).unwrap_err())
                .starts_with("parsing time \"tomorrow\"")
        );
        let braced = "{6e0bb1d4-3c43-4b9c-9a2f-5c2c0c8a1d11}";
        assert_eq!(
            bulk_update_request(Some(json!({"updates": [{"id": braced}]}))).unwrap()[0].0,
            "6e0bb1d4-3c43-4b9c-9a2f-5c2c0c8a1d11"
                .parse::<Uuid>()
                .unwrap()
        );
    }
}
