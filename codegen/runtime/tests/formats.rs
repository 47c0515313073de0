//! Tests of the Lexicon string formats (`atproto_lexgen_runtime::formats`,
//! which every generated crate re-exports), written from the rules in
//! `LEXICON-RULES.md` §6: valid vectors, invalid vectors, boundary cases,
//! error messages, serde behaviour and property tests.

use atproto_lexgen_runtime::formats::*;
use proptest::prelude::*;
use std::fmt::Write as _;

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// Parses `value` with the newtype of `format` and returns its string form.
fn parse_typed(format: Format, value: &str) -> Result<String, FormatError> {
    Ok(match format {
        Format::AtIdentifier => AtIdentifier::new(value)?.into_string(),
        Format::AtUri => AtUri::new(value)?.into_string(),
        Format::Cid => Cid::new(value)?.into_string(),
        Format::Datetime => Datetime::new(value)?.into_string(),
        Format::Did => Did::new(value)?.into_string(),
        Format::Handle => Handle::new(value)?.into_string(),
        Format::Language => Language::new(value)?.into_string(),
        Format::Nsid => Nsid::new(value)?.into_string(),
        Format::RecordKey => RecordKey::new(value)?.into_string(),
        Format::Tid => Tid::new(value)?.into_string(),
        Format::Uri => Uri::new(value)?.into_string(),
    })
}

/// The `check_*` function of `format`, called directly.
fn check_fn(format: Format, value: &str) -> Result<(), FormatError> {
    match format {
        Format::AtIdentifier => check_at_identifier(value),
        Format::AtUri => check_at_uri(value),
        Format::Cid => check_cid(value),
        Format::Datetime => check_datetime(value),
        Format::Did => check_did(value),
        Format::Handle => check_handle(value),
        Format::Language => check_language(value),
        Format::Nsid => check_nsid(value),
        Format::RecordKey => check_record_key(value),
        Format::Tid => check_tid(value),
        Format::Uri => check_uri(value),
    }
}

/// Asserts that every value passes `format`, through `Format::check`, the
/// `check_*` function and the newtype (which keeps the value unchanged).
fn assert_valid(format: Format, values: &[&str]) {
    for v in values {
        if let Err(e) = format.check(v) {
            panic!("{} {v:?} should be valid, got: {e}", format.name());
        }
        assert_eq!(check_fn(format, v), Ok(()), "{v:?}");
        assert_eq!(parse_typed(format, v).as_deref(), Ok(*v), "{v:?}");
    }
}

/// Asserts that every value fails `format`, through all three entry points
/// with the same error.
fn assert_invalid(format: Format, values: &[&str]) {
    for v in values {
        let err = match format.check(v) {
            Ok(()) => panic!("{} {v:?} should be invalid", format.name()),
            Err(e) => e,
        };
        assert_eq!(err.format(), format, "{v:?}");
        assert!(!err.rule().is_empty(), "{v:?}");
        assert_eq!(check_fn(format, v).as_ref(), Err(&err), "{v:?}");
        assert_eq!(parse_typed(format, v).as_ref(), Err(&err), "{v:?}");
    }
}

/// Asserts that `value` fails `format` with a message that contains every
/// one of `needles` (case-sensitive), and that the error reports `format`.
fn assert_rule(format: Format, value: &str, needles: &[&str]) {
    assert_invalid(format, &[value]);
    let err = match format.check(value) {
        Ok(()) => panic!("{} {value:?} should be invalid", format.name()),
        Err(e) => e,
    };
    assert_eq!(err.format(), format, "wrong format in error for {value:?}");
    let msg = err.to_string();
    assert!(
        msg.starts_with(&format!("invalid {}: ", format.name())),
        "message {msg:?} should start with the format name"
    );
    assert!(
        msg.contains(err.rule()),
        "message {msg:?} should contain the rule"
    );
    for needle in needles {
        assert!(
            err.rule().contains(needle),
            "rule for {} {value:?} should mention {needle:?}; got {:?}",
            format.name(),
            err.rule()
        );
    }
}

fn repeat(c: char, n: usize) -> String {
    std::iter::repeat(c).take(n).collect()
}

/// Every format must reject the empty string, leading/trailing whitespace and
/// non-ASCII, given one valid sample of that format.
fn assert_common_rejections(format: Format, valid_sample: &str) {
    assert!(format.check(valid_sample).is_ok(), "{valid_sample:?}");
    assert!(format.check("").is_err(), "{}: empty", format.name());
    for ws in [" ", "\t", "\n", "\r\n"] {
        let leading = format!("{ws}{valid_sample}");
        let trailing = format!("{valid_sample}{ws}");
        assert_rule(format, &leading, &["whitespace"]);
        assert_rule(format, &trailing, &["whitespace"]);
    }
    // A non-ASCII char appended or prepended.
    for extra in ["é", "\u{00a0}", "日本", "\u{200b}"] {
        let before = format!("{extra}{valid_sample}");
        let after = format!("{valid_sample}{extra}");
        assert!(format.check(&before).is_err(), "{before:?}");
        assert!(format.check(&after).is_err(), "{after:?}");
    }
}

// ---------------------------------------------------------------------------
// Format enum
// ---------------------------------------------------------------------------

#[test]
fn format_names_round_trip() {
    let names = [
        "at-identifier",
        "at-uri",
        "cid",
        "datetime",
        "did",
        "handle",
        "language",
        "nsid",
        "record-key",
        "tid",
        "uri",
    ];
    assert_eq!(Format::ALL.len(), names.len());
    for (format, name) in Format::ALL.iter().zip(names) {
        assert_eq!(format.name(), name);
        assert_eq!(Format::from_name(name), Some(*format));
    }
    assert_eq!(Format::from_name("Handle"), None);
    assert_eq!(Format::from_name("datetime "), None);
    assert_eq!(Format::from_name("unknown"), None);
    assert_eq!(Format::from_name(""), None);
}

#[test]
fn format_check_dispatches() {
    let samples = [
        (Format::AtIdentifier, "alice.bsky.social"),
        (
            Format::AtUri,
            "at://did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.feed.post/3jzfcijpj2z2a",
        ),
        (
            Format::Cid,
            "bafyreidfayvfuwqa7qlnopdjiqrxzs6blmoeu4rujcjtnci5beludirz2a",
        ),
        (Format::Datetime, "2024-02-29T12:34:56.789Z"),
        (Format::Did, "did:plc:z72i7hdynmk6r22z27h6tvur"),
        (Format::Handle, "alice.bsky.social"),
        (Format::Language, "en-US"),
        (Format::Nsid, "app.bsky.feed.post"),
        (Format::RecordKey, "self"),
        (Format::Tid, "3jzfcijpj2z2a"),
        (Format::Uri, "https://example.com/path?q=1#frag"),
    ];
    for (format, sample) in samples {
        assert!(format.check(sample).is_ok(), "{format}: {sample}");
        assert_common_rejections(format, sample);
    }
}

#[test]
fn error_display_quotes_and_truncates_value() {
    let err = check_handle("-ab.com").unwrap_err();
    let msg = err.to_string();
    assert!(msg.starts_with("invalid handle: "), "{msg}");
    assert!(msg.contains("\"-ab\""), "{msg}");
    assert!(msg.contains("hyphen"), "{msg}");
    assert!(msg.contains("\"-ab.com\""), "{msg}");

    let long = format!("{}.com", repeat('a', 300));
    let msg = check_handle(&long).unwrap_err().to_string();
    assert!(msg.len() < 400, "message not truncated: {msg}");
    assert!(msg.contains("253"), "{msg}");
    assert!(msg.contains("304"), "{msg}");

    // Truncation never splits a multi-byte character.
    let wide = repeat('é', 100);
    let msg = check_handle(&wide).unwrap_err().to_string();
    assert!(msg.contains("non-ASCII"), "{msg}");
    let err: Box<dyn std::error::Error> = Box::new(check_did("x").unwrap_err());
    assert!(err.to_string().starts_with("invalid did: "));
}

// ---------------------------------------------------------------------------
// handle
// ---------------------------------------------------------------------------

#[test]
fn handle_valid() {
    assert_valid(
        Format::Handle,
        &[
            "jay.bsky.social",
            "8.cn",
            "name.t--t",
            "XX.LCS.MIT.EDU",
            "a.co",
            "xn--notarealidn.com",
            "xn--fiqa61au8b7zsevnm8ak20mc4a87e.xn--fiqs8s",
            "xn--ls8h.test",
            "example.t",
            "john.test",
            "jan.test",
            "a234567890123456789.test",
            "john2.test",
            "john-john.test",
            "handle.invalid",
            "example.local",
            "example.onion",
            "example.arpa",
            "laptop.localhost",
            "11.xn--3e0b707e",
            "0.a",
            "a-0.b-1",
        ],
    );
}

#[test]
fn handle_invalid() {
    assert_invalid(
        Format::Handle,
        &[
            "",
            "jo@hn.test",
            "💩.test",
            "john..test",
            "xn--bcher-.tld",
            "john.0",
            "cn.8",
            "www.masełkowski.pl.com",
            "org",
            "name.org.",
            ".name.org",
            "-jay.bsky.social",
            "jay-.bsky.social",
            "jay.bsky.social-",
            "jay.-social",
            "did:thing.test",
            "did:thing",
            "john.test ",
            " john.test",
            "john\n.test",
            "john.test\n",
            "john_doe.test",
            "john.t+st",
            "a.b/c",
            "bsky.social.1",
            "bsky.123",
            "localhost",
            "*.example.com",
        ],
    );
}

