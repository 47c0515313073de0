//! `generate` never loses a file: atomic writes (no temporary files left, a
//! failure part-way leaves the old crate as it was), unchanged files skipped
//! (mtime kept), hand-written files never overwritten or deleted, stale
//! generated files removed; and `check` reports drift with a diff.

#[path = "common/outdir.rs"]
mod outdir;

use atproto_lexgen::emit::GeneratedFile;
use atproto_lexgen::write::{write_output, WriteError};
use lexgen_tests::{lexgen, repo_path};
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

const FIXTURES: &str = "tests/fixtures/lexicons";

/// A fresh output directory generated from the fixture lexicons, every file
/// given an old mtime.
fn generated_dir(lexicons: &Path) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    let (code, _, stderr) = generate(lexicons, &out);
    assert_eq!(code, 0, "{stderr}");
    for (rel, bytes, _) in outdir::fingerprint(&out) {
        if bytes.is_some() {
            outdir::set_mtime(&out.join(rel), outdir::old_time());
        }
    }
    (tmp, out)
}

fn generate(lexicons: &Path, out: &Path) -> (i32, String, String) {
    lexgen([
        "generate",
        "--lexicons",
        &lexicons.to_string_lossy(),
        "--out",
        &out.to_string_lossy(),
        "--crate-name",
        "lexgen-fixture-types",
    ])
}

/// Every path under `dir` that looks like a temporary file or a journal.
fn temp_files(dir: &Path) -> Vec<String> {
    outdir::fingerprint(dir)
        .into_iter()
        .map(|(rel, _, _)| rel)
        .filter(|rel| {
            let name = rel.trim_end_matches('/').rsplit('/').next().unwrap_or(rel);
            name.contains(".tmp") || name.contains("journal")
        })
        .collect()
}

/// The fixture lexicons rendered in memory: what `generate` must write.
fn expected_files() -> Vec<GeneratedFile> {
    atproto_lexgen::Config::new()
        .lexicons(repo_path(FIXTURES))
        .crate_name("lexgen-fixture-types")
        .render()
        .expect("fixtures render")
}

#[test]
fn generate_writes_exactly_the_rendered_files_and_no_temporaries() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    let (code, stdout, stderr) = generate(&repo_path(FIXTURES), &out);
    assert_eq!(code, 0, "{stderr}");
    let expected = expected_files();
    assert!(
        stdout.contains(&format!("{} written", expected.len())),
        "{stdout}"
    );
    let on_disk: Vec<(String, Vec<u8>)> = outdir::fingerprint(&out)
        .into_iter()
        .filter_map(|(rel, bytes, _)| bytes.map(|b| (rel, b)))
        .collect();
    let mut wanted: Vec<(String, Vec<u8>)> = expected
        .iter()
        .map(|f| (f.path.clone(), f.contents.clone().into_bytes()))
        .collect();
    wanted.sort();
    assert_eq!(on_disk, wanted);
    assert_eq!(temp_files(&out), Vec::<String>::new());
}

#[test]
fn unchanged_files_are_not_touched() {
    let (_tmp, out) = generated_dir(&repo_path(FIXTURES));
    let before = outdir::fingerprint(&out);
    let (code, stdout, stderr) = generate(&repo_path(FIXTURES), &out);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains(": 0 written,"), "{stdout}");
    assert!(stdout.contains(" 0 removed"), "{stdout}");
    // Same bytes and the same (old) mtimes: cargo sees nothing to rebuild.
    outdir::assert_same(&before, &outdir::fingerprint(&out), "second generate");
}

#[test]
fn only_changed_files_are_rewritten() {
    let (_tmp, out) = generated_dir(&repo_path(FIXTURES));
    let victim = out.join("src/com/example/record.rs");
    let mut text = fs::read_to_string(&victim).expect("record.rs");
    text.push_str("// edited\n");
    fs::write(&victim, &text).expect("edit");
    outdir::set_mtime(&victim, outdir::old_time());
    let before = outdir::fingerprint(&out);
    let (code, stdout, _) = generate(&repo_path(FIXTURES), &out);
    assert_eq!(code, 0);
    assert!(stdout.contains(": 1 written,"), "{stdout}");
    for ((rel, bytes, mtime), (rel2, bytes2, mtime2)) in
        before.iter().zip(outdir::fingerprint(&out))
    {
        assert_eq!(*rel, rel2);
        if rel == "src/com/example/record.rs" {
            assert_ne!(*bytes, bytes2, "the edit is undone");
            assert_ne!(*mtime, mtime2);
        } else if bytes.is_some() {
            assert_eq!((bytes, mtime), (&bytes2, &mtime2), "{rel} untouched");
        }
    }
}

