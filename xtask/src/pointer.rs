//! JSON Pointer (RFC 6901) helpers.
//!
//! Every step of the pipeline reports what it touched as JSON pointers into
//! the document, so the escaping rules live in one place.

/// Escapes one reference token (`~` → `~0`, `/` → `~1`).
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Reverses [`escape`].
pub fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Appends one unescaped token to a pointer.
pub fn join(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", escape(token))
}

/// Splits a pointer into its unescaped tokens (`""` → no tokens).
pub fn tokens(pointer: &str) -> Vec<String> {
    if pointer.is_empty() {
        return Vec::new();
    }
    pointer
        .strip_prefix('/')
        .unwrap_or(pointer)
        .split('/')
        .map(unescape)
        .collect()
}

/// The last unescaped token of a pointer, if any.
pub fn last_token(pointer: &str) -> Option<String> {
    tokens(pointer).pop()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_roundtrip() {
        assert_eq!(escape("/api/{x}~y"), "~1api~1{x}~0y");
        assert_eq!(unescape("~1api~1{x}~0y"), "/api/{x}~y");
        assert_eq!(join("/paths", "/a/b"), "/paths/~1a~1b");
        assert_eq!(tokens("/paths/~1a~1b/get"), vec!["paths", "/a/b", "get"]);
        assert!(tokens("").is_empty());
        assert_eq!(last_token("/x/Name").as_deref(), Some("Name"));
    }
}
