//! The 10,000-post repository: the posts workload (`posts.rs`, same seed)
//! as DAG-CBOR records under TID keys, its MST built by the runtime's
//! writer (`repo::Mst`, whose root a test checks against the PDS's and
//! [`check`] against atrium's), an unsigned commit, as one CAR; and the
//! contenders reading all of it back into records: lexgen (typed
//! `records::Record` or untyped `Data`, CID verification on or off),
//! atrium-repo (its CAR store always verifies) with atrium-api's
//! `KnownRecord`, jacquard-repo (no verification) with jacquard-api's
//! `Post`.

use crate::cases::Case;
use crate::rounds::{batched, Round};
use atproto_types::cbor::{self, cid_of_bytes, CODEC_DAG_CBOR};
use atproto_types::formats::Cid;
use atproto_types::records::Record;
use atproto_types::repo::{write_car, Mst, Repo};
use atproto_types::types::Data;
use std::collections::BTreeMap;

type AtriumRecord = atrium_api::record::KnownRecord;
type JacquardPost = jacquard_api::app_bsky::feed::post::Post;

/// A TID-shaped record key (13 base32-sortable characters) for `n`.
fn tid(n: u64) -> String {
    const ALPHABET: &[u8; 32] = b"234567abcdefghijklmnopqrstuvwxyz";
    // Microseconds from 2024 on, 10-bit clock id 0: sorts like real TIDs.
    let mut v = (1_704_067_200_000_000 + n * 1_000) << 10;
    let mut out = [0u8; 13];
    for c in out.iter_mut().rev() {
        *c = ALPHABET[(v & 31) as usize];
        v >>= 5;
    }
    String::from_utf8(out.to_vec()).expect("ASCII")
}

/// The CAR of one repository holding every post of `lines` (JSON).
pub fn repo_car(lines: &[&str]) -> Vec<u8> {
    let mut records: BTreeMap<String, (Cid, Vec<u8>)> = BTreeMap::new();
    for (i, line) in lines.iter().enumerate() {
        let json: serde_json::Value = serde_json::from_str(line).expect("JSON");
        let bytes = cbor::encode(&Data::from_json(&json).expect("data model")).expect("CBOR");
        let cid = cid_of_bytes(CODEC_DAG_CBOR, &bytes).expect("CID");
        records.insert(
            format!("app.bsky.feed.post/{}", tid(i as u64)),
            (cid, bytes),
        );
    }
    let entries: Vec<(String, Cid)> = records
        .iter()
        .map(|(key, (cid, _))| (key.clone(), cid.clone()))
        .collect();
    let mst = Mst::build(&entries).expect("MST");
    let commit = Data::Object(BTreeMap::from([
        (
            "did".into(),
            Data::String("did:plc:ewvi7nxzyoun6zhxrhs64oiz".into()),
        ),
        ("version".into(), Data::Integer(3)),
        ("data".into(), Data::Link(mst.root.clone())),
        ("rev".into(), Data::String(tid(lines.len() as u64))),
        ("prev".into(), Data::Null),
        ("sig".into(), Data::Bytes(vec![7; 64])),
    ]));
    let commit = cbor::encode(&commit).expect("CBOR");
    let commit_cid = cid_of_bytes(CODEC_DAG_CBOR, &commit).expect("CID");
    let mut blocks = vec![(commit_cid.clone(), commit)];
    blocks.extend(mst.blocks);
    blocks.extend(records.into_values());
    write_car(&[commit_cid], &blocks).expect("CAR")
}

fn ours<R: cbor::FromData>(car: &[u8], verify: bool) -> usize {
    let repo = Repo::from_car_with(car, verify).expect("CAR");
    let records: Vec<_> = repo
        .records::<R>()
        .expect("MST")
        .map(|entry| entry.expect("record"))
        .collect();
    records.len()
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("tokio")
}

/// atrium-repo: the CAR store (every block verified as it is indexed),
/// the commit, the MST's entries, each record read as `KnownRecord`.
fn atrium(rt: &tokio::runtime::Runtime, car: &[u8]) -> Vec<AtriumRecord> {
    use atrium_repo::blockstore::{AsyncBlockStoreRead, CarStore};
    use futures::TryStreamExt;
    rt.block_on(async {
        let mut store = CarStore::open(std::io::Cursor::new(car))
            .await
            .expect("CAR");
        let root = store.roots().next().expect("a root");
        let mut repo = atrium_repo::Repository::open(&mut store, root)
            .await
            .expect("commit");
        let entries: Vec<(String, atrium_repo::Cid)> =
            repo.tree().entries().try_collect().await.expect("MST");
        drop(repo);
        let mut out = Vec::with_capacity(entries.len());
        for (_, cid) in entries {
            let block = store.read_block(cid).await.expect("block");
            out.push(serde_ipld_dagcbor::from_slice::<AtriumRecord>(&block).expect("record"));
        }
        out
    })
}

