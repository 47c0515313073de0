//! CAR v1 files (`application/vnd.ipld.car`): a DAG-CBOR header
//! `{"roots": [cid...], "version": 1}`, then sections of varint length,
//! binary CID and block bytes.

use super::super::cbor::{self, cid::block_matches, cid_from_bytes, Error};
use super::super::formats::Cid;
use super::super::types::Data;
use std::collections::HashMap;

/// The blocks of a CAR file, by CID.
#[derive(Debug, Clone, Default)]
pub struct Car {
    /// The header's roots (for a repository: the signed commit).
    pub roots: Vec<Cid>,
    /// Every block, by CID.
    pub blocks: HashMap<Cid, Vec<u8>>,
}

/// Reads an unsigned LEB128 varint (at most 9 bytes) at `*pos`.
fn varint(bytes: &[u8], pos: &mut usize, what: &str) -> Result<u64, Error> {
    let mut n = 0u64;
    for i in 0..9 {
        let Some(&b) = bytes.get(*pos) else {
            return Err(Error::new(format!("CAR: truncated {what} at byte {pos}")));
        };
        *pos += 1;
        n |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            return Ok(n);
        }
    }
    Err(Error::new(format!(
        "CAR: {what} varint too long at byte {pos}"
    )))
}

fn slice<'a>(bytes: &'a [u8], pos: &mut usize, len: u64, what: &str) -> Result<&'a [u8], Error> {
    let start = *pos;
    let end = usize::try_from(len)
        .ok()
        .and_then(|len| start.checked_add(len))
        .filter(|&end| end <= bytes.len())
        .ok_or_else(|| Error::new(format!("CAR: {what} at byte {start} runs past the end")))?;
    *pos = end;
    Ok(bytes.get(start..end).unwrap_or_default())
}

impl Car {
    /// Reads a CAR v1 file. With `verify`, every block's CID is recomputed
    /// (sha2-256 of the block under the CID's codec) and must match.
    ///
    /// # Errors
    ///
    /// Malformed files, CIDs that are not sha2-256 CIDv1, mismatching blocks.
    pub fn read(bytes: &[u8], verify: bool) -> Result<Car, Error> {
        let mut pos = 0;
        let header_len = varint(bytes, &mut pos, "header length")?;
        let header = cbor::decode(slice(bytes, &mut pos, header_len, "the header")?)
            .map_err(|e| Error::new(format!("CAR header: {e}")))?;
        let roots = match &header {
            Data::Object(map) if map.get("version") == Some(&Data::Integer(1)) => {
                match map.get("roots") {
                    Some(Data::Array(roots)) => roots
                        .iter()
                        .map(|r| match r {
                            Data::Link(cid) => Ok(cid.clone()),
                            _ => Err(Error::new("CAR header: a root is not a link")),
                        })
                        .collect::<Result<Vec<_>, _>>()?,
                    _ => return Err(Error::new("CAR header: `roots` must be an array")),
                }
            }
            _ => {
                return Err(Error::new(
                    "CAR header: expected {\"version\": 1, \"roots\": [...]}",
                ))
            }
        };
        let mut blocks = HashMap::new();
        while pos < bytes.len() {
            let at = pos;
            let len = varint(bytes, &mut pos, "section length")?;
            let section = slice(bytes, &mut pos, len, "a section")?;
            let (codec, digest_at) = section_cid(section)
                .map_err(|e| Error::new(format!("CAR section at byte {at}: {e}")))?;
            let (cid_bytes, block) = section.split_at(digest_at + 32);
            let cid = cid_from_bytes(cid_bytes)
                .map_err(|e| Error::new(format!("CAR section at byte {at}: {e}")))?;
            if verify && !block_matches(cid_bytes, codec, block) {
                return Err(Error::new(format!(
                    "CAR section at byte {at}: block does not hash to its CID {cid}"
                )));
            }
            blocks.insert(cid, block.to_vec());
        }
        Ok(Car { roots, blocks })
    }
}

/// The codec of a section's leading CIDv1 and where its 32-byte sha2-256
/// digest starts.
fn section_cid(section: &[u8]) -> Result<(u64, usize), Error> {
    let mut pos = 0;
    let version = varint(section, &mut pos, "CID version")?;
    let codec = varint(section, &mut pos, "CID codec")?;
    let hash = varint(section, &mut pos, "multihash code")?;
    let len = varint(section, &mut pos, "digest length")?;
    if version != 1 || hash != 0x12 || len != 32 || section.len() < pos + 32 {
        return Err(Error::new(
            "the block's CID is not a CIDv1 with a sha2-256 digest",
        ));
    }
    Ok((codec, pos))
}
