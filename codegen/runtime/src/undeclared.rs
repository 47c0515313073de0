//! [`UndeclaredError`]: the one error type of every endpoint whose lexicon
//! lists no error names, so that generated crates do not carry an identical
//! enum, with its impls, per endpoint.

use super::xrpc::{deserialize_error, fmt_error, serialize_error, XrpcError};
use std::fmt;

/// The errors of an endpoint whose lexicon lists none: every error name
/// lands in `Other`. Generated crates name it `Error` in such an endpoint's
/// module (a type alias), so `Error::Other { error, message }` reads as it
/// does for endpoints that list names. Non-exhaustive: a lexicon may add
/// error names.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum UndeclaredError {
    /// An error name not listed in the lexicon.
    Other {
        /// The error name.
        error: String,
        /// The message, if any.
        message: Option<String>,
    },
}

impl XrpcError for UndeclaredError {
    fn from_parts(error: String, message: Option<String>) -> Self {
        UndeclaredError::Other { error, message }
    }
    fn name(&self) -> &str {
        match self {
            UndeclaredError::Other { error, .. } => error,
        }
    }
    fn message(&self) -> Option<&str> {
        match self {
            UndeclaredError::Other { message, .. } => message.as_deref(),
        }
    }
}

impl fmt::Display for UndeclaredError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_error(self, f)
    }
}

impl std::error::Error for UndeclaredError {}

impl<'de> serde::Deserialize<'de> for UndeclaredError {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        deserialize_error(d)
    }
}

impl serde::Serialize for UndeclaredError {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serialize_error(self, s)
    }
}
