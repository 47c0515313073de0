//! End to end, DAG-CBOR against the reference PDS (`tests/e2e/pds.sh` sets
//! `LEXGEN_PDS_URL`; skipped without it): every record created has, once
//! decoded into the generated types and re-encoded, exactly the CID the PDS
//! returned; `getRepo` reads back (every block's CID verified, the MST
//! walked) as exactly the records created, all typed, each re-encoding to
//! its block byte for byte; the firehose (`subscribeRepos`, frames read by
//! Node's WebSocket) carries the same, typed, in order, and resumes from a
//! cursor.
//!
//! Plain JSON over HTTP on purpose: what is checked is the records' binary
//! form, not the client (which `pds_e2e.rs` covers).

use atproto_types::cbor::{self, FromData};
use atproto_types::client_blocking::ureq;
use atproto_types::com::atproto::sync::subscribe_repos::Message;
use atproto_types::firehose::{commit_ops, decode_frame, Frame};
use atproto_types::records::Record;
use atproto_types::repo::Repo;
use atproto_types::types::base64_decode;
use atproto_types::types::Data;
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
    let account = pds.call(
        "com.atproto.server.createAccount",
        &json!({"handle": format!("cbor{s}{domain}"), "email": format!("cbor{s}@example.com"), "password": "lexgen-cbor-e2e"}),
    );
    pds.jwt = account["accessJwt"].as_str().unwrap().to_owned();
    let did = account["did"].as_str().unwrap().to_owned();
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
        expected.insert((collection.to_owned(), rkey), (cid.clone(), record));
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
    expected.remove(&("app.bsky.feed.like".to_owned(), like_rkey.to_owned()));
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
        "repo_e2e: getRepo: {} bytes, {} blocks, {} records typed and CID-verified",
        car.len(),
        repo.car.blocks.len(),
        seen.len()
    );
    // A second account: its #identity and #account arrive after all that.
    pds.jwt.clear();
    let second = pds.call(
        "com.atproto.server.createAccount",
        &json!({"handle": format!("cbor2{s}{domain}"), "email": format!("cbor2{s}@example.com"), "password": "lexgen-cbor-e2e"}),
    );
    let second = second["did"].as_str().unwrap();
    firehose(&pds.url, &did, second, &expected);
}

