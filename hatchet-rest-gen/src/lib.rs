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
        self.inner().add_to(request);
        Ok(())
    }
}

impl RequestHeaders {
    fn add_to(&self, request: &mut reqwest::Request) {
        let headers = request.headers_mut();
        for (name, value) in &self.0 {
            headers.insert(name, value.clone());
        }
    }
}

/// Every operation of Hatchet's REST contract (the `full-api` feature): a
/// second generated client and its types, from `openapi/hatchet-full.json`.
///
/// The crate root stays the scheduled-run subset that `hatchet-scheduled`
/// is written against, so enabling the feature changes nothing there.
/// Make a [`full::Client`] from a root [`Client`] with `From`: it sends the
/// same headers through the same HTTP client.
///
/// ```
/// use hatchet_rest_gen::{ClientInfo, RequestHeaders, full};
///
/// let url = "https://hatchet.example.com";
/// let scheduled = hatchet_rest_gen::Client::new(url, RequestHeaders::default());
/// let client = full::Client::from(scheduled);
/// assert_eq!(client.baseurl(), url);
/// // client.workflow_list(&tenant, Some(20), None, None).await?, and so on
/// ```
#[cfg(feature = "full-api")]
pub mod full {
    use crate::RequestHeaders;

    include!(concat!(env!("OUT_DIR"), "/hatchet-full.rs"));

    impl ClientHooks<RequestHeaders> for Client {
        async fn pre<E>(
            &self,
            request: &mut reqwest::Request,
            _info: &OperationInfo,
        ) -> Result<(), Error<E>> {
            self.inner().add_to(request);
            Ok(())
        }
    }

    impl From<crate::Client> for Client {
        /// The full client with `client`'s base URL, HTTP client (its
        /// connection pool, TLS set-up and timeouts) and headers.
        fn from(client: crate::Client) -> Self {
            Self::new_with_client(
                client.baseurl(),
                client.client().clone(),
                client.inner().clone(),
            )
        }
    }
}
