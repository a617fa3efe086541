//! The lookups that run before authentication: Hatchet's populator
//! (`api/v1/server/middleware/populator/populator.go`) resolves the
//! resources a route names with the getters registered in
//! `api/v1/server/run/run.go`, and only then does `authn` check the token.
//! So a bad tenant, schedule or cron id is answered the same with or
//! without a valid token.

use axum::http::StatusCode;
use uuid::Uuid;

use crate::{go_uuid, reply::Failure, state::not_found};

/// The `tenant` getter: 400 "invalid tenant id" for a malformed id; an
/// unknown tenant fails the repository lookup with pgx's no-rows error,
/// which the populator answers 404 "not found". The fake knows one tenant.
pub(crate) fn tenant(segment: &str, tenant_id: Uuid) -> Result<(), Failure> {
    let parsed = go_uuid::parse(segment)
        .map_err(|_| Failure::Message(StatusCode::BAD_REQUEST, "invalid tenant id".into()))?;
    if parsed != tenant_id {
        return Err(Failure::Message(StatusCode::NOT_FOUND, "not found".into()));
    }
    Ok(())
}

/// A getter the populator calls for the resource a route names after its
/// tenant (`run.go`'s `RegisterGetter`).
#[derive(Debug)]
pub(crate) struct Getter {
    /// The route parameter holding the resource's id.
    pub(crate) parameter: &'static str,
    /// The 400 message for an id `uuid.Parse` refuses.
    invalid: &'static str,
    /// The answer for an id the repository does not find.
    unknown: fn() -> Failure,
}

/// `scheduled-workflow-run`: an unknown id is a 404 "scheduled workflow run
/// not found".
pub(crate) const SCHEDULE: Getter = Getter {
    parameter: "scheduled-workflow-run",
    invalid: "invalid scheduled workflow run id",
    unknown: not_found,
};

/// `cron-workflow`: for an unknown id, `GetCronWorkflow`
/// (`pkg/repository/workflow_schedules.go`) returns a plain error, neither
/// pgx's no-rows error nor an HTTP error, so the getter's 404 branch is never
/// reached and echo answers 500 "Internal Server Error".
pub(crate) const CRON: Getter = Getter {
    parameter: "cron-workflow",
    invalid: "invalid cron workflow id",
    unknown: Failure::internal,
};

/// A getter of a resource whose route has no tenant (`workflow`,
/// `v1-workflow-run`): the populator reads the tenant off the resource it
/// found, so there is no tenant segment to compare. A malformed id is 400
/// with `invalid`; an unknown one is the repository's no-rows error, 404
/// "not found". The fake has one tenant, so every resource it finds is the
/// token's.
pub(crate) fn owned(
    segment: &str,
    invalid: &str,
    exists: impl FnOnce(Uuid) -> bool,
) -> Result<Uuid, Failure> {
    let id = go_uuid::parse(segment)
        .map_err(|_| Failure::Message(StatusCode::BAD_REQUEST, invalid.into()))?;
    if !exists(id) {
        return Err(Failure::Message(StatusCode::NOT_FOUND, "not found".into()));
    }
    Ok(id)
}

impl Getter {
    /// Looks the id up, after [`tenant`]: 400 for a malformed id, then the
    /// getter's answer for an unknown one. The populator then compares the
    /// tenant segment, as written, with the resource's tenant as Go prints
    /// it (lower-case, hyphenated): any other spelling of the right tenant
    /// is a 403 "not authorized to access this resource".
    pub(crate) fn look_up(
        &self,
        tenant_segment: &str,
        id_segment: &str,
        tenant_id: Uuid,
        exists: impl FnOnce(Uuid) -> bool,
    ) -> Result<Uuid, Failure> {
        let id = go_uuid::parse(id_segment)
            .map_err(|_| Failure::Message(StatusCode::BAD_REQUEST, self.invalid.into()))?;
        if !exists(id) {
            return Err((self.unknown)());
        }
        if tenant_segment != tenant_id.to_string() {
            return Err(Failure::Message(
                StatusCode::FORBIDDEN,
                "not authorized to access this resource".into(),
            ));
        }
        Ok(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(result: Result<impl std::fmt::Debug, Failure>) -> (StatusCode, String) {
        match result {
            Err(Failure::Message(status, message)) => (status, message),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn tenants_are_parsed_then_looked_up() {
        let tenant_id = Uuid::new_v4();
        assert_eq!(tenant(&tenant_id.to_string(), tenant_id), Ok(()));
        assert_eq!(
            tenant(&tenant_id.to_string().to_uppercase(), tenant_id),
            Ok(())
        );
        assert_eq!(
            status(tenant("nope", tenant_id)),
            (StatusCode::BAD_REQUEST, "invalid tenant id".into())
        );
        assert_eq!(
            status(tenant(&Uuid::new_v4().to_string(), tenant_id)),
            (StatusCode::NOT_FOUND, "not found".into())
        );
    }

    #[test]
    fn resources_without_a_tenant_in_the_path_are_400_then_404() {
        let id = Uuid::new_v4();
        assert_eq!(
            owned(&id.to_string(), "invalid workflow id", |_| true),
            Ok(id)
        );
        assert_eq!(
            status(owned("x", "invalid workflow id", |_| true)),
            (StatusCode::BAD_REQUEST, "invalid workflow id".into())
        );
        assert_eq!(
            status(owned(&id.to_string(), "invalid workflow id", |_| false)),
            (StatusCode::NOT_FOUND, "not found".into())
        );
    }

    #[test]
    fn an_unknown_cron_is_the_repositorys_plain_error_a_500() {
        let (tenant_id, id) = (Uuid::new_v4(), Uuid::new_v4());
        let cron = |id: &str, exists: bool| {
            CRON.look_up(&tenant_id.to_string(), id, tenant_id, |_| exists)
        };
        assert_eq!(cron(&id.to_string(), true), Ok(id));
        assert_eq!(
            status(cron("x", true)),
            (StatusCode::BAD_REQUEST, "invalid cron workflow id".into())
        );
        assert_eq!(
            status(cron(&id.to_string(), false)),
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Internal Server Error".into()
            )
        );
    }

    #[test]
    fn schedules_are_parsed_found_then_matched_to_the_tenant_as_written() {
        let (tenant_id, id) = (Uuid::new_v4(), Uuid::new_v4());
        let canonical = tenant_id.to_string();
        let schedule = |tenant: &str, id: &str, exists: bool| {
            SCHEDULE.look_up(tenant, id, tenant_id, |_| exists)
        };
        assert_eq!(schedule(&canonical, &id.to_string(), true), Ok(id));
        assert_eq!(
            status(schedule(&canonical, "x", true)),
            (
                StatusCode::BAD_REQUEST,
                "invalid scheduled workflow run id".into()
            )
        );
        assert_eq!(
            status(schedule(&canonical, &id.to_string(), false)),
            (
                StatusCode::NOT_FOUND,
                "scheduled workflow run not found".into()
            )
        );
        assert_eq!(
            status(schedule(&canonical.to_uppercase(), &id.to_string(), true)),
            (
                StatusCode::FORBIDDEN,
                "not authorized to access this resource".into()
            )
        );
    }
}