/// jacquard-repo: the CAR parsed into a block map, the commit, the MST's
/// leaves, each record read as jacquard-api's `Post`.
fn jacquard(rt: &tokio::runtime::Runtime, car: &[u8]) -> Vec<Result<JacquardPost, String>> {
    use jacquard_repo::storage::{BlockStore, MemoryBlockStore};
    use std::sync::Arc;
    rt.block_on(async {
        let parsed = jacquard_repo::car::parse_car_bytes(car).await.expect("CAR");
        let store = Arc::new(MemoryBlockStore::new_from_blocks(parsed.blocks));
        let repo = jacquard_repo::Repository::<String, _>::from_commit(store.clone(), &parsed.root)
            .await
            .expect("commit");
        let leaves = repo.mst().leaves().await.expect("MST");
        let mut out = Vec::with_capacity(leaves.len());
        for (_, cid) in leaves {
            let block = store.get(&cid).await.expect("store").expect("block");
            out.push(
                serde_ipld_dagcbor::from_slice::<JacquardPost>(&block).map_err(|e| e.to_string()),
            );
        }
        out
    })
}

/// Every contender reads all `n` records; atrium's MST of the same keys
/// has our root.
pub fn check(car: &[u8], n: usize) {
    assert_eq!(ours::<Record>(car, true), n);
    assert_eq!(ours::<Data>(car, true), n);
    let repo = Repo::from_car(car).expect("CAR");
    assert!(repo.records::<Record>().expect("MST").all(|e| e
        .expect("record")
        .record
        .known_type()
        .is_some()));
    let rt = runtime();
    assert_eq!(atrium(&rt, car).len(), n);
    let jacquard = jacquard(&rt, car);
    assert_eq!(jacquard.len(), n);
    let failed: Vec<&String> = jacquard.iter().filter_map(|r| r.as_ref().err()).collect();
    if let Some(first) = failed.first() {
        println!(
            "| | jacquard-repo + Post | {} of {n} posts fail to decode from DAG-CBOR (first: {first}) | |",
            failed.len()
        );
    }
    let atrium_root = rt.block_on(async {
        let store = atrium_repo::blockstore::MemoryBlockStore::new();
        let mut tree = atrium_repo::mst::Tree::create(store).await.expect("MST");
        for (key, cid) in repo.keys().expect("MST") {
            let cid = atrium_repo::Cid::try_from(cid.as_str()).expect("CID");
            tree.add(&key, cid).await.expect("add");
        }
        tree.root().to_string()
    });
    assert_eq!(atrium_root, repo.commit.data.as_str(), "MST roots differ");
}

/// A round decoding the whole CAR once with `f` (which returns the number
/// of records read), per record.
fn whole<'a>(n: usize, mut f: impl FnMut() -> usize + 'a) -> Round<'a> {
    batched(1, n, || (), move |()| assert_eq!(f(), n))
}

/// The repository CAR decoded whole, ns/record.
pub fn decode_car(car: &[u8], n: usize) -> Case<'_> {
    let rt = std::rc::Rc::new(runtime());
    let rt2 = rt.clone();
    (
        "10,000 posts: repository CAR decoded (MST walked, records typed), ns/record",
        vec![
            (
                "lexgen typed, CIDs verified",
                whole(n, move || ours::<Record>(car, true)),
            ),
            (
                "lexgen typed, no CID check",
                whole(n, move || ours::<Record>(car, false)),
            ),
            (
                "lexgen Data, CIDs verified",
                whole(n, move || ours::<Data>(car, true)),
            ),
            (
                "lexgen Data, no CID check",
                whole(n, move || ours::<Data>(car, false)),
            ),
            (
                "atrium-repo + KnownRecord (verifies)",
                whole(n, move || atrium(&rt, car).len()),
            ),
            (
                "jacquard-repo + Post (no check)",
                whole(n, move || jacquard(&rt2, car).len()),
            ),
        ],
    )
}
