//! DAG-CBOR and CIDs of generated types, checked against records a real PDS
//! stored (`tests/e2e/captured/`, see its README): the CID computed here
//! from the typed value must be the CID the PDS returned.

use atproto_types::app::bsky::{actor::profile, feed::post};
use atproto_types::cbor;
use atproto_types::types::Data;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

fn captured(name: &str) -> Value {
    let path = format!(
        "{}/tests/e2e/captured/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The typed value's CID is the PDS's; CBOR -> typed -> CBOR and
/// CBOR -> Data -> JSON -> Data -> CBOR are byte-identical.
fn check_record<T: Serialize + DeserializeOwned>(name: &str) {
    let response = captured(name);
    let record: T = serde_json::from_value(response["value"].clone()).unwrap();
    let cid = cbor::cid(&record).unwrap();
    assert_eq!(cid.as_str(), response["cid"].as_str().unwrap(), "{name}");
    let bytes = cbor::to_vec(&record).unwrap();
    let typed: T = cbor::from_slice(&bytes).unwrap();
    assert_eq!(cbor::to_vec(&typed).unwrap(), bytes);
    let data: Data = cbor::from_slice(&bytes).unwrap();
    let json = serde_json::to_string(&data).unwrap();
    let again: Data = serde_json::from_str(&json).unwrap();
    assert_eq!(cbor::to_vec(&again).unwrap(), bytes);
    assert_eq!(cbor::cid(&data).unwrap(), cid);
}

#[test]
fn a_post_has_the_cid_the_pds_returned() {
    check_record::<post::Record>("getRecord.post");
}

#[test]
fn a_profile_with_a_blob_has_the_cid_the_pds_returned() {
    check_record::<profile::Record>("getRecord.profile");
}

#[test]
fn unknown_fields_keep_the_cid() {
    let mut response = captured("getRecord.post");
    let cid = cbor::cid(&response["value"]).unwrap();
    response["value"]["zExtra"] = serde_json::json!({"n": 1, "b": {"$bytes": "AQ"}});
    let record: post::Record = serde_json::from_value(response["value"].clone()).unwrap();
    let with_extra = cbor::cid(&record).unwrap();
    assert_ne!(with_extra, cid);
    assert_eq!(with_extra, cbor::cid(&response["value"]).unwrap());
    let bytes = cbor::to_vec(&record).unwrap();
    assert_eq!(
        cbor::to_vec(&cbor::from_slice::<post::Record>(&bytes).unwrap()).unwrap(),
        bytes
    );
}

#[test]
fn typed_values_are_validated_on_the_cbor_path() {
    let mut value = captured("getRecord.post")["value"].clone();
    value["text"] = Value::from("x".repeat(3001));
    let bytes = cbor::to_vec(&value).unwrap();
    let err = cbor::from_slice::<post::Record>(&bytes)
        .unwrap_err()
        .to_string();
    assert!(err.contains("text"), "{err}");
    value["text"] = Value::from(1);
    let bytes = cbor::to_vec(&value).unwrap();
    assert!(cbor::from_slice::<post::Record>(&bytes).is_err());
}
