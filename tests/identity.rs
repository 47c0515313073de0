//! The runtime's identity resolver (feature `identity`) against loopback
//! stand-ins for DNS, the PLC directory and a handle's host: both
//! directions of a handle, the HTTPS fallback, and each way it can fail.
//! `repo_e2e.rs` resolves real accounts of the reference PDS and PLC.

use atproto_types::crypto::PublicKey;
use atproto_types::formats::Did;
use atproto_types::identity::{Resolver, SigningKeys};
use atproto_types::repo;
use atproto_types::types::base64_decode;
use lexgen_tests::fake_net::{FakeDns, FakeHttp};
use serde_json::{json, Value};

const ALICE: &str = "did:plc:ewvi7nxzyoun6zhxrhs64oiz";
const BOB: &str = "did:plc:z72i7hdynmk6r22z27h6tvur";
/// A secp256k1 multikey (the example of the atproto DID documentation).
const KEY: &str = "zQ3shXjHeiBuRCKmM36cuYnm7YEMzhGnCmCyW92sRJ9pribSF";

fn document(did: &str, handles: &[&str]) -> Value {
    document_with_key(did, handles, KEY)
}

fn document_with_key(did: &str, handles: &[&str], key: &str) -> Value {
    json!({
        "id": did,
        "alsoKnownAs": handles.iter().map(|h| format!("at://{h}")).collect::<Vec<_>>(),
        "verificationMethod": [{"id": format!("{did}#atproto"), "type": "Multikey",
            "controller": did, "publicKeyMultibase": key}],
        "service": [{"id": "#atproto_pds", "type": "AtprotoPersonalDataServer",
            "serviceEndpoint": "https://pds.example.com"}],
    })
}

struct World {
    dns: FakeDns,
    http: FakeHttp,
}

impl World {
    fn new() -> World {
        World {
            dns: FakeDns::start(),
            http: FakeHttp::start(),
        }
    }

    /// `_atproto.<handle>` names `did`.
    fn txt(&self, handle: &str, did: &str) {
        self.dns
            .set_txt(&format!("_atproto.{handle}"), &[&format!("did={did}")]);
    }

    /// The PLC directory serves `did`'s document, which claims `handles`.
    fn plc(&self, did: &str, handles: &[&str]) {
        self.http.route(&format!("/{did}"), &document(did, handles));
    }

    fn resolver(&self) -> Resolver {
        Resolver::new()
            .with_plc(&self.http.url)
            .with_dns(self.dns.addr)
            .with_handle_server(&self.http.url)
    }
}

#[tokio::test]
async fn a_handle_in_dns_resolves_both_ways() {
    let world = World::new();
    world.txt("alice.test", ALICE);
    world.plc(ALICE, &["alice.test"]);
    // Handles compare without case.
    let alice = world.resolver().resolve("Alice.Test").await.unwrap();
    assert_eq!(alice.did.as_str(), ALICE);
    assert_eq!(alice.handle.unwrap().as_str(), "Alice.Test");
    assert_eq!(alice.document.pds(), Some("https://pds.example.com"));
    assert_eq!(
        alice.document.signing_key().unwrap().to_multikey(),
        KEY,
        "the document's #atproto key"
    );
    // From the DID: the claimed handle is checked back through DNS.
    let did = Did::new(ALICE).unwrap();
    let back = world.resolver().resolve_did(&did).await.unwrap();
    assert_eq!(back.handle.unwrap().as_str(), "alice.test");
    assert!(world
        .dns
        .queries()
        .iter()
        .all(|q| q == "_atproto.alice.test"));
}

#[tokio::test]
async fn without_a_dns_record_the_handle_is_asked_over_https() {
    let world = World::new();
    world
        .http
        .route_text("/.well-known/atproto-did", &format!("{BOB}\n"));
    world.plc(BOB, &["bob.test"]);
    let bob = world.resolver().resolve("bob.test").await.unwrap();
    assert_eq!(bob.did.as_str(), BOB);
    assert_eq!(world.dns.queries(), ["_atproto.bob.test"]);
    assert_eq!(
        world.http.requests(),
        ["/.well-known/atproto-did", &format!("/{BOB}")]
    );
}

