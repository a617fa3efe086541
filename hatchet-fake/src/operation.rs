//! The eight scheduled-run operations, recognised from a request's method
//! and path before routing, so faults and the request log can name them.

use std::fmt;

use axum::http::Method;

/// One of the scheduled-run endpoints the fake serves, named by Hatchet's
/// operation id. Used to aim a [`Fault`](crate::Fault) at one operation and
/// in the log of [`FakeHatchet::requests`](crate::FakeHatchet::requests).
///
/// ```
/// use hatchet_fake::Operation;
///
/// assert_eq!(Operation::Trigger.id(), "workflow-scheduled:trigger");
/// assert_eq!(Operation::Create.to_string(), "scheduled-workflow-run:create");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Operation {
    /// `POST /api/v1/tenants/{tenant}/workflows/{workflow}/scheduled`
    Create,
    /// `GET /api/v1/tenants/{tenant}/workflows/scheduled`
    List,
    /// `GET .../workflows/scheduled/{id}`
    Get,
    /// `PATCH .../workflows/scheduled/{id}`
    Update,
    /// `DELETE .../workflows/scheduled/{id}`
    Delete,
    /// `POST .../workflows/scheduled/{id}`
    Trigger,
    /// `POST .../workflows/scheduled/bulk-delete`
    BulkDelete,
    /// `POST .../workflows/scheduled/bulk-update`
    BulkUpdate,
}

impl Operation {
    /// Hatchet's operation id, as in its OpenAPI contract.
    ///
    /// The client names operations the same way, e.g. in its errors:
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// use hatchet_fake::{FakeHatchet, Fault, Operation};
    /// use hatchet_scheduled::{ClientConfig, ScheduledClient};
    ///
    /// assert_eq!(Operation::List.id(), "workflow-scheduled:list");
    /// let fake = FakeHatchet::start().await;
    /// let client = ScheduledClient::new(ClientConfig::builder().token(fake.token()).build()?)?;
    /// fake.fail_next(Fault::status(500).only(Operation::Get));
    /// let error = client.get(uuid::Uuid::new_v4()).await.unwrap_err();
    /// assert_eq!(error.response().unwrap().operation, Operation::Get.id());
    /// # Ok::<(), hatchet_scheduled::Error>(())
    /// # }).unwrap();
    /// ```
    pub fn id(self) -> &'static str {
        match self {
            Self::Create => "scheduled-workflow-run:create",
            Self::List => "workflow-scheduled:list",
            Self::Get => "workflow-scheduled:get",
            Self::Update => "workflow-scheduled:update",
            Self::Delete => "workflow-scheduled:delete",
            Self::Trigger => "workflow-scheduled:trigger",
            Self::BulkDelete => "workflow-scheduled:bulk-delete",
            Self::BulkUpdate => "workflow-scheduled:bulk-update",
        }
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// A request aimed at one of the operations, with the tenant segment of
/// its path and, for single-schedule operations, the schedule segment
/// (both still unchecked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Target<'a> {
    pub(crate) operation: Operation,
    pub(crate) tenant: &'a str,
    pub(crate) schedule: Option<&'a str>,
}

/// Recognises the operation the way the router will route the request:
/// `scheduled/...` paths win over a workflow that happens to be named
/// `scheduled`. `None` for anything else (the router answers 404/405).
pub(crate) fn classify<'a>(method: &Method, path: &'a str) -> Option<Target<'a>> {
    let rest = path.strip_prefix("/api/v1/tenants/")?;
    let (tenant, rest) = rest.split_once('/')?;
    let rest = rest.strip_prefix("workflows/")?;
    let segments: Vec<&str> = rest.split('/').collect();
    let schedule = match segments.as_slice() {
        ["scheduled", id] => Some(*id),
        _ => None,
    };
    let operation = match (segments.as_slice(), method.as_str()) {
        (["scheduled"], "GET") => Operation::List,
        (["scheduled", "bulk-delete"], "POST") => Operation::BulkDelete,
        (["scheduled", "bulk-update"], "POST") => Operation::BulkUpdate,
        (["scheduled", "bulk-delete" | "bulk-update"], _) => return None,
        (["scheduled", _], "GET") => Operation::Get,
        (["scheduled", _], "PATCH") => Operation::Update,
        (["scheduled", _], "DELETE") => Operation::Delete,
        (["scheduled", _], "POST") => Operation::Trigger,
        ([workflow, "scheduled"], "POST") if !workflow.is_empty() => Operation::Create,
        _ => return None,
    };
    Some(Target {
        operation,
        tenant,
        schedule,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(method: Method, path: &str) -> Option<Operation> {
        classify(&method, path).map(|t| t.operation)
    }

    #[test]
    fn recognises_every_operation_like_the_router() {
        let base = "/api/v1/tenants/t1/workflows";
        assert_eq!(
            op(Method::POST, &format!("{base}/send-email/scheduled")),
            Some(Operation::Create)
        );
        assert_eq!(
            op(Method::GET, &format!("{base}/scheduled")),
            Some(Operation::List)
        );
        assert_eq!(
            op(Method::GET, &format!("{base}/scheduled/x")),
            Some(Operation::Get)
        );
        assert_eq!(
            op(Method::PATCH, &format!("{base}/scheduled/x")),
            Some(Operation::Update)
        );
        assert_eq!(
            op(Method::DELETE, &format!("{base}/scheduled/x")),
            Some(Operation::Delete)
        );
        assert_eq!(
            op(Method::POST, &format!("{base}/scheduled/x")),
            Some(Operation::Trigger)
        );
        assert_eq!(
            op(Method::POST, &format!("{base}/scheduled/scheduled")),
            Some(Operation::Trigger)
        );
        assert_eq!(
            op(Method::POST, &format!("{base}/scheduled/bulk-delete")),
            Some(Operation::BulkDelete)
        );
        assert_eq!(
            op(Method::POST, &format!("{base}/scheduled/bulk-update")),
            Some(Operation::BulkUpdate)
        );
        assert_eq!(
            op(Method::GET, &format!("{base}/scheduled/bulk-delete")),
            None
        );
        assert_eq!(op(Method::PUT, &format!("{base}/scheduled/x")), None);
        assert_eq!(op(Method::GET, "/api/v1/tenants/t1/workflows"), None);
        assert_eq!(
            classify(&Method::GET, &format!("{base}/scheduled"))
                .unwrap()
                .tenant,
            "t1"
        );
    }
}
