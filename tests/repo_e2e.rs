//! End to end, DAG-CBOR against the reference PDS (`tests/e2e/pds.sh` sets
//! `LEXGEN_PDS_URL`; skipped without it): every record created has, once
//! decoded into the generated types and re-encoded, exactly the CID the PDS
//! returned; `getRepo` reads back (every block's CID verified, the MST
//! walked) as exactly the records created, all typed, each re-encoding to
//! its block byte for byte; the firehose (`subscribeRepos`, read live by the
//! runtime's WebSocket client, `firehose_client`) carries every change as it
//! happens, typed, in order, and resumes from a cursor.
//!
//! Plain JSON over HTTP on purpose: what is checked is the records' binary
//! form, not the client (which `pds_e2e.rs` covers).

use atproto_types::cbor::{self, FromData};
use atproto_types::client_blocking::ureq;
use atproto_types::com::atproto::sync::subscribe_repos::{self, Message, SubscribeRepos};
use atproto_types::crypto::{Algorithm, PublicKey};
use atproto_types::firehose::Event;
use atproto_types::firehose_client::{Error as HoseError, Firehose};
use atproto_types::identity::{Resolver, SigningKeys};
use atproto_types::records::Record;
use atproto_types::repo::{Mst, Repo};
use atproto_types::types::Data;
use lexgen_tests::fake_net::FakeDns;
use lexgen_tests::xrpc::PNG;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

struct Pds {
    url: String,
    agent: ureq::Agent,
    jwt: String,
}

impl Pds {
    fn post(&self, nsid: &str, content_type: &str, body: &[u8]) -> Value {
        let mut request = self
            .agent
            .post(&format!("{}/xrpc/{nsid}", self.url))
            .header("content-type", content_type);
        if !self.jwt.is_empty() {
            request = request.header("authorization", &format!("Bearer {}", self.jwt));
        }
        let mut response = request.send(body).unwrap_or_else(|e| panic!("{nsid}: {e}"));
        let text = response.body_mut().read_to_string().unwrap();
        assert_eq!(response.status(), 200, "{nsid}: {text}");
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{nsid}: {e}: {text}"))
    }

    fn call(&self, nsid: &str, input: &Value) -> Value {
        self.post(nsid, "application/json", input.to_string().as_bytes())
    }
}

/// The account of `handle`, resolved by the runtime's `identity`: the
/// handle through the PDS's `/.well-known/atproto-did` (the DNS server has
/// no records: the HTTPS fallback), then the DID document from the PLC
/// directory, which must claim the handle back; and the other way, from
/// the DID. Returns the document and its signing key.
fn resolve(pds: &str, handle: &str, did: &str) -> (Value, PublicKey) {
    let dns = FakeDns::start();
    let resolver = Resolver::new()
        .with_plc(plc_url())
        .with_dns(dns.addr)
        .with_handle_server(pds);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let account = runtime
        .block_on(resolver.resolve(handle))
        .unwrap_or_else(|e| panic!("{handle}: {e}"));
    assert_eq!(account.did.as_str(), did);
    assert!(account.document.pds().is_some(), "{account:?}");
    let by_did = runtime
        .block_on(resolver.resolve(did))
        .unwrap_or_else(|e| panic!("{did}: {e}"));
    assert_eq!(by_did.handle.as_ref().map(|h| h.as_str()), Some(handle));
    assert_eq!(
        dns.queries(),
        [format!("_atproto.{handle}"), format!("_atproto.{handle}")]
    );
    let key = account
        .document
        .signing_key()
        .unwrap_or_else(|e| panic!("{did}: {e}"));
    println!("repo_e2e: identity: {handle} <-> {did} (the PDS's well-known, PLC), key {key}");
    (account.document.json().clone(), key)
}

fn plc_url() -> String {
    std::env::var("LEXGEN_PLC_URL").expect("tests/e2e/pds.sh sets LEXGEN_PLC_URL")
}

fn suffix() -> String {
    let n = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("{:x}", n % 0xffff_ffff)
}

/// The record as the generated types read it (known `$type`: typed).
fn typed(value: &Value) -> Record {
    let record = Record::from_data(Data::from_json(value).unwrap()).unwrap();
    assert!(
        record.known_type().is_some(),
        "{value}: not a known record type"
    );
    record
}

