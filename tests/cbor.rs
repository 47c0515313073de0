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

/// Unknown fields hold `Data`: bytes and a link read from DAG-CBOR stay
/// bytes and a link through JSON and back, so the record re-encodes to the
/// same bytes and CID.
#[test]
fn unknown_bytes_and_links_survive_cbor_json_cbor() {
    let response = captured("getRecord.post");
    let link = response["cid"].as_str().unwrap();
    let mut data = Data::from_json(&response["value"]).unwrap();
    let map = data.as_object_mut().unwrap();
    map.insert("zBytes".into(), Data::Bytes(vec![0, 1, 2, 255]));
    map.insert(
        "zNested".into(),
        [
            ("link", Data::Link(link.parse().unwrap())),
            (
                "list",
                Data::from(vec![Data::Bytes(vec![7]), Data::from(-3)]),
            ),
        ]
        .into_iter()
        .collect(),
    );
    let bytes = cbor::to_vec(&data).unwrap();
    let record: post::Record = cbor::from_slice(&bytes).unwrap();
    assert_eq!(record.extra["zBytes"], Data::Bytes(vec![0, 1, 2, 255]));
    assert_eq!(
        record.extra["zNested"]["link"]
            .as_link()
            .map(|c| c.as_str()),
        Some(link)
    );
    let json = serde_json::to_string(&record).unwrap();
    assert!(json.contains(r#""zBytes":{"$bytes":"AAEC/w"}"#), "{json}");
    let back: post::Record = serde_json::from_str(&json).unwrap();
    assert_eq!(back, record);
    assert_eq!(cbor::to_vec(&back).unwrap(), bytes);
    assert_eq!(cbor::cid(&back).unwrap(), cbor::cid(&data).unwrap());
}

/// The data model has no floats: one in an unknown field is rejected with
/// its path, on JSON and in code.
#[test]
fn a_float_in_an_unknown_field_is_rejected_with_its_path() {
    let mut value = captured("getRecord.post")["value"].clone();
    value["zExtra"] = serde_json::json!({"list": [1, {"x": 2.5}]});
    let err = serde_json::from_value::<post::Record>(value.clone())
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("zExtra.list[1].x: 2.5 is not a 64-bit signed integer"),
        "{err}"
    );
    let err = serde_json::from_str::<post::Record>(&value.to_string())
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("zExtra.list[1].x: 2.5 is not"), "{err}");
    assert!(cbor::to_vec(&value).is_err());
}

mod props {
    use super::*;
    use atproto_types::app::bsky::graph::follow;
    use proptest::prelude::*;
    use serde_json::json;

    const BLOB: &str = "bafkreicjo6iji7kgmz3azy4phqaoquwhd7nwnsxijg5or2pn4njhdhqvqe";

