//! Lexicons that `lint` accepts must generate a crate that compiles, whatever
//! they are named and whatever their descriptions hold. One crate holds every
//! hostile case, built once with `cargo test --doc` (which compiles the
//! library with `-D warnings`, then runs its doctests):
//!
//! - every reserved root module name as a first NSID segment (`lib.x.y`
//!   used to overwrite `src/lib.rs`, `client.x.y` the client), and every
//!   runtime module a lexicon module imports as the last segment of a
//!   lexicon under another lexicon (`com.example.names.types`);
//! - defs named like the emitter's generics (`e` -> `E` inside `fn
//!   finish<E>`), locals, prelude and std names, and every single letter;
//!   an endpoint and a token constant with the same name;
//! - bidirectional controls in descriptions and known values (rustc denies
//!   them in comments) and `~~~` fences around code that does not compile
//!   (they used to become failing doctests).

use atproto_lexgen::names::{LEXICON_MODULE_IMPORTS, RESERVED_ROOT_MODULES};
use atproto_lexgen::Config;
use lexgen_tests::repo_path;
use serde_json::{json, Map, Value};
use std::fs;
use std::path::Path;
use std::process::Command;

fn write_lexicon(dir: &Path, id: &str, defs: Value) {
    let path = dir.join(format!("{}.json", id.replace('.', "/")));
    fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    let doc = json!({ "lexicon": 1, "id": id, "defs": defs });
    fs::write(path, serde_json::to_string_pretty(&doc).expect("json")).expect("write");
}

/// Descriptions and values with every bidi control and a `~~~` fence.
const BIDI: &str = "a\u{202A}b\u{202B}c\u{202C}d\u{202D}e\u{202E}f\u{2066}g\u{2067}h\u{2068}i\u{2069}j\u{200E}k\u{200F}l\u{061C}m";
const FENCED: &str =
    "Example:\n~~~\nthis is not rust {\n~~~\nand\n~~~rust\nlet x: u8 = \"no\";\n~~~";

/// Names a def may take that meet names the emitted code uses.
const HOSTILE_DEFS: &[&str] = &[
    "self",
    "Self",
    "super",
    "crate",
    "Some",
    "None",
    "Ok",
    "Err",
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
    "Main",
    "Record",
    "Params",
    "Input",
    "Output",
    "Error",
    "Unknown",
    "Other",
    "extra",
    "value",
    "map",
    "path",
    "key",
    "de",
    "serde",
    "std",
    "core",
    "Validate",
    "Path",
    "ValidationError",
    "Builder",
    "MainBuilder",
    "ABuilder",
    "Deserialize",
    "Serialize",
    "Deserializer",
    "Serializer",
    "MapAccess",
    "SerializeMap",
    "Default",
    "Clone",
    "Debug",
    "PartialEq",
    "Display",
    "From",
    "FromStr",
    "AsRef",
    "Infallible",
    "Object",
    "ObjectDe",
    "ObjectSer",
    "WriteFields",
    "ValidateFields",
    "Extra",
    "Formatter",
    "DeserializeAt",
    "Endpoint",
    "QueryParams",
    "Unnamed",
];

