use super::*;
use crate::cbor::{cid_of_bytes, cid_to_bytes, encode, CODEC_DAG_CBOR};
use std::collections::{BTreeMap, HashMap};

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

#[test]
fn key_layers_are_the_specs() {
    // The examples of the atproto repository specification.
    assert_eq!(layer("2653ae71"), 0);
    assert_eq!(layer("blue"), 1);
    assert_eq!(layer("app.bsky.feed.post/454397e440ec"), 4);
    assert_eq!(layer("app.bsky.feed.post/9adeb165882c"), 8);
}

/// `n` posts' keys and record CIDs, in key order.
fn entries(n: usize) -> Vec<(String, Cid)> {
    let mut out: Vec<(String, Cid)> = (0..n)
        .map(|i| {
            let cid = cid_of_bytes(CODEC_DAG_CBOR, &record(&i.to_string())).unwrap();
            (format!("app.bsky.feed.post/3k{i:011}"), cid)
        })
        .collect();
    out.sort();
    out
}

/// A CAR of the MST of `entries` under an (unsigned) commit.
fn written(entries: &[(String, Cid)]) -> (Mst, Vec<u8>) {
    let mst = Mst::build(entries).unwrap();
    let commit = encode(&obj(&[
        ("did", Data::String("did:plc:abc".into())),
        ("version", Data::Integer(3)),
        ("data", Data::Link(mst.root.clone())),
        ("rev", Data::String("3aaaaaaaaaaaa".into())),
        ("prev", Data::Null),
        ("sig", Data::Bytes(vec![0; 64])),
    ]))
    .unwrap();
    let commit_cid = cid_of_bytes(CODEC_DAG_CBOR, &commit).unwrap();
    let mut blocks = vec![(commit_cid.clone(), commit)];
    blocks.extend(mst.blocks.iter().cloned());
    for i in 0..entries.len() {
        let bytes = record(&i.to_string());
        blocks.push((cid_of_bytes(CODEC_DAG_CBOR, &bytes).unwrap(), bytes));
    }
    (mst.clone(), write_car(&[commit_cid], &blocks).unwrap())
}

#[test]
fn a_written_mst_reads_back_as_its_entries() {
    for n in [0, 1, 2, 17, 1000] {
        let entries = entries(n);
        let (mst, car) = written(&entries);
        let repo = Repo::from_car(&car).unwrap();
        assert_eq!(repo.commit.data, mst.root);
        assert_eq!(repo.keys().unwrap(), entries, "{n} entries");
        assert_eq!(repo.records::<Data>().unwrap().count(), n);
        // Deterministic, and the root is the last block.
        assert_eq!(Mst::build(&entries).unwrap(), mst);
        assert_eq!(mst.blocks.last().map(|(cid, _)| cid), Some(&mst.root));
    }
}

#[test]
fn mst_nodes_keep_each_layer_and_share_prefixes() {
    let entries = entries(1000);
    let mst = Mst::build(&entries).unwrap();
    let top = entries.iter().map(|(k, _)| layer(k)).max().unwrap();
    assert!(top >= 2, "1000 keys reach layer {top}");
    let nodes: HashMap<&Cid, Data> = mst
        .blocks
        .iter()
        .map(|(cid, bytes)| (cid, crate::cbor::decode(bytes).unwrap()))
        .collect();
    // Every key of a node is at the node's layer; subtrees one below.
    fn check(nodes: &HashMap<&Cid, Data>, cid: &Cid, layer_of: u32, count: &mut usize) {
        let Data::Object(node) = &nodes[cid] else {
            panic!()
        };
        if let Data::Link(left) = &node["l"] {
            check(nodes, left, layer_of - 1, count);
        }
        let Data::Array(entries) = &node["e"] else {
            panic!()
        };
        let mut previous = Vec::new();
        for entry in entries {
            let Data::Object(entry) = entry else { panic!() };
            let (Data::Integer(p), Data::Bytes(k)) = (&entry["p"], &entry["k"]) else {
                panic!()
            };
            let mut key = previous[..*p as usize].to_vec();
            key.extend(k);
            assert!(*p == 0 || previous[*p as usize - 1] == key[*p as usize - 1]);
            assert_eq!(layer(std::str::from_utf8(&key).unwrap()), layer_of);
            *count += 1;
            if let Data::Link(right) = &entry["t"] {
                check(nodes, right, layer_of - 1, count);
            }
            previous = key;
        }
    }
    let mut count = 0;
    check(&nodes, &mst.root, top, &mut count);
    assert_eq!(count, 1000);
    assert!(Mst::build(&[entries[1].clone(), entries[0].clone()]).is_err());
}

