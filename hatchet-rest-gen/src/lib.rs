//! Low-level Hatchet REST bindings for scheduled workflow runs.
//!
//! Everything in [`Client`] and [`types`] is generated at build time by
//! [progenitor] from `openapi/hatchet.json`, the document `cargo xtask gen`
//! imports from Hatchet's own contract. Nobody edits it: change the importer
//! or the operation list and regenerate. Most users want the
//! `hatchet-scheduled` facade instead, which wraps these bindings in typed,
//! validated calls.
//!
//! # Why positional methods
//! The client is generated in progenitor's *positional* style with merged
//! tags: each operation is one method taking every parameter as an argument.
//! The facade is its only caller, and positional arguments make any change of
//! an operation's parameters a compile error there rather than a silent
//! runtime default; the builder style would also defer argument conversion
//! errors to send time and generate a builder for every schema type.
//!
//! # Errors
//! The importer declares no error responses, so every non-2xx answer arrives
//! as [`Error::UnexpectedResponse`] holding the raw response: status,
//! headers and body stay available whatever shape Hatchet's error body has.
//!
//! # Headers
//! [`RequestHeaders`] are added to every request by the client's hook, so a
//! caller-provided `reqwest::Client` gets authorization and user agent too.
//!
//! ```
//! use hatchet_rest_gen::{Client, ClientInfo, RequestHeaders};
//!
//! let client = Client::new("https://hatchet.example.com", RequestHeaders::default());
//! assert_eq!(client.baseurl(), "https://hatchet.example.com");
//! ```
//!
//! [progenitor]: https://docs.rs/progenitor

use reqwest::header::HeaderMap;

include!(concat!(env!("OUT_DIR"), "/hatchet.rs"));

/// Headers the generated client adds to every request it sends.
///
/// Values marked sensitive (such as `Authorization`) print as `Sensitive`
/// in `Debug` output.
///
/// ```
/// use hatchet_rest_gen::RequestHeaders;
/// use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION};
///
/// let mut token = HeaderValue::from_static("Bearer secret");
/// token.set_sensitive(true);
/// let mut headers = HeaderMap::new();
/// headers.insert(AUTHORIZATION, token);
/// let headers = RequestHeaders::new(headers);
/// assert!(!format!("{headers:?}").contains("secret"));
/// ```
#[derive(Clone, Debug, Default)]
pub struct RequestHeaders(HeaderMap);

impl RequestHeaders {
    /// Wraps the headers to add to every request.
    ///
    /// ```
    /// use hatchet_rest_gen::{Client, ClientInfo, RequestHeaders};
    /// use reqwest::header::{HeaderMap, HeaderValue, USER_AGENT};
    ///
    /// let mut headers = HeaderMap::new();
    /// headers.insert(USER_AGENT, HeaderValue::from_static("my-app/1.0"));
    /// let client = Client::new_with_client(
    ///     "https://hatchet.example.com",
    ///     reqwest::Client::new(),
    ///     RequestHeaders::new(headers),
    /// );
    /// assert_eq!(client.baseurl(), "https://hatchet.example.com");
    /// ```
    pub fn new(headers: HeaderMap) -> Self {
        Self(headers)
    }
}

impl ClientHooks<RequestHeaders> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        _info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        let headers = request.headers_mut();
        for (name, value) in &self.inner().0 {
            headers.insert(name, value.clone());
        }
        Ok(())
    }
}
