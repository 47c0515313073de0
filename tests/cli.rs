//! The `lexgen` CLI: exit codes, drift reports, and failed runs leaving the
//! output directory untouched.

use lexgen_tests::{copy_dir, lexgen, repo_path, snapshot_dir};
use std::fs;
use std::path::Path;

fn fixture_lexicons(dir: &Path) {
    copy_dir(&repo_path("tests/fixtures/lexicons"), dir);
}

fn generate(lexicons: &Path, out: &Path) -> (i32, String, String) {
    lexgen([
        "generate",
        "--lexicons",
        lexicons.to_str().expect("utf-8 path"),
        "--out",
        out.to_str().expect("utf-8 path"),
    ])
}

fn check(lexicons: &Path, out: &Path) -> (i32, String, String) {
    lexgen([
        "check",
        "--lexicons",
        lexicons.to_str().expect("utf-8 path"),
        "--out",
        out.to_str().expect("utf-8 path"),
    ])
}

#[test]
fn check_passes_on_the_repository() {
    let (code, out, err) = lexgen([
        "check",
        "--lexicons",
        repo_path("lexicons").to_str().expect("path"),
        "--out",
        repo_path("generated").to_str().expect("path"),
        "--runtime-path",
        repo_path("codegen/runtime").to_str().expect("path"),
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("up to date"));
}

#[test]
fn check_exits_1_on_drift_with_a_unified_diff() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (lex, out) = (tmp.path().join("lexicons"), tmp.path().join("out"));
    fixture_lexicons(&lex);
    assert_eq!(generate(&lex, &out).0, 0);
    assert_eq!(check(&lex, &out).0, 0);

    // Change a lexicon description: one file changes.
    let path = lex.join("com/example/numbers.json");
    let text = fs::read_to_string(&path).expect("read").replace(
        "\"type\": \"object\"",
        "\"type\": \"object\", \"description\": \"Now documented.\"",
    );
    fs::write(&path, text).expect("write");
    // Remove one generated file, and one lexicon: its file becomes stale.
    fs::remove_file(out.join("src/com/example/cycle.rs")).expect("remove");
    fs::remove_file(lex.join("com/example/jsonl.json")).expect("remove");

    let (code, stdout, _) = check(&lex, &out);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("missing: src/com/example/cycle.rs"),
        "{stdout}"
    );
    assert!(
        stdout.contains("extra:   src/com/example/jsonl.rs"),
        "{stdout}"
    );
    assert!(
        stdout.contains("changed: src/com/example/numbers.rs"),
        "{stdout}"
    );
    assert!(
        stdout.contains("--- a/src/com/example/numbers.rs"),
        "{stdout}"
    );
    assert!(stdout.contains("+/// Now documented."), "{stdout}");

    // generate fixes everything, and check agrees.
    assert_eq!(generate(&lex, &out).0, 0);
    assert_eq!(check(&lex, &out).0, 0);
    assert!(!out.join("src/com/example/gone.rs").exists());
}

#[test]
fn broken_lexicon_exits_2_and_leaves_the_output_untouched() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (lex, out) = (tmp.path().join("lexicons"), tmp.path().join("out"));
    fixture_lexicons(&lex);
    assert_eq!(generate(&lex, &out).0, 0);
    let before = snapshot_dir(&out);

    fs::write(
        lex.join("com/example/numbers.json"),
        r##"{"lexicon": 1, "id": "com.example.numbers", "defs": {"main": {"type": "object", "properties": {"n": {"type": "ref", "ref": "#nowhere"}}}}}"##,
    )
    .expect("write");
    let (code, stdout, stderr) = generate(&lex, &out);
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(stderr.contains("numbers.json:1:"), "{stderr}");
    assert!(stderr.contains("defs.main.properties.n.ref"), "{stderr}");
    assert!(stderr.contains("has no def \"nowhere\""), "{stderr}");
    assert_eq!(
        snapshot_dir(&out),
        before,
        "output changed after a failed run"
    );

    let (code, _, stderr) = check(&lex, &out);
    assert_eq!(code, 2, "{stderr}");
    let (code, _, _) = lexgen(["lint", "--lexicons", lex.to_str().expect("path")]);
    assert_eq!(code, 2);
}

#[test]
fn invalid_json_exits_2_with_line_and_column() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (lex, out) = (tmp.path().join("lexicons"), tmp.path().join("out"));
    fs::create_dir_all(lex.join("com/example")).expect("mkdir");
    fs::write(
        lex.join("com/example/bad.json"),
        "{\n  \"lexicon\": 1,\n  \"id\": \"com.example.bad\",\n  \"defs\": {,}\n}",
    )
    .expect("write");
    let (code, _, stderr) = generate(&lex, &out);
    assert_eq!(code, 2);
    assert!(stderr.contains("bad.json:4:"), "{stderr}");
    assert!(!out.exists(), "nothing may be written");
}

#[test]
fn json_diagnostics_for_machines() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let lex = tmp.path().join("lexicons");
    fs::create_dir_all(lex.join("com/example")).expect("mkdir");
    fs::write(
        lex.join("com/example/x.json"),
        r#"{"lexicon": 1, "id": "com.example.x", "defs": {"main": {"type": "strng"}}}"#,
    )
    .expect("write");
    let (code, _, stderr) = lexgen([
        "lint",
        "--lexicons",
        lex.to_str().expect("path"),
        "--format",
        "json",
    ]);
    assert_eq!(code, 2);
    let diag: serde_json::Value =
        serde_json::from_str(stderr.lines().next().expect("a line")).expect("JSON diagnostic");
    assert_eq!(diag["path"], "defs.main.type");
    assert_eq!(diag["help"], "did you mean \"string\"?");
    assert_eq!(diag["line"], 1);
}

#[test]
fn usage_errors_exit_2_and_help_exits_0() {
    assert_eq!(lexgen(["generate", "--bogus"]).0, 2);
    assert_eq!(lexgen(["frobnicate"]).0, 2);
    assert_eq!(lexgen(["generate", "--help"]).0, 0);
    assert_eq!(lexgen(["--version"]).0, 0);
    let (code, _, stderr) = lexgen(["lint", "--lexicons", "/nonexistent/lexicons"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("lexicon directory not found"), "{stderr}");
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let case = repo_path("tests/broken/unknown-type-typo");
    let case = case.to_str().expect("path");
    let (code, _, plain) = lexgen(["lint", "--lexicons", case]);
    assert_eq!(code, 2);
    assert!(
        !plain.contains('\u{1b}'),
        "no colour when not on a terminal: {plain}"
    );
    let (_, _, coloured) = lexgen(["lint", "--lexicons", case, "--color", "always"]);
    assert!(coloured.contains("\u{1b}[1;31merror"), "{coloured}");
    let (_, _, never) = lexgen(["lint", "--lexicons", case, "--color", "never"]);
    assert_eq!(never, plain);
}
