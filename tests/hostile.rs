//! Hostile and extreme input: a 10,000-def lexicon, reference cycles, huge
//! strings, symlink loops, bytes that are not UTF-8, a BOM, and nesting deep
//! enough to overflow a recursive parser. Each either generates Rust that
//! `syn` parses, or fails with a diagnostic; nothing panics or hangs.

use atproto_lexgen::emit::GeneratedFile;
use atproto_lexgen::{Config, Error};
use lexgen_tests::lexgen;
use serde_json::json;
use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

/// Writes `doc` as `<dir>/<nsid as path>.json`.
fn write_lexicon(dir: &Path, doc: &serde_json::Value) {
    let id = doc["id"].as_str().expect("id");
    let path = dir.join(format!("{}.json", id.replace('.', "/")));
    fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    fs::write(path, serde_json::to_string_pretty(doc).expect("json")).expect("write");
}

fn render(dir: &Path) -> Result<Vec<GeneratedFile>, Error> {
    Config::new().lexicons(dir).render()
}

/// Renders, and checks that every generated Rust file parses.
fn render_and_parse(dir: &Path) -> Vec<GeneratedFile> {
    let files = render(dir).unwrap_or_else(|e| panic!("render failed:\n{e}"));
    for f in files.iter().filter(|f| f.path.ends_with(".rs")) {
        if let Err(e) = syn::parse_file(&f.contents) {
            panic!("{} does not parse: {e}", f.path);
        }
    }
    files
}

fn file<'a>(files: &'a [GeneratedFile], path: &str) -> &'a str {
    files
        .iter()
        .find(|f| f.path == path)
        .map(|f| f.contents.as_str())
        .unwrap_or_else(|| panic!("{path} not generated"))
}

/// The text of `pub struct <name> { ... }` in `source`.
fn struct_body<'a>(source: &'a str, name: &str) -> &'a str {
    let start = source
        .find(&format!("pub struct {name} {{"))
        .unwrap_or_else(|| panic!("struct {name} not found"));
    let rest = &source[start..];
    &rest[..rest.find("\n}").expect("struct end")]
}

fn lexicon(id: &str, defs: serde_json::Value) -> serde_json::Value {
    json!({ "lexicon": 1, "id": id, "defs": defs })
}

#[test]
fn ten_thousand_defs_generate_quickly() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut defs = serde_json::Map::new();
    for i in 0..10_000 {
        // Objects that refer forward and back, strings with known values,
        // arrays of refs and unions: every kind of work the resolver does.
        let def = match i % 4 {
            0 => json!({ "type": "object", "required": ["next"], "properties": {
                "next": { "type": "ref", "ref": format!("#d{}", (i + 1) % 10_000) },
                "text": { "type": "string", "maxLength": 100 }
            }}),
            1 => json!({ "type": "string", "knownValues": ["a", "b", format!("v{i}")] }),
            2 => {
                json!({ "type": "array", "items": { "type": "ref", "ref": format!("#d{}", i - 2) } })
            }
            _ => json!({ "type": "object", "properties": {
                "u": { "type": "union", "refs": [format!("#d{}", i - 3), format!("#d{}", (i + 1) % 10_000)] },
                "n": { "type": "integer", "minimum": 0, "maximum": i }
            }}),
        };
        defs.insert(format!("d{i}"), def);
    }
    write_lexicon(tmp.path(), &lexicon("com.example.big", defs.into()));
    let start = Instant::now();
    let (files, timings) = Config::new()
        .lexicons(tmp.path())
        .render_timed()
        .unwrap_or_else(|e| panic!("{e}"));
    let elapsed = start.elapsed();
    println!("10k defs: {elapsed:?} ({timings:?})");
    // Reading and resolving are linear and quick even in a debug build. The
    // output is ~30 MB of Rust; emitting and pretty-printing it takes ~7 s in
    // a release build and about a minute in a debug one, so that bound only
    // catches a quadratic blow-up.
    assert!(
        timings.parse + timings.resolve < Duration::from_secs(20),
        "parse+resolve too slow: {timings:?}"
    );
    assert!(elapsed < Duration::from_secs(400), "too slow: {elapsed:?}");
    let module = file(&files, "src/com/example/big.rs");
    assert!(module.contains("pub struct D9996 {"));
    assert!(module.contains("pub enum D9999U {"));
    syn::parse_file(module).expect("the big module parses");
}

