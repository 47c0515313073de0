use super::*;
use crate::types::base64_decode;
use serde_json::{json, Value};

/// Cases made and judged by the official `@atproto/crypto`
/// (`tests/e2e/crypto-vectors.mjs`).
fn vectors() -> Vec<Value> {
    let all: Value = serde_json::from_str(include_str!("vectors.json")).expect("vectors.json");
    all["cases"].as_array().expect("cases").clone()
}

#[test]
fn every_official_vector_gets_the_official_verdict() {
    let cases = vectors();
    assert_eq!(cases.len(), 30);
    let (mut valid, mut p256, mut k256) = (0, 0, 0);
    for case in &cases {
        let comment = case["comment"].as_str().expect("comment");
        let did = case["didKey"].as_str().expect("didKey");
        let bytes = |name: &str| base64_decode(case[name].as_str().expect(name)).expect(name);
        let key: PublicKey = did.parse().unwrap_or_else(|e| panic!("{comment}: {e}"));
        // The did:key is written back exactly.
        assert_eq!(key.to_did_key(), did, "{comment}");
        match key.algorithm() {
            Algorithm::P256 => p256 += 1,
            Algorithm::Secp256k1 => k256 += 1,
        }
        let verdict = key.verify(&bytes("messageBase64"), &bytes("signatureBase64"));
        let expected = case["valid"].as_bool().expect("valid");
        assert_eq!(verdict.is_ok(), expected, "{comment}: {verdict:?}");
        valid += usize::from(expected);
        if comment.contains("high-S") {
            assert_eq!(
                verdict.expect_err("refused").to_string(),
                "the signature is not in low-S form"
            );
        }
    }
    assert_eq!((valid, p256, k256), (6, 15, 15));
}

#[test]
fn did_key_prefixes_name_the_curve() {
    let cases = vectors();
    let did = |curve: &str| {
        cases
            .iter()
            .find(|c| c["comment"].as_str().is_some_and(|s| s.starts_with(curve)))
            .and_then(|c| c["didKey"].as_str())
            .expect("a case")
            .to_owned()
    };
    let (p, k) = (did("P-256"), did("secp256k1"));
    assert!(p.starts_with("did:key:zDnae"), "{p}");
    assert!(k.starts_with("did:key:zQ3s"), "{k}");
    assert_eq!(
        PublicKey::from_did_key(&p).unwrap().algorithm().jwt_alg(),
        "ES256"
    );
    assert_eq!(
        PublicKey::from_did_key(&k).unwrap().algorithm().jwt_alg(),
        "ES256K"
    );
}

#[test]
fn malformed_keys_are_refused_with_a_reason() {
    let err = |s: &str| PublicKey::from_did_key(s).expect_err(s).to_string();
    assert_eq!(err("did:plc:abc"), "not a did:key: \"did:plc:abc\"");
    assert!(err("did:key:fabc").contains("only base58btc"));
    assert!(err("did:key:z0OIl").contains("invalid base58btc"));
    // An ed25519 multikey (0xed 0x01): not an atproto key type.
    let ed = format!("did:key:z{}", base58::encode(&[0xed, 0x01, 1, 2, 3]));
    assert!(err(&ed).contains("unsupported key type"));
    // The P-256 prefix on bytes that are not a point.
    let bad = format!("did:key:z{}", base58::encode(&[0x80, 0x24, 2, 0, 0]));
    assert_eq!(err(&bad), "not a ES256 public key");
}

#[test]
fn the_signing_key_of_a_did_document() {
    let did_key = vectors()[0]["didKey"].as_str().unwrap().to_owned();
    let key = PublicKey::from_did_key(&did_key).unwrap();
    let multikey = did_key.strip_prefix("did:key:").unwrap();
    // As the PLC directory serves it (absolute id), and with a relative id.
    for id in ["did:plc:ewvi7nxzyoun6zhxrhs64oiz#atproto", "#atproto"] {
        let doc = json!({
            "id": "did:plc:ewvi7nxzyoun6zhxrhs64oiz",
            "verificationMethod": [
                {"id": "did:plc:ewvi7nxzyoun6zhxrhs64oiz#other", "type": "Multikey",
                 "publicKeyMultibase": "zQ3shXjHeiBuRCKmM36cuYnm7YEMzhGnCmCyW92sRJ9pribSF"},
                {"id": id, "type": "Multikey", "controller": "did:plc:ewvi7nxzyoun6zhxrhs64oiz",
                 "publicKeyMultibase": multikey},
            ],
        });
        assert_eq!(PublicKey::from_did_document(&doc), Ok(key.clone()), "{id}");
    }
    // The legacy type: the raw key bytes in base58btc, the curve from the type.
    let raw = format!("z{}", base58::encode(&key.to_sec1_compressed()));
    let legacy = json!({"id": "did:web:example.com", "verificationMethod": [
        {"id": "#atproto", "type": "EcdsaSecp256r1VerificationKey2019", "publicKeyMultibase": raw},
    ]});
    assert_eq!(PublicKey::from_did_document(&legacy), Ok(key));
    // `#atproto` of another DID does not count.
    let foreign = json!({"id": "did:web:example.com", "verificationMethod": [
        {"id": "did:web:other.com#atproto", "type": "Multikey", "publicKeyMultibase": multikey},
    ]});
    assert_eq!(
        PublicKey::from_did_document(&foreign)
            .unwrap_err()
            .to_string(),
        "the DID document has no `#atproto` verification method"
    );
    let unknown = json!({"id": "did:web:example.com", "verificationMethod": [
        {"id": "#atproto", "type": "JsonWebKey2020", "publicKeyJwk": {}},
    ]});
    assert!(PublicKey::from_did_document(&unknown)
        .unwrap_err()
        .to_string()
        .contains("unsupported verification method type \"JsonWebKey2020\""));
}

