//! XRPC endpoint metadata (LEXICON-RULES.md §7): every query, procedure and
//! subscription has a marker type implementing [`Endpoint`] or
//! [`Subscription`], so one generic client call shape serves them all.

mod call;

#[cfg(any(feature = "client", feature = "client-blocking"))]
pub(crate) use call::header_methods;
pub use call::{
    default_content_type, read_response, request_body, CallHeaders, ClientError, RateLimit,
    RequestHead,
};

use crate::types::Data;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt;

pub use super::undeclared::UndeclaredError;
/// The impls of a generated error enum (see `construct.rs`).
#[doc(hidden)]
pub use crate::__lexgen_error_impls as error_impls;

/// The HTTP method of an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Queries (and subscriptions, upgraded to a WebSocket).
    Get,
    /// Procedures.
    Post,
}

impl Method {
    /// `"GET"` or `"POST"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// A query (GET, no side effects) or a procedure (POST).
pub trait Endpoint {
    /// The endpoint's NSID; its path is `/xrpc/<NSID>`.
    const NSID: &'static str;
    /// GET for queries, POST for procedures.
    const METHOD: Method;
    /// MIME type of the request body, if it has one (none by default).
    const INPUT_ENCODING: Option<&'static str> = None;
    /// MIME type of the response body, if it has one (none by default).
    const OUTPUT_ENCODING: Option<&'static str> = None;
    /// Query-string parameters.
    type Params: QueryParams;
    /// Request body.
    type Input: Body;
    /// Response body.
    type Output: Body;
    /// Typed error, with a fallback for names the lexicon does not list.
    type Error: XrpcError;

    /// The request path, `/xrpc/<NSID>`.
    fn path() -> String {
        format!("/xrpc/{}", Self::NSID)
    }
}

/// An event stream (WebSocket).
pub trait Subscription {
    /// The subscription's NSID.
    const NSID: &'static str;
    /// Query-string parameters.
    type Params: QueryParams;
    /// The message union (frame header `t` names the variant).
    type Message;
    /// Typed error frame.
    type Error: XrpcError;