#[test]
fn reference_cycles_generate_with_box() {
    let tmp = tempfile::tempdir().expect("tempdir");
    write_lexicon(
        tmp.path(),
        &lexicon(
            "com.example.a",
            json!({
                "main": { "type": "object", "properties": {
                    "b": { "type": "ref", "ref": "com.example.b" },
                    "list": { "type": "array", "items": { "type": "ref", "ref": "com.example.b" } }
                }},
                "node": { "type": "object", "required": ["value"], "properties": {
                    "value": { "type": "string" },
                    "parent": { "type": "ref", "ref": "#node" },
                    "children": { "type": "array", "items": { "type": "ref", "ref": "#node" } },
                    "inline": { "type": "object", "properties": {
                        "back": { "type": "ref", "ref": "#node" }
                    }}
                }}
            }),
        ),
    );
    write_lexicon(
        tmp.path(),
        &lexicon(
            "com.example.b",
            json!({ "main": { "type": "object", "required": ["a"], "properties": {
                "a": { "type": "ref", "ref": "com.example.a" }
            }}}),
        ),
    );
    let files = render_and_parse(tmp.path());
    let a = file(&files, "src/com/example/a.rs");
    let b = file(&files, "src/com/example/b.rs");
    // a -> b -> a: both direct edges boxed; the Vec edge needs no Box.
    let main_a = struct_body(a, "Main");
    assert!(main_a.contains("pub b: Option<Box<"), "{main_a}");
    assert!(!main_a.contains("Vec<Box"), "{main_a}");
    let main_b = struct_body(b, "Main");
    assert!(main_b.contains("pub a: Box<"), "{main_b}");
    // node -> node directly, and node -> inline object -> node.
    let node = struct_body(a, "Node");
    assert!(node.contains("pub parent: Option<Box<"), "{node}");
    assert!(node.contains("pub inline: Option<Box<"), "{node}");
    assert!(!node.contains("pub children: Option<Vec<Box"), "{node}");
}

#[test]
fn huge_strings_pass_through() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let description = "x".repeat(10 * 1024 * 1024);
    let long_name = format!("p{}", "q".repeat(100_000));
    write_lexicon(
        tmp.path(),
        &lexicon(
            "com.example.huge",
            json!({ "main": { "type": "object", "description": description, "properties": {
                long_name.clone(): { "type": "string", "knownValues": ["y".repeat(100_000)] }
            }}}),
        ),
    );
    // Rendering already parses each file with syn; a second parse of 10 MB
    // would only slow a debug build down.
    let start = Instant::now();
    let files = render(tmp.path()).unwrap_or_else(|e| panic!("{e}"));
    println!("10 MB description: {:?}", start.elapsed());
    let module = file(&files, "src/com/example/huge.rs");
    assert!(
        module.contains(&description),
        "the description is kept whole"
    );
    assert!(
        module.contains(&format!("\"{long_name}\"")),
        "the wire name is kept"
    );
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("com/example");
    fs::create_dir_all(&dir).expect("mkdir");
    for (name, text) in [
        ("brackets", "[".repeat(1_000_000)),
        ("objects", "{\"a\":".repeat(100_000)),
        (
            "schemas",
            format!(
                "{{\"lexicon\":1,\"id\":\"com.example.schemas\",\"defs\":{{\"main\":{}{{\"type\":\"string\"}}{}}}}}",
                "{\"type\":\"array\",\"items\":".repeat(50_000),
                "}".repeat(50_000)
            ),
        ),
    ] {
        fs::write(dir.join(format!("{name}.json")), text).expect("write");
    }
    let (code, _, stderr) = lexgen(["lint", "--lexicons", &tmp.path().to_string_lossy()]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr.matches("nested more than 32 levels deep").count(),
        3,
        "{stderr}"
    );
}

#[test]
fn nesting_just_under_the_limit_generates() {
    // Nesting close to the 32-level JSON limit, as arrays of arrays and as
    // inline objects: the whole pipeline (parse, resolve, emit,
    // prettyplease, syn) stays within the default test-thread stack.
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut arrays = json!({ "type": "string" });
    for _ in 0..27 {
        arrays = json!({ "type": "array", "items": arrays });
    }
    let mut objects = json!({ "type": "string" });
    for _ in 0..13 {
        objects = json!({ "type": "object", "properties": { "o": objects } });
    }
    write_lexicon(
        tmp.path(),
        &lexicon(
            "com.example.deep",
            json!({ "main": { "type": "object", "properties": { "a": arrays, "o": objects } } }),
        ),
    );
    let files = render_and_parse(tmp.path());
    let module = file(&files, "src/com/example/deep.rs");
    assert!(module.matches("Vec<").count() >= 27);
}

