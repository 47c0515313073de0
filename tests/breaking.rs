//! The catalogue of lexicon changes for `lexgen breaking`: each
//! `tests/breaking/<case>/` holds an `old/` and a `new/` lexicon directory
//! differing by one kind of change (a few cases show two). For every case
//! the human report is snapshotted in `tests/snapshots/breaking__<case>.snap`,
//! the exit code must be 1 exactly when a change is breaking, and
//! `--format json` must give one located JSON object per change. Then:
//! `--against` a git revision in a temporary repository, and exit codes.

use atproto_lexgen::breaking::Rule;
use lexgen_tests::{lexgen, repo_path};
use std::fs;
use std::path::Path;
use std::process::Command;

/// Runs one case; returns its human report.
fn check_case(case: &str) -> String {
    let dir = format!("tests/breaking/{case}");
    assert!(repo_path(&dir).is_dir(), "{dir} is missing");
    let (new, old) = (format!("{dir}/new"), format!("{dir}/old"));
    let (code, stdout, stderr) = lexgen(["breaking", "--lexicons", &new, "--against", &old]);
    assert_eq!(stderr, "", "{case}: nothing on stderr");
    let breaking = stdout
        .lines()
        .filter(|l| l.starts_with("breaking["))
        .count();
    assert_eq!(code, i32::from(breaking > 0), "{case}: exit code\n{stdout}");
    insta::assert_snapshot!(case, stdout);

    let (json_code, json, _) = lexgen([
        "breaking",
        "--lexicons",
        &new,
        "--against",
        &old,
        "--format",
        "json",
    ]);
    assert_eq!(json_code, code, "{case}: same exit code in JSON");
    let labels = ["breaking[", "warning[", "compatible["];
    let human_count = stdout
        .lines()
        .filter(|l| labels.iter().any(|p| l.starts_with(p)))
        .count();
    let objects: Vec<serde_json::Value> = json
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    assert_eq!(
        objects.len(),
        human_count,
        "{case}: one JSON object per change"
    );
    for o in &objects {
        let side = o["version"].as_str().expect("version");
        let file = o["file"].as_str().expect("file");
        assert!(file.starts_with(&format!("{dir}/{side}/")), "{case}: {o}");
        assert!(o["line"].as_u64().is_some_and(|l| l >= 1), "{case}: {o}");
        assert!(o["column"].as_u64().is_some_and(|c| c >= 1), "{case}: {o}");
        assert!(
            o["path"]
                .as_str()
                .is_some_and(|p| p.starts_with("defs") || p == "id"),
            "{case}: {o}"
        );
        assert!(["breaking", "warning", "compatible"].contains(&o["class"].as_str().unwrap_or("")));
        assert!(
            Rule::ALL.iter().any(|r| Some(r.id()) == o["rule"].as_str()),
            "{case}: {o}"
        );
    }
    stdout
}

macro_rules! catalogue {
    ($($test:ident => $case:literal,)*) => {
        /// Every case, by directory name.
        const CASES: &[&str] = &[$($case),*];
        $(
            #[test]
            fn $test() {
                check_case($case);
            }
        )*
    };
}

