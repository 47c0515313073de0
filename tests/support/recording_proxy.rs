//! A recording forwarding proxy for end-to-end tests: it sits between a
//! client and a real server (the official PDS), records every request's
//! method, path and headers, and forwards it, unless a fault was planned for
//! that endpoint: then it answers the planned status, headers and body
//! instead (once per planned fault), so retries and rate limits can be
//! tested against a server that never fails on its own.

use atproto_types::client::reqwest;
use atproto_types::server::axum;
use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

/// One request as the proxy saw it, and what it answered.
#[derive(Debug, Clone)]
pub struct Seen {
    /// `GET` or `POST`.
    pub method: String,
    /// The path, `/xrpc/<nsid>`.
    pub path: String,
    /// The query string, without `?`.
    pub query: String,
    /// The request headers as received.
    pub headers: HeaderMap,
    /// The status answered (planned or forwarded).
    pub status: u16,
    /// Whether the answer was a planned fault (the server never saw it).
    pub injected: bool,
}

impl Seen {
    /// A header's value as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// A planned answer for one call of an endpoint.
struct Fault {
    path: String,
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

#[derive(Default)]
struct Shared {
    upstream: String,
    http: reqwest::Client,
    seen: Mutex<Vec<Seen>>,
    faults: Mutex<VecDeque<Fault>>,
}

/// The proxy, listening on `127.0.0.1` on a port of its own.
#[derive(Clone)]
pub struct RecordingProxy {
    /// The proxy's base URL, to give the client instead of the server's.
    pub url: String,
    shared: Arc<Shared>,
}

impl RecordingProxy {
    /// Starts a proxy forwarding to `upstream` (a base URL).
    pub async fn start(upstream: &str) -> RecordingProxy {
        let shared = Arc::new(Shared {
            upstream: upstream.trim_end_matches('/').to_owned(),
            http: reqwest::Client::builder()
                .no_proxy()
                .build()
                .expect("reqwest client"),
            ..Shared::default()
        });
        let router = axum::Router::new()
            .fallback(forward)
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let url = format!("http://{}", listener.local_addr().expect("local addr"));
        tokio::spawn(async move { axum::serve(listener, router).await });
        RecordingProxy { url, shared }
    }

    /// Answers the next call of `nsid` with `status`, `headers` and `body`
    /// instead of forwarding it. Faults planned for one endpoint are used in
    /// the order planned.
    pub fn inject(&self, nsid: &str, status: u16, headers: &[(&str, &str)], body: &str) {
        let fault = Fault {
            path: format!("/xrpc/{nsid}"),
            status,
            headers: headers
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect(),
            body: body.to_owned(),
        };
        self.shared.faults.lock().unwrap().push_back(fault);
    }

    /// The requests to `nsid` so far, oldest first.
    pub fn seen(&self, nsid: &str) -> Vec<Seen> {
        let path = format!("/xrpc/{nsid}");
        let seen = self.shared.seen.lock().unwrap();
        seen.iter().filter(|s| s.path == path).cloned().collect()
    }

    /// Forgets the requests recorded so far.
    pub fn clear(&self) {
        self.shared.seen.lock().unwrap().clear();
    }
}

// Hop-by-hop headers, and the ones the HTTP stacks set themselves.
const NOT_FORWARDED: &[&str] = &[
    "host",
    "connection",
    "keep-alive",
    "transfer-encoding",
    "content-length",
    "upgrade",
];

async fn forward(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let path = parts.uri.path().to_owned();
    let query = parts.uri.query().unwrap_or("").to_owned();
    let mut seen = Seen {
        method: parts.method.to_string(),
        path: path.clone(),
        query: query.clone(),
        headers: parts.headers.clone(),
        status: 0,
        injected: false,
    };
    let fault = {
        let mut faults = shared.faults.lock().unwrap();
        let at = faults.iter().position(|f| f.path == path);
        at.and_then(|i| faults.remove(i))
    };
    let response = match fault {
        Some(fault) => {
            seen.injected = true;
            planned(fault)
        }
        None => match upstream(&shared, parts, body).await {
            Ok(response) => response,
            Err(e) => (StatusCode::BAD_GATEWAY, format!("proxy: {e}")).into_response(),
        },
    };
    seen.status = response.status().as_u16();
    shared.seen.lock().unwrap().push(seen);
    response
}

fn planned(fault: Fault) -> Response {
    let mut response = Response::new(Body::from(fault.body));
    *response.status_mut() = StatusCode::from_u16(fault.status).expect("a valid status");
    let headers = response.headers_mut();
    headers.insert("content-type", HeaderValue::from_static("application/json"));
    for (name, value) in fault.headers {
        headers.insert(
            HeaderName::try_from(name).expect("header name"),
            HeaderValue::try_from(value).expect("header value"),
        );
    }
    response
}

async fn upstream(
    shared: &Shared,
    parts: axum::http::request::Parts,
    body: Body,
) -> Result<Response, reqwest::Error> {
    let mut url = format!("{}{}", shared.upstream, parts.uri.path());
    if let Some(query) = parts.uri.query() {
        url.push('?');
        url.push_str(query);
    }
    let body = to_bytes(body, usize::MAX).await.unwrap_or_default();
    let method = reqwest::Method::from_bytes(parts.method.as_str().as_bytes()).expect("method");
    let mut request = shared.http.request(method, url);
    for (name, value) in &parts.headers {
        if !NOT_FORWARDED.contains(&name.as_str()) {
            request = request.header(name.as_str(), value.as_bytes());
        }
    }
    let answer = request.body(body.to_vec()).send().await?;
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::from_u16(answer.status().as_u16()).expect("status");
    for (name, value) in answer.headers() {
        if !NOT_FORWARDED.contains(&name.as_str()) {
            if let (Ok(n), Ok(v)) = (
                HeaderName::try_from(name.as_str()),
                HeaderValue::from_bytes(value.as_bytes()),
            ) {
                response.headers_mut().append(n, v);
            }
        }
    }
    *response.body_mut() = Body::from(answer.bytes().await?);
    Ok(response)
}
