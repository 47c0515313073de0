//! The 10,000-post workload: realistic `app.bsky.feed.post` records as JSON
//! Lines, made from a seed (so every run and every machine decodes the same
//! bytes, and nothing large is checked in). Every record is valid for all
//! three peers: only embeds that atrium-api 0.26 and jacquard 0.12 know.
//!
//! The mix: mostly short English text, some in other scripts, emoji and
//! JSON escapes (quotes, newlines); about a third replies, a third with
//! facets (mentions, links, tags), a third with embeds (images with blobs,
//! external links, quotes, quotes with media), a few self-labels and tags.

use serde_json::{json, Value};

/// The number of records of the workload.
pub const POSTS: usize = 10_000;

/// The seed of the workload.
pub const SEED: u64 = 0x1e59_e7b0_a7c4_0016;

/// A small deterministic generator (SplitMix64): no dependency, same stream
/// everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// A number in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// True with probability `percent` / 100.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[self.below(list.len())]
    }
}

const WORDS: &[&str] = &[
    "the", "a", "just", "finally", "shipped", "new", "release", "today", "love", "this", "thread",
    "about", "Rust", "atproto", "bluesky", "coffee", "morning", "weekend", "photo", "cat", "dog",
    "garden", "music", "reading", "paper", "really", "good", "take", "on", "why", "how", "we",
    "build", "open", "source", "protocol", "server", "feed", "my", "your", "is", "was", "and",
    "with", "for", "of", "in", "to", "it's", "can't", "wait", "see", "you", "there", "friends",
];

/// Text in other scripts and with emoji (multi-byte, multi-code-point
/// graphemes), and pieces that need JSON escapes.
const SPICE: &[&str] = &[
    "🦋",
    "🎉🎉",
    "👍🏽",
    "👨‍👩‍👧",
    "🏳️‍🌈",
    "café",
    "naïve",
    "日本語のテキスト",
    "おはようございます",
    "Привет мир",
    "안녕하세요",
    "\"quoted\"",
    "line one\nline two",
    "tab\there",
    "back\\slash",
];

const LANGS: &[&[&str]] = &[
    &["en"],
    &["en"],
    &["en"],
    &["ja"],
    &["pt-BR"],
    &["de"],
    &["en", "es"],
];

const HANDLES: &[&str] = &[
    "alice.bsky.social",
    "bob.test",
    "carol.example.com",
    "dave.bsky.team",
];