#[test]
fn handle_rules_named() {
    assert_rule(
        Format::Handle,
        "-ab.com",
        &["label \"-ab\"", "starts with a hyphen"],
    );
    assert_rule(
        Format::Handle,
        "ab-.com",
        &["\"ab-\"", "ends with a hyphen"],
    );
    assert_rule(Format::Handle, "john..test", &["empty"]);
    assert_rule(Format::Handle, ".john.test", &["start", "'.'"]);
    assert_rule(Format::Handle, "john.test.", &["end", "'.'"]);
    assert_rule(Format::Handle, "localhost", &["two labels"]);
    assert_rule(Format::Handle, "john.0", &["\"0\"", "digit"]);
    assert_rule(Format::Handle, "jo@hn.test", &["'@'", "byte 2"]);
    assert_rule(Format::Handle, "jo hn.test", &["whitespace", "byte 2"]);
    assert_rule(Format::Handle, "jé.test", &["non-ASCII", "'é'"]);
    assert_rule(Format::Handle, "", &["empty"]);
}

#[test]
fn handle_length_boundaries() {
    let l63 = repeat('a', 63);
    let l64 = repeat('a', 64);
    assert_valid(
        Format::Handle,
        &[&format!("{l63}.com"), &format!("com.{l63}")],
    );
    assert_rule(
        Format::Handle,
        &format!("{l64}.com"),
        &["64 characters", "maximum is 63"],
    );
    assert_rule(Format::Handle, &format!("com.{l64}"), &["maximum is 63"]);

    // 63 + 1 + 63 + 1 + 63 + 1 + 61 = 253.
    let max = format!("{l63}.{l63}.{l63}.{}", repeat('b', 61));
    assert_eq!(max.len(), 253);
    assert_valid(Format::Handle, &[&max]);
    let over = format!("{l63}.{l63}.{l63}.{}", repeat('b', 62));
    assert_eq!(over.len(), 254);
    assert_rule(Format::Handle, &over, &["254", "maximum is 253"]);
}

#[test]
fn handle_case_is_preserved_and_normalized_on_request() {
    let h = Handle::new("Alice.BSKY.Social").unwrap();
    assert_eq!(h.as_str(), "Alice.BSKY.Social");
    assert_eq!(h.to_normalized().as_str(), "alice.bsky.social");
    assert_eq!(h.to_string(), "Alice.BSKY.Social");
    assert_eq!(Handle::FORMAT, Format::Handle);
}

// ---------------------------------------------------------------------------
// did
// ---------------------------------------------------------------------------

#[test]
fn did_valid() {
    assert_valid(
        Format::Did,
        &[
            "did:method:val",
            "did:method:VAL",
            "did:method:val123",
            "did:method:123",
            "did:method:val-two",
            "did:method:val_two",
            "did:method:val.two",
            "did:method:val:two",
            "did:method:val%BB",
            "did:method:vaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaal",
            "did:m:v",
            "did:method::::val",
            "did:method:-",
            "did:method:-:_:.",
            "did:key:zQ3shZc2QzApp2oymGvQbzP8eKheVshBHbU4ZYjeXqwSKEn6N",
            "did:method:val:%0A",
            "did:plc:z72i7hdynmk6r22z27h6tvur",
            "did:web:example.com",
            "did:web:localhost%3A1234",
            "did:onion:2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid",
            "did:example:123456789abcdefghi",
        ],
    );
}

#[test]
fn did_invalid() {
    assert_invalid(
        Format::Did,
        &[
            "",
            "did",
            "didmethodval",
            "method:did:val",
            "did:method:",
            "didmethod:val",
            "did:methodval",
            ":did:method:val",
            "did.method.val",
            "did:method:val:",
            "did:method:val%",
            "DID:method:val",
            "did:METHOD:val",
            "did:m123:val",
            "did:method:val/two",
            "did:method:val?two",
            "did:method:val#two",
            "did:method:val@two",
            "did:method:val two",
            "did::val",
            "did:",
            "did:plc",
            "did:pl-c:val",
            "did:method:vál",
        ],
    );
}

#[test]
fn did_rules_named() {
    assert_rule(Format::Did, "did:METHOD:val", &["method", "lowercase"]);
    assert_rule(Format::Did, "did:m3:val", &["method", "[a-z]"]);
    assert_rule(Format::Did, "DID:plc:val", &["lowercase", "did:"]);
    assert_rule(Format::Did, "plc:val", &["did:"]);
    assert_rule(Format::Did, "did:plc:val:", &["end", "':'"]);
    assert_rule(Format::Did, "did:plc:val%", &["end", "'%'"]);
    assert_rule(Format::Did, "did:plc:", &["identifier", "empty"]);
    assert_rule(Format::Did, "did::val", &["method", "empty"]);
    assert_rule(Format::Did, "did:plc", &["':'"]);
    assert_rule(Format::Did, "did:web:a/b", &["'/'", "path"]);
    assert_rule(Format::Did, "did:web:a?b", &["'?'"]);
    assert_rule(Format::Did, "did:web:a#b", &["'#'"]);
    assert_rule(Format::Did, "did:web:a@b", &["'@'", "byte 9"]);
    assert_rule(Format::Did, "did:web:ñ", &["non-ASCII"]);
}

#[test]
fn did_length_boundaries() {
    let max = format!("did:plc:{}", repeat('a', 2040));
    assert_eq!(max.len(), 2048);
    assert_valid(Format::Did, &[&max]);
    let over = format!("did:plc:{}", repeat('a', 2041));
    assert_rule(Format::Did, &over, &["2049", "maximum is 2048"]);
}

#[test]
fn did_is_case_sensitive() {
    let a = Did::new("did:plc:ABC").unwrap();
    let b = Did::new("did:plc:abc").unwrap();
    assert_ne!(a, b);
    assert_eq!(a.as_str(), "did:plc:ABC");
}

// ---------------------------------------------------------------------------
// at-identifier
// ---------------------------------------------------------------------------

#[test]
fn at_identifier_variants() {
    let did = AtIdentifier::new("did:plc:z72i7hdynmk6r22z27h6tvur").unwrap();
    assert!(did.is_did());
    assert!(!did.is_handle());
    assert_eq!(
        did.as_did().map(Did::as_str),
        Some("did:plc:z72i7hdynmk6r22z27h6tvur")
    );
    assert!(did.as_handle().is_none());

    let handle: AtIdentifier = "Alice.Example.com".parse().unwrap();
    assert!(handle.is_handle());
    assert_eq!(
        handle.as_handle().map(Handle::as_str),
        Some("Alice.Example.com")
    );
    assert!(handle.as_did().is_none());
    assert_eq!(handle.as_str(), "Alice.Example.com");
    assert_eq!(handle.clone().into_string(), "Alice.Example.com");
    assert_eq!(String::from(handle), "Alice.Example.com");
    assert_eq!(AtIdentifier::FORMAT, Format::AtIdentifier);
}

#[test]
fn at_identifier_valid_and_invalid() {
    assert_valid(
        Format::AtIdentifier,
        &[
            "bsky.social",
            "handle.invalid",
            "did:plc:z72i7hdynmk6r22z27h6tvur",
            "did:web:example.com",
            "did:method:val:two",
        ],
    );
    assert_invalid(
        Format::AtIdentifier,
        &[
            "",
            "bsky",
            "did:plc:",
            "DID:plc:abc",
            "did:PLC:abc",
            "@bsky.social",
            "at://bsky.social",
            " bsky.social",
            "bsky.social ",
        ],
    );
    assert_rule(Format::AtIdentifier, "did:PLC:abc", &["DID", "lowercase"]);
    assert_rule(Format::AtIdentifier, "-x.com", &["handle", "hyphen"]);
    let err = AtIdentifier::new("did:plc:").unwrap_err();
    assert_eq!(err.format(), Format::AtIdentifier);
}

// ---------------------------------------------------------------------------
// nsid
// ---------------------------------------------------------------------------

#[test]
fn nsid_valid() {
    assert_valid(
        Format::Nsid,
        &[
            "com.example.fooBar",
            "com.example.foo",
            "net.users.bob.ping",
            "a.b.c",
            "m.xn--masekowski-d0b.pl",
            "one.two.three",
            "one.two.three.four-and.FiVe",
            "one.2.three",
            "a-0.b-1.c",
            "a0.b1.cc",
            "cn.8.lex.stuff",
            "test.12345.record",
            "a01.thing.record",
            "a.0.c",
            "xn--fiqs8s.xn--fiqa61au8b7zsevnm8ak20mc4a87e.record.two",
            "com.example.f00",
            "app.bsky.feed.post",
            "com.atproto.repo.strongRef",
            "COM.EXAMPLE.fooBar",
        ],
    );
}

#[test]
fn nsid_invalid() {
    assert_invalid(
        Format::Nsid,
        &[
            "",
            "com.example",
            "com",
            "com.example.foo.",
            ".com.example.foo",
            "com..example.foo",
            "com.example.foo*",
            "com.example.*",
            "com.example.foo-bar",
            "com.example.3",
            "com.example.3foo",
            "1.example.foo",
            "1com.example.foo",
            "-com.example.foo",
            "com-.example.foo",
            "com.-example.foo",
            "com.example-.foo",
            "com.exa💩ple.thing",
            "com.example.foo bar",
            "com.example.foo_bar",
            "com.example/foo",
            "com.example.foo@",
            "com.example.foo#main",
        ],
    );
}

