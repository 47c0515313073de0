//! `language`: BCP 47 well-formedness.

use super::*;

// ---------------------------------------------------------------------------
// language
// ---------------------------------------------------------------------------

/// RFC 5646 grandfathered tags (irregular and regular), matched case-insensitively.
pub(super) const GRANDFATHERED: [&str; 26] = [
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

pub(super) fn all_alpha(t: &str) -> bool {
    t.bytes().all(|c| c.is_ascii_alphabetic())
}

pub(super) fn all_digit(t: &str) -> bool {
    t.bytes().all(|c| c.is_ascii_digit())
}

pub(super) fn is_variant(t: &str) -> bool {
    match t.len() {
        5..=8 => true,
        4 => t.as_bytes().first().is_some_and(u8::is_ascii_digit),
        _ => false,
    }
}

/// Case-folded key of a subtag of at most 8 alphanumeric chars.
pub(super) fn subtag_key(t: &str) -> u64 {
    t.bytes()
        .fold(0u64, |k, c| (k << 8) | u64::from(c.to_ascii_lowercase()))
}

pub(super) fn key_to_string(key: u64) -> String {
    key.to_be_bytes()
        .iter()
        .filter(|&&c| c != 0)
        .map(|&c| char::from(c))
        .collect()
}

pub(super) fn private_use<'a>(rest: impl Iterator<Item = &'a str>) -> RuleResult {
    // Subtag shapes (1-8 alphanumerics) were checked up front.
    if rest.count() == 0 {
        return Err("private use 'x' needs at least one subtag of 1-8 characters".into());
    }
    Ok(())
}

/// The remaining subtags of a language tag.
pub(super) type Subtags<'a> = std::iter::Peekable<std::str::Split<'a, char>>;

/// Every subtag must be 1-8 ASCII alphanumerics, separated by single `-`.
pub(super) fn language_subtag_shapes(s: &str) -> RuleResult {
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, c) in bytes
        .iter()
        .copied()
        .chain(std::iter::once(b'-'))
        .enumerate()
    {
        if c == b'-' {
            if i == start {
                return Err(if i == 0 {
                    "a language tag must not start with '-'".into()
                } else if i == bytes.len() {
                    "a language tag must not end with '-'".into()
                } else {
                    format!("empty subtag ('--' at byte {})", i - 1).into()
                });
            }
            if i - start > 8 {
                return Err(format!(
                    "subtag {} is {} characters long; the maximum is 8",
                    quote(sub(s, start, i)),
                    i - start
                )
                .into());
            }
            start = i + 1;
        } else if !c.is_ascii_alphanumeric() {
            return Err(bad_char(s, i, "ASCII letters, digits and '-'"));
        }
    }
    Ok(())
}

/// The primary language subtag (lowercase) and its extlangs.
pub(super) fn language_primary(primary: &str, rest: &mut Subtags<'_>) -> RuleResult {
    if primary.len() == 1 {
        return Err(format!(
            "the tag starts with the single-character subtag {}; only private-use (\"x-...\") and grandfathered tags may",
            quote(primary)
        )
        .into());
    }
    if !all_alpha(primary) {
        return Err(format!(
            "the primary language subtag {} must be 2-3 letters",
            quote(primary)
        )
        .into());
    }
    if !primary.bytes().all(|c| c.is_ascii_lowercase()) {
        return Err(format!(
            "the primary language subtag {} must be lowercase",
            quote(primary)
        )
        .into());
    }
    if primary.len() > 3 {
        return Err(format!(
            "the primary language subtag {} has {} letters; it must have 2-3 (4-8 letter primary subtags are reserved or unused)",
            quote(primary),
            primary.len()
        )
        .into());
    }
    let mut extlangs = 0;
    while let Some(t) = rest.next_if(|t| t.len() == 3 && all_alpha(t)) {
        extlangs += 1;
        if extlangs > 3 {
            return Err(format!(
                "too many extended language subtags at {}: at most 3 are allowed",
                quote(t)
            )
            .into());
        }
    }
    Ok(())
}