/// The keys of a repository whose MST is the one node `node` (raw bytes),
/// over the records "a" and "b".
fn keys_of_node(node: Vec<u8>) -> Result<Vec<(String, Cid)>, crate::cbor::Error> {
    let link = Data::Link(cid_of_bytes(CODEC_DAG_CBOR, &node).unwrap());
    let commit = encode(&obj(&[
        ("did", Data::String("did:plc:abc".into())),
        ("version", Data::Integer(3)),
        ("data", link),
        ("rev", Data::String("3aaaaaaaaaaaa".into())),
        ("prev", Data::Null),
        ("sig", Data::Bytes(vec![1; 64])),
    ]))
    .unwrap();
    Repo::from_car(&car(&[commit, node, record("a"), record("b")]))?.keys()
}

#[test]
fn mst_nodes_are_read_strictly_without_data_trees() {
    let a = Data::Link(cid_of_bytes(CODEC_DAG_CBOR, &record("a")).unwrap());
    let entry = |extra: &[(&str, Data)]| {
        let mut fields = vec![
            ("p", Data::Integer(0)),
            ("k", Data::Bytes(b"app.bsky.feed.post/3aaa".to_vec())),
            ("v", a.clone()),
            ("t", Data::Null),
        ];
        fields.extend(extra.iter().cloned());
        obj(&fields)
    };
    let node = |l: Data, e: Data, extra: &[(&str, Data)]| {
        let mut fields = vec![("l", l), ("e", e)];
        fields.extend(extra.iter().cloned());
        encode(&obj(&fields)).unwrap()
    };
    let nested = obj(&[("x", Data::Array(vec![Data::Integer(1), obj(&[])]))]);
    // Unknown fields of nodes and entries (maps, arrays) are skipped.
    let keys = keys_of_node(node(
        Data::Null,
        Data::Array(vec![entry(&[("zz", nested.clone())])]),
        &[("zz", Data::Array(vec![nested]))],
    ))
    .unwrap();
    assert_eq!(keys, [("app.bsky.feed.post/3aaa".to_owned(), a_cid())]);
    let err = |bytes: Vec<u8>| keys_of_node(bytes).unwrap_err().to_string();
    let one = Data::Array(vec![entry(&[])]);
    // Trailing bytes and non-canonical CBOR are still errors.
    let mut trailing = node(Data::Null, one.clone(), &[]);
    trailing.push(0);
    assert!(err(trailing).contains("1 trailing bytes"));
    // {"l": null, "e": [..]}: keys out of order.
    let mut unordered = vec![0xa2, 0x61, b'l', 0xf6, 0x61, b'e'];
    unordered.extend(encode(&one).unwrap());
    assert!(err(unordered).contains("out-of-order map key"));
    // Shape errors name what is wrong.
    assert!(err(node(Data::Null, Data::Null, &[])).contains("`e` must be an array"));
    assert!(err(node(Data::Integer(1), one.clone(), &[])).contains("link or null"));
    assert!(err(node(obj(&[]), one, &[])).contains("link or null"));
    let no_t = obj(&[
        ("p", Data::Integer(0)),
        ("k", Data::Bytes(b"x".to_vec())),
        ("v", a.clone()),
    ]);
    assert!(err(node(Data::Null, Data::Array(vec![no_t]), &[])).contains("missing `t`"));
    let mut bad_v = entry(&[]);
    if let Data::Object(map) = &mut bad_v {
        map.insert("v".into(), obj(&[]));
    }
    assert!(err(node(Data::Null, Data::Array(vec![bad_v]), &[])).contains("malformed entry"));
    assert!(err(encode(&Data::Array(vec![])).unwrap()).contains("is not a map"));
}

fn a_cid() -> Cid {
    cid_of_bytes(CODEC_DAG_CBOR, &record("a")).unwrap()
}