catalogue! {
    type_change => "type-change",
    record_key_type => "record-key-type",
    body_encoding => "body-encoding",
    const_changed => "const-changed",
    const_added_output => "const-added-output",
    const_removed_input => "const-removed-input",
    enum_value_removed => "enum-value-removed",
    enum_value_added_record => "enum-value-added-record",
    enum_value_added_input => "enum-value-added-input",
    enum_value_added_output => "enum-value-added-output",
    enum_introduced => "enum-introduced",
    known_values_changed => "known-values-changed",
    default_changed => "default-changed",
    string_format_changed => "string-format-changed",
    string_format_added => "string-format-added",
    string_format_widened_record => "string-format-widened-record",
    string_format_widened_params => "string-format-widened-params",
    string_format_narrowed_output => "string-format-narrowed-output",
    string_max_length_lowered => "string-max-length-lowered",
    string_max_length_raised_input => "string-max-length-raised-input",
    string_max_graphemes_raised_output => "string-max-graphemes-raised-output",
    string_min_length_raised_output => "string-min-length-raised-output",
    integer_maximum_lowered_params => "integer-maximum-lowered-params",
    integer_minimum_lowered_params => "integer-minimum-lowered-params",
    bytes_length => "bytes-length",
    array_length_raised => "array-length-raised",
    array_items_changed => "array-items-changed",
    blob_accept_narrowed => "blob-accept-narrowed",
    blob_accept_equivalent => "blob-accept-equivalent",
    blob_size_raised => "blob-size-raised",
    object_required_added => "object-required-added",
    object_required_new_property => "object-required-new-property",
    object_required_dropped_record => "object-required-dropped-record",
    object_required_dropped_input => "object-required-dropped-input",
    object_required_added_output => "object-required-added-output",
    object_required_removed_property => "object-required-removed-property",
    object_nullable_added => "object-nullable-added",
    object_nullable_removed_input => "object-nullable-removed-input",
    params_required_added => "params-required-added",
    params_required_dropped => "params-required-dropped",
    property_added_optional => "property-added-optional",
    property_removed_optional => "property-removed-optional",
    union_closed => "union-closed",
    union_opened_output => "union-opened-output",
    union_closed_explicit_false => "union-closed-explicit-false",
    union_closed_ref_added => "union-closed-ref-added",
    union_closed_ref_removed_output => "union-closed-ref-removed-output",
    union_open_ref_added => "union-open-ref-added",
    union_open_ref_removed => "union-open-ref-removed",
    union_ref_spelling => "union-ref-spelling",
    ref_target_equivalent => "ref-target-equivalent",
    ref_target_different => "ref-target-different",
    ref_target_moved_to_defs => "ref-target-moved-to-defs",
    ref_inlined => "ref-inlined",
    ref_target_recursive => "ref-target-recursive",
    subscription_message_added => "subscription-message-added",
    subscription_message_removed => "subscription-message-removed",
    subscription_message_closed_added => "subscription-message-closed-added",
    subscription_message_field_required => "subscription-message-field-required",
    subscription_errors => "subscription-errors",
    error_added => "error-added",
    error_removed => "error-removed",
    params_added => "params-added",
    params_removed => "params-removed",
    input_added => "input-added",
    input_removed => "input-removed",
    output_added => "output-added",
    output_removed => "output-removed",
    output_schema_removed => "output-schema-removed",
    input_schema_added => "input-schema-added",
    token_removed => "token-removed",
    def_removed_unused => "def-removed-unused",
    def_still_referenced => "def-still-referenced",
    record_removed => "record-removed",
    lexicon_and_def_added => "lexicon-and-def-added",
    descriptions_only => "descriptions-only",
    def_role_from_output => "def-role-from-output",
    def_role_unused => "def-role-unused",
}

#[test]
fn every_case_directory_is_in_the_catalogue() {
    let mut on_disk: Vec<String> = fs::read_dir(repo_path("tests/breaking"))
        .expect("tests/breaking")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut listed: Vec<&str> = CASES.to_vec();
    listed.sort_unstable();
    assert_eq!(on_disk, listed, "add new cases to the catalogue! list");
    assert!(CASES.len() >= 40, "the catalogue has at least 40 cases");
}

#[test]
fn every_rule_has_a_case_and_a_readme_row() {
    let reports: String = CASES
        .iter()
        .map(|case| {
            let dir = format!("tests/breaking/{case}");
            lexgen([
                "breaking",
                "--lexicons",
                &format!("{dir}/new"),
                "--against",
                &format!("{dir}/old"),
            ])
            .1
        })
        .collect();
    let readme = fs::read_to_string(repo_path("README.md")).expect("README");
    for rule in Rule::ALL {
        assert!(
            reports.contains(&format!("[{}]:", rule.id())),
            "no case shows rule {}",
            rule.id()
        );
        assert!(
            readme.contains(&format!("| `{}` |", rule.id())),
            "README table lacks rule {}",
            rule.id()
        );
    }
}

