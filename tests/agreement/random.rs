//! Random documents (and one-edit mutations of the corpus), with duplicate
//! keys possible: both sides must agree on every one.

use super::*;
use proptest::prelude::*;

// ---------------------------------------------------------------------------

/// A JSON tree whose objects may repeat keys, printed as text.
#[derive(Debug, Clone)]
enum Doc {
    Raw(String),
    Array(Vec<Doc>),
    Object(Vec<(String, Doc)>),
}

impl Doc {
    fn write(&self, out: &mut String) {
        match self {
            Doc::Raw(s) => out.push_str(s),
            Doc::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Doc::Object(members) => {
                out.push('{');
                for (i, (k, v)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&serde_json::to_string(k).expect("key"));
                    out.push(':');
                    v.write(out);
                }
                out.push('}');
            }
        }
    }

    fn text(&self) -> String {
        let mut s = String::new();
        self.write(&mut s);
        s
    }
}

/// Member names of the targets (and a few others), so that random objects
/// often hit known fields.
const KEYS: &[&str] = &[
    "$type",
    "text",
    "short",
    "color",
    "fixed",
    "status",
    "did",
    "handle",
    "createdAt",
    "lang",
    "tags",
    "count",
    "level",
    "version",
    "negative",
    "always",
    "flag",
    "maybe",
    "optionalNull",
    "avatar",
    "data",
    "link",
    "meta",
    "strong",
    "uri",
    "cid",
    "open",
    "closed",
    "single",
    "many",
    "alt",
    "seconds",
    "items",
    "actor",
    "limit",
    "seq",
    "name",
    "ref",
    "$link",
    "$bytes",
    "mimeType",
    "size",
    "langs",
    "embed",
    "images",
    "image",
    "x",
];

const STRINGS: &[&str] = &[
    "",
    "x",
    "ab",
    "é",
    "👍🏽",
    "👨‍👩‍👧‍👦",
    "a\u{300}",
    "🇫🇷",
    "\r\n",
    "01234567890",
    "red",
    "blue",
    "v1",
    "blob",
    "image/png",
    "video/mp4",
    "alice.test",
    "alice",
    "did:plc:z72i7hdynmk6r22z27h6tvur",
    "2024-01-01T00:00:00Z",
    "2023-02-29T00:00:00Z",
    "en",
    "AQID",
    "!!",
    CID,
    "at://did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.feed.post/3k2la3qgt2x2b",
    "com.example.record",
    "com.example.unions#image",
    "com.example.unions#video",
    "com.example.stream#event",
    "com.example.stream#info",
    "app.bsky.feed.post",
    "app.bsky.embed.images",
    "com.other.thing",
];

fn leaf() -> impl Strategy<Value = Doc> {
    prop_oneof![
        Just(Doc::Raw("null".into())),
        any::<bool>().prop_map(|b| Doc::Raw(b.to_string())),
        prop_oneof![
            -3i64..15,
            Just(i64::MIN),
            Just(i64::MAX),
            Just(1000),
            Just(1001),
            Just(2000001)
        ]
        .prop_map(|n| Doc::Raw(n.to_string())),
        prop_oneof![
            Just("1.5"),
            Just("1.0"),
            Just("9223372036854775808"),
            Just("-0"),
            Just("1e3")
        ]
        .prop_map(|s| Doc::Raw(s.to_owned())),
        prop::sample::select(STRINGS)
            .prop_map(|s| Doc::Raw(serde_json::to_string(s).expect("string"))),
        ".{0,12}".prop_map(|s| Doc::Raw(serde_json::to_string(&s).expect("string"))),
    ]
}

fn doc() -> impl Strategy<Value = Doc> {
    leaf().prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Doc::Array),
            prop::collection::vec(
                (prop::sample::select(KEYS).prop_map(str::to_owned), inner),
                0..7
            )
            .prop_map(Doc::Object),
        ]
    })
}

