//! What the CLI prints, as a promise: a report that cannot be written is exit
//! 2 (never a silent 0), and under `--format json` every line on stdout and
//! stderr is one JSON object. (`codegen/tests/binary.rs` runs the real
//! process against `/dev/full`.)

use lexgen_tests::{lexgen, repo_path};
use std::io::{self, Write};
use std::path::Path;

fn fixtures() -> String {
    repo_path("tests/fixtures/lexicons").display().to_string()
}

/// A stream on a full disk.
struct Full;

impl Write for Full {
    fn write(&mut self, _: &[u8]) -> io::Result<usize> {
        Err(io::Error::other("no space left on device"))
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Runs the CLI with stdout (or stderr) on a full disk: (code, the other stream).
fn with_full(args: &[&str], full_stdout: bool) -> (i32, String) {
    let argv = std::iter::once("lexgen").chain(args.iter().copied());
    let mut other = Vec::new();
    let code = if full_stdout {
        atproto_lexgen::cli::run(argv, &mut Full, &mut other)
    } else {
        atproto_lexgen::cli::run(argv, &mut other, &mut Full)
    };
    (code, String::from_utf8_lossy(&other).into_owned())
}

fn data(dir: &Path, text: &str) -> String {
    let path = dir.join("data.jsonl");
    std::fs::write(&path, text).expect("write");
    path.display().to_string()
}

#[test]
fn a_report_that_cannot_be_written_is_exit_2() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let fx = fixtures();
    let valid = data(tmp.path(), "{\"text\": \"a\"}\n");
    let out = tmp.path().join("out").display().to_string();
    let runs: [&[&str]; 5] = [
        &[
            "validate",
            "--lexicons",
            &fx,
            "--def",
            "com.example.strings",
            &valid,
        ],
        &["lint", "--lexicons", &fx],
        &["generate", "--lexicons", &fx, "--out", &out],
        &["check", "--lexicons", &fx, "--out", &out],
        &["--help"],
    ];
    for args in runs {
        let (code, stderr) = with_full(args, true);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert_eq!(
            stderr.lines().last(),
            Some("lexgen: cannot write to standard output: no space left on device"),
            "{args:?}"
        );
    }
    // Under --format json, that error is JSON too.
    let (code, stderr) = with_full(&["lint", "--lexicons", &fx, "--format", "json"], true);
    assert_eq!(code, 2);
    let line: serde_json::Value = serde_json::from_str(stderr.trim()).expect("JSON");
    assert_eq!(
        line["message"],
        "cannot write to standard output: no space left on device"
    );
    // A summary on stderr that cannot be written: exit 2 as well.
    let (code, _) = with_full(
        &[
            "validate",
            "--lexicons",
            &fx,
            "--def",
            "com.example.strings",
            &valid,
        ],
        false,
    );
    assert_eq!(code, 2);
}

/// Every line is a JSON object; returns them.
fn json_lines(text: &str) -> Vec<serde_json::Value> {
    text.lines()
        .map(|line| {
            let v: serde_json::Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("not JSON ({e}): {line:?} in\n{text}"));
            assert!(v.is_object(), "{line}");
            v
        })
        .collect()
}

/// Runs with `--format json`; checks every line; returns (code, stdout, stderr).
fn json_run(args: &[&str]) -> (i32, Vec<serde_json::Value>, Vec<serde_json::Value>) {
    let mut args = args.to_vec();
    args.extend(["--format", "json"]);
    let (code, out, err) = lexgen(&args);
    (code, json_lines(&out), json_lines(&err))
}

#[test]
fn format_json_makes_every_error_json() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let fx = fixtures();
    // Lexicon diagnostics (already JSON), a missing lexicon directory, a
    // generate refusal, a usage error.
    let broken = repo_path("tests/broken/unknown-type-typo");
    let (code, _, err) = json_run(&["lint", "--lexicons", broken.to_str().expect("path")]);
    assert_eq!(
        (code, err[0]["path"].as_str()),
        (2, Some("defs.main.properties.text.type"))
    );
    let (code, _, err) = json_run(&["lint", "--lexicons", "/nonexistent/lexicons"]);
    assert_eq!(code, 2);
    assert!(
        err[0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("lexicon directory not found"),
        "{err:?}"
    );
    let out = tmp.path().join("out");
    std::fs::create_dir_all(out.join("src")).expect("mkdir");
    std::fs::write(out.join("src/lib.rs"), "// mine\n").expect("write");
    let out = out.display().to_string();
    let (code, _, err) = json_run(&["generate", "--lexicons", &fx, "--out", &out]);
    assert!(code == 2 && !err.is_empty(), "{err:?}");
    let (code, _, err) = json_run(&["lint", "--bogus"]);
    assert_eq!(code, 2);
    assert_eq!(err[0]["message"], "unexpected argument '--bogus' found");
    let (code, _, err) = lexgen(["lint", "--format=json", "--bogus"]);
    assert_eq!(code, 2);
    assert_eq!(json_lines(&err).len(), 1);
    let (code, _, err) = json_run(&["validate"]);
    assert_eq!(code, 2);
    assert_eq!(
        err[0]["message"],
        "the following required arguments were not provided: --def <NSID[#name]>"
    );
    // lint's success line.
    let (code, out, err) = json_run(&["lint", "--lexicons", &fx]);
    assert_eq!(code, 0);
    assert!(err.is_empty());
    assert_eq!(out[0]["problems"], 0);
}

