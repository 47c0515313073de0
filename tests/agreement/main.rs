//! `lexgen validate` (the `datacheck` module, and the CLI over it) and the
//! generated types must agree on every input: same verdict, same JSON path,
//! same rule. One shared corpus of cases runs through both, plus random
//! documents (proptest).
//!
//! Rule errors must match the generated message exactly (`path: rule`). For
//! serde's structural errors the generated types put the path at the end
//! (`invalid type: null, expected a string at \`text\``) and datacheck puts
//! it first (`text: invalid type: null, expected a string`); the rule text
//! and the path must still be the same.

use atproto_lexgen::datacheck::{Body, DataError, Json, Validator};
use atproto_lexgen::ir::Ir;
use atproto_lexgen::runtime::validate::ValidationError;
use lexgen_fixture_types::com::{atproto as fx_atproto, example as ex};
use lexgen_tests::repo_path;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::fmt::Write as _;
use std::sync::OnceLock;

mod corpus;
mod random;

use corpus::{CASES, CID};

// ---------------------------------------------------------------------------
// Targets: a def (and body) with its generated type.
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq)]
enum Corpus {
    /// `tests/fixtures/lexicons`, generated as `lexgen-fixture-types`.
    Fixture,
    /// `lexicons/`, generated as `atproto-types`.
    Real,
}

type FromStr = fn(&str) -> Result<(), String>;
type FromValue = fn(Value) -> Result<(), String>;

struct Target {
    /// `def` or `def body`, as cases name it.
    key: &'static str,
    corpus: Corpus,
    from_str: FromStr,
    from_value: FromValue,
}

fn de_str<T: DeserializeOwned>(s: &str) -> Result<(), String> {
    serde_json::from_str::<T>(s)
        .map(drop)
        .map_err(|e| e.to_string())
}

fn de_value<T: DeserializeOwned>(v: Value) -> Result<(), String> {
    serde_json::from_value::<T>(v)
        .map(drop)
        .map_err(|e| e.to_string())
}

macro_rules! targets {
    ($($key:literal, $corpus:ident => $ty:ty;)*) => {
        const TARGETS: &[Target] = &[$(Target {
            key: $key,
            corpus: Corpus::$corpus,
            from_str: de_str::<$ty>,
            from_value: de_value::<$ty>,
        },)*];
    };
}

targets! {
    "com.example.strings", Fixture => ex::strings::Main;
    "com.example.strings#usesDefs", Fixture => ex::strings::UsesDefs;
    "com.example.strings#purpose", Fixture => ex::strings::Purpose;
    "com.example.numbers", Fixture => ex::numbers::Main;
    "com.example.record", Fixture => ex::record::Record;
    "com.example.unions", Fixture => ex::unions::Main;
    "com.example.unions#image", Fixture => ex::unions::Image;
    "com.example.query", Fixture => ex::query::Output;
    "com.example.query params", Fixture => ex::query::Params;
    "com.example.stream", Fixture => ex::stream::Message;
    "com.example.stream params", Fixture => ex::stream::Params;
    "com.example.upload output", Fixture => ex::upload::Output;
    "com.example.jsonl", Fixture => ex::jsonl::Input;
    "com.example.cycle#node", Fixture => ex::cycle::Node;
    "com.example.keywords", Fixture => ex::keywords::Main;
    "com.example.keywords#vec", Fixture => ex::keywords::Vec2;
    "com.example.keywords#result", Fixture => ex::keywords::Result2;
    "com.example.parent.child", Fixture => ex::parent::child::Main;
    "com.atproto.repo.strongRef", Fixture => fx_atproto::repo::strong_ref::Main;
    "app.bsky.feed.post", Real => atproto_types::app::bsky::feed::post::Record;
    "app.bsky.actor.profile", Real => atproto_types::app::bsky::actor::profile::Record;
    "app.bsky.richtext.facet", Real => atproto_types::app::bsky::richtext::facet::Main;
    "com.atproto.server.createSession output", Real => atproto_types::com::atproto::server::create_session::Output;
    "com.atproto.server.createSession", Real => atproto_types::com::atproto::server::create_session::Input;
    "app.bsky.feed.getAuthorFeed params", Real => atproto_types::app::bsky::feed::get_author_feed::Params;
    "com.atproto.sync.subscribeRepos", Real => atproto_types::com::atproto::sync::subscribe_repos::Message;
}

