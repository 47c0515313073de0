//! Property: any lexicon set the checker accepts renders to Rust files that
//! `syn` parses, and no lexicon set makes the generator panic.
//!
//! Lexicons are random documents: objects whose property names include Rust
//! keywords and odd characters, every field type with random constraints,
//! refs among the generated defs (so cycles happen), unions, and knownValues
//! with odd strings. Most nodes are valid, so that a fair share of sets is
//! accepted and reaches the emitter; a few "chaos" nodes (dangling refs,
//! contradictory constraints, tokens as fields, ...) exercise the checker.

use atproto_lexgen::{Config, Error};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config as RunnerConfig, TestRunner};
use serde_json::{json, Map, Value};
use std::fs;

/// Lexicons always present (refs between them resolve) and optional extras
/// whose segments are keywords or clash with runtime modules.
const ALWAYS: &[&str] = &["com.example.a", "com.example.type"];
const EXTRA: &[&str] = &[
    "com.example.self.Super",
    "com.ex-ample.fooBar",
    "formats.types.de",
];

/// Defs every lexicon has: always objects (valid union variants), and
/// defs of a random other kind.
const OBJECT_DEFS: &[&str] = &["Self", "fooBar", "extra", "Record"];
const OTHER_DEFS: &[&str] = &["Other", "self", "crate", "Error"];

/// Property names and known values: keywords, prelude names, odd characters.
const NAMES: &[&str] = &[
    "type",
    "self",
    "Self",
    "crate",
    "super",
    "extra",
    "Extra",
    "Other",
    "Unknown",
    "fooBar",
    "foo_bar",
    "FooBar",
    "a1",
    "async",
    "union",
    "r#type",
    "Box",
    "Option",
    "Vec",
    "String",
    "Some",
    "None",
    "9lives",
    "a-b",
    "a.b",
    "a b",
    "日本語",
    "😀",
    "__",
    "_",
    "-",
    "\"q\"",
    "back\\slash",
    "line\nbreak",
    "Ω",
    "ǅ",
    "#frag",
    "com.example.a#tok",
    "r#raw",
    "$",
    "x$",
];

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => prop::sample::select(NAMES).prop_map(str::to_string),
        1 => "[a-zA-Z][a-zA-Z0-9]{0,6}",
        1 => "[^$\\p{C}]\\PC{0,5}",
    ]
}

/// A ref to a def that exists (possibly a non-object, possibly a cycle).
fn good_ref() -> impl Strategy<Value = String> {
    let defs: Vec<&str> = OBJECT_DEFS.iter().chain(OTHER_DEFS).copied().collect();
    (
        prop::sample::select(ALWAYS),
        prop::sample::select(defs),
        any::<bool>(),
    )
        .prop_map(|(nsid, def, local)| {
            if local {
                format!("#{def}")
            } else {
                format!("{nsid}#{def}")
            }
        })
}

/// A union variant that exists and is an object.
fn variant() -> impl Strategy<Value = String> {
    (
        prop::sample::select(ALWAYS),
        prop::sample::select(OBJECT_DEFS),
        any::<bool>(),
    )
        .prop_map(|(nsid, def, local)| {
            if local {
                format!("#{def}")
            } else {
                format!("{nsid}#{def}")
            }
        })
}

fn dedup(mut v: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::BTreeSet::new();
    v.retain(|s| seen.insert(s.clone()));
    v
}

