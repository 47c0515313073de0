//! Behaviour of each generator feature, on the fixture lexicons
//! (`tests/fixtures/lexicons`, generated into `lexgen-fixture-types`).

use lexgen_fixture_types::com::example::{
    cycle, jsonl, keywords, parent, permissions, query, record, stream, strings, unions, upload,
};
use lexgen_fixture_types::types::Data;
use lexgen_fixture_types::validate::Validate;
use lexgen_fixture_types::xrpc::{Endpoint, Method, QueryParams, RawBody, Subscription};
use serde_json::{json, Value};

fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(value: Value) -> T {
    let typed: T =
        serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("rejected: {e}"));
    assert_eq!(serde_json::to_value(&typed).expect("serialize"), value);
    typed
}

fn error_of<T: serde::de::DeserializeOwned + std::fmt::Debug>(value: Value) -> String {
    serde_json::from_value::<T>(value)
        .expect_err("must be rejected")
        .to_string()
}

#[test]
fn open_union_keeps_unknown_members_and_closed_union_rejects_them() {
    let value = json!({
        "open": {"$type": "com.example.other#thing", "x": 1},
        "closed": {"$type": "com.example.unions#image", "alt": "a"},
        "single": {"$type": "com.example.unions#image", "alt": "b"},
        "anything": {"$type": "com.example.whatever", "deep": {"a": [true]}},
        "many": [{"$type": "com.example.unions#video", "seconds": 3}, {"$type": "com.example.unions#image", "alt": "c"}]
    });
    let main: unions::Main = round_trip(value.clone());
    assert!(matches!(main.open, Some(unions::MainOpen::Unknown(_))));
    assert!(matches!(main.closed, Some(unions::MainClosed::Image(_))));
    assert!(matches!(main.single, Some(unions::MainSingle::Image(_))));
    assert_eq!(
        main.anything.as_ref().map(|a| a.type_tag()),
        Some("com.example.whatever")
    );

    let mut bad = value.clone();
    bad["closed"] = json!({"$type": "com.example.other#thing"});
    assert!(error_of::<unions::Main>(bad)
        .contains("closed.$type: \"com.example.other#thing\" is not one of"));

    // Single-ref open unions still keep unknown members.
    let mut single = value.clone();
    single["single"] = json!({"$type": "com.example.future"});
    let main: unions::Main = round_trip(single);
    assert!(matches!(main.single, Some(unions::MainSingle::Unknown(_))));

    // Members need `$type`, and known members are validated.
    let mut untyped = value.clone();
    untyped["open"] = json!({"alt": "x"});
    assert!(error_of::<unions::Main>(untyped).contains("open: missing `$type`"));
    let mut invalid = value;
    invalid["many"][1]["alt"] = json!("way too many graphemes here");
    assert!(error_of::<unions::Main>(invalid).contains("many[1].alt: maxGraphemes 10, got 27"));
}

#[test]
fn records_as_union_members_keep_their_type() {
    let value = json!({"open": {"$type": "com.example.record", "createdAt": "2026-01-01T00:00:00Z", "maybe": null}});
    let main: unions::Main = round_trip(value);
    assert!(matches!(main.open, Some(unions::MainOpen::Record(_))));
    assert_eq!(record::Record::NSID, "com.example.record");
}

