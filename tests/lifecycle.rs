//! `lexgen install`, `install --ci` and `check --lockfile` offline: the
//! resolution chain runs against a loopback DNS server and HTTP stub
//! (`lexgen_tests::fake_net`) standing in for DNS, the PLC directory and
//! the PDS. The records and CIDs are ones the reference PDS stored and
//! returned in `tests/lifecycle_e2e.rs`, so the CID check here is pinned
//! to the real server's encoding. The stand-in PDS also serves signed
//! repository proofs (`sync.getRecord`), built here with a test key.

use atproto_lexgen::lifecycle::cbor::{encode as cbor, Ipld};
use atproto_lexgen::lifecycle::cid::block_cid;
use atproto_types::crypto::PublicKey;
use k256::ecdsa::signature::Signer;
use k256::ecdsa::SigningKey;
use lexgen_tests::fake_net::{FakeDns, FakeHttp};
use lexgen_tests::lexgen;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const DID: &str = "did:plc:evhlqu32g7xss4feqk2huypl";
const COLLECTION: &str = "com.atproto.lexicon.schema";
/// The CID the reference PDS gave `label_record()`.
const LABEL_CID: &str = "bafyreibj4dtgeehxtjofl2pprcra6cty4cad3brgtzxt57detksttalzvm";

fn label_doc() -> Value {
    json!({"lexicon": 1, "id": "org.example.shared.label", "defs": {"main": {
        "type": "object", "required": ["val"], "properties": {
            "val": {"type": "string", "maxLength": 128, "knownValues": ["spoiler", "nsfw"]}
        }
    }}})
}

fn with_type(doc: &Value) -> Value {
    let mut record = doc.clone();
    record["$type"] = json!(COLLECTION);
    record
}

/// A lexicon that refers to the label and to a def of its own.
fn note_doc(label_ref: &str) -> Value {
    json!({"lexicon": 1, "id": "org.example.shared.note", "defs": {"main": {
        "type": "object", "properties": {
            "label": {"type": "ref", "ref": label_ref},
            "text": {"type": "string"}
        }
    }}})
}

/// The account's signing key (secp256k1, fixed for reproducibility).
fn account_key() -> SigningKey {
    SigningKey::from_slice(&[7u8; 32]).unwrap()
}

/// The key as a DID document's `Multikey` (`0xe7 0x01` + compressed point).
fn multikey(key: &SigningKey) -> String {
    PublicKey::Secp256k1(*key.verifying_key()).to_multikey()
}

fn map(entries: Vec<(&str, Ipld)>) -> Ipld {
    Ipld::Map(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect::<BTreeMap<_, _>>(),
    )
}

/// A CAR file proving `record` at `collection/rkey` in `did`'s repository:
/// a one-entry MST and a commit signed with `key`.
fn proof_car(key: &SigningKey, did: &str, rkey: &str, record: &Value) -> Vec<u8> {
    let record_bytes = atproto_lexgen::lifecycle::cid::encode(record).unwrap();
    let node_bytes = cbor(&map(vec![
        ("l", Ipld::Null),
        (
            "e",
            Ipld::List(vec![map(vec![
                ("p", Ipld::Int(0)),
                (
                    "k",
                    Ipld::Bytes(format!("{COLLECTION}/{rkey}").into_bytes()),
                ),
                ("v", Ipld::Link(block_cid(&record_bytes))),
                ("t", Ipld::Null),
            ])]),
        ),
    ]));
    let mut commit = vec![
        ("did", Ipld::Text(did.to_owned())),
        ("version", Ipld::Int(3)),
        ("data", Ipld::Link(block_cid(&node_bytes))),
        ("rev", Ipld::Text("3lexgentest22".into())),
        ("prev", Ipld::Null),
    ];
    let signature: k256::ecdsa::Signature = key.sign(&cbor(&map(commit.clone())));
    let signature = signature.normalize_s().unwrap_or(signature);
    commit.push(("sig", Ipld::Bytes(signature.to_bytes().to_vec())));
    let commit_bytes = cbor(&map(commit));
    let header = cbor(&map(vec![
        ("version", Ipld::Int(1)),
        (
            "roots",
            Ipld::List(vec![Ipld::Link(block_cid(&commit_bytes))]),
        ),
    ]));
    let mut car = Vec::new();
    let mut section = |bytes: &[u8], with_cid: bool| {
        let cid = if with_cid {
            block_cid(bytes)
        } else {
            Vec::new()
        };
        let mut n = cid.len() + bytes.len();
        while n >= 0x80 {
            car.push((n as u8) | 0x80);
            n >>= 7;
        }
        car.push(n as u8);
        car.extend_from_slice(&cid);
        car.extend_from_slice(bytes);
    };
    section(&header, false);
    for block in [&commit_bytes, &node_bytes, &record_bytes] {
        section(block, true);
    }
    car
}

