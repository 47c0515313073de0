//! The contenders of each comparison, shared by `ratios` (the run-time
//! figures alone) and `table` (everything, as one markdown table). Each
//! case lists lexgen first: ratios are to lexgen.

use crate::rounds::{batched, Round};
use crate::{PlainOutput, CREATE_SESSION_OUTPUT};
use serde::de::IgnoredAny;
use serde_json::Value;

type OursSession = atproto_types::com::atproto::server::create_session::Output;
type AtriumSession = atrium_api::com::atproto::server::create_session::Output;
type OursPost = atproto_types::app::bsky::feed::post::Record;
type AtriumPost = atrium_api::app::bsky::feed::post::Record;
type JacquardPost = jacquard_api::app_bsky::feed::post::Post;

/// A comparison: its name and contenders.
pub type Case<'a> = (&'static str, Vec<(&'static str, Round<'a>)>);

/// A round parsing the list from owned `String`s with `parse`.
fn parse_list<'a, T: 'a>(list: &'a [&'a str], parse: fn(String) -> T) -> Round<'a> {
    batched(
        20_000,
        list.len(),
        move || {
            list.iter()
                .map(|s| (*s).to_owned())
                .collect::<Vec<String>>()
        },
        move |strings| strings.into_iter().map(parse).collect::<Vec<T>>(),
    )
}

/// `Handle` from owned `String`s (8 mixed): lexgen, atrium, jacquard, and
/// the floor (moving the `String`).
pub fn handles(list: &'static [&'static str]) -> Case<'static> {
    use jacquard_common::types::handle::Handle as Jacquard;
    (
        "Handle from String (8 mixed), ns/value",
        vec![
            (
                "lexgen",
                parse_list(list, |s| {
                    atproto_types::formats::Handle::new(s).expect("valid")
                }),
            ),
            (
                "atrium",
                parse_list(list, |s| {
                    atrium_api::types::string::Handle::new(s).expect("valid")
                }),
            ),
            (
                "jacquard",
                parse_list(list, |s| Jacquard::<String>::new_owned(s).expect("valid")),
            ),
            ("floor: move", parse_list(list, |s| s)),
        ],
    )
}

/// `Did` from owned `String`s (8 mixed).
pub fn dids(list: &'static [&'static str]) -> Case<'static> {
    use jacquard_common::types::did::Did as Jacquard;
    (
        "Did from String (8 mixed), ns/value",
        vec![
            (
                "lexgen",
                parse_list(list, |s| {
                    atproto_types::formats::Did::new(s).expect("valid")
                }),
            ),
            (
                "atrium",
                parse_list(list, |s| {
                    atrium_api::types::string::Did::new(s).expect("valid")
                }),
            ),
            (
                "jacquard",
                parse_list(list, |s| Jacquard::<String>::new(s).expect("valid")),
            ),
            ("floor: move", parse_list(list, |s| s)),
        ],
    )
}

/// The createSession output, deserialized (validated for lexgen).
pub fn create_session() -> Case<'static> {
    let de = |f: fn(&str) -> Box<dyn std::any::Any>| batched(2_000, 1, || CREATE_SESSION_OUTPUT, f);
    (
        "createSession Output deserialize, ns/op",
        vec![
            (
                "lexgen",
                de(|j| Box::new(serde_json::from_str::<OursSession>(j).expect("valid"))),
            ),
            (
                "atrium",
                de(|j| Box::new(serde_json::from_str::<AtriumSession>(j).expect("valid"))),
            ),
            (
                "floor: plain struct",
                de(|j| Box::new(serde_json::from_str::<PlainOutput>(j).expect("valid"))),
            ),
        ],
    )
}

/// A round decoding every line of `lines` into `T`.
fn decode_all<'a, T: 'a>(lines: &'a [&'a str], decode: fn(&str) -> T) -> Round<'a> {
    batched(
        1,
        lines.len(),
        || (),
        move |()| lines.iter().map(|l| decode(l)).collect::<Vec<T>>(),
    )
}

/// The posts workload, one record per line: lexgen decodes and validates
/// every rule; atrium and jacquard decode their typed records; the floors
/// are an untyped parse and a parse that keeps nothing.
pub fn decode_posts<'a>(lines: &'a [&'a str]) -> Case<'a> {
    (
        "10,000 posts: decode (JSON Lines, per line), ns/record",
        vec![
            (
                "lexgen (validated)",
                decode_all(lines, |l| {
                    serde_json::from_str::<OursPost>(l).expect("valid")
                }),
            ),
            (
                "atrium",
                decode_all(lines, |l| {
                    serde_json::from_str::<AtriumPost>(l).expect("valid")
                }),
            ),
            (
                "jacquard (owned)",
                decode_all(lines, |l| {
                    serde_json::from_str::<JacquardPost>(l).expect("valid")
                }),
            ),
            (
                "floor: Value",
                decode_all(lines, |l| serde_json::from_str::<Value>(l).expect("valid")),
            ),
            (
                "floor: IgnoredAny",
                decode_all(lines, |l| {
                    serde_json::from_str::<IgnoredAny>(l).expect("valid")
                }),
            ),
        ],
    )
}

/// Decoded posts of every peer, for the serialization case.
pub struct Decoded {
    ours: Vec<OursPost>,
    atrium: Vec<AtriumPost>,
    jacquard: Vec<JacquardPost>,
    value: Vec<Value>,
}

impl Decoded {
    pub fn new(lines: &[&str]) -> Self {
        fn all<T: serde::de::DeserializeOwned>(lines: &[&str]) -> Vec<T> {
            lines
                .iter()
                .map(|l| serde_json::from_str(l).expect("valid"))
                .collect()
        }
        Decoded {
            ours: all(lines),
            atrium: all(lines),
            jacquard: all(lines),
            value: all(lines),
        }
    }
}

/// A round serializing every record of `records` to a JSON string.
fn serialize_all<T: serde::Serialize>(records: &[T]) -> Round<'_> {
    batched(
        1,
        records.len(),
        || (),
        move |()| {
            records
                .iter()
                .map(|r| serde_json::to_string(r).expect("serializes"))
                .collect::<Vec<_>>()
        },
    )
}

/// The posts, serialized back to JSON, one string per record.
pub fn serialize_posts(decoded: &Decoded) -> Case<'_> {
    (
        "10,000 posts: serialize (to a String each), ns/record",
        vec![
            ("lexgen", serialize_all(&decoded.ours)),
            ("atrium", serialize_all(&decoded.atrium)),
            ("jacquard", serialize_all(&decoded.jacquard)),
            ("floor: Value", serialize_all(&decoded.value)),
        ],
    )
}
