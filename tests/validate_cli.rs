//! `lexgen validate`, driven in-process through `atproto_lexgen::cli::run`:
//! output lines, JSON Lines, exit codes 0/1/2, def and body resolution, and
//! clear errors for what cannot be validated.

use lexgen_tests::{lexgen, repo_path};
use std::path::{Path, PathBuf};

const CID: &str = "bafyreid6nonhpc3zkuseclg64hwp3b6wjvb2awvuce25zfw4e55jx22lty";

fn fixtures() -> String {
    repo_path("tests/fixtures/lexicons").display().to_string()
}

fn real() -> String {
    repo_path("lexicons").display().to_string()
}

/// Writes `text` to a file in `dir`.
fn file(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path
}

/// Runs `lexgen validate --lexicons LEX --def DEF [extra...] FILE`.
fn validate(lexicons: &str, def: &str, extra: &[&str], input: &Path) -> (i32, String, String) {
    let mut args = vec!["validate", "--lexicons", lexicons, "--def", def];
    args.extend_from_slice(extra);
    let input = input.display().to_string();
    args.push(&input);
    lexgen(args)
}

#[test]
fn one_valid_document_exits_0() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let f = file(
        tmp.path(),
        "ok.json",
        r#"{"text": "hello 👋🏽", "color": "red"}"#,
    );
    let (code, out, err) = validate(&fixtures(), "com.example.strings", &[], &f);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "ok\n");
    assert_eq!(
        err,
        "lexgen: 1 value(s) checked against com.example.strings: 0 invalid\n"
    );
}

#[test]
fn a_pretty_printed_document_is_one_value() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let f = file(
        tmp.path(),
        "doc.json",
        "{\n  \"text\": \"0123456789x\",\n  \"tags\": [\n    \"a\"\n  ]\n}\n",
    );
    let (code, out, _) = validate(&fixtures(), "com.example.strings", &[], &f);
    assert_eq!(code, 1);
    assert_eq!(out, "invalid text: maxGraphemes 10, got 11\n");
}

#[test]
fn a_broken_document_is_one_syntax_error() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let f = file(
        tmp.path(),
        "doc.json",
        "{\n  \"text\": \"x\",\n  \"tags\": [\"a\",]\n}\n",
    );
    let (code, out, _) = validate(&fixtures(), "com.example.strings", &[], &f);
    assert_eq!(code, 1);
    assert_eq!(
        out,
        "invalid: not JSON: trailing comma at line 3 column 16\n"
    );
}

#[test]
fn json_lines_give_one_line_per_value_in_order() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let input = [
        r#"{"text": "fine"}"#,
        "",
        r#"{"text": "👍👍👍👍👍👍👍👍"}"#,
        r#"{"text": "a\u0301a\u0301a\u0301a\u0301a\u0301a\u0301a\u0301a\u0301a\u0301a\u0301"}"#,
        r#"{"text": "x", "short": "é"}"#,
        "   ",
        r#"{"color": "red"}"#,
        r#"{"text": "x", "tags": ["a", "b", "c", "d"]}"#,
        r#"{"text": "x", "color": 5}"#,
        r#"{"text": oops}"#,
        r#"{"text": "x", "text": "y"}"#,
        r#"{"text": "last"}"#,
    ]
    .join("\n");
    let f = file(tmp.path(), "data.jsonl", &input);
    let (code, out, err) = validate(&fixtures(), "com.example.strings", &[], &f);
    assert_eq!(code, 1, "{err}");
    let expected = [
        "ok",
        "invalid text: maxLength 30, got 32 (UTF-8 bytes)",
        "ok",
        "invalid short: minGraphemes 2, got 1",
        "invalid: missing required field `text`",
        "invalid tags: maxLength 3, got 4 elements",
        "invalid color: invalid type: integer `5`, expected a string",
        "invalid: not JSON: expected value at line 10 column 10",
        "invalid text: duplicate key",
        "ok",
    ];
    assert_eq!(out.lines().collect::<Vec<_>>(), expected);
    assert_eq!(
        err,
        "lexgen: 10 value(s) checked against com.example.strings: 7 invalid\n"
    );
}

