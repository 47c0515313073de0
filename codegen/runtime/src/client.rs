//! An async XRPC client over the endpoint metadata (feature `client`), on
//! `reqwest` with rustls, and a session [`Agent`] on top of it.
//!
//! Every query and procedure goes through one call shape,
//! [`Client::call`], typed by the endpoint's marker type. (The examples name
//! `atproto_types`, the crate generated from the official lexicons.)
//!
//! ```ignore
//! use atproto_types::client::Agent;
//! use atproto_types::com::atproto::server::get_session::GetSession;
//! use atproto_types::xrpc::{NoBody, NoParams};
//!
//! let agent = Agent::new("https://pds.example");
//! agent.login("alice.example", "hunter22", None).await?;
//! let me = agent.call::<GetSession>(&NoParams, &NoBody).await?;
//! ```

mod agent;

pub use super::xrpc::RateLimit;
pub use agent::{Agent, MemorySessionStore, Session, SessionError, SessionStore};

use super::xrpc::{default_content_type, read_response, request_body};
use super::xrpc::{CallHeaders, Endpoint, Method, RequestHead};
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Why an async call failed: [`xrpc::ClientError`](super::xrpc::ClientError)
/// with `reqwest`'s transport errors.
pub type ClientError<E> = super::xrpc::ClientError<E, reqwest::Error>;

/// The `reqwest` this client is built on: configure a `reqwest::Client`
/// for [`Client::with_http`], or build a streaming [`reqwest::Body`].
pub use reqwest;

/// Retries of failed queries: on 429 and 5xx answers and on connection
/// errors, never for procedures (which may have had effects).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0: none).
    pub max_retries: u32,
    /// Wait before the first retry, doubled before each next one.
    pub base_delay: Duration,
    /// Longest single wait. A 429 whose `ratelimit-reset` is in the
    /// future is retried at that time, or after this, whichever is sooner.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(10),
        }
    }
}

impl RetryPolicy {
    /// No retries.
    pub fn none() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..Self::default()
        }
    }
}

/// An async XRPC client for one service (a PDS, an AppView, ...).
///
/// Cloning is cheap: clones share the connection pool.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    base_url: String,
    headers: CallHeaders,
    retry: RetryPolicy,
}

// By hand, so that logging a client does not leak its token.
impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url)
            .field("headers", &self.headers)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client for the service at `base_url` (e.g. `https://bsky.social`).
    pub fn new(base_url: impl Into<String>) -> Self {
        Self::with_http(base_url, reqwest::Client::new())
    }

    /// A client on a `reqwest::Client` configured by the caller (timeouts,
    /// proxy, user agent).
    pub fn with_http(base_url: impl Into<String>, http: reqwest::Client) -> Self {
        let base_url = super::xrpc::trim_base_url(base_url);
        Client {
            http,
            base_url,
            headers: CallHeaders::default(),
            retry: RetryPolicy::default(),
        }
    }

    super::xrpc::header_methods!();

    /// The same client, retrying failed queries by `policy`.
    pub fn with_retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The service's base URL, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Calls endpoint `E`: `params` go in the query string, `input` in the
    /// body (pass [`NoBody`](super::xrpc::NoBody) when there is none), sent as
    /// `E::INPUT_ENCODING` (`application/octet-stream` for `*/*`). The
    /// response is decoded, and validated, as `E::Output`; an error response
    /// as `E::Error`, with its HTTP status and rate-limit headers.
    pub async fn call<E: Endpoint>(
        &self,
        params: &E::Params,
        input: &E::Input,
    ) -> Result<E::Output, ClientError<E::Error>> {
        self.call_with_content_type::<E>(params, input, default_content_type::<E>())
            .await
    }

    /// [`Client::call`] with the request's `Content-Type` given by the
    /// caller (for `*/*` inputs such as `com.atproto.repo.uploadBlob`).
    pub async fn call_with_content_type<E: Endpoint>(
        &self,
        params: &E::Params,
        input: &E::Input,
        content_type: Option<&str>,
    ) -> Result<E::Output, ClientError<E::Error>> {
        let body = request_body::<E>(input).map_err(ClientError::Encode)?;
        let mut attempt = 0;
        loop {
            let request_body = body.clone().map(reqwest::Body::from);
            let result = self.send::<E>(params, request_body, content_type).await;
            match self.retry_delay::<E, _>(&result, attempt) {
                Some(delay) => tokio::time::sleep(delay).await,
                None => return result,
            }
            attempt += 1;
        }
    }

    /// Calls procedure `E` with a body the caller builds, e.g. a blob
    /// streamed from a file or a socket
    /// (`reqwest::Body::wrap_stream(stream)`), without buffering it.
    pub async fn call_with_body<E: Endpoint>(
        &self,
        params: &E::Params,
        body: reqwest::Body,
        content_type: &str,
    ) -> Result<E::Output, ClientError<E::Error>> {
        self.send::<E>(params, Some(body), Some(content_type)).await
    }

    /// How long to wait before retrying `result`, if it is to be retried.
    fn retry_delay<E: Endpoint, T>(
        &self,
        result: &Result<T, ClientError<E::Error>>,
        attempt: u32,
    ) -> Option<Duration> {
        let retryable = match result {
            Ok(_) => false,
            Err(ClientError::Transport(e)) => e.is_connect() || e.is_timeout(),
            Err(e) => matches!(e.status(), Some(429) | Some(500..=599)),
        };
        if E::METHOD != Method::Get || !retryable || attempt >= self.retry.max_retries {
            return None;
        }
        let backoff = self.retry.base_delay.saturating_mul(1 << attempt.min(16));
        // A 429 saying when its window resets: no use asking before then.
        let until_reset = match result {
            Err(e) if e.status() == Some(429) => e.rate_limit().and_then(|rl| rl.reset),
            _ => None,
        }
        .and_then(|reset| {
            let now = SystemTime::now().duration_since(UNIX_EPOCH).ok()?.as_secs();
            reset.checked_sub(now).map(Duration::from_secs)
        });
        Some(
            backoff
                .max(until_reset.unwrap_or_default())
                .min(self.retry.max_delay),
        )
    }

    async fn send<E: Endpoint>(
        &self,
        params: &E::Params,
        body: Option<reqwest::Body>,
        content_type: Option<&str>,
    ) -> Result<E::Output, ClientError<E::Error>> {
        let head = RequestHead::new::<E>(&self.base_url, params, &self.headers, content_type)
            .map_err(ClientError::Params)?;
        let mut req = match head.method {
            Method::Get => self.http.get(&head.url),
            Method::Post => self.http.post(&head.url),
        };
        for (name, value) in &head.headers {
            req = req.header(*name, value);
        }
        if let Some(body) = body {
            req = req.body(body);
        }
        let response = req.send().await.map_err(ClientError::Transport)?;
        let status = response.status().as_u16();
        let headers = response.headers();
        let rate_limit = RateLimit::from_header_fn(|n| headers.get(n)?.to_str().ok());
        let bytes = response.bytes().await.map_err(ClientError::Transport)?;
        read_response::<E, _>(status, bytes.to_vec(), rate_limit)
    }
}
