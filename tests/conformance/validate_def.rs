//! `lexgen validate --def X` runs whenever the closure of X's lexicon
//! resolves: problems in unrelated lexicons of the directory are warnings
//! on stderr; X's own broken closure is still exit 2. `lint` and `generate`
//! stay strict about every lexicon.

use lexgen_tests::lexgen;
use std::fs;
use std::path::Path;

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn record(id: &str, field: &str) -> String {
    format!(
        r#"{{"lexicon": 1, "id": "{id}", "defs": {{"main": {{"type": "record", "key": "tid",
            "record": {{"type": "object", "required": ["text"], "properties": {{
                "text": {{"type": "string", "maxLength": 5}}, "other": {field} }}}}}}}}}}"#
    )
}

/// A directory where `com.example.good` (-> `com.example.defs`) is fine and
/// `com.example.unrelated` refers to a lexicon that is not there.
fn catalog() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let lex = tmp.path().join("lexicons");
    write(
        &lex,
        "com/example/good.json",
        &record(
            "com.example.good",
            r##"{"type": "ref", "ref": "com.example.defs#thing"}"##,
        ),
    );
    write(
        &lex,
        "com/example/defs.json",
        r#"{"lexicon": 1, "id": "com.example.defs", "defs": {"thing": {"type": "object", "properties": {"n": {"type": "integer", "maximum": 3}}}}}"#,
    );
    write(
        &lex,
        "com/example/unrelated.json",
        &record(
            "com.example.unrelated",
            r##"{"type": "ref", "ref": "app.bsky.actor.defs#profileView"}"##,
        ),
    );
    write(
        &tmp.path().join("data"),
        "ok.json",
        r#"{"$type": "com.example.good", "text": "hi", "other": {"n": 1}}"#,
    );
    write(
        &tmp.path().join("data"),
        "bad.json",
        r#"{"$type": "com.example.good", "text": "hi", "other": {"n": 9}}"#,
    );
    tmp
}

fn validate(dir: &Path, def: &str, data: &str) -> (i32, String, String) {
    let lex = dir.join("lexicons");
    let data = dir.join("data").join(data);
    lexgen([
        "validate",
        "--lexicons",
        lex.to_str().unwrap(),
        "--def",
        def,
        data.to_str().unwrap(),
    ])
}

#[test]
fn unrelated_dangling_ref_is_a_warning() {
    let tmp = catalog();
    let (code, out, err) = validate(tmp.path(), "com.example.good", "ok.json");
    assert_eq!((code, out.as_str()), (0, "ok\n"), "stderr: {err}");
    assert!(err.contains("warning"), "{err}");
    assert!(err.contains("app.bsky.actor.defs"), "{err}");
    assert!(err.contains("unrelated.json"), "{err}");
    // The closure's own rules still apply.
    let (code, out, _) = validate(tmp.path(), "com.example.good", "bad.json");
    assert_eq!(code, 1);
    assert_eq!(out, "invalid other.n: maximum 3, got 9\n");
    // A def inside the referenced lexicon works too.
    let lex = tmp.path().join("lexicons");
    let data = tmp.path().join("obj.json");
    fs::write(&data, r#"{"n": 2}"#).unwrap();
    let (code, out, _) = lexgen([
        "validate",
        "--lexicons",
        lex.to_str().unwrap(),
        "--def",
        "com.example.defs#thing",
        data.to_str().unwrap(),
    ]);
    assert_eq!((code, out.as_str()), (0, "ok\n"));
}

#[test]
fn a_broken_closure_is_still_an_error() {
    let tmp = catalog();
    let (code, out, err) = validate(tmp.path(), "com.example.unrelated", "ok.json");
    assert_eq!(code, 2, "{out}{err}");
    assert!(out.is_empty());
    assert!(err.contains("app.bsky.actor.defs"), "{err}");
    assert!(!err.contains("warning"), "{err}");
}

#[test]
fn lint_and_generate_stay_strict() {
    let tmp = catalog();
    let lex = tmp.path().join("lexicons");
    let (code, _, err) = lexgen(["lint", "--lexicons", lex.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    let out = tmp.path().join("out");
    let (code, _, err) = lexgen([
        "generate",
        "--lexicons",
        lex.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(!out.join("src").exists());
}

#[test]
fn an_unparsable_unrelated_file_is_a_warning_unless_needed() {
    let tmp = catalog();
    let lex = tmp.path().join("lexicons");
    fs::remove_file(lex.join("com/example/unrelated.json")).unwrap();
    write(&lex, "com/example/broken.json", "{ not json");
    let (code, out, err) = validate(tmp.path(), "com.example.good", "ok.json");
    assert_eq!((code, out.as_str()), (0, "ok\n"), "stderr: {err}");
    assert!(
        err.contains("warning") && err.contains("broken.json"),
        "{err}"
    );
    // When the closure needs a lexicon that is missing, the unparsable
    // file may be it: exit 2, naming both.
    fs::remove_file(lex.join("com/example/defs.json")).unwrap();
    let (code, _, err) = validate(tmp.path(), "com.example.good", "ok.json");
    assert_eq!(code, 2);
    assert!(
        err.contains("broken.json") && err.contains("com.example.defs"),
        "{err}"
    );
}

#[test]
fn json_format_marks_warnings() {
    let tmp = catalog();
    let lex = tmp.path().join("lexicons");
    let data = tmp.path().join("data/ok.json");
    let (code, _, err) = lexgen([
        "validate",
        "--format",
        "json",
        "--lexicons",
        lex.to_str().unwrap(),
        "--def",
        "com.example.good",
        data.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let first: serde_json::Value = serde_json::from_str(err.lines().next().unwrap()).unwrap();
    assert_eq!(first["severity"], "warning");
}
