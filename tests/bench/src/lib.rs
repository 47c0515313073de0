//! Inputs shared by the benchmarks.

use serde::Deserialize;

/// Eight valid handles of different shapes.
pub const HANDLES: [&str; 8] = [
    "alice.bsky.social",
    "bob.test",
    "xn--ls8h.example.com",
    "JOHN.Example.COM",
    "my-handle.bsky.team",
    "a.b.c.d.e.f.g.example.net",
    "123numeric.start.org",
    "very-long-subdomain-label-with-hyphens.and.more.labels.example.co.uk",
];

/// Eight valid DIDs of different methods and lengths.
pub const DIDS: [&str; 8] = [
    "did:plc:z72i7hdynmk6r22z27h6tvur",
    "did:web:example.com",
    "did:web:localhost%3A8080",
    "did:plc:ewvi7nxzyoun6zhxrhs64oiz",
    "did:key:zQ3shunBKsXixLxKtC5qeSG9E4J5RkGN57im31pcTzbNQnm5w",
    "did:example:123456789abcdefghi",
    "did:web:sub.domain.example.org",
    "did:plc:abcdefghijklmnopqrstuvwx",
];

/// The `response.body` of the createSession example in the seeds.
pub const CREATE_SESSION_OUTPUT: &str = include_str!("../data/createSession-output.json");

/// The floor: the createSession output as plain strings, no validation.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlainOutput {
    pub access_jwt: String,
    pub refresh_jwt: String,
    pub handle: String,
    pub did: String,
    pub did_doc: Option<serde_json::Value>,
    pub email: Option<String>,
    pub email_confirmed: Option<bool>,
    pub email_auth_factor: Option<bool>,
    pub active: Option<bool>,
    pub status: Option<String>,
}

/// The lexicon corpus of the repository.
pub fn lexicons_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../lexicons")
}

pub mod car;
pub mod cases;
pub mod posts;
pub mod rounds;
