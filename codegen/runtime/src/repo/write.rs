//! Writing repositories: the MST of a set of records, node for node what a
//! PDS computes (so its root is the commit's `data` CID), and CAR v1 files.
//!
//! A key's layer is the number of leading zero bit pairs of its sha2-256
//! (fanout 4). The root sits at the highest layer; each node holds the
//! keys of its layer in order, the keys between two of them going into a
//! subtree one layer down (a node with no keys of its own still exists
//! there, holding just its left subtree), each key stored as the length of
//! the prefix it shares with the node's previous key plus the rest.

use super::super::cbor::{self, cid_of_bytes, cid_to_bytes, push_varint, Error, CODEC_DAG_CBOR};
use super::super::formats::Cid;
use super::super::types::Data;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// The blocks of an MST: its root and every node, children first.
#[derive(Debug, Clone, PartialEq)]
pub struct Mst {
    /// The root node's CID (a commit's `data`).
    pub root: Cid,
    /// Every node block as `(CID, DAG-CBOR bytes)`, the root last.
    pub blocks: Vec<(Cid, Vec<u8>)>,
}

/// The MST layer of a key: leading zero bit pairs of its sha2-256.
pub fn layer(key: &str) -> u32 {
    let mut zeros = 0;
    for byte in Sha256::digest(key.as_bytes()) {
        zeros += byte.leading_zeros();
        if byte != 0 {
            break;
        }
    }
    zeros / 2
}

impl Mst {
    /// The MST of `(collection/rkey, record CID)` entries, which must be in
    /// strictly ascending key order (as [`super::Repo::keys`] gives them).
    ///
    /// # Errors
    ///
    /// Keys out of order, duplicated or empty.
    pub fn build(entries: &[(String, Cid)]) -> Result<Mst, Error> {
        for pair in entries.windows(2) {
            if pair[0].0 >= pair[1].0 {
                return Err(Error::new(format!(
                    "MST keys must be strictly ascending: {:?} then {:?}",
                    pair[0].0, pair[1].0
                )));
            }
        }
        if entries.iter().any(|(key, _)| key.is_empty()) {
            return Err(Error::new("an MST key is empty"));
        }
        let layers: Vec<u32> = entries.iter().map(|(key, _)| layer(key)).collect();
        let top = layers.iter().copied().max().unwrap_or(0);
        let mut blocks = Vec::new();
        let root = node(entries, &layers, top, &mut blocks)?;
        Ok(Mst { root, blocks })
    }
}

/// One node at `layer` over `entries` (all at `layer` or below); appends
/// its subtrees' blocks, then its own, and returns its CID.
fn node(
    entries: &[(String, Cid)],
    layers: &[u32],
    layer: u32,
    blocks: &mut Vec<(Cid, Vec<u8>)>,
) -> Result<Cid, Error> {
    let mut left = Data::Null;
    let mut own: Vec<BTreeMap<String, Data>> = Vec::new();
    let mut previous: &[u8] = b"";
    let mut start = 0;
    for i in 0..=entries.len() {
        if i < entries.len() && layers[i] != layer {
            continue;
        }
        // entries[start..i] lie between two keys of this layer.
        let subtree = if start < i {
            let below = layer
                .checked_sub(1)
                .ok_or_else(|| Error::new("MST: a key below layer 0"))?;
            Data::Link(node(&entries[start..i], &layers[start..i], below, blocks)?)
        } else {
            Data::Null
        };
        match own.last_mut() {
            Some(entry) => {
                entry.insert("t".into(), subtree);
            }
            None => left = subtree,
        }
        if let Some((key, cid)) = entries.get(i) {
            let key = key.as_bytes();
            let shared = key.iter().zip(previous).take_while(|(a, b)| a == b).count();
            let mut entry = BTreeMap::new();
            entry.insert("p".into(), Data::Integer(shared as i64)); // < key length
            entry.insert("k".into(), Data::Bytes(key[shared..].to_vec()));
            entry.insert("v".into(), Data::Link(cid.clone()));
            entry.insert("t".into(), Data::Null);
            own.push(entry);
            previous = key;
        }
        start = i + 1;
    }
    let mut map = BTreeMap::new();
    map.insert("l".into(), left);
    map.insert(
        "e".into(),
        Data::Array(own.into_iter().map(Data::Object).collect()),
    );
    let bytes = cbor::encode(&Data::Object(map))?;
    let cid = cid_of_bytes(CODEC_DAG_CBOR, &bytes)?;
    blocks.push((cid.clone(), bytes));
    Ok(cid)
}

/// A CAR v1 file of `roots` and `blocks`, in the order given (blocks are
/// written as they are, not re-hashed).
///
/// # Errors
///
/// A CID that does not decode.
pub fn write_car(roots: &[Cid], blocks: &[(Cid, Vec<u8>)]) -> Result<Vec<u8>, Error> {
    let header = cbor::encode(&Data::Object(BTreeMap::from([
        (
            "roots".to_owned(),
            Data::Array(roots.iter().cloned().map(Data::Link).collect()),
        ),
        ("version".to_owned(), Data::Integer(1)),
    ])))?;
    let mut out =
        Vec::with_capacity(header.len() + blocks.iter().map(|(_, b)| b.len() + 48).sum::<usize>());
    push_varint(&mut out, header.len() as u64);
    out.extend(header);
    for (cid, block) in blocks {
        let cid = cid_to_bytes(cid)?;
        push_varint(&mut out, (cid.len() + block.len()) as u64);
        out.extend(cid);
        out.extend_from_slice(block);
    }
    Ok(out)
}
