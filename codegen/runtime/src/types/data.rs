//! [`Data`]: one value of the atproto data model, the common ground of its
//! JSON and DAG-CBOR forms, and what the generated types hold wherever the
//! lexicons leave data open (`unknown`, unknown fields, unknown members of
//! open unions). JSON spells bytes `{"$bytes": "<base64>"}` and links
//! `{"$link": "<cid>"}`; here they are their own variants, so a value read
//! from either form writes back to either form unchanged.
//!
//! Reading (JSON text, a `serde_json::Value`, any serde format) checks the
//! data-model rules as it goes, with the path of the first broken one (see
//! `read.rs`); conversions and accessors are in `convert.rs`.

use super::super::formats::Cid;
use super::super::validate::{Path, Validate, ValidationError};
use super::{base64_encode, Blob};
use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fmt;

mod convert;
mod read;

pub(crate) use read::{
    finish_object, from_json_at, insert_member, object_from_json, read_object, BYTES_SHAPE,
    LINK_SHAPE,
};

/// The members of a data-model object, sorted by key.
///
/// Key order, not input order: the data model's objects are unordered, so
/// two values that differ only in member order are equal and write the same
/// JSON; DAG-CBOR writes its own canonical order (shorter keys first) from
/// any map. An empty map does not allocate.
pub type Object = BTreeMap<String, Data>;

/// The unknown fields of a generated struct (members its lexicon does not
/// describe), kept so data survives a round trip: an [`Object`], so they
/// write back in key order after the known fields, and an empty one costs
/// nothing.
pub type Extra = Object;

/// A data-model value. There are no floats; integers are 64-bit signed;
/// object keys are strings. A blob is an object (`"$type": "blob"`, see
/// [`Data::as_blob`]), checked like every blob when read.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum Data {
    /// `null`.
    #[default]
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A 64-bit signed integer.
    Integer(i64),
    /// A UTF-8 string.
    String(String),
    /// Raw bytes (`$bytes` in JSON, a byte string in CBOR).
    Bytes(Vec<u8>),
    /// A CID link (`$link` in JSON, tag 42 in CBOR).
    Link(Cid),
    /// An array.
    Array(Vec<Data>),
    /// An object (map with string keys). It never holds a `$bytes` or
    /// `$link` key: those objects are [`Data::Bytes`] and [`Data::Link`].
    Object(Object),
}

impl Data {
    /// Reads a `serde_json::Value`, checking the data-model rules (integers
    /// only and in range, well-formed `$bytes`/`$link`/blob objects, string
    /// `$type`): the explicit way in from `serde_json`.
    ///
    /// # Errors
    ///
    /// A [`ValidationError`] naming the path of the first broken rule.
    pub fn from_json(value: &Value) -> Result<Data, ValidationError> {
        read::from_json_at(value, &Path::Root)
    }

    /// The JSON form as a `serde_json::Value`: the explicit way out to
    /// `serde_json`.
    #[must_use]
    pub fn to_json(&self) -> Value {
        match self {
            Data::Null => Value::Null,
            Data::Bool(b) => Value::Bool(*b),
            Data::Integer(i) => Value::from(*i),
            Data::String(s) => Value::String(s.clone()),
            Data::Bytes(b) => one_key("$bytes", base64_encode(b)),
            Data::Link(cid) => one_key("$link", cid.as_str().to_owned()),
            Data::Array(items) => Value::Array(items.iter().map(Data::to_json).collect()),
            Data::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), v.to_json()))
                    .collect::<Map<_, _>>(),
            ),
        }
    }

    /// The blob this object is (`"$type": "blob"` or the legacy form).
    #[must_use]
    pub fn as_blob(&self) -> Option<Blob> {
        match self {
            Data::Object(map) => Blob::from_object(map, &Path::Root).ok(),
            _ => None,
        }
    }

    /// The `$type` of an object, if it has a string one.
    #[must_use]
    pub fn type_tag(&self) -> Option<&str> {
        self.get("$type").and_then(Data::as_str)
    }
}

fn one_key(key: &str, value: String) -> Value {
    let mut map = Map::new();
    map.insert(key.to_owned(), Value::String(value));
    Value::Object(map)
}

/// Serializes the JSON form (`$bytes` and `$link` objects); the DAG-CBOR
/// writer turns those back into byte strings and tag 42.
impl Serialize for Data {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Data::Null => s.serialize_unit(),
            Data::Bool(b) => s.serialize_bool(*b),
            Data::Integer(i) => s.serialize_i64(*i),
            Data::String(v) => s.serialize_str(v),
            Data::Bytes(b) => {
                let mut map = s.serialize_map(Some(1))?;
                map.serialize_entry("$bytes", &base64_encode(b))?;
                map.end()
            }
            Data::Link(cid) => {
                let mut map = s.serialize_map(Some(1))?;
                map.serialize_entry("$link", cid.as_str())?;
                map.end()
            }
            Data::Array(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                items.iter().try_for_each(|i| seq.serialize_element(i))?;
                seq.end()
            }
            Data::Object(entries) => {
                let mut map = s.serialize_map(Some(entries.len()))?;
                entries
                    .iter()
                    .try_for_each(|(k, v)| map.serialize_entry(k, v))?;
                map.end()
            }
        }
    }
}

/// The JSON text.
impl fmt::Display for Data {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = serde_json::to_string(self).map_err(|_| fmt::Error)?;
        f.write_str(&text)
    }
}

/// The rules reading checks, for values built in code: `$type` is a
/// non-empty string, `"$type": "blob"` objects are complete blobs, and no
/// object holds `$bytes` or `$link`.
impl Validate for Data {
    fn validate_at(&self, path: &Path<'_>) -> Result<(), ValidationError> {
        match self {
            Data::Array(items) => items.validate_at(path),
            Data::Object(map) => validate_object(map, path),
            _ => Ok(()),
        }
    }
}

/// The data-model rules of an object built in code, then of its members:
/// `$type`, where present, is a non-empty string; a `"$type": "blob"` object
/// is a complete blob; and no object holds `$bytes` or `$link`, since its
/// JSON form would read back as bytes or a link ([`Data::Bytes`] and
/// [`Data::Link`] are those).
pub(crate) fn validate_object(map: &Object, path: &Path<'_>) -> Result<(), ValidationError> {
    read::check_type_member(map, path)?;
    if let Some(key) = ["$bytes", "$link"]
        .into_iter()
        .find(|k| map.contains_key(*k))
    {
        return Err(ValidationError::new(
            &path.key(key),
            format!("`{key}` is reserved for the JSON form of bytes and links"),
        ));
    }
    map.iter()
        .try_for_each(|(k, v)| v.validate_at(&path.key(k)))
}

#[cfg(test)]
mod tests;