/// DNS + one HTTP server playing both the PLC directory and the PDS.
struct World {
    dns: FakeDns,
    http: FakeHttp,
    dir: tempfile::TempDir,
    key: SigningKey,
}

impl World {
    fn new() -> World {
        let dns = FakeDns::start();
        let http = FakeHttp::start();
        dns.set_txt("_lexicon.shared.example.org", &[&format!("did={DID}")]);
        let key = account_key();
        http.route(&format!("/{DID}"), &did_doc(DID, &http.url, &key));
        World {
            dns,
            http,
            dir: tempfile::tempdir().unwrap(),
            key,
        }
    }

    /// Serves lexicon document `doc` (given its `$type`) as the lexicon
    /// record `nsid`, under its own CID.
    fn publish_doc(&self, nsid: &str, doc: &Value) {
        let record = with_type(doc);
        let cid = atproto_lexgen::lifecycle::cid::cid_of(&record).unwrap();
        self.publish(nsid, &record, &cid);
    }

    /// Runs `install`, which must fail with exit code 2: its stderr.
    fn install_fails(&self, args: &[&str]) -> String {
        let (code, _, err) = self.install(args);
        assert_eq!(code, 2, "{err}");
        err
    }

    /// Serves `record` as the lexicon record `nsid`, claiming `cid`, with a
    /// signed proof of the record.
    fn publish(&self, nsid: &str, record: &Value, cid: &str) {
        self.http.route_car(
            &format!(
                "/xrpc/com.atproto.sync.getRecord?did={DID}&collection={COLLECTION}&rkey={nsid}"
            ),
            proof_car(&self.key, DID, nsid, record),
        );
        self.http.route(
            &format!(
                "/xrpc/com.atproto.repo.getRecord?repo={DID}&collection={COLLECTION}&rkey={nsid}"
            ),
            &json!({"uri": format!("at://{DID}/{COLLECTION}/{nsid}"), "cid": cid, "value": record}),
        );
    }

    fn lexicons(&self) -> PathBuf {
        self.dir.path().join("lexicons")
    }

    fn manifest(&self) -> PathBuf {
        self.dir.path().join("lexicons.json")
    }

    fn file(&self, nsid: &str) -> PathBuf {
        self.lexicons()
            .join(format!("{}.json", nsid.replace('.', "/")))
    }

    /// `lexgen install ARGS` against this world.
    fn install(&self, args: &[&str]) -> (i32, String, String) {
        let (lex, man) = (self.lexicons(), self.manifest());
        let dns = self.dns.addr.to_string();
        let mut argv = vec![
            "install",
            "--lexicons",
            lex.to_str().unwrap(),
            "--manifest",
            man.to_str().unwrap(),
        ];
        argv.extend(["--dns", &dns, "--plc", &self.http.url]);
        argv.extend_from_slice(args);
        lexgen(argv)
    }
}

