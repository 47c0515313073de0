//! Blobs read as a stream. A fast path takes the standard form (`$type`,
//! `ref`, `mimeType`, `size`, each once, in any order) straight into a
//! [`Blob`] without building a map of its members; anything else (the
//! legacy form, a missing or extra key, a duplicate, a value of another
//! type, a bad CID) goes to [`Blob::from_object`] on the object as
//! [`super::object_map`] reads it, which names the broken rule. So the
//! rules live in one place and both paths accept and reject the same data.

use super::{insert_new, read_entries, Expecting, Key};
use crate::formats::Cid;
use crate::types::Blob;
use crate::validate::{integer_value, Path};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::{Map, Value};
use std::fmt;
use std::str::FromStr;

/// Deserializes a blob (the `DeserializeAt` of [`Blob`]).
pub fn read_blob<'de, D: Deserializer<'de>>(d: D, path: &Path<'_>) -> Result<Blob, D::Error> {
    d.deserialize_map(BlobVisitor(path))
}

struct BlobVisitor<'p>(&'p Path<'p>);

/// A member value: a string (borrowed when possible), or any other value.
enum Probe<'de> {
    Str(Key<'de>),
    Other(Value),
}

impl Probe<'_> {
    fn into_value(self) -> Value {
        match self {
            Probe::Str(s) => Value::String(s.into_string()),
            Probe::Other(v) => v,
        }
    }
}

/// The standard blob's members, as read so far.
#[derive(Default)]
struct Slots<'de> {
    type_: Option<Probe<'de>>,
    ref_: Option<Probe<'de>>,
    mime_type: Option<Probe<'de>>,
    size: Option<Probe<'de>>,
}

impl<'de> Slots<'de> {
    fn slot(&mut self, key: &str) -> Option<&mut Option<Probe<'de>>> {
        match key {
            "$type" => Some(&mut self.type_),
            "ref" => Some(&mut self.ref_),
            "mimeType" => Some(&mut self.mime_type),
            "size" => Some(&mut self.size),
            _ => None,
        }
    }

    /// The blob, when every member is there and certainly valid.
    fn fast(&self) -> Option<Blob> {
        let (Some(Probe::Str(tag)), Some(Probe::Str(mime))) = (&self.type_, &self.mime_type) else {
            return None;
        };
        let Some(Probe::Other(Value::Object(link))) = &self.ref_ else {
            return None;
        };
        let Some(Probe::Other(Value::Number(size))) = &self.size else {
            return None;
        };
        let size = integer_value(size)
            .and_then(|n| u64::try_from(n).ok())
            .filter(|&n| n > 0)?;
        let Some(Value::String(cid)) = link.get("$link") else {
            return None;
        };
        if tag.as_str() != "blob" || mime.as_str().is_empty() || link.len() != 1 {
            return None;
        }
        let cid = Cid::from_str(cid).ok()?;
        Some(Blob::new(cid, mime.as_str(), size))
    }

    /// The members read so far, as [`super::object_map`] would hold them.
    fn into_map(self) -> Map<String, Value> {
        let members = [
            ("$type", self.type_),
            ("ref", self.ref_),
            ("mimeType", self.mime_type),
            ("size", self.size),
        ];
        members
            .into_iter()
            .filter_map(|(k, v)| Some((k.to_owned(), v?.into_value())))
            .collect()
    }
}

impl<'de> Visitor<'de> for BlobVisitor<'_> {
    type Value = Blob;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&Expecting("a blob object", self.0), f)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Blob, A::Error> {
        let path = self.0;
        let mut slots = Slots::default();
        while let Some(key) = map.next_key::<Key<'de>>()? {
            let slot = match slots.slot(key.as_str()) {
                Some(slot) if slot.is_none() => slot,
                // Another key, or a duplicate: the general reader.
                _ => {
                    let mut members = slots.into_map();
                    let value: Value = map.next_value()?;
                    insert_new(&mut members, key.into_string(), value, path)?;
                    read_entries(&mut map, &mut members, path)?;
                    return Blob::from_json_map(&members, path).map_err(de::Error::custom);
                }
            };
            *slot = Some(map.next_value_seed(ProbeSeed)?);
        }
        match slots.fast() {
            Some(blob) => Ok(blob),
            None => Blob::from_json_map(&slots.into_map(), path).map_err(de::Error::custom),
        }
    }
}

struct ProbeSeed;

impl<'de> DeserializeSeed<'de> for ProbeSeed {
    type Value = Probe<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Probe<'de>, D::Error> {
        d.deserialize_any(self)
    }
}

/// Strings as keys; anything else exactly as `Value` reads it.
impl<'de> Visitor<'de> for ProbeSeed {
    type Value = Probe<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Probe<'de>, E> {
        Ok(Probe::Str(Key::Borrowed(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Probe<'de>, E> {
        Ok(Probe::Str(Key::Owned(v.to_owned())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Probe<'de>, E> {
        Ok(Probe::Str(Key::Owned(v)))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Probe<'de>, E> {
        Ok(Probe::Other(Value::Bool(v)))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Probe<'de>, E> {
        Ok(Probe::Other(Value::from(v)))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Probe<'de>, E> {
        Ok(Probe::Other(Value::from(v)))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Probe<'de>, E> {
        Ok(Probe::Other(Value::from(v)))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Probe<'de>, E> {
        Ok(Probe::Other(Value::Null))
    }
    fn visit_none<E: de::Error>(self) -> Result<Probe<'de>, E> {
        Ok(Probe::Other(Value::Null))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Probe<'de>, D::Error> {
        Value::deserialize(d).map(Probe::Other)
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Probe<'de>, A::Error> {
        Value::deserialize(de::value::SeqAccessDeserializer::new(seq)).map(Probe::Other)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Probe<'de>, A::Error> {
        Value::deserialize(de::value::MapAccessDeserializer::new(map)).map(Probe::Other)
    }
}
