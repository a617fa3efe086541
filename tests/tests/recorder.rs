//! A proxy between a client and a server that keeps every exchange as it
//! crossed the wire: the live suite's transcripts and the contract test's
//! verdicts (Prism's `sl-violations` header) are read from it.

use std::sync::{Arc, Mutex};

use axum::{
    body::Body,
    extract::{Request, State},
    http::{HeaderMap, header},
    response::Response,
};

/// One request and its answer, as sent and received.
#[derive(Debug, Clone)]
pub struct Exchange {
    pub method: String,
    /// The path as sent, still percent-encoded.
    pub path: String,
    pub query: Option<String>,
    pub request: Vec<u8>,
    pub status: u16,
    pub response_headers: HeaderMap,
    pub response: Vec<u8>,
}

impl Exchange {
    /// The request as sent: method, path and query.
    pub fn request_line(&self) -> String {
        match &self.query {
            Some(query) => format!("{} {}?{query}", self.method, self.path),
            None => format!("{} {}", self.method, self.path),
        }
    }

    /// A response header's value as text.
    pub fn header(&self, name: &str) -> Option<String> {
        self.response_headers
            .get(name)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
    }
}

type Log = Arc<Mutex<Vec<Exchange>>>;

/// A running recording proxy; it serves until its runtime ends.
pub struct Recorder {
    pub url: String,
    log: Log,
}

struct Forward {
    upstream: String,
    http: reqwest::Client,
    log: Log,
}

impl Recorder {
    /// Starts a proxy to `upstream` on a free loopback port, on the current
    /// runtime.
    pub async fn start(upstream: &str) -> Self {
        let log = Log::default();
        let forward = Forward {
            upstream: upstream.trim_end_matches('/').to_owned(),
            http: reqwest::Client::new(),
            log: log.clone(),
        };
        let app = axum::Router::new()
            .fallback(forward_one)
            .with_state(Arc::new(forward));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Self { url, log }
    }

    /// Every exchange so far, in the order the answers came.
    pub fn exchanges(&self) -> Vec<Exchange> {
        self.log.lock().unwrap().clone()
    }
}

async fn forward_one(State(forward): State<Arc<Forward>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, 64 << 20).await.unwrap();
    let target = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    let mut outgoing = forward
        .http
        .request(
            parts.method.clone(),
            format!("{}{target}", forward.upstream),
        )
        .body(body.clone());
    for (name, value) in &parts.headers {
        if name != header::HOST {
            outgoing = outgoing.header(name, value);
        }
    }
    let Ok(answer) = outgoing.send().await else {
        return Response::builder()
            .status(502)
            .body(Body::from("the recording proxy could not reach the server"))
            .unwrap();
    };
    let status = answer.status();
    let mut headers = answer.headers().clone();
    for hop in [
        header::CONNECTION,
        header::TRANSFER_ENCODING,
        header::CONTENT_LENGTH,
    ] {
        headers.remove(hop);
    }
    let bytes = answer.bytes().await.unwrap_or_default();
    forward.log.lock().unwrap().push(Exchange {
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        request: body.to_vec(),
        status: status.as_u16(),
        response_headers: headers.clone(),
        response: bytes.to_vec(),
    });
    let mut response = Response::builder().status(status);
    *response.headers_mut().unwrap() = headers;
    response.body(Body::from(bytes)).unwrap()
}
