//! The data-model rules (LEXICON-RULES §2, data model) inside `unknown`
//! values, unknown fields and unknown open-union members, at any depth:
//! every case is decided alike, with the same message, by the generated
//! types and by `lexgen validate` (the `datacheck` walker).

use atproto_lexgen::datacheck::Validator;
use atproto_lexgen::ir::Ir;
use lexgen_fixture_types::com::example as ex;
use lexgen_tests::repo_path;
use serde::de::DeserializeOwned;
use std::sync::OnceLock;

const CID: &str = "bafyreid6nonhpc3zkuseclg64hwp3b6wjvb2awvuce25zfw4e55jx22lty";

fn fixture_ir() -> &'static Ir {
    static IR: OnceLock<Ir> = OnceLock::new();
    IR.get_or_init(|| {
        atproto_lexgen::Config::new()
            .lexicons(repo_path("tests/fixtures/lexicons"))
            .load_ir()
            .expect("fixtures load")
    })
}

/// A serde_json message without ` at line L column C`.
fn strip_position(msg: String) -> String {
    match msg.rfind(" at line ") {
        Some(i) if msg[i..].contains(" column ") => msg[..i].to_owned(),
        _ => msg,
    }
}

/// The verdict of the generated type `T` on `json`, after checking that
/// `lexgen validate --def def` reaches the same one (and message).
#[track_caller]
fn verdict<T: DeserializeOwned>(def: &str, json: &str) -> Result<(), String> {
    let typed = serde_json::from_str::<T>(json)
        .map(drop)
        .map_err(|e| strip_position(e.to_string()));
    let validator = Validator::new(fixture_ir(), def, None).expect("def");
    let walked = validator.validate_str(json).map_err(|e| e.to_string());
    assert_eq!(
        typed, walked,
        "{def} {json}: the types and validate disagree"
    );
    typed
}

/// `meta` (an `unknown` field) of a record holding `meta`.
fn in_unknown(meta: &str) -> Result<(), String> {
    let json = format!(
        r#"{{"$type": "com.example.record", "createdAt": "2024-01-01T00:00:00Z", "maybe": null, "meta": {{"v": {meta}}}}}"#
    );
    verdict::<ex::record::Record>("com.example.record", &json)
}

