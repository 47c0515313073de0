//! Application code written against `com.example.evo.*` as generated from
//! `tests/evolution/v1`. `tests/evolution.rs` compiles it against v1, then
//! against v2 (which adds, as the Lexicon evolution rules allow, an optional
//! property, a union member, a known value, a param and an error): it must
//! compile unchanged against both. It builds every kind of value through the
//! construction API and matches every kind of enum, as an app would.

use evo_types::com::example::evo::{list, post};
use evo_types::formats::{Datetime, Did, Language};
use evo_types::xrpc::XrpcError;

/// A record: required fields in `new`, optional ones by name.
pub fn build_post(did: Did) -> post::Record {
    post::Record::new("hello", Datetime::now())
        .with_lang("en".parse::<Language>().expect("language"))
        .with_mood(post::RecordMood::Happy)
        .with_features(vec![post::Mention::new(did).into()])
}

/// Query params with no required field: `Default` plus setters.
pub fn params() -> list::Params {
    list::Params::default().with_limit(10)
}

/// An open union: a catch-all arm, because members can be added.
pub fn describe(feature: &post::RecordFeaturesItem) -> String {
    match feature {
        post::RecordFeaturesItem::Mention(m) => format!("mention of {}", m.did),
        other => format!("something else: {}", other.type_tag()),
    }
}

/// knownValues: a catch-all arm, because values can be added.
pub fn mood(record: &post::Record) -> &'static str {
    match &record.mood {
        Some(post::RecordMood::Happy) => ":)",
        Some(post::RecordMood::Sad) => ":(",
        Some(_) => ":|",
        None => "",
    }
}

/// Errors: a catch-all arm, because error names can be added.
pub fn retry(error: &list::Error) -> bool {
    match error {
        list::Error::NotFound { .. } => false,
        other => other.name() != "Fatal",
    }
}

/// Reading fields is unchanged by new optional ones.
pub fn summary(output: &list::Output) -> Vec<&str> {
    output.posts.iter().map(|p| p.text.as_str()).collect()
}