#[test]
fn nsid_rules_named() {
    assert_rule(Format::Nsid, "com.example", &["three segments"]);
    assert_rule(Format::Nsid, "com.example.*", &["'*'", "glob"]);
    assert_rule(Format::Nsid, "com.example.foo-bar", &["name", "'-'"]);
    assert_rule(Format::Nsid, "com.example.3foo", &["name", "digit"]);
    assert_rule(
        Format::Nsid,
        "1com.example.foo",
        &["first segment", "digit"],
    );
    assert_rule(Format::Nsid, "com.-ex.foo", &["\"-ex\"", "hyphen"]);
    assert_rule(Format::Nsid, "com..foo.bar", &["empty"]);
    assert_rule(Format::Nsid, "com.example.foo.", &["end", "'.'"]);
    assert_rule(Format::Nsid, "com.ex_ample.foo", &["'_'"]);
}

#[test]
fn nsid_length_boundaries() {
    let l63 = repeat('a', 63);
    let l64 = repeat('a', 64);
    // Segment 63 ok, 64 bad (authority and name).
    assert_valid(
        Format::Nsid,
        &[&format!("com.{l63}.foo"), &format!("com.example.{l63}")],
    );
    assert_rule(Format::Nsid, &format!("com.{l64}.foo"), &["maximum is 63"]);
    assert_rule(
        Format::Nsid,
        &format!("com.example.{l64}"),
        &["name", "maximum is 63"],
    );

    // Authority of exactly 253 chars plus a 63-char name = 317.
    let authority = format!("{l63}.{l63}.{l63}.{}", repeat('b', 61));
    assert_eq!(authority.len(), 253);
    let max = format!("{authority}.{l63}");
    assert_eq!(max.len(), 317);
    assert_valid(Format::Nsid, &[&max]);
    assert_rule(Format::Nsid, &format!("{max}a"), &["318", "maximum is 317"]);

    // An authority over 253 chars is valid while the total stays within
    // 317: there is no separate authority cap.
    let authority254 = format!("{l63}.{l63}.{l63}.{}", repeat('b', 62));
    assert_valid(Format::Nsid, &[&format!("{authority254}.foo")]);
    let many_short = format!("{}.name", vec!["a"; 156].join("."));
    assert_eq!(many_short.len(), 316);
    assert_valid(Format::Nsid, &[&many_short]);
}

// ---------------------------------------------------------------------------
// record-key
// ---------------------------------------------------------------------------

#[test]
fn record_key_valid() {
    assert_valid(
        Format::RecordKey,
        &[
            "3jui7kd54zh2y",
            "self",
            "example.com",
            "~1.2-3_",
            "dHJ1ZQ",
            "pre:fix",
            "_",
            "...",
            ".a",
            "a..",
            ":",
            "-",
            "~",
            "literal:self",
            "SELF",
        ],
    );
}

#[test]
fn record_key_invalid() {
    assert_invalid(
        Format::RecordKey,
        &[
            "",
            ".",
            "..",
            "alpha/beta",
            "@handle",
            "any space",
            "any+space",
            "number[3]",
            "number(3)",
            "\"quote\"",
            "dHJ1ZQ==",
            "a#b",
            "a?b",
            "a%20b",
            "ünicode",
            "a,b",
        ],
    );
}

#[test]
fn record_key_rules_named() {
    assert_rule(Format::RecordKey, ".", &["\".\"", "\"..\""]);
    assert_rule(Format::RecordKey, "..", &["\"..\""]);
    assert_rule(Format::RecordKey, "alpha/beta", &["'/'", "byte 5"]);
    assert_rule(Format::RecordKey, "", &["empty"]);
    let max = repeat('a', 512);
    assert_valid(Format::RecordKey, &[&max]);
    assert_rule(
        Format::RecordKey,
        &repeat('a', 513),
        &["513", "maximum is 512"],
    );
}

#[test]
fn record_key_case_sensitive() {
    assert_ne!(
        RecordKey::new("Self").unwrap(),
        RecordKey::new("self").unwrap()
    );
}

// ---------------------------------------------------------------------------
// tid
// ---------------------------------------------------------------------------

#[test]
fn tid_valid_and_invalid() {
    assert_valid(
        Format::Tid,
        &[
            "3jzfcijpj2z2a",
            "7777777777777",
            "3zzzzzzzzzzzz",
            "2222222222222",
            "jzzzzzzzzzzzz",
            "a222222222222",
        ],
    );
    assert_invalid(
        Format::Tid,
        &[
            "",
            "3jzfcijpj2z2",
            "3jzfcijpj2z2aa",
            "3jzfcijpj2z2A",
            "3JZFCIJPJ2Z2A",
            "o1111111111111",
            "3jzfcijpj2z21",
            "3jzfcijpj2z28",
            "3jzfcijpj2z20",
            "3jzfcijpj2z29",
            "kjzfcijpj2z2a",
            "zzzzzzzzzzzzz",
            "3jzf-cij-pj2z-2a",
            "3jzfcijpj2z2 ",
            " 3jzfcijpj2z2",
            "3jzfcijpj2z2é",
        ],
    );
}

#[test]
fn tid_rules_named() {
    assert_rule(Format::Tid, "3jzfcijpj2z2", &["exactly 13", "12"]);
    assert_rule(Format::Tid, "3jzfcijpj2z2aa", &["exactly 13", "14"]);
    assert_rule(Format::Tid, "3jzfcijpj2z2A", &["lowercase", "'A'"]);
    assert_rule(
        Format::Tid,
        "kjzfcijpj2z2a",
        &["first character", "'k'", "234567abcdefghij"],
    );
    assert_rule(
        Format::Tid,
        "3jzfcijpj2z21",
        &["'1'", "234567abcdefghijklmnopqrstuvwxyz"],
    );
    assert_rule(Format::Tid, "3jzf-ijpj2z2a", &["'-'"]);
}

// ---------------------------------------------------------------------------
// at-uri
// ---------------------------------------------------------------------------

#[test]
fn at_uri_valid() {
    assert_valid(
        Format::AtUri,
        &[
            "at://did:plc:asdf123",
            "at://user.bsky.social",
            "at://did:plc:asdf123/com.atproto.feed.post",
            "at://did:plc:asdf123/com.atproto.feed.post/record",
            "at://did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.feed.post/3jzfcijpj2z2a",
            "at://did:web:example.com/app.bsky.actor.profile/self",
            "at://did:plc:asdf123/com.atproto.feed.post/~1.2-3_",
            "at://did:plc:asdf123/com.atproto.feed.post/pre:fix",
            "at://user.bsky.social/app.bsky.feed.post/3jzfcijpj2z2a",
            "at://Handle.Example.COM/app.bsky.feed.post/self",
            "at://did:method:val%BB/com.example.foo",
        ],
    );
}

#[test]
fn at_uri_invalid() {
    assert_invalid(
        Format::AtUri,
        &[
            "",
            "a://did:plc:asdf123",
            "at//did:plc:asdf123",
            "at:/a/did:plc:asdf123",
            "at:/did:plc:asdf123",
            "AT://did:plc:asdf123",
            "http://did:plc:asdf123",
            "://did:plc:asdf123",
            "at:did:plc:asdf123",
            "did:plc:asdf123",
            "at://",
            "at:///",
            "at://did:plc:asdf123/",
            "at://user.bsky.social/",
            "at://did:plc:asdf123/com.atproto.feed.post/",
            "at://did:plc:asdf123/com.atproto.feed.post/record/",
            "at://did:plc:asdf123/com.atproto.feed.post/record/extra",
            "at://did:plc:asdf123//record",
            "at://did:plc:asdf123/com.atproto.feed.post//",
            "at://did:plc:asdf123/com.atproto.feed.post/record?x=1",
            "at://did:plc:asdf123/com.atproto.feed.post/record#/frag",
            "at://did:plc:asdf123#/frag",
            "at://did:plc:asdf123?q",
            "at://did:plc:asdf 123",
            "at://did:plc:asdf123/com.atproto.feed.post/rec ord",
            "at://did:plc:asdf123/com.atproto.feed.post/rec%20ord",
            "at://did:plc:asdf123/com.atproto.feed.post/.",
            "at://did:plc:asdf123/com.atproto.feed.post/..",
            "at://did:plc:asdf123/not-an-nsid",
            "at://did:plc:asdf123/com.atproto",
            "at://DID:plc:asdf123",
            "at://did:PLC:asdf123",
            "at://user",
            "at://-user.bsky.social",
            "at://user.bsky.social:8080",
            "at://did:plc:asdf123/com.atproto.feed.post/récord",
            " at://did:plc:asdf123",
            "at://did:plc:asdf123\n",
        ],
    );
}

#[test]
fn at_uri_rules_named() {
    assert_rule(Format::AtUri, "AT://did:plc:abc", &["lowercase", "at://"]);
    assert_rule(Format::AtUri, "https://did:plc:abc", &["at://"]);
    assert_rule(
        Format::AtUri,
        "at://did:plc:abc/",
        &["trailing '/'", "authority"],
    );
    assert_rule(
        Format::AtUri,
        "at://did:plc:abc/com.example.foo/",
        &["trailing '/'", "collection"],
    );
    assert_rule(
        Format::AtUri,
        "at://did:plc:abc/com.example.foo/self/",
        &["trailing '/'", "record key"],
    );
    assert_rule(
        Format::AtUri,
        "at://did:plc:abc/com.example.foo/self/more",
        &["too many path segments"],
    );
    assert_rule(Format::AtUri, "at://did:plc:abc?x", &["query"]);
    assert_rule(Format::AtUri, "at://did:plc:abc#x", &["fragment"]);
    assert_rule(Format::AtUri, "at://", &["authority", "empty"]);
    assert_rule(
        Format::AtUri,
        "at://did:PLC:abc",
        &["authority", "DID", "lowercase"],
    );
    assert_rule(
        Format::AtUri,
        "at://-a.com",
        &["authority", "handle", "hyphen"],
    );
    assert_rule(
        Format::AtUri,
        "at://did:plc:abc/com.example",
        &["collection", "NSID"],
    );
    assert_rule(
        Format::AtUri,
        "at://did:plc:abc/com.example.foo/..",
        &["record key"],
    );
    assert_rule(Format::AtUri, "at://did:plc:a b", &["whitespace"]);
}

