//! Why an async call failed, and the rate-limit state a server reported.

use super::super::xrpc::{fmt_error, BodyError, ParamsError, XrpcError};
use std::fmt;

/// The `ratelimit-*` headers of a response (all optional on the wire).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RateLimit {
    /// `ratelimit-limit`: requests allowed per window.
    pub limit: Option<u64>,
    /// `ratelimit-remaining`: requests left in this window.
    pub remaining: Option<u64>,
    /// `ratelimit-reset`: when the window resets (Unix seconds).
    pub reset: Option<u64>,
    /// `ratelimit-policy`, as sent (`100;w=300`).
    pub policy: Option<String>,
}

impl RateLimit {
    /// The rate-limit headers of `headers`; `None` when there are none.
    pub fn from_headers(headers: &reqwest::header::HeaderMap) -> Option<RateLimit> {
        let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        let num = |name: &str| get(name).and_then(|v| v.trim().parse().ok());
        let rl = RateLimit {
            limit: num("ratelimit-limit"),
            remaining: num("ratelimit-remaining"),
            reset: num("ratelimit-reset"),
            policy: get("ratelimit-policy").map(str::to_owned),
        };
        (rl != RateLimit::default()).then_some(rl)
    }
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
        /// The `ratelimit-*` headers, if the server sent any.
        rate_limit: Option<RateLimit>,
    },
    /// A non-2xx response whose body is not an XRPC error body.
    Http {
        /// The HTTP status.
        status: u16,
        /// The raw body.
        body: Vec<u8>,
        /// The `ratelimit-*` headers, if the server sent any.
        rate_limit: Option<RateLimit>,
    },
    /// A 2xx response whose body does not decode, or does not validate, as
    /// the endpoint's output.
    Decode {
        /// The HTTP status.
        status: u16,
        /// What is wrong, with the JSON path of the offending value.
        error: BodyError,
        /// The raw body (JSON only).
        body: Vec<u8>,
    },
    /// The input could not be encoded.
    Encode(BodyError),
    /// A parameter cannot be sent in the query string (an `extra` value
    /// that is not a string, boolean, integer or array of them); nothing
    /// was sent.
    Params(ParamsError),
    /// No usable response: connection refused, timeout, bad URL, ...
    Transport(reqwest::Error),
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

    /// The server's rate-limit headers, on an error response that had them.
    pub fn rate_limit(&self) -> Option<&RateLimit> {
        match self {
            ClientError::Xrpc { rate_limit, .. } | ClientError::Http { rate_limit, .. } => {
                rate_limit.as_ref()
            }
            _ => None,
        }
    }

    /// The same failure with the typed error converted by `f`.
    pub fn map_xrpc<F>(self, f: impl FnOnce(E) -> F) -> ClientError<F> {
        match self {
            ClientError::Xrpc {
                status,
                error,
                rate_limit,
            } => ClientError::Xrpc {
                status,
                error: f(error),
                rate_limit,
            },
            ClientError::Http {
                status,
                body,
                rate_limit,
            } => ClientError::Http {
                status,
                body,
                rate_limit,
            },
            ClientError::Decode {
                status,
                error,
                body,
            } => ClientError::Decode {
                status,
                error,
                body,
            },
            ClientError::Encode(e) => ClientError::Encode(e),
            ClientError::Params(e) => ClientError::Params(e),
            ClientError::Transport(e) => ClientError::Transport(e),
        }
    }
}

impl<E: XrpcError> fmt::Display for ClientError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientError::Xrpc { status, error, .. } => {
                write!(f, "HTTP {status}: ")?;
                fmt_error(error, f)
            }
            ClientError::Http { status, body, .. } => {
                super::super::xrpc::fmt_http_error(*status, body, f)
            }
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