#[test]
fn records_and_get_repo_have_the_pds_cids() {
    let Some(url) = std::env::var("LEXGEN_PDS_URL")
        .ok()
        .filter(|u| !u.is_empty())
    else {
        println!("repo_e2e: SKIPPED (LEXGEN_PDS_URL is not set; run tests/e2e/pds.sh)");
        return;
    };
    let config = ureq::Agent::config_builder()
        .proxy(None)
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(60)))
        .build();
    let mut pds = Pds {
        url,
        agent: ureq::Agent::new_with_config(config),
        jwt: String::new(),
    };
    let mut response = pds
        .agent
        .get(&format!(
            "{}/xrpc/com.atproto.server.describeServer",
            pds.url
        ))
        .call()
        .unwrap();
    let server: Value =
        serde_json::from_str(&response.body_mut().read_to_string().unwrap()).unwrap();
    let domain = server["availableUserDomains"][0].as_str().unwrap();
    let s = suffix();
    // Subscribed before anything happens: every event below arrives live.
    let mut hose = Hose::connect(&pds.url);
    let account = pds.call(
        "com.atproto.server.createAccount",
        &json!({"handle": format!("cbor{s}{domain}"), "email": format!("cbor{s}@example.com"), "password": "lexgen-cbor-e2e"}),
    );
    pds.jwt = account["accessJwt"].as_str().unwrap().to_owned();
    let did = account["did"].as_str().unwrap().to_owned();
    let handle = account["handle"].as_str().unwrap().to_owned();
    // The PDS signs with a secp256k1 key, named in the account's DID document.
    let (doc, key) = resolve(&pds.url, &handle, &did);
    assert_eq!(key.algorithm(), Algorithm::Secp256k1);
    hose.expect_new_account(&did);
    let blob = pds.post("com.atproto.repo.uploadBlob", "image/png", PNG)["blob"].clone();
    let now = "2026-11-30T00:00:00.000Z";

    // (collection, rkey) -> (cid, record as sent)
    let mut expected: BTreeMap<(String, String), (String, Value)> = BTreeMap::new();
    let mut matches = 0;
    let mut create = |pds: &Pds, collection: &str, rkey: Option<&str>, record: Value| {
        let mut input = json!({"repo": did, "collection": collection, "record": record});
        let nsid = match rkey {
            Some(rkey) => {
                input["rkey"] = json!(rkey);
                "com.atproto.repo.putRecord"
            }
            None => "com.atproto.repo.createRecord",
        };
        println!("repo_e2e: {nsid} {collection}");
        let out = pds.call(nsid, &input);
        let cid = out["cid"].as_str().unwrap().to_owned();
        let ours = cbor::cid(&typed(&record)).unwrap();
        assert_eq!(ours.as_str(), cid, "{collection}: {record}");
        assert_eq!(cbor::cid(&record).unwrap().as_str(), cid);
        matches += 1;
        let uri = out["uri"].as_str().unwrap().to_owned();
        let rkey = uri.rsplit('/').next().unwrap().to_owned();
        let key = (collection.to_owned(), rkey);
        let action = if expected.contains_key(&key) {
            "update"
        } else {
            "create"
        };
        // Its #commit: one op, the record typed, with the PDS's CID.
        let op = hose.expect_commit_op(&did, action, &key);
        assert_eq!(op.0.as_deref(), Some(cid.as_str()), "{key:?}");
        assert_eq!(op.1.as_ref(), Some(&typed(&record)), "{key:?}");
        expected.insert(key, (cid.clone(), record));
        json!({"uri": uri, "cid": cid})
    };

    let text = "hi @alice.test, see https://example.com #lexgen ✨";
    let facet = |needle: &str, feature: Value| {
        let start = text.find(needle).unwrap();
        json!({"index": {"byteStart": start, "byteEnd": start + needle.len()}, "features": [feature]})
    };
    let post = create(
        &pds,
        "app.bsky.feed.post",
        None,
        json!({
            "$type": "app.bsky.feed.post", "text": text, "createdAt": now, "langs": ["en", "fr"],
            "facets": [
                facet("@alice.test", json!({"$type": "app.bsky.richtext.facet#mention", "did": did})),
                facet("https://example.com", json!({"$type": "app.bsky.richtext.facet#link", "uri": "https://example.com"})),
                facet("#lexgen", json!({"$type": "app.bsky.richtext.facet#tag", "tag": "lexgen"})),
            ],
            "embed": {"$type": "app.bsky.embed.images", "images": [
                {"image": blob, "alt": "a pixel", "aspectRatio": {"width": 1, "height": 1}}
            ]},
        }),
    );
    create(
        &pds,
        "app.bsky.actor.profile",
        Some("self"),
        json!({"$type": "app.bsky.actor.profile", "displayName": "Cbor", "description": "DAG-CBOR e2e", "avatar": blob, "createdAt": now}),
    );
    create(
        &pds,
        "app.bsky.feed.post",
        None,
        json!({
            "$type": "app.bsky.feed.post", "text": "a reply quoting", "createdAt": now,
            "reply": {"root": post, "parent": post},
            "embed": {"$type": "app.bsky.embed.record", "record": post},
        }),
    );
    let like = create(
        &pds,
        "app.bsky.feed.like",
        None,
        json!({"$type": "app.bsky.feed.like", "subject": post, "createdAt": now}),
    );
    create(
        &pds,
        "app.bsky.feed.repost",
        None,
        json!({"$type": "app.bsky.feed.repost", "subject": post, "createdAt": now}),
    );
    create(
        &pds,
        "app.bsky.graph.follow",
        None,
        json!({"$type": "app.bsky.graph.follow", "subject": "did:plc:ewvi7nxzyoun6zhxrhs64oiz", "createdAt": now}),
    );
    create(
        &pds,
        "app.bsky.feed.post",
        None,
        json!({
            "$type": "app.bsky.feed.post", "text": "unknown fields", "createdAt": now,
            // Integers beyond 2^53 make the (JavaScript) PDS answer 500.
            "zLexgen": {"n": -42, "big": 9_007_199_254_740_991_i64, "bytes": {"$bytes": "AAEC/w"}, "list": [true, null, "s"]},
            "aa": "short keys sort first",
        }),
    );
    // An update and a delete, for the repository and the firehose.
    create(
        &pds,
        "app.bsky.actor.profile",
        Some("self"),
        json!({"$type": "app.bsky.actor.profile", "displayName": "Cbor, updated", "avatar": blob}),
    );
    let like_rkey = like["uri"].as_str().unwrap().rsplit('/').next().unwrap();
    pds.call(
        "com.atproto.repo.deleteRecord",
        &json!({"repo": did, "collection": "app.bsky.feed.like", "rkey": like_rkey}),
    );
    let like_key = ("app.bsky.feed.like".to_owned(), like_rkey.to_owned());
    assert_eq!(
        hose.expect_commit_op(&did, "delete", &like_key),
        (None, None)
    );
    expected.remove(&like_key);
    println!("repo_e2e: {matches} records created or updated, every CID matches");

    // getRepo: the same records, typed, CIDs verified, byte-identical.
    let mut response = pds
        .agent
        .get(&format!(
            "{}/xrpc/com.atproto.sync.getRepo?did={did}",
            pds.url
        ))
        .call()
        .unwrap();
    let car = response
        .body_mut()
        .with_config()
        .limit(64 << 20)
        .read_to_vec()
        .unwrap();
    let repo = Repo::from_car(&car).unwrap();
    assert_eq!(repo.commit.did, did);
    assert_eq!(repo.commit.version, 3);
    // Signed by the account's key, and by no other.
    repo.verify_signature(&key)
        .unwrap_or_else(|e| panic!("getRepo commit: {e}"));
    repo.verify_with_document(&doc)
        .unwrap_or_else(|e| panic!("getRepo commit: {e}"));
    // Our MST writer rebuilds the PDS's tree: same root, same node blocks.
    let mst = Mst::build(&repo.keys().unwrap()).unwrap();
    assert_eq!(mst.root, repo.commit.data);
    for (cid, block) in &mst.blocks {
        assert_eq!(repo.car.blocks.get(cid), Some(block), "MST node {cid}");
    }
    let mut seen = BTreeMap::new();
    for entry in repo.records::<Record>().unwrap() {
        let entry = entry.unwrap();
        assert!(
            entry.record.known_type().is_some(),
            "{}/{} is not typed",
            entry.collection,
            entry.rkey
        );
        let block = &repo.car.blocks[&entry.cid];
        assert_eq!(&cbor::to_vec(&entry.record).unwrap(), block);
        assert_eq!(cbor::cid(&entry.record).unwrap(), entry.cid);
        seen.insert(
            (entry.collection, entry.rkey),
            (entry.cid.as_str().to_owned(), entry.record),
        );
    }
    assert_eq!(
        seen.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>()
    );
    for (key, (cid, record)) in &expected {
        let (got_cid, got) = &seen[key];
        assert_eq!(got_cid, cid, "{key:?}");
        assert_eq!(got, &typed(record), "{key:?}");
    }
    println!(
        "repo_e2e: getRepo: {} bytes, {} blocks, {} records typed and CID-verified; \
         Mst::build gives the commit's data root {} and the same {} nodes",
        car.len(),
        repo.car.blocks.len(),
        seen.len(),
        mst.root.as_str(),
        mst.blocks.len()
    );
    // A second account: its #identity, #account and first #commit.
    pds.jwt.clear();
    let second = pds.call(
        "com.atproto.server.createAccount",
        &json!({"handle": format!("cbor2{s}{domain}"), "email": format!("cbor2{s}@example.com"), "password": "lexgen-cbor-e2e"}),
    );
    let second_did = second["did"].as_str().unwrap();
    let second_handle = second["handle"].as_str().unwrap();
    let (second_doc, second_key) = resolve(&pds.url, second_handle, second_did);
    assert_ne!(second_key, key);
    let err = repo.verify_signature(&second_key).unwrap_err().to_string();
    assert!(err.contains("does not verify"), "{err}");
    let err = repo
        .verify_with_document(&second_doc)
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        format!("the repository is {did}'s, the DID document \"{second_did}\"'s")
    );
    hose.expect_new_account(second_did);
    println!(
        "repo_e2e: commit signatures verified with the DID documents' keys: getRepo's, and {} \
         #commit events' (Firehose::next_verified with identity::SigningKeys: keys resolved from PLC as \
         commits arrive)",
        hose.signatures_verified
    );
    assert!(hose.signatures_verified >= 10);
    hose.check_and_resume(&pds.url, &did, &expected);
}

