//! The checked-in generated crates must be exactly what the generator
//! writes today (the drift check inside `cargo test`), and generation must be
//! deterministic.

use lexgen_tests::repo_path;

fn assert_up_to_date(lexicons: &str, out: &str, crate_name: &str) {
    let mut config = atproto_lexgen::Config::new();
    config
        .lexicons(repo_path(lexicons))
        .out_dir(repo_path(out))
        .crate_name(crate_name)
        .runtime_path(repo_path("codegen/runtime"));
    let drift = config.check().expect("generation succeeds");
    assert!(
        drift.is_clean(),
        "{out}/ is stale; regenerate with `cargo run -p atproto-lexgen -- generate --lexicons {lexicons} --out {out} --crate-name {crate_name} --runtime-path codegen/runtime`\n{drift}"
    );
}

#[test]
fn generated_crate_is_up_to_date() {
    assert_up_to_date("lexicons", "generated", "atproto-types");
}

#[test]
fn fixture_crate_is_up_to_date() {
    assert_up_to_date(
        "tests/fixtures/lexicons",
        "tests/fixtures/generated",
        "lexgen-fixture-types",
    );
}

#[test]
fn generation_is_byte_identical_across_runs() {
    let mut config = atproto_lexgen::Config::new();
    config.lexicons(repo_path("lexicons"));
    let first = config.render().expect("first run");
    let second = config.render().expect("second run");
    assert_eq!(first.len(), second.len());
    for (a, b) in first.iter().zip(&second) {
        assert_eq!(a.path, b.path);
        assert!(a.contents == b.contents, "{} differs between runs", a.path);
    }
}

#[test]
fn every_generated_file_has_the_header() {
    let mut config = atproto_lexgen::Config::new();
    config.lexicons(repo_path("lexicons"));
    for file in config.render().expect("render") {
        let first = file.contents.lines().next().unwrap_or_default();
        assert!(
            first.contains("@generated"),
            "{} lacks the header: {first}",
            file.path
        );
        if file.path.starts_with("src/com/") || file.path.starts_with("src/app/") {
            assert!(first.contains("lexgen from"), "{}: {first}", file.path);
        }
    }
}