#[test]
fn signatures_of_other_lengths_are_refused() {
    let key = PublicKey::from_did_key(vectors()[0]["didKey"].as_str().unwrap()).unwrap();
    for len in [0, 63, 65, 70, 72] {
        let err = key.verify(b"m", &vec![1; len]).unwrap_err().to_string();
        assert!(err.contains(&format!("got {len}")), "{err}");
    }
    // r = 0 is out of range: refused, not a panic.
    assert!(key.verify(b"m", &[0; 64]).is_err());
}

#[cfg(feature = "repo")]
#[test]
fn commits_signed_by_atproto_repo_verify_and_changed_ones_do_not() {
    use crate::cbor;
    use crate::repo::verify_commit;
    use crate::types::Data;
    // The repository the vectors' commits are of (crypto-vectors.mjs).
    const DID: &str = "did:plc:ewvi7nxzyoun6zhxrhs64oiz";
    let all: Value = serde_json::from_str(include_str!("vectors.json")).expect("vectors.json");
    let commits = all["commits"].as_array().expect("commits");
    assert_eq!(commits.len(), 2);
    let keys: Vec<PublicKey> = commits
        .iter()
        .map(|c| PublicKey::from_did_key(c["didKey"].as_str().unwrap()).unwrap())
        .collect();
    for (i, case) in commits.iter().enumerate() {
        let comment = case["comment"].as_str().unwrap();
        assert_eq!(case["valid"], true, "{comment}");
        let block = base64_decode(case["commitBase64"].as_str().unwrap()).unwrap();
        verify_commit(&block, DID, &keys[i]).unwrap_or_else(|e| panic!("{comment}: {e}"));
        // The other commit's key (the other curve).
        let err = verify_commit(&block, DID, &keys[1 - i])
            .unwrap_err()
            .to_string();
        assert!(err.contains("does not verify"), "{comment}: {err}");
        // Signed by the key, but as another account's repository.
        assert_eq!(
            verify_commit(&block, "did:plc:other", &keys[i])
                .unwrap_err()
                .to_string(),
            format!("the commit is of the repository of {DID}, not did:plc:other")
        );
        // The same signature over a changed commit.
        let Data::Object(mut commit) = cbor::decode(&block).unwrap() else {
            panic!("{comment}: not a map")
        };
        commit.insert("rev".into(), Data::String("3jzfcijpj2z2b".into()));
        let changed = cbor::encode(&Data::Object(commit.clone())).unwrap();
        assert!(verify_commit(&changed, DID, &keys[i]).is_err(), "{comment}");
        commit.remove("sig");
        let unsigned = cbor::encode(&Data::Object(commit)).unwrap();
        assert_eq!(
            verify_commit(&unsigned, DID, &keys[i])
                .unwrap_err()
                .to_string(),
            "the commit has no `sig` bytes"
        );
    }
}

#[test]
fn a_legacy_key_of_the_reference_pds() {
    // From a DID document of the reference PDS (tests/e2e/captured/createAccount.json):
    // the legacy type, an uncompressed secp256k1 point.
    let legacy =
        "zQyyCXTvm4B5538MSAJdrxZPuJQVnCFAQSnWyMkJGn7wETmDGZL4TUANTACEH2k9ygqpeqwxJAvQLURjk5Tbqadee";
    let key = PublicKey::from_verification_method("EcdsaSecp256k1VerificationKey2019", legacy)
        .expect("legacy key");
    assert_eq!(key.algorithm(), Algorithm::Secp256k1);
    // Written back as a compressed multikey, which reads as the same key.
    let multikey = key.to_multikey();
    assert!(multikey.starts_with("zQ3s"), "{multikey}");
    assert_eq!(
        PublicKey::from_verification_method("Multikey", &multikey),
        Ok(key)
    );
    assert!(
        PublicKey::from_verification_method("Ed25519VerificationKey2020", legacy)
            .unwrap_err()
            .to_string()
            .contains("secp256k1 and P-256 only")
    );
}