/// The firehose, live: a runtime to drive the client from this blocking
/// test, and every event seen as `(seq, t, did)`.
struct Hose {
    runtime: tokio::runtime::Runtime,
    firehose: Option<Firehose<SubscribeRepos, Record>>,
    seen: Vec<(i64, String, String)>,
    /// The repository as this account's #commit ops left it.
    state: BTreeMap<(String, String), String>,
    /// The accounts' signing keys, resolved from PLC as their commits
    /// arrive: the client checks every live #commit (`next_verified`).
    keys: SigningKeys,
    signatures_verified: usize,
}

/// How long an event may take to arrive.
const WAIT: Duration = Duration::from_secs(30);

fn did_of(message: &Message) -> Option<&str> {
    match message {
        Message::Commit(c) => Some(c.repo.as_str()),
        Message::Identity(i) => Some(i.did.as_str()),
        Message::Account(a) => Some(a.did.as_str()),
        Message::Sync(s) => Some(s.did.as_str()),
        _ => None,
    }
}

type HoseEvent = Event<Message, Record>;
type HoseResult = Option<Result<HoseEvent, HoseError<subscribe_repos::Error>>>;

impl Hose {
    fn connect(url: &str) -> Hose {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let firehose = runtime
            .block_on(Firehose::connect(url, None))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(firehose.cursor(), None);
        Hose {
            runtime,
            firehose: Some(firehose),
            seen: Vec::new(),
            state: BTreeMap::new(),
            keys: SigningKeys::new(Resolver::new().with_plc(plc_url())),
            signatures_verified: 0,
        }
    }

