//! Unions read as a stream: with `$type` first (what every writer emits),
//! the member is read straight from the input; with `$type` later, the
//! object is buffered and the member read from that. Both give the same
//! values, and the same errors at the same paths.

use atproto_types::app::bsky::feed::post;
use lexgen_fixture_types::com::example::unions;
use serde_json::Value;

/// A serde_json message without ` at line L column C`.
fn strip_position(msg: &str) -> &str {
    match msg.rfind(" at line ") {
        Some(i) if msg[i..].contains(" column ") => &msg[..i],
        _ => msg,
    }
}

fn decode(json: &str) -> Result<unions::Main, String> {
    serde_json::from_str(json).map_err(|e| e.to_string())
}

/// `{"open": <member>}` with the member's `$type` first, and the same
/// member with `$type` last.
fn both_orders(field: &str, tag: &str, rest: &str) -> (String, String) {
    let sep = if rest.is_empty() { "" } else { ", " };
    (
        format!(r#"{{"{field}": {{"$type": "{tag}"{sep}{rest}}}}}"#),
        format!(r#"{{"{field}": {{{rest}{sep}"$type": "{tag}"}}}}"#),
    )
}

/// Decodes both orders; they must give the same value or the same error
/// (message and path; the position in the input may differ).
fn same_either_way(field: &str, tag: &str, rest: &str) -> Result<unions::Main, String> {
    let (first, last) = both_orders(field, tag, rest);
    match (decode(&first), decode(&last)) {
        (Ok(a), Ok(b)) => {
            assert_eq!(a, b, "{first} vs {last}");
            let back = serde_json::to_value(&a).expect("serialize");
            assert_eq!(back, serde_json::from_str::<Value>(&first).expect("json"));
            Ok(a)
        }
        (Err(a), Err(b)) => {
            assert_eq!(strip_position(&a), strip_position(&b), "{first} vs {last}");
            Err(strip_position(&a).to_owned())
        }
        (a, b) => panic!("{first}: {a:?}\n{last}: {b:?}"),
    }
}

#[test]
fn type_first_and_type_later_give_the_same_value() {
    let main = same_either_way("open", "com.example.unions#image", r#""alt": "a cat""#).unwrap();
    assert!(matches!(main.open, Some(unions::MainOpen::Image(ref i)) if i.alt == "a cat"));
    // A record as a member: its own `$type` check is satisfied by the tag.
    let main = same_either_way(
        "open",
        "com.example.record",
        r#""createdAt": "2024-01-01T00:00:00Z", "maybe": null, "extraField": [1, {"a": true}]"#,
    )
    .unwrap();
    let Some(unions::MainOpen::Record(record)) = main.open else {
        panic!("not a record: {:?}", main.open);
    };
    assert_eq!(record.extra.len(), 1, "{:?}", record.extra);
    same_either_way("closed", "com.example.unions#video", r#""seconds": 3"#).unwrap();
    same_either_way("closed", "com.example.unions#video", "").unwrap();
    let (first, last) = both_orders("single", "com.example.unions#image", r#""alt": "b""#);
    assert_eq!(decode(&first).unwrap(), decode(&last).unwrap());
}

#[test]
fn unknown_members_are_kept_whole_either_way() {
    let main = same_either_way(
        "open",
        "com.example.future#thing",
        r#""x": 1, "deep": {"list": [true, null, "s"]}"#,
    )
    .unwrap();
    let Some(unions::MainOpen::Unknown(kept)) = &main.open else {
        panic!("not kept: {:?}", main.open);
    };
    assert_eq!(kept.type_tag(), "com.example.future#thing");
    assert_eq!(kept.as_map().len(), 3);
    let main = same_either_way("anything", "com.example.whatever", r#""n": 2"#).unwrap();
    assert_eq!(
        main.anything.as_ref().map(|a| a.type_tag()),
        Some("com.example.whatever")
    );
    // The data-model rules still apply to what is kept.
    assert_eq!(
        same_either_way("open", "com.example.future#thing", r#""x": 1.5"#).unwrap_err(),
        "open.x: 1.5 is not a 64-bit signed integer (the data model has no floats)"
    );
}

#[test]
fn a_wrong_type_is_rejected_the_same_either_way() {
    assert_eq!(
        same_either_way("closed", "com.example.other#thing", r#""seconds": 3"#).unwrap_err(),
        r#"closed.$type: "com.example.other#thing" is not one of ["com.example.unions#image", "com.example.unions#video"] (closed union)"#
    );
    for bad in [r#""""#, "7", "null", "[]", "{}", "true"] {
        for json in [
            format!(r#"{{"open": {{"$type": {bad}, "alt": "a"}}}}"#),
            format!(r#"{{"open": {{"alt": "a", "$type": {bad}}}}}"#),
        ] {
            let err = decode(&json).unwrap_err();
            assert_eq!(
                strip_position(&err),
                "open.$type: `$type` must be a non-empty string",
                "{json}"
            );
        }
    }
    assert_eq!(
        strip_position(&decode(r#"{"open": {}}"#).unwrap_err()),
        "open: missing `$type` (required on union members)"
    );
}

#[test]
fn errors_carry_the_same_path_either_way() {
    let long = r#""alt": "far too many graphemes""#;
    assert_eq!(
        same_either_way("open", "com.example.unions#image", long).unwrap_err(),
        "open.alt: maxGraphemes 10, got 22"
    );
    assert_eq!(
        same_either_way("open", "com.example.unions#image", "").unwrap_err(),
        "open: missing required field `alt`"
    );
    assert_eq!(
        same_either_way("closed", "com.example.unions#video", r#""seconds": "3""#).unwrap_err(),
        "invalid type: string \"3\", expected an integer (floats are not allowed) at `closed.seconds`"
    );
    assert_eq!(
        same_either_way("open", "com.example.record", r#""maybe": null"#).unwrap_err(),
        "open: missing required field `createdAt`"
    );
    // Duplicate keys, `$type` included.
    assert_eq!(
        same_either_way(
            "open",
            "com.example.unions#image",
            r#""alt": "a", "alt": "b""#
        )
        .unwrap_err(),
        "open.alt: duplicate key"
    );
    for tag in ["com.example.unions#image", "com.example.future#thing"] {
        let dup = format!(r#""alt": "a", "$type": "{tag}""#);
        assert_eq!(
            same_either_way("open", tag, &dup).unwrap_err(),
            "open.$type: duplicate key"
        );
    }
    // In arrays of unions, the index is in the path.
    let json = r#"{"many": [{"$type": "com.example.unions#video"}, {"$type": "com.example.unions#video", "seconds": 0}]}"#;
    assert_eq!(
        strip_position(&decode(json).unwrap_err()),
        "many[1].seconds: minimum 1, got 0"
    );
}

/// Streamed, an error is reported where the bad value is, not at the end of
/// the union object (which the buffered reader had to reach first).
#[test]
fn a_streamed_member_reports_errors_where_they_are() {
    let json = r#"{"open": {"$type": "com.example.unions#video", "seconds": "x", "padding": "........................................"}}"#;
    let err = decode(json).unwrap_err();
    let column: usize = err
        .rsplit(" column ")
        .next()
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("no column in {err}"));
    let bad = json.find(r#""x""#).expect("bad value");
    let after = json.find("padding").expect("padding");
    assert!(bad < column && column < after, "{err}");
}

/// Streamed, a member's nested objects are read like any other object, so a
/// duplicate key inside them is rejected (the buffered reader merged them).
#[test]
fn duplicate_keys_nested_in_a_member_are_rejected() {
    let json = r#"{"$type": "app.bsky.feed.post", "text": "hi", "createdAt": "2024-01-01T00:00:00Z", "embed": {"$type": "app.bsky.embed.external", "external": {"uri": "https://a.example", "uri": "https://b.example", "title": "t", "description": "d"}}}"#;
    let err = serde_json::from_str::<post::Record>(json).unwrap_err();
    assert_eq!(
        strip_position(&err.to_string()),
        "embed.external.uri: duplicate key"
    );
}

#[test]
fn debug_shows_a_union_as_its_object_type_first() {
    let main =
        decode(r#"{"open": {"$type": "com.example.unions#image", "alt": "a cat"}}"#).unwrap();
    let text = format!("{main:?}");
    assert!(
        text.contains(r#"open: {"$type": "com.example.unions#image", "alt": "a cat"}"#),
        "{text}"
    );
}
