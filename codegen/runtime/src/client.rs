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
mod error;

pub use agent::{Agent, MemorySessionStore, Session, SessionError, SessionStore};
pub use error::{ClientError, RateLimit};

use super::xrpc::{Body, Endpoint, Method, XrpcError};
use std::fmt;
use std::time::Duration;

/// The `reqwest` this client is built on: configure a `reqwest::Client`
/// for [`Client::with_http`], or build a streaming [`reqwest::Body`].
pub use reqwest;

/// The MIME type sent for `*/*` inputs when the caller names none.
const FALLBACK_CONTENT_TYPE: &str = "application/octet-stream";

/// Retries of failed queries: on 429 and 5xx answers and on connection
/// errors, never for procedures (which may have had effects).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0: none).
    pub max_retries: u32,
    /// Wait before the first retry, doubled before each next one.
    pub base_delay: Duration,
    /// Longest single wait (also caps a `ratelimit-reset` in the future).
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
    bearer: Option<String>,
    proxy: Option<String>,
    labelers: Option<String>,
    retry: RetryPolicy,
}

// By hand, so that logging a client does not leak its token.
impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url)
            .field("bearer", &self.bearer.as_ref().map(|_| "<redacted>"))
            .field("proxy", &self.proxy)
            .field("labelers", &self.labelers)
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
            bearer: None,
            proxy: None,
            labelers: None,
            retry: RetryPolicy::default(),
        }
    }

    /// The same client, sending `Authorization: Bearer <token>`.
    pub fn with_bearer(mut self, token: impl Into<String>) -> Self {
        self.bearer = Some(token.into());
        self
    }

    /// Sets or clears (`None`) the bearer token sent with every call.
    pub fn set_auth(&mut self, token: Option<String>) {
        self.bearer = token;
    }

    /// The bearer token sent with every call, if any.
    pub fn auth(&self) -> Option<&str> {
        self.bearer.as_deref()
    }

    /// The same client, asking the service to proxy every call to
    /// `service` (`atproto-proxy: did:web:api.bsky.app#bsky_appview`).
    pub fn with_proxy(mut self, service: impl Into<String>) -> Self {
        self.proxy = Some(service.into());
        self
    }

    /// The same client, sending `atproto-accept-labelers` with these labeler
    /// DIDs; `true` marks a labeler whose takedowns redact content.
    pub fn with_accept_labelers<'a>(
        mut self,
        labelers: impl IntoIterator<Item = (&'a str, bool)>,
    ) -> Self {
        let list: Vec<String> = labelers
            .into_iter()
            .map(|(did, redact)| match redact {
                true => format!("{did};redact"),
                false => did.to_owned(),
            })
            .collect();
        self.labelers = (!list.is_empty()).then(|| list.join(", "));
        self
    }

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
        let content_type = E::INPUT_ENCODING.map(|enc| match enc.contains('*') {
            true => FALLBACK_CONTENT_TYPE,
            false => enc,
        });
        self.call_with_content_type::<E>(params, input, content_type)
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
        let body = match E::METHOD {
            Method::Get => None,
            Method::Post => Some(input.encode().map_err(ClientError::Encode)?),
        };
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
        Some(backoff.min(self.retry.max_delay))
    }

    async fn send<E: Endpoint>(
        &self,
        params: &E::Params,
        body: Option<reqwest::Body>,
        content_type: Option<&str>,
    ) -> Result<E::Output, ClientError<E::Error>> {
        let url =
            super::xrpc::request_url::<E>(&self.base_url, params).map_err(ClientError::Params)?;
        let mut req = match E::METHOD {
            Method::Get => self.http.get(&url),
            Method::Post => self.http.post(&url),
        };
        if let Some(token) = &self.bearer {
            req = req.bearer_auth(token);
        }
        if let Some(proxy) = &self.proxy {
            req = req.header("atproto-proxy", proxy);
        }
        if let Some(labelers) = &self.labelers {
            req = req.header("atproto-accept-labelers", labelers);
        }
        if let Some(body) = body {
            if let Some(ct) = content_type {
                req = req.header(reqwest::header::CONTENT_TYPE, ct);
            }
            req = req.body(body);
        }
        let response = req.send().await.map_err(ClientError::Transport)?;
        let status = response.status().as_u16();
        let rate_limit = RateLimit::from_headers(response.headers());
        let bytes = response
            .bytes()
            .await
            .map_err(ClientError::Transport)?
            .to_vec();
        if !(200..300).contains(&status) {
            return Err(match E::Error::from_body(&bytes) {
                Some(error) => ClientError::Xrpc {
                    status,
                    error,
                    rate_limit,
                },
                None => ClientError::Http {
                    status,
                    body: bytes,
                    rate_limit,
                },
            });
        }
        // Keep a copy to report a failure, but only of JSON (raw bodies,
        // possibly large blobs, always decode).
        let copy = match E::OUTPUT_ENCODING {
            Some("application/json") => bytes.clone(),
            _ => Vec::new(),
        };
        E::Output::decode(bytes).map_err(|error| ClientError::Decode {
            status,
            error,
            body: copy,
        })
    }
}