    /// The next event; with `keys`, its commit signature checked by the
    /// client (`next_verified`).
    fn next_of(
        runtime: &tokio::runtime::Runtime,
        firehose: &mut Firehose<SubscribeRepos, Record>,
        keys: Option<&SigningKeys>,
    ) -> HoseResult {
        runtime
            // The timer is made inside the runtime.
            .block_on(async {
                let next = async {
                    match keys {
                        Some(keys) => firehose.next_verified(keys).await,
                        None => firehose.next().await,
                    }
                };
                tokio::time::timeout(WAIT, next).await
            })
            .unwrap_or_else(|_| panic!("no firehose event within {WAIT:?}"))
    }

    /// The next event about `did` (others are logged and passed over).
    fn next_for(&mut self, did: &str) -> HoseEvent {
        loop {
            let firehose = self.firehose.as_mut().unwrap();
            let event = Self::next_of(&self.runtime, firehose, Some(&self.keys))
                .expect("the firehose ended")
                .unwrap_or_else(|e| panic!("{e}"));
            let seq = event.seq.expect("subscribeRepos events have a seq");
            assert_eq!(firehose.cursor(), Some(seq));
            let who = did_of(&event.message)
                .unwrap_or_else(|| panic!("unexpected {}: {:?}", event.t, event.message));
            self.seen.push((seq, event.t.clone(), who.to_owned()));
            // `next_verified` checked its signature.
            if let Message::Commit(_) = &event.message {
                self.signatures_verified += 1;
            }
            if who == did {
                return event;
            }
        }
    }

