//! Reference checkers written from LEXICON-RULES §6, as regexes where §6
//! gives one, else as close to the text as a regex allows. Test code only:
//! the generated crate and the generator never use `regex`.

use regex::Regex;
use std::sync::OnceLock;

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("reference regex"))
}

/// `cid`: 8-256 chars of `[A-Za-z0-9+=]`, and not a CIDv0 (`Qm...`).
pub fn cid(s: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    re(&RE, r"^[A-Za-z0-9+=]{8,256}$").is_match(s) && !s.starts_with("Qm")
}

/// `uri`: an RFC 3986 scheme starting with a lowercase letter, `:`, then at
/// least one non-whitespace (printable ASCII) char; at most 8 KiB.
pub fn uri(s: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    s.len() <= 8192 && re(&RE, r"^[a-z][a-zA-Z0-9+.-]*:[!-~]+$").is_match(s)
}

/// `nsid`: the §6 regex and the 317-char total (no authority cap).
pub fn nsid(s: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    s.len() <= 317
        && re(
            &RE,
            r"^[a-zA-Z]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+(\.[a-zA-Z]([a-zA-Z0-9]{0,62})?)$",
        )
        .is_match(s)
}

/// `handle`: the §6 regex and at most 253 chars.
pub fn handle(s: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    s.len() <= 253
        && re(
            &RE,
            r"^([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$",
        )
        .is_match(s)
}

/// `did`: the §6 regex and at most 2048 chars.
pub fn did(s: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    s.len() <= 2048 && re(&RE, r"^did:[a-z]+:[a-zA-Z0-9._:%-]*[a-zA-Z0-9._-]$").is_match(s)
}

/// `tid`: the §6 regex.
pub fn tid(s: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    re(
        &RE,
        r"^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$",
    )
    .is_match(s)
}

/// `record-key`: 1-512 chars of `[A-Za-z0-9._:~-]`, not `.` or `..`.
pub fn record_key(s: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    re(&RE, r"^[A-Za-z0-9._:~-]{1,512}$").is_match(s) && s != "." && s != ".."
}

/// `$bytes` (§2): standard-alphabet base64, `=` padding optional but
/// complete when present; any trailing bits.
pub fn base64(s: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    re(
        &RE,
        r"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$",
    )
    .is_match(s)
}

/// RFC 5646 grandfathered tags (irregular and regular).
const GRANDFATHERED: [&str; 26] = [
    "en-GB-oed",
    "i-ami",
    "i-bnn",
    "i-default",
    "i-enochian",
    "i-hak",
    "i-klingon",
    "i-lux",
    "i-mingo",
    "i-navajo",
    "i-pwn",
    "i-tao",
    "i-tay",
    "i-tsu",
    "sgn-BE-FR",
    "sgn-BE-NL",
    "sgn-CH-DE",
    "art-lojban",
    "cel-gaulish",
    "no-bok",
    "no-nyn",
    "zh-guoyu",
    "zh-hakka",
    "zh-min",
    "zh-min-nan",
    "zh-xiang",
];

/// `language`: an RFC 5646 `langtag` whose primary language subtag is 2-3
/// lowercase letters, a private-use-only tag, or a grandfathered tag; no
/// variant or extension singleton twice (case-insensitive).
pub fn language(s: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    if GRANDFATHERED.iter().any(|g| g.eq_ignore_ascii_case(s)) {
        return true;
    }
    let langtag = re(
        &RE,
        r"(?x)^(?:
            [a-z]{2,3}(?:-[A-Za-z]{3}){0,3}              # language, extlangs
            (?:-[A-Za-z]{4})?                            # script
            (?:-(?:[A-Za-z]{2}|[0-9]{3}))?               # region
            (?P<variants>(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*)
            (?P<extensions>(?:-[0-9A-WYZa-wyz](?:-[A-Za-z0-9]{2,8})+)*)
            (?:-[Xx](?:-[A-Za-z0-9]{1,8})+)?             # private use
          | [Xx](?:-[A-Za-z0-9]{1,8})+                   # private use only
        )$",
    );
    let Some(caps) = langtag.captures(s) else {
        return false;
    };
    let group = |name: &str| {
        caps.name(name)
            .map_or("", |m| m.as_str())
            .to_ascii_lowercase()
    };
    let variants = group("variants");
    let extensions = group("extensions");
    let singletons = extensions.split('-').filter(|t| t.len() == 1);
    unique(variants.split('-').filter(|t| !t.is_empty())) && unique(singletons)
}

fn unique<'a>(items: impl Iterator<Item = &'a str>) -> bool {
    let mut seen = std::collections::HashSet::new();
    items.into_iter().all(|t| seen.insert(t))
}
