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
//! let input = Input {
//!     identifier: "alice.test".into(),
//!     password: "hunter22".into(),
//!     auth_factor_token: None,
//!     allow_takendown: None,
//!     extra: Default::default(),
//! };
//! let session = client.call::<CreateSession>(&NoParams, &input)?;
//! let client = client.with_bearer(session.access_jwt);
//! ```
//!
//! Plain HTTP only by default: `ureq` is built without TLS, which suits a
//! PDS on loopback or behind a TLS-terminating proxy. For `https://` URLs,
//! enable a TLS feature of the same `ureq` (e.g. `rustls`) in your own
//! `Cargo.toml`.

use super::xrpc::{Body, BodyError, Endpoint, Method, ParamsError, XrpcError};
use std::fmt;

/// The `ureq` this client is built on, to configure an agent (timeouts,
/// proxy) for [`Client::with_agent`] without a version mismatch.
pub use ureq;

/// The MIME type sent for `*/*` inputs when the caller names none.
const FALLBACK_CONTENT_TYPE: &str = "application/octet-stream";

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
    bearer: Option<String>,
    max_response_bytes: u64,
}

// By hand, so that logging a client does not leak its token.
impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url)
            .field("bearer", &self.bearer.as_ref().map(|_| "<redacted>"))
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
            bearer: None,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
        }
    }

    /// The same client, sending `Authorization: Bearer <token>` (an access
    /// JWT, or the refresh JWT for `com.atproto.server.refreshSession`).
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
        let content_type = E::INPUT_ENCODING.map(|enc| {
            if enc.contains('*') {
                FALLBACK_CONTENT_TYPE
            } else {
                enc
            }
        });
        self.send::<E>(params, input, content_type)
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
        let url =
            super::xrpc::request_url::<E>(&self.base_url, params).map_err(ClientError::Params)?;
        let auth = self.bearer.as_ref().map(|t| format!("Bearer {t}"));
        let sent = match E::METHOD {
            Method::Get => {
                let mut req = self.agent.get(&url);
                if let Some(auth) = &auth {
                    req = req.header("Authorization", auth);
                }
                // Error statuses carry the XRPC error body: read them as responses.
                req.config().http_status_as_error(false).build().call()
            }
            Method::Post => {
                let body = input.encode().map_err(ClientError::Encode)?;
                let mut req = self.agent.post(&url);
                if let Some(auth) = &auth {
                    req = req.header("Authorization", auth);
                }
                if let Some(ct) = content_type {
                    req = req.header("Content-Type", ct);
                }
                req.config()
                    .http_status_as_error(false)
                    .build()
                    .send(&body[..])
            }
        };
        let mut response = sent.map_err(ClientError::Transport)?;
        let status = response.status().as_u16();
        let bytes = response
            .body_mut()
            .with_config()
            .limit(self.max_response_bytes)
            .read_to_vec()
            .map_err(ClientError::Transport)?;
        if (200..300).contains(&status) {
            decode_output::<E>(status, bytes)
        } else {
            Err(match E::Error::from_body(&bytes) {
                Some(error) => ClientError::Xrpc { status, error },
                None => ClientError::Http {
                    status,
                    body: bytes,
                },
            })
        }
    }
}

fn decode_output<E: Endpoint>(
    status: u16,
    bytes: Vec<u8>,
) -> Result<E::Output, ClientError<E::Error>> {
    // Decoding consumes the bytes: keep a copy to report a failure, but only
    // of JSON (raw bodies, possibly large blobs, always decode).
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

/// Why a call failed.
#[derive(Debug)]
pub enum ClientError<E> {
    /// The server answered with an XRPC error body, decoded into the
    /// endpoint's typed error (names the lexicon does not list land in its
    /// `Other` variant).
    Xrpc {
        /// The HTTP status (4xx or 5xx).
        status: u16,
        /// The typed error.
        error: E,
    },
    /// A non-2xx response whose body is not an XRPC error body (an HTML page
    /// from a proxy, an empty body, ...).
    Http {
        /// The HTTP status.
        status: u16,
        /// The raw body.
        body: Vec<u8>,
    },
    /// A 2xx response whose body does not decode, or does not validate, as
    /// the endpoint's output.
    Decode {
        /// The HTTP status.
        status: u16,
        /// What is wrong, with the JSON path of the offending value.
        error: BodyError,
        /// The raw body.
        body: Vec<u8>,
    },
    /// The input could not be encoded.
    Encode(BodyError),
    /// A parameter cannot be sent in the query string (an `extra` value
    /// that is not a string, boolean, integer or array of them); nothing
    /// was sent.
    Params(ParamsError),
    /// No usable response: connection refused, timeout, bad URL, response
    /// over the size limit, ...
    Transport(ureq::Error),
}

impl<E> ClientError<E> {
    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            ClientError::Xrpc { status, .. }
            | ClientError::Http { status, .. }
            | ClientError::Decode { status, .. } => Some(*status),
            ClientError::Encode(_) | ClientError::Params(_) | ClientError::Transport(_) => None,
        }
    }

    /// The typed XRPC error, when the server sent one.
    pub fn xrpc(&self) -> Option<&E> {
        match self {
            ClientError::Xrpc { error, .. } => Some(error),
            _ => None,
        }
    }
}

impl<E: XrpcError> fmt::Display for ClientError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientError::Xrpc { status, error } => {
                write!(f, "HTTP {status}: ")?;
                super::xrpc::fmt_error(error, f)
            }
            ClientError::Http { status, body } => super::xrpc::fmt_http_error(*status, body, f),
            ClientError::Decode { status, error, .. } => {
                write!(f, "HTTP {status}, unexpected response body: {error}")
            }
            ClientError::Encode(e) => write!(f, "cannot encode the request body: {e}"),
            ClientError::Params(e) => write!(f, "cannot send the request: {e}"),
            ClientError::Transport(e) => write!(f, "transport error: {e}"),
        }
    }
}

impl<E: XrpcError + fmt::Debug> std::error::Error for ClientError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ClientError::Decode { error, .. } | ClientError::Encode(error) => Some(error),
            ClientError::Transport(e) => Some(e),
            ClientError::Params(e) => Some(e),
            ClientError::Xrpc { .. } | ClientError::Http { .. } => None,
        }
    }
}
