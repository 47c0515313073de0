//! Data-model types that lexicons use directly: `unknown`, `blob`, `bytes`,
//! `cid-link`, and the fallback of open unions.

use super::de::DeserializeAt;
use super::formats::Cid;
use super::validate::{check_type_tag, Path, Validate, ValidationError};
use serde::de::{self, Deserializer};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::str::FromStr;

mod data;
mod did_doc;
use data::{finish_object, object_from_json, read_object, validate_object};
pub(crate) use data::{from_json_at as data_from_json_at, insert_member};
pub use data::{Data, Extra, Object};
#[cfg(feature = "crypto")]
pub(crate) use did_doc::items as did_doc_items;
pub use did_doc::{DidDocument, DidDocumentError};

macro_rules! serde_via_at {
    ($($t:ty),*) => {$(
        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                Self::deserialize_at(d, &Path::Root)
            }
        }
    )*};
}

serde_via_at!(Data, Unknown, UnknownObject, Blob, Bytes, CidLink);

/// Reserved keys that make an object a blob, link or bytes value.
fn looks_like_special(map: &Object) -> Option<&'static str> {
    if map.get("$type").and_then(Data::as_str) == Some("blob") {
        Some("a blob")
    } else if map.len() == 1 && map.contains_key("$link") {
        Some("a `$link`")
    } else if map.len() == 1 && map.contains_key("$bytes") {
        Some("`$bytes`")
    } else {
        None
    }
}

/// An `unknown` value: any data-model object (not a blob, link or bytes),
/// kept exactly as read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Unknown(pub Object);

impl Unknown {
    /// The `$type` of the object, if it has one.
    pub fn type_tag(&self) -> Option<&str> {
        self.0.get("$type").and_then(Data::as_str)
    }

    /// Member `key`, if present.
    pub fn get(&self, key: &str) -> Option<&Data> {
        self.0.get(key)
    }

    /// Converts the object into a typed value (e.g. a record), validated.
    ///
    /// # Errors
    ///
    /// What the type rejects, named by path.
    pub fn to_typed<T: serde::de::DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        T::deserialize(serde_json::to_value(&self.0)?)
    }

    /// Converts a typed value into an `unknown` object.
    ///
    /// # Errors
    ///
    /// When the value's JSON form is not a data-model object.
    pub fn from_typed<T: Serialize>(value: &T) -> Result<Self, serde_json::Error> {
        match Data::from_json(&serde_json::to_value(value)?) {
            Ok(Data::Object(map)) => Ok(Unknown(map)),
            Ok(other) => Err(serde::ser::Error::custom(format!(
                "expected an object, got {other}"
            ))),
            Err(e) => Err(serde::ser::Error::custom(e)),
        }
    }

    /// The rules of an `unknown` object whose members are read.
    fn from_members(map: Object, path: &Path<'_>) -> Result<Self, ValidationError> {
        let not_plain = |what: &str| {
            let rule = format!("an `unknown` value must be a plain object, not {what}");
            ValidationError::new(path, rule)
        };
        if let Some(what) = looks_like_special(&map) {
            return Err(not_plain(what));
        }
        match finish_object(map, path)? {
            Data::Object(map) => Ok(Unknown(map)),
            _ => Err(not_plain("a special object")),
        }
    }
}

impl<'de> DeserializeAt<'de> for Unknown {
    fn deserialize_at<D: Deserializer<'de>>(d: D, path: &Path<'_>) -> Result<Self, D::Error> {
        let map = read_object(d, "an object", path)?;
        Unknown::from_members(map, path).map_err(de::Error::custom)
    }
}

