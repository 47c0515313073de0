//! End to end, DAG-CBOR against the reference PDS (`tests/e2e/pds.sh` sets
//! `LEXGEN_PDS_URL`; skipped without it): every record created has, once
//! decoded into the generated types and re-encoded, exactly the CID the PDS
//! returned; `getRepo` reads back (every block's CID verified, the MST
//! walked) as exactly the records created, all typed, each re-encoding to
//! its block byte for byte.
//!
//! Plain JSON over HTTP on purpose: what is checked is the records' binary
//! form, not the client (which `pds_e2e.rs` covers).

use atproto_types::cbor::{self, FromData};
use atproto_types::client::ureq;
use atproto_types::records::Record;
use atproto_types::repo::Repo;
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
    create(
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
    println!("repo_e2e: {matches} records created, every CID matches");

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
}
