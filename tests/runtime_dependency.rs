//! The generated crate finds `atproto-lexgen-runtime` in the three settings
//! users have: inside this workspace (version + relative path; the
//! checked-in crates, see `drift.rs`), generated outside the repository with
//! a runtime path, and from crates.io at lexgen's own version (the default).

#[path = "common/cargo.rs"]
mod cargo;

use lexgen_tests::{lexgen, repo_path};
use std::fs;

fn fixture_lexicons() -> String {
    repo_path("tests/fixtures/lexicons")
        .to_str()
        .expect("utf-8 path")
        .to_owned()
}

#[test]
fn the_workspace_crates_name_the_runtime_by_version_and_relative_path() {
    let manifest = fs::read_to_string(repo_path("generated/Cargo.toml")).expect("read");
    assert!(
        manifest.contains(&format!(
            "atproto-lexgen-runtime = {{ version = \"{}\", path = \"../codegen/runtime\" }}",
            atproto_lexgen::runtime::VERSION
        )),
        "{manifest}"
    );
}

#[test]
fn a_crate_generated_outside_the_repository_builds_and_passes_its_tests() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("outside");
    let runtime = repo_path("codegen/runtime");
    let (code, stdout, stderr) = lexgen([
        "generate",
        "--lexicons",
        &fixture_lexicons(),
        "--out",
        out.to_str().expect("utf-8 path"),
        "--crate-name",
        "outside-types",
        "--runtime-path",
        runtime.to_str().expect("utf-8 path"),
    ]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let manifest = fs::read_to_string(out.join("Cargo.toml")).expect("read");
    assert!(manifest.contains("path = \"../"), "{manifest}");
    // A test of the generated crate, as its user would write one: the
    // runtime's types are the crate's types.
    fs::create_dir_all(out.join("tests")).expect("mkdir");
    fs::write(
        out.join("tests/it.rs"),
        r##"
use outside_types::com::example::strings;

#[test]
fn validates_and_shares_the_runtime() {
    let err = serde_json::from_str::<strings::Main>(r#"{"text": "much too long for ten graphemes"}"#)
        .expect_err("too long");
    assert!(err.to_string().contains("text: maxLength 30"), "{err}");
    let did: atproto_lexgen_runtime::formats::Did =
        outside_types::formats::Did::new("did:plc:abc").expect("valid");
    assert_eq!(did.as_str(), "did:plc:abc");
}
"##,
    )
    .expect("write test");
    cargo::workspace(tmp.path(), &["outside"], "");
    cargo::assert_clean(tmp.path(), &["test", "-q"]);
}

#[test]
fn by_default_the_runtime_comes_from_crates_io_at_lexgens_version() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("registry-types");
    let mut config = atproto_lexgen::Config::new();
    config
        .lexicons(fixture_lexicons())
        .out_dir(&out)
        .crate_name("registry-types");
    config.generate().expect("generate");
    let manifest = fs::read_to_string(out.join("Cargo.toml")).expect("read");
    let line = format!(
        "atproto-lexgen-runtime = \"{}\"\n",
        atproto_lexgen::runtime::VERSION
    );
    assert!(manifest.contains(&line), "{manifest}");
    // Stand in for crates.io: the patch resolves the versioned dependency
    // to this checkout (offline), as a published runtime would be.
    let patch = format!(
        "[patch.crates-io]\natproto-lexgen-runtime = {{ path = {:?} }}\n",
        repo_path("codegen/runtime").to_str().expect("utf-8 path")
    );
    cargo::workspace(tmp.path(), &["registry-types"], &patch);
    cargo::assert_clean(tmp.path(), &["check", "-q", "--all-features"]);
}