#[tokio::test]
async fn a_handle_the_document_does_not_claim_is_refused() {
    let world = World::new();
    world.txt("mallory.test", ALICE);
    world.plc(ALICE, &["alice.test"]);
    let err = world.resolver().resolve("mallory.test").await.unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "mallory.test resolves to {ALICE}, whose DID document does not claim it \
             (no `at://mallory.test` in `alsoKnownAs`)"
        )
    );
}

#[tokio::test]
async fn a_claimed_handle_that_points_elsewhere_is_no_handle() {
    let world = World::new();
    // Bob's document claims alice.test, which is Alice's.
    world.txt("alice.test", ALICE);
    world.plc(BOB, &["alice.test"]);
    let bob = world.resolver().resolve(BOB).await.unwrap();
    assert_eq!(bob.did.as_str(), BOB);
    assert_eq!(bob.handle, None);
}

#[tokio::test]
async fn conflicting_records_and_wrong_documents_are_errors() {
    let world = World::new();
    world.dns.set_txt(
        "_atproto.two.test",
        &[&format!("did={ALICE}"), &format!("did={BOB}")],
    );
    let err = world.resolver().resolve("two.test").await.unwrap_err();
    assert!(
        err.to_string().contains("conflicting `did=` records"),
        "{err}"
    );
    // The PLC directory answers with another DID's document.
    world.http.route(&format!("/{ALICE}"), &document(BOB, &[]));
    let err = world.resolver().resolve(ALICE).await.unwrap_err();
    assert!(
        err.to_string()
            .ends_with(&format!("serves the document of {BOB}")),
        "{err}"
    );
    // Nothing anywhere.
    let err = world.resolver().resolve("nobody.test").await.unwrap_err();
    assert!(
        err.to_string()
            .starts_with("handle nobody.test does not resolve: DNS: no `did=` TXT record; HTTPS:"),
        "{err}"
    );
    let err = world.resolver().resolve("not a handle").await.unwrap_err();
    assert!(err.to_string().starts_with("\"not a handle\""), "{err}");
    let err = world.resolver().resolve("did:key:zQ3s").await.unwrap_err();
    assert!(err.to_string().contains("unsupported DID method"), "{err}");
}

#[tokio::test]
async fn signing_keys_are_kept_and_resolved_again_when_a_check_fails() {
    // Two commits of ALICE's repository signed by @atproto/repo, each with
    // its own key (tests/e2e/crypto-vectors.mjs).
    let vectors: Value =
        serde_json::from_str(include_str!("../codegen/runtime/src/crypto/vectors.json")).unwrap();
    let multikey = |i: usize| {
        let did_key = vectors["commits"][i]["didKey"].as_str().unwrap();
        did_key.strip_prefix("did:key:").unwrap().to_owned()
    };
    let block = base64_decode(vectors["commits"][0]["commitBase64"].as_str().unwrap()).unwrap();
    let check = |key: &PublicKey| repo::verify_commit(&block, ALICE, key);
    let world = World::new();
    let path = format!("/{ALICE}");
    let plc_requests = || world.http.requests().iter().filter(|r| **r == path).count();
    let did = Did::new(ALICE).unwrap();
    let keys = SigningKeys::new(world.resolver());

    // The document names another key: resolved, and the check still fails.
    world
        .http
        .route(&path, &document_with_key(ALICE, &[], &multikey(1)));
    let err = keys.verify(&did, check).await.unwrap_err().to_string();
    assert!(err.contains("does not verify"), "{err}");
    assert_eq!(plc_requests(), 1);
    // The key rotated to the signing one: the kept key fails, the document
    // is resolved again, and the new key is kept.
    world
        .http
        .route(&path, &document_with_key(ALICE, &[], &multikey(0)));
    keys.verify(&did, check).await.unwrap();
    assert_eq!(plc_requests(), 2);
    keys.verify(&did, check).await.unwrap();
    assert_eq!(keys.key(&did).await.unwrap().to_multikey(), multikey(0));
    assert_eq!(plc_requests(), 2, "kept");
    // An #identity event: the key is resolved again on next use.
    keys.forget(ALICE);
    keys.key(&did).await.unwrap();
    assert_eq!(plc_requests(), 3);
}