#[test]
fn at_uri_length_limit() {
    // The longest valid parts (2048 + 317 + 512) stay well below 8 KiB, so
    // only the upper bound itself can be probed.
    let did = format!("did:plc:{}", repeat('a', 2040));
    let authority = format!(
        "{}.{}.{}.{}",
        repeat('a', 63),
        repeat('a', 63),
        repeat('a', 63),
        repeat('b', 61)
    );
    let nsid = format!("{authority}.{}", repeat('c', 63));
    let longest = format!("at://{did}/{nsid}/{}", repeat('k', 512));
    assert_valid(Format::AtUri, &[&longest]);
    let too_long = format!("at://did:plc:{}", repeat('a', 8192 - 13 + 1));
    assert_eq!(too_long.len(), 8193);
    assert_rule(Format::AtUri, &too_long, &["8193", "maximum is 8192"]);
}

// ---------------------------------------------------------------------------
// datetime
// ---------------------------------------------------------------------------

#[test]
fn datetime_valid() {
    assert_valid(
        Format::Datetime,
        &[
            "1985-04-12T23:20:50.123Z",
            "1985-04-12T23:20:50.123456Z",
            "1985-04-12T23:20:50.120Z",
            "1985-04-12T23:20:50.120000Z",
            "1985-04-12T23:20:50.1Z",
            "1985-04-12T23:20:50.1234567890123456789012345Z",
            "1985-04-12T23:20:50Z",
            "1985-04-12T23:20:50.123+00:00",
            "1985-04-12T23:20:50.123-07:00",
            "1985-04-12T23:20:50+23:59",
            "1985-04-12T23:20:50-23:59",
            "0001-01-01T00:00:00Z",
            "0000-01-01T00:00:00Z",
            "0000-01-01T00:00:00-01:00",
            "0000-01-01T01:00:00+01:00",
            "0000-01-02T00:00:00+23:59",
            "9999-12-31T23:59:59.999Z",
            "2024-02-29T00:00:00Z",
            "2000-02-29T00:00:00Z",
            "1600-02-29T00:00:00Z",
            "2023-01-31T00:00:00Z",
            "2023-04-30T00:00:00Z",
            "2023-12-31T23:59:59Z",
        ],
    );
}

#[test]
fn datetime_invalid() {
    assert_invalid(
        Format::Datetime,
        &[
            "",
            "1985-04-12",
            "1985-04-12T23:20Z",
            "1985-04-12T23:20:5Z",
            "1985-04-12T23:20:50.Z",
            "1985-04-12T23:20:50",
            "1985-04-12T23:20:50.123",
            "1985-04-12t23:20:50.123Z",
            "1985-04-12T23:20:50.123z",
            "1985-04-12 23:20:50.123Z",
            "1985-04-12T23:20:50.123-00:00",
            "1985-04-12T23:20:50.123+0000",
            "1985-04-12T23:20:50.123+00",
            "1985-04-12T23:20:50.123+24:00",
            "1985-04-12T23:20:50.123+00:60",
            "1985-04-12T23:20:50.123Z ",
            " 1985-04-12T23:20:50.123Z",
            "1985-04-12T23:20:50.123ZZ",
            "1985-04-12T23:20:50,123Z",
            "85-04-12T23:20:50.123Z",
            "+1985-04-12T23:20:50.123Z",
            "-1985-04-12T23:20:50.123Z",
            "01985-04-12T23:20:50.123Z",
            "1985-4-12T23:20:50.123Z",
            "1985-04-1T23:20:50.123Z",
            "1985-04-12T3:20:50.123Z",
            "1985/04/12T23:20:50.123Z",
            "1985-04-12T23-20-50.123Z",
            "2023-13-01T00:00:00Z",
            "2023-00-01T00:00:00Z",
            "2023-01-00T00:00:00Z",
            "2023-01-32T00:00:00Z",
            "2023-04-31T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "1900-02-29T00:00:00Z",
            "2024-02-30T00:00:00Z",
            "2023-01-01T24:00:00Z",
            "2023-01-01T23:60:00Z",
            "2023-01-01T23:59:60Z",
            "2023-01-01T23:59:61Z",
            "0000-01-01T00:00:00+01:00",
            "0000-01-01T00:59:59+01:00",
            "0000-01-01T00:00:00+00:01",
            "1985-04-12T23:20:50.123Z\u{0}",
            "1985-04-12T23:20:50.123Zé",
            "1985-04-12T23:20:50.123Z\u{a0}",
            "1985-04-12T23:20:50.123 Z",
            "now",
        ],
    );
}

#[test]
fn datetime_rules_named() {
    assert_rule(
        Format::Datetime,
        "2024-13-01T00:00:00Z",
        &["month 13", "01-12"],
    );
    assert_rule(
        Format::Datetime,
        "2024-01-00T00:00:00Z",
        &["day 00", "out of range"],
    );
    assert_rule(
        Format::Datetime,
        "2023-02-29T00:00:00Z",
        &["day 29", "2023-02", "28 days"],
    );
    assert_rule(
        Format::Datetime,
        "1900-02-29T00:00:00Z",
        &["day 29", "1900-02"],
    );
    assert_rule(
        Format::Datetime,
        "2024-01-01T24:00:00Z",
        &["hour 24", "00-23"],
    );
    assert_rule(Format::Datetime, "2024-01-01T00:60:00Z", &["minute 60"]);
    assert_rule(Format::Datetime, "2024-01-01T00:00:60Z", &["second 60"]);
    assert_rule(Format::Datetime, "2024-01-01T00:00:00-00:00", &["-00:00"]);
    assert_rule(Format::Datetime, "2024-01-01t00:00:00Z", &["uppercase 'T'"]);
    assert_rule(Format::Datetime, "2024-01-01T00:00:00z", &["uppercase 'Z'"]);
    assert_rule(
        Format::Datetime,
        "2024-01-01T00:00Z",
        &["seconds are required"],
    );
    assert_rule(
        Format::Datetime,
        "2024-01-01T00:00",
        &["seconds are required"],
    );
    assert_rule(
        Format::Datetime,
        "2024-01-01T00:00:00.Z",
        &["fraction", "at least one digit"],
    );
    assert_rule(
        Format::Datetime,
        "2024-01-01T00:00:00",
        &["timezone is required"],
    );
    assert_rule(
        Format::Datetime,
        "2024-01-01T00:00:00.5",
        &["timezone is required"],
    );
    assert_rule(Format::Datetime, "2024-01-01", &["time is required"]);
    assert_rule(
        Format::Datetime,
        "0000-01-01T00:00:00+01:00",
        &["before year 0"],
    );
    assert_rule(
        Format::Datetime,
        "+2024-01-01T00:00:00Z",
        &["4 digits", "sign"],
    );
    assert_rule(
        Format::Datetime,
        "12024-01-01T00:00:00Z",
        &["4 digits", "5"],
    );
    assert_rule(Format::Datetime, "2024-01-01T00:00:00+0100", &["±HH:MM"]);
    assert_rule(
        Format::Datetime,
        "2024-01-01T00:00:00+25:00",
        &["offset hour 25"],
    );
    assert_rule(
        Format::Datetime,
        "2024-01-01T00:00:00+01:60",
        &["offset minute 60"],
    );
    assert_rule(
        Format::Datetime,
        "2024-01-01T00:00:00ZZ",
        &["after the timezone"],
    );
    assert_rule(Format::Datetime, "2024-01-01 00:00:00Z", &["'T'", "space"]);
}

#[test]
fn datetime_round_trips_verbatim() {
    for v in [
        "2024-02-29T12:00:00.000000001+05:30",
        "1985-04-12T23:20:50Z",
    ] {
        let dt = Datetime::new(v).unwrap();
        assert_eq!(dt.as_str(), v);
        assert_eq!(dt.to_string(), v);
    }
}

// ---------------------------------------------------------------------------
// cid
// ---------------------------------------------------------------------------

/// sha2-256("hello lexicon") as `CIDv1` dag-cbor (0x71) in various multibases,
/// plus dag-pb (0x70) for base58btc, and the `CIDv0` of the same multihash.
const CID_B32: &str = "bafyreihac7e2smbvmcovut7ygoosq4vynkxj4mjr5kox726xjfxujqp6au";

fn hex_cid(header: &[u8], digest: &[u8]) -> String {
    let mut s = String::from("f");
    for b in header.iter().chain(digest) {
        let _ = write!(s, "{b:02x}");
    }
    s
}

#[test]
fn cid_valid() {
    // The string format is a syntax check: 8-256 chars of [A-Za-z0-9+=],
    // whatever the multibase, whether or not the string decodes.
    assert_valid(
        Format::Cid,
        &[
            CID_B32,
            "bafyreidfayvfuwqa7qlnopdjiqrxzs6blmoeu4rujcjtnci5beludirz2a",
            "BAFYREIHAC7E2SMBVMCOVUT7YGOOSQ4VYNKXJ4MJR5KOX726XJFXUJQP6AU",
            "zdj7WkWfSYxqvJpLDxvD8pquFzXEFRPXpP4xeTHiUQykSs6Gk",
            "MAXESIOAXyakwNWCdWk+4M50ocrhqrp4xMeqdf+vXSW9Ewf4F===",
            "bafkqablimvwgy3y",
            // Syntactically fine, though none of these decodes.
            "bafyreihac7e2smbvmcovut7ygoosq4vynkxj4mjr5kox726xjfxujqp6",
            "babyreihac7e2smbvmcovut7ygoosq4vynkxj4mjr5kox726xjfxujqp6au",
            "xafyreihac7e2smbvmcovut7ygoosq4vynkxj4mjr5kox726xjfxujqp6au",
            "12345678",
            "qmdRR57tzSqDTWezUPsE2t9xc3DwpGxw6L3m3g2Jw1JC6p",
            "Q1234567",
        ],
    );
}