    /// A new account's #identity, #account, first (empty) #commit and
    /// #sync (the repository's first state), in that order.
    fn expect_new_account(&mut self, did: &str) {
        let kinds: Vec<String> = (0..4).map(|_| self.next_for(did).t).collect();
        println!("repo_e2e: firehose: {did}: {kinds:?}");
        assert_eq!(kinds, ["#identity", "#account", "#commit", "#sync"]);
    }

    /// This account's next event is a #commit of one `action` on `key`;
    /// returns the op's CID and typed record (checked against each other).
    fn expect_commit_op(
        &mut self,
        did: &str,
        action: &str,
        key: &(String, String),
    ) -> (Option<String>, Option<Record>) {
        let event = self.next_for(did);
        let Message::Commit(commit) = &event.message else {
            panic!("expected a #commit, got {}: {:?}", event.t, event.message)
        };
        assert_eq!(commit.ops.len(), event.ops.len());
        let [op] = <[_; 1]>::try_from(event.ops).unwrap_or_else(|ops| panic!("{ops:?}"));
        assert_eq!(
            (op.action.as_str(), &op.collection, &op.rkey),
            (action, &key.0, &key.1)
        );
        if let (Some(cid), Some(record)) = (&op.cid, &op.record) {
            assert!(record.known_type().is_some(), "{key:?} untyped");
            assert_eq!(&cbor::cid(record).unwrap(), cid);
            self.state.insert(key.clone(), cid.as_str().to_owned());
        } else {
            assert_eq!(action, "delete");
            self.state.remove(key);
        }
        (op.cid.map(|c| c.as_str().to_owned()), op.record)
    }

    /// Every event in `seq` order; this account's ops ended where getRepo
    /// is; resuming from a cursor gives exactly the later events; a cursor
    /// in the future is the typed `FutureCursor` error; both close cleanly.
    fn check_and_resume(
        mut self,
        url: &str,
        did: &str,
        expected: &BTreeMap<(String, String), (String, Value)>,
    ) {
        let seqs: Vec<i64> = self.seen.iter().map(|(seq, ..)| *seq).collect();
        assert!(
            seqs.windows(2).all(|w| w[0] < w[1]),
            "seq out of order: {seqs:?}"
        );
        let want: BTreeMap<_, _> = expected
            .iter()
            .map(|(k, (cid, _))| (k.clone(), cid.clone()))
            .collect();
        assert_eq!(self.state, want);
        let commits = self
            .seen
            .iter()
            .filter(|(_, t, who)| t == "#commit" && who == did)
            .count();

        let cursor = seqs[seqs.len() / 2];
        let last = *seqs.last().unwrap();
        let mut resumed = self
            .runtime
            .block_on(Firehose::<SubscribeRepos, Record>::connect(
                url,
                Some(cursor),
            ))
            .unwrap_or_else(|e| panic!("{e}"));
        let mut again: Vec<(i64, String, String)> = Vec::new();
        while again.last().map(|(seq, ..)| *seq) != Some(last) {
            let event = Self::next_of(&self.runtime, &mut resumed, None)
                .expect("the resumed firehose ended")
                .unwrap_or_else(|e| panic!("{e}"));
            let who = did_of(&event.message).unwrap_or_default().to_owned();
            again.push((event.seq.unwrap(), event.t, who));
        }
        let after: Vec<_> = self
            .seen
            .iter()
            .filter(|(seq, ..)| *seq > cursor)
            .cloned()
            .collect();
        assert_eq!(again, after);
        assert_eq!(resumed.cursor(), Some(last));

        // A cursor past the end: the server's error frame, typed.
        let mut future = self
            .runtime
            .block_on(Firehose::<SubscribeRepos, Record>::connect(
                url,
                Some(last + 1_000_000),
            ))
            .unwrap_or_else(|e| panic!("{e}"));
        match Self::next_of(&self.runtime, &mut future, None) {
            Some(Err(HoseError::Server(subscribe_repos::Error::FutureCursor { .. }))) => {}
            other => panic!("expected FutureCursor, got {other:?}"),
        }
        assert!(Self::next_of(&self.runtime, &mut future, None).is_none());

        let firehose = self.firehose.take().unwrap();
        self.runtime.block_on(firehose.close()).unwrap();
        self.runtime.block_on(resumed.close()).unwrap();
        println!(
            "repo_e2e: firehose (Rust WebSocket client, live): {} events in seq order, each as it happened \
             ({commits} #commit of this account, ops typed and CID-verified, ending equal to getRepo); \
             resumed from cursor {cursor}: {} events, exactly the later ones; a future cursor: FutureCursor",
            self.seen.len(),
            again.len()
        );
    }
}
