//! Parsing lexicon text into the model while keeping the JSON path of any error.
//!
//! `Schema` is a tagged union; serde's derived internally-tagged enums buffer
//! their input and lose the error path below the tag. Instead each schema node
//! is captured as raw JSON text, its `type` read first, and the matching
//! variant parsed from that text with its own path tracker. The relative path
//! found inside travels up in the error message (see [`Nested`]) and is joined
//! to the outer path at the top.

use super::model::*;
use super::path::JsonPath;
use crate::suggest::did_you_mean;
use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;

/// A parse failure: where (JSON path from the document root) and what.
#[derive(Debug, Clone, PartialEq)]
pub struct ParseFailure {
    /// JSON path of the offending node.
    pub path: JsonPath,
    /// What was wrong, without any position suffix.
    pub message: String,
    /// Line and column from the JSON parser, for syntax errors only.
    pub position: Option<(usize, usize)>,
    /// A suggested fix.
    pub help: Option<String>,
}

/// Parses one lexicon document.
pub fn parse_document(text: &str) -> Result<LexiconDoc, ParseFailure> {
    let mut de = serde_json::Deserializer::from_str(text);
    let doc = serde_path_to_error::deserialize(&mut de);
    // Reject trailing garbage after the document, as serde_json::from_str does.
    if let (Ok(_), Err(e)) = (&doc, de.end()) {
        return Err(ParseFailure {
            path: JsonPath::root(),
            message: strip_position(&e.to_string()),
            position: Some((e.line(), e.column())),
            help: None,
        });
    }
    doc.map_err(|err| {
        let outer = JsonPath::from_serde(err.path());
        let inner = err.into_inner();
        let position = match inner.classify() {
            serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
                Some((inner.line(), inner.column()))
            }
            _ => None,
        };
        let nested = Nested::decode(&strip_position(&inner.to_string()));
        ParseFailure {
            path: outer.join(&nested.path),
            message: nested.message,
            position,
            help: nested.help,
        }
    })
}

/// An error raised below a schema node, carried through serde as a message.
struct Nested {
    path: JsonPath,
    message: String,
    help: Option<String>,
}

// Control characters cannot occur in serde_json's own messages, so they
// delimit the encoded fields unambiguously.
const MARK: char = '\u{1}';

impl Nested {
    fn encode(&self) -> String {
        let help = self.help.as_deref().unwrap_or("");
        format!("{MARK}{}{MARK}{help}{MARK}{}", self.path, self.message)
    }

    fn decode(message: &str) -> Nested {
        if let Some(rest) = message.strip_prefix(MARK) {
            let mut parts = rest.splitn(3, MARK);
            if let (Some(path), Some(help), Some(msg)) = (parts.next(), parts.next(), parts.next())
            {
                return Nested {
                    path: JsonPath::parse(path),
                    message: msg.to_string(),
                    help: (!help.is_empty()).then(|| help.to_string()),
                };
            }
        }
        Nested {
            path: JsonPath::root(),
            message: message.to_string(),
            help: None,
        }
    }
}

/// serde_json appends " at line L column C" to messages; positions inside a
/// re-parsed fragment are meaningless, so they are dropped (the caller locates
/// the path in the whole file instead).
fn strip_position(message: &str) -> String {
    let cut = message.rfind(" at line ").filter(|&i| {
        message
            .get(i..)
            .is_some_and(|tail| tail.contains(" column "))
    });
    match cut.and_then(|i| message.get(..i)) {
        Some(head) => head.to_string(),
        None => message.to_string(),
    }
}

/// Parses a fragment into `T`, returning the path relative to the fragment.
fn parse_fragment<T: DeserializeOwned>(text: &str) -> Result<T, Nested> {
    let mut de = serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(&mut de).map_err(|err| {
        let outer = JsonPath::from_serde(err.path());
        let nested = Nested::decode(&strip_position(&err.into_inner().to_string()));
        Nested {
            path: outer.join(&nested.path),
            message: nested.message,
            help: nested.help,
        }
    })
}

#[derive(Deserialize)]
struct TypeTag {
    #[serde(rename = "type")]
    type_: Option<serde_json::Value>,
}

fn parse_schema(text: &str) -> Result<Schema, Nested> {
    let tag: TypeTag = serde_json::from_str(text).map_err(|_| Nested {
        path: JsonPath::root(),
        message: "expected a schema object with a `type` field".to_string(),
        help: None,
    })?;
    let type_name = match tag.type_ {
        Some(serde_json::Value::String(s)) => s,
        Some(other) => {
            return Err(Nested {
                path: JsonPath::root().key("type"),
                message: format!("`type` must be a string, found {other}"),
                help: None,
            })
        }
        None => {
            return Err(Nested {
                path: JsonPath::root(),
                message: "missing field `type`".to_string(),
                help: Some(format!(
                    "every schema needs a `type`, one of: {}",
                    Schema::TYPE_NAMES.join(", ")
                )),
            })
        }
    };
    Ok(match type_name.as_str() {
        "boolean" => Schema::Boolean(parse_fragment(text)?),
        "integer" => Schema::Integer(parse_fragment(text)?),
        "string" => Schema::String(parse_fragment(text)?),
        "bytes" => Schema::Bytes(parse_fragment(text)?),
        "cid-link" => Schema::CidLink(parse_fragment(text)?),
        "blob" => Schema::Blob(parse_fragment(text)?),
        "array" => Schema::Array(parse_fragment(text)?),
        "object" => Schema::Object(parse_fragment(text)?),
        "params" => Schema::Params(parse_fragment(text)?),
        "token" => Schema::Token(parse_fragment(text)?),
        "ref" => Schema::Ref(parse_fragment(text)?),
        "union" => Schema::Union(parse_fragment(text)?),
        "unknown" => Schema::Unknown(parse_fragment(text)?),
        "record" => Schema::Record(parse_fragment(text)?),
        "query" => Schema::Query(parse_fragment(text)?),
        "procedure" => Schema::Procedure(parse_fragment(text)?),
        "subscription" => Schema::Subscription(parse_fragment(text)?),
        "permission-set" => Schema::PermissionSet(parse_fragment(text)?),
        "permission" => Schema::Permission(parse_fragment(text)?),
        other => {
            return Err(Nested {
                path: JsonPath::root().key("type"),
                message: format!("unknown type {other:?}"),
                help: did_you_mean(other, &Schema::TYPE_NAMES)
                    .map(|s| format!("did you mean {s:?}?")),
            })
        }
    })
}

impl<'de> Deserialize<'de> for Schema {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = Box::<RawValue>::deserialize(deserializer)?;
        parse_schema(raw.get()).map_err(|nested| D::Error::custom(nested.encode()))
    }
}
