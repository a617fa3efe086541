//! Request bodies, read into the generated types after the checks the
//! real server's contract validation makes.
//!
//! Trigger times keep their wall-clock reading and lose their UTC offset:
//! the real server stores them in a `timestamp` column without time zone,
//! so `10:00+02:00` is stored, and fires, as `10:00Z`.

use chrono::{DateTime, Utc};
use hatchet_rest_gen::types as rest;
use serde::de::DeserializeOwned;
use serde_json::Value;
use uuid::Uuid;

use crate::{reply::Failure, state::NewSchedule};

/// The most items a bulk request may carry, per the contract.
pub(crate) const MAX_BULK_ITEMS: usize = 500;

/// A create body. Priority defaults to 1 and must be 1..=3.
pub(crate) fn create_request(body: &[u8]) -> Result<NewSchedule, Failure> {
    let mut value = json_object(body)?;
    let priority = match value.get("priority") {
        None | Some(Value::Null) => 1,
        Some(p) => p
            .as_u64()
            .filter(|p| (1..=3).contains(p))
            .and_then(|p| u8::try_from(p).ok())
            .ok_or_else(|| Failure::invalid_field("priority", "priority must be 1, 2 or 3"))?,
    };
    drop_offset(&mut value, "triggerAt")?;
    let request: rest::ScheduleWorkflowRunRequest = typed(value)?;
    Ok(NewSchedule {
        trigger_at: request.trigger_at,
        input: request.input,
        additional_metadata: request.additional_metadata,
        priority,
    })
}

/// An update body: the new trigger time.
pub(crate) fn update_request(body: &[u8]) -> Result<DateTime<Utc>, Failure> {
    let mut value = json_object(body)?;
    drop_offset(&mut value, "triggerAt")?;
    let request: rest::UpdateScheduledWorkflowRunRequest = typed(value)?;
    Ok(request.trigger_at)
}

/// A bulk-delete body: ids, a filter, both or neither (the handler decides).
pub(crate) fn bulk_delete_request(
    body: &[u8],
) -> Result<rest::ScheduledWorkflowsBulkDeleteRequest, Failure> {
    let value = json_object(body)?;
    if let Some(ids) = value.get("scheduledWorkflowRunIds") {
        check_item_count("scheduledWorkflowRunIds", ids)?;
    }
    typed(value)
}

/// A bulk-update body: `(id, new trigger time)` pairs in request order.
pub(crate) fn bulk_update_request(body: &[u8]) -> Result<Vec<(Uuid, DateTime<Utc>)>, Failure> {
    let mut value = json_object(body)?;
    if let Some(updates) = value.get_mut("updates") {
        check_item_count("updates", updates)?;
        for item in updates.as_array_mut().into_iter().flatten() {
            drop_offset(item, "triggerAt")?;
        }
    }
    let request: rest::ScheduledWorkflowsBulkUpdateRequest = typed(value)?;
    Ok(request
        .updates
        .into_iter()
        .map(|u| (u.id, u.trigger_at))
        .collect())
}

fn json_object(body: &[u8]) -> Result<Value, Failure> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(Failure::bad_request("Request body is required."));
    }
    match serde_json::from_slice(body) {
        Ok(value @ Value::Object(_)) => Ok(value),
        Ok(_) => Err(Failure::bad_request(
            "Invalid request body: expected a JSON object",
        )),
        Err(e) => Err(Failure::bad_request(format!("Invalid request body: {e}"))),
    }
}

fn typed<T: DeserializeOwned>(value: Value) -> Result<T, Failure> {
    serde_json::from_value(value)
        .map_err(|e| Failure::bad_request(format!("Invalid request body: {e}")))
}

/// Replaces an RFC 3339 time by its wall-clock reading as UTC. A missing
/// field is left for deserialization to report.
fn drop_offset(object: &mut Value, field: &'static str) -> Result<(), Failure> {
    let Some(slot) = object.get_mut(field) else {
        return Ok(());
    };
    let parsed = slot
        .as_str()
        .and_then(|text| DateTime::parse_from_rfc3339(text).ok())
        .ok_or_else(|| {
            Failure::invalid_field(field, format!("{field} must be an RFC 3339 date-time"))
        })?;
    *slot = Value::String(parsed.naive_local().and_utc().to_rfc3339());
    Ok(())
}

fn check_item_count(field: &'static str, items: &Value) -> Result<(), Failure> {
    let count = items.as_array().map_or(0, Vec::len);
    if items.is_array() && count == 0 {
        return Err(Failure::invalid_field(
            field,
            format!("{field} must have at least 1 item"),
        ));
    }
    if count > MAX_BULK_ITEMS {
        return Err(Failure::invalid_field(
            field,
            format!("{field} must have at most {MAX_BULK_ITEMS} items"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_are_dropped_keeping_the_wall_clock() {
        let at = update_request(br#"{"triggerAt":"2030-01-02T10:00:00+02:00"}"#).unwrap();
        assert_eq!(at.to_rfc3339(), "2030-01-02T10:00:00+00:00");
    }

    #[test]
    fn priority_defaults_to_one_and_is_bounded() {
        let body = |extra: &str| {
            format!(
                r#"{{"input":{{}},"additionalMetadata":{{}},"triggerAt":"2030-01-01T00:00:00Z"{extra}}}"#
            )
        };
        assert_eq!(create_request(body("").as_bytes()).unwrap().priority, 1);
        assert_eq!(
            create_request(body(r#","priority":3"#).as_bytes())
                .unwrap()
                .priority,
            3
        );
        for bad in ["0", "4", "-1", "1.5", "\"2\""] {
            let error =
                create_request(body(&format!(r#","priority":{bad}"#)).as_bytes()).unwrap_err();
            assert!(matches!(error, Failure::Field(_, "priority", _)), "{bad}");
        }
    }

    #[test]
    fn bad_bodies_are_400s() {
        assert_eq!(
            bulk_delete_request(b"").unwrap_err(),
            Failure::bad_request("Request body is required.")
        );
        assert!(bulk_delete_request(b"[1]").is_err());
        assert!(bulk_delete_request(br#"{"scheduledWorkflowRunIds":[]}"#).is_err());
        assert!(bulk_update_request(br#"{"updates":[]}"#).is_err());
        assert!(update_request(br#"{"triggerAt":"tomorrow"}"#).is_err());
        assert!(create_request(br#"{"triggerAt":"2030-01-01T00:00:00Z"}"#).is_err());
    }
}
