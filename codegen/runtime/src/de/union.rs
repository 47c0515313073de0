//! Unions keyed by `$type`, read as a stream: when `$type` is the first
//! member (as every real writer puts it), the member type reads the rest of
//! the object directly, with nothing buffered. Only when `$type` comes later
//! is the object buffered into a map and the member read from it, as before.
//! Both paths report the same errors at the same paths for a document with
//! one problem; with several, the streaming path reports the first in
//! document order.

use super::{
    error, insert_new, missing_type, read_entries, read_object, split_tag, Expecting, Key, Object,
};
use crate::types::UnknownObject;
use crate::validate::{messages, Path};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde_json::{Map, Value};
use std::fmt;
use std::marker::PhantomData;

/// A generated union: picks the member for a `$type` and reads it.
pub trait UnionDe<'de>: Sized {
    /// Reads the member whose `$type` is `tag` from `map`, which yields the
    /// object's other members (a second `$type` is a duplicate key).
    fn member<A: MapAccess<'de>>(tag: &str, map: &mut A, path: &Path<'_>)
        -> Result<Self, A::Error>;
}

/// Deserializes a union value (an object with `$type`).
pub fn deserialize_union<'de, D: Deserializer<'de>, T: UnionDe<'de>>(
    d: D,
    path: &Path<'_>,
) -> Result<T, D::Error> {
    d.deserialize_map(UnionVisitor(path, PhantomData))
}

struct UnionVisitor<'p, T>(&'p Path<'p>, PhantomData<T>);

impl<'de, T: UnionDe<'de>> Visitor<'de> for UnionVisitor<'_, T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&Expecting("an object with `$type`", self.0), f)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let path = self.0;
        let Some(first) = map.next_key::<Key<'de>>()? else {
            return Err(missing_type(path));
        };
        if first.as_str() == "$type" {
            let tag = map.next_value_seed(TagSeed(path))?;
            return T::member(tag.as_str(), &mut map, path);
        }
        // `$type` is not first: buffer the object, then read the member.
        let mut rest = Map::new();
        let value: Value = map.next_value()?;
        insert_new(&mut rest, first.into_string(), value, path)?;
        read_entries(&mut map, &mut rest, path)?;
        let (tag, rest) = split_tag(rest, path)?;
        Value::Object(rest)
            .deserialize_map(Buffered::<T>(&tag, path, PhantomData))
            .map_err(de::Error::custom)
    }
}

/// Reads the member from the buffered object.
struct Buffered<'a, 'p, T>(&'a str, &'p Path<'p>, PhantomData<T>);

impl<'de, T: UnionDe<'de>> Visitor<'de> for Buffered<'_, '_, T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        T::member(self.0, &mut map, self.1)
    }
}

/// The value of `$type`: a non-empty string, borrowed when possible.
struct TagSeed<'p>(&'p Path<'p>);

impl<'de> de::DeserializeSeed<'de> for TagSeed<'_> {
    type Value = Key<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Key<'de>, D::Error> {
        d.deserialize_any(self)
    }
}

impl TagSeed<'_> {
    fn not_string<E: de::Error>(&self) -> E {
        error(&self.0.key("$type"), messages::TYPE_NOT_STRING)
    }
    fn tag<'de, E: de::Error>(&self, tag: Key<'de>) -> Result<Key<'de>, E> {
        if tag.as_str().is_empty() {
            return Err(self.not_string());
        }
        Ok(tag)
    }
}

impl<'de> Visitor<'de> for TagSeed<'_> {
    type Value = Key<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(messages::TYPE_NOT_STRING)
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
        self.tag(Key::Borrowed(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
        self.tag(Key::Owned(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
        self.tag(Key::Owned(v))
    }
    // Anything else is not a string (the same error, whatever the value).
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Key<'de>, E> {
        Err(self.not_string())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Key<'de>, E> {
        Err(self.not_string())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Key<'de>, E> {
        Err(self.not_string())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Key<'de>, E> {
        Err(self.not_string())
    }
    fn visit_unit<E: de::Error>(self) -> Result<Key<'de>, E> {
        Err(self.not_string())
    }
    fn visit_none<E: de::Error>(self) -> Result<Key<'de>, E> {
        Err(self.not_string())
    }
    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<Key<'de>, E> {
        Err(self.not_string())
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, _: A) -> Result<Key<'de>, A::Error> {
        Err(self.not_string())
    }
    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<Key<'de>, A::Error> {
        Err(self.not_string())
    }
}

/// Reads a known member (a generated struct) whose `$type` was `tag`.
pub fn member<'de, T, A>(tag: &str, map: &mut A, path: &Path<'_>) -> Result<Box<T>, A::Error>
where
    T: Object,
    A: MapAccess<'de>,
{
    if let Some(expected) = T::RECORD_TYPE {
        if expected != tag {
            return Err(error(
                &path.key("$type"),
                messages::wrong_record_type(expected, tag),
            ));
        }
    }
    read_object(map, path, true).map(Box::new)
}

/// Keeps a member of an open union whose `$type` is not known: the rest of
/// the object, whole (it must still follow the data model).
pub fn unknown_member<'de, A: MapAccess<'de>>(
    tag: &str,
    map: &mut A,
    path: &Path<'_>,
) -> Result<UnknownObject, A::Error> {
    let mut rest = Map::new();
    // Seeded first, so that a second `$type` is a duplicate key.
    rest.insert("$type".to_owned(), Value::String(tag.to_owned()));
    read_entries(map, &mut rest, path)?;
    rest.remove("$type");
    super::unknown_variant(tag.to_owned(), rest, path)
}
