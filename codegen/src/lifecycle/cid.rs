//! The CID of a record: its DAG-CBOR encoding (the atproto data model's
//! canonical binary form), hashed with SHA-256, as a CIDv1 in base32.
//!
//! Hand-written rather than through `serde_ipld_dagcbor` + `cid`: a record
//! here is a JSON value, and the encoding of the JSON data model is small
//! and fully specified (canonical key order, shortest integer heads, tag 42
//! for `$link`, byte strings for `$bytes`, no floats). Writing it takes
//! about a hundred lines and one dependency (`sha2`) instead of a CBOR
//! serializer, a multihash crate and their features; the tests pin it
//! against CIDs computed by the reference implementation, and the
//! end-to-end test against the CIDs the real PDS returns.

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use std::fmt;

/// Multicodec of DAG-CBOR.
const DAG_CBOR: u8 = 0x71;
/// Multihash code of SHA-256, and its digest length.
const SHA2_256: u8 = 0x12;
const SHA2_256_LEN: u8 = 32;

/// A value that has no DAG-CBOR form in the atproto data model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodeError {
    /// JSON path of the value (`defs.main.default`), empty for the root.
    pub path: String,
    /// What is wrong with it.
    pub message: String,
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "at {}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for EncodeError {}

/// The CID (CIDv1, dag-cbor, sha2-256, base32 `b…`) of a JSON data-model value.
pub fn cid_of(value: &Value) -> Result<String, EncodeError> {
    Ok(format!("b{}", base32_encode(&block_cid(&encode(value)?))))
}

/// The binary CIDv1 (dag-cbor, sha2-256) of an encoded block.
pub fn block_cid(bytes: &[u8]) -> Vec<u8> {
    let mut cid = vec![1, DAG_CBOR, SHA2_256, SHA2_256_LEN];
    cid.extend_from_slice(&Sha256::digest(bytes));
    cid
}

/// The DAG-CBOR encoding of a JSON data-model value.
pub fn encode(value: &Value) -> Result<Vec<u8>, EncodeError> {
    let mut out = Vec::new();
    let mut path = Vec::new();
    encode_value(value, &mut out, &mut path)?;
    Ok(out)
}

fn error(path: &[String], message: impl Into<String>) -> EncodeError {
    EncodeError {
        path: path.join("."),
        message: message.into(),
    }
}

/// A CBOR head: major type and argument, in the shortest form (DAG-CBOR
/// requires it).
pub(super) fn head(major: u8, n: u64, out: &mut Vec<u8>) {
    let m = major << 5;
    match n {
        0..=23 => out.push(m | n as u8),
        24..=0xff => out.extend_from_slice(&[m | 24, n as u8]),
        0x100..=0xffff => {
            out.push(m | 25);
            out.extend_from_slice(&(n as u16).to_be_bytes());
        }
        0x1_0000..=0xffff_ffff => {
            out.push(m | 26);
            out.extend_from_slice(&(n as u32).to_be_bytes());
        }
        _ => {
            out.push(m | 27);
            out.extend_from_slice(&n.to_be_bytes());
        }
    }
}

fn encode_value(
    value: &Value,
    out: &mut Vec<u8>,
    path: &mut Vec<String>,
) -> Result<(), EncodeError> {
    match value {
        Value::Null => out.push(0xf6),
        Value::Bool(false) => out.push(0xf4),
        Value::Bool(true) => out.push(0xf5),
        Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                head(0, u, out);
            } else if let Some(i) = n.as_i64() {
                // Major type 1 holds -1 - n.
                head(1, (-1 - i) as u64, out);
            } else {
                return Err(error(
                    path,
                    format!("{n} is not an integer: the atproto data model has no floats"),
                ));
            }
        }
        Value::String(s) => {
            head(3, s.len() as u64, out);
            out.extend_from_slice(s.as_bytes());
        }
        Value::Array(items) => {
            head(4, items.len() as u64, out);
            for (i, item) in items.iter().enumerate() {
                path.push(format!("[{i}]"));
                encode_value(item, out, path)?;
                path.pop();
            }
        }
        Value::Object(map) => encode_object(map, out, path)?,
    }
    Ok(())
}

fn encode_object(
    map: &Map<String, Value>,
    out: &mut Vec<u8>,
    path: &mut Vec<String>,
) -> Result<(), EncodeError> {
    if map.len() == 1 {
        match map.iter().next() {
            Some((k, Value::String(link))) if k == "$link" => {
                let bytes = cid_bytes(link).map_err(|m| error(path, m))?;
                // Tag 42, then a byte string: the identity multibase prefix
                // (0x00) and the binary CID.
                out.extend_from_slice(&[0xd8, 42]);
                head(2, bytes.len() as u64 + 1, out);
                out.push(0);
                out.extend_from_slice(&bytes);
                return Ok(());
            }
            Some((k, Value::String(b64))) if k == "$bytes" => {
                let bytes = base64_decode(b64).map_err(|m| error(path, m))?;
                head(2, bytes.len() as u64, out);
                out.extend_from_slice(&bytes);
                return Ok(());
            }
            _ => {}
        }
    }
    // Canonical order: shorter keys first, then bytewise.
    let mut entries: Vec<(&String, &Value)> = map.iter().collect();
    entries.sort_by(|(a, _), (b, _)| (a.len(), a.as_bytes()).cmp(&(b.len(), b.as_bytes())));
    head(5, entries.len() as u64, out);
    for (k, v) in entries {
        head(3, k.len() as u64, out);
        out.extend_from_slice(k.as_bytes());
        path.push(k.clone());
        encode_value(v, out, path)?;
        path.pop();
    }
    Ok(())
}

