//! An XRPC server on `axum` (feature `server`), built from endpoint types:
//!
//! ```ignore
//! use atproto_types::server::{Auth, XrpcRouter};
//! use atproto_types::com::atproto::server::{create_session, get_session};
//!
//! let app: axum::Router = XrpcRouter::new()
//!     .query::<get_session::GetSession, _>(get_session)
//!     .procedure::<create_session::CreateSession, _>(create_session)
//!     .into_router();
//! ```
//!
//! A handler is `async fn(Params, Input, Auth) -> Result<Output, Error>`
//! with the endpoint's types. The router parses and validates the query
//! string (names the lexicon does not describe are kept in the params'
//! `extra`, each a string, an array of strings when repeated, as
//! `@atproto/xrpc-server` passes them on) and the body before calling it,
//! answering
//! `400 {"error":"InvalidRequest","message":"<path>: <rule>"}` when they
//! are bad; a typed error is sent with its lexicon name and the status of
//! [`error_status`]; in debug builds the output is validated too.

mod query;

pub use query::{from_pairs, parse_pairs, QueryError};

use super::xrpc::{Body, Endpoint, ErrorBody, Method, QueryParams, XrpcError};
use axum::body::Bytes;
use axum::http::{header, HeaderMap, HeaderValue, Method as HttpMethod, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use std::future::Future;

/// The `axum` this server is built on, to serve the router.
pub use axum;

/// What a handler learns about the caller: the request's headers, and the
/// bearer token of its `Authorization` header.
#[derive(Debug, Clone, Default)]
pub struct Auth {
    headers: HeaderMap,
}

impl Auth {
    /// The token of `Authorization: Bearer <token>`, if any.
    pub fn bearer(&self) -> Option<&str> {
        let value = self.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
        let (scheme, token) = value.split_once(' ')?;
        scheme
            .eq_ignore_ascii_case("bearer")
            .then(|| token.trim())
            .filter(|t| !t.is_empty())
    }

    /// All request headers (`atproto-proxy`, `atproto-accept-labelers`, ...).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }
}

/// An async function handling endpoint `E`.
pub trait Handler<E: Endpoint>: Clone + Send + Sync + 'static {
    /// The handler's future.
    type Future: Future<Output = Result<E::Output, E::Error>> + Send;
    /// Handles one call.
    fn call(&self, params: E::Params, input: E::Input, auth: Auth) -> Self::Future;
}

impl<E, F, Fut> Handler<E> for F
where
    E: Endpoint,
    F: Fn(E::Params, E::Input, Auth) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Result<E::Output, E::Error>> + Send,
{
    type Future = Fut;
    fn call(&self, params: E::Params, input: E::Input, auth: Auth) -> Fut {
        self(params, input, auth)
    }
}

/// Builds an `axum::Router` from endpoint types and their handlers.
#[derive(Debug, Clone, Default)]
pub struct XrpcRouter {
    router: axum::Router,
}

impl XrpcRouter {
    /// A router with no endpoints (every `/xrpc/` call answers 501).
    pub fn new() -> Self {
        Self::default()
    }

    /// Serves query `E` (GET) with `handler`.
    pub fn query<E, H>(self, handler: H) -> Self
    where
        E: Endpoint + 'static,
        E::Params: DeserializeOwned + Send,
        E::Input: Send,
        E::Output: Send,
        E::Error: Send,
        H: Handler<E>,
    {
        self.route::<E, H>(handler)
    }

    /// Serves procedure `E` (POST) with `handler`.
    pub fn procedure<E, H>(self, handler: H) -> Self
    where
        E: Endpoint + 'static,
        E::Params: DeserializeOwned + Send,
        E::Input: Send,
        E::Output: Send,
        E::Error: Send,
        H: Handler<E>,
    {
        self.route::<E, H>(handler)
    }

