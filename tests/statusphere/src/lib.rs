//! A Statusphere-style app crate: its own lexicon, generated at build time
//! (see `build.rs`), whose `subject` is `atproto_types`' own strongRef.

/// The generated modules (`xyz::statusphere::status`) and the runtime's
/// modules (`formats`, `validate`, ...), which are `atproto_types`' too.
#[allow(missing_docs)]
pub mod lexicons {
    include!(concat!(env!("OUT_DIR"), "/lexicons.rs"));
}

pub use lexicons::records::Record;
pub use lexicons::xyz::statusphere::status;

#[cfg(test)]
mod tests {
    use super::status;
    use atproto_types::com::atproto::repo::strong_ref;
    use atproto_types::formats::{AtUri, Cid, Datetime};
    use atproto_types::validate::Validate;

    fn subject() -> strong_ref::Main {
        strong_ref::Main::new(
            AtUri::new("at://did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.feed.post/3l3qo2vuowo2b")
                .expect("valid at-uri"),
            Cid::new("bafyreidogqfzz75tpkmjzjke425xqcrmpcib2p5tg44hnbirumdbpl5adu")
                .expect("valid cid"),
        )
    }

    #[test]
    fn a_status_about_an_atproto_types_strong_ref_round_trips() {
        // The app's formats are atproto_types' formats: one runtime.
        let record = status::Record::new("🦋", Datetime::now()).with_subject(subject());
        record.validate().expect("valid");
        let json = serde_json::to_value(&record).expect("serialize");
        assert_eq!(json["$type"], "xyz.statusphere.status");
        assert_eq!(json["subject"]["cid"], subject().cid.as_str());
        let back: status::Record = serde_json::from_value(json.clone()).expect("deserialize");
        assert_eq!(back, record);
        let strong_ref: &strong_ref::Main = back.subject.as_ref().expect("subject");
        assert_eq!(strong_ref, &subject());
        assert_eq!(serde_json::to_value(&back).expect("serialize"), json);
    }

    #[test]
    fn the_records_enum_reads_the_apps_records_from_dag_cbor() {
        use atproto_lexgen_runtime::cbor::{self, FromData};
        let record = status::Record::new("🦋", Datetime::now()).with_subject(subject());
        let block = cbor::to_vec(&record).expect("encode");
        let read = super::Record::from_data(cbor::decode(&block).expect("decode")).expect("typed");
        assert_eq!(read.known_type(), Some("xyz.statusphere.status"));
        assert_eq!(read, super::Record::XyzStatusphereStatus(record));
        // Written back, the same block (so the same CID).
        assert_eq!(cbor::to_vec(&read).expect("encode"), block);
        // Other records (here an extern namespace's) are kept as data.
        let post = serde_json::json!({"$type": "app.bsky.feed.post", "text": "hi",
            "createdAt": "2026-11-30T00:00:00.000Z"});
        let data = atproto_lexgen_runtime::types::Data::from_json(&post).expect("data");
        let other = super::Record::from_data(data.clone()).expect("kept");
        assert_eq!(other, super::Record::Unknown(data));
        assert_eq!(other.known_type(), None);
        // A status that breaks its rules is refused, not kept as data.
        let bad = serde_json::json!({"$type": "xyz.statusphere.status", "status": "🦋🦋",
            "createdAt": "2026-11-30T00:00:00.000Z"});
        let err = super::Record::from_data(
            atproto_lexgen_runtime::types::Data::from_json(&bad).expect("data"),
        )
        .expect_err("two graphemes");
        assert!(err.to_string().contains("maxGraphemes 1, got 2"), "{err}");
    }

    #[test]
    fn a_two_grapheme_status_is_rejected() {
        let json = serde_json::json!({
            "$type": "xyz.statusphere.status",
            "status": "🦋🦋",
            "createdAt": "2026-11-29T23:00:00.000Z",
        });
        let err = serde_json::from_value::<status::Record>(json).expect_err("two graphemes");
        assert!(
            err.to_string().contains("status: maxGraphemes 1, got 2"),
            "{err}"
        );

        // One grapheme of several code points is one status.
        let family = "👨‍👩‍👧";
        let record = status::Record::new(family, Datetime::now());
        record.validate().expect("one grapheme");
        let err = status::Record::new("ab", Datetime::now())
            .validated()
            .expect_err("two graphemes");
        assert_eq!(err.to_string(), "status: maxGraphemes 1, got 2");
    }
}