#[test]
fn validate_format_json() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let fx = fixtures();
    let input = [
        r#"{"text": "fine"}"#,
        "",
        r#"{"text": "0123456789x"}"#,
        r#"{"color": "red"}"#,
        r#"{"text": oops}"#,
    ]
    .join("\n");
    let f = data(tmp.path(), &input);
    let (code, out, err) = json_run(&[
        "validate",
        "--lexicons",
        &fx,
        "--def",
        "com.example.strings",
        &f,
    ]);
    assert_eq!(code, 1);
    let expected = serde_json::json!([
        {"line": 1, "ok": true, "path": null, "message": null},
        {"line": 3, "ok": false, "path": "text", "message": "maxGraphemes 10, got 11"},
        {"line": 4, "ok": false, "path": "", "message": "missing required field `text`"},
        {"line": 5, "ok": false, "path": null, "message": "not JSON: expected value at line 5 column 10"},
    ]);
    assert_eq!(serde_json::Value::Array(out), expected);
    assert_eq!(
        err,
        [serde_json::json!({"def": "com.example.strings", "values": 4, "invalid": 1 + 2})]
    );
    // Its errors: a missing file, an unknown def, an empty input, broken lexicons.
    let missing = tmp.path().join("missing.json").display().to_string();
    let empty = tmp.path().join("empty.json");
    std::fs::write(&empty, "\n").expect("write");
    let empty = empty.display().to_string();
    let broken = repo_path("tests/broken/unknown-type-typo")
        .display()
        .to_string();
    for (lexicons, def, file, needle) in [
        (&fx, "com.example.strings", &missing, "cannot read"),
        (&fx, "com.example.strongs", &f, "com.example.strings"),
        (&fx, "com.example.strings", &empty, "no JSON value"),
        (&broken, "com.example.post", &f, "unknown type"),
    ] {
        let (code, out, err) = json_run(&["validate", "--lexicons", lexicons, "--def", def, file]);
        assert_eq!(code, 2, "{needle}");
        assert!(out.is_empty());
        let message = err[0]["message"].as_str().unwrap_or_default();
        assert!(message.contains(needle), "{needle}: {err:?}");
    }
}

#[test]
fn generate_and_check_reports_are_json_too() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let fx = fixtures();
    let out = tmp.path().join("out").display().to_string();
    let runtime = repo_path("codegen/runtime").display().to_string();
    let args = |cmd: &'static str| {
        let mut a = vec![cmd, "--lexicons", &fx, "--out", &out];
        a.extend(["--runtime-path", &runtime]);
        a
    };
    let mut generate = args("generate");
    generate.push("--timings");
    let (code, stdout, err) = json_run(&generate);
    assert_eq!(code, 0, "{err:?}");
    assert_eq!(stdout.len(), 1, "{stdout:?}");
    assert!(stdout[0]["written"]
        .as_array()
        .is_some_and(|w| !w.is_empty()));
    assert!(stdout[0]["timings_ms"]["parse"].is_number());
    let (code, stdout, _) = json_run(&args("check"));
    assert_eq!(
        (code, &stdout[0]["up_to_date"]),
        (0, &serde_json::json!(true))
    );
    // Drift: one generated file edited.
    let lib = Path::new(&out).join("src/lib.rs");
    let text = std::fs::read_to_string(&lib).expect("lib.rs");
    std::fs::write(&lib, format!("{text}// edited\n")).expect("write");
    let (code, stdout, _) = json_run(&args("check"));
    assert_eq!(code, 1);
    assert_eq!(stdout[0]["changed"][0]["path"], "src/lib.rs");
}