    /// Unknown-field values: data-model JSON (no floats).
    fn extra_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            "\\PC{0,6}".prop_map(Value::from),
            "[A-Za-z0-9+/]{4}".prop_map(|b| json!({"$bytes": b})),
            Just(json!({"$link": BLOB})),
        ];
        leaf.prop_recursive(3, 16, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
                proptest::collection::btree_map("z[a-z]{0,5}", inner, 0..4)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    fn post_value() -> impl Strategy<Value = Value> {
        (
            "\\PC{0,40}",
            proptest::collection::vec(prop_oneof![Just("en"), Just("fr"), Just("pt-BR")], 0..3),
            proptest::option::of((1u64..5000, "[a-z]{1,8}")),
            proptest::option::of(("https://[a-z]{1,8}\\.com", "\\PC{0,10}")),
            proptest::collection::btree_map("z[a-z]{0,5}", extra_value(), 0..3),
        )
            .prop_map(|(text, langs, image, external, extra)| {
                let mut post = json!({
                    "$type": "app.bsky.feed.post",
                    "text": text,
                    "createdAt": "2026-11-30T00:00:00.000Z",
                });
                if !langs.is_empty() {
                    post["langs"] = json!(langs);
                }
                let blob = |size| json!({"$type": "blob", "ref": {"$link": BLOB}, "mimeType": "image/png", "size": size});
                if let Some((size, alt)) = image {
                    post["embed"] = json!({"$type": "app.bsky.embed.images", "images": [{"image": blob(size), "alt": alt}]});
                } else if let Some((uri, title)) = external {
                    post["embed"] = json!({"$type": "app.bsky.embed.external", "external": {"uri": uri, "title": title, "description": ""}});
                }
                for (k, v) in extra {
                    post[k] = v;
                }
                post
            })
    }

    fn round_trip<T: Serialize + DeserializeOwned + std::fmt::Debug>(
        value: &Value,
    ) -> Result<(), TestCaseError> {
        let record: T = serde_json::from_value(value.clone()).unwrap();
        let bytes = cbor::to_vec(&record).unwrap();
        prop_assert_eq!(&cbor::to_vec(value).unwrap(), &bytes);
        let typed: T = cbor::from_slice(&bytes).unwrap();
        prop_assert_eq!(cbor::to_vec(&typed).unwrap(), bytes.clone());
        let data: Data = cbor::from_slice(&bytes).unwrap();
        let json = serde_json::to_value(&data).unwrap();
        let again: T = serde_json::from_value(json).unwrap();
        prop_assert_eq!(cbor::to_vec(&again).unwrap(), bytes);
        same_as_json_path::<T>(&data)
    }

    /// `cbor::from_data` (straight from `Data`) gives what the JSON path it
    /// replaced gave: the same value, or the same error message.
    fn same_as_json_path<T: DeserializeOwned + std::fmt::Debug>(
        data: &Data,
    ) -> Result<(), TestCaseError> {
        let direct = cbor::from_data::<T>(data).map_err(|e| e.to_string());
        let via_json = serde_json::from_value::<T>(data.to_json()).map_err(|e| e.to_string());
        prop_assert_eq!(format!("{direct:?}"), format!("{via_json:?}"));
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// JSON -> Data -> CBOR -> Data -> JSON gives back the same JSON,
        /// and the CBOR of the JSON read again is the same bytes.
        #[test]
        fn json_data_cbor_data_json_round_trips(value in extra_value()) {
            let data = Data::from_json(&value).unwrap();
            let bytes = cbor::to_vec(&data).unwrap();
            let decoded: Data = cbor::from_slice(&bytes).unwrap();
            prop_assert_eq!(&decoded, &data);
            let json = serde_json::to_string(&decoded).unwrap();
            prop_assert_eq!(serde_json::from_str::<Value>(&json).unwrap(), value);
            let again: Data = serde_json::from_str(&json).unwrap();
            prop_assert_eq!(cbor::to_vec(&again).unwrap(), bytes);
        }

        /// Posts (embeds, blobs, unknown fields of every data-model kind):
        /// JSON, typed and `Data` all encode to the same bytes, and CBOR ->
        /// typed -> CBOR is byte-identical.
        #[test]
        fn posts_round_trip_byte_identically(post in post_value()) {
            round_trip::<post::Record>(&post)?;
        }

        /// Invalid records too: any value in place of a post's fields or
        /// the whole record errs (or not) exactly as on the JSON path.
        #[test]
        fn from_data_errs_as_the_json_path_did(
            post in post_value(), extra in extra_value(), field in 0usize..5,
        ) {
            let mut post = post;
            let key = ["text", "embed", "createdAt", "langs", "facets"][field];
            post[key] = extra.clone();
            same_as_json_path::<post::Record>(&Data::from_json(&post).unwrap())?;
            same_as_json_path::<post::Record>(&Data::from_json(&extra).unwrap())?;
            same_as_json_path::<Value>(&Data::from_json(&post).unwrap())?;
        }

        #[test]
        fn profiles_and_follows_round_trip_byte_identically(
            name in "\\PC{0,20}", size in 1u64..1_000_000, extra in extra_value(),
        ) {
            let profile = json!({"$type": "app.bsky.actor.profile", "displayName": name, "zz": extra,
                "avatar": {"$type": "blob", "ref": {"$link": BLOB}, "mimeType": "image/png", "size": size}});
            round_trip::<profile::Record>(&profile)?;
            let follow = json!({"$type": "app.bsky.graph.follow", "subject": "did:plc:ewvi7nxzyoun6zhxrhs64oiz",
                "createdAt": "2026-11-30T00:00:00Z", "zz": extra});
            round_trip::<follow::Record>(&follow)?;
        }
    }
}