#[cfg(unix)]
#[test]
fn symlink_loops_in_the_lexicon_dir_terminate() {
    use std::os::unix::fs::symlink;
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path();
    write_lexicon(
        root,
        &lexicon("com.example.post", json!({ "main": { "type": "string" } })),
    );
    // A directory link back up the tree, a link to itself, and a cycle of two.
    symlink("..", root.join("com/example/up")).expect("symlink");
    symlink("self", root.join("com/self")).expect("symlink");
    symlink("loop2", root.join("com/loop1")).expect("symlink");
    symlink("loop1", root.join("com/loop2")).expect("symlink");
    let files = render_and_parse(root);
    assert_eq!(
        files
            .iter()
            .filter(|f| f.path == "src/com/example/post.rs")
            .count(),
        1,
        "each lexicon is read once"
    );

    // A looping or dangling link named like a lexicon is reported, not skipped.
    symlink("ghost.json", root.join("com/example/ghost.json")).expect("symlink");
    symlink("nowhere", root.join("com/example/dangling.json")).expect("symlink");
    let (code, _, stderr) = lexgen(["lint", "--lexicons", &root.to_string_lossy()]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("ghost.json") && stderr.contains("dangling.json"),
        "{stderr}"
    );
    assert!(stderr.contains("cannot read file"), "{stderr}");
}

#[test]
fn bytes_that_are_not_utf8_are_reported_with_their_position() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("com/example");
    fs::create_dir_all(&dir).expect("mkdir");
    let mut bytes = b"{\n  \"lexicon\": 1,\n  \"id\": \"com.example.bin\",\n  \"defs\": ".to_vec();
    bytes.extend((0x80..=0xFFu8).collect::<Vec<_>>());
    fs::write(dir.join("bin.json"), &bytes).expect("write");
    fs::write(dir.join("noise.json"), [0xFF, 0xFE, 0x00, 0x7B]).expect("write");
    let (code, _, stderr) = lexgen(["lint", "--lexicons", &tmp.path().to_string_lossy()]);
    assert_eq!(code, 2);
    assert!(stderr.contains("bin.json:4:11"), "{stderr}");
    assert!(stderr.contains("noise.json:1:1"), "{stderr}");
    assert_eq!(stderr.matches("is not valid UTF-8").count(), 2, "{stderr}");
}

#[test]
fn a_byte_order_mark_is_accepted() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("com/example");
    fs::create_dir_all(&dir).expect("mkdir");
    let doc = lexicon(
        "com.example.bom",
        json!({ "main": { "type": "string", "maxLength": 3 } }),
    );
    fs::write(dir.join("bom.json"), format!("\u{feff}{doc}")).expect("write");
    let files = render_and_parse(tmp.path());
    assert!(file(&files, "src/com/example/bom.rs").contains("pub struct Main("));
}

#[test]
fn duplicate_keys_anywhere_are_rejected() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("com/example");
    fs::create_dir_all(&dir).expect("mkdir");
    let texts = [
        (
            "top",
            r#"{"lexicon": 1, "lexicon": 1, "id": "com.example.top", "defs": {"main": {"type": "string"}}}"#,
        ),
        (
            "field",
            r#"{"lexicon": 1, "id": "com.example.field", "defs": {"main": {"type": "string", "maxLength": 1, "maxLength": 9}}}"#,
        ),
        (
            "ignored",
            r#"{"lexicon": 1, "id": "com.example.ignored", "defs": {"main": {"type": "string", "x": 1, "x": 2}}}"#,
        ),
        (
            "escaped",
            r#"{"lexicon": 1, "id": "com.example.escaped", "defs": {"main": {"type": "string"}, "m\u0061in": {"type": "string"}}}"#,
        ),
    ];
    for (name, text) in texts {
        fs::write(dir.join(format!("{name}.json")), text).expect("write");
    }
    let (code, _, stderr) = lexgen(["lint", "--lexicons", &tmp.path().to_string_lossy()]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr.matches("error: duplicate key").count(),
        4,
        "{stderr}"
    );
}