/// `extra` as an unknown field of an object, nested once more.
fn in_unknown_field(extra: &str) -> Result<(), String> {
    let json = format!(r#"{{"text": "x", "extra": [{extra}]}}"#);
    verdict::<ex::strings::Main>("com.example.strings", &json)
}

/// A member of an open union whose `$type` is unknown, holding `v`.
fn in_unknown_member(v: &str) -> Result<(), String> {
    let json = format!(r#"{{"open": {{"$type": "com.example.other", "v": {v}}}}}"#);
    verdict::<ex::unions::Main>("com.example.unions", &json)
}

/// Every place free-form data lives, each holding `v` (nested).
fn everywhere(v: &str) -> [Result<(), String>; 3] {
    [in_unknown(v), in_unknown_field(v), in_unknown_member(v)]
}

#[track_caller]
fn accepted(v: &str) {
    for (i, r) in everywhere(v).into_iter().enumerate() {
        assert_eq!(r, Ok(()), "place {i}: {v}");
    }
}

#[track_caller]
fn rejected(v: &str, needle: &str) {
    for (i, r) in everywhere(v).into_iter().enumerate() {
        match r {
            Ok(()) => panic!("place {i}: {v} should be rejected"),
            Err(e) => assert!(
                e.contains(needle),
                "place {i}: {v}: {e:?} should mention {needle:?}"
            ),
        }
    }
}

fn blob(fields: &str) -> String {
    format!(
        r#"{{"$type": "blob", "ref": {{"$link": "{CID}"}}, "mimeType": "image/png", "size": 10{fields}}}"#
    )
}

#[test]
fn type_where_present_is_a_non_empty_string() {
    accepted(r#"{"$type": "com.example.thing", "n": 1}"#);
    accepted(r#"[{"$type": "anything at all"}]"#);
    for bad in ["null", "5", "\"\"", "true", "[]", "{}"] {
        rejected(
            &format!(r#"{{"$type": {bad}}}"#),
            "`$type` must be a non-empty string",
        );
        rejected(&format!(r#"[[{{"a": {{"$type": {bad}}}}}]]"#), "$type");
    }
    // An unknown field named `$type` of a schema'd object follows the rule too.
    let r = verdict::<ex::strings::Main>("com.example.strings", r#"{"text": "x", "$type": 5}"#);
    assert_eq!(r, Err("$type: `$type` must be a non-empty string".into()));
    let r = verdict::<ex::strings::Main>(
        "com.example.strings",
        r#"{"text": "x", "$type": "com.example.strings"}"#,
    );
    assert_eq!(r, Ok(()));
}

#[test]
fn link_objects_are_exactly_one_valid_cid() {
    accepted(&format!(r#"{{"$link": "{CID}"}}"#));
    accepted(&format!(r#"[1, {{"a": {{"$link": "{CID}"}}}}]"#));
    rejected(r#"{"$link": "nope"}"#, "invalid cid");
    rejected(
        r#"{"$link": "QmdRR57tzSqDTWezUPsE2t9xc3DwpGxw6L3m3g2Jw1JC6p"}"#,
        "CIDv0",
    );
    rejected(r#"{"$link": 5}"#, "{\"$link\": \"<cid>\"} and nothing else");
    rejected(&format!(r#"{{"$link": "{CID}", "x": 1}}"#), "nothing else");
    rejected(
        &format!(r#"[[{{"$link": "{CID}", "$type": "a.b.c"}}]]"#),
        "nothing else",
    );
}

#[test]
fn bytes_objects_are_exactly_one_base64_string() {
    accepted(r#"{"$bytes": "AAAA"}"#);
    accepted(r#"{"$bytes": "AB=="}"#);
    accepted(r#"{"$bytes": ""}"#);
    rejected(r#"{"$bytes": "!!!!"}"#, "invalid base64");
    rejected(r#"{"$bytes": "A"}"#, "invalid base64");
    rejected(r#"{"$bytes": null}"#, "nothing else");
    rejected(r#"{"$bytes": "AAAA", "n": 1}"#, "nothing else");
}

#[test]
fn blob_objects_are_complete_blobs() {
    accepted(&blob(""));
    accepted(&format!("[{}]", blob("")));
    rejected(&blob(r#", "note": "x""#), "unexpected key");
    rejected(r#"{"$type": "blob"}"#, "mimeType");
    rejected(
        &format!(r#"{{"$type": "blob", "ref": "{CID}", "mimeType": "image/png", "size": 10}}"#),
        "`ref` must be",
    );
    rejected(
        r#"{"$type": "blob", "ref": {"$link": "nope"}, "mimeType": "image/png", "size": 10}"#,
        "invalid cid",
    );
    rejected(
        &format!(r#"{{"$type": "blob", "ref": {{"$link": "{CID}"}}, "mimeType": 5, "size": 10}}"#),
        "mimeType",
    );
    // Members are data-model values first: a float is rejected as one.
    for (size, rule) in [
        ("1.5", "size: 1.5 is not a 64-bit signed integer"),
        ("\"10\"", "`size` must be a positive integer"),
        ("null", "`size` must be a positive integer"),
        ("-1", "`size` must be a positive integer"),
        ("0", "`size` must be a positive integer"),
    ] {
        rejected(
            &format!(
                r#"{{"$type": "blob", "ref": {{"$link": "{CID}"}}, "mimeType": "a/b", "size": {size}}}"#
            ),
            rule,
        );
    }
    // An integer-valued float is an integer size.
    accepted(&format!(
        r#"{{"$type": "blob", "ref": {{"$link": "{CID}"}}, "mimeType": "a/b", "size": 10.0}}"#
    ));
}

#[test]
fn integer_valued_floats_are_integers() {
    for n in ["123", "123.0", "1e3", "-0", "-5.0", "9007199254740991.0"] {
        accepted(&format!("[{n}]"));
        accepted(&format!(r#"{{"deep": [[{{"n": {n}}}]]}}"#));
    }
    for n in ["123.456", "0.5", "1e-3", "9007199254740992.0"] {
        rejected(&format!("[{n}]"), "is not a 64-bit signed integer");
        rejected(
            &format!(r#"{{"deep": [[{{"n": {n}}}]]}}"#),
            "is not a 64-bit signed integer",
        );
    }
    // Whole numbers beyond 64 bits are integers out of range, however written.
    for n in ["1e300", "18446744073709551615"] {
        rejected(&format!("[{n}]"), "does not fit in 64 signed bits");
        rejected(
            &format!(r#"{{"deep": [[{{"n": {n}}}]]}}"#),
            "does not fit in 64 signed bits",
        );
    }
}

#[test]
fn unknown_union_members_name_a_def() {
    let member = |t: &str| {
        let json = format!(r#"{{"open": {{"$type": {t}}}}}"#);
        verdict::<ex::unions::Main>("com.example.unions", &json)
    };
    for ok in [
        "\"com.example.other\"",
        "\"com.example.other#thing\"",
        "\"com.example.other#a_b1\"",
    ] {
        assert_eq!(member(ok), Ok(()), "{ok}");
    }
    for bad in [
        "\"x\"",
        "\"com.example\"",
        "\"not an nsid\"",
        "\"com.example.other#\"",
        "\"com.example.other#main\"",
        "\"com.example.other#bad-name\"",
        "\"#local\"",
        "\"com.example.*\"",
    ] {
        let e = member(bad).expect_err(bad);
        assert!(e.starts_with("open.$type: "), "{bad}: {e}");
        assert!(e.contains("not a valid NSID or nsid#name"), "{bad}: {e}");
    }
}

/// Issue 9, item 10: a blob field with extra keys was accepted, and the
/// generated type dropped them on write. Blobs are exactly their four keys
/// (two in the legacy form), so both now reject it, at the extra key.
#[test]
fn blob_fields_with_extra_keys_are_rejected() {
    let record = |blob: &str| {
        format!(
            r#"{{"$type": "com.example.record", "createdAt": "2024-01-01T00:00:00Z", "maybe": null, "anyBlob": {blob}}}"#
        )
    };
    for (extra, key) in [
        (r#", "note": "x""#, "note"),
        (r#", "n": 15"#, "n"),
        (r#", "$link": "x""#, "$link"),
    ] {
        let e =
            verdict::<ex::record::Record>("com.example.record", &record(&blob(extra))).unwrap_err();
        assert_eq!(
            e,
            format!("anyBlob.{key}: invalid blob: unexpected key (a blob has only $type, ref, mimeType, size)")
        );
    }
    let legacy = format!(r#"{{"cid": "{CID}", "mimeType": "image/png", "size": 3}}"#);
    let e = verdict::<ex::record::Record>("com.example.record", &record(&legacy)).unwrap_err();
    assert!(
        e.starts_with("anyBlob.size: invalid blob: unexpected key"),
        "{e}"
    );
    // A complete blob round-trips byte-identically.
    let json = record(&blob(""));
    let value: ex::record::Record = serde_json::from_str(&json).unwrap();
    let back: serde_json::Value = serde_json::to_value(&value).unwrap();
    assert_eq!(
        back,
        serde_json::from_str::<serde_json::Value>(&json).unwrap()
    );
}
