//! What an XRPC call is, apart from the HTTP library that carries it: the
//! request (method, URL with the query pairs, headers, body) and the
//! reading of the response (output, typed error, rate limits), and why a
//! call failed. The async (`client`) and the blocking (`client-blocking`)
//! clients are this core plus their HTTP library.

use super::{fmt_error, fmt_http_error, request_url};
use super::{Body, BodyError, Endpoint, Method, ParamsError, XrpcError};
use std::fmt;

/// The MIME type sent for inputs the lexicon accepts in any encoding
/// (`*/*`, `image/*`) when the caller names none.
const FALLBACK_CONTENT_TYPE: &str = "application/octet-stream";

/// The headers a client sends with every call.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct CallHeaders {
    /// `Authorization: Bearer <token>`.
    pub bearer: Option<String>,
    /// `atproto-proxy`: the service (`did:web:api.bsky.app#bsky_appview`)
    /// the PDS should forward the call to.
    pub proxy: Option<String>,
    /// `atproto-accept-labelers`, as sent (`did:plc:a;redact, did:plc:b`).
    pub labelers: Option<String>,
}

// By hand, so that logging a client does not leak its token.
impl fmt::Debug for CallHeaders {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallHeaders")
            .field("bearer", &self.bearer.as_ref().map(|_| "<redacted>"))
            .field("proxy", &self.proxy)
            .field("labelers", &self.labelers)
            .finish()
    }
}

impl CallHeaders {
    /// Sets `atproto-accept-labelers` from labeler DIDs; `true` marks a
    /// labeler whose takedowns redact content. No labelers: no header.
    pub fn set_labelers<'a>(&mut self, labelers: impl IntoIterator<Item = (&'a str, bool)>) {
        let list: Vec<String> = labelers
            .into_iter()
            .map(|(did, redact)| match redact {
                true => format!("{did};redact"),
                false => did.to_owned(),
            })
            .collect();
        self.labelers = (!list.is_empty()).then(|| list.join(", "));
    }
}

/// The header methods of a client (a struct with `headers: CallHeaders`):
/// the async and the blocking client have the same ones, written once.
#[cfg(any(feature = "client", feature = "client-blocking"))]
macro_rules! header_methods {
    () => {
        /// The same client, sending `Authorization: Bearer <token>` (an
        /// access JWT, or the refresh JWT for
        /// `com.atproto.server.refreshSession`).
        pub fn with_bearer(mut self, token: impl Into<String>) -> Self {
            self.headers.bearer = Some(token.into());
            self
        }

        /// Sets or clears (`None`) the bearer token sent with every call.
        pub fn set_auth(&mut self, token: Option<String>) {
            self.headers.bearer = token;
        }

        /// The bearer token sent with every call, if any.
        pub fn auth(&self) -> Option<&str> {
            self.headers.bearer.as_deref()
        }

        /// The same client, asking the service to proxy every call to
        /// `service` (`atproto-proxy: did:web:api.bsky.app#bsky_appview`).
        pub fn with_proxy(mut self, service: impl Into<String>) -> Self {
            self.headers.proxy = Some(service.into());
            self
        }

        /// The same client, sending `atproto-accept-labelers` with these
        /// labeler DIDs; `true` marks a labeler whose takedowns redact
        /// content.
        pub fn with_accept_labelers<'a>(
            mut self,
            labelers: impl IntoIterator<Item = (&'a str, bool)>,
        ) -> Self {
            self.headers.set_labelers(labelers);
            self
        }
    };
}
#[cfg(any(feature = "client", feature = "client-blocking"))]
pub(crate) use header_methods;

/// A call's method, URL and headers, for any HTTP library; the body is the
/// caller's (buffered by [`request_body`], or streamed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestHead {
    /// GET for queries, POST for procedures.
    pub method: Method,
    /// `<base>/xrpc/<NSID>?<params>`.
    pub url: String,
    /// Lower-case names: `authorization`, `atproto-proxy`,
    /// `atproto-accept-labelers`, `content-type` (procedures only).
    pub headers: Vec<(&'static str, String)>,
}

impl RequestHead {
    /// The head of a call to `E` on the service at `base_url` (no trailing
    /// `/`), sending `content_type` with a procedure's body.
    ///
    /// # Errors
    ///
    /// A parameter that cannot be sent (see
    /// [`QueryParams::query_pairs`](super::QueryParams::query_pairs)).
    pub fn new<E: Endpoint>(
        base_url: &str,
        params: &E::Params,
        headers: &CallHeaders,
        content_type: Option<&str>,
    ) -> Result<RequestHead, ParamsError> {
        let url = request_url::<E>(base_url, params)?;
        let mut out = Vec::new();
        if let Some(token) = &headers.bearer {
            out.push(("authorization", format!("Bearer {token}")));
        }
        if let Some(proxy) = &headers.proxy {
            out.push(("atproto-proxy", proxy.clone()));
        }
        if let Some(labelers) = &headers.labelers {
            out.push(("atproto-accept-labelers", labelers.clone()));
        }
        if let (Method::Post, Some(ct)) = (E::METHOD, content_type) {
            out.push(("content-type", ct.to_owned()));
        }
        Ok(RequestHead {
            method: E::METHOD,
            url,
            headers: out,
        })
    }
}

