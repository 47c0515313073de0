//! Lexicon evolution does not break Rust code: an app written against the
//! types generated from `tests/evolution/v1` still compiles after the
//! lexicons gain what the evolution rules allow (an optional property, an
//! open-union member, a known value, a param and an error: `v2`) and the
//! types are regenerated. Generated structs are `#[non_exhaustive]` and
//! built through `new`/`with_…`; open enums are `#[non_exhaustive]`.

use atproto_lexgen::Config;
use lexgen_tests::repo_path;
use std::fs;
use std::path::Path;
use std::process::Command;

fn generate(version: &str, out: &Path) {
    Config::new()
        .lexicons(repo_path(&format!("tests/evolution/{version}")))
        .out_dir(out)
        .crate_name("evo-types")
        .runtime_path(repo_path("codegen/runtime"))
        .generate()
        .unwrap_or_else(|e| panic!("{version}: {e}"));
}

fn check_app(app: &Path, version: &str) {
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("evolution-target");
    let output = Command::new(env!("CARGO"))
        .args(["check", "--offline", "--quiet"])
        .current_dir(app)
        .env("CARGO_TARGET_DIR", &target)
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .expect("run cargo");
    assert!(
        output.status.success(),
        "the app no longer compiles against {version}:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn an_app_compiles_against_v1_and_again_after_the_lexicons_evolve() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let types = tmp.path().join("types");
    let app = tmp.path().join("app");
    fs::create_dir_all(app.join("src")).expect("mkdir");
    fs::copy(
        repo_path("tests/evolution/app/src/lib.rs"),
        app.join("src/lib.rs"),
    )
    .expect("copy app");
    fs::write(
        app.join("Cargo.toml"),
        "[package]\nname = \"evo-app\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n\
         [dependencies]\nevo-types = { path = \"../types\" }\n\n[workspace]\n",
    )
    .expect("Cargo.toml");
    fs::copy(repo_path("Cargo.lock"), app.join("Cargo.lock")).expect("lockfile");

    generate("v1", &types);
    check_app(&app, "v1");
    let v1 = fs::read_to_string(types.join("src/com/example/evo/post.rs")).expect("post.rs");

    generate("v2", &types);
    let v2 = fs::read_to_string(types.join("src/com/example/evo/post.rs")).expect("post.rs");
    // The regenerated types really are different.
    for added in ["with_via", "Link", "Excited"] {
        assert!(!v1.contains(added) && v2.contains(added), "{added}");
    }
    check_app(&app, "v2");
}
