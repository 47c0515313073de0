//! Format values made rather than parsed: `now()`, `AtUri` from parts and
//! back, conversions.

use atproto_lexgen_runtime::formats::{
    AtIdentifier, AtUri, Cid, Datetime, Did, Handle, Nsid, RecordKey, Tid,
};
use atproto_lexgen_runtime::types::CidLink;
use std::collections::BTreeSet;

#[test]
fn datetime_now_is_valid_and_current() {
    let now = Datetime::now();
    assert!(Datetime::new(now.as_str()).is_ok(), "{now}");
    assert!(now.as_str().starts_with("20"), "{now}");
    assert_eq!(now.as_str().len(), "2026-11-30T00:05:01.123456Z".len());
}

#[test]
fn datetime_from_unix_micros_matches_known_dates() {
    let cases = [
        (0, "1970-01-01T00:00:00.000000Z"),
        (951_782_400_000_001, "2000-02-29T00:00:00.000001Z"),
        (1_709_208_000_500_000, "2024-02-29T12:00:00.500000Z"),
        (4_102_444_799_999_999, "2099-12-31T23:59:59.999999Z"),
    ];
    for (micros, want) in cases {
        assert_eq!(Datetime::from_unix_micros(micros).as_str(), want);
    }
}

#[test]
fn tid_now_is_valid_monotonic_and_current() {
    let tids: Vec<Tid> = (0..2000).map(|_| Tid::now()).collect();
    for t in &tids {
        assert!(Tid::new(t.as_str()).is_ok(), "{t}");
    }
    // Strictly increasing, as strings too (the encoding sorts).
    assert!(tids.windows(2).all(|w| w[0].as_str() < w[1].as_str()));
    assert_eq!(tids.iter().collect::<BTreeSet<_>>().len(), tids.len());
    // One clock id per process; the timestamp is the current time.
    assert!(tids.iter().all(|t| t.clock_id() == tids[0].clock_id()));
    let now = Datetime::now();
    let micros = tids[0].timestamp_micros();
    let secs_now: u64 = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    assert!(
        secs_now.abs_diff(micros / 1_000_000) < 60,
        "{now} vs {micros}"
    );
}

#[test]
fn tid_from_parts_matches_the_spec_example() {
    // The spec's example `3jzfcijpj2z2a` decodes and re-encodes unchanged.
    let t = Tid::new("3jzfcijpj2z2a").unwrap();
    let back = Tid::from_parts(t.timestamp_micros(), t.clock_id());
    assert_eq!(back, t);
    assert_eq!(Tid::from_parts(0, 0).as_str(), "2222222222222");
    // 53 + 10 bits: the 64-bit top bit stays 0, so the first char is at most `b`.
    assert_eq!(Tid::from_parts(u64::MAX, 1023).as_str(), "bzzzzzzzzzzzz");
}

#[test]
fn tid_is_a_record_key() {
    let tid = Tid::now();
    let rkey = RecordKey::from(tid.clone());
    assert_eq!(rkey.as_str(), tid.as_str());
}

#[test]
fn at_uri_from_parts_and_back() {
    let did = Did::new("did:plc:z72i7hdynmk6r22z27h6tvur").unwrap();
    let collection = Nsid::new("app.bsky.feed.post").unwrap();
    let rkey = RecordKey::new("3jzfcijpj2z2a").unwrap();
    let uri = AtUri::record(did.clone(), &collection, &rkey);
    assert_eq!(
        uri.as_str(),
        "at://did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.feed.post/3jzfcijpj2z2a"
    );
    assert!(AtUri::new(uri.as_str()).is_ok());
    assert_eq!(uri.authority(), AtIdentifier::from(did.clone()));
    assert_eq!(uri.collection(), Some(collection));
    assert_eq!(uri.rkey(), Some(rkey));

    let handle = Handle::new("alice.test").unwrap();
    let repo = AtUri::from(handle.clone());
    assert_eq!(repo.as_str(), "at://alice.test");
    assert_eq!(repo.authority(), AtIdentifier::from(handle));
    assert_eq!((repo.collection(), repo.rkey()), (None, None));
    assert_eq!(
        AtUri::from(did).as_str(),
        "at://did:plc:z72i7hdynmk6r22z27h6tvur"
    );
}

#[test]
fn cid_and_cid_link_convert() {
    let cid = Cid::new("bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm").unwrap();
    let link = CidLink::from(cid.clone());
    assert_eq!(link.as_ref(), &cid);
    assert_eq!(Cid::from(link), cid);
}