/// Variant subtags, each at most once (case-insensitive).
pub(super) fn language_variants(rest: &mut Subtags<'_>) -> RuleResult {
    // A handful of keys fit in `small`; an absurd number spills into a vector
    // that is sorted at the end, so the check stays O(n log n).
    let mut small = [0u64; 8];
    let mut count = 0usize;
    let mut spill: Vec<u64> = Vec::new();
    while let Some(t) = rest.next_if(|t| is_variant(t)) {
        let key = subtag_key(t);
        if count < small.len() {
            if small.iter().take(count).any(|&k| k == key) {
                return Err(format!("variant subtag {} appears more than once", quote(t)).into());
            }
            if let Some(slot) = small.get_mut(count) {
                *slot = key;
            }
        } else {
            spill.push(key);
        }
        count += 1;
    }
    if !spill.is_empty() {
        spill.extend_from_slice(&small);
        spill.sort_unstable();
        if let Some(pair) = spill.windows(2).find(|pair| pair.first() == pair.get(1)) {
            let dup = key_to_string(pair.first().copied().unwrap_or_default());
            return Err(format!("variant subtag {} appears more than once", quote(&dup)).into());
        }
    }
    Ok(())
}

/// Extensions: a singleton (not `x`) and one or more subtags of 2-8 chars,
/// each singleton at most once (case-insensitive).
pub(super) fn language_extensions(rest: &mut Subtags<'_>) -> RuleResult {
    let mut singletons: u64 = 0;
    while let Some(t) = rest.next_if(|t| t.len() == 1 && !t.eq_ignore_ascii_case("x")) {
        let c = t
            .as_bytes()
            .first()
            .copied()
            .unwrap_or_default()
            .to_ascii_lowercase();
        let index = if c.is_ascii_digit() {
            c - b'0'
        } else {
            c.wrapping_sub(b'a') % 26 + 10
        };
        let bit = 1u64 << index;
        if singletons & bit != 0 {
            return Err(format!("extension singleton {} appears more than once", quote(t)).into());
        }
        singletons |= bit;
        let mut count = 0;
        while rest.next_if(|t| t.len() >= 2).is_some() {
            count += 1;
        }
        if count == 0 {
            return Err(format!(
                "extension {} needs at least one subtag of 2-8 characters",
                quote(t)
            )
            .into());
        }
    }
    Ok(())
}

pub(super) fn language_rule(s: &str) -> RuleResult {
    if s.is_empty() {
        return Err("language tag is empty".into());
    }
    no_outer_space(s)?;
    language_subtag_shapes(s)?;
    if GRANDFATHERED.iter().any(|g| g.eq_ignore_ascii_case(s)) {
        return Ok(());
    }
    let mut rest = s.split('-').peekable();
    let primary = rest.next().unwrap_or_default();
    if primary.eq_ignore_ascii_case("x") {
        return private_use(rest);
    }
    language_primary(primary, &mut rest)?;
    // Optional script, then optional region.
    rest.next_if(|t| t.len() == 4 && all_alpha(t));
    rest.next_if(|t| (t.len() == 2 && all_alpha(t)) || (t.len() == 3 && all_digit(t)));
    language_variants(&mut rest)?;
    language_extensions(&mut rest)?;
    if rest.next_if(|t| t.eq_ignore_ascii_case("x")).is_some() {
        return private_use(rest);
    }
    match rest.next() {
        None => Ok(()),
        Some(t) => Err(format!(
            "subtag {} is not valid at this position (expected extlang, script, region, variant, extension or private use, in that order)",
            quote(t)
        )
        .into()),
    }
}

/// Checks the `language` format: a well-formed BCP 47 (RFC 5646) tag. The
/// primary language subtag must be 2-3 lowercase letters, optionally with up
/// to 3 extlangs (4-8-letter primary subtags are invalid, and `i` only begins
/// the grandfathered `i-...` tags); then optional script, region, variants,
/// extensions and private use in any case. Private-use-only (`x-...`) and
/// grandfathered tags are accepted. Repeated variants or extension singletons
/// (case-insensitive) are rejected.
///
/// # Errors
///
/// Returns a [`FormatError`] naming the broken rule.
pub fn check_language(s: &str) -> Result<(), FormatError> {
    language_rule(s).map_err(|r| FormatError::new(Format::Language, r, s))
}