/// Binary frames of `subscribeRepos` from `cursor`, collected for a while
/// by Node's WebSocket (the runtime has no WebSocket transport yet; what is
/// checked here is decoding real frames).
fn frames(url: &str, cursor: i64) -> Vec<Vec<u8>> {
    let node = std::env::var("LEXGEN_E2E_NODE").expect("pds.sh sets LEXGEN_E2E_NODE");
    let script = r#"
        const [url, ms] = process.argv.slice(1);
        const ws = new WebSocket(url);
        ws.binaryType = "arraybuffer";
        ws.onmessage = (e) => process.stdout.write(Buffer.from(e.data).toString("base64") + "\n");
        ws.onerror = () => { console.error("websocket error"); process.exit(1); };
        setTimeout(() => process.exit(0), Number(ms));
    "#;
    let ws = format!(
        "{}/xrpc/com.atproto.sync.subscribeRepos?cursor={cursor}",
        url.replacen("http", "ws", 1)
    );
    let out = std::process::Command::new(node)
        .args(["-e", script, &ws, "2500"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|line| base64_decode(line).unwrap())
        .collect()
}

/// The firehose from the start: every event typed, in `seq` order; the
/// account's `#identity` and `#account`; its `#commit` ops, matched to typed
/// records with CIDs verified, end in exactly the records `getRepo` has;
/// resuming from a cursor gives exactly the events after it.
fn firehose(
    url: &str,
    did: &str,
    second: &str,
    expected: &BTreeMap<(String, String), (String, Value)>,
) {
    const NSID: &str = "com.atproto.sync.subscribeRepos";
    let all = frames(url, 0);
    let mut seqs = Vec::new();
    let mut kinds = Vec::new();
    let mut second_kinds = Vec::new();
    let mut state: BTreeMap<(String, String), (String, Record)> = BTreeMap::new();
    for bytes in &all {
        let Frame::Message { t, body } = decode_frame::<Message>(bytes, NSID).unwrap() else {
            panic!("error frame");
        };
        let (seq, who) = match &body {
            Message::Commit(c) => (c.seq, c.repo.as_str().to_owned()),
            Message::Identity(i) => (i.seq, i.did.as_str().to_owned()),
            Message::Account(a) => (a.seq, a.did.as_str().to_owned()),
            Message::Sync(s) => (s.seq, s.did.as_str().to_owned()),
            other => panic!("unexpected {t}: {other:?}"),
        };
        seqs.push(seq);
        if who == second {
            second_kinds.push(t.clone());
        }
        if who != did {
            continue;
        }
        kinds.push(t.clone());
        if let Message::Commit(commit) = body {
            let actions: Vec<String> = commit
                .ops
                .iter()
                .map(|op| {
                    serde_json::to_value(&op.action)
                        .unwrap()
                        .as_str()
                        .unwrap()
                        .to_owned()
                })
                .collect();
            let ops = commit.ops.iter().zip(&actions).map(|(op, action)| {
                (
                    action.as_str(),
                    op.path.as_str(),
                    op.cid.as_ref().map(|c| c.0.as_str()),
                )
            });
            for op in commit_ops::<Record>(&commit.blocks.0, ops).unwrap() {
                let key = (op.collection, op.rkey);
                match (op.cid, op.record) {
                    (Some(cid), Some(record)) => {
                        assert!(record.known_type().is_some(), "{key:?} untyped");
                        assert_eq!(cbor::cid(&record).unwrap(), cid);
                        state.insert(key, (cid.as_str().to_owned(), record));
                    }
                    _ => {
                        assert_eq!(op.action, "delete");
                        state.remove(&key);
                    }
                }
            }
        }
    }
    assert!(
        seqs.windows(2).all(|w| w[0] < w[1]),
        "seq out of order: {seqs:?}"
    );
    assert!(kinds.contains(&"#identity".to_owned()), "{kinds:?}");
    assert!(kinds.contains(&"#account".to_owned()), "{kinds:?}");
    for kind in ["#identity", "#account", "#commit"] {
        assert!(second_kinds.iter().any(|k| k == kind), "{second_kinds:?}");
    }
    let commits = kinds.iter().filter(|k| *k == "#commit").count();
    // The repository's first (empty) commit, then 7 creates, an update
    // and a delete.
    assert_eq!(commits, 10, "{kinds:?}");
    let got: BTreeMap<_, _> = state
        .iter()
        .map(|(k, (cid, _))| (k.clone(), cid.clone()))
        .collect();
    let want: BTreeMap<_, _> = expected
        .iter()
        .map(|(k, (cid, _))| (k.clone(), cid.clone()))
        .collect();
    assert_eq!(got, want);
    // Resume from the middle: exactly the later events.
    let cursor = seqs[seqs.len() / 2];
    let resumed: Vec<i64> = frames(url, cursor)
        .iter()
        .map(
            |bytes| match decode_frame::<Message>(bytes, NSID).unwrap() {
                Frame::Message {
                    body: Message::Commit(c),
                    ..
                } => c.seq,
                Frame::Message {
                    body: Message::Identity(i),
                    ..
                } => i.seq,
                Frame::Message {
                    body: Message::Account(a),
                    ..
                } => a.seq,
                Frame::Message {
                    body: Message::Sync(s),
                    ..
                } => s.seq,
                other => panic!("unexpected {other:?}"),
            },
        )
        .collect();
    let after: Vec<i64> = seqs.iter().copied().filter(|&s| s > cursor).collect();
    assert_eq!(resumed, after);
    println!(
        "repo_e2e: firehose: {} events (this account: {kinds:?}; the second: {second_kinds:?}), all typed; {commits} commits' ops \
         CID-verified and equal to getRepo; resumed from cursor {cursor}: {} events, as expected",
        all.len(),
        resumed.len()
    );
}
