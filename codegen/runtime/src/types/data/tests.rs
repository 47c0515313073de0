use super::*;
use serde_json::json;

const CID: &str = "bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm";

#[test]
fn json_round_trips_through_data() {
    let value = json!({
        "a": [1, -2, true, null, "s"],
        "b": {"$bytes": "AAEC"},
        "c": {"$link": CID},
        "blob": {"$type": "blob", "ref": {"$link": CID}, "mimeType": "image/png", "size": 3},
    });
    let data = Data::from_json(&value).unwrap();
    assert_eq!(data["b"], Data::Bytes(vec![0, 1, 2]));
    assert!(matches!(data["c"], Data::Link(_)));
    assert_eq!(data["blob"].as_blob().unwrap().size, 3);
    assert_eq!(data.to_json(), value);
    assert_eq!(serde_json::to_value(&data).unwrap(), value);
    let back: Data = serde_json::from_value(value.clone()).unwrap();
    assert_eq!(back, data);
    let text: Data = serde_json::from_str(&value.to_string()).unwrap();
    assert_eq!(text, data);
}

#[test]
fn json_outside_the_data_model_is_rejected() {
    for bad in [
        json!({"x": 1.5}),
        json!({"x": 9_223_372_036_854_775_808_u64}),
        json!({"x": {"$link": "nope", "y": 1}}),
        json!({"x": {"$bytes": "!!"}}),
        json!({"x": {"$type": "blob", "mimeType": "a/b", "size": 1}}),
        json!({"x": {"$type": 1}}),
    ] {
        let err = Data::from_json(&bad).unwrap_err().to_string();
        assert!(err.starts_with('x'), "{err}");
        // The streaming reader says the same thing.
        let streamed = serde_json::from_str::<Data>(&bad.to_string())
            .unwrap_err()
            .to_string();
        assert!(streamed.starts_with(&err), "{streamed} vs {err}");
    }
}

#[test]
fn floats_are_rejected_with_their_path_and_integral_ones_are_integers() {
    let err = serde_json::from_str::<Data>(r#"{"a": {"b": [0, 2.5]}}"#)
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("a.b[1]: 2.5 is not a 64-bit signed integer"),
        "{err}"
    );
    let whole: Data = serde_json::from_str(r#"{"a": 3.0, "b": 1e3}"#).unwrap();
    assert_eq!(whole["a"], 3);
    assert_eq!(whole["b"], 1000);
    let err = serde_json::from_str::<Data>(r#"[18446744073709551615]"#)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("[0]: integer 18446744073709551615 does not fit"),
        "{err}"
    );
}

#[test]
fn duplicate_keys_are_rejected_at_the_top_and_last_wins_below() {
    let err = super::read_object(
        &mut serde_json::Deserializer::from_str(r#"{"k": 1, "k": 2}"#),
        "an object",
        &Path::Root,
    )
    .unwrap_err()
    .to_string();
    assert!(err.starts_with("k: duplicate key"), "{err}");
    let nested: Data = serde_json::from_str(r#"{"o": {"k": 1, "k": 2}}"#).unwrap();
    assert_eq!(nested["o"]["k"], 2);
}

#[test]
fn accessors_and_conversions() {
    let cid = Cid::new(CID).unwrap();
    let data: Data = [
        ("s", Data::from("text")),
        ("n", Data::from(7)),
        ("b", Data::from(true)),
        ("bytes", Data::from(&[1u8, 2][..])),
        ("link", Data::from(cid.clone())),
        ("list", Data::from(vec![1, 2, 3])),
        ("none", Data::from(None::<i64>)),
    ]
    .into_iter()
    .collect();
    assert_eq!(data["s"], "text");
    assert_eq!(data["s"].as_str(), Some("text"));
    assert_eq!(data["n"], 7);
    assert_eq!(data["b"], true);
    assert_eq!(data["bytes"].as_bytes(), Some(&[1u8, 2][..]));
    assert_eq!(data["link"].as_link(), Some(&cid));
    assert_eq!(data["list"][2], 3);
    assert!(data["list"][9].is_null());
    assert!(data["none"].is_null());
    assert!(data["missing"].is_null());
    assert_eq!(data.get("missing"), None);
    assert_eq!(data.as_object().map(Object::len), Some(7));
    // Key order, whatever the input order.
    assert_eq!(
        data.to_string(),
        format!(
            r#"{{"b":true,"bytes":{{"$bytes":"AQI"}},"link":{{"$link":"{CID}"}},"list":[1,2,3],"n":7,"none":null,"s":"text"}}"#
        )
    );
}

#[test]
fn blobs_convert_both_ways() {
    let blob = Blob::new(Cid::new(CID).unwrap(), "image/png", 12);
    let data = Data::from(blob.clone());
    assert_eq!(data.as_blob(), Some(blob.clone()));
    assert_eq!(
        serde_json::to_value(&data).unwrap(),
        serde_json::to_value(&blob).unwrap()
    );
    assert_eq!(data.validate(), Ok(()));
}

#[test]
fn values_built_in_code_are_validated() {
    let mut map = Object::new();
    map.insert("$link".into(), Data::from(CID));
    let err = Data::Array(vec![Data::Object(map)]).validate().unwrap_err();
    assert_eq!(err.path(), "[0].$link");
    let empty_type: Data = [("$type", Data::from(""))].into_iter().collect();
    assert_eq!(empty_type.validate().unwrap_err().path(), "$type");
    let bad_blob: Data = [("$type", Data::from("blob"))].into_iter().collect();
    assert!(bad_blob.validate().is_err());
}
