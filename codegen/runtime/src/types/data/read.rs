//! Reading a [`Data`], from any serde format (JSON text, CBOR through
//! serde, a `serde_json::Value`) or from a `serde_json::Value` directly,
//! with the data-model rules checked as it goes: integers only (an
//! integer-valued float such as `1.0` or `1e3` is the integer, as in
//! JavaScript; `1.5` is an error) and within 64 signed bits, `$type` a non-empty string, `{"$link": <cid>}` and `{"$bytes":
//! <base64>}` exactly, and `"$type": "blob"` objects complete blobs. Errors
//! name the path of the value that broke the rule.
//!
//! Members are read before their object's own rules are checked, by every
//! reader alike, so all of them report the same first error.

use super::super::super::de::{error, At, DeserializeAt, Expecting, Key};
use super::super::super::formats::Cid;
use super::super::super::validate::{integer_value, messages, Path, ValidationError};
use super::super::{base64_decode, Blob};
use super::{Data, Object};
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::fmt;
use std::str::FromStr;

impl<'de> DeserializeAt<'de> for Data {
    fn deserialize_at<D: Deserializer<'de>>(d: D, path: &Path<'_>) -> Result<Self, D::Error> {
        d.deserialize_any(DataVisitor(path))
    }
}

struct DataVisitor<'p>(&'p Path<'p>);