fn valid_leaf() -> BoxedStrategy<Value> {
    prop_oneof![
        (
            prop::option::of(prop::sample::select(
                &[
                    "datetime",
                    "did",
                    "handle",
                    "at-uri",
                    "uri",
                    "cid",
                    "nsid",
                    "tid",
                    "record-key",
                    "language",
                    "at-identifier",
                ][..]
            )),
            prop::option::of((0u64..10, 0u64..10)),
            prop::option::of(prop::collection::vec(name(), 1..5)),
            any::<bool>(),
        )
            .prop_map(|(format, lengths, values, closed)| {
                let mut m = Map::new();
                m.insert("type".into(), json!("string"));
                // A closed enum of random names would break a format or a
                // grapheme range, which `lint` rejects as self-contradictory.
                let (format, lengths) = match (&values, closed) {
                    (Some(_), true) => (None, None),
                    _ => (format, lengths),
                };
                if let Some(f) = format {
                    m.insert("format".into(), json!(f));
                }
                if let Some((lo, extra)) = lengths {
                    m.insert("minGraphemes".into(), json!(lo));
                    m.insert("maxGraphemes".into(), json!(lo + extra));
                }
                if let Some(values) = values {
                    let key = if closed { "enum" } else { "knownValues" };
                    m.insert(key.into(), json!(dedup(values)));
                }
                Value::Object(m)
            }),
        (
            prop::option::of((-5i64..5, 0i64..10)),
            prop::option::of(prop::collection::vec(-3i64..3, 1..4))
        )
            .prop_map(|(range, values)| {
                let mut m = Map::new();
                m.insert("type".into(), json!("integer"));
                if let Some((lo, extra)) = range {
                    m.insert("minimum".into(), json!(lo));
                    m.insert("maximum".into(), json!(lo + extra));
                    m.insert("default".into(), json!(lo));
                } else if let Some(mut values) = values {
                    values.sort_unstable();
                    values.dedup();
                    m.insert("enum".into(), json!(values));
                }
                Value::Object(m)
            }),
        prop::option::of(any::<bool>()).prop_map(|c| match c {
            Some(c) => json!({ "type": "boolean", "const": c }),
            None => json!({ "type": "boolean", "default": true }),
        }),
        Just(json!({ "type": "bytes", "minLength": 1, "maxLength": 64 })),
        Just(json!({ "type": "cid-link" })),
        Just(json!({ "type": "unknown" })),
        prop::sample::select(&["image/*", "*/*", "video/mp4"][..])
            .prop_map(|a| json!({ "type": "blob", "accept": [a], "maxSize": 1000 })),
        good_ref().prop_map(|r| json!({ "type": "ref", "ref": r })),
        (prop::collection::vec(variant(), 0..3), any::<bool>()).prop_map(|(refs, closed)| {
            let refs = dedup(refs);
            let closed = closed && !refs.is_empty();
            json!({ "type": "union", "refs": refs, "closed": closed })
        }),
    ]
    .boxed()
}

/// Invalid or odd nodes, for the checker.
fn chaos_leaf() -> BoxedStrategy<Value> {
    prop_oneof![
        Just(json!({ "type": "token" })),
        Just(json!({ "type": "union", "refs": [], "closed": true })),
        Just(json!({ "type": "integer", "minimum": 5, "maximum": 1 })),
        Just(json!({ "type": "string", "const": "a", "default": "a" })),
        Just(json!({ "type": "string", "format": "datetme" })),
        Just(json!({ "type": "string", "knownValues": ["x", "x"] })),
        Just(json!({ "type": "blob", "accept": ["*"] })),
        Just(json!({ "type": "ref", "ref": "#nowhere" })),
        Just(json!({ "type": "ref", "ref": "com.example.missing" })),
        Just(json!({ "type": "union", "refs": ["#Other"] })),
        Just(json!({ "type": "integer", "minimum": i64::MIN, "maximum": i64::MAX, "default": i64::MIN })),
        Just(json!({ "type": "string", "maxLength": 0, "minLength": 0, "enum": [""] })),
    ]
    .boxed()
}

fn leaf() -> BoxedStrategy<Value> {
    prop_oneof![300 => valid_leaf(), 1 => chaos_leaf()].boxed()
}