#[test]
fn nullable_and_data_model_types() {
    let value = json!({
        "$type": "com.example.record",
        "createdAt": "2026-01-01T00:00:00Z",
        "maybe": null,
        "optionalNull": null,
        "avatar": {"$type": "blob", "ref": {"$link": "bafkreieprs5x3t2g4c6h2uzgk5e2nql5cfqjhjv2sxsee5samddw7vfinq"}, "mimeType": "image/png", "size": 10},
        "data": {"$bytes": "AQID"},
        "link": {"$link": "bafyreidogqfzz75tpkmjzjke425xqcrmpcib2p5tg44hnbirumdbpl5adu"},
        "meta": {"anything": ["goes", 1, {"n": null}]}
    });
    let rec: record::Record = round_trip(value.clone());
    assert_eq!(rec.maybe, None);
    assert_eq!(rec.optional_null, Some(None));
    assert_eq!(rec.data.as_ref().map(|b| b.0.clone()), Some(vec![1, 2, 3]));

    let mut absent = value.clone();
    absent
        .as_object_mut()
        .expect("object")
        .remove("optionalNull");
    let rec: record::Record = round_trip(absent);
    assert_eq!(rec.optional_null, None);

    let mut missing = value.clone();
    missing.as_object_mut().expect("object").remove("maybe");
    assert!(error_of::<record::Record>(missing).contains("missing required field `maybe`"));

    let mut bad = value.clone();
    bad["data"] = json!({"$bytes": ""});
    assert!(error_of::<record::Record>(bad).contains("data: minLength 1, got 0 bytes"));
    let mut bad = value.clone();
    bad["meta"] = json!("a string");
    assert!(error_of::<record::Record>(bad).contains("an object at `meta`"));
    let mut bad = value.clone();
    bad["meta"] = json!({"$link": "bafyreidogqfzz75tpkmjzjke425xqcrmpcib2p5tg44hnbirumdbpl5adu"});
    assert!(
        error_of::<record::Record>(bad).contains("meta: an `unknown` value must be a plain object")
    );
    let mut bad = value;
    bad["avatar"]["mimeType"] = json!("text/html");
    assert!(error_of::<record::Record>(bad).contains("avatar: accept"));
}

#[test]
fn keywords_and_collisions_are_renamed_but_keep_wire_names() {
    let value = json!({"type": "t", "ref": "r", "match": "m", "self": "s", "crate": "c", "extra": "e", "fooBar": "1", "foo_bar": "2", "other": 3});
    let k: keywords::Main = round_trip(value);
    assert_eq!(k.type_.as_deref(), Some("t"));
    assert_eq!(k.ref_.as_deref(), Some("r"));
    assert_eq!(k.match_.as_deref(), Some("m"));
    assert_eq!(k.self_.as_deref(), Some("s"));
    assert_eq!(k.crate_.as_deref(), Some("c"));
    assert_eq!(k.extra2.as_deref(), Some("e"));
    assert_eq!(
        (k.foo_bar.as_deref(), k.foo_bar2.as_deref()),
        (Some("1"), Some("2"))
    );
    assert_eq!(k.extra["other"], 3);
    // `result` takes `Result2`: generated code names the prelude `Result`.
    let r: keywords::Result2 = "Ok".parse().expect("infallible");
    assert_eq!(r, keywords::Result2::Ok2);
    assert_eq!(keywords::Result2::Ok.as_str(), "ok");
}