mod frames {
    use super::*;
    use atproto_types::cbor::{cid_to_bytes, CODEC_DAG_CBOR};
    use atproto_types::com::atproto::sync::subscribe_repos::Message;
    use atproto_types::firehose::{commit_ops, decode_frame, Frame};
    use atproto_types::records::Record;
    use atproto_types::types::base64_encode;
    use serde_json::json;

    const NSID: &str = "com.atproto.sync.subscribeRepos";

    fn varint(out: &mut Vec<u8>, mut n: usize) {
        while n >= 0x80 {
            out.push(u8::try_from(n & 0x7f).unwrap() | 0x80);
            n >>= 7;
        }
        out.push(u8::try_from(n).unwrap());
    }

    /// A CAR slice holding `block` (also its root).
    fn car(block: &[u8]) -> Vec<u8> {
        let cid = cbor::cid_of_bytes(CODEC_DAG_CBOR, block).unwrap();
        let header =
            cbor::to_vec(&json!({"version": 1, "roots": [{"$link": cid.as_str()}]})).unwrap();
        let mut out = Vec::new();
        varint(&mut out, header.len());
        out.extend(header);
        let cid = cid_to_bytes(&cid).unwrap();
        varint(&mut out, cid.len() + block.len());
        out.extend(cid);
        out.extend(block);
        out
    }

    fn frame(header: &Value, body: &Value) -> Vec<u8> {
        let mut out = cbor::to_vec(header).unwrap();
        out.extend(cbor::to_vec(body).unwrap());
        out
    }

    #[test]
    fn a_commit_frame_is_typed_down_to_its_records() {
        let response = captured("getRecord.post");
        let block = cbor::to_vec(&response["value"]).unwrap();
        let cid = response["cid"].as_str().unwrap();
        let body = json!({
            "seq": 12, "rebase": false, "tooBig": false, "repo": "did:plc:xysvc43u4dbkhun5kmra7n77",
            "commit": {"$link": cid}, "rev": "3n2ykisl5es2j", "since": null,
            "blocks": {"$bytes": base64_encode(&car(&block))},
            "ops": [{"action": "create", "path": "app.bsky.feed.post/3n2ykisksn22j", "cid": {"$link": cid}}],
            "blobs": [], "time": "2026-11-23T16:30:44.000Z",
        });
        let bytes = frame(&json!({"op": 1, "t": "#commit"}), &body);
        let Frame::Message {
            t,
            body: Message::Commit(commit),
        } = decode_frame::<Message>(&bytes, NSID).unwrap()
        else {
            panic!("not a typed #commit");
        };
        assert_eq!((t.as_str(), commit.seq), ("#commit", 12));
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
        let ops = commit_ops::<Record>(&commit.blocks.0, ops).unwrap();
        assert!(matches!(ops[0].record, Some(Record::AppBskyFeedPost(_))));
        assert_eq!(ops[0].cid.as_ref().unwrap().as_str(), cid);
    }

    #[test]
    fn unknown_t_is_kept_and_error_frames_are_typed() {
        let bytes = frame(
            &json!({"op": 1, "t": "#future"}),
            &json!({"seq": 1, "x": {"$bytes": "AQ"}}),
        );
        let Frame::Message {
            body: Message::Unknown(unknown),
            ..
        } = decode_frame::<Message>(&bytes, NSID).unwrap()
        else {
            panic!("unknown t not kept");
        };
        assert_eq!(unknown.type_tag(), "com.atproto.sync.subscribeRepos#future");
        let bytes = frame(&json!({"op": -1}), &json!({"error": "ConsumerTooSlow"}));
        assert_eq!(
            decode_frame::<Message>(&bytes, NSID).unwrap(),
            Frame::Error {
                error: "ConsumerTooSlow".into(),
                message: None
            }
        );
        // A body the lexicon rejects (seq must be an integer) is an error.
        let bytes = frame(
            &json!({"op": 1, "t": "#identity"}),
            &json!({"seq": "1", "did": "did:plc:x", "time": "2026-11-23T16:30:44.000Z"}),
        );
        let err = decode_frame::<Message>(&bytes, NSID)
            .unwrap_err()
            .to_string();
        assert!(err.contains("seq"), "{err}");
    }
}