impl Serialize for Unknown {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl Validate for Unknown {
    fn validate_at(&self, path: &Path<'_>) -> Result<(), ValidationError> {
        if let Some(what) = looks_like_special(&self.0) {
            let rule = format!("an `unknown` value must be a plain object, not {what}");
            return Err(ValidationError::new(path, rule));
        }
        validate_object(&self.0, path)
    }
}

impl From<Unknown> for Data {
    fn from(v: Unknown) -> Self {
        Data::Object(v.0)
    }
}

/// A member of an open union whose `$type` this crate does not know: kept
/// whole (including `$type`) and written back unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UnknownObject(Object);

impl UnknownObject {
    /// Wraps an object that has a string `$type` (not checked: see
    /// [`Validate`]).
    pub fn from_map(map: Object) -> Self {
        UnknownObject(map)
    }

    /// Reads an open union's member from JSON: its `$type` and the rest of
    /// the object, checked (`$type` names a def, the rest follows the data
    /// model).
    ///
    /// # Errors
    ///
    /// The first broken rule, with its path.
    #[doc(hidden)]
    pub fn from_json(
        tag: String,
        map: &Map<String, Value>,
        path: &Path<'_>,
    ) -> Result<Self, ValidationError> {
        check_type_tag(&tag, path)?;
        let mut members = object_from_json(map, path)?;
        members.insert("$type".to_owned(), Data::String(tag));
        match finish_object(members, path)? {
            Data::Object(map) => Ok(UnknownObject(map)),
            _ => Err(ValidationError::new(
                path,
                "expected an object with `$type`",
            )),
        }
    }

    /// The `$type`.
    pub fn type_tag(&self) -> &str {
        self.0
            .get("$type")
            .and_then(Data::as_str)
            .unwrap_or_default()
    }

    /// Member `key`, if present.
    pub fn get(&self, key: &str) -> Option<&Data> {
        self.0.get(key)
    }

    /// The whole object.
    pub fn as_map(&self) -> &Object {
        &self.0
    }

    /// The whole object, as [`Data`].
    pub fn into_data(self) -> Data {
        Data::Object(self.0)
    }
}

impl<'de> DeserializeAt<'de> for UnknownObject {
    fn deserialize_at<D: Deserializer<'de>>(d: D, path: &Path<'_>) -> Result<Self, D::Error> {
        let (tag, map) = super::de::union_parts(d, path)?;
        super::de::unknown_variant(tag, map, path)
    }
}

/// Its `$type` names a def (a valid NSID or `nsid#name`), and the rest
/// follows the data model.
impl Validate for UnknownObject {
    fn validate_at(&self, path: &Path<'_>) -> Result<(), ValidationError> {
        check_type_tag(self.type_tag(), path)?;
        validate_object(&self.0, path)
    }
}

impl Serialize for UnknownObject {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl From<UnknownObject> for Data {
    fn from(v: UnknownObject) -> Self {
        v.into_data()
    }
}

/// A link to content by CID: `{"$link": "<cid>"}` in JSON.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CidLink(pub Cid);

impl CidLink {
    /// Reads `{"$link": "<cid>"}` (and nothing else) from an object's
    /// members.
    ///
    /// # Errors
    ///
    /// Any other object, or a string that is not a CID, named by path.
    pub fn from_object(map: Object, path: &Path<'_>) -> Result<Self, ValidationError> {
        match finish_object(map, path)? {
            Data::Link(cid) => Ok(CidLink(cid)),
            _ => Err(ValidationError::new(path, data::LINK_SHAPE)),
        }
    }
}

impl<'de> DeserializeAt<'de> for CidLink {
    fn deserialize_at<D: Deserializer<'de>>(d: D, path: &Path<'_>) -> Result<Self, D::Error> {
        let map = read_object(d, "a `$link` object", path)?;
        CidLink::from_object(map, path).map_err(de::Error::custom)
    }
}

impl Serialize for CidLink {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(1))?;
        map.serialize_entry("$link", self.0.as_str())?;
        map.end()
    }
}

/// Raw bytes: `{"$bytes": "<base64>"}` in JSON (standard alphabet; padding
/// optional on read, never written).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Bytes(pub Vec<u8>);

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn b64_value(c: u8) -> Option<u32> {
    B64.iter()
        .position(|&b| b == c)
        .and_then(|p| u32::try_from(p).ok())
}

