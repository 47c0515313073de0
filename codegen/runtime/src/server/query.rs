//! Parameters from a query string by the XRPC rules: a name repeated for
//! arrays, `true`/`false` for booleans, decimal integers, everything else a
//! string. A serde `Deserializer`, so the generated params types validate
//! the values, with their own error messages and paths.

use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// A malformed or invalid parameter: the message is `<path>: <rule>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError(pub String);

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for QueryError {}

impl de::Error for QueryError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        QueryError(msg.to_string())
    }
}

/// Splits and percent-decodes `a=1&b=x%20y&a=2` into `(name, value)` pairs.
pub fn parse_pairs(query: &str) -> Result<Vec<(String, String)>, QueryError> {
    query
        .split('&')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let (name, value) = part.split_once('=').unwrap_or((part, ""));
            Ok((decode(name)?, decode(value)?))
        })
        .collect()
}

fn decode(s: &str) -> Result<String, QueryError> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .ok_or_else(|| QueryError(format!("bad percent-encoding in {s:?}")))?;
                out.push(hex);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| QueryError(format!("{s:?} is not UTF-8 once decoded")))
}

/// Deserializes `T` from pairs; names keep their first position.
pub fn from_pairs<T: de::DeserializeOwned>(pairs: &[(String, String)]) -> Result<T, QueryError> {
    let mut grouped: Vec<(String, Vec<String>)> = Vec::new();
    for (name, value) in pairs {
        match grouped.iter_mut().find(|(n, _)| n == name) {
            Some((_, values)) => values.push(value.clone()),
            None => grouped.push((name.clone(), vec![value.clone()])),
        }
    }
    T::deserialize(Pairs {
        entries: grouped.into_iter(),
        value: None,
    })
}

struct Pairs {
    entries: std::vec::IntoIter<(String, Vec<String>)>,
    value: Option<Vec<String>>,
}

impl<'de> de::Deserializer<'de> for Pairs {
    type Error = QueryError;
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, QueryError> {
        visitor.visit_map(self)
    }
    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

impl<'de> MapAccess<'de> for Pairs {
    type Error = QueryError;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, QueryError> {
        match self.entries.next() {
            Some((name, values)) => {
                self.value = Some(values);
                seed.deserialize(name.into_deserializer()).map(Some)
            }
            None => Ok(None),
        }
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, QueryError> {
        seed.deserialize(Values(self.value.take().unwrap_or_default()))
    }
}

/// The values of one name.
struct Values(Vec<String>);

impl Values {
    fn single<'de, V: Visitor<'de>>(self, visitor: &V) -> Result<String, QueryError> {
        let mut values = self.0;
        match values.len() {
            1 => Ok(values.remove(0)),
            _ => Err(de::Error::invalid_type(
                de::Unexpected::Other("a repeated parameter"),
                visitor,
            )),
        }
    }
}

impl<'de> de::Deserializer<'de> for Values {
    type Error = QueryError;
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, QueryError> {
        match self.0.len() {
            1 => {
                let s = self.single(&visitor)?;
                visitor.visit_string(s)
            }
            _ => self.deserialize_seq(visitor),
        }
    }
    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, QueryError> {
        let s = self.single(&visitor)?;
        match s.as_str() {
            "true" => visitor.visit_bool(true),
            "false" => visitor.visit_bool(false),
            _ => Err(de::Error::invalid_type(de::Unexpected::Str(&s), &visitor)),
        }
    }
    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, QueryError> {
        let s = self.single(&visitor)?;
        match s.parse::<i64>() {
            Ok(n) => visitor.visit_i64(n),
            Err(_) => Err(de::Error::invalid_type(de::Unexpected::Str(&s), &visitor)),
        }
    }
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, QueryError> {
        visitor.visit_some(self)
    }
    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, QueryError> {
        visitor.visit_seq(Seq(self.0.into_iter()))
    }
    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, QueryError> {
        let s = self.single(&visitor)?;
        visitor.visit_string(s)
    }
    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, QueryError> {
        self.deserialize_string(visitor)
    }
    serde::forward_to_deserialize_any! {
        i8 i16 i32 i128 u8 u16 u32 u64 u128 f32 f64 char bytes byte_buf unit
        unit_struct newtype_struct tuple tuple_struct map struct enum identifier
        ignored_any
    }
}

struct Seq(std::vec::IntoIter<String>);

impl<'de> SeqAccess<'de> for Seq {
    type Error = QueryError;
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, QueryError> {
        match self.0.next() {
            Some(v) => seed.deserialize(Values(vec![v])).map(Some),
            None => Ok(None),
        }
    }
}