#[test]
fn cid_invalid() {
    assert_invalid(
        Format::Cid,
        &[
            "",
            "example.com",
            "https://example.com",
            "cid:bafyreidfayvfuwqa7qlnopdjiqrxzs6blmoeu4rujcjtnci5beludirz2a",
            "/ipfs/bafyreidfayvfuwqa7qlnopdjiqrxzs6blmoeu4rujcjtnci5beludirz2a",
            "b",
            "bafyrei",
            " bafyreidfayvfuwqa7qlnopdjiqrxzs6blmoeu4rujcjtnci5beludirz2a",
            "bafyreidfayvfuwqa7qlnopdjiqrxzs6blmoeu4rujcjtnci5beludirz2a\n",
            "bafyreidfayvfuwqa7qlnopdjiqrxzs6blmoeu4rujcjtnci5beludirz2é",
            "uAXESIOAXyakwNWCdWk_4M50ocrhqrp4xMeqdf-vXSW9Ewf4F",
            "mAXESIOAXyakwNWCdWk/4M50ocrhqrp4xMeqdf+vXSW9Ewf4F",
            // CIDv0 is not allowed in this version of atproto.
            "QmdRR57tzSqDTWezUPsE2t9xc3DwpGxw6L3m3g2Jw1JC6p",
            "Qm345678",
        ],
    );
}

#[test]
fn cid_rules_named() {
    assert_rule(
        Format::Cid,
        "ipfs://bafyreidfayvfuwqa7qlnopdjiqrxzs6blmoeu4rujcjtnci5beludirz2a",
        &["scheme"],
    );
    assert_rule(Format::Cid, "bafyrei", &["7", "minimum is 8"]);
    assert_rule(Format::Cid, &repeat('b', 257), &["257", "maximum is 256"]);
    assert_rule(
        Format::Cid,
        "QmdRR57tzSqDTWezUPsE2t9xc3DwpGxw6L3m3g2Jw1JC6p",
        &["CIDv0"],
    );
    assert_rule(Format::Cid, "bafy/reihac7e2", &["'/'", "'+' and '='"]);
}

/// `decode_cid` is the strict operation: codec and digest, canonical bases.
fn assert_decodes(values: &[&str]) {
    for v in values {
        if let Err(e) = decode_cid(v) {
            panic!("{v:?} should decode, got: {e}");
        }
    }
}

fn assert_decode_rule(value: &str, needles: &[&str]) {
    let err = match decode_cid(value) {
        Ok(parts) => panic!("{value:?} should not decode, got {parts:?}"),
        Err(e) => e,
    };
    assert_eq!(err.format(), Format::Cid);
    for needle in needles {
        assert!(
            err.rule().contains(needle),
            "decoding {value:?} should mention {needle:?}; got {:?}",
            err.rule()
        );
    }
}

#[test]
fn decode_cid_valid() {
    assert_decodes(&[
        CID_B32,
        "bafyreidfayvfuwqa7qlnopdjiqrxzs6blmoeu4rujcjtnci5beludirz2a",
        "bafkreihac7e2smbvmcovut7ygoosq4vynkxj4mjr5kox726xjfxujqp6au",
        "BAFYREIHAC7E2SMBVMCOVUT7YGOOSQ4VYNKXJ4MJR5KOX726XJFXUJQP6AU",
        "cafyreihac7e2smbvmcovut7ygoosq4vynkxj4mjr5kox726xjfxujqp6au======",
        "zdj7WkWfSYxqvJpLDxvD8pquFzXEFRPXpP4xeTHiUQykSs6Gk",
        "f01711220e017c9a93035609d5a4ff8339d2872b86aae9e3131ea9d7febd7496f44c1fe05",
        "F01711220E017C9A93035609D5A4FF8339D2872B86AAE9E3131EA9D7FEBD7496F44C1FE05",
        "mAXESIOAXyakwNWCdWk/4M50ocrhqrp4xMeqdf+vXSW9Ewf4F",
        "MAXESIOAXyakwNWCdWk/4M50ocrhqrp4xMeqdf+vXSW9Ewf4F",
        "uAXESIOAXyakwNWCdWk_4M50ocrhqrp4xMeqdf-vXSW9Ewf4F",
        "k2jvslaz4rqpghb7mqazflp3y6a637t03tkkl9xcds7j9psqnf8e3c3p",
        "v05oh48702v4qic1lc2elkjvo6eeigslodan9sc9htaenvqun95nk9gfu0k",
        "QmdRR57tzSqDTWezUPsE2t9xc3DwpGxw6L3m3g2Jw1JC6p",
        "bafkqablimvwgy3y",
        // sha2-512 digest
        "f01711340a4abd4448c49562d828115d13a1fccea927f52b4d5459297f8b43e42da89238bc13626e43dcb38ddb082488927ec904fb42057443983e88585179d50551afe62",
    ]);
    // Digest of exactly 128 bytes is accepted; 129 is not.
    let ok = hex_cid(&[0x01, 0x55, 0x13, 0x80, 0x01], &[0x11; 128]);
    assert_decodes(&[&ok]);
    let too_big = hex_cid(&[0x01, 0x55, 0x13, 0x81, 0x01], &[0x11; 129]);
    assert_decode_rule(&too_big, &["129", "128"]);
}

#[test]
fn decode_cid_parts() {
    let parts = Cid::new(CID_B32).unwrap().decode().unwrap();
    assert_eq!((parts.version, parts.codec, parts.hash), (1, 0x71, 0x12));
    assert_eq!(parts.digest.len(), 32);
    assert_eq!(parts.bytes.len(), 36);
    assert_eq!(&parts.bytes[..4], &[0x01, 0x71, 0x12, 0x20]);
    assert_eq!(parts.bytes[4..], parts.digest[..]);
    let v0 = decode_cid("QmdRR57tzSqDTWezUPsE2t9xc3DwpGxw6L3m3g2Jw1JC6p").unwrap();
    assert_eq!((v0.version, v0.codec, v0.hash), (0, 0x70, 0x12));
    // The same multihash as the CIDv1 above.
    assert_eq!(v0.digest, parts.digest);
}

#[test]
fn decode_cid_invalid() {
    for v in [
        "",
        "example.com",
        "ipfs://bafyreidfayvfuwqa7qlnopdjiqrxzs6blmoeu4rujcjtnci5beludirz2a",
        ".",
        "12345",
        "b",
        "bafyrei",
        "bafyreidfayvfuwqa7qlnopdjiqrxzs6blmoeu4rujcjtnci5beludirz2a ",
        // mixed case base32
        "bAFYREIHAC7E2SMBVMCOVUT7YGOOSQ4VYNKXJ4MJR5KOX726XJFXUJQP6AU",
        // bare multihash (CIDv0 bytes) in multibase form
        "bciqoaf6jveydkye5ljh7qm45fbzlq2votyytd2u5p7v5oslpita74bi",
        // padding in an unpadded base, missing padding in a padded one
        "bafyreihac7e2smbvmcovut7ygoosq4vynkxj4mjr5kox726xjfxujqp6au======",
        "cafyreihac7e2smbvmcovut7ygoosq4vynkxj4mjr5kox726xjfxujqp6au",
        // CIDv0 with a wrong length / prefix / alphabet
        "QmdRR57tzSqDTWezUPsE2t9xc3DwpGxw6L3m3g2Jw1JC6",
        "QmdRR57tzSqDTWezUPsE2t9xc3DwpGxw6L3m3g2Jw1JC6pp",
        "QmdRR57tzSqDTWezUPsE2t9xc3DwpGxw6L3m3g2Jw1JC60",
        "qmdRR57tzSqDTWezUPsE2t9xc3DwpGxw6L3m3g2Jw1JC6p",
        // base58 alphabet excludes 0, O, I, l
        "zdj7WkWfSYxqvJpLDxvD8pquFzXEFRPXpP4xeTHiUQykSs60",
        // odd-length hex
        "f01711220e017c9a93035609d5a4ff8339d2872b86aae9e3131ea9d7febd7496f44c1fe0",
    ] {
        assert!(decode_cid(v).is_err(), "{v:?} should not decode");
    }
}

#[test]
fn decode_cid_rules_named() {
    assert_decode_rule(
        "bafyreihac7e2smbvmcovut7ygoosq4vynkxj4mjr5kox726xjfxujqp6",
        &["truncated"],
    );
    assert_decode_rule(
        "bafyreihac7e2smbvmcovut7ygoosq4vynkxj4mjr5kox726xjfxujqp6auaa",
        &["trailing"],
    );
    assert_decode_rule(
        "babyreihac7e2smbvmcovut7ygoosq4vynkxj4mjr5kox726xjfxujqp6au",
        &["version 0"],
    );
    assert_decode_rule(
        "bajyreihac7e2smbvmcovut7ygoosq4vynkxj4mjr5kox726xjfxujqp6au",
        &["version 2"],
    );
    assert_decode_rule("bafkqaaa", &["digest length is 0"]);
    assert_decode_rule(
        "bAFYREIHAC7E2SMBVMCOVUT7YGOOSQ4VYNKXJ4MJR5KOX726XJFXUJQP6AU",
        &["'A'", "base32"],
    );
    assert_decode_rule("QmdRR57tzSqDTWezUPsE2t9xc3DwpGxw6L3m3g2Jw1JC6", &["46"]);
    assert_decode_rule(
        "xafyreihac7e2smbvmcovut7ygoosq4vynkxj4mjr5kox726xjfxujqp6au",
        &["multibase prefix", "'x'"],
    );
    assert_decode_rule(&format!("f{}", repeat('0', 600)), &["maximum is 512"]);
}