#[test]
fn a_replaced_file_is_swapped_whole_not_rewritten_in_place() {
    // Kill-safety by construction: the new contents go to a temporary file
    // that is renamed over the old one. A reader holding the old file open
    // keeps seeing the complete old contents; the path shows the complete
    // new ones. Writing in place would have truncated the open file.
    let (_tmp, out) = generated_dir(&repo_path(FIXTURES));
    let victim = out.join("src/com/example/strings.rs");
    let old = format!(
        "{}// old\n",
        fs::read_to_string(&victim).expect("strings.rs")
    );
    fs::write(&victim, &old).expect("edit");
    let mut handle = fs::File::open(&victim).expect("open");
    let (code, _, stderr) = generate(&repo_path(FIXTURES), &out);
    assert_eq!(code, 0, "{stderr}");
    let mut seen = String::new();
    handle.read_to_string(&mut seen).expect("read old handle");
    assert_eq!(seen, old, "the open file still holds the whole old text");
    let new = fs::read_to_string(&victim).expect("new");
    assert!(!new.ends_with("// old\n") && new.starts_with("// @generated"));
    assert_eq!(temp_files(&out), Vec::<String>::new());
}

#[test]
fn a_failure_part_way_leaves_the_old_crate_as_it_was() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path();
    let header = "// @generated by lexgen in a test\n";
    let file = |path: &str, text: &str| GeneratedFile {
        path: path.to_string(),
        contents: format!("{header}{text}\n"),
    };
    let old = [
        file("src/a.rs", "old a"),
        file("src/b.rs", "old b"),
        file("src/z.rs", "old z"),
    ];
    write_output(out, &old).expect("the old crate");
    let before = outdir::fingerprint(out);
    // Files are staged in order: two are, one in a new directory; the third
    // cannot be (its temporary file's name is too long for the filesystem).
    // Old code had already replaced the first two by then.
    let long = format!("src/{}.rs", "l".repeat(240));
    let files = [
        file("src/a.rs", "new a"),
        file("src/new/b.rs", "new b"),
        file(&long, "new long"),
        file("src/z.rs", "new z"),
    ];
    let err = write_output(out, &files).expect_err("the long name cannot be written");
    assert!(matches!(err, WriteError::Io { .. }), "{err}");
    assert!(
        err.to_string().contains(".tmp"),
        "the error names the path: {err}"
    );
    outdir::assert_same_files(&before, &outdir::fingerprint(out), "failed write");
    assert_eq!(
        temp_files(out),
        Vec::<String>::new(),
        "nothing staged remains"
    );
}

#[test]
fn an_unreadable_target_stops_generate_before_anything_is_written() {
    let (_tmp, out) = generated_dir(&repo_path(FIXTURES));
    // Something must change so that there is something to write...
    let edited = out.join("src/com/example/numbers.rs");
    fs::write(&edited, "// @generated by lexgen, but edited\n").expect("edit");
    outdir::set_mtime(&edited, outdir::old_time());
    // ...and a target path that is a directory, which cannot be replaced.
    let record = out.join("src/com/example/record.rs");
    fs::remove_file(&record).expect("rm");
    fs::create_dir(&record).expect("mkdir in the way");
    let before = outdir::fingerprint(&out);
    let (code, stdout, stderr) = generate(&repo_path(FIXTURES), &out);
    assert_eq!(code, 2, "{stdout}");
    assert!(stderr.contains("record.rs"), "names the path: {stderr}");
    outdir::assert_same(&before, &outdir::fingerprint(&out), "failed generate");
}

#[test]
fn a_hand_written_file_is_never_overwritten() {
    let (_tmp, out) = generated_dir(&repo_path(FIXTURES));
    let mine = out.join("src/com/example/query.rs");
    fs::write(&mine, "// my own code\nfn main() {}\n").expect("hand-written");
    // Another file needs rewriting: it must not be written either.
    let other = out.join("src/com/example/tokens.rs");
    fs::write(&other, "// @generated by lexgen, stale\n").expect("stale");
    for path in [&mine, &other] {
        outdir::set_mtime(path, outdir::old_time());
    }
    let before = outdir::fingerprint(&out);
    let (code, stdout, stderr) = generate(&repo_path(FIXTURES), &out);
    assert_eq!(code, 2, "{stdout}");
    assert!(
        stderr.contains("is in the way") && stderr.contains("src/com/example/query.rs"),
        "{stderr}"
    );
    outdir::assert_same(&before, &outdir::fingerprint(&out), "refused generate");
}

