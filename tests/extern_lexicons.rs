//! Extern namespaces (`--extern NSID_PREFIX=RUST_PATH`): lexicons whose
//! types live in another crate are resolved but not emitted, refs name the
//! other crate's types, and the generated Cargo.toml depends on that crate
//! with the namespace features forwarded. Also: every Rust keyword and every
//! reserved root name as an NSID segment, a def name and a property name, in
//! a crate with extern namespaces, compiles.

#[path = "common/cargo.rs"]
mod cargo;

use atproto_lexgen::emit::GeneratedFile;
use atproto_lexgen::{Config, Error};
use lexgen_tests::{lexgen, repo_path};
use serde_json::json;
use std::fs;
use std::path::Path;

/// Writes each lexicon document at the path of its NSID.
fn write_lexicons(dir: &Path, docs: &[serde_json::Value]) {
    for doc in docs {
        let id = doc["id"].as_str().expect("id");
        let path = dir.join(format!("{}.json", id.replace('.', "/")));
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, serde_json::to_string_pretty(doc).expect("json")).expect("write");
    }
}

/// `xyz.app.thing`: a record with a strongRef and a union member from the
/// fixture crate's namespaces.
fn app_lexicon() -> serde_json::Value {
    json!({
        "lexicon": 1,
        "id": "xyz.app.thing",
        "defs": {
            "main": {
                "type": "record",
                "key": "tid",
                "record": {
                    "type": "object",
                    "required": ["subject"],
                    "properties": {
                        "subject": { "type": "ref", "ref": "com.atproto.repo.strongRef" },
                        "media": { "type": "union", "refs": ["com.example.unions#image"] }
                    }
                }
            }
        }
    })
}

/// A config over the app lexicon and the fixture lexicons, with `com`
/// extern to the fixture crate.
fn config(app: &Path, out: &Path) -> Config {
    let mut config = Config::new();
    config
        .lexicons(app)
        .lexicons(repo_path("tests/fixtures/lexicons"))
        .out_dir(out)
        .crate_name("app-types")
        .runtime_path(repo_path("codegen/runtime"))
        .extern_path("com", "lexgen_fixture_types::com")
        .extern_crate(
            "lexgen-fixture-types",
            format!(
                "{{ path = {:?}, default-features = false }}",
                repo_path("tests/fixtures/generated")
                    .to_str()
                    .expect("utf-8 path")
            ),
        );
    config
}

fn file<'a>(files: &'a [GeneratedFile], path: &str) -> &'a str {
    &files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("{path} not generated"))
        .contents
}

#[test]
fn extern_namespaces_are_resolved_but_not_emitted() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let app = tmp.path().join("lexicons");
    write_lexicons(&app, &[app_lexicon()]);
    let files = config(&app, &tmp.path().join("out"))
        .render()
        .expect("render");
    // The fixture lexicons (including their own com.atproto copy) are only
    // used for resolution.
    assert!(
        files.iter().all(|f| !f.path.starts_with("src/com")),
        "{:?}",
        files.iter().map(|f| &f.path).collect::<Vec<_>>()
    );
    let thing = file(&files, "src/xyz/app/thing.rs");
    assert!(
        thing.contains("::lexgen_fixture_types::com::atproto::repo::strong_ref::Main"),
        "{thing}"
    );
    assert!(
        thing.contains("::lexgen_fixture_types::com::example::unions::Image"),
        "{thing}"
    );
    let manifest = file(&files, "Cargo.toml");
    assert!(
        manifest.contains("lexgen-fixture-types = { path = "),
        "{manifest}"
    );
    assert!(
        manifest.contains(
            "xyz-app = [\"lexgen-fixture-types/com-atproto\", \"lexgen-fixture-types/com-example\"]"
        ),
        "{manifest}"
    );
    assert!(manifest.contains("default = [\"xyz-app\"]"), "{manifest}");
}

#[test]
fn an_extern_crate_without_a_dependency_is_a_configuration_error() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let app = tmp.path().join("lexicons");
    write_lexicons(&app, &[app_lexicon()]);
    let mut config = Config::new();
    config
        .lexicons(&app)
        .lexicons(repo_path("tests/fixtures/lexicons"))
        .extern_path("com", "lexgen_fixture_types::com");
    match config.render() {
        Err(Error::Config(message)) => assert!(
            message.contains("--extern-crate lexgen-fixture-types="),
            "{message}"
        ),
        other => panic!("expected a configuration error, got {other:?}"),
    }
    // In single-file mode the including crate has the dependency.
    config.single_file("types.rs", "crate::types");
    config
        .render()
        .expect("single-file needs no extern crate spec");
}