// ---------------------------------------------------------------------------
// uri
// ---------------------------------------------------------------------------

#[test]
fn uri_valid() {
    assert_valid(
        Format::Uri,
        &[
            "https://example.com",
            "https://example.com/path?query=1&x=%20#frag",
            "http://localhost:8080/",
            "at://did:plc:abc/app.bsky.feed.post/123",
            "did:plc:z72i7hdynmk6r22z27h6tvur",
            "dns:example.com",
            "mailto:alice@example.com",
            "urn:isbn:0451450523",
            "hTTPS://EXAMPLE.COM",
            "h2:x",
            "a:b",
            "ipfs://bafyreidfayvfuwqa7qlnopdjiqrxzs6blmoeu4rujcjtnci5beludirz2a",
            "https://example.com/[]{}|^`<>\"\\",
            // RFC 3986 scheme characters: '+', '-', '.' after the first letter.
            "git+ssh://example.com",
            "view-source:https://example.com",
            "content-type:text/plain",
            "microsoft.windows.camera:x",
            // Anything non-blank after the ':'.
            "https:///path",
            "file:///etc/passwd",
            "https://",
            "a://",
        ],
    );
}

#[test]
fn uri_invalid() {
    assert_invalid(
        Format::Uri,
        &[
            "",
            "example.com",
            "/relative/path",
            "//example.com",
            ":nothing",
            "https:",
            "https://exa mple.com",
            "https://example.com/\tx",
            " https://example.com",
            "https://example.com ",
            "https://example.com/é",
            "https://example.com/\u{7f}",
            "1http://example.com",
            "+http://example.com",
            "HTTPS://EXAMPLE.COM",
            "my_scheme:x",
            "my scheme:x",
        ],
    );
}

#[test]
fn uri_rules_named() {
    assert_rule(Format::Uri, "example.com", &["scheme"]);
    assert_rule(Format::Uri, "1http://x", &["scheme", "lowercase letter"]);
    assert_rule(Format::Uri, "Http://x", &["scheme", "lowercase letter"]);
    assert_rule(Format::Uri, "git_ssh://x", &["'_'", "scheme"]);
    assert_rule(Format::Uri, "https:", &["nothing follows"]);
    assert_rule(Format::Uri, "https://a b", &["whitespace", "byte 9"]);
    assert_rule(Format::Uri, "https://ä", &["non-ASCII"]);
    let max = format!("https://{}", repeat('a', 8184));
    assert_eq!(max.len(), 8192);
    assert_valid(Format::Uri, &[&max]);
    assert_rule(
        Format::Uri,
        &format!("{max}a"),
        &["8193", "maximum is 8192"],
    );
}

// ---------------------------------------------------------------------------
// language
// ---------------------------------------------------------------------------

#[test]
fn language_valid() {
    assert_valid(
        Format::Language,
        &[
            "ja",
            "ban",
            "pt-BR",
            "en-US",
            "en-us",
            "zh-Hant",
            "zh-Hant-TW",
            "zh-hant-tw",
            "es-419",
            "sr-Latn-RS",
            "sl-rozaj",
            "sl-rozaj-biske",
            "sl-nedis",
            "de-CH-1901",
            "de-1996",
            "hy-Latn-IT-arevela",
            "zh-cmn-Hans-CN",
            "zh-yue-HK",
            "ar-afb-aao-abh",
            "en-a-bbb-x-a-ccc",
            "en-US-u-islamcal",
            "de-DE-u-co-phonebk",
            "en-u-foo-1996",
            "en-a-myext-b-another",
            "fr-x-foo",
            "x-whatever",
            "X-whatever",
            "x-a-b-c-12345678",
            "qaa-Qaaa-QM-x-southern",
            "en-GB-oed",
            "i-default",
            "I-DEFAULT",
            "i-klingon",
            "sgn-BE-FR",
            "art-lojban",
            "zh-min-nan",
            "ZH-HAKKA",
            "en-Latn-US-valencia-u-ca-gregory-x-private",
        ],
    );
}

#[test]
fn language_invalid() {
    assert_invalid(
        Format::Language,
        &[
            "",
            "e",
            "EN",
            "En-US",
            "english1",
            "abcdefghi",
            "en-",
            "-en",
            "en--US",
            "en_US",
            "en US",
            "en-US ",
            " en",
            "en-a",
            "en-a-x-foo",
            "x",
            "x-",
            "en-x",
            "en-x-abcdefghi",
            "de-DE-1901-1901",
            "sl-rozaj-ROZAJ",
            "en-a-foo-a-bar",
            "en-a-foo-A-bar",
            "ar-afb-aao-abh-abv",
            "en-US-Latn",
            "en-1996-US",
            "ab-c",
            "1en",
            "i-foo",
            "a-DE",
            // 4-8-letter primary subtags are invalid.
            "abcd",
            "abcd-US",
            "abcdefgh",
            "en-ü",
            "日本語",
        ],
    );
}

#[test]
fn language_rules_named() {
    assert_rule(Format::Language, "EN", &["primary", "lowercase"]);
    assert_rule(
        Format::Language,
        "en-US-1901-1901",
        &["\"1901\"", "more than once"],
    );
    assert_rule(
        Format::Language,
        "sl-rozaj-ROZAJ",
        &["variant", "more than once"],
    );
    assert_rule(
        Format::Language,
        "en-a-foo-A-bar",
        &["singleton", "\"A\"", "more than once"],
    );
    assert_rule(
        Format::Language,
        "en-a",
        &["extension \"a\"", "at least one subtag"],
    );
    assert_rule(Format::Language, "x", &["private use"]);
    assert_rule(Format::Language, "en-x", &["private use"]);
    assert_rule(
        Format::Language,
        "en-abcdefghi",
        &["9 characters", "maximum is 8"],
    );
    assert_rule(Format::Language, "en--US", &["empty subtag"]);
    assert_rule(Format::Language, "en-US-Latn", &["\"Latn\"", "position"]);
    assert_rule(
        Format::Language,
        "ar-afb-aao-abh-abv",
        &["extended language", "at most 3"],
    );
    assert_rule(Format::Language, "en_US", &["'_'"]);
    assert_rule(Format::Language, "abcd", &["primary", "4 letters", "2-3"]);
    assert_rule(Format::Language, "abcdefgh", &["primary", "8 letters"]);
}

#[test]
fn language_many_variants_do_not_blow_up() {
    // Thousands of distinct variants: accepted, and quickly.
    let mut tag = String::from("en");
    let mut n = 0u32;
    while tag.len() < 60_000 {
        let _ = write!(tag, "-v{n:06}");
        n += 1;
    }
    assert_valid(Format::Language, &[&tag]);
    // The same with one repeat at the very end: rejected.
    tag.push_str("-v000007");
    assert_rule(Format::Language, &tag, &["\"v000007\"", "more than once"]);
}

// ---------------------------------------------------------------------------
// Newtype API and serde
// ---------------------------------------------------------------------------

#[test]
fn newtype_api() {
    let nsid = Nsid::new(String::from("app.bsky.feed.post")).unwrap();
    assert_eq!(nsid.as_str(), "app.bsky.feed.post");
    assert_eq!(AsRef::<str>::as_ref(&nsid), "app.bsky.feed.post");
    assert_eq!(format!("{nsid}"), "app.bsky.feed.post");
    assert_eq!(Nsid::FORMAT, Format::Nsid);
    let from_str: Nsid = "app.bsky.feed.post".parse().unwrap();
    assert_eq!(from_str, nsid);
    let try_owned = Nsid::try_from(String::from("app.bsky.feed.post")).unwrap();
    let try_borrowed = Nsid::try_from("app.bsky.feed.post").unwrap();
    assert_eq!(try_owned, try_borrowed);
    assert_eq!(String::from(nsid.clone()), "app.bsky.feed.post");
    assert_eq!(nsid.into_string(), "app.bsky.feed.post");

    let err = "app.bsky".parse::<Nsid>().unwrap_err();
    assert_eq!(err.format(), Format::Nsid);
    assert!(Tid::try_from("nope").is_err());
    assert!(Uri::try_from(String::from("nope")).is_err());

    assert_eq!(Cid::FORMAT, Format::Cid);
    assert_eq!(Datetime::FORMAT, Format::Datetime);
    assert_eq!(Did::FORMAT, Format::Did);
    assert_eq!(Language::FORMAT, Format::Language);
    assert_eq!(RecordKey::FORMAT, Format::RecordKey);
    assert_eq!(Tid::FORMAT, Format::Tid);
    assert_eq!(Uri::FORMAT, Format::Uri);
    assert_eq!(AtUri::FORMAT, Format::AtUri);

    // Ordering and hashing work on the string value.
    let mut set = std::collections::BTreeSet::new();
    set.insert(Tid::new("3jzfcijpj2z2b").unwrap());
    set.insert(Tid::new("3jzfcijpj2z2a").unwrap());
    assert_eq!(
        set.iter().map(Tid::as_str).collect::<Vec<_>>(),
        ["3jzfcijpj2z2a", "3jzfcijpj2z2b"]
    );
    let mut hashed = std::collections::HashSet::new();
    hashed.insert(Language::new("en").unwrap());
    assert!(hashed.contains(&Language::new("en").unwrap()));
}

