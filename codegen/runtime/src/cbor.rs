//! DAG-CBOR, the binary form of the data model (records, repository blocks,
//! firehose frames), and the CIDs computed from it.
//!
//! Every generated type speaks it through [`Data`]: writing serializes the
//! value's JSON form, reads it as [`Data`] (`$bytes` and `$link` become byte
//! strings and tag 42) and writes strict DAG-CBOR; reading decodes strictly
//! into [`Data`] and deserializes the type straight from it, presenting each
//! value as its JSON form would be (no JSON tree is built), so a type
//! validates on the CBOR path exactly as on JSON.
//!
//! Hand-written rather than `serde_ipld_dagcbor`: the runtime's own serde
//! plumbing (blobs, `$bytes`, `$link`, path-named errors) is JSON-shaped, so
//! a CBOR serde backend would need a second CBOR-aware path through every
//! one of those types; a strict encoder/decoder of the nine data-model kinds
//! is ~300 lines and needs no dependency but `sha2` (for CIDs).

pub(crate) mod cid;
mod de;
pub(crate) mod read;
mod write;

// For the repository's CAR writer.
#[cfg(feature = "repo")]
pub(crate) use cid::push_varint;
pub use cid::{cid_from_bytes, cid_of_bytes, cid_to_bytes, CODEC_DAG_CBOR, CODEC_RAW};
pub use read::{decode, decode_prefix};
pub use write::encode;

use super::formats::Cid;
use super::types::Data;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::fmt;

/// A DAG-CBOR error: what went wrong and where (a data path such as
/// `embed.images[0].image`, or the byte offset for malformed input).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    message: String,
}

impl Error {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        Error {
            message: message.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// Encodes a value (any generated type, or [`Data`]) as strict DAG-CBOR.
///
/// # Errors
///
/// When the value's JSON form is outside the data model (e.g. a float).
pub fn to_vec<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, Error> {
    encode(&to_data(value)?)
}

/// The [`Data`] of a value (any generated type).
///
/// # Errors
///
/// When the value's JSON form is outside the data model (e.g. a float).
pub fn to_data<T: Serialize + ?Sized>(value: &T) -> Result<Data, Error> {
    let json = serde_json::to_value(value).map_err(|e| Error::new(e.to_string()))?;
    Data::from_json(&json).map_err(|e| Error::new(e.to_string()))
}

/// Decodes strict DAG-CBOR into a value (any generated type, validated as
/// on JSON, or [`Data`]).
///
/// # Errors
///
/// What DAG-CBOR forbids (non-canonical keys or integers, floats, tags
/// other than 42, indefinite lengths, trailing bytes, ...) or what the type
/// rejects, named by path.
pub fn from_slice<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Error> {
    from_data(&decode(bytes)?)
}

/// Converts [`Data`] into a value (any generated type, validated).
///
/// # Errors
///
/// What the type rejects, named by path.
pub fn from_data<T: DeserializeOwned>(data: &Data) -> Result<T, Error> {
    T::deserialize(de::DataDeserializer(data)).map_err(|e| Error::new(e.to_string()))
}

/// A value read from [`Data`]: [`Data`] itself, or a generated crate's
/// `records::Record` (every record type of the crate by `$type`, with a
/// [`Data`] fallback), which is how repositories and the firehose hand out
/// records.
pub trait FromData: Sized {
    /// Converts (and validates) the value.
    ///
    /// # Errors
    ///
    /// What the type rejects, named by path.
    fn from_data(data: Data) -> Result<Self, Error>;
}

impl FromData for Data {
    fn from_data(data: Data) -> Result<Self, Error> {
        Ok(data)
    }
}

/// The CID of a value's DAG-CBOR encoding: CIDv1, codec dag-cbor (0x71),
/// sha2-256, base32 (`b...`), as a PDS computes a record's CID.
///
/// # Errors
///
/// As [`to_vec`].
pub fn cid<T: Serialize + ?Sized>(value: &T) -> Result<Cid, Error> {
    cid_of_bytes(CODEC_DAG_CBOR, &to_vec(value)?)
}

#[cfg(test)]
mod tests;
