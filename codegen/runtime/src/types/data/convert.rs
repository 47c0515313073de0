//! Accessors and conversions of [`Data`]: what reading and building a
//! value in code needs without matching on every variant. Missing members
//! and out-of-range indexes read as `Data::Null` through `[]`, as in
//! `serde_json`; `get` says `None` instead.

use super::super::super::formats::Cid;
use super::super::{Blob, Bytes, CidLink};
use super::{Data, Object};
use std::ops::Index;

static NULL: Data = Data::Null;

impl Data {
    /// Whether this is `null`.
    #[must_use]
    pub fn is_null(&self) -> bool {
        matches!(self, Data::Null)
    }

    /// The boolean, if this is one.
    #[must_use]
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Data::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The integer, if this is one.
    #[must_use]
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Data::Integer(i) => Some(*i),
            _ => None,
        }
    }

    /// The string, if this is one.
    #[must_use]
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Data::String(s) => Some(s),
            _ => None,
        }
    }

    /// The bytes, if this is a byte value.
    #[must_use]
    pub fn as_bytes(&self) -> Option<&[u8]> {
        match self {
            Data::Bytes(b) => Some(b),
            _ => None,
        }
    }

    /// The CID, if this is a link.
    #[must_use]
    pub fn as_link(&self) -> Option<&Cid> {
        match self {
            Data::Link(cid) => Some(cid),
            _ => None,
        }
    }

    /// The elements, if this is an array.
    #[must_use]
    pub fn as_array(&self) -> Option<&[Data]> {
        match self {
            Data::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The members, if this is an object.
    #[must_use]
    pub fn as_object(&self) -> Option<&Object> {
        match self {
            Data::Object(map) => Some(map),
            _ => None,
        }
    }

    /// The members, mutably, if this is an object.
    pub fn as_object_mut(&mut self) -> Option<&mut Object> {
        match self {
            Data::Object(map) => Some(map),
            _ => None,
        }
    }

    /// Member `key`, if this is an object that has it.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&Data> {
        self.as_object().and_then(|map| map.get(key))
    }
}

/// `data["key"]`: the member, or `Data::Null` when absent (or not an
/// object).
impl Index<&str> for Data {
    type Output = Data;
    fn index(&self, key: &str) -> &Data {
        self.get(key).unwrap_or(&NULL)
    }
}

/// `data[i]`: the element, or `Data::Null` when absent (or not an array).
impl Index<usize> for Data {
    type Output = Data;
    fn index(&self, index: usize) -> &Data {
        self.as_array()
            .and_then(|items| items.get(index))
            .unwrap_or(&NULL)
    }
}

macro_rules! from_integer {
    ($($t:ty),*) => {$(
        impl From<$t> for Data {
            fn from(v: $t) -> Self {
                Data::Integer(i64::from(v))
            }
        }
    )*};
}

from_integer!(i8, i16, i32, i64, u8, u16, u32);

impl From<bool> for Data {
    fn from(v: bool) -> Self {
        Data::Bool(v)
    }
}

impl From<String> for Data {
    fn from(v: String) -> Self {
        Data::String(v)
    }
}

impl From<&str> for Data {
    fn from(v: &str) -> Self {
        Data::String(v.to_owned())
    }
}

impl From<Cid> for Data {
    fn from(v: Cid) -> Self {
        Data::Link(v)
    }
}

impl From<CidLink> for Data {
    fn from(v: CidLink) -> Self {
        Data::Link(v.0)
    }
}

impl From<Bytes> for Data {
    fn from(v: Bytes) -> Self {
        Data::Bytes(v.0)
    }
}

impl From<&[u8]> for Data {
    fn from(v: &[u8]) -> Self {
        Data::Bytes(v.to_vec())
    }
}

impl From<Object> for Data {
    fn from(v: Object) -> Self {
        Data::Object(v)
    }
}

/// The blob's object (`{"$type": "blob", "ref", "mimeType", "size"}`, or
/// the legacy form it was read in).
impl From<Blob> for Data {
    fn from(v: Blob) -> Self {
        let mut map = Object::new();
        if v.legacy {
            map.insert("cid".into(), Data::String(v.cid.as_str().to_owned()));
        } else {
            map.insert("$type".into(), "blob".into());
            map.insert("ref".into(), Data::Link(v.cid));
            map.insert("size".into(), Data::Integer(saturating_i64(v.size)));
        }
        map.insert("mimeType".into(), Data::String(v.mime_type));
        Data::Object(map)
    }
}

/// Blob sizes come from `i64` data, so this never saturates in practice.
fn saturating_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// An array.
impl<T: Into<Data>> From<Vec<T>> for Data {
    fn from(v: Vec<T>) -> Self {
        Data::Array(v.into_iter().map(Into::into).collect())
    }
}

/// `None` is `null`.
impl<T: Into<Data>> From<Option<T>> for Data {
    fn from(v: Option<T>) -> Self {
        v.map_or(Data::Null, Into::into)
    }
}

/// An array.
impl FromIterator<Data> for Data {
    fn from_iter<I: IntoIterator<Item = Data>>(iter: I) -> Self {
        Data::Array(iter.into_iter().collect())
    }
}

/// An object (a repeated key keeps the last value).
impl<K: Into<String>> FromIterator<(K, Data)> for Data {
    fn from_iter<I: IntoIterator<Item = (K, Data)>>(iter: I) -> Self {
        Data::Object(iter.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }
}

impl PartialEq<i64> for Data {
    fn eq(&self, other: &i64) -> bool {
        self.as_i64() == Some(*other)
    }
}

impl PartialEq<bool> for Data {
    fn eq(&self, other: &bool) -> bool {
        self.as_bool() == Some(*other)
    }
}

impl PartialEq<str> for Data {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == Some(other)
    }
}

impl PartialEq<&str> for Data {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == Some(*other)
    }
}

impl PartialEq<String> for Data {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == Some(other.as_str())
    }
}