/// Deserializes `json` as `T` and re-serializes it, expecting identical output.
fn round_trip<T>(value: &str)
where
    T: serde::de::DeserializeOwned + serde::Serialize,
{
    let json = serde_json::to_string(value).unwrap();
    let parsed: T =
        serde_json::from_str(&json).unwrap_or_else(|e| panic!("{value:?} should deserialize: {e}"));
    assert_eq!(serde_json::to_string(&parsed).unwrap(), json);
    // Through an owned `serde_json::Value` (the `visit_string` path) too.
    let parsed: T = serde_json::from_value(serde_json::Value::String(value.to_owned())).unwrap();
    assert_eq!(serde_json::to_string(&parsed).unwrap(), json);
}

/// Deserializing `value` as `T` fails with a message containing `needle`.
fn rejects<T>(value: &str, needle: &str)
where
    T: serde::de::DeserializeOwned + std::fmt::Debug,
{
    let json = serde_json::to_string(value).unwrap();
    let err = serde_json::from_str::<T>(&json).unwrap_err().to_string();
    assert!(
        err.contains(needle),
        "{value:?}: {err:?} should contain {needle:?}"
    );
    let err = serde_json::from_value::<T>(serde_json::Value::String(value.to_owned()))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(needle),
        "{value:?}: {err:?} should contain {needle:?}"
    );
}