/// Runs git in `dir`, with an identity and no signing, asserting success.
fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args([
            "-c",
            "user.name=lexgen",
            "-c",
            "user.email=lexgen@example.com",
        ])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        status.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&status.stderr)
    );
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("mkdir");
    for entry in fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).expect("copy");
        }
    }
}

/// A repository whose `schemas/lexicons/` held `old` at the first commit and
/// holds `new` now (committed on top, then left in the working tree too).
fn repo_with(old: &str, new: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    let lexicons = tmp.path().join("schemas/lexicons");
    git(tmp.path(), &["init", "-q"]);
    copy_tree(&repo_path(old), &lexicons);
    fs::write(tmp.path().join("README"), "x").expect("write");
    git(tmp.path(), &["add", "-A"]);
    git(tmp.path(), &["commit", "-q", "-m", "old"]);
    git(tmp.path(), &["tag", "v1"]);
    fs::remove_dir_all(&lexicons).expect("rm");
    copy_tree(&repo_path(new), &lexicons);
    git(tmp.path(), &["add", "-A"]);
    git(tmp.path(), &["commit", "-q", "-m", "new"]);
    tmp
}

#[test]
fn against_a_git_revision_reads_the_old_files_without_a_checkout() {
    let case = "tests/breaking/object-required-removed-property";
    let repo = repo_with(&format!("{case}/old"), &format!("{case}/new"));
    let lexicons = repo.path().join("schemas/lexicons");
    let lex = lexicons.to_string_lossy().to_string();
    let head_before = fs::read(repo.path().join(".git/HEAD")).expect("HEAD");
    for rev in ["v1", "HEAD~1", "main~1"] {
        let (code, stdout, stderr) = lexgen(["breaking", "--lexicons", &lex, "--against", rev]);
        assert_eq!(code, 1, "{rev}: {stdout}{stderr}");
        assert!(
            stdout.contains("breaking[object-required]: required property `lang` removed"),
            "{stdout}"
        );
        // A removal is located in the old version, named as git names it.
        assert!(
            stdout.contains(&format!(
                " --> {rev}:schemas/lexicons/com/example/post.json:"
            )),
            "{stdout}"
        );
    }
    // The same files at HEAD: nothing changed.
    let (code, stdout, _) = lexgen(["breaking", "--lexicons", &lex, "--against", "HEAD"]);
    assert_eq!((code, stdout.as_str()), (0, "lexgen: no changes\n"));
    // The working tree and HEAD were left alone.
    assert_eq!(
        fs::read(repo.path().join(".git/HEAD")).expect("HEAD"),
        head_before
    );
    assert!(lexicons.join("com/example/post.json").is_file());

    // Run from inside the lexicons directory, with a relative path.
    let nested = lexicons.join("com");
    let (code, stdout, _) = lexgen([
        "breaking",
        "--lexicons",
        &nested.join("..").to_string_lossy(),
        "--against",
        "v1",
    ]);
    assert_eq!(code, 1, "{stdout}");
}

#[test]
fn a_lexicon_directory_new_since_the_revision_is_all_additions() {
    let repo = repo_with(
        "tests/breaking/type-change/old",
        "tests/breaking/type-change/new",
    );
    let moved = repo.path().join("elsewhere");
    fs::rename(repo.path().join("schemas/lexicons"), &moved).expect("mv");
    let (code, stdout, stderr) = lexgen([
        "breaking",
        "--lexicons",
        &moved.to_string_lossy(),
        "--against",
        "HEAD",
    ]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("compatible[lexicon-added]"), "{stdout}");
}

