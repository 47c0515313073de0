//! Helpers for the XRPC client tests (the `client` feature of `atproto-types`).

use atproto_types::client_blocking::{ureq, Client};
use atproto_types::formats::Nsid;
use atproto_types::types::Unknown;
use atproto_types::validate::Validate;
use std::time::Duration;

/// A 1×1 RGBA PNG (70 bytes).
pub const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0x64, 0x60, 0xf8, 0x5f,
    0x0f, 0x00, 0x02, 0x87, 0x01, 0x80, 0xeb, 0x47, 0xba, 0x92, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

/// A client that ignores proxy variables (the server is on loopback).
pub fn client(base_url: &str) -> Client {
    let config = ureq::Agent::config_builder()
        .proxy(None)
        .timeout_global(Some(Duration::from_secs(60)))
        .build();
    Client::with_agent(base_url, ureq::Agent::new_with_config(config))
}

/// A record read back as `unknown`, typed and validated.
pub fn typed<T: serde::de::DeserializeOwned + Validate>(what: &str, value: &Unknown) -> T {
    let record: T = value
        .to_typed()
        .unwrap_or_else(|e| panic!("{what}: the record read back does not decode: {e}"));
    record
        .validate()
        .unwrap_or_else(|e| panic!("{what}: the record read back does not validate: {e}"));
    record
}

/// A valid NSID.
pub fn nsid(s: &str) -> Nsid {
    Nsid::new(s).expect("valid NSID")
}

/// `ratelimit-*` headers a test server sends with a 429.
pub const RATE_LIMIT_HEADERS: &[(&str, &str)] = &[
    ("ratelimit-limit", "100"),
    ("ratelimit-remaining", "0"),
    ("ratelimit-reset", "1700000000"),
    ("ratelimit-policy", "100;w=300"),
];

/// Checks that a client read [`RATE_LIMIT_HEADERS`] back.
pub fn assert_rate_limit_headers(limit: Option<&atproto_types::xrpc::RateLimit>) {
    let limit = limit.expect("the rate-limit headers on the error");
    assert_eq!(
        (
            limit.limit,
            limit.remaining,
            limit.reset,
            limit.policy.as_deref()
        ),
        (Some(100), Some(0), Some(1_700_000_000), Some("100;w=300"))
    );
}