/// A base32 (RFC 4648, lower case, no padding) CIDv1 with a SHA-256 digest
/// drawn from `rng`: `codec` 0x71 (dag-cbor) for records, 0x55 (raw) for blobs.
fn cid(rng: &mut Rng, codec: u8) -> String {
    let mut bytes = vec![0x01, codec, 0x12, 0x20];
    for _ in 0..4 {
        bytes.extend_from_slice(&rng.next().to_le_bytes());
    }
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz234567";
    let mut out = String::from("b");
    let (mut buffer, mut bits) = (0u32, 0u32);
    for b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(ALPHABET[((buffer >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

fn did(rng: &mut Rng) -> String {
    const B32: &[u8] = b"abcdefghijklmnopqrstuvwxyz234567";
    let id: String = (0..24).map(|_| B32[rng.below(32)] as char).collect();
    format!("did:plc:{id}")
}

fn strong_ref(rng: &mut Rng) -> Value {
    let rkey: String = (0..13)
        .map(|_| b"234567abcdefghijklmnopqrstuvwxyz"[rng.below(32)] as char)
        .collect();
    json!({
        "uri": format!("at://{}/app.bsky.feed.post/{rkey}", did(rng)),
        "cid": cid(rng, 0x71),
    })
}

fn blob(rng: &mut Rng, mime: &str) -> Value {
    json!({
        "$type": "blob",
        "ref": { "$link": cid(rng, 0x55) },
        "mimeType": mime,
        "size": 20_000 + rng.below(900_000),
    })
}

/// `min` to `min + spread - 1` words.
fn sentence(rng: &mut Rng, min: usize, spread: usize) -> String {
    let words = min + rng.below(spread);
    let mut text = String::new();
    for i in 0..words {
        if i > 0 {
            text.push(' ');
        }
        if rng.chance(6) {
            text.push_str(rng.pick(SPICE));
        } else {
            text.push_str(rng.pick(WORDS));
        }
    }
    text
}

fn images(rng: &mut Rng) -> Value {
    let images: Vec<Value> = (0..1 + rng.below(4))
        .map(|_| {
            json!({
                "image": blob(rng, "image/jpeg"),
                "alt": if rng.chance(60) { sentence(rng, 4, 12) } else { String::new() },
                "aspectRatio": { "width": 1000 + rng.below(3000), "height": 1000 + rng.below(3000) },
            })
        })
        .collect();
    json!({ "$type": "app.bsky.embed.images", "images": images })
}

fn embed(rng: &mut Rng) -> Value {
    match rng.below(10) {
        0..=4 => images(rng),
        5..=7 => {
            let mut external = json!({
                "uri": format!("https://example.com/{}/{}", rng.pick(WORDS), rng.below(100_000)),
                "title": sentence(rng, 3, 6),
                "description": sentence(rng, 8, 20),
            });
            if rng.chance(70) {
                external["thumb"] = blob(rng, "image/jpeg");
            }
            json!({ "$type": "app.bsky.embed.external", "external": external })
        }
        8 => json!({ "$type": "app.bsky.embed.record", "record": strong_ref(rng) }),
        _ => json!({
            "$type": "app.bsky.embed.recordWithMedia",
            "record": { "$type": "app.bsky.embed.record", "record": strong_ref(rng) },
            "media": images(rng),
        }),
    }
}

/// Appends a facet feature to `text` and returns the facet.
fn facet(rng: &mut Rng, text: &mut String) -> Value {
    text.push(' ');
    let start = text.len();
    let feature = match rng.below(3) {
        0 => {
            let handle = rng.pick(HANDLES);
            text.push('@');
            text.push_str(handle);
            json!({ "$type": "app.bsky.richtext.facet#mention", "did": did(rng) })
        }
        1 => {
            let uri = format!("https://example.org/posts/{}", rng.below(1_000_000));
            text.push_str(&uri);
            json!({ "$type": "app.bsky.richtext.facet#link", "uri": uri })
        }
        _ => {
            let tag = rng.pick(WORDS);
            text.push('#');
            text.push_str(tag);
            json!({ "$type": "app.bsky.richtext.facet#tag", "tag": tag })
        }
    };
    json!({
        "index": { "byteStart": start, "byteEnd": text.len() },
        "features": [feature],
    })
}

fn post(rng: &mut Rng, i: usize) -> Value {
    let mut text = sentence(rng, 3, 30);
    let facets: Vec<Value> = if rng.chance(30) {
        (0..1 + rng.below(3))
            .map(|_| facet(rng, &mut text))
            .collect()
    } else {
        Vec::new()
    };
    let mut post = json!({
        "$type": "app.bsky.feed.post",
        "text": text,
        "createdAt": format!(
            "2026-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
            1 + rng.below(12), 1 + rng.below(28), rng.below(24), rng.below(60), rng.below(60), i % 1000
        ),
    });
    if !facets.is_empty() {
        post["facets"] = facets.into();
    }
    if rng.chance(85) {
        post["langs"] = json!(LANGS[rng.below(LANGS.len())]);
    }
    if rng.chance(30) {
        post["reply"] = json!({ "root": strong_ref(rng), "parent": strong_ref(rng) });
    }
    if rng.chance(35) {
        post["embed"] = embed(rng);
    }
    if rng.chance(3) {
        post["labels"] = json!({
            "$type": "com.atproto.label.defs#selfLabels",
            "values": [{ "val": rng.pick(&["nsfw", "porn", "graphic-media", "sexual"]) }],
        });
    }
    if rng.chance(5) {
        post["tags"] = json!([rng.pick(WORDS), rng.pick(WORDS)]);
    }
    post
}

/// The workload as JSON Lines: `n` records from `seed`, one per line.
pub fn jsonl(seed: u64, n: usize) -> String {
    let mut rng = Rng(seed);
    let mut out = String::new();
    for i in 0..n {
        out.push_str(&post(&mut rng, i).to_string());
        out.push('\n');
    }
    out
}