/// The binary form of a CIDv1 written in base32 (`b…`), the only form the
/// atproto data model uses for `$link`.
pub(super) fn cid_bytes(text: &str) -> Result<Vec<u8>, String> {
    let body = text
        .strip_prefix('b')
        .ok_or_else(|| format!("$link {text:?} is not a base32 CIDv1 (it must start with `b`)"))?;
    let bytes = base32_decode(body).ok_or_else(|| format!("$link {text:?} is not valid base32"))?;
    if bytes.first() != Some(&1) {
        return Err(format!("$link {text:?} is not a CIDv1"));
    }
    Ok(bytes)
}

const BASE32: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";

/// RFC 4648 base32, lowercase, no padding (multibase `b`).
pub fn base32_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 8 / 5 + 1);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(BASE32[((buffer >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(BASE32[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 5 / 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in text.bytes() {
        let v = BASE32.iter().position(|&x| x == c.to_ascii_lowercase())? as u32;
        buffer = (buffer << 5) | v;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    Some(out)
}

/// RFC 4648 base64 (standard alphabet), padding optional: the atproto
/// data model writes `$bytes` without it.
fn base64_decode(text: &str) -> Result<Vec<u8>, String> {
    let body = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(body.len() * 3 / 4);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in body.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return Err(format!("$bytes is not base64: unexpected {:?}", c as char)),
        };
        buffer = (buffer << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn integers_take_the_shortest_head() {
        let cases = [
            (json!(0), "00"),
            (json!(23), "17"),
            (json!(24), "1818"),
            (json!(255), "18ff"),
            (json!(256), "190100"),
            (json!(65536), "1a00010000"),
            (json!(4294967296u64), "1b0000000100000000"),
            (json!(-1), "20"),
            (json!(-25), "3818"),
        ];
        for (value, expected) in cases {
            assert_eq!(hex(&encode(&value).unwrap()), expected, "{value}");
        }
    }

    #[test]
    fn map_keys_sort_by_length_then_bytes() {
        // {"b":1,"aa":2,"a":3} -> a, b, aa
        let value = json!({"aa": 2, "b": 1, "a": 3});
        assert_eq!(hex(&encode(&value).unwrap()), "a361610361620162616102");
    }

    #[test]
    fn links_and_bytes_use_tag_42_and_byte_strings() {
        let cid = "bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm";
        let bytes = encode(&json!({"$link": cid})).unwrap();
        assert_eq!(&bytes[..4], &[0xd8, 42, 0x58, 37]);
        assert_eq!(bytes[4], 0);
        assert_eq!(format!("b{}", base32_encode(&bytes[5..])), cid);
        assert_eq!(
            hex(&encode(&json!({"$bytes": "AQID"})).unwrap()),
            "43010203"
        );
        // An object with other keys besides `$link` is a plain map.
        assert_eq!(encode(&json!({"$link": cid, "x": 1})).unwrap()[0], 0xa2);
    }

    #[test]
    fn floats_and_bad_links_are_errors_with_their_path() {
        let err = encode(&json!({"defs": {"main": {"default": 1.5}}})).unwrap_err();
        assert_eq!(
            err.to_string(),
            "at defs.main.default: 1.5 is not an integer: the atproto data model has no floats"
        );
        let err = encode(&json!({"a": [{"$link": "Qmfoo"}]})).unwrap_err();
        assert_eq!(err.path, "a.[0]");
    }

    #[test]
    fn cids_match_the_reference_implementation() {
        // Computed with @ipld/dag-cbor 9 + multiformats (what the PDS uses),
        // from target/e2e/node_modules.
        assert_eq!(
            cid_of(&json!({"hello": "world"})).unwrap(),
            "bafyreidykglsfhoixmivffc5uwhcgshx4j465xwqntbmu43nb2dzqwfvae"
        );
        // Every kind of value: integer heads, null, booleans, key order,
        // bytes and a link.
        let value = json!({
            "a": [1, -25, 256, 65536, 4294967296u64], "b": null, "c": true,
            "$x": {"bb": 1, "a": 2}, "bytes": {"$bytes": "AQID"},
            "link": {"$link": "bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm"}
        });
        assert_eq!(
            cid_of(&value).unwrap(),
            "bafyreieo56t5w4cgrzqz7dl7jb26zhoubyt57dmyoesvpphiclcwhznxbq"
        );
    }
}