    /// Decodes a message frame's payload: the frame header `t` (`#commit`)
    /// names the variant, and the payload itself carries no `$type`.
    fn message_from_frame(
        t: &str,
        payload: serde_json::Map<String, serde_json::Value>,
    ) -> Result<Self::Message, serde_json::Error>
    where
        Self::Message: DeserializeOwned,
    {
        let mut payload = payload;
        let tag = match t.strip_prefix('#') {
            Some(name) => format!("{}#{name}", Self::NSID),
            None => t.to_owned(),
        };
        payload.insert("$type".to_owned(), serde_json::Value::String(tag));
        serde_json::from_value(serde_json::Value::Object(payload))
    }
}

/// A request or response body.
pub trait Body: Sized {
    /// Encodes the body for sending.
    fn encode(&self) -> Result<Vec<u8>, BodyError>;
    /// Decodes a received body (JSON bodies are validated).
    fn decode(bytes: Vec<u8>) -> Result<Self, BodyError>;
}

/// A body that could not be encoded or decoded.
#[derive(Debug)]
pub struct BodyError(String);

impl BodyError {
    /// An error with this message.
    pub fn new(message: impl Into<String>) -> Self {
        BodyError(message.into())
    }
}

impl fmt::Display for BodyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BodyError {}

impl<T: Serialize + DeserializeOwned> Body for T {
    fn encode(&self) -> Result<Vec<u8>, BodyError> {
        serde_json::to_vec(self).map_err(|e| BodyError(e.to_string()))
    }
    fn decode(bytes: Vec<u8>) -> Result<Self, BodyError> {
        serde_json::from_slice(&bytes).map_err(|e| BodyError(e.to_string()))
    }
}

/// No body at all.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoBody;

impl Body for NoBody {
    fn encode(&self) -> Result<Vec<u8>, BodyError> {
        Ok(Vec::new())
    }
    fn decode(_: Vec<u8>) -> Result<Self, BodyError> {
        Ok(NoBody)
    }
}

/// A non-JSON body (`*/*`, `video/mp4`, CAR files, ...), as raw bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawBody(pub Vec<u8>);

impl Body for RawBody {
    fn encode(&self) -> Result<Vec<u8>, BodyError> {
        Ok(self.0.clone())
    }
    fn decode(bytes: Vec<u8>) -> Result<Self, BodyError> {
        Ok(RawBody(bytes))
    }
}

/// Parameters sent in the query string.
pub trait QueryParams {
    /// The lexicon's parameters as `(name, value)` pairs in lexicon order;
    /// arrays repeat their name, and defaults are sent explicitly.
    fn to_query_pairs(&self) -> Vec<(&'static str, String)>;

    /// Parameters the lexicon does not describe (`extra` on generated
    /// params), sent after the lexicon's; `None` when the type has none.
    fn extra_params(&self) -> Option<&dyn ExtraParams> {
        None
    }

    /// Every pair to send: the lexicon's, then the extra ones.
    ///
    /// # Errors
    ///
    /// An extra value that cannot be a query parameter (see
    /// [`ExtraParams`]), or an extra name that is also a lexicon parameter
    /// of this value.
    fn query_pairs(&self) -> Result<Vec<(Cow<'static, str>, String)>, ParamsError> {
        let mut pairs: Vec<(Cow<'static, str>, String)> = self
            .to_query_pairs()
            .into_iter()
            .map(|(name, value)| (Cow::Borrowed(name), value))
            .collect();
        if let Some(extra) = self.extra_params() {
            let known = pairs.len();
            extra.push_extra(&mut pairs)?;
            let (lexicon, added) = pairs.split_at(known);
            if let Some((name, _)) = added
                .iter()
                .find(|(n, _)| lexicon.iter().any(|(k, _)| k == n))
            {
                return Err(ParamsError::new(
                    name,
                    "is also a lexicon parameter; set the field instead",
                ));
            }
        }
        Ok(pairs)
    }

    /// The encoded query string, without the leading `?`.
    ///
    /// # Errors
    ///
    /// As [`QueryParams::query_pairs`].
    fn to_query_string(&self) -> Result<String, ParamsError> {
        Ok(encode_query(&self.query_pairs()?))
    }
}

/// Query parameters beyond the lexicon's, by the XRPC rules: strings as
/// they are, booleans as `true`/`false`, integers in decimal, arrays as the
/// name repeated once per item. Anything else (null, a float, an object, an
/// array inside an array) cannot be sent and is an error, never dropped.
pub trait ExtraParams {
    /// Appends the pairs, in name order.
    ///
    /// # Errors
    ///
    /// A value that cannot be a query parameter.
    fn push_extra(&self, out: &mut Vec<(Cow<'static, str>, String)>) -> Result<(), ParamsError>;
}

impl ExtraParams for crate::types::Extra {
    fn push_extra(&self, out: &mut Vec<(Cow<'static, str>, String)>) -> Result<(), ParamsError> {
        for (name, value) in self {
            match value {
                Data::Array(items) => {
                    for item in items {
                        out.push((Cow::Owned(name.clone()), param_scalar(name, item)?));
                    }
                }
                scalar => out.push((Cow::Owned(name.clone()), param_scalar(name, scalar)?)),
            }
        }
        Ok(())
    }
}

/// One value of a query parameter as text, or why it cannot be one.
fn param_scalar(name: &str, value: &Data) -> Result<String, ParamsError> {
    let what = match value {
        Data::String(s) => return Ok(s.clone()),
        Data::Bool(b) => return Ok(b.to_string()),
        Data::Integer(n) => return Ok(n.to_string()),
        Data::Null => "null",
        Data::Bytes(_) => "bytes",
        Data::Link(_) => "a CID link",
        Data::Array(_) => "an array inside an array",
        Data::Object(_) => "an object",
    };
    Err(ParamsError::new(
        name,
        &format!("{what} cannot be a query parameter (strings, booleans, integers and arrays of them can)"),
    ))
}

/// A parameter that cannot be sent in a query string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamsError {
    /// The parameter's name.
    pub name: String,
    /// What is wrong with it.
    pub message: String,
}

impl ParamsError {
    fn new(name: &str, message: &str) -> Self {
        ParamsError {
            name: name.to_owned(),
            message: message.to_owned(),
        }
    }
}

impl fmt::Display for ParamsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "query parameter `{}`: {}", self.name, self.message)
    }
}

impl std::error::Error for ParamsError {}

/// No parameters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoParams;

// Any parameters are ignored, as the XRPC rules allow.
impl<'de> Deserialize<'de> for NoParams {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        serde::de::IgnoredAny::deserialize(d).map(|_| NoParams)
    }
}

impl QueryParams for NoParams {
    fn to_query_pairs(&self) -> Vec<(&'static str, String)> {
        Vec::new()
    }
}

/// A parameter value: booleans as `true`/`false`, strings unquoted, arrays
/// as the same name repeated, absent values omitted.
/// A params struct's pairs, listed in a chain (what generated
/// `to_query_pairs` is): `.add(name, &self.field)` per parameter, in
/// lexicon order.
#[derive(Debug, Default)]
#[must_use = "call `end` to get the pairs"]
pub struct QueryPairs(Vec<(&'static str, String)>);

impl QueryPairs {
    /// No pairs yet.
    pub fn new() -> Self {
        QueryPairs(Vec::new())
    }

    /// Adds a parameter (nothing when it is an unset `Option`).
    pub fn add<V: QueryValue + ?Sized>(mut self, name: &'static str, value: &V) -> Self {
        value.push_query(name, &mut self.0);
        self
    }

    /// Adds an optional parameter with a schema default, which is sent
    /// explicitly when the field is unset (as the official client does).
    pub fn or<V: QueryValue>(
        mut self,
        name: &'static str,
        value: &Option<V>,
        default: &str,
    ) -> Self {
        match value {
            Some(v) => v.push_query(name, &mut self.0),
            None => self.0.push((name, default.to_owned())),
        }
        self
    }

    /// The pairs.
    pub fn end(self) -> Vec<(&'static str, String)> {
        self.0
    }
}

pub trait QueryValue {
    /// Appends this value under `name`.
    fn push_query(&self, name: &'static str, out: &mut Vec<(&'static str, String)>);
}

impl QueryValue for bool {
    fn push_query(&self, name: &'static str, out: &mut Vec<(&'static str, String)>) {
        out.push((name, self.to_string()));
    }
}

impl QueryValue for i64 {
    fn push_query(&self, name: &'static str, out: &mut Vec<(&'static str, String)>) {
        out.push((name, self.to_string()));
    }
}