/// An object document (most targets are objects), with duplicates possible.
fn object_doc() -> impl Strategy<Value = Doc> {
    prop::collection::vec(
        (prop::sample::select(KEYS).prop_map(str::to_owned), doc()),
        0..8,
    )
    .prop_map(Doc::Object)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 400,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_documents_agree(d in prop_oneof![4 => object_doc(), 1 => doc()], which in 0..TARGETS.len()) {
        let t = &TARGETS[which];
        let text = d.text();
        let (_, problems) = run_case(t, &text);
        prop_assert!(problems.is_empty(), "{} {}\n{}", t.key, text, problems.join("\n"));
    }
}

/// A JSON text of `j`, duplicate keys included.
fn json_text(j: &Json, out: &mut String) {
    match j {
        Json::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_text(item, out);
            }
            out.push(']');
        }
        Json::Object(members) => {
            out.push('{');
            for (i, (k, v)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&serde_json::to_string(k).expect("key"));
                out.push(':');
                json_text(v, out);
            }
            out.push('}');
        }
        leaf => out.push_str(&serde_json::to_string(&leaf.to_value()).expect("leaf")),
    }
}

fn node_count(j: &Json) -> usize {
    1 + match j {
        Json::Array(items) => items.iter().map(node_count).sum(),
        Json::Object(members) => members.iter().map(|(_, v)| node_count(v)).sum(),
        _ => 0,
    }
}

/// One edit of a document: at a node (pre-order index), replace it with a
/// leaf, or (objects) drop, repeat or add a member, or (arrays) drop or add
/// an element.
#[derive(Debug, Clone)]
struct Mutation {
    node: usize,
    kind: u8,
    key: &'static str,
    leaf: Doc,
}

fn apply(j: &mut Json, at: &mut usize, m: &Mutation, leaf: &Json) -> bool {
    if *at == 0 {
        match (m.kind % 4, &mut *j) {
            (1, Json::Object(members)) if !members.is_empty() => {
                members.remove(m.node % members.len());
            }
            (2, Json::Object(members)) if !members.is_empty() => {
                let i = m.node % members.len();
                let dup = members[i].clone();
                members.push(dup);
            }
            (3, Json::Object(members)) => members.push((m.key.to_owned(), leaf.clone())),
            (1, Json::Array(items)) if !items.is_empty() => {
                items.remove(m.node % items.len());
            }
            (2 | 3, Json::Array(items)) => items.push(leaf.clone()),
            _ => *j = leaf.clone(),
        }
        return true;
    }
    *at -= 1;
    match j {
        Json::Array(items) => items.iter_mut().any(|item| apply(item, at, m, leaf)),
        Json::Object(members) => members.iter_mut().any(|(_, v)| apply(v, at, m, leaf)),
        _ => false,
    }
}

fn mutation() -> impl Strategy<Value = Mutation> {
    (
        any::<usize>(),
        any::<u8>(),
        prop::sample::select(KEYS),
        leaf(),
    )
        .prop_map(|(node, kind, key, leaf)| Mutation {
            node,
            kind,
            key,
            leaf,
        })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 1000,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Valid corpus documents with one edit: near-valid data deep in the
    /// structure, where agreement matters most.
    #[test]
    fn mutated_valid_documents_agree(which in 0..CASES.len(), m in mutation()) {
        let (key, json, _) = CASES[which];
        let json = expand(json);
        let Ok(mut doc) = serde_json::from_str::<Json>(&json) else {
            return Ok(());
        };
        let leaf: Json = serde_json::from_str(&m.leaf.text()).expect("leaf is JSON");
        let mut at = m.node % node_count(&doc);
        apply(&mut doc, &mut at, &m, &leaf);
        let mut text = String::new();
        json_text(&doc, &mut text);
        let (_, problems) = run_case(target(key), &text);
        prop_assert!(problems.is_empty(), "{} {}\n{}", key, text, problems.join("\n"));
    }
}
