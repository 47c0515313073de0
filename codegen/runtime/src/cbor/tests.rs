use super::*;
use serde_json::json;

const CID: &str = "bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm";

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Vec<u8> {
    let s = s.replace(' ', "");
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

#[test]
fn the_empty_map_has_the_well_known_cid() {
    let data = Data::Object(Default::default());
    assert_eq!(to_vec(&data).unwrap(), [0xa0]);
    assert_eq!(
        cid(&data).unwrap().as_str(),
        "bafyreigbtj4x7ip5legnfznufuopl4sg4knzc2cof6duas4b3q2fy6swua"
    );
}

#[test]
fn writing_is_canonical() {
    let value = json!({"bb": 1, "a": -1, "c": [24, 256, -25, 65536, 4294967296_u64], "aa": {"$bytes": "AQI"}, "l": {"$link": CID}});
    let bytes = to_vec(&value).unwrap();
    // Keys: a, c, l, aa, bb (length first, then bytewise).
    let expected = format!(
        "a5616120616385181819010038181a000100001b000000010000000061 6cd82a5825 00{cid}626161420102626262 01",
        cid = hex(&cid_to_bytes(&Cid::new(CID).unwrap()).unwrap())
    )
    .replace(' ', "");
    assert_eq!(hex(&bytes), expected);
    let back: serde_json::Value = from_slice(&bytes).unwrap();
    assert_eq!(back, value);
    assert_eq!(to_vec(&decode(&bytes).unwrap()).unwrap(), bytes);
}

#[test]
fn integers_at_the_edges_round_trip() {
    for n in [
        0,
        23,
        24,
        255,
        256,
        65535,
        65536,
        -1,
        -24,
        -25,
        -256,
        -257,
        i64::MAX,
        i64::MIN,
    ] {
        let bytes = to_vec(&Data::Integer(n)).unwrap();
        assert_eq!(decode(&bytes).unwrap(), Data::Integer(n), "{n}");
    }
}

#[test]
fn reading_rejects_what_dag_cbor_forbids() {
    let cases = [
        ("1817", "shortest form"),          // 23 in two bytes
        ("f93c00", "floats"),               // half float 1.0
        ("fb3ff0000000000000", "floats"),   // double 1.0
        ("f7", "simple value 23"),          // undefined
        ("9fff", "indefinite"),             // indefinite array
        ("c11a00000000", "tag 1"),          // datetime tag
        ("a2616101616201", ""),             // fine: a, b
        ("a2616201616101", "out-of-order"), // b before a
        ("a2616101616101", "duplicate"),    // a twice
        ("a16161a1616101", ""),             // fine, nested
        ("a1616ba161620a", ""),             // fine
        ("a10101", "map keys must be strings"),
        ("1bffffffffffffffff", "64-bit signed"),
        ("3bffffffffffffffff", "64-bit signed"),
        ("0101", "trailing"),
        ("62c328", "UTF-8"),
        ("5a00ffffff", "exceeds the input"),
        ("d82a4401020304", "0x00 multibase prefix"),
        ("d82a450001020304", "invalid CID"),
        ("a166246279746573f6", "reserved"),
        ("a2616101616262", "exceeds the input"),
        ("19", "unexpected end"),
    ];
    for (input, message) in cases {
        let result = decode(&unhex(input));
        if message.is_empty() {
            assert!(result.is_ok(), "{input}: {result:?}");
        } else {
            let err = result.unwrap_err().to_string();
            assert!(err.contains(message), "{input}: {err}");
        }
    }
    let deep = "81".repeat(200) + "01";
    assert!(decode(&unhex(&deep))
        .unwrap_err()
        .to_string()
        .contains("deeper"));
}

#[test]
fn errors_name_the_path() {
    // {"a": [0, 1.0]}
    let err = decode(&unhex("a1616182 00f93c00")).unwrap_err().to_string();
    assert!(err.contains("`a[1]`"), "{err}");
}

#[test]
fn typed_values_validate_on_the_cbor_path() {
    // A blob whose size is 0 is invalid in JSON, so in CBOR too.
    let blob = json!({"$type": "blob", "ref": {"$link": CID}, "mimeType": "image/png", "size": 0});
    let mut data = Data::from_json(
        &json!({"$type": "blob", "ref": {"$link": CID}, "mimeType": "image/png", "size": 1}),
    )
    .unwrap();
    if let Data::Object(map) = &mut data {
        map.insert("size".into(), Data::Integer(0));
    }
    let bytes = encode(&data).unwrap();
    let err = from_slice::<crate::types::Blob>(&bytes)
        .unwrap_err()
        .to_string();
    assert!(err.contains("size"), "{err}");
    assert!(to_vec(&blob).is_err());
    let ok: crate::types::Blob = from_slice(
        &to_vec(&crate::types::Blob::new(
            Cid::new(CID).unwrap(),
            "image/png",
            5,
        ))
        .unwrap(),
    )
    .unwrap();
    assert_eq!(ok.size, 5);
}

#[test]
fn bytes_and_links_map_to_cbor_kinds() {
    let bytes = to_vec(&crate::types::Bytes(vec![1, 2])).unwrap();
    assert_eq!(bytes, [0x42, 1, 2]);
    let link = to_vec(&crate::types::CidLink(Cid::new(CID).unwrap())).unwrap();
    assert_eq!(&link[..4], &[0xd8, 0x2a, 0x58, 0x25]);
    let back: crate::types::CidLink = from_slice(&link).unwrap();
    assert_eq!(back.0.as_str(), CID);
}

mod props {
    use super::*;
    use proptest::prelude::*;

    fn data() -> impl Strategy<Value = Data> {
        let leaf = prop_oneof![
            Just(Data::Null),
            any::<bool>().prop_map(Data::Bool),
            any::<i64>().prop_map(Data::Integer),
            "\\PC{0,8}".prop_map(Data::String),
            proptest::collection::vec(any::<u8>(), 0..8).prop_map(Data::Bytes),
            Just(Data::Link(Cid::new(CID).unwrap())),
        ];
        leaf.prop_recursive(4, 32, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..6).prop_map(Data::Array),
                proptest::collection::btree_map("[a-zA-Z0-9_]{0,6}", inner, 0..6)
                    .prop_map(Data::Object),
            ]
        })
    }

    proptest! {
        /// CBOR -> Data -> JSON -> Data -> CBOR is the same bytes.
        #[test]
        fn data_round_trips_byte_identically(value in data()) {
            let bytes = encode(&value).unwrap();
            let decoded = decode(&bytes).unwrap();
            prop_assert_eq!(&decoded, &value);
            let json = serde_json::to_string(&decoded).unwrap();
            let again: Data = serde_json::from_str(&json).unwrap();
            prop_assert_eq!(encode(&again).unwrap(), bytes);
        }

        /// `from_data` reads every value as the JSON path it replaced did:
        /// the JSON form itself, `Data`, and runtime types (blobs, links,
        /// bytes) with the same value or the same error.
        #[test]
        fn from_data_matches_the_json_path(value in data()) {
            let json = value.to_json();
            prop_assert_eq!(from_data::<serde_json::Value>(&value).unwrap(), json.clone());
            prop_assert_eq!(from_data::<Data>(&value).unwrap(), value.clone());
            fn same<T: serde::de::DeserializeOwned + std::fmt::Debug>(
                value: &Data,
            ) -> Result<(), TestCaseError> {
                let direct = from_data::<T>(value).map_err(|e| e.to_string());
                let old = serde_json::from_value::<T>(value.to_json()).map_err(|e| e.to_string());
                prop_assert_eq!(format!("{direct:?}"), format!("{old:?}"));
                Ok(())
            }
            same::<crate::types::Blob>(&value)?;
            same::<crate::types::CidLink>(&value)?;
            same::<crate::types::Bytes>(&value)?;
            same::<Option<Vec<String>>>(&value)?;
            same::<std::collections::BTreeMap<String, i64>>(&value)?;
        }

        /// The unchecked fast path of `cid_from_bytes` gives a valid CID
        /// that decodes back to the same bytes.
        #[test]
        fn binary_cids_read_back(digest in proptest::collection::vec(any::<u8>(), 32), codec in 0u8..0x80) {
            let mut bytes = vec![1, codec, 0x12, 32];
            bytes.extend(digest);
            let cid = cid_from_bytes(&bytes).unwrap();
            prop_assert_eq!(&Cid::new(cid.as_str()).unwrap(), &cid);
            prop_assert_eq!(cid_to_bytes(&cid).unwrap(), bytes);
        }

        /// Random bytes never panic the reader, and whatever it accepts
        /// re-encodes to exactly those bytes (the encoding is unique).
        #[test]
        fn accepted_input_is_canonical(bytes in proptest::collection::vec(any::<u8>(), 0..24)) {
            if let Ok(data) = decode(&bytes) {
                prop_assert_eq!(encode(&data).unwrap(), bytes);
            }
        }
    }
}
