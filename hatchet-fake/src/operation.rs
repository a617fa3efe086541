//! The operations the fake serves, in one table of each one's Hatchet
//! operation id, method and path. The router is built from it, so a new
//! operation is one new row (and its handler).

use std::fmt;

use axum::routing::MethodFilter;

/// Where and as what an operation is served.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Endpoint {
    /// Hatchet's operation id, as in its OpenAPI contract.
    pub(crate) id: &'static str,
    pub(crate) method: MethodFilter,
    /// The route, in axum's syntax; its parameters are named as in
    /// Hatchet's contract, where they name the resources the server's
    /// populator looks up.
    pub(crate) path: &'static str,
}

/// Declares [`Operation`] from the rows of its table, with the variant docs
/// written from each row, [`Operation::ALL`] and [`Operation::endpoint`].
macro_rules! operations {
    (
        $(#[$meta:meta])*
        pub enum Operation {
            $($variant:ident => $id:literal, $method:ident $path:literal;)*
        }
    ) => {
        $(#[$meta])*
        pub enum Operation {
            $(#[doc = concat!("`", stringify!($method), " ", $path, "`")]
            $variant,)*
        }

        impl Operation {
            /// Every operation, in the order the router registers them.
            pub(crate) const ALL: &[Self] = &[$(Self::$variant),*];

            /// The operation's row in the table.
            pub(crate) const fn endpoint(self) -> Endpoint {
                match self {
                    $(Self::$variant => Endpoint {
                        id: $id,
                        method: MethodFilter::$method,
                        path: $path,
                    },)*
                }
            }
        }
    };
}

operations! {
    /// One of the endpoints the fake serves (scheduled runs, crons, and the
    /// workflow and run read-outs around them), named by
    /// Hatchet's operation id. Used to aim a [`Fault`](crate::Fault) at one
    /// operation and in the log of
    /// [`FakeHatchet::requests`](crate::FakeHatchet::requests).
    ///
    /// ```
    /// use hatchet_fake::Operation;
    ///
    /// assert_eq!(Operation::Trigger.id(), "workflow-scheduled:trigger");
    /// assert_eq!(Operation::Create.to_string(), "scheduled-workflow-run:create");
    /// assert_eq!(Operation::CronTrigger.id(), "workflow-cron:trigger");
    /// ```
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    #[non_exhaustive]
    pub enum Operation {
        Create => "scheduled-workflow-run:create",
            POST "/api/v1/tenants/{tenant}/workflows/{workflow}/scheduled";
        List => "workflow-scheduled:list",
            GET "/api/v1/tenants/{tenant}/workflows/scheduled";
        // A static segment wins over a parameter, so `scheduled/...` paths
        // are these operations even for a workflow named `scheduled`.
        Get => "workflow-scheduled:get",
            GET "/api/v1/tenants/{tenant}/workflows/scheduled/{scheduled-workflow-run}";
        Update => "workflow-scheduled:update",
            PATCH "/api/v1/tenants/{tenant}/workflows/scheduled/{scheduled-workflow-run}";
        Delete => "workflow-scheduled:delete",
            DELETE "/api/v1/tenants/{tenant}/workflows/scheduled/{scheduled-workflow-run}";
        Trigger => "workflow-scheduled:trigger",
            POST "/api/v1/tenants/{tenant}/workflows/scheduled/{scheduled-workflow-run}";
        BulkDelete => "workflow-scheduled:bulk-delete",
            POST "/api/v1/tenants/{tenant}/workflows/scheduled/bulk-delete";
        BulkUpdate => "workflow-scheduled:bulk-update",
            POST "/api/v1/tenants/{tenant}/workflows/scheduled/bulk-update";
        CronCreate => "cron-workflow-trigger:create",
            POST "/api/v1/tenants/{tenant}/workflows/{workflow}/crons";
        CronList => "cron-workflow:list",
            GET "/api/v1/tenants/{tenant}/workflows/crons";
        // As for scheduled runs, `crons/...` paths are these operations even
        // for a workflow named `crons`.
        CronGet => "workflow-cron:get",
            GET "/api/v1/tenants/{tenant}/workflows/crons/{cron-workflow}";
        CronUpdate => "workflow-cron:update",
            PATCH "/api/v1/tenants/{tenant}/workflows/crons/{cron-workflow}";
        CronDelete => "workflow-cron:delete",
            DELETE "/api/v1/tenants/{tenant}/workflows/crons/{cron-workflow}";
        CronTrigger => "workflow-cron:trigger",
            POST "/api/v1/tenants/{tenant}/workflows/crons/{cron-workflow}";
        // What a schedule's life touches beyond it: its workflow, by name
        // or id, and the runs it started.
        WorkflowList => "workflow:list",
            GET "/api/v1/tenants/{tenant}/workflows";
        // No tenant in the path: the workflow's own tenant is checked.
        WorkflowGet => "workflow:get",
            GET "/api/v1/workflows/{workflow}";
        WorkflowRunList => "v1-workflow-run:list",
            GET "/api/v1/stable/tenants/{tenant}/workflow-runs";
        WorkflowRunGet => "v1-workflow-run:get",
            GET "/api/v1/stable/workflow-runs/{v1-workflow-run}";
    }
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
        self.endpoint().id
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_operation_has_its_own_id_and_route_under_a_tenant_or_a_resource() {
        let endpoints: Vec<Endpoint> = Operation::ALL.iter().map(|op| op.endpoint()).collect();
        for (i, a) in endpoints.iter().enumerate() {
            // The gate looks up the tenant of a route, or the resource
            // whose tenant it is.
            let under_a_resource = [
                "/api/v1/workflows/{workflow}",
                "/api/v1/stable/workflow-runs/{v1-workflow-run}",
            ];
            assert!(
                a.path.contains("/tenants/{tenant}/") || under_a_resource.contains(&a.path),
                "{a:?}"
            );
            for b in &endpoints[i + 1..] {
                assert_ne!(a.id, b.id);
                assert!(a.path != b.path || a.method != b.method, "{a:?} {b:?}");
            }
        }
    }
}