#[test]
fn an_invalid_lexicon_at_the_revision_is_a_located_error() {
    let repo = repo_with(
        "tests/broken/unknown-type-typo",
        "tests/breaking/type-change/new",
    );
    let lex = repo
        .path()
        .join("schemas/lexicons")
        .to_string_lossy()
        .to_string();
    let (code, stdout, stderr) = lexgen(["breaking", "--lexicons", &lex, "--against", "v1"]);
    assert_eq!((code, stdout.as_str()), (2, ""), "{stderr}");
    assert!(stderr.contains("error: unknown type \"strng\""), "{stderr}");
    assert!(stderr.contains(" --> v1:schemas/lexicons/com/example/post.json:8:27, at defs.main.properties.text.type"), "{stderr}");
    assert!(
        stderr.contains("lexgen: the old version has 1 error(s)"),
        "{stderr}"
    );
    let (code, _, json) = lexgen([
        "breaking",
        "--lexicons",
        &lex,
        "--against",
        "v1",
        "--format",
        "json",
    ]);
    assert_eq!(code, 2);
    let error: serde_json::Value = serde_json::from_str(json.trim()).expect("JSON");
    assert_eq!(error["class"], "error");
    assert_eq!(error["version"], "old");
    assert_eq!(
        (error["line"].as_u64(), error["column"].as_u64()),
        (Some(8), Some(27))
    );
}

#[test]
fn unknown_revisions_and_bad_input_exit_2() {
    let repo = repo_with(
        "tests/breaking/type-change/old",
        "tests/breaking/type-change/new",
    );
    let lex = repo
        .path()
        .join("schemas/lexicons")
        .to_string_lossy()
        .to_string();
    for rev in ["no-such-branch", "-x", "HEAD~5"] {
        let against = format!("--against={rev}");
        let (code, stdout, stderr) = lexgen(["breaking", "--lexicons", &lex, &against]);
        assert_eq!((code, stdout.as_str()), (2, ""), "{rev}");
        assert!(
            stderr.contains("neither a directory nor"),
            "{rev}: {stderr}"
        );
    }
    // Not a git repository, and not a directory.
    let plain = tempfile::tempdir().expect("tempdir");
    copy_tree(&repo_path("tests/breaking/type-change/new"), plain.path());
    let (code, _, stderr) = lexgen([
        "breaking",
        "--lexicons",
        &plain.path().to_string_lossy(),
        "--against",
        "main",
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("not in a git repository"), "{stderr}");
    // An invalid new version: the lint diagnostics, exit 2.
    let (code, stdout, stderr) = lexgen([
        "breaking",
        "--lexicons",
        "tests/broken/unknown-type-typo",
        "--against",
        "tests/breaking/type-change/old",
    ]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert!(
        stderr.contains(" --> tests/broken/unknown-type-typo/com/example/post.json:8:27"),
        "{stderr}"
    );
    assert!(
        stderr.contains("the new version has 1 error(s)"),
        "{stderr}"
    );
    // Usage: --against is required.
    let (code, _, stderr) = lexgen(["breaking", "--lexicons", "tests/breaking/type-change/new"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("--against"), "{stderr}");
}

#[test]
fn a_removed_def_still_referenced_is_breaking_not_an_error_but_other_dangling_refs_are_errors() {
    // The removal case passes (reported as a change); a ref to a def that
    // never existed is still an invalid lexicon.
    let (code, stdout, _) = lexgen([
        "breaking",
        "--lexicons",
        "tests/breaking/def-still-referenced/new",
        "--against",
        "tests/breaking/def-still-referenced/old",
    ]);
    assert_eq!(code, 1);
    assert!(stdout.contains("breaking[def-still-referenced]"));
    let (code, _, stderr) = lexgen([
        "breaking",
        "--lexicons",
        "tests/broken/ref-missing-def",
        "--against",
        "tests/broken/ref-missing-def",
    ]);
    assert_eq!(code, 2, "{stderr}");
}

#[test]
fn json_format() {
    let dir = "tests/breaking/object-required-removed-property";
    let (code, stdout, _) = lexgen([
        "breaking",
        "--lexicons",
        &format!("{dir}/new"),
        "--against",
        &format!("{dir}/old"),
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("json_format", stdout);
}
