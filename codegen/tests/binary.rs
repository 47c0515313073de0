//! Tests that need the real `lexgen` process: its own stdout pointing at a
//! full disk, and a memory limit. Everything else drives the CLI in-process
//! from the workspace's `tests/`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const LEXGEN: &str = env!("CARGO_BIN_EXE_lexgen");

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/lexicons")
}

/// `lexgen ARGS` with stdout on `/dev/full`: (exit code, stderr).
fn to_full_disk(args: &[&str]) -> Option<(i32, String)> {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .ok()?;
    let out = Command::new(LEXGEN)
        .args(args)
        .stdout(full)
        .stderr(Stdio::piped())
        .output()
        .expect("run lexgen");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    Some((out.status.code().expect("exit code"), stderr))
}

#[test]
fn a_full_disk_on_stdout_is_exit_2() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let data = tmp.path().join("data.jsonl");
    std::fs::write(&data, "{\"text\": \"a\"}\n{\"text\": \"b\"}\n").expect("write");
    let fx = fixtures();
    let (fx, data) = (fx.to_str().expect("path"), data.to_str().expect("path"));
    let out = tmp.path().join("out");
    let out = out.to_str().expect("path");
    let runs: [&[&str]; 4] = [
        &[
            "validate",
            "--lexicons",
            fx,
            "--def",
            "com.example.strings",
            data,
        ],
        &["lint", "--lexicons", fx],
        &["lint", "--lexicons", fx, "--format", "json"],
        &["generate", "--lexicons", fx, "--out", out],
    ];
    for args in runs {
        let Some((code, stderr)) = to_full_disk(args) else {
            eprintln!("no /dev/full here: skipped");
            return;
        };
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(
            stderr.contains("cannot write to standard output: No space left on device"),
            "{args:?}: {stderr}"
        );
    }
}

/// JSON Lines are streamed: 200,000 lines (10 MB) validate under a 64 MiB
/// address-space limit, which reading the whole input first (130 MB) breaks.
#[test]
fn json_lines_run_in_bounded_memory() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let data = tmp.path().join("big.jsonl");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&data).expect("create"));
    for i in 0..200_000 {
        writeln!(
            file,
            r#"{{"text": "hi {i}", "tags": ["a", "b"], "color": "red"}}"#
        )
        .expect("write");
    }
    writeln!(file, r#"{{"text": "0123456789x"}}"#).expect("write");
    file.flush().expect("flush");
    drop(file);
    let out = Command::new("sh")
        .arg("-c")
        .arg(r#"ulimit -v 65536 && exec "$@""#)
        .arg("sh")
        .arg(LEXGEN)
        .args(["validate", "--lexicons"])
        .arg(fixtures())
        .args(["--def", "com.example.strings"])
        .arg(&data)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .expect("run lexgen");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(
        stderr,
        "lexgen: 200001 value(s) checked against com.example.strings: 1 invalid\n"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.lines().filter(|l| *l == "ok").count(), 200_000);
    assert_eq!(
        stdout.lines().last(),
        Some("invalid text: maxGraphemes 10, got 11")
    );
}

/// Standard input is read the same way: streamed, a byte order mark skipped.
#[test]
fn standard_input_is_json_lines_too() {
    let mut child = Command::new(LEXGEN)
        .args(["validate", "--lexicons"])
        .arg(fixtures())
        .args(["--def", "com.example.strings", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run lexgen");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin
        .write_all(b"\xEF\xBB\xBF{\"text\": \"a\"}\n\n{\"text\": \"\xFF\"}\n{\"text\": \"c\"}\n")
        .expect("write");
    drop(stdin);
    let out = child.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "ok\ninvalid: not UTF-8: invalid byte at line 3 column 11\nok\n"
    );
}