#[test]
fn all_valid_json_lines_exit_0() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let f = file(
        tmp.path(),
        "n.jsonl",
        "{\"count\": 0}\n{\"count\": 10, \"level\": 2}\n{\"count\": 5, \"negative\": -1}\n",
    );
    let (code, out, _) = validate(&fixtures(), "com.example.numbers", &[], &f);
    assert_eq!(code, 0);
    assert_eq!(out, "ok\nok\nok\n");
}

#[test]
fn records_and_their_type() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let lines = [
        r#"{"$type": "com.example.record", "createdAt": "2024-01-01T00:00:00Z", "maybe": null}"#.to_owned(),
        r#"{"createdAt": "2024-01-01T00:00:00Z", "maybe": null}"#.to_owned(),
        r#"{"$type": "com.example.recorb", "createdAt": "2024-01-01T00:00:00Z", "maybe": null}"#.to_owned(),
        format!(
            r#"{{"$type": "com.example.record", "createdAt": "2024-01-01T00:00:00Z", "maybe": null, "avatar": {{"$type": "blob", "ref": {{"$link": "{CID}"}}, "mimeType": "image/png", "size": 1001}}}}"#
        ),
        r#"{"$type": "com.example.record", "createdAt": "2024-01-01T00:00:00Z", "maybe": null, "data": {"$bytes": "AQIDBAUGBwgJ"}}"#.to_owned(),
    ];
    let f = file(tmp.path(), "r.jsonl", &lines.join("\n"));
    let (code, out, _) = validate(&fixtures(), "com.example.record", &[], &f);
    assert_eq!(code, 1);
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        [
            "ok",
            r#"invalid: missing `$type` (a record carries "$type": "com.example.record")"#,
            r#"invalid $type: expected "com.example.record", got "com.example.recorb""#,
            "invalid avatar: maxSize 1000, got size 1001",
            "invalid data: maxLength 8, got 9 bytes",
        ]
    );
}

