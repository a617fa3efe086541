//! The lookups that run before authentication: Hatchet's populator
//! (`api/v1/server/middleware/populator/populator.go`) resolves the
//! resources a route names with the getters registered in
//! `api/v1/server/run/run.go`, and only then does `authn` check the token.
//! So a bad tenant or schedule id is answered the same with or without a
//! valid token.

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

/// The `scheduled-workflow-run` getter, after [`tenant`]: 400 "invalid
/// scheduled workflow run id" for a malformed id, 404 "scheduled workflow
/// run not found" for an unknown one. The populator then compares the
/// tenant segment, as written, with the schedule's tenant as Go prints it
/// (lower-case, hyphenated): any other spelling of the right tenant is a
/// 403 "not authorized to access this resource".
pub(crate) fn schedule(
    tenant_segment: &str,
    id_segment: &str,
    tenant_id: Uuid,
    exists: impl FnOnce(Uuid) -> bool,
) -> Result<Uuid, Failure> {
    let id = go_uuid::parse(id_segment).map_err(|_| {
        Failure::Message(
            StatusCode::BAD_REQUEST,
            "invalid scheduled workflow run id".into(),
        )
    })?;
    if !exists(id) {
        return Err(not_found());
    }
    if tenant_segment != tenant_id.to_string() {
        return Err(Failure::Message(
            StatusCode::FORBIDDEN,
            "not authorized to access this resource".into(),
        ));
    }
    Ok(id)
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
    fn schedules_are_parsed_found_then_matched_to_the_tenant_as_written() {
        let (tenant_id, id) = (Uuid::new_v4(), Uuid::new_v4());
        let canonical = tenant_id.to_string();
        assert_eq!(
            schedule(&canonical, &id.to_string(), tenant_id, |_| true),
            Ok(id)
        );
        assert_eq!(
            status(schedule(&canonical, "x", tenant_id, |_| true)),
            (
                StatusCode::BAD_REQUEST,
                "invalid scheduled workflow run id".into()
            )
        );
        assert_eq!(
            status(schedule(&canonical, &id.to_string(), tenant_id, |_| false)),
            (
                StatusCode::NOT_FOUND,
                "scheduled workflow run not found".into()
            )
        );
        assert_eq!(
            status(schedule(
                &canonical.to_uppercase(),
                &id.to_string(),
                tenant_id,
                |_| true
            )),
            (
                StatusCode::FORBIDDEN,
                "not authorized to access this resource".into()
            )
        );
    }
}
