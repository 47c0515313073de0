//! Serde plumbing of the generated types: deserializing with the JSON path
//! kept for error messages, objects that keep unknown fields, unions keyed by
//! `$type`. Generated code calls these; users need not.

use super::types::Extra;
use super::validate::{integer_value, messages, Checked, Path, ValidationError};
use serde::de::{self, DeserializeSeed, Deserializer, SeqAccess, Visitor};
use serde::ser::Serializer;
use serde::Deserialize;
use serde_json::{Map, Value};
use std::fmt;
use std::marker::PhantomData;

mod blob;
mod union;
pub use super::debug::{debug_object, debug_value};
pub(crate) use super::object::read_object;
pub use super::object::{validate_object, Object, Reader, Slots, ValidateFields, WriteFields};
pub(crate) use blob::read_blob;
pub use serde::de::{Error, MapAccess};
pub use serde::ser::SerializeMap;
pub use union::{deserialize_union, member, unknown_member, UnionDe};

/// Deserialization that knows where it is, so errors name the JSON path.
pub trait DeserializeAt<'de>: Sized {
    /// Deserializes a value found at `path`.
    fn deserialize_at<D: Deserializer<'de>>(
        deserializer: D,
        path: &Path<'_>,
    ) -> Result<Self, D::Error>;
}

/// A [`DeserializeSeed`] carrying the path into nested values.
pub struct At<'p, T> {
    path: &'p Path<'p>,
    marker: PhantomData<T>,
}

impl<'p, T> At<'p, T> {
    /// A seed for a value at `path`.
    pub fn new(path: &'p Path<'p>) -> Self {
        At {
            path,
            marker: PhantomData,
        }
    }
}

impl<'de, T: DeserializeAt<'de>> DeserializeSeed<'de> for At<'_, T> {
    type Value = T;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        T::deserialize_at(deserializer, self.path)
    }
}

/// A deserialization error carrying a path and a rule.
pub fn error<E: de::Error>(path: &Path<'_>, rule: impl fmt::Display) -> E {
    E::custom(ValidationError::new(path, rule.to_string()))
}

/// Turns a validation result into a deserialization result.
pub fn check<E: de::Error>(result: Result<(), ValidationError>) -> Result<(), E> {
    result.map_err(E::custom)
}

/// "a string at `text`", used by visitors' `expecting`.
pub(crate) struct Expecting<'p>(pub &'static str, pub &'p Path<'p>);

impl fmt::Display for Expecting<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.1 {
            Path::Root => f.write_str(self.0),
            path => write!(f, "{} at `{path}`", self.0),
        }
    }
}

struct StringVisitor<'p>(&'p Path<'p>);

impl Visitor<'_> for StringVisitor<'_> {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&Expecting("a string", self.0), f)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
        Ok(v)
    }
}

impl<'de> DeserializeAt<'de> for String {
    fn deserialize_at<D: Deserializer<'de>>(d: D, path: &Path<'_>) -> Result<Self, D::Error> {
        d.deserialize_string(StringVisitor(path))
    }
}

struct BoolVisitor<'p>(&'p Path<'p>);

impl Visitor<'_> for BoolVisitor<'_> {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&Expecting("a boolean", self.0), f)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<bool, E> {
        Ok(v)
    }
}

impl<'de> DeserializeAt<'de> for bool {
    fn deserialize_at<D: Deserializer<'de>>(d: D, path: &Path<'_>) -> Result<Self, D::Error> {
        d.deserialize_bool(BoolVisitor(path))
    }
}

struct IntegerVisitor<'p>(&'p Path<'p>);

impl Visitor<'_> for IntegerVisitor<'_> {
    type Value = i64;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&Expecting("an integer (floats are not allowed)", self.0), f)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<i64, E> {
        Ok(v)
    }
    /// An integer-valued float (`123.0`) is the integer it stands for.
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<i64, E> {
        if let Some(i) = serde_json::Number::from_f64(v)
            .as_ref()
            .and_then(integer_value)
        {
            return Ok(i);
        }
        if let Some(rule) = messages::float_out_of_range(v) {
            return Err(error(self.0, rule));
        }
        Err(E::invalid_type(de::Unexpected::Float(v), &self))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<i64, E> {
        i64::try_from(v).map_err(|_| error(self.0, messages::integer_out_of_range(v)))
    }
}