/// An object schema with random properties (nested up to `depth`);
/// `required` and `nullable` name its properties (rarely, one that is not).
fn object_schema(depth: u32) -> BoxedStrategy<Value> {
    let property = if depth == 0 {
        leaf()
    } else {
        prop_oneof![
            6 => leaf(),
            1 => object_schema(depth - 1),
            1 => leaf().prop_map(|items| json!({ "type": "array", "items": items, "maxLength": 5 })),
        ]
        .boxed()
    };
    (
        prop::collection::vec((name(), property), 0..6),
        prop::collection::vec(any::<prop::sample::Index>(), 0..3),
        prop::collection::vec(any::<prop::sample::Index>(), 0..2),
        prop::option::weighted(0.005, Just("notAProperty".to_string())),
    )
        .prop_map(|(props, required, nullable, stray)| {
            let mut properties = Map::new();
            for (k, v) in props {
                properties.insert(k, v);
            }
            let keys: Vec<&String> = properties.keys().collect();
            let pick = |indexes: Vec<prop::sample::Index>| -> Vec<String> {
                if keys.is_empty() {
                    return Vec::new();
                }
                dedup(indexes.iter().map(|i| i.get(&keys).to_string()).collect())
            };
            let mut required = pick(required);
            required.extend(stray);
            let nullable = pick(nullable);
            json!({ "type": "object", "properties": properties, "required": required, "nullable": nullable })
        })
        .boxed()
}

/// A named def that is not an object. Arrays hold objects, so that refs
/// among these defs cannot form a cycle without an object on it (which the
/// checker rightly rejects; see `tests/broken/ref-cycle-through-arrays`).
fn other_def() -> BoxedStrategy<Value> {
    prop_oneof![
        4 => valid_leaf().prop_filter("named defs cannot be refs, unions or unknown", |s| {
            !matches!(s["type"].as_str(), Some("ref" | "union" | "unknown"))
        }),
        2 => variant().prop_map(|r| json!({ "type": "array", "items": { "type": "ref", "ref": r } })),
    ]
    .boxed()
}

/// `main`: an object, another data type, or a primary type.
fn main_def() -> BoxedStrategy<Value> {
    prop_oneof![
        2 => object_schema(2),
        1 => other_def(),
        1 => (object_schema(1), prop::sample::select(&["tid", "any", "literal:self", "nsid"][..]))
            .prop_map(|(record, key)| json!({ "type": "record", "key": key, "record": record })),
        1 => (object_schema(1), prop::collection::vec(name(), 0..3)).prop_map(|(output, errors)| {
            let params: Map<String, Value> = output["properties"]
                .as_object()
                .into_iter()
                .flatten()
                .filter(|(_, v)| {
                    matches!(v["type"].as_str(), Some("string" | "integer" | "boolean"))
                })
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            let errors: Vec<Value> = dedup(errors)
                .into_iter()
                .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_graphic()))
                .map(|n| json!({ "name": n }))
                .collect();
            json!({
                "type": "query",
                "parameters": { "type": "params", "properties": params },
                "output": { "encoding": "application/json", "schema": output },
                "errors": errors
            })
        }),
        1 => prop::collection::vec(variant(), 1..3).prop_map(|refs| json!({
            "type": "subscription",
            "message": { "schema": { "type": "union", "refs": dedup(refs) } }
        })),
    ]
    .boxed()
}

fn lexicon_doc(nsid: &'static str) -> BoxedStrategy<Value> {
    (
        main_def(),
        prop::collection::vec(object_schema(1), OBJECT_DEFS.len()),
        prop::collection::vec(other_def(), OTHER_DEFS.len()),
    )
        .prop_map(move |(main, objects, others)| {
            let mut defs = Map::new();
            defs.insert("main".into(), main);
            for (n, d) in OBJECT_DEFS.iter().zip(objects) {
                defs.insert((*n).into(), d);
            }
            for (n, d) in OTHER_DEFS.iter().zip(others) {
                defs.insert((*n).into(), d);
            }
            // Tokens are never ref targets; they name knownValues.
            defs.insert(
                "tok".into(),
                json!({ "type": "token", "description": "A token." }),
            );
            json!({ "lexicon": 1, "id": nsid, "defs": defs })
        })
        .boxed()
}

