#![doc = include_str!("../README.md")]

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
