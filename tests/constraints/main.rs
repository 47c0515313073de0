//! Every Lexicon constraint kind, enforced by the generated types on
//! deserialize (with the JSON path and the rule in the message), by
//! `validate()` on values built in code (same message), and by `lexgen
//! validate` (the `datacheck` module, same message). Fixture types come from
//! `tests/fixtures/lexicons/com/example/*.json`, real ones from `lexicons/`.

use atproto_lexgen::datacheck::Validator;
use atproto_lexgen::ir::Ir;
use lexgen_fixture_types::com::example as ex;
use lexgen_tests::repo_path;
use serde::de::DeserializeOwned;
use std::sync::OnceLock;

mod built;

use atproto_types::app::bsky::{actor::profile, embed::images, feed::post};

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

fn real_ir() -> &'static Ir {
    static IR: OnceLock<Ir> = OnceLock::new();
    IR.get_or_init(|| {
        atproto_lexgen::Config::new()
            .lexicons(repo_path("lexicons"))
            .load_ir()
            .expect("lexicons load")
    })
}

fn ir_for(def: &str) -> &'static Ir {
    if def.starts_with("com.example.") {
        fixture_ir()
    } else {
        real_ir()
    }
}

/// A serde_json message without ` at line L column C`.
fn strip_position(msg: String) -> String {
    match msg.rfind(" at line ") {
        Some(i) if msg[i..].contains(" column ") => msg[..i].to_owned(),
        _ => msg,
    }
}

/// Deserializes valid data, and checks that `lexgen validate` accepts it.
#[track_caller]
fn accept<T: DeserializeOwned>(def: &str, json: &str) -> T {
    let value = serde_json::from_str::<T>(json)
        .unwrap_or_else(|e| panic!("{def} should accept {json}: {e}"));
    let v = Validator::new(ir_for(def), def, None).expect("def");
    if let Err(e) = v.validate_str(json) {
        panic!("lexgen validate rejects {json} for {def}: {e}");
    }
    value
}

/// Asserts that the generated type and `lexgen validate` both reject
/// `json` with exactly `message` (`path: rule`).
#[track_caller]
fn reject<T: DeserializeOwned + std::fmt::Debug>(def: &str, json: &str, message: &str) {
    match serde_json::from_str::<T>(json) {
        Ok(v) => panic!("{def} should reject {json}, got {v:?}"),
        Err(e) => assert_eq!(
            strip_position(e.to_string()),
            message,
            "generated type, {json}"
        ),
    }
    let v = Validator::new(ir_for(def), def, None).expect("def");
    match v.validate_str(json) {
        Ok(()) => panic!("lexgen validate accepts {json} for {def}"),
        Err(e) => assert_eq!(e.to_string(), message, "lexgen validate, {json}"),
    }
}

/// Like [`reject`] for serde's structural errors, where the generated
/// types name the path last (`... at \`data\``) and `lexgen validate`
/// first (`data: ...`).
#[track_caller]
fn reject_type<T: DeserializeOwned + std::fmt::Debug>(
    def: &str,
    json: &str,
    path: &str,
    rule: &str,
) {
    match serde_json::from_str::<T>(json) {
        Ok(v) => panic!("{def} should reject {json}, got {v:?}"),
        Err(e) => assert_eq!(
            strip_position(e.to_string()),
            format!("{rule} at `{path}`"),
            "{json}"
        ),
    }
    let v = Validator::new(ir_for(def), def, None).expect("def");
    let e = v.validate_str(json).expect_err("lexgen validate rejects");
    assert_eq!(e.to_string(), format!("{path}: {rule}"), "{json}");
}