#[test]
fn real_lexicons_post_records() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let post = |fields: &str| {
        format!(
            r#"{{"$type": "app.bsky.feed.post", "createdAt": "2024-06-01T12:00:00.000Z"{fields}}}"#
        )
    };
    let lines = [
        post(r#", "text": "hello", "langs": ["en"]"#),
        post(&format!(r#", "text": "{}""#, "👍🏽".repeat(301))),
        post(&format!(r#", "text": "{}""#, "€".repeat(1001))),
        post(r#", "text": "", "langs": ["en", "fr", "de", "es"]"#),
        post(
            r#", "text": "", "embed": {"$type": "app.bsky.embed.images", "images": [{"alt": ""}]}"#,
        ),
        post(r#", "text": "", "embed": {"$type": "app.example.newEmbed", "x": 1}"#),
    ];
    let f = file(tmp.path(), "posts.jsonl", &lines.join("\n"));
    let (code, out, _) = validate(&real(), "app.bsky.feed.post", &[], &f);
    assert_eq!(code, 1);
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        [
            "ok",
            "invalid text: maxGraphemes 300, got 301",
            "invalid text: maxLength 3000, got 3003 (UTF-8 bytes)",
            "invalid langs: maxLength 3, got 4 elements",
            "invalid embed.images[0]: missing required field `image`",
            "ok",
        ]
    );
}

#[test]
fn endpoint_bodies_and_their_defaults() {
    let tmp = tempfile::tempdir().expect("tempdir");
    // A procedure validates its input by default; --body output its output.
    let input = file(
        tmp.path(),
        "in.json",
        r#"{"identifier": "alice.bsky.social", "password": "hunter2"}"#,
    );
    let (code, out, _) = validate(&real(), "com.atproto.server.createSession", &[], &input);
    assert_eq!((code, out.as_str()), (0, "ok\n"));
    let seed = repo_path("tests/data/createSession-response.json");
    let (code, out, err) = validate(
        &real(),
        "com.atproto.server.createSession",
        &["--body", "output"],
        &seed,
    );
    assert_eq!((code, out.as_str()), (0, "ok\n"), "{err}");
    assert!(
        err.contains("com.atproto.server.createSession output"),
        "{err}"
    );
    // The seed output is not valid input.
    let (code, out, _) = validate(&real(), "com.atproto.server.createSession", &[], &seed);
    assert_eq!(
        (code, out.as_str()),
        (1, "invalid: missing required field `identifier`\n")
    );

    // A query validates its output by default; params on request.
    let page = file(
        tmp.path(),
        "page.json",
        r#"{"items": [{"count": 1}, {"count": 99}]}"#,
    );
    let (code, out, _) = validate(&fixtures(), "com.example.query", &[], &page);
    assert_eq!(
        (code, out.as_str()),
        (1, "invalid items[1].count: maximum 10, got 99\n")
    );
    let params = file(tmp.path(), "params.jsonl", "{\"actor\": \"alice.test\", \"limit\": 50}\n{\"actor\": \"alice.test\", \"limit\": 500}\n{\"limit\": 5}\n");
    let (code, out, _) = validate(
        &fixtures(),
        "com.example.query",
        &["--body", "params"],
        &params,
    );
    assert_eq!(code, 1);
    assert_eq!(
        out,
        "ok\ninvalid limit: maximum 100, got 500\ninvalid: missing required field `actor`\n"
    );

    // A subscription validates its messages (an open union).
    let messages = file(
        tmp.path(),
        "m.jsonl",
        "{\"$type\": \"com.example.stream#event\", \"seq\": 1}\n{\"$type\": \"com.example.stream#event\"}\n{\"$type\": \"com.example.stream#later\"}\n{\"seq\": 2}\n",
    );
    let (code, out, _) = validate(&fixtures(), "com.example.stream", &[], &messages);
    assert_eq!(code, 1);
    assert_eq!(
        out,
        "ok\ninvalid: missing required field `seq`\nok\ninvalid: missing `$type` (required on union members)\n"
    );

    // An input given as a ref to another lexicon's object.
    let n = file(tmp.path(), "n.json", r#"{"count": 12}"#);
    let (code, out, _) = validate(&fixtures(), "com.example.jsonl", &[], &n);
    assert_eq!(
        (code, out.as_str()),
        (1, "invalid count: maximum 10, got 12\n")
    );
    // A union output.
    let v = file(
        tmp.path(),
        "v.json",
        r#"{"$type": "com.example.unions#video", "seconds": 0}"#,
    );
    let (code, out, _) = validate(&fixtures(), "com.example.upload", &["--body", "output"], &v);
    assert_eq!(
        (code, out.as_str()),
        (1, "invalid seconds: minimum 1, got 0\n")
    );
}

#[test]
fn alias_defs_apply_their_rules_at_the_root() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let f = file(
        tmp.path(),
        "s.jsonl",
        "[1, 2]\n[]\n[1, -1]\n[1, 2, 3, 4, 5]\n",
    );
    let (code, out, _) = validate(&fixtures(), "com.example.numbers#scores", &[], &f);
    assert_eq!(code, 1);
    assert_eq!(
        out,
        "ok\ninvalid: minLength 1, got 0 elements\ninvalid [1]: minimum 0, got -1\ninvalid: maxLength 4, got 5 elements\n"
    );
    let f = file(tmp.path(), "t.jsonl", "\"12345\"\n\"123456\"\n");
    let (code, out, _) = validate(&fixtures(), "com.example.strings#shortText", &[], &f);
    assert_eq!(
        (code, out.as_str()),
        (1, "ok\ninvalid: maxGraphemes 5, got 6\n")
    );
}

/// Asserts exit 2, no stdout, and `needle` on stderr.
#[track_caller]
fn usage_error(result: (i32, String, String), needle: &str) {
    let (code, out, err) = result;
    assert_eq!(code, 2, "{out}{err}");
    assert_eq!(out, "");
    assert!(err.contains(needle), "expected {needle:?} in:\n{err}");
}

#[test]
fn unknown_names_exit_2_with_a_suggestion() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let f = file(tmp.path(), "x.json", "{}");
    usage_error(
        validate(&fixtures(), "com.example.strngs", &[], &f),
        r#"lexgen: no lexicon "com.example.strngs" was found; did you mean "com.example.strings"?"#,
    );
    usage_error(
        validate(&real(), "app.bsky.feed.psot", &[], &f),
        r#"did you mean "app.bsky.feed.post"?"#,
    );
    usage_error(
        validate(&fixtures(), "com.example.strings#usesDef", &[], &f),
        r#"lexgen: lexicon "com.example.strings" has no def "usesDef"; did you mean "com.example.strings#usesDefs"?"#,
    );
    usage_error(
        validate(&fixtures(), "com.example.strings#zzzzzzzz", &[], &f),
        r#"has no def "zzzzzzzz" (its defs: main, purpose, shortText, usesDefs)"#,
    );
    usage_error(
        validate(&fixtures(), "#main", &[], &f),
        "invalid def \"#main\"",
    );
    usage_error(
        validate(&fixtures(), "com.example.strings#", &[], &f),
        "invalid def",
    );
}

#[test]
fn defs_that_are_not_data_exit_2() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let f = file(tmp.path(), "x.json", "{}");
    usage_error(
        validate(&fixtures(), "com.example.tokens#paused", &[], &f),
        "com.example.tokens#paused is a token (a string constant), not a data type",
    );
    usage_error(
        validate(&fixtures(), "com.example.permissions", &[], &f),
        "com.example.permissions is a permission set, not a data type",
    );
    usage_error(
        validate(&fixtures(), "com.example.upload", &[], &f),
        r#"the input of com.example.upload is "*/*", not JSON"#,
    );
    usage_error(
        validate(&fixtures(), "com.example.jsonl", &["--body", "output"], &f),
        r#"the output of com.example.jsonl is "application/jsonl", not JSON"#,
    );
    usage_error(
        validate(&fixtures(), "com.example.query", &["--body", "input"], &f),
        "com.example.query has no input schema; try --body params or --body output",
    );
    usage_error(
        validate(&fixtures(), "com.example.query", &["--body", "message"], &f),
        "com.example.query has no message schema",
    );
    usage_error(
        validate(&fixtures(), "com.example.strings", &["--body", "output"], &f),
        "--body applies to query, procedure and subscription defs; com.example.strings is none of those",
    );
}

#[test]
fn bad_usage_and_bad_input_exit_2() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let f = file(tmp.path(), "x.json", "{}");
    let fx = fixtures();
    let path = f.display().to_string();
    // Missing --def; unknown --body value.
    usage_error(lexgen(["validate", "--lexicons", &fx, &path]), "--def");
    usage_error(
        lexgen([
            "validate",
            "--lexicons",
            &fx,
            "--def",
            "com.example.query",
            "--body",
            "reply",
            &path,
        ]),
        "reply",
    );
    // A file that does not exist; an empty file.
    usage_error(
        validate(
            &fx,
            "com.example.strings",
            &[],
            &tmp.path().join("missing.json"),
        ),
        "lexgen: cannot read",
    );
    let empty = file(tmp.path(), "empty.jsonl", "\n  \n");
    usage_error(
        validate(&fx, "com.example.strings", &[], &empty),
        "no JSON value in",
    );
    // Broken lexicons are reported like `lint` does.
    let lex = tmp.path().join("lexicons");
    std::fs::create_dir_all(lex.join("com/bad")).expect("mkdir");
    std::fs::write(
        lex.join("com/bad/thing.json"),
        r##"{"lexicon": 1, "id": "com.bad.thing", "defs": {"main": {"type": "object", "properties": {"a": {"type": "ref", "ref": "#nope"}}}}}"##,
    )
    .expect("write");
    usage_error(
        validate(&lex.display().to_string(), "com.bad.thing", &[], &f),
        "has no def \"nope\"",
    );
    usage_error(
        validate(
            &tmp.path().join("nowhere").display().to_string(),
            "com.bad.thing",
            &[],
            &f,
        ),
        "nowhere",
    );
}

#[test]
fn help_lists_the_usage() {
    let (code, out, _) = lexgen(["validate", "--help"]);
    assert_eq!(code, 0);
    for needle in [
        "--def <NSID[#name]>",
        "--body <BODY>",
        "[FILE]",
        "input",
        "output",
        "params",
        "message",
        "--lexicons",
    ] {
        assert!(out.contains(needle), "{needle} missing from:\n{out}");
    }
}
