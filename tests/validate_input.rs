//! How `lexgen validate` reads its input: one document or JSON Lines (and
//! the flags that force either), bytes that are not UTF-8, a byte order
//! mark. The splitting rule itself is unit-tested in
//! `codegen/src/datacheck/input.rs`; streaming memory in
//! `codegen/tests/binary.rs`.

use lexgen_tests::{lexgen, repo_path};
use std::path::Path;

/// Runs `lexgen validate --def com.example.strings [extra...] FILE` on `bytes`.
fn validate(bytes: &[u8], extra: &[&str]) -> (i32, String, String) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let file = tmp.path().join("data");
    std::fs::write(&file, bytes).expect("write");
    run(&file, extra)
}

fn run(file: &Path, extra: &[&str]) -> (i32, String, String) {
    let fx = repo_path("tests/fixtures/lexicons").display().to_string();
    let file = file.display().to_string();
    let mut args = vec![
        "validate",
        "--lexicons",
        &fx,
        "--def",
        "com.example.strings",
    ];
    args.extend_from_slice(extra);
    args.push(&file);
    lexgen(args)
}

/// A pretty-printed document of 13 lines.
const PRETTY: &str = r#"{
  "text": "hello",
  "short": "hé",
  "color": "red",
  "tags": [
    "a",
    "b"
  ],
  "nested": {
    "x": 1,
    "y": 2
  }
}
"#;

#[test]
fn a_pretty_document_with_a_syntax_error_is_one_error_with_its_position() {
    let (code, out, err) = validate(PRETTY.as_bytes(), &[]);
    assert_eq!((code, out.as_str()), (0, "ok\n"), "{err}");
    let missing_comma = PRETTY.replace("\"hé\",", "\"hé\"");
    let (code, out, err) = validate(missing_comma.as_bytes(), &[]);
    assert_eq!(code, 1);
    assert_eq!(
        out,
        "invalid: not JSON: expected `,` or `}` at line 4 column 3\n"
    );
    assert_eq!(
        err,
        "lexgen: 1 value(s) checked against com.example.strings: 1 invalid\n"
    );
    let unclosed = PRETTY.trim_end().trim_end_matches('}');
    let (code, out, _) = validate(unclosed.as_bytes(), &[]);
    assert_eq!(code, 1);
    assert_eq!(
        out,
        "invalid: not JSON: EOF while parsing an object at line 13 column 0\n"
    );
}

#[test]
fn jsonl_and_document_force_the_reading() {
    let two = b"{\"text\": \"a\"}\n{\"text\": \"b\"}\n";
    let (code, out, _) = validate(two, &["--document"]);
    assert_eq!(code, 1);
    assert_eq!(
        out,
        "invalid: not JSON: trailing characters at line 2 column 1\n"
    );
    let (code, out, _) = validate(PRETTY.as_bytes(), &["--jsonl"]);
    assert_eq!(code, 1);
    assert_eq!(out.lines().count(), 13);
    assert_eq!(
        out.lines().next(),
        Some("invalid: not JSON: EOF while parsing an object at line 1 column 1")
    );
    let (code, _, err) = validate(two, &["--jsonl", "--document"]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot be used with"), "{err}");
}

#[test]
fn a_line_that_is_not_utf8_is_invalid_and_the_others_are_read() {
    let input = b"{\"text\": \"a\"}\n{\"text\": \"b\"}\n{\"text\": \"c\"}\n{\"text\": \"d\xFF\"}\n{\"text\": \"0123456789x\"}\n{\"text\": \"f\"}\n";
    let (code, out, err) = validate(input, &[]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        [
            "ok",
            "ok",
            "ok",
            "invalid: not UTF-8: invalid byte at line 4 column 12",
            "invalid text: maxGraphemes 10, got 11",
            "ok"
        ]
    );
    assert_eq!(
        err,
        "lexgen: 6 value(s) checked against com.example.strings: 2 invalid\n"
    );
}

#[test]
fn a_byte_order_mark_is_accepted() {
    for input in [
        "\u{feff}{\"text\": \"a\"}\n{\"text\": \"b\"}\n".to_owned(),
        format!("\u{feff}{PRETTY}"),
    ] {
        let (code, out, err) = validate(input.as_bytes(), &[]);
        assert_eq!(code, 0, "{out}{err}");
        assert!(out.lines().all(|l| l == "ok"), "{out}");
    }
}
