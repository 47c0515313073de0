//! A blocking XRPC client over the endpoint metadata (feature
//! `client-blocking`; the async one is the `client` module).
//! Only emitted into the generated crate; not compiled into the generator.
//!
//! Every query and procedure goes through one call shape,
//! [`Client::call`], typed by the endpoint's marker type:
//!
//! (The example names `atproto_types`, the crate generated from the official
//! lexicons.)
//!
//! ```ignore
//! use atproto_types::client_blocking::Client;
//! use atproto_types::com::atproto::server::create_session::{CreateSession, Input};
//! use atproto_types::xrpc::NoParams;
//!
//! let client = Client::new("http://127.0.0.1:2583");
//! let input = Input::new("alice.test", "hunter22");
//! let session = client.call::<CreateSession>(&NoParams, &input)?;
//! let client = client.with_bearer(session.access_jwt);
//! ```
//!
//! Plain HTTP only by default: `ureq` is built without TLS, which suits a
//! PDS on loopback or behind a TLS-terminating proxy. For `https://` URLs,
//! enable a TLS feature of the same `ureq` (e.g. `rustls`) in your own
//! `Cargo.toml`.

use super::xrpc::{default_content_type, read_response, request_body};
use super::xrpc::{CallHeaders, Endpoint, Method, RateLimit, RequestHead};
use std::fmt;

/// Why a blocking call failed: [`xrpc::ClientError`](super::xrpc::ClientError)
/// with `ureq`'s transport errors.
pub type ClientError<E> = super::xrpc::ClientError<E, ureq::Error>;

/// The `ureq` this client is built on, to configure an agent (timeouts,
/// proxy) for [`Client::with_agent`] without a version mismatch.
pub use ureq;

/// Responses larger than this are refused unless
/// [`Client::with_max_response_bytes`] raises the limit.
const DEFAULT_MAX_RESPONSE_BYTES: u64 = 64 * 1024 * 1024;

/// A blocking XRPC client for one service (a PDS, an AppView, ...).
///
/// Cloning is cheap: clones share the connection pool.
#[derive(Clone)]
pub struct Client {
    agent: ureq::Agent,
    base_url: String,
    headers: CallHeaders,
    max_response_bytes: u64,
}

// By hand, so that logging a client does not leak its token.
impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url)
            .field("headers", &self.headers)
            .field("max_response_bytes", &self.max_response_bytes)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client for the service at `base_url` (e.g. `http://127.0.0.1:2583`),
    /// on a default `ureq` agent (which honours `HTTP_PROXY`/`NO_PROXY`).
    pub fn new(base_url: impl Into<String>) -> Self {
        Self::with_agent(base_url, ureq::Agent::new_with_defaults())
    }

    /// A client on an agent configured by the caller (timeouts, proxy, user
    /// agent). Non-2xx statuses are always returned as [`ClientError`]
    /// values with their body, whatever the agent's `http_status_as_error`.
    pub fn with_agent(base_url: impl Into<String>, agent: ureq::Agent) -> Self {
        let base_url = super::xrpc::trim_base_url(base_url);
        Client {
            agent,
            base_url,
            headers: CallHeaders::default(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
        }
    }

    super::xrpc::header_methods!();

    /// The service's base URL, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The same client, refusing response bodies longer than `limit` bytes
    /// (64 MiB by default) with a [`ClientError::Transport`].
    pub fn with_max_response_bytes(mut self, limit: u64) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Calls endpoint `E`: `params` go in the query string, `input` in the
    /// body (pass [`NoBody`](super::xrpc::NoBody) when there is none), sent as
    /// `E::INPUT_ENCODING` (`application/octet-stream` for `*/*`; use
    /// [`Client::call_with_content_type`] to name the real type). The response
    /// is decoded, and validated, as `E::Output`; an error response as
    /// `E::Error`, with its HTTP status.
    pub fn call<E: Endpoint>(
        &self,
        params: &E::Params,
        input: &E::Input,
    ) -> Result<E::Output, ClientError<E::Error>> {
        self.send::<E>(params, input, default_content_type::<E>())
    }

    /// [`Client::call`] with the request's `Content-Type` given by the
    /// caller: for inputs the lexicon accepts in any encoding (`*/*`, such
    /// as `com.atproto.repo.uploadBlob`), the type of the actual bytes.
    pub fn call_with_content_type<E: Endpoint>(
        &self,
        params: &E::Params,
        input: &E::Input,
        content_type: &str,
    ) -> Result<E::Output, ClientError<E::Error>> {
        self.send::<E>(params, input, Some(content_type))
    }

    fn send<E: Endpoint>(
        &self,
        params: &E::Params,
        input: &E::Input,
        content_type: Option<&str>,
    ) -> Result<E::Output, ClientError<E::Error>> {
        let head = RequestHead::new::<E>(&self.base_url, params, &self.headers, content_type)
            .map_err(ClientError::Params)?;
        let body = request_body::<E>(input).map_err(ClientError::Encode)?;
        let sent = match (head.method, body) {
            (Method::Post, Some(body)) => {
                let mut req = self.agent.post(&head.url);
                for (name, value) in &head.headers {
                    req = req.header(*name, value);
                }
                // Error statuses carry the XRPC error body: read them as responses.
                req.config()
                    .http_status_as_error(false)
                    .build()
                    .send(&body[..])
            }
            _ => {
                let mut req = self.agent.get(&head.url);
                for (name, value) in &head.headers {
                    req = req.header(*name, value);
                }
                req.config().http_status_as_error(false).build().call()
            }
        };
        let mut response = sent.map_err(ClientError::Transport)?;
        let status = response.status().as_u16();
        let headers = response.headers();
        let rate_limit = RateLimit::from_header_fn(|n| headers.get(n)?.to_str().ok());
        let bytes = response
            .body_mut()
            .with_config()
            .limit(self.max_response_bytes)
            .read_to_vec()
            .map_err(ClientError::Transport)?;
        read_response::<E, _>(status, bytes, rate_limit)
    }
}