#[test]
fn a_ref_into_a_namespace_neither_present_nor_extern_is_a_located_error() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let app = tmp.path().join("lexicons");
    write_lexicons(&app, &[app_lexicon()]);
    // `com.atproto` is extern, but its lexicons are not loaded.
    let mut config = Config::new();
    config
        .lexicons(&app)
        .extern_path("com", "lexgen_fixture_types::com")
        .single_file("types.rs", "crate::types");
    match config.render() {
        Err(Error::Lexicon(diags)) => {
            let text = diags.to_string();
            assert!(
                text.contains("no lexicon \"com.atproto.repo.strongRef\" was found"),
                "{text}"
            );
            assert!(text.contains("thing.json"), "{text}");
            assert!(
                text.contains("defs.main.record.properties.subject"),
                "{text}"
            );
        }
        other => panic!("expected a lexicon error, got {other:?}"),
    }
}

#[test]
fn the_cli_takes_repeated_lexicons_externs_and_extern_crates() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let app = tmp.path().join("lexicons");
    write_lexicons(&app, &[app_lexicon()]);
    let out = tmp.path().join("out");
    let fixtures = repo_path("tests/fixtures/lexicons");
    let args = [
        "generate",
        "--lexicons",
        app.to_str().expect("utf-8"),
        "--lexicons",
        fixtures.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
        "--extern",
        "com.atproto=lexgen_fixture_types::com::atproto",
        "--extern",
        "com.example=lexgen_fixture_types::com::example",
        "--extern-crate",
        "lexgen-fixture-types=0.1",
    ];
    let (code, stdout, stderr) = lexgen(args);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let manifest = fs::read_to_string(out.join("Cargo.toml")).expect("read");
    assert!(
        manifest.contains("lexgen-fixture-types = \"0.1\""),
        "{manifest}"
    );
    assert!(!out.join("src/com").exists());

    let (code, _, stderr) = lexgen(["generate", "--extern", "com.atproto"]);
    assert_eq!(code, 2, "{stderr}");
    let (code, _, stderr) = lexgen([
        "generate",
        "--lexicons",
        app.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
        "--extern",
        "com.atproto=not a path",
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("is not a Rust path"), "{stderr}");
}

/// Every name that could break a crate: Rust keywords and the names the
/// runtime's re-exports and planned modules occupy. (`lib` and `main`, which
/// would clash with `src/lib.rs` and make `src/main.rs` a binary, are
/// reserved by the names module; add them here once they are.)
fn dangerous_names() -> Vec<String> {
    let mut names: Vec<String> = atproto_lexgen::names::KEYWORDS
        .iter()
        .map(|s| s.to_string())
        .collect();
    names.extend(
        atproto_lexgen::runtime::MODULES
            .iter()
            .map(|m| m.name.to_string()),
    );
    names.extend(
        [
            "cbor", "server", "repo", "firehose", "data", "prelude", "extra",
        ]
        .map(String::from),
    );
    names.sort();
    names.dedup();
    names
}

#[test]
fn keywords_and_reserved_names_everywhere_compile_in_a_crate_with_externs() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let app = tmp.path().join("lexicons");
    let names = dangerous_names();
    let mut properties = serde_json::Map::new();
    for name in &names {
        properties.insert(name.clone(), json!({ "type": "string", "maxLength": 10 }));
    }
    properties.insert(
        "subject".into(),
        json!({ "type": "ref", "ref": "com.atproto.repo.strongRef" }),
    );
    let docs: Vec<serde_json::Value> = names
        .iter()
        .map(|name| {
            // The name as every NSID segment (the authority in lower case).
            let lower = name.to_lowercase();
            let mut defs = serde_json::Map::new();
            defs.insert(
                "main".into(),
                json!({ "type": "object", "properties": properties }),
            );
            defs.insert(
                name.clone(),
                json!({
                    "type": "object",
                    "properties": {
                        name.clone(): { "type": "ref", "ref": "#main" },
                        "media": { "type": "union", "refs": ["com.example.unions#image", "#main"] }
                    }
                }),
            );
            // NSIDs have no `_`: `client-blocking` is what becomes module `client_blocking`.
            let (segment, last) = (lower.replace('_', "-"), name.replace('_', ""));
            json!({ "lexicon": 1, "id": format!("{segment}.{segment}.{last}"), "defs": defs })
        })
        .collect();
    write_lexicons(&app, &docs);
    let out = tmp.path().join("app-types");
    let report = config(&app, &out).generate().expect("generate");
    assert!(report.written.len() > names.len());
    let manifest = fs::read_to_string(out.join("Cargo.toml")).expect("read");
    assert!(
        manifest.contains("type-type = [\"lexgen-fixture-types/com-atproto\", \"lexgen-fixture-types/com-example\"]"),
        "{manifest}"
    );
    cargo::workspace(tmp.path(), &["app-types"], "");
    cargo::assert_clean(tmp.path(), &["check", "-q", "--all-features"]);
}
