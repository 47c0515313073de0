//! The runtime's own readers of data-model values ([`Data`], `unknown`,
//! blobs, bytes, links) run over a [`Json`] tree, in document order and
//! with duplicate keys, as they run over the text when the generated types
//! deserialize it: so `lexgen validate` meets the same first error.

use super::json::Json;
use crate::runtime::de::DeserializeAt;
use crate::runtime::validate::{Path, ValidationError};
use serde::de::value::{Error, MapDeserializer, SeqDeserializer};
use serde::de::{Deserializer, IntoDeserializer, Visitor};

/// Reads `v` at `path` with the runtime's reader of `T`.
pub(super) fn read<T: for<'de> DeserializeAt<'de>>(
    v: &Json,
    path: &Path<'_>,
) -> Result<T, ValidationError> {
    T::deserialize_at(JsonDe(v), path).map_err(|e| split(&e.to_string()))
}

/// The runtime's errors read `<path>: <rule>` (paths are absolute here), or
/// are serde's structural messages; either way the text is kept as is.
fn split(msg: &str) -> ValidationError {
    match msg.split_once(": ") {
        Some((path, rule)) if !path.contains(' ') => {
            ValidationError::new(&Path::Root.key(path), rule)
        }
        _ => ValidationError::new(&Path::Root, msg),
    }
}

#[derive(Clone, Copy)]
struct JsonDe<'a>(&'a Json);

impl<'de> IntoDeserializer<'de, Error> for JsonDe<'de> {
    type Deserializer = Self;
    fn into_deserializer(self) -> Self {
        self
    }
}

impl<'de> Deserializer<'de> for JsonDe<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Json::Null => visitor.visit_unit(),
            Json::Bool(b) => visitor.visit_bool(*b),
            Json::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
                (Some(u), _, _) => visitor.visit_u64(u),
                (None, Some(i), _) => visitor.visit_i64(i),
                (None, None, Some(f)) => visitor.visit_f64(f),
                (None, None, None) => Err(serde::de::Error::custom("unreadable number")),
            },
            Json::String(s) => visitor.visit_str(s),
            Json::Array(items) => {
                let mut seq = SeqDeserializer::new(items.iter().map(JsonDe));
                let value = visitor.visit_seq(&mut seq)?;
                seq.end()?;
                Ok(value)
            }
            Json::Object(members) => {
                let mut map =
                    MapDeserializer::new(members.iter().map(|(k, v)| (k.as_str(), JsonDe(v))));
                let value = visitor.visit_map(&mut map)?;
                map.end()?;
                Ok(value)
            }
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Json::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}
