//! A `lexgen generate` killed (SIGKILL) at a random moment leaves its crate
//! exactly old or exactly new, or holds a journal; either way the next run
//! ends with exactly the new crate (issue 9). Lives in this package to spawn
//! the real `lexgen` binary.

#![cfg(unix)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

const TRIES: usize = 25;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/lexicons")
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("mkdir");
    for entry in fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Every file under `dir` but lexgen's temporary files (a run killed while
/// staging leaves some; the next run removes them).
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(dir: &Path, rel: &str, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in fs::read_dir(dir).expect("read dir") {
            let entry = entry.expect("entry");
            let name = entry.file_name().to_string_lossy().into_owned();
            let child = if rel.is_empty() {
                name.clone()
            } else {
                format!("{rel}/{name}")
            };
            if entry.file_type().expect("type").is_dir() {
                walk(&entry.path(), &child, out);
            } else if !(name.contains(".lexgen-") && name.ends_with(".tmp")) {
                out.insert(child, fs::read(entry.path()).expect("read"));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, "", &mut out);
    out
}

/// How many of lexgen's temporary files are under `dir`.
fn temps(dir: &Path) -> usize {
    fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry"))
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            if e.file_type().expect("type").is_dir() {
                temps(&e.path())
            } else {
                usize::from(name.contains(".lexgen-") && name.ends_with(".tmp"))
            }
        })
        .sum()
}

fn generate(lexicons: &Path, out: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_lexgen"));
    command
        .args(["generate", "--crate-name", "kill-test", "--lexicons"])
        .arg(lexicons)
        .arg("--out")
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}

fn generate_ok(lexicons: &Path, out: &Path) {
    let output = generate(lexicons, out)
        .stderr(Stdio::piped())
        .output()
        .expect("spawn lexgen");
    assert!(
        output.status.success(),
        "generate into {}: {}",
        out.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn a_killed_generate_leaves_old_or_new_or_a_journal_the_next_run_finishes() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (old_lex, new_lex) = (tmp.path().join("old-lex"), tmp.path().join("new-lex"));
    copy_tree(&fixtures(), &old_lex);
    copy_tree(&fixtures(), &new_lex);
    // The new lexicons change a file, drop one, and add one in a new
    // namespace directory (a new module file and a new `mod` in its parent).
    let numbers = new_lex.join("com/example/numbers.json");
    let text = fs::read_to_string(&numbers).expect("read");
    fs::write(
        &numbers,
        text.replacen(
            "\"type\": \"object\"",
            "\"type\": \"object\", \"description\": \"New.\"",
            1,
        ),
    )
    .expect("write");
    fs::remove_file(new_lex.join("com/example/jsonl.json")).expect("rm");
    let tokens = fs::read_to_string(new_lex.join("com/example/tokens.json")).expect("read");
    fs::create_dir_all(new_lex.join("com/example/added")).expect("mkdir");
    fs::write(
        new_lex.join("com/example/added/more.json"),
        tokens.replace("com.example.tokens", "com.example.added.more"),
    )
    .expect("write");

    let template = tmp.path().join("template");
    generate_ok(&old_lex, &template);
    let old = files(&template);
    let fresh = tmp.path().join("fresh");
    generate_ok(&new_lex, &fresh);
    let new = files(&fresh);
    assert_ne!(old, new);

    // How long a whole run takes here; kills land across it, mostly late,
    // where the writing happens.
    let probe = tmp.path().join("probe");
    copy_tree(&template, &probe);
    let start = Instant::now();
    generate_ok(&new_lex, &probe);
    let span = start.elapsed().as_micros().max(1000) as u64;

    let mut seed = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(1, |d| d.subsec_nanos() as u64 | 1);
    let (mut as_old, mut as_new, mut journaled) = (0, 0, 0);
    for attempt in 0..TRIES {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let delay = span / 3 + seed % span;
        let out = tmp.path().join(format!("run-{attempt}"));
        copy_tree(&template, &out);
        let mut child = generate(&new_lex, &out).spawn().expect("spawn lexgen");
        std::thread::sleep(Duration::from_micros(delay));
        let _ = child.kill();
        let _ = child.wait();

        let state = files(&out);
        if state == old {
            as_old += 1;
        } else if state == new {
            as_new += 1;
        } else {
            assert!(
                out.join(".lexgen-journal").exists(),
                "attempt {attempt} (killed after {delay} us): a mixed crate without a journal"
            );
            journaled += 1;
            let check = Command::new(env!("CARGO_BIN_EXE_lexgen"))
                .args(["check", "--crate-name", "kill-test", "--lexicons"])
                .arg(&new_lex)
                .arg("--out")
                .arg(&out)
                .output()
                .expect("check");
            assert_eq!(
                check.status.code(),
                Some(2),
                "check reports the unfinished run"
            );
        }
        generate_ok(&new_lex, &out);
        let finished = files(&out);
        assert!(
            finished == new,
            "attempt {attempt}: the next run ends with the new crate"
        );
        assert_eq!(temps(&out), 0, "attempt {attempt}: temporary files left");
        fs::remove_dir_all(&out).expect("clean up");
    }
    eprintln!("{TRIES} kills over {span} us runs: {as_old} old, {as_new} new, {journaled} finished from a journal");
}