#[test]
fn stale_generated_files_are_removed_and_hand_written_ones_kept() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let lexicons = tmp.path().join("lexicons");
    outdir::copy_tree(&repo_path(FIXTURES), &lexicons);
    let (_out_tmp, out) = generated_dir(&lexicons);
    let parent_child = out.join("src/com/example/parent/child.rs");
    assert!(parent_child.is_file(), "fixture layout changed?");
    // A hand-written file beside generated ones, in a directory that will
    // otherwise empty out, and a leftover temporary file of a killed run.
    let mine = out.join("src/com/example/parent/helpers.rs");
    fs::write(&mine, "// hand-written\n").expect("write");
    let leftover = out.join("src/com/example/.jsonl.rs.lexgen-999-0.tmp");
    fs::write(&leftover, "// @generated, half").expect("write");
    // Remove two lexicons: `jsonl` and the whole `parent` namespace's child.
    fs::remove_file(lexicons.join("com/example/jsonl.json")).expect("rm jsonl");
    fs::remove_dir_all(lexicons.join("com/example/parent")).expect("rm parent/");

    let (code, stdout, stderr) = generate(&lexicons, &out);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        !out.join("src/com/example/jsonl.rs").exists(),
        "stale file removed"
    );
    assert!(!parent_child.exists(), "stale file removed");
    assert_eq!(
        fs::read_to_string(&mine).ok().as_deref(),
        Some("// hand-written\n")
    );
    assert!(!leftover.exists(), "leftover temporary file removed");
    assert!(stdout.contains(" 2 removed"), "{stdout}");
    // And the result is exactly a fresh generation, plus the kept file.
    let (_fresh_tmp, fresh) = generated_dir(&lexicons);
    let files = |dir: &Path| -> Vec<(String, Vec<u8>)> {
        outdir::fingerprint(dir)
            .into_iter()
            .filter_map(|(rel, bytes, _)| bytes.map(|b| (rel, b)))
            .filter(|(rel, _)| !rel.ends_with("helpers.rs"))
            .collect()
    };
    let (got, want) = (files(&out), files(&fresh));
    let names = |v: &[(String, Vec<u8>)]| v.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
    assert_eq!(names(&got), names(&want));
    assert!(got == want, "same contents as a fresh generation");
}

#[test]
fn check_reports_missing_extra_and_changed_files_with_a_diff() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let lexicons = tmp.path().join("lexicons");
    outdir::copy_tree(&repo_path(FIXTURES), &lexicons);
    let lexicons_arg = lexicons.to_string_lossy().to_string();
    let (_tmp, out) = generated_dir(&lexicons);
    let (code, stdout, _) = lexgen([
        "check",
        "--lexicons",
        &lexicons_arg,
        "--out",
        &out.to_string_lossy(),
        "--crate-name",
        "lexgen-fixture-types",
    ]);
    assert_eq!((code, stdout.contains("up to date")), (0, true), "{stdout}");

    fs::remove_file(out.join("src/com/example/upload.rs")).expect("rm");
    // A lexicon removed: its file is listed in the manifest, now stale.
    fs::remove_file(lexicons.join("com/example/jsonl.json")).expect("rm");
    // Not in the manifest: not lexgen's, whatever its first line says.
    fs::write(
        out.join("src/com/example/gone.rs"),
        "// @generated by lexgen\n",
    )
    .expect("extra");
    fs::write(out.join("src/com/example/mine.rs"), "// hand-written\n").expect("mine");
    let unions = out.join("src/com/example/unions.rs");
    let text = fs::read_to_string(&unions).expect("unions.rs");
    let first_item = text.lines().nth(1).expect("second line").to_string();
    fs::write(&unions, text.replacen(&first_item, "// drifted", 1)).expect("edit");
    let before = outdir::fingerprint(&out);

    let (code, stdout, stderr) = lexgen([
        "check",
        "--lexicons",
        &lexicons_arg,
        "--out",
        &out.to_string_lossy(),
        "--crate-name",
        "lexgen-fixture-types",
    ]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(
        stdout.contains("missing: src/com/example/upload.rs"),
        "{stdout}"
    );
    assert!(
        stdout.contains("extra:   src/com/example/jsonl.rs"),
        "{stdout}"
    );
    assert!(!stdout.contains("gone.rs"), "not in the manifest: {stdout}");
    assert!(
        !stdout.contains("mine.rs"),
        "hand-written files are not drift: {stdout}"
    );
    assert!(
        stdout.contains("changed: src/com/example/unions.rs"),
        "{stdout}"
    );
    // A unified diff from disk to expected.
    assert!(
        stdout.contains("--- a/src/com/example/unions.rs"),
        "{stdout}"
    );
    assert!(
        stdout.contains("+++ b/src/com/example/unions.rs"),
        "{stdout}"
    );
    assert!(stdout.contains("@@ -"), "{stdout}");
    assert!(stdout.contains("\n-// drifted\n"), "{stdout}");
    assert!(stdout.contains(&format!("\n+{first_item}\n")), "{stdout}");
    outdir::assert_same(&before, &outdir::fingerprint(&out), "check writes nothing");
}