fn hostile_lexicons(dir: &Path) {
    for name in RESERVED_ROOT_MODULES {
        // NSIDs have no `_`: `client-blocking` is what becomes `client_blocking`.
        let segment = name.replace('_', "-");
        write_lexicon(
            dir,
            &format!("{segment}.example.thing"),
            json!({ "main": { "type": "object", "properties": { "n": { "type": "integer" } } } }),
        );
    }

    // Single letters (both cases: `a` and `A` are both `A`), each an object
    // with a required ref to the next letter and a union of two others.
    let mut defs = Map::new();
    let letters: Vec<char> = ('a'..='z').collect();
    for (i, c) in letters.iter().enumerate() {
        let next = letters[(i + 1) % letters.len()];
        let other = letters[(i + 7) % letters.len()];
        defs.insert(
            c.to_string(),
            // `finish`'s parameters (`b`, `extra`) and its numbered locals
            // (`v0`, ...) as required and optional fields.
            json!({ "type": "object", "required": ["next", "b", "v1"], "properties": {
                "next": { "type": "ref", "ref": format!("#{next}") },
                "v0": { "type": "string" }, "v1": { "type": "string" },
                "extra": { "type": "integer" },
                "u": { "type": "union", "refs": [format!("#{c}"), format!("#{other}")] },
                "b": { "type": "string" }, "key": { "type": "string" },
                "map": { "type": "integer" }, "path": { "type": "boolean" },
                "value": { "type": "string" }, "v": { "type": "string" },
                "s": { "type": "string" }, "d": { "type": "string" }
            }}),
        );
        defs.insert(
            c.to_ascii_uppercase().to_string(),
            json!({ "type": "string", "knownValues": ["x", "y"] }),
        );
    }
    for name in HOSTILE_DEFS {
        defs.insert(
            name.to_string(),
            json!({ "type": "object", "required": ["self"], "properties": {
                "self": { "type": "ref", "ref": "#e" },
                "Self": { "type": "ref", "ref": "#E" },
                "extra": { "type": "string" }
            }}),
        );
    }
    write_lexicon(dir, "com.example.names", Value::Object(defs));
    for name in LEXICON_MODULE_IMPORTS {
        write_lexicon(
            dir,
            &format!("com.example.names.{name}"),
            json!({ "main": { "type": "object", "properties": {
                "n": { "type": "ref", "ref": "com.example.names#e" } } } }),
        );
    }

    // An endpoint named `x` next to a token `x`: both are values.
    write_lexicon(
        dir,
        "com.example.x",
        json!({
            "main": { "type": "query",
                "parameters": { "type": "params", "properties": { "x": { "type": "string" } } },
                "output": { "encoding": "application/json",
                    "schema": { "type": "object", "properties": { "e": { "type": "ref", "ref": "#e" } } } },
                "errors": [{ "name": "Other" }, { "name": "E" }] },
            "x": { "type": "token", "description": "the token x" },
            "e": { "type": "object", "properties": {} }
        }),
    );

    // Bidi controls and fences wherever lexicon text reaches the output.
    write_lexicon(
        dir,
        "com.example.bidi",
        json!({
            "main": { "type": "record", "key": "tid", "description": FENCED, "record": {
                "type": "object", "description": BIDI, "properties": {
                    "s": { "type": "string", "description": format!("{BIDI}\n{FENCED}"),
                        "default": BIDI, "maxGraphemes": 100 },
                    "k": { "type": "string", "knownValues": [BIDI, format!("com.example.bidi#{}", "t")] }
                }
            }},
            "t": { "type": "token", "description": BIDI },
            "tilde": { "type": "string", "description": "~~~\n}}} not rust\n~~~" }
        }),
    );
}

#[test]
fn hostile_names_and_descriptions_generate_a_crate_that_compiles() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let lexicons = tmp.path().join("lexicons");
    let out = tmp.path().join("crate");
    hostile_lexicons(&lexicons);
    let mut config = Config::new();
    config
        .lexicons(&lexicons)
        .out_dir(&out)
        .crate_name("hostile-names")
        .runtime_path(repo_path("codegen/runtime"));
    config.generate().unwrap_or_else(|e| panic!("{e}"));
    let drift = config.check().unwrap_or_else(|e| panic!("{e}"));
    assert!(drift.is_clean(), "check right after generate: {drift:?}");

    // The crate's own files are its own.
    let lib = fs::read_to_string(out.join("src/lib.rs")).expect("lib.rs");
    assert!(lib.contains("pub mod lib2;") && lib.contains("pub mod client2;"));
    let names = fs::read_to_string(out.join("src/com/example/names.rs")).expect("names.rs");
    assert!(names.contains("pub mod types2;") && names.contains("use crate::{de, formats"));
    assert!(!out.join("src/main.rs").exists() && !out.join("src/bin").exists());
    for entry in walk(&out.join("src")) {
        let text = fs::read_to_string(&entry).expect("read");
        for c in ['\u{202E}', '\u{2066}', '\u{200F}', '\u{061C}'] {
            assert!(!text.contains(c), "{} holds {c:?}", entry.display());
        }
    }

    // Offline, with the workspace's locked versions, in a target dir kept
    // between runs (dependencies build once).
    fs::copy(repo_path("Cargo.lock"), out.join("Cargo.lock")).expect("lockfile");
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("hostile-names-target");
    let output = Command::new(env!("CARGO"))
        .args(["test", "--doc", "--offline", "--quiet"])
        .current_dir(&out)
        .env("CARGO_TARGET_DIR", &target)
        .env("RUSTFLAGS", "-D warnings")
        .env("RUSTDOCFLAGS", "-D warnings")
        .output()
        .expect("run cargo");
    assert!(
        output.status.success(),
        "the generated crate does not build or its doctests fail:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).expect("read_dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}
