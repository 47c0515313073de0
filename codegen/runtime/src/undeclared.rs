//! [`UndeclaredError`]: the one error type of every endpoint whose lexicon
//! lists no error names, so that generated crates do not carry an identical
//! enum, with its impls, per endpoint.

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

// The impls every generated error enum gets, with no listed names.
crate::__lexgen_error_impls!(UndeclaredError {});

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xrpc::XrpcError;

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