/// Encodes bytes as unpadded standard base64.
pub fn base64_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b =
            [chunk.first(), chunk.get(1), chunk.get(2)].map(|x| u32::from(x.copied().unwrap_or(0)));
        let n = (b[0] << 16) | (b[1] << 8) | b[2];
        let take = chunk.len() + 1;
        for i in 0..take {
            let idx = usize::try_from((n >> (18 - 6 * i)) & 63).unwrap_or(0);
            out.push(char::from(B64.get(idx).copied().unwrap_or(b'A')));
        }
    }
    out
}

/// Decodes standard base64 as readers must (LEXICON-RULES §2): `=` padding
/// optional (but, when present, complete), and non-zero trailing bits in the
/// last character ignored, as the reference implementations do; `None` if
/// malformed. [`base64_encode`] writes the canonical unpadded form.
pub fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let body = text.trim_end_matches('=');
    let padding = text.len() - body.len();
    if padding > 2 || (padding > 0 && text.len() % 4 != 0) || body.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(body.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0u32;
    for c in body.bytes() {
        acc = ((acc << 6) | b64_value(c)?) & 0xFFFF;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from((acc >> bits) & 0xff).ok()?);
        }
    }
    // Leftover bits (fewer than 6) are padding of the last character.
    Some(out)
}

impl Bytes {
    /// Reads `{"$bytes": "<base64>"}` (and nothing else) from an object's
    /// members.
    ///
    /// # Errors
    ///
    /// Any other object, or invalid base64, named by path.
    pub fn from_object(map: Object, path: &Path<'_>) -> Result<Self, ValidationError> {
        match finish_object(map, path)? {
            Data::Bytes(bytes) => Ok(Bytes(bytes)),
            _ => Err(ValidationError::new(path, data::BYTES_SHAPE)),
        }
    }
}

impl<'de> DeserializeAt<'de> for Bytes {
    fn deserialize_at<D: Deserializer<'de>>(d: D, path: &Path<'_>) -> Result<Self, D::Error> {
        let map = read_object(d, "a `$bytes` object", path)?;
        Bytes::from_object(map, path).map_err(de::Error::custom)
    }
}

impl Serialize for Bytes {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(1))?;
        map.serialize_entry("$bytes", &base64_encode(&self.0))?;
        map.end()
    }
}

/// A reference to uploaded binary data: `{"$type": "blob", "ref": {"$link":
/// cid}, "mimeType": non-empty, "size": positive integer}`, or the legacy
/// `{"cid", "mimeType"}` (read, and written back as read). Any other key is
/// an error rather than something this type would silently drop.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Blob {
    /// CID of the content.
    pub cid: Cid,
    /// Declared MIME type (never empty).
    pub mime_type: String,
    /// Declared size in bytes (0 when read from the legacy form).
    pub size: u64,
    /// Read from the legacy `{"cid", "mimeType"}` form; written back in that
    /// form so data stays unchanged. New blobs never use it.
    pub legacy: bool,
}

impl Blob {
    /// A blob in the standard form.
    pub fn new(cid: Cid, mime_type: impl Into<String>, size: u64) -> Self {
        Blob {
            cid,
            mime_type: mime_type.into(),
            size,
            legacy: false,
        }
    }
}

fn blob_error(path: &Path<'_>, what: &str) -> ValidationError {
    ValidationError::new(path, format!("invalid blob: {what}"))
}

/// The keys of a blob (legacy: `cid` and `mimeType`). Blobs with other keys
/// are rejected rather than kept: the data model defines a blob as exactly
/// these fields, and a kept key would have no place in the typed value.
const BLOB_KEYS: [&str; 4] = ["$type", "ref", "mimeType", "size"];
const LEGACY_BLOB_KEYS: [&str; 2] = ["cid", "mimeType"];

