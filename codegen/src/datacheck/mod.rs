//! Validation of JSON data against a lexicon def, without compiling
//! anything: what `lexgen validate` runs.
//!
//! It accepts and rejects exactly what the generated types accept and reject
//! when deserializing, because it applies the same code: the rule functions
//! of the runtime's `validate` module, [`Format::check`](crate::ir::Format::check),
//! and the runtime's own readers of strings, integers, booleans, blobs,
//! bytes, cid-links, `unknown` and union `$type`s. It walks the IR in the
//! order the generated deserializers work, so the first error it reports is
//! the one they report:
//!
//! ```
//! use atproto_lexgen::datacheck::Validator;
//! # let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/lexicons");
//! let ir = atproto_lexgen::Config::new().lexicons(dir).load_ir()?;
//! let v = Validator::new(&ir, "com.example.strings", None)?;
//! let err = v.validate_str(r#"{"text": "👍🏽e\u0301🇫🇷abcdefgh"}"#).unwrap_err();
//! // 27 UTF-8 bytes (maxLength 30 holds), but 11 grapheme clusters:
//! assert_eq!(err.to_string(), "text: maxGraphemes 10, got 11");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Agreement with the generated types, and its limits
//!
//! - [`Validator::validate_str`] reads keys in document order and sees
//!   duplicate keys, as `serde_json::from_str::<T>` does;
//!   [`Validator::validate_value`] sees a `serde_json::Value` (keys sorted,
//!   duplicates already merged), as `serde_json::from_value::<T>` does.
//! - Rule errors have the generated types' text: `path: rule`
//!   (`embed.images[2].alt: maxGraphemes 1000, got 1001`). For serde's
//!   structural errors the generated types say `invalid type: integer \`1\`,
//!   expected a string at \`text\``; this module says `text: invalid type:
//!   integer \`1\`, expected a string`. Same path, same verdict.
//! - A document that is not JSON is a syntax error here; the generated types
//!   stream and may report a rule error found before the syntax error.
//! - A named def of a non-object type with rules (`"shortText": {"type":
//!   "string", "maxGraphemes": 5}`) is a newtype in the generated crate that
//!   checks them as it is read, wherever it is used; this module checks them
//!   at the same moment.

mod closure;
pub mod input;
mod json;
mod json_de;
mod target;
mod walk;

pub use closure::{load_for_def, DefLexicons};
pub use json::Json;
pub use target::{Body, DefError};

use crate::ir::{Ir, Shape, TypeId};
use crate::runtime::validate::{Path, ValidationError};
use serde_json::Value;
use std::fmt;

/// Checks data against one def (or one body of an endpoint).
#[derive(Debug, Clone)]
pub struct Validator<'ir> {
    ir: &'ir Ir,
    root: Shape,
    name: String,
}

impl<'ir> Validator<'ir> {
    /// A validator for `NSID` or `NSID#name`. For a query, procedure or
    /// subscription, `body` picks the data (default: a query's output, a
    /// procedure's input, a subscription's message); it is an error for
    /// other defs.
    pub fn new(ir: &'ir Ir, def: &str, body: Option<Body>) -> Result<Self, DefError> {
        let (root, name) = target::resolve(ir, def, body)?;
        Ok(Validator { ir, root, name })
    }

    /// A validator for a type of the IR.
    pub fn for_type(ir: &'ir Ir, id: TypeId) -> Result<Self, DefError> {
        let def = ir.ty(id);
        let name = match def.type_tag.as_str() {
            "" => def.name.clone(),
            tag => tag.to_owned(),
        };
        let root = target::type_shape(ir, id, &name)?;
        Ok(Validator { ir, root, name })
    }

    /// What is validated (`com.example.query output`, `app.bsky.feed.post`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Checks a parsed value (as `serde_json::from_value` into the type would).
    pub fn validate_value(&self, value: &Value) -> Result<(), ValidationError> {
        self.validate_json(&Json::from(value))
    }

    /// Checks a value that kept its document order and duplicate keys.
    pub fn validate_json(&self, json: &Json) -> Result<(), ValidationError> {
        walk::Walker { ir: self.ir }.root(&self.root, json, &Path::Root)
    }

    /// Parses and checks a JSON document (as `serde_json::from_str` into the
    /// type would).
    pub fn validate_str(&self, text: &str) -> Result<(), DataError> {
        let json: Json = serde_json::from_str(text).map_err(DataError::Syntax)?;
        self.validate_json(&json).map_err(DataError::Invalid)
    }
}

/// Why a document is not valid data.
#[derive(Debug)]
pub enum DataError {
    /// It is not JSON.
    Syntax(serde_json::Error),
    /// It breaks a rule of the def.
    Invalid(ValidationError),
}

impl DataError {
    /// The rule broken, if the document is JSON.
    pub fn validation(&self) -> Option<&ValidationError> {
        match self {
            DataError::Invalid(e) => Some(e),
            DataError::Syntax(_) => None,
        }
    }
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DataError::Syntax(e) => write!(f, "not JSON: {e}"),
            DataError::Invalid(e) => fmt::Display::fmt(e, f),
        }
    }
}

impl std::error::Error for DataError {}