#[test]
fn serde_round_trips_byte_identically() {
    round_trip::<Handle>("Alice.Bsky.Social");
    round_trip::<Did>("did:plc:z72i7hdynmk6r22z27h6tvur");
    round_trip::<AtIdentifier>("did:web:example.com");
    round_trip::<AtIdentifier>("UPPER.example.COM");
    round_trip::<Nsid>("com.Example.fooBar");
    round_trip::<AtUri>("at://did:plc:abc/app.bsky.feed.post/3jzfcijpj2z2a");
    round_trip::<RecordKey>("~1.2-3_");
    round_trip::<Tid>("3jzfcijpj2z2a");
    round_trip::<Datetime>("2024-02-29T23:59:59.123456789+05:30");
    round_trip::<Cid>(CID_B32);
    round_trip::<Uri>("https://example.com/a?b=c#d");
    round_trip::<Language>("zh-Hant-TW");

    // Escaped JSON strings (not borrowable) also work.
    let h: Handle = serde_json::from_str(r#""alice.b\u0073ky.social""#).unwrap();
    assert_eq!(h.as_str(), "alice.bsky.social");

    // Inside a structure.
    let v: Vec<AtIdentifier> = serde_json::from_str(r#"["alice.test","did:plc:abc"]"#).unwrap();
    assert!(v[0].is_handle() && v[1].is_did());
    assert_eq!(
        serde_json::to_string(&v).unwrap(),
        r#"["alice.test","did:plc:abc"]"#
    );
}

#[test]
fn serde_rejects_invalid_values_naming_the_rule() {
    rejects::<Handle>("-ab.com", "starts with a hyphen");
    rejects::<Handle>(" alice.test", "leading whitespace");
    rejects::<Did>("did:PLC:abc", "lowercase");
    rejects::<AtIdentifier>("did:plc:", "identifier");
    rejects::<Nsid>("com.example", "three segments");
    rejects::<AtUri>("at://did:plc:abc/", "trailing '/'");
    rejects::<RecordKey>("..", "\"..\"");
    rejects::<Tid>("3jzfcijpj2z2", "exactly 13");
    rejects::<Datetime>("2023-02-29T00:00:00Z", "day 29");
    rejects::<Datetime>("2024-01-01T00:00:00-00:00", "-00:00");
    rejects::<Cid>("bafkqaa", "minimum is 8");
    rejects::<Uri>("example.com", "scheme");
    rejects::<Language>("EN", "lowercase");

    // Not a string at all.
    let err = serde_json::from_str::<Handle>("42")
        .unwrap_err()
        .to_string();
    assert!(err.contains("handle"), "{err}");
    assert!(serde_json::from_str::<Tid>("null").is_err());
}

// ---------------------------------------------------------------------------
// Property tests
// ---------------------------------------------------------------------------

fn days_in_month(year: u32, month: u32) -> u32 {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn handle_strategy() -> impl Strategy<Value = String> {
    (
        prop::collection::vec("[a-zA-Z0-9]([a-zA-Z0-9-]{0,20}[a-zA-Z0-9])?", 1..5),
        "[a-zA-Z]([a-zA-Z0-9-]{0,20}[a-zA-Z0-9])?",
    )
        .prop_map(|(labels, tld)| format!("{}.{tld}", labels.join(".")))
}

fn did_strategy() -> impl Strategy<Value = String> {
    ("[a-z]{1,10}", "[a-zA-Z0-9._:%-]{0,40}[a-zA-Z0-9._-]")
        .prop_map(|(method, id)| format!("did:{method}:{id}"))
}

fn tid_strategy() -> impl Strategy<Value = String> {
    "[234567a-j][234567a-z]{12}"
}

fn nsid_strategy() -> impl Strategy<Value = String> {
    (
        "[a-zA-Z]([a-zA-Z0-9-]{0,20}[a-zA-Z0-9])?",
        prop::collection::vec("[a-zA-Z0-9]([a-zA-Z0-9-]{0,20}[a-zA-Z0-9])?", 1..4),
        "[a-zA-Z][a-zA-Z0-9]{0,30}",
    )
        .prop_map(|(first, middle, name)| format!("{first}.{}.{name}", middle.join(".")))
}

fn record_key_strategy() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9._:~-]{1,80}".prop_filter("not . or ..", |s| s != "." && s != "..")
}

fn datetime_strategy() -> impl Strategy<Value = String> {
    (
        1u32..=9999,
        1u32..=12,
        0u32..31,
        (0u32..24, 0u32..60, 0u32..60),
        prop::option::of("[0-9]{1,12}"),
        prop_oneof![
            Just(None),
            (any::<bool>(), 0u32..24, 0u32..60).prop_map(Some)
        ],
    )
        .prop_map(|(year, month, day0, (h, mi, s), fraction, zone)| {
            let day = day0 % days_in_month(year, month) + 1;
            let fraction = fraction.map(|f| format!(".{f}")).unwrap_or_default();
            let zone = match zone {
                None => "Z".to_owned(),
                // -00:00 is invalid: use + for a zero offset.
                Some((negative, oh, om)) => {
                    let sign = if negative && (oh, om) != (0, 0) {
                        '-'
                    } else {
                        '+'
                    };
                    format!("{sign}{oh:02}:{om:02}")
                }
            };
            format!("{year:04}-{month:02}-{day:02}T{h:02}:{mi:02}:{s:02}{fraction}{zone}")
        })
}

/// Inserts `c` into `s` at the char index `pos % (len + 1)` (all generated
/// values are ASCII, so char and byte indexes agree).
fn insert_at(s: &str, pos: usize, c: char) -> String {
    let at = pos % (s.len() + 1);
    let mut out = String::with_capacity(s.len() + c.len_utf8());
    out.push_str(&s[..at]);
    out.push(c);
    out.push_str(&s[at..]);
    out
}

fn forbidden_char() -> impl Strategy<Value = char> {
    prop::sample::select(vec![
        ' ', '/', '@', 'é', '\n', '\t', '\u{0}', '日', '\u{a0}',
    ])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn prop_valid_handles_accepted(h in handle_strategy()) {
        prop_assume!(h.len() <= 253);
        prop_assert!(check_handle(&h).is_ok(), "{:?}: {:?}", h, check_handle(&h));
        let parsed = Handle::new(h.clone()).unwrap();
        prop_assert_eq!(parsed.as_str(), h.as_str());
        prop_assert!(check_at_identifier(&h).is_ok());
        prop_assert!(check_handle(&h.to_ascii_uppercase()).is_ok());
    }

    #[test]
    fn prop_mutated_handles_rejected(h in handle_strategy(), pos in any::<usize>(), c in forbidden_char()) {
        let bad = insert_at(&h, pos, c);
        prop_assert!(check_handle(&bad).is_err(), "{:?}", bad);
    }

    #[test]
    fn prop_valid_dids_accepted(d in did_strategy()) {
        prop_assert!(check_did(&d).is_ok(), "{:?}: {:?}", d, check_did(&d));
        prop_assert!(AtIdentifier::new(d.clone()).unwrap().is_did());
    }

    #[test]
    fn prop_mutated_dids_rejected(d in did_strategy(), pos in any::<usize>(), c in forbidden_char()) {
        let bad = insert_at(&d, pos, c);
        prop_assert!(check_did(&bad).is_err(), "{:?}", bad);
    }

    #[test]
    fn prop_valid_tids_accepted(t in tid_strategy()) {
        prop_assert!(check_tid(&t).is_ok(), "{:?}", t);
        prop_assert!(check_record_key(&t).is_ok(), "a TID is a record key: {:?}", t);
    }

    #[test]
    fn prop_mutated_tids_rejected(t in tid_strategy(), pos in any::<usize>(), c in forbidden_char()) {
        let bad = insert_at(&t, pos, c);
        prop_assert!(check_tid(&bad).is_err(), "{:?}", bad);
    }

    #[test]
    fn prop_valid_nsids_accepted(n in nsid_strategy()) {
        prop_assert!(check_nsid(&n).is_ok(), "{:?}: {:?}", n, check_nsid(&n));
    }

    #[test]
    fn prop_mutated_nsids_rejected(n in nsid_strategy(), pos in any::<usize>(), c in forbidden_char()) {
        let bad = insert_at(&n, pos, c);
        prop_assert!(check_nsid(&bad).is_err(), "{:?}", bad);
    }

    #[test]
    fn prop_valid_record_keys_accepted(k in record_key_strategy()) {
        prop_assert!(check_record_key(&k).is_ok(), "{:?}", k);
    }

    #[test]
    fn prop_mutated_record_keys_rejected(k in record_key_strategy(), pos in any::<usize>(), c in forbidden_char()) {
        let bad = insert_at(&k, pos, c);
        prop_assert!(check_record_key(&bad).is_err(), "{:?}", bad);
    }

    #[test]
    fn prop_valid_datetimes_accepted(dt in datetime_strategy()) {
        prop_assert!(check_datetime(&dt).is_ok(), "{:?}: {:?}", dt, check_datetime(&dt));
    }

    #[test]
    fn prop_mutated_datetimes_rejected(dt in datetime_strategy(), pos in any::<usize>(), c in forbidden_char()) {
        let bad = insert_at(&dt, pos, c);
        prop_assert!(check_datetime(&bad).is_err(), "{:?}", bad);
    }

    #[test]
    fn prop_valid_at_uris_accepted(
        authority in prop_oneof![handle_strategy(), did_strategy()],
        collection in nsid_strategy(),
        rkey in record_key_strategy(),
    ) {
        prop_assume!(authority.len() <= 253 || authority.starts_with("did:"));
        for uri in [
            format!("at://{authority}"),
            format!("at://{authority}/{collection}"),
            format!("at://{authority}/{collection}/{rkey}"),
        ] {
            prop_assert!(check_at_uri(&uri).is_ok(), "{:?}: {:?}", uri, check_at_uri(&uri));
            prop_assert!(check_uri(&uri).is_ok(), "an at-uri is a uri: {:?}", uri);
        }
    }

    #[test]
    fn prop_mutated_at_uris_rejected(
        authority in prop_oneof![handle_strategy(), did_strategy()],
        collection in nsid_strategy(),
        rkey in record_key_strategy(),
        pos in any::<usize>(),
        c in prop::sample::select(vec![' ', '@', '#', '?', 'é', '\n', '\u{0}']),
    ) {
        let uri = format!("at://{authority}/{collection}/{rkey}");
        let bad = insert_at(&uri, pos, c);
        prop_assert!(check_at_uri(&bad).is_err(), "{:?}", bad);
    }

    #[test]
    fn prop_checks_never_panic(s in "\\PC{0,40}") {
        for format in Format::ALL {
            let _ = format.check(&s);
        }
    }

    #[test]
    fn prop_checks_never_panic_on_near_valid(s in "[a-zA-Z0-9:./#?%@_~+-]{0,40}") {
        for format in Format::ALL {
            if let Err(e) = format.check(&s) {
                prop_assert!(!e.rule().is_empty());
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Handle and DID: agreement with a reference implementation
// ---------------------------------------------------------------------------
//
// `check_handle` and `check_did` answer most valid values from a block-wise
// fast path and leave everything else to the detailed checker. These tests
// compare them with a plain transcription of the rules (LEXICON-RULES.md §6)
// on every length around the block sizes (8, 16, 17, 33...) and the limits
// (63-byte labels, 253-byte handles), with each interesting byte at each
// position.

/// The handle rule, label by label.
fn reference_handle(s: &str) -> bool {
    let labels: Vec<&str> = s.split('.').collect();
    let label_ok = |l: &&str| {
        (1..=63).contains(&l.len())
            && l.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    s.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(label_ok)
        && labels
            .last()
            .is_some_and(|tld| !tld.starts_with(|c: char| c.is_ascii_digit()))
}

/// The DID rule: `did:`, a `[a-z]+` method, `:`, then an identifier matching
/// `[A-Za-z0-9._:%-]*[A-Za-z0-9._-]`; at most 2048 bytes.
fn reference_did(s: &str) -> bool {
    let Some((method, id)) = s.strip_prefix("did:").and_then(|r| r.split_once(':')) else {
        return false;
    };
    s.len() <= 2048
        && !method.is_empty()
        && method.bytes().all(|c| c.is_ascii_lowercase())
        && id
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || b"._:%-".contains(&c))
        && id.ends_with(|c: char| c.is_ascii_alphanumeric() || "._-".contains(c))
}

/// Checks `s` as a handle, a DID and an at-identifier against the references.
fn assert_checks_agree(s: &str) -> (bool, bool) {
    let (handle, did) = (reference_handle(s), reference_did(s));
    assert_eq!(check_handle(s).is_ok(), handle, "check_handle({s:?})");
    assert_eq!(check_did(s).is_ok(), did, "check_did({s:?})");
    let at_identifier = if s.starts_with("did:") { did } else { handle };
    assert_eq!(
        check_at_identifier(s).is_ok(),
        at_identifier,
        "check_at_identifier({s:?})"
    );
    (handle, did)
}

/// [`assert_checks_agree`], and the same through the newtypes.
fn assert_agrees(s: &str) {
    let (handle, did) = assert_checks_agree(s);
    assert_eq!(Handle::new(s).is_ok(), handle, "Handle::new({s:?})");
    assert_eq!(Did::new(s).is_ok(), did, "Did::new({s:?})");
}

/// `pattern` repeated and cut to `len` bytes, after `prefix`.
fn cycled(prefix: &str, pattern: &str, len: usize) -> String {
    let mut s = prefix.to_owned();
    s.extend(
        pattern
            .chars()
            .cycle()
            .take(len.saturating_sub(prefix.len())),
    );
    s.truncate(len);
    s
}

/// Bytes that each break or keep one rule, put at each position.
const PROBE_BYTES: &[u8] = b".-/:%_@ \t\x00\x7f0Az";

/// Checks `base` and every variant of it with one byte replaced by a probe
/// byte or one non-ASCII char inserted, at the positions `at` selects.
fn sweep(base: &str, at: impl Fn(usize) -> bool) {
    assert_agrees(base);
    for pos in (0..base.len()).filter(|&p| at(p)) {
        for &probe in PROBE_BYTES {
            let mut bytes = base.as_bytes().to_vec();
            bytes[pos] = probe;
            assert_checks_agree(std::str::from_utf8(&bytes).unwrap());
        }
        for wide in ['é', '\u{80}', '日'] {
            assert_checks_agree(&insert_at(base, pos, wide));
        }
    }
}

/// Positions worth probing in a value of `len` bytes: all of them when it is
/// short, else those near the ends and (up to 300 bytes) the 16-byte block
/// boundaries.
fn probe_position(len: usize) -> impl Fn(usize) -> bool {
    move |p| len <= 72 || p < 20 || p + 20 > len || (len <= 300 && matches!(p % 16, 0 | 1 | 15))
}

#[test]
fn handle_fast_path_agrees_with_reference_at_every_length() {
    let l63 = format!("{}.", repeat('a', 63));
    let l64 = format!("{}.", repeat('b', 64));
    for len in (1..=72).chain(126..=130).chain(249..=256) {
        let shapes = [
            cycled("", "ab1-c.d2", len),
            cycled("", "a.", len),
            cycled("", "x-", len) + ".com",
            format!("{}.com", repeat('a', len.saturating_sub(4))),
            format!("a.{}", repeat('b', len.saturating_sub(2))),
            format!("a1.{}", cycled("", "xn--q.", len.saturating_sub(3))),
            cycled("", &l63, len) + "z",
            cycled("", &l64, len) + "z",
            cycled("", "A9", len.saturating_sub(5)) + ".co.Z",
        ];
        for base in shapes {
            sweep(&base, probe_position(base.len()));
        }
    }
}

#[test]
fn did_fast_path_agrees_with_reference_at_every_length() {
    for len in (1..=72).chain(126..=130).chain(2047..=2049) {
        let shapes = [
            cycled("did:plc:", "z72i7hdy", len),
            cycled("did:web:", "sub.do-main_x%3A:", len) + "a",
            cycled("did:key:", "zQ3sH", len),
            cycled("did:a:", "-", len),
            cycled("did:", "abcdefghij:x", len),
            cycled("did:", "abcdefg:x", len),
            cycled("did:", "abcdefgh:x", len),
            cycled("did:", "abcdefghi:x", len),
        ];
        for base in shapes {
            sweep(&base, probe_position(base.len()));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn prop_handle_like_strings_agree_with_reference(s in "[a-zA-Z0-9.-]{0,300}") {
        assert_agrees(&s);
    }

    #[test]
    fn prop_structured_handles_agree_with_reference(
        labels in prop::collection::vec("[a-z0-9-]{0,66}", 1..6),
        tld in "[a-z0-9-]{0,10}",
    ) {
        assert_agrees(&format!("{}.{tld}", labels.join(".")));
    }

    #[test]
    fn prop_did_like_strings_agree_with_reference(s in "did:[a-zA-Z:]{0,12}[a-zA-Z0-9._:%/@-]{0,80}") {
        assert_agrees(&s);
    }

    #[test]
    fn prop_mutated_handles_and_dids_agree_with_reference(
        value in prop_oneof![handle_strategy(), did_strategy()],
        pos in any::<usize>(),
        byte in 0u8..0x80,
        delete in any::<bool>(),
    ) {
        let mut bytes = value.into_bytes();
        let at = pos % bytes.len();
        if delete {
            bytes.remove(at);
        } else {
            bytes[at] = byte;
        }
        assert_agrees(std::str::from_utf8(&bytes).unwrap());
    }
}
