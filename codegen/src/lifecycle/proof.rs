//! Verifying that a record is in a repository, signed by its owner: the
//! `com.atproto.sync.getRecord` proof is a CAR file holding the signed
//! commit, the MST nodes on the path to the record, and the record. The
//! commit's signature must verify with the DID document's `#atproto` key,
//! and the MST must map `collection/rkey` to the record's CID. This is the
//! check `@atproto/lex` makes; the CID check alone only shows that the PDS
//! answered consistently, not that the account signed it.

use super::cbor::{self, Ipld};
use atproto_lexgen_runtime::crypto::PublicKey;
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// Checks `car` (the proof for `collection/rkey` in `did`'s repository)
/// against the account's signing key; returns the record's CID in binary
/// form.
pub fn verify(
    car: &[u8],
    did: &str,
    key: &PublicKey,
    collection: &str,
    rkey: &str,
) -> Result<Vec<u8>, String> {
    let (root, blocks) = read_car(car)?;
    let commit = block(&blocks, &root, "commit")?;
    if commit.get("did") != Some(&Ipld::Text(did.to_owned())) {
        return Err("the commit is for another repository".into());
    }
    let Some(Ipld::Bytes(sig)) = commit.get("sig") else {
        return Err("the commit has no signature".into());
    };
    let Ipld::Map(mut unsigned) = commit.clone() else {
        return Err("the commit is not a map".into());
    };
    unsigned.remove("sig");
    key.verify(&cbor::encode(&Ipld::Map(unsigned)), sig)
        .map_err(|e| format!("the commit signature does not verify: {e}"))?;
    let Some(Ipld::Link(data)) = commit.get("data") else {
        return Err("the commit has no `data` (MST root)".into());
    };
    let key = format!("{collection}/{rkey}");
    mst_lookup(&blocks, data, key.as_bytes())?
        .ok_or_else(|| format!("the signed repository has no record {key}"))
}

/// The blocks of a CAR file: binary CID -> block bytes.
type Blocks<'a> = HashMap<Vec<u8>, &'a [u8]>;

/// The root CID and the blocks (CID -> bytes) of a CARv1 file, every
/// block checked against its CID's SHA-256 digest.
fn read_car(car: &[u8]) -> Result<(Vec<u8>, Blocks<'_>), String> {
    let mut pos = 0;
    let header_len = varint(car, &mut pos)? as usize;
    let header = car
        .get(pos..pos + header_len)
        .ok_or("truncated CAR header")?;
    pos += header_len;
    let header = cbor::decode(header).map_err(|e| format!("CAR header: {e}"))?;
    let root = match header.get("roots") {
        Some(Ipld::List(roots)) => match roots.as_slice() {
            [Ipld::Link(root)] => root.clone(),
            _ => return Err("the CAR file does not have exactly one root".into()),
        },
        _ => return Err("the CAR header has no roots".into()),
    };
    let mut blocks = HashMap::new();
    while pos < car.len() {
        let len = varint(car, &mut pos)? as usize;
        let section = car.get(pos..pos + len).ok_or("truncated CAR block")?;
        pos += len;
        let mut at = 0;
        let version = varint(section, &mut at)?;
        let _codec = varint(section, &mut at)?;
        let hash = varint(section, &mut at)?;
        let digest_len = varint(section, &mut at)? as usize;
        let digest = section.get(at..at + digest_len).ok_or("truncated CID")?;
        let (cid, data) = section.split_at(at + digest_len);
        if version != 1 || hash != 0x12 || digest != &Sha256::digest(data)[..] {
            return Err("a block does not match its CID (or is not CIDv1 sha2-256)".into());
        }
        blocks.insert(cid.to_vec(), data);
    }
    Ok((root, blocks))
}

fn varint(bytes: &[u8], pos: &mut usize) -> Result<u64, String> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *bytes.get(*pos).ok_or("truncated varint")?;
        *pos += 1;
        value |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Ok(value);
        }
    }
    Err("varint too long".into())
}

fn block(blocks: &Blocks<'_>, cid: &[u8], what: &str) -> Result<Ipld, String> {
    let data = blocks
        .get(cid)
        .ok_or_else(|| format!("the proof lacks the {what} block"))?;
    cbor::decode(data).map_err(|e| format!("{what} block: {e}"))
}

/// The value CID of `key` in the MST rooted at `root`, following only the
/// path the key sorts into (the proof holds just those nodes).
fn mst_lookup(blocks: &Blocks<'_>, root: &[u8], key: &[u8]) -> Result<Option<Vec<u8>>, String> {
    let mut node_cid = root.to_vec();
    for _ in 0..256 {
        let node = block(blocks, &node_cid, "MST node")?;
        let entries = match node.get("e") {
            Some(Ipld::List(e)) => e,
            _ => return Err("an MST node has no entries list".into()),
        };
        // The subtree left of the first entry is `l`; after entry i, its `t`.
        let mut left = node.get("l");
        let mut previous: Vec<u8> = Vec::new();
        let mut next = None;
        for entry in entries {
            let (Some(Ipld::Int(p)), Some(Ipld::Bytes(suffix))) = (entry.get("p"), entry.get("k"))
            else {
                return Err("an MST entry has no `p` or `k`".into());
            };
            let keep = usize::try_from(*p).ok().filter(|&p| p <= previous.len());
            let mut full = previous[..keep.ok_or("an MST entry's prefix is too long")?].to_vec();
            full.extend_from_slice(suffix);
            match key.cmp(full.as_slice()) {
                std::cmp::Ordering::Equal => {
                    return match entry.get("v") {
                        Some(Ipld::Link(v)) => Ok(Some(v.clone())),
                        _ => Err("an MST entry has no value".into()),
                    };
                }
                std::cmp::Ordering::Less => {
                    next = Some(left);
                    break;
                }
                std::cmp::Ordering::Greater => {
                    left = entry.get("t");
                    previous = full;
                }
            }
        }
        match next.unwrap_or(left) {
            Some(Ipld::Link(child)) => node_cid = child.clone(),
            _ => return Ok(None),
        }
    }
    Err("the MST is too deep".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_are_leb128() {
        let mut pos = 0;
        assert_eq!(varint(&[0xac, 0x02], &mut pos).unwrap(), 300);
        assert_eq!(pos, 2);
    }
}