/// Rejects a key outside `allowed`.
fn only_keys(map: &Object, allowed: &[&str], path: &Path<'_>) -> Result<(), ValidationError> {
    match map.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(key) => Err(blob_error(
            &path.key(key),
            &format!("unexpected key (a blob has only {})", allowed.join(", ")),
        )),
        None => Ok(()),
    }
}

impl Blob {
    /// Reads a blob (standard or legacy form) from an object's members: the
    /// rules of a `blob` field, and of a `"$type": "blob"` object anywhere
    /// in data.
    ///
    /// # Errors
    ///
    /// The first broken rule, named by path.
    pub fn from_object(map: &Object, path: &Path<'_>) -> Result<Self, ValidationError> {
        let mime_type = match map.get("mimeType") {
            Some(Data::String(m)) if !m.is_empty() => m.clone(),
            _ => {
                return Err(blob_error(
                    &path.key("mimeType"),
                    "`mimeType` must be a non-empty string",
                ))
            }
        };
        if map.get("$type").is_none() {
            // Legacy form: {"cid": "<cid>", "mimeType": "..."}.
            return match map.get("cid") {
                Some(Data::String(c)) => {
                    only_keys(map, &LEGACY_BLOB_KEYS, path)?;
                    Ok(Blob {
                        cid: Cid::from_str(c)
                            .map_err(|e| ValidationError::new(&path.key("cid"), e.to_string()))?,
                        mime_type,
                        size: 0,
                        legacy: true,
                    })
                }
                _ => Err(blob_error(path, "missing `$type: \"blob\"`")),
            };
        }
        if map.get("$type").and_then(Data::as_str) != Some("blob") {
            return Err(blob_error(&path.key("$type"), "`$type` must be \"blob\""));
        }
        let Some(Data::Link(cid)) = map.get("ref") else {
            return Err(blob_error(
                &path.key("ref"),
                "`ref` must be {\"$link\": \"<cid>\"}",
            ));
        };
        let size = map
            .get("size")
            .and_then(Data::as_i64)
            .and_then(|n| u64::try_from(n).ok())
            .filter(|&n| n > 0);
        let Some(size) = size else {
            return Err(blob_error(
                &path.key("size"),
                "`size` must be a positive integer",
            ));
        };
        only_keys(map, &BLOB_KEYS, path)?;
        Ok(Blob {
            cid: cid.clone(),
            mime_type,
            size,
            legacy: false,
        })
    }
}

impl Blob {
    /// A blob from a JSON object, its members read as data-model values
    /// first: the streamed reader's fallback (`de::read_blob`).
    pub(crate) fn from_json_map(
        map: &Map<String, Value>,
        path: &Path<'_>,
    ) -> Result<Self, ValidationError> {
        Blob::from_object(&object_from_json(map, path)?, path)
    }
}

impl<'de> DeserializeAt<'de> for Blob {
    fn deserialize_at<D: Deserializer<'de>>(d: D, path: &Path<'_>) -> Result<Self, D::Error> {
        // Streamed; same rules as `from_map` (see `de::read_blob`).
        super::de::read_blob(d, path)
    }
}

impl Serialize for Blob {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        if self.legacy {
            map.serialize_entry("cid", self.cid.as_str())?;
            map.serialize_entry("mimeType", &self.mime_type)?;
        } else {
            map.serialize_entry("$type", "blob")?;
            map.serialize_entry("ref", &CidLink(self.cid.clone()))?;
            map.serialize_entry("mimeType", &self.mime_type)?;
            map.serialize_entry("size", &self.size)?;
        }
        map.end()
    }
}

/// The construction API of generated types (see `construct.rs`).
#[doc(hidden)]
pub use super::{
    __lexgen_default_new as default_new, __lexgen_object_api as object_api,
    __lexgen_object_impls as object_impls, __lexgen_union_from as union_from,
    __lexgen_union_impls as union_impls,
};