/// A DID document naming the PDS at `url` and the signing key.
fn did_doc(did: &str, url: &str, key: &SigningKey) -> Value {
    json!({"id": did,
        "verificationMethod": [{"id": format!("{did}#atproto"), "type": "Multikey",
            "controller": did, "publicKeyMultibase": multikey(key)}],
        "service": [{"id": "#atproto_pds", "type": "AtprotoPersonalDataServer", "serviceEndpoint": url}]})
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn install_resolves_pins_and_writes_the_closure() {
    let w = World::new();
    w.publish(
        "org.example.shared.label",
        &with_type(&label_doc()),
        LABEL_CID,
    );
    let note = with_type(&note_doc("org.example.shared.label"));
    let note_cid = atproto_lexgen::lifecycle::cid::cid_of(&note).unwrap();
    w.publish("org.example.shared.note", &note, &note_cid);

    let (code, out, err) = w.install(&["org.example.shared.note"]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(
        read_json(&w.file("org.example.shared.label")),
        with_type(&label_doc())
    );
    assert_eq!(
        read_json(&w.file("org.example.shared.note")),
        with_type(&note_doc("org.example.shared.label"))
    );
    let manifest = std::fs::read_to_string(w.manifest()).unwrap();
    // The layout `@atproto/lex` writes: version, sorted lists, uri then cid.
    let uri = |nsid: &str| format!("at://{DID}/{COLLECTION}/{nsid}");
    let expected = format!(
        r#"{{
  "version": 1,
  "lexicons": [
    "org.example.shared.note"
  ],
  "resolutions": {{
    "org.example.shared.label": {{
      "uri": "{}",
      "cid": "{LABEL_CID}"
    }},
    "org.example.shared.note": {{
      "uri": "{}",
      "cid": "{note_cid}"
    }}
  }}
}}
"#,
        uri("org.example.shared.label"),
        uri("org.example.shared.note")
    );
    assert_eq!(manifest, expected);
    // The DNS was asked once per lexicon, and the DID document fetched.
    assert_eq!(w.dns.queries(), ["_lexicon.shared.example.org"; 2]);
    assert!(w.http.requests().contains(&format!("/{DID}")));

    // Reinstalling from the lockfile touches no network, and leaves the
    // files' formatting alone.
    let label = w.file("org.example.shared.label");
    let compact = serde_json::to_string(&with_type(&label_doc())).unwrap();
    std::fs::write(&label, &compact).unwrap();
    let (dns_before, http_before) = (w.dns.queries().len(), w.http.requests().len());
    let (code, out, _) = w.install(&[]);
    assert_eq!(code, 0);
    assert_eq!(out.matches("(up to date)").count(), 2, "{out}");
    assert_eq!(std::fs::read_to_string(&label).unwrap(), compact);
    assert_eq!(
        (w.dns.queries().len(), w.http.requests().len()),
        (dns_before, http_before)
    );
}