    fn route<E, H>(mut self, handler: H) -> Self
    where
        E: Endpoint + 'static,
        E::Params: DeserializeOwned + Send,
        E::Input: Send,
        E::Output: Send,
        E::Error: Send,
        H: Handler<E>,
    {
        let serve = move |method: HttpMethod, uri: Uri, headers: HeaderMap, body: Bytes| {
            let handler = handler.clone();
            async move { dispatch::<E, H>(handler, method, uri, headers, body).await }
        };
        self.router = self.router.route(&E::path(), axum::routing::any(serve));
        self
    }

    /// The `axum::Router`; unknown `/xrpc/` methods answer
    /// `501 MethodNotImplemented`, other paths `404`.
    pub fn into_router(self) -> axum::Router {
        self.router.fallback(not_found)
    }
}

impl From<XrpcRouter> for axum::Router {
    fn from(router: XrpcRouter) -> Self {
        router.into_router()
    }
}

async fn not_found(uri: Uri) -> Response {
    match uri.path().starts_with("/xrpc/") {
        true => error_response(
            StatusCode::NOT_IMPLEMENTED,
            "MethodNotImplemented",
            "Method Not Implemented",
        ),
        false => error_response(StatusCode::NOT_FOUND, "NotFound", "Not Found"),
    }
}

/// The HTTP status sent with an error of this name: the names of the XRPC
/// spec's statuses and of the session errors clients rely on, else 400.
pub fn error_status(name: &str) -> StatusCode {
    match name {
        "AuthenticationRequired"
        | "AuthRequired"
        | "InvalidToken"
        | "AccountTakedown"
        | "AuthFactorTokenRequired" => StatusCode::UNAUTHORIZED,
        "Forbidden" => StatusCode::FORBIDDEN,
        "NotFound" => StatusCode::NOT_FOUND,
        "PayloadTooLarge" => StatusCode::PAYLOAD_TOO_LARGE,
        "RateLimitExceeded" => StatusCode::TOO_MANY_REQUESTS,
        "InternalServerError" => StatusCode::INTERNAL_SERVER_ERROR,
        "MethodNotImplemented" => StatusCode::NOT_IMPLEMENTED,
        "NotEnoughResources" => StatusCode::SERVICE_UNAVAILABLE,
        _ => StatusCode::BAD_REQUEST,
    }
}

fn error_response(status: StatusCode, error: &str, message: &str) -> Response {
    let body = ErrorBody {
        error: error.to_owned(),
        message: Some(message.to_owned()),
    };
    json_response(status, serde_json::to_vec(&body).unwrap_or_default())
}

fn json_response(status: StatusCode, body: Vec<u8>) -> Response {
    let ct = HeaderValue::from_static("application/json");
    (status, [(header::CONTENT_TYPE, ct)], body).into_response()
}

fn invalid(message: impl std::fmt::Display) -> Response {
    error_response(
        StatusCode::BAD_REQUEST,
        "InvalidRequest",
        &message.to_string(),
    )
}