impl QueryValue for String {
    fn push_query(&self, name: &'static str, out: &mut Vec<(&'static str, String)>) {
        out.push((name, self.clone()));
    }
}

impl QueryValue for super::types::Unknown {
    fn push_query(&self, name: &'static str, out: &mut Vec<(&'static str, String)>) {
        out.push((name, serde_json::to_string(&self.0).unwrap_or_default()));
    }
}

impl<T: QueryValue> QueryValue for Option<T> {
    fn push_query(&self, name: &'static str, out: &mut Vec<(&'static str, String)>) {
        if let Some(v) = self {
            v.push_query(name, out);
        }
    }
}

impl<T: QueryValue> QueryValue for Vec<T> {
    fn push_query(&self, name: &'static str, out: &mut Vec<(&'static str, String)>) {
        self.iter().for_each(|v| v.push_query(name, out));
    }
}

macro_rules! format_query_value {
    ($($t:ident),*) => {$(
        impl QueryValue for super::formats::$t {
            fn push_query(&self, name: &'static str, out: &mut Vec<(&'static str, String)>) {
                out.push((name, self.as_str().to_owned()));
            }
        }
    )*};
}

super::formats::for_each_format!(format_query_value);

/// Percent-encodes `(name, value)` pairs (RFC 3986 unreserved characters
/// are kept; everything else is `%XX`).
pub fn encode_query<N: AsRef<str>>(pairs: &[(N, String)]) -> String {
    let mut out = String::new();
    for (i, (name, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        percent_encode(name.as_ref(), &mut out);
        out.push('=');
        percent_encode(value, &mut out);
    }
    out
}

fn percent_encode(s: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        }
    }
}

/// A typed XRPC error: one variant per error the lexicon lists, plus a
/// fallback keeping any other name.
pub trait XrpcError: Sized {
    /// Builds the error from the body's `error` and `message`.
    fn from_parts(error: String, message: Option<String>) -> Self;
    /// The error name (`error` on the wire).
    fn name(&self) -> &str;
    /// The human-readable message, if any.
    fn message(&self) -> Option<&str>;

