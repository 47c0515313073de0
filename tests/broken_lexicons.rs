//! The catalogue of broken lexicons: each `tests/broken/<case>/` is a small
//! lexicon directory laid out by NSID with one kind of mistake (or several).
//! For every case, `lexgen generate` must exit 2, leave the output directory
//! exactly as it was (every file's bytes and mtime, no file added), and print
//! the diagnostics recorded in `tests/snapshots/broken_lexicons__<case>.snap`.
//! `lexgen lint --format json` must report the same problems, each with a
//! file, a line and column, and a JSON path.

#[path = "common/outdir.rs"]
mod outdir;

use lexgen_tests::{lexgen, repo_path};
use std::fs;

/// Runs one case (see the module docs).
fn check_case(case: &str) {
    let lexicons = format!("tests/broken/{case}");
    assert!(repo_path(&lexicons).is_dir(), "{lexicons} is missing");
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    outdir::copy_tree(&repo_path("tests/fixtures/generated"), &out);
    let before = outdir::fingerprint(&out);
    let out_arg = out.to_string_lossy().to_string();

    let (code, stdout, stderr) = lexgen(["generate", "--lexicons", &lexicons, "--out", &out_arg]);
    assert_eq!(
        code, 2,
        "{case}: generate should fail with exit 2\n{stderr}"
    );
    assert_eq!(stdout, "", "{case}: nothing on stdout");
    outdir::assert_same(&before, &outdir::fingerprint(&out), case);
    assert!(
        !stderr.contains(&out_arg),
        "{case}: lexicon diagnostics should not mention the output dir"
    );
    insta::assert_snapshot!(case, stderr);

    // lint reports the same problems; the JSON form locates each one fully.
    let (lint_code, _, lint_human) = lexgen(["lint", "--lexicons", &lexicons]);
    assert_eq!(
        (lint_code, lint_human.as_str()),
        (2, stderr.as_str()),
        "{case}: lint differs"
    );
    let (json_code, _, json) = lexgen(["lint", "--lexicons", &lexicons, "--format", "json"]);
    assert_eq!(json_code, 2);
    let diagnostics: Vec<serde_json::Value> = json
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    assert_eq!(
        diagnostics.len(),
        stderr.matches("\nerror: ").count() + usize::from(stderr.starts_with("error: ")),
        "{case}: as many JSON diagnostics as human ones"
    );
    for d in &diagnostics {
        let file = d["file"].as_str().expect("file");
        assert!(
            file.starts_with(&lexicons) && file.ends_with(".json"),
            "{case}: file {file}"
        );
        assert!(
            d["line"].as_u64().is_some_and(|l| l >= 1),
            "{case}: line in {d}"
        );
        assert!(
            d["column"].as_u64().is_some_and(|c| c >= 1),
            "{case}: column in {d}"
        );
        assert!(
            d["path"].as_str().is_some_and(|p| !p.is_empty()),
            "{case}: path in {d}"
        );
        assert!(
            d["message"].as_str().is_some_and(|m| m.len() > 10),
            "{case}: message in {d}"
        );
    }
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
    blob_accept_invalid => "blob-accept-invalid",
    body_is_not_an_object => "body-is-not-an-object",
    bom_accepted => "bom-accepted",
    const_with_default => "const-with-default",
    deeply_nested_json => "deeply-nested-json",
    def_name_invalid => "def-name-invalid",
    default_violates_constraints => "default-violates-constraints",
    defs_empty => "defs-empty",
    defs_missing => "defs-missing",
    duplicate_json_keys => "duplicate-json-keys",
    duplicate_known_values => "duplicate-known-values",
    duplicate_lexicon_id => "duplicate-lexicon-id",
    empty_closed_union => "empty-closed-union",
    empty_file => "empty-file",
    enum_values_break_own_rules => "enum-values-break-own-rules",
    field_of_another_type => "field-of-another-type",
    field_wrong_json_type => "field-wrong-json-type",
    file_name_differs_from_id => "file-name-differs-from-id",
    id_missing => "id-missing",
    id_name_with_hyphen => "id-name-with-hyphen",
    id_not_nsid => "id-not-nsid",
    id_path_mismatch => "id-path-mismatch",
    inline_only_types_as_defs => "inline-only-types-as-defs",
    integer_enum_duplicates => "integer-enum-duplicates",
    integer_out_of_range => "integer-out-of-range",
    invalid_json => "invalid-json",
    lexicon_version_2 => "lexicon-version-2",
    lexicon_version_string => "lexicon-version-string",
    many_errors => "many-errors",
    min_length_greater_than_max_length => "min-length-greater-than-max-length",
    minimum_greater_than_maximum => "minimum-greater-than-maximum",
    missing_required_field => "missing-required-field",
    misspelled_field => "misspelled-field",
    negative_length => "negative-length",
    non_utf8 => "non-utf8",
    nullable_missing_property => "nullable-missing-property",
    params_property_type => "params-property-type",
    parse_error_and_other_problems => "parse-error-and-other-problems",
    parse_errors_in_several_files => "parse-errors-in-several-files",
    primary_type_not_main => "primary-type-not-main",
    property_name_empty => "property-name-empty",
    record_key_invalid => "record-key-invalid",
    record_not_object => "record-not-object",
    ref_bad_syntax => "ref-bad-syntax",
    ref_cycle_through_arrays => "ref-cycle-through-arrays",
    ref_missing_def => "ref-missing-def",
    ref_missing_lexicon => "ref-missing-lexicon",
    ref_to_query => "ref-to-query",
    ref_to_token => "ref-to-token",
    required_listed_twice => "required-listed-twice",
    required_missing_property => "required-missing-property",
    required_not_a_list => "required-not-a-list",
    schema_written_as_string => "schema-written-as-string",
    subscription_message_not_union => "subscription-message-not-union",
    subscription_without_message => "subscription-without-message",
    token_as_field => "token-as-field",
    top_level_not_object => "top-level-not-object",
    trailing_comma => "trailing-comma",
    trailing_garbage => "trailing-garbage",
    two_primary_types => "two-primary-types",
    type_missing => "type-missing",
    union_as_named_def => "union-as-named-def",
    union_variant_not_object => "union-variant-not-object",
    unknown_string_format => "unknown-string-format",
    unknown_type_no_suggestion => "unknown-type-no-suggestion",
    unknown_type_typo => "unknown-type-typo",
    xrpc_body_and_errors => "xrpc-body-and-errors",
}

#[test]
fn every_case_directory_is_in_the_catalogue() {
    let mut on_disk: Vec<String> = fs::read_dir(repo_path("tests/broken"))
        .expect("tests/broken")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    assert_eq!(on_disk, CASES, "add new cases to the catalogue! list");
    assert!(CASES.len() >= 30, "the catalogue has at least 30 cases");
}

#[test]
fn the_bom_case_is_otherwise_valid() {
    // A BOM is accepted: the same file without its typo generates fine.
    let text = fs::read_to_string(repo_path("tests/broken/bom-accepted/com/example/post.json"))
        .expect("bom case");
    assert!(text.starts_with('\u{feff}'));
    let fixed = text.replace("\"strin\"", "\"string\"");
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("com/example");
    fs::create_dir_all(&dir).expect("mkdir");
    fs::write(dir.join("post.json"), fixed).expect("write");
    let (code, _, stderr) = lexgen(["lint", "--lexicons", &tmp.path().to_string_lossy()]);
    assert_eq!(code, 0, "{stderr}");
}
