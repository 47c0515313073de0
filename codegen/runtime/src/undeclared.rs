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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_lands_in_other_and_round_trips() {
        let body = br#"{"error":"RateLimitExceeded","message":"slow down"}"#;
        let e = UndeclaredError::from_body(body).expect("an XRPC error body");
        assert_eq!(
            e,
            UndeclaredError::Other {
                error: "RateLimitExceeded".into(),
                message: Some("slow down".into()),
            }
        );
        assert_eq!(
            (e.name(), e.message()),
            ("RateLimitExceeded", Some("slow down"))
        );
        assert_eq!(e.to_string(), "RateLimitExceeded: slow down");
        let json = serde_json::to_value(&e).expect("serialize");
        assert_eq!(
            json,
            serde_json::json!({"error": "RateLimitExceeded", "message": "slow down"})
        );
        let back: UndeclaredError = serde_json::from_value(json).expect("deserialize");
        assert_eq!(back, e);
    }
}