    /// Decodes an error response body; `None` when it is not an XRPC error
    /// body (clients must tolerate non-JSON error bodies).
    fn from_body(bytes: &[u8]) -> Option<Self> {
        let body: ErrorBody = serde_json::from_slice(bytes).ok()?;
        Some(Self::from_parts(body.error, body.message))
    }
}

/// The JSON error body, `{"error": "...", "message": "..."}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorBody {
    /// The error name.
    pub error: String,
    /// The message.
    pub message: Option<String>,
}

impl<'de> Deserialize<'de> for ErrorBody {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let map = super::de::object_map(d, "an XRPC error body", &super::validate::Path::Root)?;
        let error = match map.get("error") {
            Some(serde_json::Value::String(e))
                if !e.is_empty() && !e.contains(char::is_whitespace) =>
            {
                e.clone()
            }
            _ => {
                return Err(serde::de::Error::custom(
                    "`error` must be a name without whitespace",
                ))
            }
        };
        let message = match map.get("message") {
            None | Some(serde_json::Value::Null) => None,
            Some(serde_json::Value::String(m)) => Some(m.clone()),
            Some(_) => return Err(serde::de::Error::custom("`message` must be a string")),
        };
        Ok(ErrorBody { error, message })
    }
}

impl Serialize for ErrorBody {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("error", &self.error)?;
        if let Some(m) = &self.message {
            map.serialize_entry("message", m)?;
        }
        map.end()
    }
}

/// Deserializes a typed error from an error body (for generated `Deserialize`).
pub fn deserialize_error<'de, D: serde::Deserializer<'de>, E: XrpcError>(
    d: D,
) -> Result<E, D::Error> {
    ErrorBody::deserialize(d).map(|b| E::from_parts(b.error, b.message))
}

/// Serializes a typed error as an error body (for generated `Serialize`).
pub fn serialize_error<S: serde::Serializer, E: XrpcError>(e: &E, s: S) -> Result<S::Ok, S::Error> {
    ErrorBody {
        error: e.name().to_owned(),
        message: e.message().map(str::to_owned),
    }
    .serialize(s)
}

/// Formats a typed error as `Name: message`.
pub fn fmt_error<E: XrpcError>(e: &E, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    match e.message() {
        Some(m) => write!(f, "{}: {m}", e.name()),
        None => f.write_str(e.name()),
    }
}

/// Formats a non-XRPC error response as `HTTP 502: <start of body>`: enough
/// of the body to recognise it, not a whole HTML page. Shared by the clients.
pub fn fmt_http_error(status: u16, body: &[u8], f: &mut fmt::Formatter<'_>) -> fmt::Result {
    write!(f, "HTTP {status}")?;
    if !body.is_empty() {
        let text = String::from_utf8_lossy(body);
        let short: String = text.chars().take(200).collect();
        write!(f, ": {short}")?;
    }
    Ok(())
}

/// The URL of a call to `E` on the service at `base_url` (no trailing
/// `/`): `<base_url>/xrpc/<NSID>?<params>`. Shared by the clients.
///
/// # Errors
///
/// A parameter that cannot be sent (see [`QueryParams::query_pairs`]).
pub fn request_url<E: Endpoint>(base_url: &str, params: &E::Params) -> Result<String, ParamsError> {
    let query = params.to_query_string()?;
    let mut url = format!("{base_url}{}", E::path());
    if !query.is_empty() {
        url.push('?');
        url.push_str(&query);
    }
    Ok(url)
}

/// `base_url` without trailing slashes, so endpoint paths join with one.
pub fn trim_base_url(base_url: impl Into<String>) -> String {
    let mut base_url = base_url.into();
    while base_url.ends_with('/') {
        base_url.pop();
    }
    base_url
}

/// A permission set (`permission-set` lexicon), as metadata.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PermissionSet {
    /// The set's NSID.
    pub nsid: &'static str,
    /// Title, if any.
    pub title: Option<&'static str>,
    /// Detail text, if any.
    pub detail: Option<&'static str>,
    /// The permissions granted.
    pub permissions: &'static [Permission],
}

/// One permission of a set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Permission {
    /// `repo`, `rpc`, ...
    pub resource: &'static str,
    /// Collections (`repo`) or methods (`rpc`) it covers.
    pub targets: &'static [&'static str],
}
