use super::*;
use crate::cbor::{cid_of_bytes, cid_to_bytes, encode, CODEC_DAG_CBOR};
use std::collections::BTreeMap;

pub(crate) fn obj(entries: &[(&str, Data)]) -> Data {
    Data::Object(
        entries
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect::<BTreeMap<_, _>>(),
    )
}

fn varint(out: &mut Vec<u8>, mut n: usize) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// A CAR of the given blocks (first is the root); returns its bytes.
pub(crate) fn car(blocks: &[Vec<u8>]) -> Vec<u8> {
    let cids: Vec<Cid> = blocks
        .iter()
        .map(|b| cid_of_bytes(CODEC_DAG_CBOR, b).unwrap())
        .collect();
    let header = encode(&obj(&[
        ("version", Data::Integer(1)),
        ("roots", Data::Array(vec![Data::Link(cids[0].clone())])),
    ]))
    .unwrap();
    let mut out = Vec::new();
    varint(&mut out, header.len());
    out.extend(header);
    for (block, cid) in blocks.iter().zip(&cids) {
        let cid = cid_to_bytes(cid).unwrap();
        varint(&mut out, cid.len() + block.len());
        out.extend(cid);
        out.extend(block);
    }
    out
}

pub(crate) fn record(text: &str) -> Vec<u8> {
    encode(&obj(&[
        ("$type", Data::String("app.bsky.feed.post".into())),
        ("text", Data::String(text.into())),
    ]))
    .unwrap()
}

fn repo_blocks() -> Vec<Vec<u8>> {
    let (a, b) = (record("a"), record("b"));
    let link = |bytes: &[u8]| Data::Link(cid_of_bytes(CODEC_DAG_CBOR, bytes).unwrap());
    let entry = |p: i64, k: &str, v: Data| {
        obj(&[
            ("p", Data::Integer(p)),
            ("k", Data::Bytes(k.as_bytes().to_vec())),
            ("v", v),
            ("t", Data::Null),
        ])
    };
    let node = encode(&obj(&[
        ("l", Data::Null),
        (
            "e",
            Data::Array(vec![
                entry(0, "app.bsky.feed.post/3aaa", link(&a)),
                entry(20, "bbb", link(&b)),
            ]),
        ),
    ]))
    .unwrap();
    let commit = encode(&obj(&[
        ("did", Data::String("did:plc:abc".into())),
        ("version", Data::Integer(3)),
        ("data", link(&node)),
        ("rev", Data::String("3aaaaaaaaaaaa".into())),
        ("prev", Data::Null),
        ("sig", Data::Bytes(vec![1; 64])),
    ]))
    .unwrap();
    vec![commit, node, a, b]
}

#[test]
fn records_come_out_in_key_order_with_verified_cids() {
    let bytes = car(&repo_blocks());
    let repo = Repo::from_car(&bytes).unwrap();
    assert_eq!(repo.commit.did, "did:plc:abc");
    let entries: Vec<Entry<Data>> = repo.records().unwrap().map(Result::unwrap).collect();
    let keys: Vec<_> = entries
        .iter()
        .map(|e| (e.collection.as_str(), e.rkey.as_str()))
        .collect();
    assert_eq!(
        keys,
        [
            ("app.bsky.feed.post", "3aaa"),
            ("app.bsky.feed.post", "3bbb")
        ]
    );
    assert_eq!(
        entries[1].cid,
        cid_of_bytes(CODEC_DAG_CBOR, &record("b")).unwrap()
    );
    assert_eq!(
        crate::cbor::cid(&entries[1].record).unwrap(),
        entries[1].cid
    );
}

#[test]
fn a_tampered_block_is_rejected() {
    let mut blocks = repo_blocks();
    let bytes = car(&blocks);
    // Swap the last block's bytes for another record under the same CID.
    let good = blocks.pop().unwrap();
    let mut tampered = bytes.clone();
    let at = tampered.len() - good.len();
    tampered.truncate(at);
    let mut evil = record("c");
    evil.truncate(good.len());
    tampered.extend(evil);
    let err = Repo::from_car(&tampered).unwrap_err().to_string();
    assert!(err.contains("does not hash to its CID"), "{err}");
    assert!(Repo::from_car_with(&tampered, false).is_ok());
}
