//! Bytes -> serde_json into generated types. Never panics; and whatever
//! deserializes also validates and survives a JSON round trip unchanged.
#![no_main]

use atproto_types::app::bsky::{actor, feed};
use atproto_types::com::atproto::{repo, server};
use atproto_types::types::{Blob, Unknown};
use atproto_types::validate::Validate;
use libfuzzer_sys::fuzz_target;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::fmt::Debug;

fn check<T>(data: &[u8], validates: fn(&T) -> bool)
where
    T: DeserializeOwned + Serialize + PartialEq + Debug,
{
    let Ok(value) = serde_json::from_slice::<T>(data) else {
        return;
    };
    assert!(
        validates(&value),
        "deserialized but does not validate: {value:?}"
    );
    let json = serde_json::to_vec(&value).expect("serializes");
    let again: T = match serde_json::from_slice(&json) {
        Ok(v) => v,
        Err(e) => panic!(
            "re-reading own output failed: {e}\n{}",
            String::from_utf8_lossy(&json)
        ),
    };
    assert_eq!(value, again, "round trip changed the value");
}

fn valid<T: Validate>(v: &T) -> bool {
    v.validate().is_ok()
}

fuzz_target!(|data: &[u8]| {
    check::<feed::post::Record>(data, valid);
    check::<feed::post::RecordEmbed>(data, valid);
    check::<feed::defs::PostView>(data, valid);
    check::<actor::defs::ProfileViewDetailed>(data, valid);
    check::<server::create_session::Output>(data, valid);
    check::<repo::strong_ref::Main>(data, valid);
    check::<Blob>(data, |_| true);
    check::<Unknown>(data, |_| true);
});