/// The `Content-Type` of `E`'s input when the caller names none: the
/// lexicon's encoding, `application/octet-stream` for a pattern (`*/*`).
pub fn default_content_type<E: Endpoint>() -> Option<&'static str> {
    E::INPUT_ENCODING.map(|enc| match enc.contains('*') {
        true => FALLBACK_CONTENT_TYPE,
        false => enc,
    })
}

/// The body of a call to `E`: the encoded input for a procedure, none for
/// a query.
///
/// # Errors
///
/// The input cannot be encoded.
pub fn request_body<E: Endpoint>(input: &E::Input) -> Result<Option<Vec<u8>>, BodyError> {
    match E::METHOD {
        Method::Get => Ok(None),
        Method::Post => input.encode().map(Some),
    }
}

/// The result of a call to `E` from its response: the output, decoded and
/// validated, on 2xx; otherwise the typed error (or the raw body when it is
/// not an XRPC error body), with the status and rate limits.
///
/// # Errors
///
/// Every failure the server reported, and an output that does not decode.
pub fn read_response<E: Endpoint, T>(
    status: u16,
    body: Vec<u8>,
    rate_limit: Option<RateLimit>,
) -> Result<E::Output, ClientError<E::Error, T>> {
    if !(200..300).contains(&status) {
        let rate_limit = rate_limit.map(Box::new);
        return Err(match E::Error::from_body(&body) {
            Some(error) => ClientError::Xrpc {
                status,
                error,
                rate_limit,
            },
            None => ClientError::Http {
                status,
                body,
                rate_limit,
            },
        });
    }
    // Decoding consumes the bytes: keep a copy to report a failure, but only
    // of JSON (raw bodies, possibly large blobs, always decode).
    let copy = match E::OUTPUT_ENCODING {
        Some("application/json") => body.clone(),
        _ => Vec::new(),
    };
    E::Output::decode(body).map_err(|error| ClientError::Decode {
        status,
        error,
        body: copy,
    })
}

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
    /// The rate-limit headers found by `header` (a lookup by lower-case
    /// name in any HTTP library's header map); `None` when there are none.
    pub fn from_header_fn<'a>(header: impl Fn(&str) -> Option<&'a str>) -> Option<RateLimit> {
        let num = |name: &str| header(name).and_then(|v| v.trim().parse().ok());
        let rl = RateLimit {
            limit: num("ratelimit-limit"),
            remaining: num("ratelimit-remaining"),
            reset: num("ratelimit-reset"),
            policy: header("ratelimit-policy").map(str::to_owned),
        };
        (rl != RateLimit::default()).then_some(rl)
    }
}

/// Why a call failed; `T` is the HTTP library's error (each client names
/// this type with its own: `client::ClientError<E>`,
/// `client_blocking::ClientError<E>`).
#[derive(Debug)]
pub enum ClientError<E, T> {
    /// The server answered with an XRPC error body, decoded into the
    /// endpoint's typed error (names the lexicon does not list land in its
    /// `Other` variant).
    Xrpc {
        /// The HTTP status (4xx or 5xx).
        status: u16,
        /// The typed error.
        error: E,
        /// The `ratelimit-*` headers, if the server sent any (boxed: most
        /// errors have none, and the error stays small).
        rate_limit: Option<Box<RateLimit>>,
    },
    /// A non-2xx response whose body is not an XRPC error body (an HTML page
    /// from a proxy, an empty body, ...).
    Http {
        /// The HTTP status.
        status: u16,
        /// The raw body.
        body: Vec<u8>,
        /// The `ratelimit-*` headers, if the server sent any (boxed: most
        /// errors have none, and the error stays small).
        rate_limit: Option<Box<RateLimit>>,
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
    /// No usable response: connection refused, timeout, bad URL, response
    /// over a size limit, ...
    Transport(T),
}

impl<E, T> ClientError<E, T> {
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
                rate_limit.as_deref()
            }
            _ => None,
        }
    }

    /// The same failure with the typed error converted by `f`.
    pub fn map_xrpc<F>(self, f: impl FnOnce(E) -> F) -> ClientError<F, T> {
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

impl<E: XrpcError, T: fmt::Display> fmt::Display for ClientError<E, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientError::Xrpc { status, error, .. } => {
                write!(f, "HTTP {status}: ")?;
                fmt_error(error, f)
            }
            ClientError::Http { status, body, .. } => fmt_http_error(*status, body, f),
            ClientError::Decode { status, error, .. } => {
                write!(f, "HTTP {status}, unexpected response body: {error}")
            }
            ClientError::Encode(e) => write!(f, "cannot encode the request body: {e}"),
            ClientError::Params(e) => write!(f, "cannot send the request: {e}"),
            ClientError::Transport(e) => write!(f, "transport error: {e}"),
        }
    }
}

impl<E, T> std::error::Error for ClientError<E, T>
where
    E: XrpcError + fmt::Debug,
    T: std::error::Error + 'static,
{
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ClientError::Decode { error, .. } | ClientError::Encode(error) => Some(error),
            ClientError::Params(e) => Some(e),
            ClientError::Transport(e) => Some(e),
            ClientError::Xrpc { .. } | ClientError::Http { .. } => None,
        }
    }
}