#[test]
fn ten_thousand_properties_resolve_in_order() {
    // The duplicate-key check and `required` lookups were quadratic: 100,000
    // properties took 19 s to lint. Correctness only here (no timing).
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut props = serde_json::Map::new();
    for i in 0..10_000 {
        props.insert(format!("p{i}"), json!({ "type": "integer" }));
    }
    let required: Vec<String> = (0..10_000).step_by(2).map(|i| format!("p{i}")).collect();
    write_lexicon(
        tmp.path(),
        &lexicon(
            "com.example.wide",
            json!({ "main": { "type": "object", "required": required, "properties": props } }),
        ),
    );
    let ir = Config::new()
        .lexicons(tmp.path())
        .load_ir()
        .unwrap_or_else(|e| panic!("{e}"));
    let id = ir.def_type("com.example.wide", "main").expect("main");
    let atproto_lexgen::ir::TypeKind::Object(obj) = &ir.ty(id).kind else {
        panic!("main is an object");
    };
    assert_eq!(obj.fields.len(), 10_000);
    for f in &obj.fields {
        let n: usize = f.wire[1..].parse().expect("p<number>");
        assert_eq!(f.required, n % 2 == 0, "{}", f.wire);
    }
}

#[test]
fn a_long_chain_of_aliases_is_one_error_not_a_stack_overflow() {
    // Each array def refers to the next; every alias used to be defined
    // recursively on first use, overflowing the stack at a few thousand.
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut defs = serde_json::Map::new();
    for i in 0..10_000 {
        defs.insert(
            format!("d{i}"),
            json!({ "type": "array", "items": { "type": "ref", "ref": format!("#d{}", i + 1) } }),
        );
    }
    defs.insert("d10000".into(), json!({ "type": "string" }));
    write_lexicon(tmp.path(), &lexicon("com.example.chain", defs.into()));
    let Err(Error::Lexicon(diagnostics)) = render(tmp.path()) else {
        panic!("a 10,000-long alias chain is rejected");
    };
    assert_eq!(diagnostics.0.len(), 1, "{diagnostics}");
    assert!(
        diagnostics.0[0]
            .message
            .contains("chain of more than 32 non-object definitions"),
        "{diagnostics}"
    );

    // 32 links are fine.
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut defs = serde_json::Map::new();
    for i in 0..32 {
        defs.insert(
            format!("d{i}"),
            json!({ "type": "array", "items": { "type": "ref", "ref": format!("#d{}", i + 1) } }),
        );
    }
    defs.insert("d32".into(), json!({ "type": "string" }));
    write_lexicon(tmp.path(), &lexicon("com.example.chain", defs.into()));
    render_and_parse(tmp.path());
}

#[cfg(unix)]
#[test]
fn symlinked_directories_are_not_followed_whichever_way_they_sort() {
    // An alias of a namespace folder used to be read instead of the real one
    // when it sorted first (every lexicon then had a path that did not match
    // its id) and was silently skipped when it sorted after.
    use std::os::unix::fs::symlink;
    let tmp = tempfile::tempdir().expect("tempdir");
    let lexicons = tmp.path().join("lexicons");
    for (id, ty) in [
        ("com.example.post", "string"),
        ("com.example.like", "integer"),
    ] {
        write_lexicon(&lexicons, &lexicon(id, json!({ "main": { "type": ty } })));
    }
    symlink("example", lexicons.join("com/aaa")).expect("symlink");
    symlink("example", lexicons.join("com/zzz")).expect("symlink");
    // A symlinked file is still read.
    let elsewhere = tmp.path().join("elsewhere");
    write_lexicon(
        &elsewhere,
        &lexicon("com.other.thing", json!({ "main": { "type": "boolean" } })),
    );
    fs::create_dir_all(lexicons.join("com/other")).expect("mkdir");
    symlink(
        elsewhere.join("com/other/thing.json"),
        lexicons.join("com/other/thing.json"),
    )
    .expect("symlink");

    let (code, _, stderr) = lexgen(["lint", "--lexicons", &lexicons.to_string_lossy()]);
    assert_eq!(code, 0, "{stderr}");
    let files = render_and_parse(&lexicons);
    let modules: Vec<&str> = files
        .iter()
        .map(|f| f.path.as_str())
        .filter(|p| p.starts_with("src/com/") && p.matches('/').count() == 3)
        .collect();
    assert_eq!(
        modules,
        [
            "src/com/example/like.rs",
            "src/com/example/post.rs",
            "src/com/other/thing.rs"
        ],
        "the linked folders are skipped, the linked file read"
    );
}