impl<'de> Visitor<'de> for DataVisitor<'_> {
    type Value = Data;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&Expecting("a data-model value", self.0), f)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Data, E> {
        Ok(Data::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Data, E> {
        Ok(Data::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Data, D::Error> {
        Data::deserialize_at(d, self.0)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Data, E> {
        Ok(Data::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Data, E> {
        Ok(Data::Integer(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Data, E> {
        i64::try_from(v)
            .map(Data::Integer)
            .map_err(|_| error(self.0, messages::integer_out_of_range(v)))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Data, E> {
        float_integer(v)
            .map(Data::Integer)
            .map_err(|rule| error(self.0, rule))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Data, E> {
        Ok(Data::String(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Data, E> {
        Ok(Data::String(v))
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Data, E> {
        Ok(Data::Bytes(v.to_vec()))
    }
    fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<Data, E> {
        Ok(Data::Bytes(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Data, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        loop {
            let path = self.0.index(out.len());
            match seq.next_element_seed(At::<Data>::new(&path))? {
                Some(v) => out.push(v),
                None => return Ok(Data::Array(out)),
            }
        }
    }
    /// A nested object: a repeated key keeps its last value, as
    /// `serde_json::Value` does (and so `lexgen validate`, which reads
    /// nested data through it); the objects that generated types read
    /// directly ([`read_object`], unknown fields) reject repeated keys.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Data, A::Error> {
        let mut members = Object::new();
        while let Some(key) = map.next_key::<Key<'de>>()? {
            let value = map.next_value_seed(At::<Data>::new(&self.0.key(key.as_str())))?;
            members.insert(key.into_string(), value);
        }
        finish_object(members, self.0).map_err(de::Error::custom)
    }
}

/// Reads an object's members (each checked as [`Data`]; duplicate keys
/// rejected), leaving the object's own rules to the caller: `unknown`,
/// blobs, links and bytes each have theirs. `what` names the expected
/// value in the error for a non-object.
pub(crate) fn read_object<'de, D: Deserializer<'de>>(
    d: D,
    what: &'static str,
    path: &Path<'_>,
) -> Result<Object, D::Error> {
    d.deserialize_map(ObjectVisitor(what, path))
}

struct ObjectVisitor<'p>(&'static str, &'p Path<'p>);

impl<'de> Visitor<'de> for ObjectVisitor<'_> {
    type Value = Object;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&Expecting(self.0, self.1), f)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Object, A::Error> {
        members(map, self.1)
    }
}

fn members<'de, A: MapAccess<'de>>(mut map: A, path: &Path<'_>) -> Result<Object, A::Error> {
    let mut out = Object::new();
    while let Some(key) = map.next_key::<Key<'de>>()? {
        let value = map.next_value_seed(At::<Data>::new(&path.key(key.as_str())))?;
        insert_member(&mut out, key.into_string(), value, path)?;
    }
    Ok(out)
}

/// Inserts a member read from the input, rejecting a duplicate key.
pub(crate) fn insert_member<E: de::Error>(
    map: &mut Object,
    key: String,
    value: Data,
    path: &Path<'_>,
) -> Result<(), E> {
    match map.entry(key) {
        std::collections::btree_map::Entry::Vacant(slot) => {
            slot.insert(value);
            Ok(())
        }
        std::collections::btree_map::Entry::Occupied(slot) => {
            Err(error(&path.key(slot.key()), messages::DUPLICATE_KEY))
        }
    }
}

/// An object's own rules, once its members are read: `$type` (and blobs),
/// then `{"$link": ...}` and `{"$bytes": ...}`, which become [`Data::Link`]
/// and [`Data::Bytes`].
pub(crate) fn finish_object(map: Object, path: &Path<'_>) -> Result<Data, ValidationError> {
    check_type_member(&map, path)?;
    if map.contains_key("$link") {
        return link_of(&map, path).map(Data::Link);
    }
    if map.contains_key("$bytes") {
        return bytes_of(&map, path).map(Data::Bytes);
    }
    Ok(Data::Object(map))
}

/// `$type`, where present, is a non-empty string; `"$type": "blob"` makes
/// the object a blob, with all of a blob's rules.
pub(crate) fn check_type_member(map: &Object, path: &Path<'_>) -> Result<(), ValidationError> {
    match map.get("$type") {
        None => Ok(()),
        Some(Data::String(tag)) if tag == "blob" => Blob::from_object(map, path).map(drop),
        Some(Data::String(tag)) if !tag.is_empty() => Ok(()),
        Some(_) => Err(ValidationError::new(
            &path.key("$type"),
            messages::TYPE_NOT_STRING,
        )),
    }
}

/// `{"$link": "<cid>"}` and nothing else.
fn link_of(map: &Object, path: &Path<'_>) -> Result<Cid, ValidationError> {
    match (map.get("$link"), map.len()) {
        (Some(Data::String(s)), 1) => {
            Cid::from_str(s).map_err(|e| ValidationError::new(&path.key("$link"), e.to_string()))
        }
        _ => Err(ValidationError::new(path, LINK_SHAPE)),
    }
}

/// `{"$bytes": "<base64>"}` and nothing else.
fn bytes_of(map: &Object, path: &Path<'_>) -> Result<Vec<u8>, ValidationError> {
    match (map.get("$bytes"), map.len()) {
        (Some(Data::String(s)), 1) => base64_decode(s).ok_or_else(|| {
            ValidationError::new(
                &path.key("$bytes"),
                "invalid base64 (standard alphabet expected)",
            )
        }),
        _ => Err(ValidationError::new(path, BYTES_SHAPE)),
    }
}

/// The error for an object that should be a `$link` and is not.
pub(crate) const LINK_SHAPE: &str = "expected {\"$link\": \"<cid>\"} and nothing else";
/// The error for an object that should be `$bytes` and is not.
pub(crate) const BYTES_SHAPE: &str = "expected {\"$bytes\": \"<base64>\"} and nothing else";

/// Reads a `serde_json::Value` (see [`Data::from_json`]).
pub(crate) fn from_json_at(value: &Value, path: &Path<'_>) -> Result<Data, ValidationError> {
    Ok(match value {
        Value::Null => Data::Null,
        Value::Bool(b) => Data::Bool(*b),
        Value::Number(n) => {
            Data::Integer(json_integer(n).map_err(|r| ValidationError::new(path, r))?)
        }
        Value::String(s) => Data::String(s.clone()),
        Value::Array(items) => Data::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, v)| from_json_at(v, &path.index(i)))
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(map) => finish_object(object_from_json(map, path)?, path)?,
    })
}

/// The members of a JSON object, each read as [`Data`] (the object's own
/// rules left to the caller, as [`read_object`] does).
pub(crate) fn object_from_json(
    map: &Map<String, Value>,
    path: &Path<'_>,
) -> Result<Object, ValidationError> {
    map.iter()
        .map(|(k, v)| Ok((k.clone(), from_json_at(v, &path.key(k))?)))
        .collect()
}

fn json_integer(n: &Number) -> Result<i64, String> {
    match (n.as_i64(), n.as_u64(), n.as_f64()) {
        (Some(i), _, _) => Ok(i),
        (None, Some(u), _) => Err(messages::integer_out_of_range(u)),
        (None, None, Some(f)) => float_integer(f),
        (None, None, None) => Err(format!("{n} is not a 64-bit signed integer")),
    }
}

/// The integer an integer-valued float stands for (see
/// [`integer_value`]), or why there is none.
fn float_integer(v: f64) -> Result<i64, String> {
    Number::from_f64(v)
        .as_ref()
        .and_then(integer_value)
        .ok_or_else(|| {
            messages::float_out_of_range(v).unwrap_or_else(|| {
                format!("{v} is not a 64-bit signed integer (the data model has no floats)")
            })
        })
}
