//! `check` confirms an unchanged crate from the fingerprint its manifest
//! records (the inputs' hash and the outputs' hash), without generating;
//! anything changed since (a lexicon, an option, a generated file, the
//! manifest) is not confirmed that way, and the full comparison still
//! reports it with its diff.

use atproto_lexgen::Config;
use lexgen_tests::{copy_dir, repo_path};
use std::fs;
use std::path::Path;

/// Fixture lexicons copied into `tmp/lexicons`, generated into `tmp/out`.
fn generated(tmp: &Path) -> Config {
    copy_dir(&repo_path("tests/fixtures/lexicons"), &tmp.join("lexicons"));
    let mut config = Config::new();
    config
        .lexicons(tmp.join("lexicons"))
        .out_dir(tmp.join("out"))
        .crate_name("lexgen-fixture-types");
    config.generate().expect("generate");
    config
}

#[test]
fn an_unchanged_crate_is_confirmed_from_its_fingerprint() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let config = generated(tmp.path());
    assert!(config.is_unchanged().expect("fingerprint"));
    assert!(config.check().expect("check").is_clean());
    let manifest = fs::read_to_string(tmp.path().join("out/.lexgen-manifest")).expect("manifest");
    assert_eq!(manifest.matches("# fingerprint: ").count(), 1, "{manifest}");
}

#[test]
fn a_hand_edited_file_is_not_confirmed_and_check_shows_the_diff() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let config = generated(tmp.path());
    let file = tmp.path().join("out/src/com/example/record.rs");
    let text = fs::read_to_string(&file).expect("read");
    fs::write(&file, text.replace("pub struct", "pub  struct")).expect("write");
    assert!(!config.is_unchanged().expect("fingerprint"));
    let drift = config.check().expect("check");
    assert_eq!(drift.changed.len(), 1, "{drift}");
    assert!(drift.changed[0].1.contains("+pub struct"), "{drift}");
}

#[test]
fn a_changed_lexicon_is_not_confirmed_and_check_reports_the_stale_file() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let config = generated(tmp.path());
    let lexicon = tmp.path().join("lexicons/com/example/record.json");
    let text = fs::read_to_string(&lexicon).expect("read");
    let edited = text.replacen("\"description\": \"", "\"description\": \"Edited. ", 1);
    assert_ne!(text, edited, "the fixture has a description to edit");
    fs::write(&lexicon, edited).expect("write");
    assert!(!config.is_unchanged().expect("fingerprint"));
    let drift = config.check().expect("check");
    assert!(!drift.is_clean());
    assert!(
        drift.changed.iter().any(|(p, _)| p == ".lexgen-manifest"),
        "{drift}"
    );
}

#[test]
fn other_options_or_a_touched_manifest_or_a_missing_file_are_not_confirmed() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let config = generated(tmp.path());
    let mut renamed = config.clone();
    renamed.crate_name("other-name");
    assert!(!renamed.is_unchanged().expect("fingerprint"));
    assert!(!renamed.check().expect("check").is_clean());

    let manifest = tmp.path().join("out/.lexgen-manifest");
    let text = fs::read_to_string(&manifest).expect("read");
    fs::write(&manifest, format!("{text}# a note\n")).expect("write");
    assert!(!config.is_unchanged().expect("fingerprint"));
    assert!(!config.check().expect("check").is_clean());
    fs::write(&manifest, &text).expect("restore");
    assert!(config.is_unchanged().expect("fingerprint"));

    fs::remove_file(tmp.path().join("out/src/lib.rs")).expect("remove");
    assert!(!config.is_unchanged().expect("fingerprint"));
    let drift = config.check().expect("check");
    assert_eq!(drift.missing, ["src/lib.rs"], "{drift}");
}

#[test]
fn the_fingerprint_does_not_depend_on_how_the_lexicon_directory_is_spelled() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let config = generated(tmp.path());
    let mut spelled = Config::new();
    spelled
        .lexicons(tmp.path().join("lexicons/../lexicons"))
        .out_dir(tmp.path().join("out"))
        .crate_name("lexgen-fixture-types");
    assert!(spelled.is_unchanged().expect("fingerprint"));
    assert!(config.is_unchanged().expect("fingerprint"));
}
