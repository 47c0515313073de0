//! Snapshot tests of emitted code: createSession and every fixture lexicon
//! (each fixture exercises features; the same output is checked in as the
//! `lexgen-fixture-types` crate, which the workspace compiles and lints).

use lexgen_tests::repo_path;

fn render(lexicons: &str, out: &str, crate_name: &str) -> Vec<atproto_lexgen::emit::GeneratedFile> {
    let mut config = atproto_lexgen::Config::new();
    config
        .lexicons(repo_path(lexicons))
        .crate_name(crate_name)
        .out_dir(repo_path(out))
        .runtime_path(repo_path("codegen/runtime"));
    config.render().expect("render")
}

fn file<'a>(files: &'a [atproto_lexgen::emit::GeneratedFile], path: &str) -> &'a str {
    &files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("{path} not generated"))
        .contents
}

#[test]
fn create_session_module() {
    let files = render("lexicons", "generated", "atproto-types");
    insta::assert_snapshot!(file(&files, "src/com/atproto/server/create_session.rs"));
}

#[test]
fn generated_cargo_toml() {
    let files = render("lexicons", "generated", "atproto-types");
    insta::assert_snapshot!(file(&files, "Cargo.toml"));
}

#[test]
fn fixture_modules() {
    let files = render(
        "tests/fixtures/lexicons",
        "tests/fixtures/generated",
        "lexgen-fixture-types",
    );
    let mut seen = 0;
    for f in &files {
        let is_lexicon =
            f.path.starts_with("src/com/") || f.path == "src/lib.rs" || f.path == "Cargo.toml";
        if is_lexicon {
            let name = format!(
                "fixture__{}",
                f.path.trim_end_matches(".rs").replace('/', "__")
            );
            insta::assert_snapshot!(name, &f.contents);
            seen += 1;
        }
    }
    assert!(seen >= 15, "expected every fixture module, saw {seen}");
}

#[test]
fn cli_help() {
    let (code, out, _) = lexgen_tests::lexgen(["--help"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!(out);
}