#[test]
fn install_ci_and_check_lockfile_name_the_lexicon_that_differs() {
    let w = World::new();
    w.publish(
        "org.example.shared.label",
        &with_type(&label_doc()),
        LABEL_CID,
    );
    assert_eq!(w.install(&["org.example.shared.label"]).0, 0);
    let (code, out, _) = w.install(&["--ci"]);
    assert_eq!(code, 0, "{out}");

    // A local edit: --ci fails offline, naming the NSID and both CIDs.
    let file = w.file("org.example.shared.label");
    let mut edited = label_doc();
    edited["defs"]["main"]["properties"]["val"]["maxLength"] = json!(64);
    std::fs::write(&file, serde_json::to_string(&edited).unwrap()).unwrap();
    let requests = w.http.requests().len();
    let (code, out, _) = w.install(&["--ci"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("mismatch: org.example.shared.label:")
            && out.contains(&format!("lexicons.json pins {LABEL_CID}")),
        "{out}"
    );
    assert_eq!(w.http.requests().len(), requests, "--ci touches no network");

    // `check --lockfile` runs the same check before the drift check.
    let (lex, man) = (w.lexicons(), w.manifest());
    let out_dir = w.dir.path().join("out");
    let check = |code: i32| {
        let (c, out, err) = lexgen([
            "check",
            "--lexicons",
            lex.to_str().unwrap(),
            "--out",
            out_dir.to_str().unwrap(),
            "--lockfile",
            man.to_str().unwrap(),
        ]);
        assert_eq!(c, code, "{out}{err}");
        out
    };
    assert!(check(1).contains("mismatch: org.example.shared.label"));

    // A missing file is a mismatch too; a plain install restores it.
    std::fs::remove_file(&file).unwrap();
    let (code, out, _) = w.install(&["--ci"]);
    assert_eq!(code, 1);
    assert!(out.contains("is missing"), "{out}");
    assert_eq!(w.install(&[]).0, 0);
    assert_eq!(read_json(&file), with_type(&label_doc()));
    lexgen([
        "generate",
        "--lexicons",
        lex.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert!(check(0).contains("every lexicon matches"));

    // Asking --ci about an NSID that is not installed fails.
    let (code, out, _) = w.install(&["--ci", "org.example.shared.other"]);
    assert_eq!(code, 1);
    assert!(
        out.contains("org.example.shared.other") && out.contains("not installed"),
        "{out}"
    );
}

#[test]
fn a_record_that_does_not_hash_to_its_cid_is_refused() {
    let w = World::new();
    // The server claims the label's real CID for different content.
    let mut tampered = with_type(&label_doc());
    tampered["defs"]["main"]["properties"]["val"]["maxLength"] = json!(1);
    w.publish("org.example.shared.label", &tampered, LABEL_CID);
    let err = w.install_fails(&["org.example.shared.label"]);
    assert!(
        err.contains(&format!(
            "the server says its CID is {LABEL_CID}, but its content hashes to"
        )),
        "{err}"
    );
    assert!(
        !w.lexicons().exists() && !w.manifest().exists(),
        "nothing written"
    );
}

#[test]
fn a_republished_lexicon_needs_update() {
    let w = World::new();
    w.publish(
        "org.example.shared.label",
        &with_type(&label_doc()),
        LABEL_CID,
    );
    assert_eq!(w.install(&["org.example.shared.label"]).0, 0);
    let mut changed = with_type(&label_doc());
    changed["defs"]["main"]["properties"]["val"]["maxLength"] = json!(64);
    let new_cid = atproto_lexgen::lifecycle::cid::cid_of(&changed).unwrap();
    w.publish("org.example.shared.label", &changed, &new_cid);
    std::fs::remove_file(w.file("org.example.shared.label")).unwrap();
    let err = w.install_fails(&[]);
    assert!(
        err.contains("changed since it was pinned") && err.contains(&new_cid),
        "{err}"
    );
    let (code, out, err) = w.install(&["--update"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(&new_cid));
    assert_eq!(
        read_json(&w.manifest())["resolutions"]["org.example.shared.label"]["cid"],
        json!(new_cid)
    );
}

#[test]
fn dns_failures_name_the_query_and_the_reason() {
    let w = World::new();
    let err = w.install_fails(&["org.nowhere.thing"]);
    assert!(
        err.contains("cannot resolve org.nowhere.thing: DNS TXT _lexicon.nowhere.org"),
        "{err}"
    );
    assert!(err.contains("no `did=` TXT record"), "{err}");
    w.dns.set_txt(
        "_lexicon.twice.org",
        &["did=did:plc:aaa", "did=did:plc:bbb"],
    );
    let err = w.install_fails(&["org.twice.thing"]);
    assert!(err.contains("conflicting `did=` TXT records"), "{err}");
}

#[test]
fn reserved_namespaces_never_touch_the_network() {
    let w = World::new();
    for nsid in ["local.app.thing", "internal.corp.record", "onion.x.y"] {
        let (code, _, err) = w.install(&[nsid]);
        assert_eq!(code, 2, "{nsid}");
        assert!(err.contains("reserved top-level domain"), "{err}");
    }
    // Also when a fetched lexicon refers to one.
    w.publish_doc("org.example.shared.note", &note_doc("local.app.label"));
    let err = w.install_fails(&["org.example.shared.note"]);
    assert!(err.contains("cannot resolve local.app.label"), "{err}");
    assert_eq!(
        w.dns.queries(),
        ["_lexicon.shared.example.org"],
        "only the published lexicon was looked up"
    );
}

#[test]
fn an_unpinned_local_dependency_is_left_alone() {
    let w = World::new();
    // The label is the user's own file; the note is published.
    let label = w.file("org.example.shared.label");
    std::fs::create_dir_all(label.parent().unwrap()).unwrap();
    std::fs::write(&label, "{\"lexicon\": 1, \"id\": \"org.example.shared.label\", \"defs\": {\"main\": {\"type\": \"object\", \"description\": \"mine\", \"properties\": {}}}}").unwrap();
    w.publish_doc(
        "org.example.shared.note",
        &note_doc("org.example.shared.label"),
    );
    let (code, out, err) = w.install(&["org.example.shared.note"]);
    assert_eq!(code, 0, "{err}");
    assert!(!out.contains("org.example.shared.label"), "{out}");
    assert!(std::fs::read_to_string(&label).unwrap().contains("mine"));
    assert_eq!(w.dns.queries().len(), 1);
    // Even when it is not (yet) valid JSON: it is the user's file.
    std::fs::write(&label, "{ work in progress").unwrap();
    assert_eq!(w.install(&[]).0, 0);
    assert_eq!(
        std::fs::read_to_string(&label).unwrap(),
        "{ work in progress"
    );
}

#[test]
fn an_invalid_fetched_lexicon_is_reported_and_nothing_is_written() {
    let w = World::new();
    let bad = with_type(
        &json!({"lexicon": 1, "id": "org.example.shared.bad", "defs": {"main": {"type": "strng"}}}),
    );
    let cid = atproto_lexgen::lifecycle::cid::cid_of(&bad).unwrap();
    w.publish("org.example.shared.bad", &bad, &cid);
    let err = w.install_fails(&["org.example.shared.bad"]);
    assert!(
        err.contains("org/example/shared/bad.json") && err.contains("strng"),
        "{err}"
    );
    assert!(!w.lexicons().exists() && !w.manifest().exists());
}

#[test]
fn the_real_pds_cid_of_a_lexicon_record() {
    // Offline guard for the encoder: the CID the reference PDS computed.
    assert_eq!(
        atproto_lexgen::lifecycle::lexicon_cid(&label_doc()).unwrap(),
        LABEL_CID
    );
}

#[test]
fn publish_checks_the_lexicons_and_the_login_before_writing() {
    let w = World::new();
    let dir = w.dir.path().join("src");
    let file = dir.join("org/example/shared/label.json");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, serde_json::to_string_pretty(&label_doc()).unwrap()).unwrap();
    let dir_str = dir.to_str().unwrap();
    let publish = |extra: &[&str]| {
        let mut args = vec!["publish", "--lexicons", dir_str, "--pds", &w.http.url];
        args.extend_from_slice(&["--identifier", "alice.test"]);
        args.extend_from_slice(extra);
        lexgen(args)
    };
    // The password only comes from the environment.
    std::env::remove_var("LEXGEN_PASSWORD");
    let (code, _, err) = publish(&[]);
    assert_eq!(code, 2);
    assert!(err.contains("set LEXGEN_PASSWORD"), "{err}");
    std::env::set_var("LEXGEN_PASSWORD", "not-the-password");

    // An NSID that is not in the directory, or an invalid lexicon: nothing
    // is sent.
    let (code, _, err) = publish(&["org.example.shared.other"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("cannot publish org.example.shared.other: "),
        "{err}"
    );
    std::fs::write(
        dir.join("org/example/shared/bad.json"),
        r#"{"lexicon": 1, "id": "org.example.shared.bad", "defs": {"main": {"type": "strng"}}}"#,
    )
    .unwrap();
    let (code, _, err) = publish(&[]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown type \"strng\""), "{err}");
    assert!(w.http.requests().is_empty(), "{:?}", w.http.requests());

    // A refused login names the PDS, the account and the server's error.
    std::fs::remove_file(dir.join("org/example/shared/bad.json")).unwrap();
    let (code, _, err) = publish(&[]);
    assert_eq!(code, 2);
    assert!(
        err.contains(&format!(
            "cannot log in to {} as alice.test: POST",
            w.http.url
        )) && err.contains("HTTP 404 NotFound: no such route"),
        "{err}"
    );
}

#[test]
fn did_web_authorities_resolve_through_the_host() {
    let w = World::new();
    // did:web of the stub's own host (plain HTTP for a loopback host).
    let host = w.http.url.trim_start_matches("http://").replace(':', "%3A");
    let did = format!("did:web:{host}");
    w.dns
        .set_txt("_lexicon.web.example.net", &[&format!("did={did}")]);
    w.http
        .route("/.well-known/did.json", &did_doc(&did, &w.http.url, &w.key));
    let doc =
        json!({"lexicon": 1, "id": "net.example.web.thing", "defs": {"main": {"type": "token"}}});
    let record = with_type(&doc);
    let cid = atproto_lexgen::lifecycle::cid::cid_of(&record).unwrap();
    w.http.route_car(
        &format!("/xrpc/com.atproto.sync.getRecord?did={did}&collection={COLLECTION}&rkey=net.example.web.thing"),
        proof_car(&w.key, &did, "net.example.web.thing", &record),
    );
    w.http.route(
        &format!("/xrpc/com.atproto.repo.getRecord?repo={did}&collection={COLLECTION}&rkey=net.example.web.thing"),
        &json!({"uri": format!("at://{did}/{COLLECTION}/net.example.web.thing"), "cid": cid, "value": record}),
    );
    let (code, out, err) = w.install(&["net.example.web.thing"]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(read_json(&w.file("net.example.web.thing")), record);
    assert!(out.contains(&format!("at://{did}/")), "{out}");
}

#[test]
fn an_at_uri_installs_from_that_repository_without_dns() {
    let w = World::new();
    w.publish(
        "org.example.shared.label",
        &with_type(&label_doc()),
        LABEL_CID,
    );
    let uri = format!("at://{DID}/{COLLECTION}/org.example.shared.label");
    let (code, out, err) = w.install(&[&uri]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(w.dns.queries().is_empty(), "{:?}", w.dns.queries());
    assert_eq!(
        read_json(&w.manifest())["resolutions"]["org.example.shared.label"]["uri"],
        json!(uri)
    );
    assert_eq!(
        read_json(&w.manifest())["lexicons"],
        json!(["org.example.shared.label"])
    );
    let err = w.install_fails(&["at://did:plc:x/app.bsky.feed.post/org.example.a"]);
    assert!(
        err.contains("collection com.atproto.lexicon.schema"),
        "{err}"
    );
}

#[test]
fn a_truncated_dns_answer_is_asked_again_over_tcp() {
    let w = World::new();
    w.dns.truncate_udp();
    w.publish(
        "org.example.shared.label",
        &with_type(&label_doc()),
        LABEL_CID,
    );
    let (code, out, err) = w.install(&["org.example.shared.label"]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(
        w.dns.transcript(),
        [
            "udp _lexicon.shared.example.org",
            "tcp _lexicon.shared.example.org"
        ]
    );
}

#[test]
fn publish_check_dns_reports_each_authority() {
    use atproto_lexgen::lifecycle::publish::{check_dns, Published};
    let w = World::new();
    w.dns
        .set_txt("_lexicon.other.example.org", &["did=did:plc:someoneelse"]);
    let published = |nsid: &str| Published {
        nsid: nsid.into(),
        uri: format!("at://{DID}/{COLLECTION}/{nsid}"),
        cid: LABEL_CID.into(),
    };
    let mut net = atproto_lexgen::lifecycle::Network::new();
    net.dns_server(w.dns.addr);
    let lines = check_dns(
        &net,
        &[
            published("org.example.shared.label"),
            published("org.example.shared.note"),
            published("org.example.other.thing"),
            published("org.example.missing.thing"),
        ],
    );
    assert_eq!(lines.len(), 3, "one line per authority: {lines:?}");
    assert_eq!(
        lines[0],
        Ok(format!(
            "_lexicon.shared.example.org -> {DID} (this account)"
        ))
    );
    assert!(
        matches!(&lines[1], Err(e) if e.contains("points at did:plc:someoneelse")),
        "{lines:?}"
    );
    assert!(
        matches!(&lines[2], Err(e) if e.contains(&format!("add a TXT record \"did={DID}\" at _lexicon.missing.example.org"))),
        "{lines:?}"
    );
}

#[test]
fn a_ref_to_a_missing_def_fails_the_install_and_nothing_is_written() {
    let w = World::new();
    w.publish(
        "org.example.shared.label",
        &with_type(&label_doc()),
        LABEL_CID,
    );
    let note = with_type(&note_doc("org.example.shared.label#missing"));
    let cid = atproto_lexgen::lifecycle::cid::cid_of(&note).unwrap();
    w.publish("org.example.shared.note", &note, &cid);
    let err = w.install_fails(&["org.example.shared.note"]);
    assert!(
        err.contains("org/example/shared/note.json") && err.contains("missing"),
        "{err}"
    );
    assert!(!w.lexicons().exists() && !w.manifest().exists());
}

#[test]
fn checks_without_a_lockfile_are_errors() {
    let w = World::new();
    let err = w.install_fails(&["--ci"]);
    assert!(
        err.contains("there is no lockfile to check against"),
        "{err}"
    );
    let (lex, man) = (w.lexicons(), w.manifest());
    let (code, _, err) = lexgen([
        "check",
        "--lexicons",
        lex.to_str().unwrap(),
        "--lockfile",
        man.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("lexicons.json does not exist"), "{err}");
    std::fs::write(
        &man,
        r#"{"version": 1, "lexicons": [], "resolutions": {"x": {}}}"#,
    )
    .unwrap();
    let err = w.install_fails(&["--ci"]);
    assert!(
        err.contains("lexicons.json: at resolutions.x: missing field `uri`"),
        "{err}"
    );
}

#[test]
fn a_record_the_account_did_not_sign_is_refused() {
    let w = World::new();
    w.publish(
        "org.example.shared.label",
        &with_type(&label_doc()),
        LABEL_CID,
    );
    // The proof is signed with another key than the DID document's.
    let other = SigningKey::from_slice(&[9u8; 32]).unwrap();
    w.http.route_car(
        &format!("/xrpc/com.atproto.sync.getRecord?did={DID}&collection={COLLECTION}&rkey=org.example.shared.label"),
        proof_car(&other, DID, "org.example.shared.label", &with_type(&label_doc())),
    );
    let err = w.install_fails(&["org.example.shared.label"]);
    assert!(
        err.contains("the commit signature does not verify"),
        "{err}"
    );
    // A proof of another record at this key does not prove this one.
    let mut other_record = with_type(&label_doc());
    other_record["defs"]["main"]["description"] = json!("not the served one");
    w.http.route_car(
        &format!("/xrpc/com.atproto.sync.getRecord?did={DID}&collection={COLLECTION}&rkey=org.example.shared.label"),
        proof_car(&w.key, DID, "org.example.shared.label", &other_record),
    );
    let err = w.install_fails(&["org.example.shared.label"]);
    assert!(err.contains("the signed repository holds b"), "{err}");
    // No proof at all.
    w.http.route_car(
        &format!("/xrpc/com.atproto.sync.getRecord?did={DID}&collection={COLLECTION}&rkey=org.example.shared.label"),
        proof_car(&w.key, DID, "org.example.shared.other", &with_type(&label_doc())),
    );
    let err = w.install_fails(&["org.example.shared.label"]);
    assert!(err.contains("the signed repository has no record com.atproto.lexicon.schema/org.example.shared.label"), "{err}");
    assert!(!w.lexicons().exists() && !w.manifest().exists());
}

#[test]
fn check_lockfile_finds_pinned_files_in_any_lexicons_directory() {
    let w = World::new();
    w.publish(
        "org.example.shared.label",
        &with_type(&label_doc()),
        LABEL_CID,
    );
    assert_eq!(w.install(&["org.example.shared.label"]).0, 0);
    // The user's own lexicons in another directory, the installed ones after.
    let own = w.dir.path().join("own");
    std::fs::create_dir_all(own.join("org/example/mine")).unwrap();
    std::fs::write(
        own.join("org/example/mine/thing.json"),
        r#"{"lexicon": 1, "id": "org.example.mine.thing", "defs": {"main": {"type": "token"}}}"#,
    )
    .unwrap();
    let out_dir = w.dir.path().join("out");
    let (lex, man) = (w.lexicons(), w.manifest());
    let args = |cmd: &'static str| {
        vec![
            cmd.to_owned(),
            "--lexicons".into(),
            own.to_str().unwrap().into(),
            "--lexicons".into(),
            lex.to_str().unwrap().into(),
            "--out".into(),
            out_dir.to_str().unwrap().into(),
        ]
    };
    assert_eq!(lexgen(args("generate")).0, 0);
    let mut check = args("check");
    check.extend(["--lockfile".into(), man.to_str().unwrap().into()]);
    let (code, out, err) = lexgen(check);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("every lexicon matches"), "{out}");
}