impl<'de> DeserializeAt<'de> for i64 {
    fn deserialize_at<D: Deserializer<'de>>(d: D, path: &Path<'_>) -> Result<Self, D::Error> {
        d.deserialize_i64(IntegerVisitor(path))
    }
}

struct SeqVisitor<'p, T>(&'p Path<'p>, PhantomData<T>);

impl<'de, T: DeserializeAt<'de>> Visitor<'de> for SeqVisitor<'_, T> {
    type Value = Vec<T>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&Expecting("an array", self.0), f)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        loop {
            let path = self.0.index(out.len());
            match seq.next_element_seed(At::<T>::new(&path))? {
                Some(v) => out.push(v),
                None => return Ok(out),
            }
        }
    }
}

impl<'de, T: DeserializeAt<'de>> DeserializeAt<'de> for Vec<T> {
    fn deserialize_at<D: Deserializer<'de>>(d: D, path: &Path<'_>) -> Result<Self, D::Error> {
        d.deserialize_seq(SeqVisitor(path, PhantomData))
    }
}

struct OptionVisitor<'p, T>(&'p Path<'p>, PhantomData<T>);

impl<'de, T: DeserializeAt<'de>> Visitor<'de> for OptionVisitor<'_, T> {
    type Value = Option<T>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&Expecting("a value or null", self.0), f)
    }
    fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
        T::deserialize_at(d, self.0).map(Some)
    }
}

/// `Option<T>` deserializes `null` as `None`: used for `nullable` fields.
impl<'de, T: DeserializeAt<'de>> DeserializeAt<'de> for Option<T> {
    fn deserialize_at<D: Deserializer<'de>>(d: D, path: &Path<'_>) -> Result<Self, D::Error> {
        d.deserialize_option(OptionVisitor(path, PhantomData))
    }
}

/// Every generated struct, through its [`Object`] impl: one impl here
/// instead of one per struct. (There is no impl for `Box<T>`, which would
/// overlap with this one: boxed fields and union members are read unboxed,
/// then boxed.)
impl<'de, T: Object> DeserializeAt<'de> for T {
    fn deserialize_at<D: Deserializer<'de>>(d: D, path: &Path<'_>) -> Result<Self, D::Error> {
        deserialize_object(d, path)
    }
}

/// Deserializes the value of a [`Checked`] newtype at `path`, then checks
/// the def's own rules.
pub fn newtype_at<'de, T, D>(d: D, path: &Path<'_>) -> Result<T::Inner, D::Error>
where
    T: Checked,
    T::Inner: DeserializeAt<'de>,
    D: Deserializer<'de>,
{
    let inner = T::Inner::deserialize_at(d, path)?;
    check(T::check(&inner, path))?;
    Ok(inner)
}

/// Format newtypes: a string, then the format check, with the path.
macro_rules! format_at {
    ($($t:ident),*) => {$(
        impl<'de> DeserializeAt<'de> for super::formats::$t {
            fn deserialize_at<D: Deserializer<'de>>(d: D, path: &Path<'_>) -> Result<Self, D::Error> {
                let s = String::deserialize_at(d, path)?;
                super::formats::$t::new(s).map_err(|e| error(path, e))
            }
        }
    )*};
}

super::formats::for_each_format!(format_at);

/// An object key, borrowed from the input when possible.
pub enum Key<'de> {
    /// Borrowed from the input.
    Borrowed(&'de str),
    /// Copied (escaped keys, or non-borrowing deserializers).
    Owned(String),
}

impl Key<'_> {
    /// The key.
    pub fn as_str(&self) -> &str {
        match self {
            Key::Borrowed(s) => s,
            Key::Owned(s) => s,
        }
    }

    /// The key, owned.
    pub fn into_string(self) -> String {
        match self {
            Key::Borrowed(s) => s.to_owned(),
            Key::Owned(s) => s,
        }
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(StrSeed(None))
    }
}

struct ObjectVisitor<'p, T>(&'p Path<'p>, PhantomData<T>);

impl<'de, T: Object> Visitor<'de> for ObjectVisitor<'_, T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&Expecting("an object", self.0), f)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        read_object(&mut map, self.0, false)
    }
}

/// A string, borrowed from the input when possible: an object key
/// (`None`), or the string value at a path.
pub(crate) struct StrSeed<'p>(pub(crate) Option<&'p Path<'p>>);