/// Alias defs of non-object types are plain Rust aliases in the generated
/// crate (`type Vec = std::vec::Vec<Option>`), read by serde's own impls:
/// their structural errors say "a sequence" and lose the index in the path.
/// Only the verdict is compared for them.
const VERDICT_ONLY: &[&str] = &["com.example.keywords#vec"];

fn target(key: &str) -> &'static Target {
    TARGETS
        .iter()
        .find(|t| t.key == key)
        .unwrap_or_else(|| panic!("no target {key:?}"))
}

fn ir(corpus: Corpus) -> &'static Ir {
    static FIXTURE: OnceLock<Ir> = OnceLock::new();
    static REAL: OnceLock<Ir> = OnceLock::new();
    let (cell, dir) = match corpus {
        Corpus::Fixture => (&FIXTURE, "tests/fixtures/lexicons"),
        Corpus::Real => (&REAL, "lexicons"),
    };
    cell.get_or_init(|| {
        atproto_lexgen::Config::new()
            .lexicons(repo_path(dir))
            .load_ir()
            .expect("lexicons load")
    })
}

/// `def` and `--body` of a target key.
fn split_key(key: &str) -> (&str, Option<Body>) {
    match key.split_once(' ') {
        Some((def, body)) => (def, Some(body.parse().expect("body name"))),
        None => (key, None),
    }
}

fn validator(t: &Target) -> Validator<'static> {
    let (def, body) = split_key(t.key);
    Validator::new(ir(t.corpus), def, body).expect("def resolves")
}

// ---------------------------------------------------------------------------
// Comparing verdicts.
// ---------------------------------------------------------------------------

/// A serde_json error message without its trailing ` at line L column C`.
fn strip_position(msg: &str) -> &str {
    if let Some(i) = msg.rfind(" at line ") {
        let tail = &msg[i + " at line ".len()..];
        let ok = tail
            .split_once(" column ")
            .is_some_and(|(l, c)| l.parse::<u64>().is_ok() && c.parse::<u64>().is_ok());
        if ok {
            return &msg[..i];
        }
    }
    msg
}

/// Whether a generated type's error message says what `e` says.
fn same_error(e: &ValidationError, generated: &str) -> bool {
    let generated = strip_position(generated);
    if generated == e.to_string() {
        return true;
    }
    // serde's structural errors: the path goes last, in backquotes.
    if e.path().is_empty() {
        generated == e.rule()
    } else {
        generated == format!("{} at `{}`", e.rule(), e.path())
    }
}

/// `Ok` if datacheck and the generated type agree; else what differs.
fn agree(
    key: &str,
    datacheck: &Result<(), ValidationError>,
    generated: &Result<(), String>,
) -> Result<(), String> {
    match (datacheck, generated) {
        (Ok(()), Ok(())) => Ok(()),
        (Err(_), Err(_)) if VERDICT_ONLY.contains(&key) => Ok(()),
        (Err(e), Err(m)) if same_error(e, m) => Ok(()),
        (Err(e), Err(m)) => Err(format!(
            "different errors:\n  datacheck: {e}\n  generated: {m}"
        )),
        (Ok(()), Err(m)) => Err(format!("datacheck accepts, generated rejects: {m}")),
        (Err(e), Ok(())) => Err(format!("datacheck rejects ({e}), generated accepts")),
    }
}

/// Runs one document through both sides (from text, and from a `Value`);
/// returns datacheck's verdict (`ok` or the error) and any disagreement.
fn run_case(t: &Target, json: &str) -> (String, Vec<String>) {
    let v = validator(t);
    let mut problems = Vec::new();
    let verdict = match v.validate_str(json) {
        Ok(()) => {
            if let Err(p) = agree(t.key, &Ok(()), &(t.from_str)(json)) {
                problems.push(format!("from_str: {p}"));
            }
            "ok".to_owned()
        }
        Err(DataError::Invalid(e)) => {
            if let Err(p) = agree(t.key, &Err(e.clone()), &(t.from_str)(json)) {
                problems.push(format!("from_str: {p}"));
            }
            e.to_string()
        }
        Err(DataError::Syntax(e)) => {
            if (t.from_str)(json).is_ok() {
                problems.push(format!("not JSON for datacheck ({e}), generated accepts"));
            }
            format!("not JSON: {e}")
        }
    };
    if let Ok(value) = serde_json::from_str::<Value>(json) {
        let dc = v.validate_value(&value);
        if let Err(p) = agree(t.key, &dc, &(t.from_value)(value)) {
            problems.push(format!("from_value: {p}"));
        }
    }
    (verdict, problems)
}