fn lexicon_set() -> impl Strategy<Value = Vec<Value>> {
    prop::sample::subsequence(EXTRA, 0..=EXTRA.len()).prop_flat_map(|extra| {
        ALWAYS
            .iter()
            .chain(&extra)
            .map(|nsid| lexicon_doc(nsid))
            .collect::<Vec<_>>()
    })
}

/// Writes the set, renders it, and checks the outcome; `Ok(true)` if the
/// set was accepted.
fn check(docs: &[Value]) -> Result<bool, TestCaseError> {
    let fail = |e: std::io::Error| TestCaseError::fail(e.to_string());
    let tmp = tempfile::tempdir().map_err(fail)?;
    for doc in docs {
        let id = doc["id"].as_str().unwrap_or_default();
        let path = tmp.path().join(format!("{}.json", id.replace('.', "/")));
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(fail)?;
        }
        let text = serde_json::to_string_pretty(doc).unwrap_or_default();
        fs::write(&path, text).map_err(fail)?;
    }
    match Config::new().lexicons(tmp.path()).render() {
        Ok(files) => {
            for f in files.iter().filter(|f| f.path.ends_with(".rs")) {
                if let Err(e) = syn::parse_file(&f.contents) {
                    return Err(TestCaseError::fail(format!(
                        "{} does not parse: {e}",
                        f.path
                    )));
                }
            }
            Ok(true)
        }
        Err(Error::Lexicon(diagnostics)) => {
            // Rejected: every diagnostic must still say where.
            for d in &diagnostics.0 {
                prop_assert!(d.position.is_some(), "diagnostic without position: {d}");
            }
            Ok(false)
        }
        Err(other) => Err(TestCaseError::fail(format!(
            "accepted lexicons failed to generate: {other}\n{}",
            serde_json::to_string_pretty(docs).unwrap_or_default()
        ))),
    }
}

/// proptest's strategy trees for nested JSON need more stack than a test
/// thread has in a debug build.
fn with_big_stack(f: impl FnOnce() + Send + 'static) {
    let thread = std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(f)
        .expect("spawn");
    if let Err(panic) = thread.join() {
        std::panic::resume_unwind(panic);
    }
}

#[test]
fn accepted_lexicons_render_to_rust_that_parses() {
    with_big_stack(|| {
        let mut runner = TestRunner::new(RunnerConfig {
            cases: 160,
            failure_persistence: None,
            ..RunnerConfig::default()
        });
        if let Err(e) = runner.run(&lexicon_set(), |docs| check(&docs).map(|_| ())) {
            panic!("{e}");
        }
    });
}

/// A carriage return in a description or a known value (lexicons written
/// with Windows line endings have `\r\n` in their strings) once ended up
/// bare in a `///` comment, which rustc rejects (found by the property above).
#[test]
fn carriage_returns_in_text_render_to_valid_rust() {
    let docs = [json!({ "lexicon": 1, "id": "com.example.a", "defs": {
        "main": { "type": "string", "description": "one\r\ntwo", "knownValues": ["a\rb"] }
    }})];
    assert_eq!(check(&docs).map_err(|e| e.to_string()), Ok(true));
}

/// The generator must not reject everything: a fair share of random sets is
/// accepted (so the property above is not vacuous).
#[test]
fn a_fair_share_of_random_lexicons_is_accepted() {
    with_big_stack(|| {
        let mut runner = TestRunner::deterministic();
        let strategy = lexicon_set();
        let mut accepted = 0;
        for _ in 0..40 {
            let docs = strategy.new_tree(&mut runner).expect("strategy").current();
            if check(&docs).expect("check") {
                accepted += 1;
            }
        }
        assert!(
            accepted >= 10,
            "only {accepted} of 40 random lexicon sets were accepted"
        );
    });
}