/// Checks, parses and validates one call, runs the handler, and encodes
/// its result.
async fn dispatch<E, H>(
    handler: H,
    method: HttpMethod,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response
where
    E: Endpoint,
    E::Params: DeserializeOwned,
    H: Handler<E>,
{
    let expected = match E::METHOD {
        Method::Get => HttpMethod::GET,
        Method::Post => HttpMethod::POST,
    };
    if method != expected && !(method == HttpMethod::HEAD && expected == HttpMethod::GET) {
        return error_response(
            StatusCode::METHOD_NOT_ALLOWED,
            "InvalidRequest",
            &format!("Incorrect HTTP method ({method}) expected {expected}"),
        );
    }
    let params = match params::<E>(uri.query().unwrap_or("")) {
        Ok(p) => p,
        Err(e) => return invalid(e),
    };
    let input = match input::<E>(&headers, body) {
        Ok(i) => i,
        Err(message) => return invalid(message),
    };
    match handler.call(params, input, Auth { headers }).await {
        Ok(output) => output_response::<E>(output),
        Err(e) => {
            let body = ErrorBody {
                error: e.name().to_owned(),
                message: e.message().map(str::to_owned),
            };
            let bytes = serde_json::to_vec(&body).unwrap_or_default();
            json_response(error_status(e.name()), bytes)
        }
    }
}

/// The params of `E`, with the lexicon's defaults filled in for absent
/// (or empty) ones (the generated `to_query_pairs` sends defaults for
/// `None`).
fn params<E: Endpoint>(query: &str) -> Result<E::Params, QueryError>
where
    E::Params: DeserializeOwned,
{
    let mut pairs = parse_pairs(query)?;
    // An empty value is no value, as `@atproto/xrpc-server` reads it
    // (`decodeQueryParam`): `?cursor=` leaves `cursor` unset, and an empty
    // array item is dropped.
    pairs.retain(|(_, value)| !value.is_empty());
    let params: E::Params = from_pairs(&pairs)?;
    let defaults: Vec<(String, String)> = params
        .to_query_pairs()
        .into_iter()
        .filter(|(name, _)| !pairs.iter().any(|(n, _)| n == name))
        .map(|(name, value)| (name.to_owned(), value))
        .collect();
    if defaults.is_empty() {
        return Ok(params);
    }
    pairs.extend(defaults);
    from_pairs(&pairs)
}

/// The input of `E`, or why the request's body is refused.
fn input<E: Endpoint>(headers: &HeaderMap, body: Bytes) -> Result<E::Input, String> {
    let Some(encoding) = E::INPUT_ENCODING else {
        if !body.is_empty() {
            return Err("a request body was provided when none was expected".into());
        }
        return E::Input::decode(Vec::new()).map_err(|e| e.to_string());
    };
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        });
    let Some(content_type) = content_type else {
        return Err(format!(
            "Request encoding (Content-Type) required but not provided, expected {encoding}"
        ));
    };
    if !mime_matches(encoding, &content_type) {
        return Err(format!(
            "Wrong request encoding (Content-Type): {content_type}, expected {encoding}"
        ));
    }
    E::Input::decode(body.to_vec()).map_err(|e| e.to_string())
}

/// Whether `actual` is accepted by lexicon encoding `accepted` (`*/*`,
/// `image/*` or an exact type).
fn mime_matches(accepted: &str, actual: &str) -> bool {
    match accepted.strip_suffix("/*") {
        Some("*") => true,
        Some(prefix) => actual.split('/').next() == Some(prefix),
        None => accepted.eq_ignore_ascii_case(actual),
    }
}

fn output_response<E: Endpoint>(output: E::Output) -> Response {
    let bytes = match output.encode() {
        Ok(b) => b,
        Err(e) => {
            return error_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                "InternalServerError",
                &format!("cannot encode the output: {e}"),
            )
        }
    };
    // A handler's output breaking the lexicon is a server bug: catch it in
    // development, without the cost of decoding every response in release.
    if cfg!(debug_assertions) && E::OUTPUT_ENCODING == Some("application/json") {
        if let Err(e) = E::Output::decode(bytes.clone()) {
            return error_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                "InternalServerError",
                &format!("invalid output: {e}"),
            );
        }
    }
    match E::OUTPUT_ENCODING {
        None => StatusCode::OK.into_response(),
        Some(encoding) => {
            let ct = HeaderValue::from_str(encoding)
                .unwrap_or(HeaderValue::from_static("application/octet-stream"));
            (StatusCode::OK, [(header::CONTENT_TYPE, ct)], bytes).into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::mime_matches;

    #[test]
    fn encodings_match_by_the_lexicon_rules() {
        assert!(mime_matches("*/*", "video/mp4"));
        assert!(mime_matches("image/*", "image/png"));
        assert!(!mime_matches("image/*", "video/mp4"));
        assert!(mime_matches("application/json", "application/json"));
        assert!(!mime_matches("application/json", "text/plain"));
    }
}