fn expand(json: &str) -> String {
    json.replace("{{CID}}", CID)
}

#[test]
fn corpus_agrees_and_matches_the_expected_verdicts() {
    let mut failures = String::new();
    for (key, json, expected) in CASES {
        let json = expand(json);
        let (verdict, problems) = run_case(target(key), &json);
        if verdict != *expected {
            let _ = writeln!(
                failures,
                "{key} {json}\n  expected: {expected}\n  datacheck: {verdict}"
            );
        }
        for p in problems {
            let _ = writeln!(failures, "{key} {json}\n  {p}");
        }
    }
    assert!(failures.is_empty(), "\n{failures}");
}

#[test]
fn corpus_covers_every_target_with_valid_and_invalid_data() {
    for t in TARGETS {
        let verdicts: Vec<&str> = CASES
            .iter()
            .filter(|(k, _, _)| *k == t.key)
            .map(|(_, _, v)| *v)
            .collect();
        assert!(verdicts.contains(&"ok"), "{}: no valid case", t.key);
        let invalid = verdicts.iter().any(|v| *v != "ok");
        // Targets without a rule to break are few and listed.
        let no_rules = ["com.example.keywords#result"];
        assert!(
            invalid || no_rules.contains(&t.key),
            "{}: no invalid case",
            t.key
        );
    }
    assert!(CASES.len() >= 150, "{} cases", CASES.len());
}

/// The same corpus through `lexgen validate`, one JSON Lines file per target.
#[test]
fn corpus_through_the_cli() {
    let tmp = tempfile::tempdir().expect("tempdir");
    for (i, t) in TARGETS.iter().enumerate() {
        let cases: Vec<(String, &str)> = CASES
            .iter()
            .filter(|(k, _, _)| *k == t.key)
            .map(|(_, json, expected)| (expand(json), *expected))
            .collect();
        let file = tmp.path().join(format!("{i}.jsonl"));
        let text: String = cases.iter().map(|(json, _)| format!("{json}\n")).collect();
        std::fs::write(&file, text).expect("write");
        let (def, body) = split_key(t.key);
        let lexicons = match t.corpus {
            Corpus::Fixture => repo_path("tests/fixtures/lexicons"),
            Corpus::Real => repo_path("lexicons"),
        };
        let mut args = vec![
            "validate".to_owned(),
            "--lexicons".to_owned(),
            lexicons.display().to_string(),
            "--def".to_owned(),
            def.to_owned(),
        ];
        if let Some(b) = body {
            args.extend(["--body".to_owned(), b.name().to_owned()]);
        }
        args.push(file.display().to_string());
        let (code, out, err) = lexgen_tests::lexgen(&args);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), cases.len(), "{}: {out}{err}", t.key);
        let any_invalid = cases.iter().any(|(_, e)| *e != "ok");
        assert_eq!(code, i32::from(any_invalid), "{}: {err}", t.key);
        for ((json, expected), line) in cases.iter().zip(&lines) {
            let want = match *expected {
                "ok" => "ok".to_owned(),
                e if e.starts_with("not JSON: ") => {
                    // JSON Lines report the line of the file.
                    assert!(line.starts_with("invalid: not JSON: "), "{json}: {line}");
                    continue;
                }
                e => match Validator::new(ir(t.corpus), def, body)
                    .expect("def")
                    .validate_str(json)
                {
                    Err(DataError::Invalid(v)) if v.path().is_empty() => {
                        format!("invalid: {}", v.rule())
                    }
                    _ => format!("invalid {e}"),
                },
            };
            assert_eq!(*line, want, "{}: {json}", t.key);
        }
    }
}
