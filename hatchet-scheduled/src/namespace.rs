//! Namespaces, the way Hatchet's SDKs apply them: a prefix on workflow
//! names, so that several environments can share one tenant.

/// Hatchet's SDK rule: lowercase, ending with `_`; blank means none.
pub(crate) fn normalize(raw: &str) -> Option<String> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return None;
    }
    let mut namespace = trimmed.to_lowercase();
    if !namespace.ends_with('_') {
        namespace.push('_');
    }
    Some(namespace)
}

/// The workflow name as the server knows it: prefixed with the namespace,
/// unless the caller already wrote the prefix.
pub(crate) fn apply(namespace: Option<&str>, workflow: String) -> String {
    match namespace {
        Some(ns) if !workflow.starts_with(ns) => format!("{ns}{workflow}"),
        _ => workflow,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespaces_are_normalized_like_the_official_sdks() {
        assert_eq!(normalize("Staging").as_deref(), Some("staging_"));
        assert_eq!(normalize(" staging_ ").as_deref(), Some("staging_"));
        assert_eq!(normalize("PROD_").as_deref(), Some("prod_"));
        assert_eq!(normalize("  "), None);
    }

    #[test]
    fn a_namespace_prefixes_the_workflow_once() {
        assert_eq!(
            apply(Some("staging_"), "Send-Email".into()),
            "staging_Send-Email"
        );
        assert_eq!(
            apply(Some("staging_"), "staging_send".into()),
            "staging_send"
        );
        assert_eq!(apply(None, "send".into()), "send");
    }
}
