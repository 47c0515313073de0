//! A `lexgen generate` started while another run holds the output
//! directory's lock waits for it, says so on stderr, then succeeds (issue 9).
//! Spawns the real binary: the lock must hold across processes.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

#[test]
fn a_second_process_waits_for_the_lock_and_says_so() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    std::fs::create_dir(&out).expect("mkdir");
    let lexicons = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/lexicons");
    let held = atproto_lexgen::write::lock::exclusive(&out).expect("lock");
    let mut child = Command::new(env!("CARGO_BIN_EXE_lexgen"))
        .args(["generate", "--crate-name", "lock-test", "--lexicons"])
        .arg(&lexicons)
        .arg("--out")
        .arg(&out)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn lexgen");
    std::thread::sleep(Duration::from_millis(1500));
    assert!(
        child.try_wait().expect("try_wait").is_none(),
        "the second run waits"
    );
    assert!(
        !out.join("Cargo.toml").exists(),
        "and writes nothing meanwhile"
    );
    drop(held);
    let status = child.wait().expect("wait");
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut stderr)
        .expect("read stderr");
    assert!(status.success(), "{stderr}");
    assert!(
        stderr.contains("waiting for another lexgen run on"),
        "{stderr}"
    );
    assert!(out.join(".lexgen-manifest").is_file());
}
