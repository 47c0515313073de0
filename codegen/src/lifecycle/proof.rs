//! Verifying that a record is in a repository, signed by its owner: the
//! `com.atproto.sync.getRecord` proof is a CAR file holding the signed
//! commit, the MST nodes on the path to the record, and the record. The
//! commit's signature must verify with the DID document's `#atproto` key,
//! and the MST must map `collection/rkey` to the record's CID. This is the
//! check `@atproto/lex` makes; the CID check alone only shows that the PDS
//! answered consistently, not that the account signed it.

use super::cbor::{self, Ipld};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// Checks `car` (the proof for `collection/rkey` in `did`'s repository)
/// against the signing key (verification method type, `publicKeyMultibase`);
/// returns the record's CID in binary form.
pub fn verify(
    car: &[u8],
    did: &str,
    key: (&str, &str),
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
    verify_signature(key, &cbor::encode(&Ipld::Map(unsigned)), sig)?;
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

/// The curve and SEC1 point of a signing key: a `Multikey` carries a
/// multicodec prefix (`0xe7 0x01` secp256k1, `0x80 0x24` P-256); the
/// legacy `EcdsaSecp256k1VerificationKey2019` and
/// `EcdsaSecp256r1VerificationKey2019` types hold the bare point.
fn key_point(kind: &str, multibase: &str) -> Result<(bool, Vec<u8>), String> {
    let bytes = multibase
        .strip_prefix('z')
        .and_then(base58_decode)
        .ok_or("the signing key is not base58btc multibase")?;
    match (kind, bytes.as_slice()) {
        ("Multikey", [0xe7, 0x01, point @ ..]) => Ok((true, point.to_vec())),
        ("Multikey", [0x80, 0x24, point @ ..]) => Ok((false, point.to_vec())),
        ("EcdsaSecp256k1VerificationKey2019", _) => Ok((true, bytes)),
        ("EcdsaSecp256r1VerificationKey2019", _) => Ok((false, bytes)),
        _ => Err(format!(
            "unsupported signing key type {kind:?} (secp256k1 and P-256 only)"
        )),
    }
}

/// ECDSA over SHA-256, the signature as 64 bytes `r || s` with low `s`.
fn verify_signature((kind, key): (&str, &str), message: &[u8], sig: &[u8]) -> Result<(), String> {
    use k256::ecdsa::signature::Verifier;
    let bad = |e: &dyn std::fmt::Display| format!("the commit signature does not verify: {e}");
    let (secp256k1, point) = key_point(kind, key)?;
    if secp256k1 {
        let vk = k256::ecdsa::VerifyingKey::from_sec1_bytes(&point).map_err(|e| bad(&e))?;
        let sig = k256::ecdsa::Signature::from_slice(sig).map_err(|e| bad(&e))?;
        if sig.normalize_s().is_some() {
            return Err(bad(&"high-S signature"));
        }
        vk.verify(message, &sig).map_err(|e| bad(&e))
    } else {
        let vk = p256::ecdsa::VerifyingKey::from_sec1_bytes(&point).map_err(|e| bad(&e))?;
        let sig = p256::ecdsa::Signature::from_slice(sig).map_err(|e| bad(&e))?;
        if sig.normalize_s().is_some() {
            return Err(bad(&"high-S signature"));
        }
        vk.verify(message, &sig).map_err(|e| bad(&e))
    }
}

const BASE58: &[u8; 58] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

fn base58_decode(text: &str) -> Option<Vec<u8>> {
    let mut out: Vec<u8> = Vec::new(); // little-endian
    for c in text.bytes() {
        let mut carry = BASE58.iter().position(|&x| x == c)? as u32;
        for b in out.iter_mut() {
            carry += u32::from(*b) * 58;
            *b = carry as u8;
            carry >>= 8;
        }
        while carry > 0 {
            out.push(carry as u8);
            carry >>= 8;
        }
    }
    let zeros = text.bytes().take_while(|&c| c == b'1').count();
    out.extend(std::iter::repeat(0).take(zeros));
    out.reverse();
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base58_decodes_leading_zeros_and_values() {
        assert_eq!(base58_decode("1112").unwrap(), vec![0, 0, 0, 1]);
        assert_eq!(base58_decode("5R").unwrap(), vec![1, 0]);
        assert!(base58_decode("0").is_none());
    }

    #[test]
    fn legacy_and_multikey_keys_decode_to_points() {
        // A legacy key from the reference PDS's DID documents
        // (tests/e2e/captured/createAccount.json): an uncompressed point.
        let legacy = "zQyyCXTvm4B5538MSAJdrxZPuJQVnCFAQSnWyMkJGn7wETmDGZL4TUANTACEH2k9ygqpeqwxJAvQLURjk5Tbqadee";
        let (secp256k1, point) = key_point("EcdsaSecp256k1VerificationKey2019", legacy).unwrap();
        assert!(secp256k1);
        assert!(k256::ecdsa::VerifyingKey::from_sec1_bytes(&point).is_ok());
        // A secp256k1 Multikey: the 0xe7 0x01 prefix, then a compressed point.
        let multikey = "zQ3shqwJEJyMBsBXCWyCBpUBMqxcon9oHB7mCvx4sSpMdLJwc";
        let (secp256k1, point) = key_point("Multikey", multikey).unwrap();
        assert!(secp256k1 && point.len() == 33);
        assert!(k256::ecdsa::VerifyingKey::from_sec1_bytes(&point).is_ok());
        assert!(key_point("Ed25519VerificationKey2020", multikey).is_err());
    }

    #[test]
    fn varints_are_leb128() {
        let mut pos = 0;
        assert_eq!(varint(&[0xac, 0x02], &mut pos).unwrap(), 300);
        assert_eq!(pos, 2);
    }
}
