//! Binary CIDs (tag 42 contents, CAR sections) <-> the `cid` string form.

use super::super::formats::Cid;
use super::Error;
use sha2::{Digest, Sha256};
use std::str::FromStr;

/// Multicodec of DAG-CBOR blocks (records, commits, MST nodes).
pub const CODEC_DAG_CBOR: u64 = 0x71;
/// Multicodec of raw blocks (blobs).
pub const CODEC_RAW: u64 = 0x55;
const SHA2_256: u8 = 0x12;

/// The CIDv1 (sha2-256) of `bytes` under `codec` (0x71 or 0x55).
///
/// # Errors
///
/// None in practice (the string is built from the base32 alphabet); kept
/// fallible rather than panicking.
pub fn cid_of_bytes(codec: u64, bytes: &[u8]) -> Result<Cid, Error> {
    let mut binary = vec![1];
    push_varint(&mut binary, codec);
    binary.extend([SHA2_256, 32]);
    binary.extend(Sha256::digest(bytes));
    string_of(&binary)
}

/// Whether `block` hashes to the binary CIDv1 `cid` (sha2-256): the same
/// test as comparing [`cid_of_bytes`] with the CID, without building strings.
#[cfg(feature = "repo")]
pub(crate) fn block_matches(cid: &[u8], codec: u64, block: &[u8]) -> bool {
    let mut prefix = vec![1];
    push_varint(&mut prefix, codec);
    prefix.extend([SHA2_256, 32]);
    cid.strip_prefix(prefix.as_slice())
        .is_some_and(|digest| digest == &Sha256::digest(block)[..])
}

/// Appends `n` as an unsigned LEB128 varint (CIDs, CAR sections).
pub(crate) fn push_varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push(u8::try_from(n & 0x7f).unwrap_or(0) | 0x80);
        n >>= 7;
    }
    out.push(u8::try_from(n).unwrap_or(0));
}

/// The binary form of a CID (what tag 42 holds, after its `0x00` prefix).
///
/// # Errors
///
/// When the CID does not decode (see [`Cid::decode`]).
pub fn cid_to_bytes(cid: &Cid) -> Result<Vec<u8>, Error> {
    cid.decode()
        .map(|parts| parts.bytes)
        .map_err(|e| Error::new(format!("CID {}: {e}", cid.as_str())))
}

/// A binary CIDv1 as a `cid` string (base32 lowercase, `b...`).
///
/// # Errors
///
/// When the bytes are not a CIDv1 (version, codec, multihash, no trailing
/// bytes).
pub fn cid_from_bytes(bytes: &[u8]) -> Result<Cid, Error> {
    // The shape of every CID in a repository (CIDv1, one-byte codec,
    // sha2-256): its string (59 base32 characters) is valid by construction,
    // so skip checking it and decoding it again.
    if let [1, codec, SHA2_256, 32, digest @ ..] = bytes {
        if *codec < 0x80 && digest.len() == 32 {
            return Ok(Cid::from_checked_binary(base32(bytes)));
        }
    }
    let cid = string_of(bytes)?;
    match cid.decode() {
        Ok(parts) if parts.version == 1 => Ok(cid),
        Ok(_) => Err(Error::new("a CIDv0 is not allowed")),
        Err(e) => Err(Error::new(e.to_string())),
    }
}

/// `bytes` as a `cid` string, checked.
fn string_of(bytes: &[u8]) -> Result<Cid, Error> {
    Cid::from_str(&base32(bytes)).map_err(|e| Error::new(e.to_string()))
}

/// `b` + RFC 4648 base32, lowercase, unpadded.
fn base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
    let mut out = String::with_capacity(1 + bytes.len().div_ceil(5) * 8);
    out.push('b');
    let (mut acc, mut bits) = (0u32, 0u32);
    for &b in bytes {
        acc = ((acc << 8) | u32::from(b)) & 0xFFFF;
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((acc >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((acc << (5 - bits)) & 31) as usize]));
    }
    out
}