#[test]
fn every_field_of_a_wide_struct_reads_into_its_own_slot() {
    // 18 fields: the builder nests them as a 12-tuple and a 6-tuple.
    let s: strings::Main = round_trip(json!({
        "text": "hi", "short": "ab", "status": "active", "color": "green", "fixed": "v1",
        "mode": "manual", "did": "did:plc:abc", "handle": "a.test", "atIdentifier": "b.test",
        "atUri": "at://did:plc:abc/app.bsky.feed.post/3k", "cid": "bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm", "createdAt": "2024-01-01T00:00:00Z",
        "lang": "en", "nsid": "com.example.x", "rkey": "self", "tid": "3jzfcijpj2z2a",
        "link": "https://example.com", "tags": ["a", "b"],
    }));
    assert_eq!(s.mode.as_deref(), Some("manual"));
    assert_eq!(s.created_at.expect("set").as_str(), "2024-01-01T00:00:00Z");
    assert_eq!(s.lang.expect("set").as_str(), "en");
    assert_eq!(s.rkey.expect("set").as_str(), "self");
    assert_eq!(s.tid.expect("set").as_str(), "3jzfcijpj2z2a");
    assert_eq!(s.link.expect("set").as_str(), "https://example.com");
    assert_eq!(s.tags, Some(vec!["a".to_string(), "b".to_string()]));
    // A slot of the second tuple: a repeated key and a rule are caught there.
    let e = serde_json::from_str::<strings::Main>(r#"{"text": "hi", "tags": [], "tags": []}"#)
        .expect_err("repeated key");
    assert!(e.to_string().contains("tags: duplicate key"), "{e}");
    assert!(
        error_of::<strings::Main>(json!({"text": "hi", "tags": ["123456789"]}))
            .contains("tags[0]: maxLength 8")
    );
}

#[test]
fn string_enums_open_and_closed() {
    let s: strings::Main =
        round_trip(json!({"text": "hi", "status": "com.example.tokens#paused", "color": "red"}));
    assert_eq!(s.status, Some(strings::MainStatus::Paused));
    assert_eq!(s.color, Some(strings::MainColor::Red));
    let s: strings::Main = round_trip(json!({"text": "hi", "status": "brand-new"}));
    assert_eq!(
        s.status,
        Some(strings::MainStatus::Other("brand-new".into()))
    );
    assert_eq!(
        strings::MainStatus::from("other".to_string()),
        strings::MainStatus::Other2
    );
    assert!(
        error_of::<strings::Main>(json!({"text": "hi", "color": "blue"}))
            .contains("color: enum [\"red\", \"green\"], got \"blue\"")
    );
    assert!(
        error_of::<strings::Main>(json!({"text": "hi", "fixed": "v2"}))
            .contains("fixed: const \"v1\", got \"v2\"")
    );
    assert_eq!(
        lexgen_fixture_types::com::example::tokens::PAUSED,
        "com.example.tokens#paused"
    );
    assert_eq!(
        lexgen_fixture_types::com::example::tokens::MOD,
        "com.example.tokens#mod"
    );
    assert_eq!(parent::MAIN, "com.example.parent");
    // Refs to top-level string and array defs carry their rules.
    assert!(error_of::<strings::UsesDefs>(json!({"note": "abcdef"}))
        .contains("note: maxGraphemes 5, got 6"));
    assert!(error_of::<strings::UsesDefs>(json!({"list": []}))
        .contains("list: minLength 1, got 0 elements"));
    assert!(error_of::<strings::UsesDefs>(json!({"list": [1, -1]}))
        .contains("list[1]: minimum 0, got -1"));
    let u: strings::UsesDefs =
        round_trip(json!({"purpose": "com.example.tokens#curate", "list": [1, 2]}));
    assert_eq!(u.purpose, Some(strings::Purpose::Curate));
}

#[test]
fn cycles_are_boxed_and_round_trip() {
    let value = json!({"b": {"a": {"b": {"name": "deep"}}, "name": "x"}});
    let a: cycle::A2 = round_trip(value);
    assert_eq!(
        a.b.as_ref()
            .and_then(|b| b.a.as_ref())
            .and_then(|a| a.b.as_ref())
            .and_then(|b| b.name.as_deref()),
        Some("deep")
    );
    let node: cycle::Node = round_trip(json!({"parent": {"children": [{}, {"parent": {}}]}}));
    node.validate().expect("valid");
    // A boxed field is validated through its box, built in code or read.
    let deep = cycle::Node::new().with_label("long");
    let node = cycle::Node::new().with_parent(cycle::Node::new().with_parent(deep));
    let err = node
        .validate()
        .expect_err("parent.parent.label is too long");
    assert_eq!(
        err.to_string(),
        "parent.parent.label: maxLength 3, got 4 (UTF-8 bytes)"
    );
    let err = serde_json::from_value::<cycle::Node>(json!({"parent": {"label": "long"}}))
        .expect_err("too long");
    assert!(
        err.to_string()
            .starts_with("parent.label: maxLength 3, got 4"),
        "{err}"
    );
    let child: parent::child::Main = round_trip(json!({"up": {"children": []}}));
    assert!(child.up.is_some());
}

#[test]
fn query_params_metadata_and_query_string() {
    assert_eq!(query::Query::NSID, "com.example.query");
    assert_eq!(query::Query::METHOD, Method::Get);
    assert_eq!(query::Query::INPUT_ENCODING, None);
    let actor: lexgen_fixture_types::formats::AtIdentifier = "alice.test".parse().expect("handle");
    let params = query::Params::new(actor.clone())
        .with_limit(20)
        .with_reverse(true)
        .with_tags(vec!["a b".into(), "c&d".into()])
        .with_sort(query::ParamsSort::Top);
    assert_eq!(
        params.to_query_string().unwrap(),
        "actor=alice.test&limit=20&reverse=true&tags=a%20b&tags=c%26d&sort=top"
    );
    // Schema defaults are sent explicitly; absent values without one are omitted.
    let defaults = query::Params::new(actor);
    assert_eq!(
        defaults.to_query_string().unwrap(),
        "actor=alice.test&limit=50"
    );
}

#[test]
fn extra_params_are_sent_after_the_lexicons() {
    let actor: lexgen_fixture_types::formats::AtIdentifier = "alice.test".parse().expect("handle");
    let mut params = query::Params::new(actor);
    // Strings as they are, booleans, integers, arrays as the name repeated
    // (in name order: the map is sorted).
    let extra = json!({"q": "a b", "flag": true, "n": -5, "ids": ["x", 7], "none": []});
    params.extra = Data::from_json(&extra)
        .unwrap()
        .as_object()
        .unwrap()
        .clone();
    assert_eq!(
        params.to_query_string().unwrap(),
        "actor=alice.test&limit=50&flag=true&ids=x&ids=7&n=-5&q=a%20b"
    );
    // A value no query string can carry is an error naming it, not a drop.
    for (value, what) in [
        (Data::Bytes(vec![1]), "bytes"),
        (Data::Null, "null"),
        (Data::from_json(&json!({"a": 1})).unwrap(), "an object"),
        (
            Data::from_json(&json!([["a"]])).unwrap(),
            "an array inside an array",
        ),
    ] {
        let mut params = params.clone();
        params.extra.insert("bad".into(), value.clone());
        let err = params.to_query_string().unwrap_err();
        assert_eq!(err.name, "bad", "{value}");
        assert!(err.to_string().contains(what), "{value}: {err}");
    }
    // A name the lexicon has is set through its field, not sent twice.
    let mut twice = params.clone();
    twice.extra.insert("limit".into(), Data::from(3));
    let err = twice.to_query_string().unwrap_err();
    assert_eq!(err.name, "limit");
    assert!(err.message.contains("lexicon parameter"), "{err}");
}

#[test]
fn query_output_and_errors() {
    let page: query::Output = round_trip(json!({"items": [{"count": 1}], "cursor": "x"}));
    assert_eq!(page.items.len(), 1);
    let err: query::Error = serde_json::from_value(json!({"error": "BadCursor"})).expect("error");
    assert_eq!(err, query::Error::BadCursor { message: None });
}

#[test]
fn raw_bodies_union_outputs_and_subscriptions() {
    fn raw_input<E: Endpoint<Input = RawBody>>() {}
    raw_input::<upload::Upload>();
    assert_eq!(upload::Upload::INPUT_ENCODING, Some("*/*"));
    assert_eq!(upload::Upload::METHOD, Method::Post);
    let out: upload::Output =
        round_trip(json!({"$type": "com.example.unions#video", "seconds": 2}));
    assert!(matches!(out, upload::Output::Video(_)));

    fn raw_output<E: Endpoint<Output = RawBody>>() {}
    raw_output::<jsonl::Jsonl>();
    assert_eq!(jsonl::Jsonl::OUTPUT_ENCODING, Some("application/jsonl"));

    assert_eq!(stream::Stream::NSID, "com.example.stream");
    let Value::Object(payload) = json!({"seq": 5, "blocks": {"$bytes": "AAE="}}) else {
        unreachable!()
    };
    let msg = stream::Stream::message_from_frame("#event", payload).expect("frame");
    assert!(
        matches!(msg, stream::Message::Event(ref e) if e.seq == 5 && e.blocks.as_ref().map(|b| b.0.clone()) == Some(vec![0, 1]))
    );
    let err: stream::Error =
        serde_json::from_value(json!({"error": "FutureCursor", "message": "too far"}))
            .expect("error");
    assert_eq!(
        err,
        stream::Error::FutureCursor {
            message: Some("too far".into())
        }
    );
}

#[test]
fn permission_set_metadata() {
    let set = permissions::PERMISSION_SET;
    assert_eq!(set.nsid, "com.example.permissions");
    assert_eq!(set.title, Some("Example access"));
    assert_eq!(set.permissions.len(), 2);
    assert_eq!(set.permissions[1].resource, "rpc");
    assert_eq!(set.permissions[1].targets, &["com.example.query"]);
}