impl<'de> DeserializeSeed<'de> for StrSeed<'_> {
    type Value = Key<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Key<'de>, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for StrSeed<'_> {
    type Value = Key<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(path) => fmt::Display::fmt(&Expecting("a string", path), f),
            None => f.write_str("an object key"),
        }
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
        Ok(Key::Borrowed(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
        Ok(Key::Owned(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
        Ok(Key::Owned(v))
    }
}

/// Deserializes a generated struct.
pub fn deserialize_object<'de, D: Deserializer<'de>, T: Object>(
    d: D,
    path: &Path<'_>,
) -> Result<T, D::Error> {
    d.deserialize_map(ObjectVisitor(path, PhantomData))
}

/// Serializes a struct as a JSON object, with `$type` first when given.
pub fn serialize_object<S: Serializer, T: Object>(
    value: &T,
    type_tag: Option<&str>,
    s: S,
) -> Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(None)?;
    if let Some(tag) = type_tag {
        map.serialize_entry("$type", tag)?;
    }
    value.write(&mut map)?;
    map.end()
}

/// Writes the unknown fields kept from the input.
pub fn serialize_extra<M: SerializeMap>(map: &mut M, extra: &Extra) -> Result<(), M::Error> {
    extra
        .iter()
        .try_for_each(|(k, v)| map.serialize_entry(k, v))
}

struct MapVisitor<'p>(&'static str, &'p Path<'p>);

impl<'de> Visitor<'de> for MapVisitor<'_> {
    type Value = Map<String, Value>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&Expecting(self.0, self.1), f)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = Map::new();
        read_entries(&mut map, &mut out, self.1)?;
        Ok(out)
    }
}

/// Reads the (remaining) members of `map` into `out`, rejecting a key
/// already there.
fn read_entries<'de, A: MapAccess<'de>>(
    map: &mut A,
    out: &mut Map<String, Value>,
    path: &Path<'_>,
) -> Result<(), A::Error> {
    while let Some(key) = map.next_key::<Key<'de>>()? {
        let key = key.into_string();
        let value: Value = map.next_value()?;
        insert_new(out, key, value, path)?;
    }
    Ok(())
}

/// Inserts a member read from the input, rejecting a duplicate key.
fn insert_new<E: de::Error>(
    map: &mut Map<String, Value>,
    key: String,
    value: Value,
    path: &Path<'_>,
) -> Result<(), E> {
    match map.entry(key) {
        serde_json::map::Entry::Vacant(slot) => {
            slot.insert(value);
            Ok(())
        }
        serde_json::map::Entry::Occupied(slot) => {
            Err(error(&path.key(slot.key()), messages::DUPLICATE_KEY))
        }
    }
}

/// Reads any JSON object (for `unknown` and union dispatch).
pub fn object_map<'de, D: Deserializer<'de>>(
    d: D,
    what: &'static str,
    path: &Path<'_>,
) -> Result<Map<String, Value>, D::Error> {
    d.deserialize_map(MapVisitor(what, path))
}

/// Reads a union value: its `$type` and the rest of the object, buffered
/// (what [`deserialize_union`] falls back to when `$type` is not first).
pub fn union_parts<'de, D: Deserializer<'de>>(
    d: D,
    path: &Path<'_>,
) -> Result<(String, Map<String, Value>), D::Error> {
    split_tag(object_map(d, "an object with `$type`", path)?, path)
}

/// Takes the `$type` out of a buffered union value.
fn split_tag<E: de::Error>(
    mut map: Map<String, Value>,
    path: &Path<'_>,
) -> Result<(String, Map<String, Value>), E> {
    match map.remove("$type") {
        Some(Value::String(tag)) if !tag.is_empty() => Ok((tag, map)),
        Some(_) => Err(error(&path.key("$type"), messages::TYPE_NOT_STRING)),
        None => Err(missing_type(path)),
    }
}

/// A union value without `$type`.
fn missing_type<E: de::Error>(path: &Path<'_>) -> E {
    error(path, "missing `$type` (required on union members)")
}

/// The error for a `$type` that a closed union does not list.
pub fn closed_union_error<E: de::Error>(tag: &str, path: &Path<'_>, known: &[&str]) -> E {
    error(
        &path.key("$type"),
        format!("{tag:?} is not one of {known:?} (closed union)"),
    )
}

/// A value of an open union whose `$type` is not a known variant, kept
/// whole (it must still follow the data model).
pub fn unknown_variant<E: de::Error>(
    tag: String,
    map: Map<String, Value>,
    path: &Path<'_>,
) -> Result<super::types::UnknownObject, E> {
    super::types::UnknownObject::from_json(tag, &map, path).map_err(E::custom)
}