fn strings(fields: &str) -> String {
    format!(r#"{{"text": "x"{fields}}}"#)
}

fn post(fields: &str) -> String {
    format!(r#"{{"$type": "app.bsky.feed.post", "createdAt": "2024-06-01T12:00:00.000Z"{fields}}}"#)
}

fn post_text(text: &str) -> String {
    post(&format!(
        ", \"text\": {}",
        serde_json::to_string(text).expect("json")
    ))
}

fn record(fields: &str) -> String {
    format!(
        r#"{{"$type": "com.example.record", "createdAt": "2024-01-01T00:00:00Z", "maybe": null{fields}}}"#
    )
}

fn blob(mime: &str, size: u64) -> String {
    format!(
        r#"{{"$type": "blob", "ref": {{"$link": "{CID}"}}, "mimeType": "{mime}", "size": {size}}}"#
    )
}

// ---------------------------------------------------------------------------
// Strings: maxLength / minLength count UTF-8 bytes, not chars.
// ---------------------------------------------------------------------------

#[test]
fn max_length_counts_utf8_bytes_not_chars() {
    // `text`: maxLength 30, maxGraphemes 10.
    // 7 four-byte emoji + 2 ASCII = 30 bytes (9 chars): the boundary.
    accept::<ex::strings::Main>(
        "com.example.strings",
        &strings_text(&format!("{}ab", "👍".repeat(7))),
    );
    // 8 four-byte emoji = 32 bytes but only 8 chars and 8 graphemes.
    reject::<ex::strings::Main>(
        "com.example.strings",
        &strings_text(&"👍".repeat(8)),
        "text: maxLength 30, got 32 (UTF-8 bytes)",
    );
    // 10 two-byte chars = 20 bytes: fine.
    accept::<ex::strings::Main>("com.example.strings", &strings_text(&"é".repeat(10)));
    // `tags[]`: maxLength 8 bytes: 4 "é" (8 bytes) pass, 5 (10 bytes) fail.
    accept::<ex::strings::Main>("com.example.strings", &strings(r#", "tags": ["éééé"]"#));
    reject::<ex::strings::Main>(
        "com.example.strings",
        &strings(r#", "tags": ["ok", "ééééé"]"#),
        "tags[1]: maxLength 8, got 10 (UTF-8 bytes)",
    );
    // Real lexicon: post text maxLength 3000 bytes, maxGraphemes 300.
    accept::<post::Record>("app.bsky.feed.post", &post_text(&"€".repeat(300)));
    reject::<post::Record>(
        "app.bsky.feed.post",
        &post_text(&"€".repeat(1001)),
        "text: maxLength 3000, got 3003 (UTF-8 bytes)",
    );
}

fn strings_text(text: &str) -> String {
    format!(
        r#"{{"text": {}}}"#,
        serde_json::to_string(text).expect("json")
    )
}

#[test]
fn min_length_counts_utf8_bytes_not_chars() {
    // `short`: minLength 2 (bytes), minGraphemes 2.
    reject::<ex::strings::Main>(
        "com.example.strings",
        &strings(r#", "short": "a""#),
        "short: minLength 2, got 1 (UTF-8 bytes)",
    );
    // One char of two bytes passes minLength, then fails minGraphemes.
    reject::<ex::strings::Main>(
        "com.example.strings",
        &strings(r#", "short": "é""#),
        "short: minGraphemes 2, got 1",
    );
    accept::<ex::strings::Main>("com.example.strings", &strings(r#", "short": "ab""#));
    reject::<ex::strings::Main>(
        "com.example.strings",
        &strings(r#", "short": """#),
        "short: minLength 2, got 0 (UTF-8 bytes)",
    );
}

// ---------------------------------------------------------------------------
// Strings: graphemes are extended grapheme clusters.
// ---------------------------------------------------------------------------

#[test]
fn graphemes_emoji_with_skin_tone_modifiers() {
    // "👍🏽" is two code points, 8 bytes, one grapheme.
    accept::<post::Record>("app.bsky.feed.post", &post_text(&"👍🏽".repeat(300)));
    reject::<post::Record>(
        "app.bsky.feed.post",
        &post_text(&"👍🏽".repeat(301)),
        "text: maxGraphemes 300, got 301",
    );
    reject::<ex::strings::Main>(
        "com.example.strings",
        &strings(r#", "short": "👍🏽""#),
        "short: minGraphemes 2, got 1",
    );
}

#[test]
fn graphemes_zwj_families() {
    // A family joined by ZWJ: 7 code points, 25 bytes, one grapheme.
    let family = "👨‍👩‍👧‍👦";
    assert_eq!(family.len(), 25);
    accept::<ex::strings::Main>(
        "com.example.strings",
        &strings_text(&format!("{family}abcde")),
    );
    // 120 families: 3000 bytes, 120 graphemes: both limits of a post hold.
    accept::<post::Record>("app.bsky.feed.post", &post_text(&family.repeat(120)));
    reject::<post::Record>(
        "app.bsky.feed.post",
        &post_text(&family.repeat(121)),
        "text: maxLength 3000, got 3025 (UTF-8 bytes)",
    );
    // profile displayName: maxGraphemes 64, maxLength 640.
    accept::<profile::Record>(
        "app.bsky.actor.profile",
        &format!(
            r#"{{"$type": "app.bsky.actor.profile", "displayName": "{}"}}"#,
            family.repeat(25)
        ),
    );
    reject::<profile::Record>(
        "app.bsky.actor.profile",
        &format!(
            r#"{{"$type": "app.bsky.actor.profile", "displayName": "{}"}}"#,
            family.repeat(26)
        ),
        "displayName: maxLength 640, got 650 (UTF-8 bytes)",
    );
}

#[test]
fn graphemes_combining_marks() {
    // "e" + U+0301 COMBINING ACUTE: 3 bytes, one grapheme.
    let e_acute = "e\u{301}";
    accept::<post::Record>("app.bsky.feed.post", &post_text(&e_acute.repeat(300)));
    reject::<post::Record>(
        "app.bsky.feed.post",
        &post_text(&e_acute.repeat(301)),
        "text: maxGraphemes 300, got 301",
    );
    // Stacked marks stay one grapheme.
    let stacked = "a\u{301}\u{302}\u{303}";
    reject::<ex::strings::Main>(
        "com.example.strings",
        &strings(&format!(", \"short\": \"{stacked}\"")),
        "short: minGraphemes 2, got 1",
    );
    // Hangul syllable from jamo: one grapheme.
    reject::<ex::strings::Main>(
        "com.example.strings",
        &strings(", \"short\": \"\u{1100}\u{1161}\u{11a8}\""),
        "short: minGraphemes 2, got 1",
    );
}

#[test]
fn graphemes_flags_and_crlf() {
    // A flag is two regional indicators (8 bytes): one grapheme.
    accept::<post::Record>("app.bsky.feed.post", &post_text(&"🇫🇷".repeat(300)));
    reject::<post::Record>(
        "app.bsky.feed.post",
        &post_text(&"🇯🇵".repeat(301)),
        "text: maxGraphemes 300, got 301",
    );
    // "\r\n" is one grapheme; "\n\r" is two.
    accept::<post::Record>("app.bsky.feed.post", &post_text(&"\r\n".repeat(300)));
    reject::<post::Record>(
        "app.bsky.feed.post",
        &post_text(&format!("{}\n", "\r\n".repeat(300))),
        "text: maxGraphemes 300, got 301",
    );
    accept::<ex::strings::Main>("com.example.strings", &strings(r#", "short": "\n\r""#));
    reject::<ex::strings::Main>(
        "com.example.strings",
        &strings(r#", "short": "\r\n""#),
        "short: minGraphemes 2, got 1",
    );
}

#[test]
fn graphemes_fast_path_when_bytes_decide() {
    // 300 ASCII bytes can hold at most 300 graphemes: accepted without counting.
    accept::<post::Record>("app.bsky.feed.post", &post_text(&"a".repeat(300)));
    // Over the grapheme limit, the message gives the full count.
    reject::<post::Record>(
        "app.bsky.feed.post",
        &post_text(&"a".repeat(3000)),
        "text: maxGraphemes 300, got 3000",
    );
    // Empty text is valid (no minimum).
    accept::<post::Record>("app.bsky.feed.post", &post_text(""));
}

// ---------------------------------------------------------------------------
// Strings: enum, const, knownValues, formats.
// ---------------------------------------------------------------------------

#[test]
fn string_enum_and_const() {
    let m: ex::strings::Main = accept(
        "com.example.strings",
        &strings(r#", "color": "green", "fixed": "v1""#),
    );
    assert_eq!(m.color, Some(ex::strings::MainColor::Green));
    reject::<ex::strings::Main>(
        "com.example.strings",
        &strings(r#", "color": "blue""#),
        r#"color: enum ["red", "green"], got "blue""#,
    );
    // Case matters.
    reject::<ex::strings::Main>(
        "com.example.strings",
        &strings(r#", "color": "RED""#),
        r#"color: enum ["red", "green"], got "RED""#,
    );
    reject::<ex::strings::Main>(
        "com.example.strings",
        &strings(r#", "fixed": "v1 ""#),
        r#"fixed: const "v1", got "v1 ""#,
    );
    // A closed enum parsed in code gives the same rule.
    let e = "blue".parse::<ex::strings::MainColor>().unwrap_err();
    assert_eq!(e.to_string(), r#"enum ["red", "green"], got "blue""#);
}

#[test]
fn known_values_are_open() {
    let m: ex::strings::Main = accept(
        "com.example.strings",
        &strings(r#", "status": "paused-ish""#),
    );
    assert_eq!(
        m.status,
        Some(ex::strings::MainStatus::Other("paused-ish".into()))
    );
    let m: ex::strings::Main = accept(
        "com.example.strings",
        &strings(r#", "status": "com.example.tokens#paused""#),
    );
    assert_eq!(
        m.status.map(|s| s.as_str().to_owned()).as_deref(),
        Some("com.example.tokens#paused")
    );
    // knownValues with a maxLength: any string, but the rules still apply.
    accept::<ex::strings::UsesDefs>(
        "com.example.strings#usesDefs",
        r#"{"purpose": "my.own#purpose"}"#,
    );
    reject::<ex::strings::UsesDefs>(
        "com.example.strings#usesDefs",
        &format!(r#"{{"purpose": "{}"}}"#, "p".repeat(65)),
        "purpose: maxLength 64, got 65 (UTF-8 bytes)",
    );
}

#[test]
fn formats_name_the_path() {
    reject::<ex::strings::Main>(
        "com.example.strings",
        &strings(r#", "did": "did:plc:ABC def""#),
        r#"did: invalid did: whitespace ' ' at byte 11 is not allowed (value: "did:plc:ABC def")"#,
    );
    reject::<post::Record>(
        "app.bsky.feed.post",
        &post(r#", "text": "", "langs": ["en", "fr-", "de"]"#),
        r#"langs[1]: invalid language: a language tag must not end with '-' (value: "fr-")"#,
    );
}

// ---------------------------------------------------------------------------
// Integers and booleans.
// ---------------------------------------------------------------------------

#[test]
fn integer_minimum_maximum_enum_const() {
    let n = |fields: &str| format!(r#"{{"count": 5{fields}}}"#);
    accept::<ex::numbers::Main>("com.example.numbers", r#"{"count": 0}"#);
    accept::<ex::numbers::Main>("com.example.numbers", r#"{"count": 10}"#);
    reject::<ex::numbers::Main>(
        "com.example.numbers",
        r#"{"count": 11}"#,
        "count: maximum 10, got 11",
    );
    reject::<ex::numbers::Main>(
        "com.example.numbers",
        r#"{"count": -1}"#,
        "count: minimum 0, got -1",
    );
    accept::<ex::numbers::Main>("com.example.numbers", &n(r#", "negative": -5"#));
    reject::<ex::numbers::Main>(
        "com.example.numbers",
        &n(r#", "negative": 0"#),
        "negative: maximum -1, got 0",
    );
    reject::<ex::numbers::Main>(
        "com.example.numbers",
        &n(r#", "negative": -6"#),
        "negative: minimum -5, got -6",
    );
    accept::<ex::numbers::Main>("com.example.numbers", &n(r#", "level": 3"#));
    reject::<ex::numbers::Main>(
        "com.example.numbers",
        &n(r#", "level": 0"#),
        "level: enum [1, 2, 3], got 0",
    );
    accept::<ex::numbers::Main>("com.example.numbers", &n(r#", "version": 2"#));
    reject::<ex::numbers::Main>(
        "com.example.numbers",
        &n(r#", "version": 1"#),
        "version: const 2, got 1",
    );
    reject::<ex::numbers::Main>(
        "com.example.numbers",
        &n(r#", "always": false"#),
        "always: const true, got false",
    );
    // Signed 64-bit: the extremes are integers; beyond them they are not.
    reject::<ex::numbers::Main>(
        "com.example.numbers",
        r#"{"count": 9223372036854775807}"#,
        "count: maximum 10, got 9223372036854775807",
    );
    reject::<ex::numbers::Main>(
        "com.example.numbers",
        r#"{"count": -9223372036854775808}"#,
        "count: minimum 0, got -9223372036854775808",
    );
    reject::<ex::numbers::Main>(
        "com.example.numbers",
        r#"{"count": 18446744073709551615}"#,
        "count: integer 18446744073709551615 does not fit in 64 signed bits",
    );
}

#[test]
fn integers_are_not_floats() {
    // An integer-valued float is the integer it stands for (data model).
    for json in ["2.0", "2e0", "-0"] {
        let doc = format!(r#"{{"count": {json}}}"#);
        let m = serde_json::from_str::<ex::numbers::Main>(&doc).unwrap();
        assert_eq!(m.count, json.parse::<f64>().unwrap() as i64);
        let v = Validator::new(fixture_ir(), "com.example.numbers", None).expect("def");
        assert!(v.validate_str(&doc).is_ok(), "{doc}");
    }
    // A whole number beyond 64 bits is an integer out of range, however written.
    let e = serde_json::from_str::<ex::numbers::Main>(r#"{"count": 1e300}"#).unwrap_err();
    assert_eq!(
        strip_position(e.to_string()),
        "count: integer 1e300 does not fit in 64 signed bits"
    );
    for (json, shown) in [("2.5", "2.5"), ("2e-1", "0.2")] {
        let msg = format!(
            "invalid type: floating point `{shown}`, expected an integer (floats are not allowed) at `count`"
        );
        let e = serde_json::from_str::<ex::numbers::Main>(&format!(r#"{{"count": {json}}}"#))
            .unwrap_err();
        assert_eq!(strip_position(e.to_string()), msg);
        let v = Validator::new(fixture_ir(), "com.example.numbers", None).expect("def");
        let e = v
            .validate_str(&format!(r#"{{"count": {json}}}"#))
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("count: invalid type: floating point `{shown}`, expected an integer (floats are not allowed)")
        );
    }
}

// ---------------------------------------------------------------------------
// Arrays, bytes, blobs.
// ---------------------------------------------------------------------------

#[test]
fn array_min_and_max_length() {
    // `list` refs com.example.numbers#scores: 1..=4 integers >= 0.
    let defs = "com.example.strings#usesDefs";
    accept::<ex::strings::UsesDefs>(defs, r#"{"list": [0]}"#);
    accept::<ex::strings::UsesDefs>(defs, r#"{"list": [0, 1, 2, 3]}"#);
    reject::<ex::strings::UsesDefs>(defs, r#"{"list": []}"#, "list: minLength 1, got 0 elements");
    reject::<ex::strings::UsesDefs>(
        defs,
        r#"{"list": [0, 1, 2, 3, 4]}"#,
        "list: maxLength 4, got 5 elements",
    );
    reject::<ex::strings::UsesDefs>(defs, r#"{"list": [0, -1]}"#, "list[1]: minimum 0, got -1");
    // Real lexicon: langs maxLength 3, tags maxLength 8.
    accept::<post::Record>(
        "app.bsky.feed.post",
        &post(r#", "text": "", "langs": ["en", "fr", "de"]"#),
    );
    reject::<post::Record>(
        "app.bsky.feed.post",
        &post(r#", "text": "", "langs": ["en", "fr", "de", "es"]"#),
        "langs: maxLength 3, got 4 elements",
    );
    reject::<post::Record>(
        "app.bsky.feed.post",
        &post(&format!(
            r#", "text": "", "tags": [{}]"#,
            ["\"t\""; 9].join(", ")
        )),
        "tags: maxLength 8, got 9 elements",
    );
    reject::<post::Record>(
        "app.bsky.feed.post",
        &post(&format!(r#", "text": "", "tags": ["{}"]"#, "🏳️‍🌈".repeat(65))),
        "tags[0]: maxLength 640, got 910 (UTF-8 bytes)",
    );
    reject::<post::Record>(
        "app.bsky.feed.post",
        &post(&format!(r#", "text": "", "tags": ["{}"]"#, "é".repeat(65))),
        "tags[0]: maxGraphemes 64, got 65",
    );
}

#[test]
fn bytes_length() {
    // `data`: bytes of 1..=8.
    accept::<ex::record::Record>(
        "com.example.record",
        &record(r#", "data": {"$bytes": "AQ"}"#),
    );
    accept::<ex::record::Record>(
        "com.example.record",
        &record(r#", "data": {"$bytes": "AQIDBAUGBwg"}"#),
    );
    reject::<ex::record::Record>(
        "com.example.record",
        &record(r#", "data": {"$bytes": ""}"#),
        "data: minLength 1, got 0 bytes",
    );
    reject::<ex::record::Record>(
        "com.example.record",
        &record(r#", "data": {"$bytes": "AQIDBAUGBwgJ"}"#),
        "data: maxLength 8, got 9 bytes",
    );
    reject::<ex::record::Record>(
        "com.example.record",
        &record(r#", "data": {"$bytes": "AQI$"}"#),
        "data.$bytes: invalid base64 (standard alphabet expected)",
    );
}

#[test]
fn blob_accept_and_max_size() {
    // `avatar`: accept image/png and image/*, maxSize 1000.
    let avatar = |b: String| record(&format!(r#", "avatar": {b}"#));
    accept::<ex::record::Record>("com.example.record", &avatar(blob("image/png", 1000)));
    accept::<ex::record::Record>("com.example.record", &avatar(blob("image/webp", 1)));
    accept::<ex::record::Record>("com.example.record", &avatar(blob("Image/GIF", 1)));
    reject::<ex::record::Record>(
        "com.example.record",
        &avatar(blob("image/png", 1001)),
        "avatar: maxSize 1000, got size 1001",
    );
    reject::<ex::record::Record>(
        "com.example.record",
        &avatar(blob("video/mp4", 10)),
        r#"avatar: accept ["image/png", "image/*"], got mimeType "video/mp4""#,
    );
    // A legacy blob declares no size: only `accept` can apply.
    accept::<ex::record::Record>(
        "com.example.record",
        &avatar(format!(r#"{{"cid": "{CID}", "mimeType": "image/png"}}"#)),
    );
    // Real lexicons: profile avatars are png or jpeg, up to 1 MB; post
    // images are image/*, up to 2 MB, deep inside the embed union.
    reject::<profile::Record>(
        "app.bsky.actor.profile",
        &format!(
            r#"{{"$type": "app.bsky.actor.profile", "avatar": {}}}"#,
            blob("image/webp", 10)
        ),
        r#"avatar: accept ["image/png", "image/jpeg"], got mimeType "image/webp""#,
    );
    reject::<profile::Record>(
        "app.bsky.actor.profile",
        &format!(
            r#"{{"$type": "app.bsky.actor.profile", "banner": {}}}"#,
            blob("image/png", 1_000_001)
        ),
        "banner: maxSize 1000000, got size 1000001",
    );
    let images = |b: String| {
        post(&format!(
            r#", "text": "", "embed": {{"$type": "app.bsky.embed.images", "images": [{{"alt": "", "image": {}}}, {{"alt": "", "image": {b}}}]}}"#,
            blob("image/png", 1)
        ))
    };
    accept::<post::Record>("app.bsky.feed.post", &images(blob("image/jpeg", 2_000_000)));
    reject::<post::Record>(
        "app.bsky.feed.post",
        &images(blob("image/jpeg", 2_000_001)),
        "embed.images[1].image: maxSize 2000000, got size 2000001",
    );
    reject::<post::Record>(
        "app.bsky.feed.post",
        &images(blob("application/pdf", 5)),
        r#"embed.images[1].image: accept ["image/*"], got mimeType "application/pdf""#,
    );
}

// ---------------------------------------------------------------------------
// Required and nullable.
// ---------------------------------------------------------------------------

#[test]
fn required_fields() {
    reject::<ex::strings::Main>("com.example.strings", "{}", "missing required field `text`");
    reject::<post::Record>(
        "app.bsky.feed.post",
        r#"{"$type": "app.bsky.feed.post", "text": ""}"#,
        "missing required field `createdAt`",
    );
    reject::<post::Record>(
        "app.bsky.feed.post",
        &post(
            r#", "text": "", "embed": {"$type": "app.bsky.embed.images", "images": [{"alt": ""}]}"#,
        ),
        "embed.images[0]: missing required field `image`",
    );
}

#[test]
fn nullable_keeps_null_apart_from_absent() {
    // `maybe`: required and nullable. `optionalNull`: optional and nullable.
    let r: ex::record::Record = accept("com.example.record", &record(""));
    assert_eq!(r.maybe, None);
    assert_eq!(r.optional_null, None);
    let r: ex::record::Record = accept("com.example.record", &record(r#", "optionalNull": null"#));
    assert_eq!(r.optional_null, Some(None));
    let r: ex::record::Record = accept("com.example.record", &record(r#", "optionalNull": 7"#));
    assert_eq!(r.optional_null, Some(Some(7)));
    // Round trips keep the three states.
    for fields in ["", r#","optionalNull":null"#, r#","optionalNull":7"#] {
        let json = record(fields);
        let r: ex::record::Record = serde_json::from_str(&json).expect("valid");
        let back: serde_json::Value = serde_json::to_value(&r).expect("serializes");
        assert_eq!(
            back,
            serde_json::from_str::<serde_json::Value>(&json).expect("json")
        );
    }
    // Required-but-nullable must be present.
    reject::<ex::record::Record>(
        "com.example.record",
        r#"{"$type": "com.example.record", "createdAt": "2024-01-01T00:00:00Z"}"#,
        "missing required field `maybe`",
    );
    // Not nullable: null is a type error at the field's path.
    reject_type::<ex::record::Record>(
        "com.example.record",
        &record(r#", "data": null"#),
        "data",
        "invalid type: null, expected a `$bytes` object",
    );
    reject_type::<ex::strings::Main>(
        "com.example.strings",
        r#"{"text": null}"#,
        "text",
        "invalid type: null, expected a string",
    );
}

// ---------------------------------------------------------------------------
// Unions.
// ---------------------------------------------------------------------------

#[test]
fn closed_unions_reject_unknown_types() {
    reject::<ex::unions::Main>(
        "com.example.unions",
        r#"{"closed": {"$type": "com.example.unions#audio"}}"#,
        r#"closed.$type: "com.example.unions#audio" is not one of ["com.example.unions#image", "com.example.unions#video"] (closed union)"#,
    );
    reject::<ex::unions::Main>(
        "com.example.unions",
        r#"{"closed": {"$type": "com.example.unions#video", "seconds": 0}}"#,
        "closed.seconds: minimum 1, got 0",
    );
}

#[test]
fn open_unions_keep_unknown_types_and_check_known_ones() {
    let json = r#"{"open":{"$type":"com.example.future","anything":[1,{"deep":true}]}}"#;
    let m: ex::unions::Main = accept("com.example.unions", json);
    assert_eq!(serde_json::to_string(&m).expect("ser"), json);
    reject::<ex::unions::Main>(
        "com.example.unions",
        r#"{"open": {"$type": "com.example.unions#image", "alt": "01234567890"}}"#,
        "open.alt: maxGraphemes 10, got 11",
    );
    reject::<ex::unions::Main>(
        "com.example.unions",
        r#"{"many": [{"$type": "com.example.unions#image", "alt": "a"}, {"alt": "b"}]}"#,
        "many[1]: missing `$type` (required on union members)",
    );
    // A post's embed of a kind the lexicons do not have is kept.
    accept::<post::Record>(
        "app.bsky.feed.post",
        &post(r#", "text": "", "embed": {"$type": "app.bsky.embed.poll", "options": ["a", "b"]}"#),
    );
}
