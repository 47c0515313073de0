//! Validated string formats of AT Protocol Lexicon (`string` fields with a `format`).
//!
//! This module is self-contained: it depends only on `std` and `serde` (without
//! the derive feature), so the very same file can be compiled into the code
//! generator and shipped inside generated crates.
//!
//! It provides three layers:
//!
//! * [`Format`], the eleven Lexicon format names, with [`Format::check`];
//! * one `check_*` function per format (for example [`check_handle`]), which
//!   validates syntax only, in a single byte-level pass that does not allocate
//!   on success (the one exception: a language tag with more than eight
//!   variant subtags), and on failure returns a [`FormatError`] naming the
//!   exact rule that was broken;
//! * one newtype per format (for example [`Handle`]) whose value is valid by
//!   construction, with `serde` support that validates while deserializing.
//!
//! All formats are ASCII-only. Values are never trimmed or normalised while
//! parsing, so a parsed value always serializes back byte-identically; leading
//! or trailing whitespace is an error for every format.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

/// A rule explanation; static in the common case, formatted when it quotes the input.
type Rule = Cow<'static, str>;

/// Result of an internal rule check.
type RuleResult = Result<(), Rule>;

/// How many bytes of the offending value an error message shows.
const MAX_SHOWN: usize = 64;

// ---------------------------------------------------------------------------
// Format
// ---------------------------------------------------------------------------

/// One of the Lexicon string formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    /// `at-identifier`: a handle or a DID.
    AtIdentifier,
    /// `at-uri`: `at://AUTHORITY[/COLLECTION[/RKEY]]`.
    AtUri,
    /// `cid`: a content identifier in string form.
    Cid,
    /// `datetime`: an RFC 3339 / ISO 8601 timestamp with timezone.
    Datetime,
    /// `did`: a decentralized identifier.
    Did,
    /// `handle`: a DNS-name handle.
    Handle,
    /// `language`: a BCP 47 language tag.
    Language,
    /// `nsid`: a namespaced identifier.
    Nsid,
    /// `record-key`: a repository record key.
    RecordKey,
    /// `tid`: a timestamp identifier.
    Tid,
    /// `uri`: a generic URI with a scheme.
    Uri,
}

/// Calls macro `$m` with the names of the 11 format newtypes, so modules
/// that implement a trait for each of them share one list.
macro_rules! for_each_format {
    ($m:ident) => {
        $m!(
            AtIdentifier,
            AtUri,
            Cid,
            Datetime,
            Did,
            Handle,
            Language,
            Nsid,
            RecordKey,
            Tid,
            Uri
        );
    };
}
pub(crate) use for_each_format;

impl Format {
    /// Every format, in the order of the enum.
    pub const ALL: [Format; 11] = [
        Format::AtIdentifier,
        Format::AtUri,
        Format::Cid,
        Format::Datetime,
        Format::Did,
        Format::Handle,
        Format::Language,
        Format::Nsid,
        Format::RecordKey,
        Format::Tid,
        Format::Uri,
    ];

    /// The name used in Lexicon schemas, e.g. `"at-identifier"`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Format::AtIdentifier => "at-identifier",
            Format::AtUri => "at-uri",
            Format::Cid => "cid",
            Format::Datetime => "datetime",
            Format::Did => "did",
            Format::Handle => "handle",
            Format::Language => "language",
            Format::Nsid => "nsid",
            Format::RecordKey => "record-key",
            Format::Tid => "tid",
            Format::Uri => "uri",
        }
    }

    /// The name of the newtype that holds values of this format (`"AtIdentifier"`).
    #[must_use]
    pub fn type_name(self) -> &'static str {
        match self {
            Format::AtIdentifier => "AtIdentifier",
            Format::AtUri => "AtUri",
            Format::Cid => "Cid",
            Format::Datetime => "Datetime",
            Format::Did => "Did",
            Format::Handle => "Handle",
            Format::Language => "Language",
            Format::Nsid => "Nsid",
            Format::RecordKey => "RecordKey",
            Format::Tid => "Tid",
            Format::Uri => "Uri",
        }
    }

    /// Looks a format up by its Lexicon name (exact, case-sensitive match).
    #[must_use]
    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == name)
    }

    /// Checks `s` against this format.
    ///
    /// # Errors
    ///
    /// Returns a [`FormatError`] naming the broken rule when `s` is not valid.
    pub fn check(self, s: &str) -> Result<(), FormatError> {
        match self {
            Format::AtIdentifier => check_at_identifier(s),
            Format::AtUri => check_at_uri(s),
            Format::Cid => check_cid(s),
            Format::Datetime => check_datetime(s),
            Format::Did => check_did(s),
            Format::Handle => check_handle(s),
            Format::Language => check_language(s),
            Format::Nsid => check_nsid(s),
            Format::RecordKey => check_record_key(s),
            Format::Tid => check_tid(s),
            Format::Uri => check_uri(s),
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

// ---------------------------------------------------------------------------
// FormatError
// ---------------------------------------------------------------------------

/// Which format failed and why.
///
/// Its `Display` names the format, the rule that was broken (with the
/// offending label, character, position or length), and the offending value,
/// truncated to 64 bytes and quoted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatError {
    format: Format,
    rule: Rule,
    /// The offending value, truncated to `MAX_SHOWN` bytes.
    value: String,
    /// Length of the full offending value in bytes.
    len: usize,
}

impl FormatError {
    fn new(format: Format, rule: Rule, value: &str) -> Self {
        let end = floor_char_boundary(value, MAX_SHOWN);
        FormatError {
            format,
            rule,
            value: value.get(..end).unwrap_or_default().to_owned(),
            len: value.len(),
        }
    }

    /// The format that was being checked.
    #[must_use]
    pub fn format(&self) -> Format {
        self.format
    }

    /// The rule that was broken, e.g. `label "-ab" starts with a hyphen`.
    #[must_use]
    pub fn rule(&self) -> &str {
        &self.rule
    }
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid {}: {} (value: {:?}",
            self.format.name(),
            self.rule,
            self.value
        )?;
        if self.len > self.value.len() {
            write!(f, "... {} bytes in total", self.len)?;
        }
        f.write_str(")")
    }
}

impl std::error::Error for FormatError {}

// ---------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------

/// The largest char boundary of `s` that is `<= max`.
fn floor_char_boundary(s: &str, max: usize) -> usize {
    if s.len() <= max {
        return s.len();
    }
    let mut end = max;
    while end > 0 && !s.is_char_boundary(end) {
        end -= 1;
    }
    end
}

/// `s[start..end]`, or `""` if that is not a valid slice.
fn sub(s: &str, start: usize, end: usize) -> &str {
    s.get(start..end).unwrap_or_default()
}

/// `s` quoted with `{:?}`, truncated to `MAX_SHOWN` bytes.
fn quote(s: &str) -> String {
    let end = floor_char_boundary(s, MAX_SHOWN);
    let shown = s.get(..end).unwrap_or_default();
    if end < s.len() {
        format!("{shown:?}... ({} bytes)", s.len())
    } else {
        format!("{shown:?}")
    }
}

fn char_at(s: &str, i: usize) -> Option<char> {
    s.get(i..).and_then(|t| t.chars().next())
}

fn is_space_byte(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// Explains why the character at byte `i` of `s` is not allowed.
#[cold]
#[inline(never)]
fn bad_char(s: &str, i: usize, allowed: &str) -> Rule {
    match char_at(s, i) {
        None => format!("invalid byte at position {i}").into(),
        Some(c) if !c.is_ascii() => format!(
            "non-ASCII character {c:?} (U+{:04X}) at byte {i}; only ASCII is allowed",
            u32::from(c)
        )
        .into(),
        Some(c) if c.is_ascii() && is_space_byte(c as u8) => {
            format!("whitespace {c:?} at byte {i} is not allowed").into()
        }
        Some(c) if c.is_ascii_control() => {
            format!("control character {c:?} at byte {i} is not allowed").into()
        }
        Some(c) if allowed.is_empty() => {
            format!("character {c:?} at byte {i} is not allowed").into()
        }
        Some(c) => format!("character {c:?} at byte {i} is not allowed; allowed: {allowed}").into(),
    }
}

/// Explains that `what` was expected at byte `i` of `s`.
#[cold]
#[inline(never)]
fn expected(s: &str, i: usize, what: &str) -> Rule {
    match char_at(s, i) {
        None if i >= s.len() => {
            format!("expected {what} at byte {i}, but the value ends there").into()
        }
        Some(c) if c.is_ascii_graphic() => {
            format!("expected {what} at byte {i}, found {c:?}").into()
        }
        _ => bad_char(s, i, ""),
    }
}

/// Rejects leading and trailing whitespace (values are never trimmed).
fn no_outer_space(s: &str) -> RuleResult {
    let b = s.as_bytes();
    if b.first().is_some_and(|&c| is_space_byte(c)) {
        return Err("leading whitespace is not allowed (values are never trimmed)".into());
    }
    if b.last().is_some_and(|&c| is_space_byte(c)) {
        return Err("trailing whitespace is not allowed (values are never trimmed)".into());
    }
    Ok(())
}

/// Rejects the empty string, outer whitespace and values longer than `max` bytes.
fn basic(s: &str, what: &str, max: usize) -> RuleResult {
    if s.is_empty() {
        return Err(format!("{what} is empty").into());
    }
    no_outer_space(s)?;
    if s.len() > max {
        return Err(format!("{what} is {} bytes long; the maximum is {max}", s.len()).into());
    }
    Ok(())
}

/// Requires every byte to be printable, non-space ASCII.
fn printable_ascii(s: &str) -> RuleResult {
    match s.bytes().position(|c| !c.is_ascii_graphic()) {
        Some(i) => Err(bad_char(s, i, "")),
        None => Ok(()),
    }
}

/// Checks one dot-separated DNS-style label `s[start..end]` (handle labels and
/// NSID domain segments): 1-63 chars, no leading or trailing hyphen. The
/// characters themselves are checked by the caller.
#[inline]
fn dns_label(s: &str, start: usize, end: usize, what: &str, noun: &str) -> RuleResult {
    let lb = s.as_bytes().get(start..end).unwrap_or_default();
    match (lb.first(), lb.last()) {
        (Some(&first), Some(&last)) if lb.len() <= 63 && first != b'-' && last != b'-' => Ok(()),
        _ => Err(dns_label_error(s, start, end, what, noun)),
    }
}

/// Explains why `s[start..end]` is not a valid DNS-style label.
#[cold]
#[inline(never)]
fn dns_label_error(s: &str, start: usize, end: usize, what: &str, noun: &str) -> Rule {
    let label = sub(s, start, end);
    if label.is_empty() {
        if start == 0 {
            format!("{what} must not start with '.'").into()
        } else if end == s.len() {
            format!("{what} must not end with '.'").into()
        } else {
            format!("{what} has an empty {noun} ('..' at byte {})", start - 1).into()
        }
    } else if label.len() > 63 {
        format!(
            "{noun} {} is {} characters long; the maximum is 63",
            quote(label),
            label.len()
        )
        .into()
    } else if label.starts_with('-') {
        format!("{noun} {} starts with a hyphen", quote(label)).into()
    } else {
        format!("{noun} {} ends with a hyphen", quote(label)).into()
    }
}

// ---------------------------------------------------------------------------
// handle
// ---------------------------------------------------------------------------

fn handle_rule(s: &str) -> RuleResult {
    basic(s, "handle", 253)?;
    let b = s.as_bytes();
    let mut start = 0;
    let mut dots = 0usize;
    for (i, &c) in b.iter().enumerate() {
        if c == b'.' {
            dns_label(s, start, i, "handle", "label")?;
            dots += 1;
            start = i + 1;
        } else if !(c.is_ascii_alphanumeric() || c == b'-') {
            return Err(bad_char(s, i, "ASCII letters, digits, '-' and '.'"));
        }
    }
    dns_label(s, start, b.len(), "handle", "label")?;
    if dots == 0 {
        return Err("a handle needs at least two labels separated by '.'".into());
    }
    if b.get(start).is_some_and(u8::is_ascii_digit) {
        return Err(format!(
            "the last label (TLD) {} starts with a digit; it must start with a letter",
            quote(sub(s, start, b.len()))
        )
        .into());
    }
    Ok(())
}

/// Checks the `handle` format: a DNS name of at most 253 chars with two or
/// more labels of 1-63 `[A-Za-z0-9-]` chars, no label starting or ending with
/// `-`, and a last label (TLD) that does not start with a digit.
///
/// # Errors
///
/// Returns a [`FormatError`] naming the broken rule.
pub fn check_handle(s: &str) -> Result<(), FormatError> {
    if handle_fast(s) {
        Ok(())
    } else {
        check_handle_detailed(s)
    }
}

/// [`check_handle`] without the fast path: finds and names the broken rule.
/// Out of line, so that the fast path saves no registers for it.
#[inline(never)]
fn check_handle_detailed(s: &str) -> Result<(), FormatError> {
    handle_rule(s).map_err(|r| FormatError::new(Format::Handle, r, s))
}

// ---------------------------------------------------------------------------
// did
// ---------------------------------------------------------------------------

fn did_rule(s: &str) -> RuleResult {
    basic(s, "DID", 2048)?;
    let b = s.as_bytes();
    match b.get(..4) {
        Some(b"did:") => {}
        Some(p) if p.eq_ignore_ascii_case(b"did:") => {
            return Err("the \"did:\" prefix must be lowercase".into());
        }
        _ => return Err("a DID must start with \"did:\"".into()),
    }
    // Method: [a-z]+ up to the next ':'.
    let mut i = 4;
    loop {
        match b.get(i) {
            Some(b':') => break,
            Some(c) if c.is_ascii_lowercase() => i += 1,
            Some(c) if c.is_ascii_graphic() => {
                return Err(format!(
                    "the DID method must be lowercase letters [a-z]+; found {:?} at byte {i}",
                    char::from(*c)
                )
                .into());
            }
            Some(_) => return Err(bad_char(s, i, "")),
            None if i == 4 => return Err("the DID method is empty (did:METHOD:IDENTIFIER)".into()),
            None => {
                return Err(
                    "missing ':' and identifier after the DID method (did:METHOD:IDENTIFIER)"
                        .into(),
                );
            }
        }
    }
    if i == 4 {
        return Err("the DID method is empty (did:METHOD:IDENTIFIER)".into());
    }
    let id_start = i + 1;
    if id_start >= b.len() {
        return Err("the DID identifier after the method is empty".into());
    }
    for (k, &c) in b.iter().enumerate().skip(id_start) {
        match c {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'.' | b'_' | b':' | b'%' | b'-' => {}
            b'?' | b'#' | b'/' => {
                return Err(format!(
                    "character {:?} at byte {k} is not allowed (a DID has no path, query or fragment)",
                    char::from(c)
                )
                .into());
            }
            _ => {
                return Err(bad_char(
                    s,
                    k,
                    "ASCII letters, digits, '.', '_', ':', '%' and '-'",
                ));
            }
        }
    }
    match b.last() {
        Some(b':') => Err("a DID must not end with ':'".into()),
        Some(b'%') => Err("a DID must not end with '%'".into()),
        _ => Ok(()),
    }
}

/// Checks the `did` format: `did:METHOD:IDENTIFIER` with a `[a-z]+` method,
/// an identifier of `[A-Za-z0-9._:%-]` not ending in `:` or `%`, at most 2048
/// chars. Any method is accepted; percent-encoding is not checked.
///
/// # Errors
///
/// Returns a [`FormatError`] naming the broken rule.
pub fn check_did(s: &str) -> Result<(), FormatError> {
    if did_fast(s) {
        Ok(())
    } else {
        check_did_detailed(s)
    }
}

/// [`check_did`] without the fast path (see [`check_handle_detailed`]).
#[inline(never)]
fn check_did_detailed(s: &str) -> Result<(), FormatError> {
    did_rule(s).map_err(|r| FormatError::new(Format::Did, r, s))
}

// ---------------------------------------------------------------------------
// Fast paths for handle and DID
// ---------------------------------------------------------------------------
//
// `check_handle` and `check_did` first ask a fast path that only answers
// "certainly valid". On `false` (any invalid value, and a few rare valid
// shapes) the detailed checker above runs and names the broken rule, so a fast
// path may reject a valid value (costing only time) but must never accept an
// invalid one.
//
// The per-byte rules are tested on fixed-size blocks of 16 bytes (8 for short
// values), each reduced to one "bad" flag: no branch depends on where the dots
// are, and the last block overlaps the previous ones instead of handling a
// remainder. The per-byte loops are plain Rust that the compiler turns into
// SIMD where the target has it (SSE2 on x86-64: 16 bytes per instruction) and
// into scalar code elsewhere. Rules about one position (the TLD, the DID
// method) use SWAR on one `u64`.

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = ONES << 7;

/// Sets the high bit of each byte of `w` that lies in `lo..=hi` (ASCII
/// bounds). Exact for ASCII bytes; other bytes (and the low bits) give
/// garbage, so callers also check every byte with a block test that rejects
/// non-ASCII.
#[inline(always)]
fn swar_in(w: u64, lo: u8, hi: u8) -> u64 {
    w.wrapping_add(ONES * u64::from(0x80 - lo)) & (ONES * u64::from(0x80 + hi)).wrapping_sub(w)
}

/// The `N` bytes of `b` from `i`, if there are that many.
#[inline(always)]
fn block<const N: usize>(b: &[u8], i: usize) -> Option<&[u8; N]> {
    b.get(i..)?.first_chunk::<N>()
}

/// Whether a byte of `chars` is not `[A-Za-z0-9.-]`, or a byte of `a` and
/// the byte after it (at the same index of `next`) form `..`, `.-` or `-.`:
/// of the pairs of handle characters, exactly those whose bitwise OR is `.`
/// or `/`.
#[inline(always)]
fn handle_block_bad<const N: usize>(chars: &[u8; N], a: &[u8; N], next: &[u8; N]) -> bool {
    let mut bad = false;
    for ((&c, &x), &y) in chars.iter().zip(a).zip(next) {
        let letter = (c | 0x20).wrapping_sub(b'a') < 26;
        let digit_dot_hyphen = (c.wrapping_sub(b'-') < 13) & (c != b'/');
        bad |= !(letter | digit_dot_hyphen) | ((x | y | 1) == b'/');
    }
    bad
}

/// Whether `s` is certainly a valid handle. Beyond the rule, it wants at
/// least 8 bytes, the last dot within the last 8 bytes, no digit after any
/// dot there, and (over 63 bytes) a dot in one of every three consecutive
/// 16-byte blocks.
#[inline]
fn handle_fast(s: &str) -> bool {
    let b = s.as_bytes();
    let (Some(&first), Some(tail)) = (b.first(), b.last_chunk::<8>()) else {
        return false;
    };
    let t = u64::from_le_bytes(*tail);
    let last = (t >> 56) as u8;
    let dots = swar_in(t, b'.', b'.') & HIGH;
    let digit_after_dot = swar_in(t, b'0', b'9') & (dots << 8);
    b.len() <= 253
        && dots != 0
        && digit_after_dot == 0
        && !matches!(first, b'-' | b'.')
        && !matches!(last, b'-' | b'.')
        && handle_blocks_ok(b)
        && (b.len() <= 63 || handle_labels_short(b))
}

/// The block tests of [`handle_fast`] over all of `b` (at least 8 bytes).
/// Kept out of line: inlined, the compiler rebuilds the blocks from the
/// scalar word of the caller, byte by byte.
#[inline(never)]
fn handle_blocks_ok(b: &[u8]) -> bool {
    let n = b.len();
    if n > 16 {
        // Blocks at 0, 16, 32... while a byte follows them, then one at
        // n - 17; each checks the pairs starting in it and its own bytes,
        // except the last one, which checks the bytes from n - 16 (so that
        // the last byte is checked too).
        let mut i = 16;
        while let Some(w) = b.get(i..i + 17) {
            match (w.first_chunk::<16>(), w.last_chunk::<16>()) {
                (Some(a), Some(next)) if !handle_block_bad(a, a, next) => i += 16,
                _ => return false,
            }
        }
        match (
            block::<16>(b, 0),
            block::<16>(b, 1),
            block::<16>(b, n - 17),
            block::<16>(b, n - 16),
        ) {
            (Some(a), Some(an), Some(z), Some(zn)) => {
                !(handle_block_bad(a, a, an) | handle_block_bad(zn, z, zn))
            }
            _ => false,
        }
    } else if n > 8 {
        match (
            block::<8>(b, 0),
            block::<8>(b, 1),
            block::<8>(b, n - 9),
            block::<8>(b, n - 8),
        ) {
            (Some(a), Some(an), Some(z), Some(zn)) => {
                !(handle_block_bad(a, a, an) | handle_block_bad(zn, z, zn))
            }
            _ => false,
        }
    } else {
        // Exactly 8 bytes: one word. Its last byte pairs with a zero byte,
        // which flags it only if it is '.' or '/', invalid there anyway.
        let Some(w) = b.first_chunk::<8>() else {
            return false;
        };
        let w = u64::from_le_bytes(*w);
        let letter = swar_in(w | (ONES * 0x20), b'a', b'z');
        let digit_dot_hyphen = swar_in(w, b'-', b'9') & !swar_in(w, b'/', b'/');
        let bad_pair = swar_in(w | (w >> 8), b'.', b'/');
        (w | !(letter | digit_dot_hyphen) | bad_pair) & HIGH == 0
    }
}

/// Whether no label of `b` can be longer than 63 bytes: such a label covers
/// three whole 16-byte blocks at multiples of 16, so a dot in one of every
/// three consecutive blocks is enough.
fn handle_labels_short(b: &[u8]) -> bool {
    let mut without_dot = 0;
    let mut i = 0;
    while let Some(a) = block::<16>(b, i) {
        let mut dot = false;
        for &c in a {
            dot |= c == b'.';
        }
        without_dot = if dot { 0 } else { without_dot + 1 };
        if without_dot == 3 {
            return false;
        }
        i += 16;
    }
    true
}

/// Whether a byte of `a` is not `[A-Za-z0-9._:%-]`.
#[inline(always)]
fn did_block_bad<const N: usize>(a: &[u8; N]) -> bool {
    let mut bad = false;
    for &c in a {
        let letter = (c | 0x20).wrapping_sub(b'a') < 26;
        let digit_dot_colon_hyphen = (c.wrapping_sub(b'-') < 14) & (c != b'/');
        bad |= !(letter | digit_dot_colon_hyphen | (c == b'%') | (c == b'_'));
    }
    bad
}

/// Whether `s` is certainly a valid DID. Beyond the rule, it wants at least
/// 12 bytes and a method of at most 8 letters.
#[inline]
fn did_fast(s: &str) -> bool {
    let b = s.as_bytes();
    let (Some(method), Some(&last)) = (block::<8>(b, 4), b.last()) else {
        return false;
    };
    // The method: the lowercase letters after "did:", up to the first other
    // byte, which must be ':'.
    let m = u64::from_le_bytes(*method);
    let method_len = (!swar_in(m, b'a', b'z') & HIGH).trailing_zeros() as usize / 8;
    b.starts_with(b"did:")
        && b.len() <= 2048
        && method_len > 0
        && b.get(4 + method_len) == Some(&b':')
        && !matches!(last, b':' | b'%')
        && did_blocks_ok(b)
}

/// The block test of [`did_fast`] over all of `b` (at least 8 bytes). Out of
/// line for the same reason as [`handle_blocks_ok`].
#[inline(never)]
fn did_blocks_ok(b: &[u8]) -> bool {
    let n = b.len();
    if n >= 16 {
        // Blocks at 0, 16, 32... below n - 16, then one at n - 16.
        let mut i = 16;
        while let Some(a) = b.get(i..i + 17).and_then(<[u8]>::first_chunk::<16>) {
            if did_block_bad(a) {
                return false;
            }
            i += 16;
        }
        match (block::<16>(b, 0), block::<16>(b, n - 16)) {
            (Some(a), Some(z)) => !(did_block_bad(a) | did_block_bad(z)),
            _ => false,
        }
    } else {
        match (block::<8>(b, 0), block::<8>(b, n.wrapping_sub(8))) {
            (Some(a), Some(z)) => !(did_block_bad(a) | did_block_bad(z)),
            _ => false,
        }
    }
}

// ---------------------------------------------------------------------------
// at-identifier
// ---------------------------------------------------------------------------

fn at_identifier_rule(s: &str) -> RuleResult {
    if s.starts_with("did:") {
        did_rule(s).map_err(|r| format!("not a valid DID: {r}").into())
    } else {
        handle_rule(s).map_err(|r| format!("not a valid handle: {r}").into())
    }
}

/// Checks the `at-identifier` format: a DID (if it starts with `did:`) or
/// otherwise a handle.
///
/// # Errors
///
/// Returns a [`FormatError`] naming the broken rule.
pub fn check_at_identifier(s: &str) -> Result<(), FormatError> {
    // A DID starts with "did:", which no handle can.
    if did_fast(s) || handle_fast(s) {
        return Ok(());
    }
    at_identifier_rule(s).map_err(|r| FormatError::new(Format::AtIdentifier, r, s))
}

// ---------------------------------------------------------------------------
// nsid
// ---------------------------------------------------------------------------

fn nsid_rule(s: &str) -> RuleResult {
    basic(s, "NSID", 317)?;
    let b = s.as_bytes();
    let mut start = 0;
    let mut dots = 0usize;
    for (i, &c) in b.iter().enumerate() {
        if c == b'.' {
            dns_label(s, start, i, "NSID", "segment")?;
            if dots == 0 && b.first().is_some_and(u8::is_ascii_digit) {
                return Err(format!(
                    "the first segment {} starts with a digit",
                    quote(sub(s, 0, i))
                )
                .into());
            }
            dots += 1;
            start = i + 1;
        } else if c == b'*' {
            return Err(format!(
                "character '*' at byte {i} is not allowed (the glob form such as com.example.* is not a valid NSID)"
            )
            .into());
        } else if !(c.is_ascii_alphanumeric() || c == b'-') {
            return Err(bad_char(s, i, "ASCII letters, digits, '-' and '.'"));
        }
    }
    if start == b.len() {
        return Err("NSID must not end with '.'".into());
    }
    if dots < 2 {
        return Err(format!(
            "an NSID needs at least three segments (domain authority and name); found {}",
            dots + 1
        )
        .into());
    }
    let authority_len = start - 1;
    if authority_len > 253 {
        return Err(format!(
            "the domain authority is {authority_len} characters long; the maximum is 253"
        )
        .into());
    }
    let name = sub(s, start, b.len());
    if name.len() > 63 {
        return Err(format!(
            "the name segment {} is {} characters long; the maximum is 63",
            quote(name),
            name.len()
        )
        .into());
    }
    if name.bytes().any(|c| c == b'-') {
        return Err(format!(
            "the name segment {} contains '-'; it must be ASCII letters and digits only",
            quote(name)
        )
        .into());
    }
    if name.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        return Err(format!("the name segment {} starts with a digit", quote(name)).into());
    }
    Ok(())
}

/// Checks the `nsid` format: a reversed domain authority (two or more
/// segments, at most 253 chars, first segment not starting with a digit)
/// followed by a name segment of 1-63 `[A-Za-z0-9]` chars not starting with a
/// digit; at most 317 chars in total.
///
/// # Errors
///
/// Returns a [`FormatError`] naming the broken rule.
pub fn check_nsid(s: &str) -> Result<(), FormatError> {
    nsid_rule(s).map_err(|r| FormatError::new(Format::Nsid, r, s))
}

// ---------------------------------------------------------------------------
// record-key
// ---------------------------------------------------------------------------

fn record_key_rule(s: &str) -> RuleResult {
    basic(s, "record key", 512)?;
    for (i, &c) in s.as_bytes().iter().enumerate() {
        if !(c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b':' | b'~' | b'-')) {
            return Err(bad_char(
                s,
                i,
                "ASCII letters, digits, '.', '_', ':', '~' and '-'",
            ));
        }
    }
    if s == "." || s == ".." {
        return Err("a record key must not be \".\" or \"..\"".into());
    }
    Ok(())
}

/// Checks the `record-key` format: 1-512 chars of `[A-Za-z0-9._:~-]`, and
/// not exactly `.` or `..`.
///
/// # Errors
///
/// Returns a [`FormatError`] naming the broken rule.
pub fn check_record_key(s: &str) -> Result<(), FormatError> {
    record_key_rule(s).map_err(|r| FormatError::new(Format::RecordKey, r, s))
}

// ---------------------------------------------------------------------------
// tid
// ---------------------------------------------------------------------------

fn is_tid_char(c: u8) -> bool {
    matches!(c, b'2'..=b'7' | b'a'..=b'z')
}

fn tid_rule(s: &str) -> RuleResult {
    if s.is_empty() {
        return Err("TID is empty".into());
    }
    no_outer_space(s)?;
    for (i, &c) in s.as_bytes().iter().enumerate() {
        if is_tid_char(c) {
            continue;
        }
        if is_tid_char(c.to_ascii_lowercase()) {
            return Err(format!(
                "a TID must be lowercase; found {:?} at byte {i}",
                char::from(c)
            )
            .into());
        }
        return Err(bad_char(
            s,
            i,
            "the base32-sortable alphabet 234567abcdefghijklmnopqrstuvwxyz",
        ));
    }
    if s.len() != 13 {
        return Err(format!(
            "a TID must be exactly 13 characters long; found {}",
            s.len()
        )
        .into());
    }
    match s.as_bytes().first() {
        Some(b'2'..=b'7' | b'a'..=b'j') => Ok(()),
        Some(&c) => Err(format!(
            "the first character {:?} must be one of 234567abcdefghij (the top bit must be 0)",
            char::from(c)
        )
        .into()),
        None => Err("TID is empty".into()),
    }
}

/// Checks the `tid` format: exactly 13 chars of
/// `234567abcdefghijklmnopqrstuvwxyz`, the first one of `234567abcdefghij`.
///
/// # Errors
///
/// Returns a [`FormatError`] naming the broken rule.
pub fn check_tid(s: &str) -> Result<(), FormatError> {
    tid_rule(s).map_err(|r| FormatError::new(Format::Tid, r, s))
}

// ---------------------------------------------------------------------------
// at-uri
// ---------------------------------------------------------------------------

fn at_uri_rule(s: &str) -> RuleResult {
    basic(s, "at-uri", 8192)?;
    // Every value with a query, fragment, whitespace or non-ASCII character
    // also fails the structural checks; scanning for them only on failure
    // keeps the success path to a single pass while still naming that rule.
    at_uri_structure(s).map_err(|rule| at_uri_char_problem(s).unwrap_or(rule))
}

/// Names the first query, fragment, whitespace, control or non-ASCII character.
#[cold]
fn at_uri_char_problem(s: &str) -> Option<Rule> {
    s.bytes().enumerate().find_map(|(i, c)| match c {
        b'?' => Some(format!("a query ('?' at byte {i}) is not allowed").into()),
        b'#' => Some(format!("a fragment ('#' at byte {i}) is not allowed").into()),
        _ if !c.is_ascii_graphic() => Some(bad_char(s, i, "")),
        _ => None,
    })
}

fn at_uri_structure(s: &str) -> RuleResult {
    let rest = match s.get(..5) {
        Some("at://") => sub(s, 5, s.len()),
        Some(p) if p.eq_ignore_ascii_case("at://") => {
            return Err("the scheme must be lowercase \"at://\"".into());
        }
        _ => return Err("an at-uri must start with \"at://\"".into()),
    };
    let mut parts = rest.split('/');
    let authority = parts.next().unwrap_or_default();
    if authority.is_empty() {
        return Err("the authority (handle or DID) after \"at://\" is empty".into());
    }
    if authority.starts_with("did:") {
        did_rule(authority).map_err(|r| -> Rule {
            format!("the authority {} is not a valid DID: {r}", quote(authority)).into()
        })?;
    } else {
        handle_rule(authority).map_err(|r| -> Rule {
            format!(
                "the authority {} is not a valid handle: {r}",
                quote(authority)
            )
            .into()
        })?;
    }
    let Some(collection) = parts.next() else {
        return Ok(());
    };
    if collection.is_empty() {
        return Err(
            if rest.ends_with('/') && rest.len() == authority.len() + 1 {
                "a trailing '/' after the authority is not allowed"
            } else {
                "the collection path segment is empty"
            }
            .into(),
        );
    }
    nsid_rule(collection).map_err(|r| -> Rule {
        format!(
            "the collection {} is not a valid NSID: {r}",
            quote(collection)
        )
        .into()
    })?;
    let Some(rkey) = parts.next() else {
        return Ok(());
    };
    if rkey.is_empty() {
        return Err(if parts.next().is_none() {
            "a trailing '/' after the collection is not allowed"
        } else {
            "the record key path segment is empty"
        }
        .into());
    }
    record_key_rule(rkey).map_err(|r| -> Rule {
        format!("the record key {} is not valid: {r}", quote(rkey)).into()
    })?;
    match parts.next() {
        None => Ok(()),
        Some("") if parts.next().is_none() => {
            Err("a trailing '/' after the record key is not allowed".into())
        }
        Some(_) => {
            Err("too many path segments: at most at://AUTHORITY/COLLECTION/RKEY is allowed".into())
        }
    }
}

/// Checks the Lexicon-restricted `at-uri` format:
/// `at://AUTHORITY[/COLLECTION[/RKEY]]` where AUTHORITY is a handle or DID,
/// COLLECTION an NSID and RKEY a record key; no trailing slash, query,
/// fragment or whitespace; at most 8192 bytes.
///
/// # Errors
///
/// Returns a [`FormatError`] naming the broken rule.
pub fn check_at_uri(s: &str) -> Result<(), FormatError> {
    at_uri_rule(s).map_err(|r| FormatError::new(Format::AtUri, r, s))
}

// ---------------------------------------------------------------------------
// datetime
// ---------------------------------------------------------------------------

/// Reads `count` ASCII digits of `s` starting at byte `at`.
fn digits(s: &str, at: usize, count: usize, what: &str) -> Result<u32, Rule> {
    let bytes = s.as_bytes();
    let mut value = 0u32;
    for pos in at..at + count {
        match bytes.get(pos) {
            Some(&c) if c.is_ascii_digit() => value = value * 10 + u32::from(c - b'0'),
            _ => return Err(expected(s, pos, what)),
        }
    }
    Ok(value)
}

/// Requires byte `at` of `s` to be `sep`.
fn separator(s: &str, at: usize, sep: u8, what: &str) -> RuleResult {
    if s.as_bytes().get(at) == Some(&sep) {
        Ok(())
    } else {
        Err(expected(s, at, what))
    }
}

fn is_leap_year(year: u32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Checks `YYYY-MM-DD` at the start of `s`; returns `(year, month, day)`.
fn date_part(s: &str) -> Result<(u32, u32, u32), Rule> {
    let bytes = s.as_bytes();
    if matches!(bytes.first(), Some(b'+' | b'-')) {
        return Err("the year must be exactly 4 digits with no sign".into());
    }
    let year_digits = bytes.iter().take_while(|c| c.is_ascii_digit()).count();
    if year_digits == 0 {
        return Err(expected(s, 0, "a 4-digit year"));
    }
    if year_digits != 4 {
        return Err(format!("the year must be exactly 4 digits; found {year_digits}").into());
    }
    let year = digits(s, 0, 4, "a 4-digit year")?;
    separator(s, 4, b'-', "'-' after the year")?;
    let month = digits(s, 5, 2, "a 2-digit month")?;
    if !(1..=12).contains(&month) {
        return Err(format!("month {month:02} is out of range 01-12").into());
    }
    separator(s, 7, b'-', "'-' after the month")?;
    let day = digits(s, 8, 2, "a 2-digit day")?;
    let month_days = days_in_month(year, month);
    if day == 0 || day > month_days {
        return Err(format!(
            "day {day:02} is out of range for {year:04}-{month:02}, which has {month_days} days"
        )
        .into());
    }
    Ok((year, month, day))
}

/// Checks `THH:MM:SS[.fraction]` at byte 10 of `s`; returns the second of the
/// day and the byte position just after the time.
fn time_part(s: &str) -> Result<(u32, usize), Rule> {
    let bytes = s.as_bytes();
    match bytes.get(10) {
        Some(b'T') => {}
        Some(b't') => {
            return Err("the date/time separator must be uppercase 'T', not 't'".into());
        }
        Some(b' ') => return Err("the date/time separator must be 'T', not a space".into()),
        None => {
            return Err(
                "a time is required: expected 'T', HH:MM:SS and a timezone after the date".into(),
            );
        }
        Some(_) => return Err(expected(s, 10, "'T' between date and time")),
    }
    let hour = digits(s, 11, 2, "a 2-digit hour")?;
    if hour > 23 {
        return Err(format!("hour {hour:02} is out of range 00-23").into());
    }
    separator(s, 13, b':', "':' after the hour")?;
    let minute = digits(s, 14, 2, "a 2-digit minute")?;
    if minute > 59 {
        return Err(format!("minute {minute:02} is out of range 00-59").into());
    }
    match bytes.get(16) {
        Some(b':') => {}
        None | Some(b'Z' | b'z' | b'+' | b'-' | b'.') => {
            return Err("seconds are required (HH:MM:SS)".into());
        }
        Some(_) => return Err(expected(s, 16, "':' after the minute")),
    }
    let second = digits(s, 17, 2, "a 2-digit second")?;
    if second > 59 {
        return Err(if second == 60 {
            "second 60 is out of range 00-59 (leap seconds are not accepted)".into()
        } else {
            format!("second {second:02} is out of range 00-59").into()
        });
    }
    let mut end = 19;
    if bytes.get(end) == Some(&b'.') {
        let fraction_digits = bytes
            .iter()
            .skip(end + 1)
            .take_while(|c| c.is_ascii_digit())
            .count();
        if fraction_digits == 0 {
            return Err("the fraction after '.' needs at least one digit".into());
        }
        end += 1 + fraction_digits;
    }
    Ok((hour * 3600 + minute * 60 + second, end))
}

/// Checks the timezone (`Z` or `±HH:MM`) that must make up the rest of `s`
/// from byte `at`; returns the offset east of UTC in seconds.
fn zone_part(s: &str, at: usize) -> Result<i64, Rule> {
    let bytes = s.as_bytes();
    let (offset, end) = match bytes.get(at) {
        Some(b'Z') => (0, at + 1),
        Some(b'z') => return Err("the UTC designator must be uppercase 'Z', not 'z'".into()),
        Some(&sign @ (b'+' | b'-')) => {
            let hours = digits(s, at + 1, 2, "a 2-digit UTC offset hour")?;
            match bytes.get(at + 3) {
                Some(b':') => {}
                Some(c) if c.is_ascii_digit() => {
                    return Err("the UTC offset must be written ±HH:MM (with a colon)".into());
                }
                _ => return Err(expected(s, at + 3, "':' in the UTC offset (±HH:MM)")),
            }
            let minutes = digits(s, at + 4, 2, "a 2-digit UTC offset minute")?;
            if hours > 23 {
                return Err(format!("UTC offset hour {hours:02} is out of range 00-23").into());
            }
            if minutes > 59 {
                return Err(format!("UTC offset minute {minutes:02} is out of range 00-59").into());
            }
            if sign == b'-' && hours == 0 && minutes == 0 {
                return Err("the UTC offset -00:00 is not allowed; use 'Z' or '+00:00'".into());
            }
            let magnitude = i64::from(hours * 3600 + minutes * 60);
            (if sign == b'-' { -magnitude } else { magnitude }, at + 6)
        }
        None => return Err("a timezone is required: 'Z' or ±HH:MM".into()),
        Some(_) => return Err(expected(s, at, "a timezone ('Z' or ±HH:MM)")),
    };
    if end != bytes.len() {
        return Err(format!(
            "unexpected characters {} after the timezone",
            quote(sub(s, end, bytes.len()))
        )
        .into());
    }
    Ok(offset)
}

fn datetime_rule(s: &str) -> RuleResult {
    if s.is_empty() {
        return Err("datetime is empty".into());
    }
    no_outer_space(s)?;
    let (year, month, day) = date_part(s)?;
    let (second_of_day, end) = time_part(s)?;
    let offset = zone_part(s, end)?;
    // Only the first day of year 0 can reach back before year 0.
    if year == 0 && month == 1 && day == 1 && i64::from(second_of_day) < offset {
        return Err("the instant falls before year 0 once the UTC offset is applied".into());
    }
    Ok(())
}

/// Checks the `datetime` format: `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`
/// with a real calendar date (leap years included), hour 00-23, minute and
/// second 00-59 (no leap second), any number (≥ 1) of fraction digits, a
/// required timezone other than `-00:00`, uppercase `T` and `Z`, and an
/// instant that is not before year 0 once the offset is applied.
///
/// # Errors
///
/// Returns a [`FormatError`] naming the broken rule.
pub fn check_datetime(s: &str) -> Result<(), FormatError> {
    datetime_rule(s).map_err(|r| FormatError::new(Format::Datetime, r, s))
}

// ---------------------------------------------------------------------------
// cid
// ---------------------------------------------------------------------------

/// The longest decoded CID accepted: a 1-byte version, up to three 9-byte
/// varints, up to 128 digest bytes (plus slack for non-minimal varints).
const MAX_CID_BYTES: usize = 4 * 9 + 128;

/// Sanity bound on the length of a CID string.
const MAX_CID_CHARS: usize = 512;

/// Builds a byte -> digit lookup table (`0xFF` for bytes not in `alphabet`).
/// Alphabets have at most 64 characters, so the index cast cannot truncate.
#[allow(clippy::cast_possible_truncation)]
const fn alphabet_table(alphabet: &[u8]) -> [u8; 256] {
    let mut table = [0xFF_u8; 256];
    let mut i = 0;
    while i < alphabet.len() {
        table[alphabet[i] as usize] = i as u8;
        i += 1;
    }
    table
}

static BASE2: [u8; 256] = alphabet_table(b"01");
static BASE8: [u8; 256] = alphabet_table(b"01234567");
static BASE10: [u8; 256] = alphabet_table(b"0123456789");
static BASE16: [u8; 256] = alphabet_table(b"0123456789abcdef");
static BASE16_UPPER: [u8; 256] = alphabet_table(b"0123456789ABCDEF");
static BASE32: [u8; 256] = alphabet_table(b"abcdefghijklmnopqrstuvwxyz234567");
static BASE32_UPPER: [u8; 256] = alphabet_table(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");
static BASE32_HEX: [u8; 256] = alphabet_table(b"0123456789abcdefghijklmnopqrstuv");
static BASE32_HEX_UPPER: [u8; 256] = alphabet_table(b"0123456789ABCDEFGHIJKLMNOPQRSTUV");
static BASE32_Z: [u8; 256] = alphabet_table(b"ybndrfg8ejkmcpqxot1uwisza345h769");
static BASE36: [u8; 256] = alphabet_table(b"0123456789abcdefghijklmnopqrstuvwxyz");
static BASE36_UPPER: [u8; 256] = alphabet_table(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ");
static BASE58_BTC: [u8; 256] =
    alphabet_table(b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz");
static BASE58_FLICKR: [u8; 256] =
    alphabet_table(b"123456789abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ");
static BASE64: [u8; 256] =
    alphabet_table(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
static BASE64_URL: [u8; 256] =
    alphabet_table(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

/// How a multibase encodes bytes.
#[derive(Clone, Copy)]
enum BaseKind {
    /// RFC 4648 style bit packing with this many bits per character;
    /// `true` if `=` padding is required.
    Bits(u32, bool),
    /// Big-number positional encoding in this radix (base-x style).
    Radix(u32),
}

/// A multibase: its name, alphabet table and encoding kind.
type Multibase = (&'static str, &'static [u8; 256], BaseKind);

fn multibase(prefix: u8) -> Option<Multibase> {
    use BaseKind::{Bits, Radix};
    Some(match prefix {
        b'0' => ("base2 ('0')", &BASE2, Bits(1, false)),
        b'7' => ("base8 ('7')", &BASE8, Bits(3, false)),
        b'9' => ("base10 ('9')", &BASE10, Radix(10)),
        b'f' => ("base16 ('f')", &BASE16, Bits(4, false)),
        b'F' => ("base16upper ('F')", &BASE16_UPPER, Bits(4, false)),
        b'b' => ("base32 ('b')", &BASE32, Bits(5, false)),
        b'B' => ("base32upper ('B')", &BASE32_UPPER, Bits(5, false)),
        b'c' => ("base32pad ('c')", &BASE32, Bits(5, true)),
        b'C' => ("base32padupper ('C')", &BASE32_UPPER, Bits(5, true)),
        b'v' => ("base32hex ('v')", &BASE32_HEX, Bits(5, false)),
        b'V' => ("base32hexupper ('V')", &BASE32_HEX_UPPER, Bits(5, false)),
        b't' => ("base32hexpad ('t')", &BASE32_HEX, Bits(5, true)),
        b'T' => ("base32hexpadupper ('T')", &BASE32_HEX_UPPER, Bits(5, true)),
        b'h' => ("base32z ('h')", &BASE32_Z, Bits(5, false)),
        b'k' => ("base36 ('k')", &BASE36, Radix(36)),
        b'K' => ("base36upper ('K')", &BASE36_UPPER, Radix(36)),
        b'z' => ("base58btc ('z')", &BASE58_BTC, Radix(58)),
        b'Z' => ("base58flickr ('Z')", &BASE58_FLICKR, Radix(58)),
        b'm' => ("base64 ('m')", &BASE64, Bits(6, false)),
        b'M' => ("base64pad ('M')", &BASE64, Bits(6, true)),
        b'u' => ("base64url ('u')", &BASE64_URL, Bits(6, false)),
        b'U' => ("base64urlpad ('U')", &BASE64_URL, Bits(6, true)),
        _ => return None,
    })
}

fn cid_too_long() -> Rule {
    format!("the decoded CID is longer than any valid CID ({MAX_CID_BYTES} bytes)").into()
}

fn base_char_error(c: u8, at: usize, name: &str) -> Rule {
    if c == b'=' {
        format!("padding '=' at byte {at} is not allowed in {name}").into()
    } else {
        format!(
            "character {:?} at byte {at} is not in the {name} alphabet",
            char::from(c)
        )
        .into()
    }
}

/// Decodes RFC 4648 style data (`offset` = byte position of `data` in the
/// whole string, for messages) into `out`, returning the decoded length.
fn decode_bits(
    data: &[u8],
    offset: usize,
    (name, table, bits, padded): (&str, &[u8; 256], u32, bool),
    out: &mut [u8],
) -> Result<usize, Rule> {
    let mut body = data;
    if padded {
        let pad = data.iter().rev().take_while(|&&c| c == b'=').count();
        body = data.get(..data.len() - pad).unwrap_or_default();
        let quantum = if bits == 5 { 8 } else { 4 };
        let rem = body.len() % quantum;
        let need = if rem == 0 { 0 } else { quantum - rem };
        if pad != need {
            return Err(format!(
                "{name} needs exactly {need} '=' padding characters here; found {pad}"
            )
            .into());
        }
    }
    let mut acc: u32 = 0;
    let mut nbits: u32 = 0;
    let mut n = 0;
    for (k, &c) in body.iter().enumerate() {
        let v = table[usize::from(c)];
        if v == 0xFF {
            return Err(base_char_error(c, offset + k, name));
        }
        acc = (acc << bits) | u32::from(v);
        nbits += bits;
        if nbits >= 8 {
            nbits -= 8;
            let slot = out.get_mut(n).ok_or_else(cid_too_long)?;
            *slot = ((acc >> nbits) & 0xFF) as u8;
            n += 1;
            acc &= (1 << nbits) - 1;
        }
    }
    if nbits >= bits {
        return Err(format!(
            "{name} data of {} characters (after the prefix) has an impossible length",
            body.len()
        )
        .into());
    }
    if acc != 0 {
        return Err(
            format!("{name} data has non-zero trailing bits (not canonically encoded)").into(),
        );
    }
    Ok(n)
}

/// Decodes base-x (big number) data into `out`, returning the decoded length.
fn decode_radix(
    data: &[u8],
    offset: usize,
    (name, table, radix): (&str, &[u8; 256], u32),
    out: &mut [u8],
) -> Result<usize, Rule> {
    // Leading zero digits stand for leading zero bytes (base-x convention).
    let zeros = data
        .iter()
        .take_while(|&&c| table[usize::from(c)] == 0)
        .count();
    // The number itself, in little-endian 32-bit limbs. Digits are folded in
    // groups whose multiplier radix^group still fits in a u32.
    let radix = u64::from(radix);
    let mut group: usize = 1;
    let mut power = radix;
    while u32::try_from(power * radix).is_ok() {
        power *= radix;
        group += 1;
    }
    let mut limbs = [0u32; MAX_CID_BYTES / 4 + 1];
    let mut used = 0;
    for (chunk_index, chunk) in data.chunks(group).enumerate() {
        let mut multiplier: u64 = 1;
        let mut carry: u64 = 0;
        for (k, &c) in chunk.iter().enumerate() {
            let digit = table[usize::from(c)];
            if digit == 0xFF {
                let at = offset + chunk_index * group + k;
                return Err(base_char_error(c, at, name));
            }
            multiplier *= radix;
            carry = carry * radix + u64::from(digit);
        }
        // limbs = limbs * multiplier + carry; both factors are below 2^32,
        // so every intermediate value fits in a u64.
        for limb in limbs.iter_mut().take(used) {
            let t = u64::from(*limb) * multiplier + carry;
            *limb = (t & 0xFFFF_FFFF) as u32;
            carry = t >> 32;
        }
        if carry > 0 {
            let slot = limbs.get_mut(used).ok_or_else(cid_too_long)?;
            *slot = (carry & 0xFFFF_FFFF) as u32;
            used += 1;
        }
    }
    // Big-endian bytes of the number, without leading zero bytes.
    let top = limbs.get(..used).unwrap_or_default();
    let bytes = top
        .iter()
        .rev()
        .flat_map(|limb| limb.to_be_bytes())
        .skip_while(|&byte| byte == 0);
    let mut len = zeros;
    for byte in bytes {
        let slot = out.get_mut(len).ok_or_else(cid_too_long)?;
        *slot = byte;
        len += 1;
    }
    if let Some(prefix) = out.get_mut(..zeros) {
        prefix.fill(0);
    } else {
        return Err(cid_too_long());
    }
    Ok(len)
}

/// Reads an unsigned varint (at most 9 bytes) at `*pos`.
fn read_varint(bytes: &[u8], pos: &mut usize, what: &str) -> Result<u64, Rule> {
    let mut value: u64 = 0;
    for k in 0..9 {
        let Some(&b) = bytes.get(*pos) else {
            return Err(format!("the decoded CID ends inside the {what} varint").into());
        };
        *pos += 1;
        value |= u64::from(b & 0x7F) << (7 * k);
        if b & 0x80 == 0 {
            return Ok(value);
        }
    }
    Err(format!("the {what} varint is longer than 9 bytes").into())
}

/// Checks decoded `CIDv1` bytes: version 1, codec, multihash.
fn cid_v1_bytes(bytes: &[u8]) -> RuleResult {
    let mut pos = 0;
    match read_varint(bytes, &mut pos, "version")? {
        1 => {}
        0 => {
            return Err(
                "CID version 0 is only valid as a bare base58btc \"Qm...\" string, not in multibase form"
                    .into(),
            );
        }
        0x12 => {
            return Err(
                "the decoded bytes are a bare sha2-256 multihash (CIDv0); in multibase form a CID must be version 1"
                    .into(),
            );
        }
        v => {
            return Err(format!("unsupported CID version {v}; only version 1 is valid").into());
        }
    }
    read_varint(bytes, &mut pos, "codec")?;
    read_varint(bytes, &mut pos, "multihash code")?;
    let digest_len = read_varint(bytes, &mut pos, "digest length")?;
    if digest_len == 0 {
        return Err("the multihash digest length is 0".into());
    }
    if digest_len > 128 {
        return Err(format!("the multihash digest length {digest_len} exceeds 128 bytes").into());
    }
    let remaining = bytes.len().saturating_sub(pos) as u64;
    if remaining < digest_len {
        return Err(format!(
            "the multihash digest is truncated: expected {digest_len} bytes, found {remaining}"
        )
        .into());
    }
    if remaining > digest_len {
        return Err(format!(
            "{} unexpected trailing bytes after the {digest_len}-byte multihash digest",
            remaining - digest_len
        )
        .into());
    }
    Ok(())
}

fn cid_rule(s: &str) -> RuleResult {
    basic(s, "CID", MAX_CID_CHARS)?;
    // Every value with whitespace, non-ASCII or ':' also fails decoding;
    // looking for them only on failure keeps the success path short.
    cid_structure(s).map_err(|rule| cid_char_problem(s).unwrap_or(rule))
}

/// Names the first whitespace, control, non-ASCII or ':' character.
#[cold]
fn cid_char_problem(s: &str) -> Option<Rule> {
    if let Err(rule) = printable_ascii(s) {
        return Some(rule);
    }
    s.bytes().position(|c| c == b':').map(|i| {
        format!("':' at byte {i} is not allowed: a CID has no scheme (such as ipfs://)").into()
    })
}

fn cid_structure(s: &str) -> RuleResult {
    let b = s.as_bytes();
    let mut buf = [0u8; MAX_CID_BYTES];
    let Some((&prefix, data)) = b.split_first() else {
        return Err("CID is empty".into());
    };
    if prefix == b'Q' {
        if b.len() != 46 {
            return Err(format!(
                "a CIDv0 (\"Qm...\") must be exactly 46 characters long; found {}",
                b.len()
            )
            .into());
        }
        if b.get(1) != Some(&b'm') {
            return Err("a CIDv0 must start with \"Qm\"".into());
        }
        let n = decode_radix(b, 0, ("base58btc", &BASE58_BTC, 58), &mut buf)?;
        return match buf.get(..n) {
            Some([0x12, 0x20, rest @ ..]) if rest.len() == 32 => Ok(()),
            _ => Err(
                "a CIDv0 must decode to a sha2-256 multihash (0x12 0x20 and 32 digest bytes)"
                    .into(),
            ),
        };
    }
    let Some((name, table, kind)) = multibase(prefix) else {
        return Err(if prefix == b'/' {
            "a CID must not be a path (such as /ipfs/...)".into()
        } else {
            format!(
                "unknown multibase prefix {:?}; expected e.g. 'b' (base32) or 'z' (base58btc), or a CIDv0 \"Qm...\"",
                char::from(prefix)
            )
            .into()
        });
    };
    if data.is_empty() {
        return Err(format!("no data after the {name} multibase prefix").into());
    }
    let n = match kind {
        BaseKind::Bits(bits, padded) => {
            decode_bits(data, 1, (name, table, bits, padded), &mut buf)?
        }
        BaseKind::Radix(radix) => decode_radix(data, 1, (name, table, radix), &mut buf)?,
    };
    cid_v1_bytes(buf.get(..n).unwrap_or_default())
}

/// Checks the `cid` format: a `CIDv0` (`Qm` + base58btc, a sha2-256 multihash)
/// or a multibase-encoded `CIDv1` (prefixes `0 7 9 f F b B c C v V t T h k K z
/// Z m M u U`) whose bytes are version 1, a codec, and a multihash with a
/// digest of 1-128 bytes and no trailing bytes. At most 512 chars.
///
/// # Errors
///
/// Returns a [`FormatError`] naming the broken rule.
pub fn check_cid(s: &str) -> Result<(), FormatError> {
    cid_rule(s).map_err(|r| FormatError::new(Format::Cid, r, s))
}

// ---------------------------------------------------------------------------
// uri
// ---------------------------------------------------------------------------

// The reference implementation uses `^\w+:(?:\/\/)?[^\s/][^\s]*$`, so its
// scheme is `[A-Za-z0-9_]+`, while RFC 3986 has `[A-Za-z][A-Za-z0-9+.-]*`. We
// accept their intersection, `[A-Za-z][A-Za-z0-9]*`: every scheme both accept.
// After the scheme, the reference pattern applies; in addition to whitespace
// we reject ASCII control characters and non-ASCII bytes, which no URI has.
fn uri_rule(s: &str) -> RuleResult {
    basic(s, "URI", 8192)?;
    printable_ascii(s)?;
    let b = s.as_bytes();
    let Some(colon) = b.iter().position(|&c| c == b':') else {
        return Err("a URI needs a scheme followed by ':' (such as https:)".into());
    };
    let scheme = b.get(..colon).unwrap_or_default();
    match scheme.first() {
        None => return Err("the URI scheme before ':' is empty".into()),
        Some(c) if !c.is_ascii_alphabetic() => {
            return Err(format!(
                "the URI scheme must start with a letter; found {:?}",
                char::from(*c)
            )
            .into());
        }
        Some(_) => {}
    }
    if let Some(i) = scheme.iter().position(|c| !c.is_ascii_alphanumeric()) {
        return Err(format!(
            "character {:?} at byte {i} is not allowed in the URI scheme (ASCII letters and digits only)",
            char::from(scheme.get(i).copied().unwrap_or_default())
        )
        .into());
    }
    let rest = b.get(colon + 1..).unwrap_or_default();
    let (body, after) = match rest.strip_prefix(b"//") {
        Some(body) => (body, "\"//\""),
        None => (rest, "the scheme"),
    };
    match body.first() {
        None => Err(format!("nothing follows {after}").into()),
        Some(b'/') => Err(format!("{after} must not be followed by '/'").into()),
        Some(_) => Ok(()),
    }
}

/// Checks the `uri` format: `SCHEME:REST` with a `[A-Za-z][A-Za-z0-9]*`
/// scheme, then an optional `//` followed by at least one character that is
/// not `/`, with no whitespace, control or non-ASCII characters anywhere; at
/// most 8192 bytes.
///
/// # Errors
///
/// Returns a [`FormatError`] naming the broken rule.
pub fn check_uri(s: &str) -> Result<(), FormatError> {
    uri_rule(s).map_err(|r| FormatError::new(Format::Uri, r, s))
}

// ---------------------------------------------------------------------------
// language
// ---------------------------------------------------------------------------

/// RFC 5646 grandfathered tags (irregular and regular), matched case-insensitively.
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

fn all_alpha(t: &str) -> bool {
    t.bytes().all(|c| c.is_ascii_alphabetic())
}

fn all_digit(t: &str) -> bool {
    t.bytes().all(|c| c.is_ascii_digit())
}

fn is_variant(t: &str) -> bool {
    match t.len() {
        5..=8 => true,
        4 => t.as_bytes().first().is_some_and(u8::is_ascii_digit),
        _ => false,
    }
}

/// Case-folded key of a subtag of at most 8 alphanumeric chars.
fn subtag_key(t: &str) -> u64 {
    t.bytes()
        .fold(0u64, |k, c| (k << 8) | u64::from(c.to_ascii_lowercase()))
}

fn key_to_string(key: u64) -> String {
    key.to_be_bytes()
        .iter()
        .filter(|&&c| c != 0)
        .map(|&c| char::from(c))
        .collect()
}

fn private_use<'a>(rest: impl Iterator<Item = &'a str>) -> RuleResult {
    // Subtag shapes (1-8 alphanumerics) were checked up front.
    if rest.count() == 0 {
        return Err("private use 'x' needs at least one subtag of 1-8 characters".into());
    }
    Ok(())
}

/// The remaining subtags of a language tag.
type Subtags<'a> = std::iter::Peekable<std::str::Split<'a, char>>;

/// Every subtag must be 1-8 ASCII alphanumerics, separated by single `-`.
fn language_subtag_shapes(s: &str) -> RuleResult {
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
fn language_primary(primary: &str, rest: &mut Subtags<'_>) -> RuleResult {
    if primary.len() == 1 {
        return Err(format!(
            "the tag starts with the single-character subtag {}; only private-use (\"x-...\") and grandfathered tags may",
            quote(primary)
        )
        .into());
    }
    if !all_alpha(primary) {
        return Err(format!(
            "the primary language subtag {} must be 2-8 letters",
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
    if primary.len() <= 3 {
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
    }
    Ok(())
}

/// Variant subtags, each at most once (case-insensitive).
fn language_variants(rest: &mut Subtags<'_>) -> RuleResult {
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
fn language_extensions(rest: &mut Subtags<'_>) -> RuleResult {
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

fn language_rule(s: &str) -> RuleResult {
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
/// primary language subtag must be lowercase (2-3 letters, optionally with up
/// to 3 extlangs, or 4-8 letters); then optional script, region, variants,
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

// ---------------------------------------------------------------------------
// Typed values
// ---------------------------------------------------------------------------

/// Shared API and trait impls of the validated string types. The type must
/// provide `from_valid(String) -> Self`, `as_str(&self)` and `into_string(self)`.
macro_rules! validated_string {
    ($ty:ident, $format:expr, $check:ident, $expecting:literal) => {
        impl $ty {
            #[doc = concat!("The format that every `", stringify!($ty), "` satisfies.")]
            pub const FORMAT: Format = $format;

            #[doc = concat!("Validates `s` and wraps it in a `", stringify!($ty), "`, unchanged.")]
            ///
            /// # Errors
            ///
            /// Returns a [`FormatError`] naming the broken rule.
            pub fn new(s: impl Into<String>) -> Result<Self, FormatError> {
                let s = s.into();
                $check(&s)?;
                Ok(Self::from_valid(s))
            }

            /// Validates a borrowed string, allocating only once it is valid.
            fn parse_str(s: &str) -> Result<Self, FormatError> {
                $check(s)?;
                Ok(Self::from_valid(s.to_owned()))
            }
        }

        impl FromStr for $ty {
            type Err = FormatError;

            fn from_str(s: &str) -> Result<Self, FormatError> {
                Self::parse_str(s)
            }
        }

        impl TryFrom<String> for $ty {
            type Error = FormatError;

            fn try_from(s: String) -> Result<Self, FormatError> {
                Self::new(s)
            }
        }

        impl TryFrom<&str> for $ty {
            type Error = FormatError;

            fn try_from(s: &str) -> Result<Self, FormatError> {
                Self::parse_str(s)
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl AsRef<str> for $ty {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl From<$ty> for String {
            fn from(v: $ty) -> String {
                v.into_string()
            }
        }

        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct Visitor;

                impl serde::de::Visitor<'_> for Visitor {
                    type Value = $ty;

                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str($expecting)
                    }

                    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<$ty, E> {
                        <$ty>::parse_str(v).map_err(E::custom)
                    }

                    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<$ty, E> {
                        <$ty>::new(v).map_err(E::custom)
                    }
                }

                deserializer.deserialize_string(Visitor)
            }
        }
    };
}

/// Defines a validated newtype over `String` with a private field.
macro_rules! string_newtype {
    ($(#[$meta:meta])* $ty:ident, $format:expr, $check:ident, $expecting:literal) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $ty(String);

        impl $ty {
            /// The value as a string slice.
            #[must_use]
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The value as an owned `String`.
            #[must_use]
            pub fn into_string(self) -> String {
                self.0
            }

            fn from_valid(s: String) -> Self {
                $ty(s)
            }
        }

        validated_string!($ty, $format, $check, $expecting);
    };
}

string_newtype!(
    /// A valid `at-uri` (Lexicon-restricted form), e.g.
    /// `at://did:plc:abc/app.bsky.feed.post/3jzfcijpj2z2a`.
    AtUri,
    Format::AtUri,
    check_at_uri,
    "an at-uri string"
);
string_newtype!(
    /// A valid `cid` string, e.g. `bafyrei...`.
    Cid,
    Format::Cid,
    check_cid,
    "a CID string"
);
string_newtype!(
    /// A valid `datetime`, e.g. `2024-02-29T12:00:00.000Z`, kept exactly as written.
    Datetime,
    Format::Datetime,
    check_datetime,
    "a datetime string"
);
string_newtype!(
    /// A valid `did`, e.g. `did:plc:z72i7hdynmk6r22z27h6tvur`.
    Did,
    Format::Did,
    check_did,
    "a DID string"
);
string_newtype!(
    /// A valid `handle`, e.g. `alice.bsky.social`, kept exactly as written
    /// (see [`Handle::to_normalized`] for the lowercase form).
    Handle,
    Format::Handle,
    check_handle,
    "a handle string"
);
string_newtype!(
    /// A valid `language` tag (BCP 47), e.g. `en-US`.
    Language,
    Format::Language,
    check_language,
    "a BCP 47 language tag string"
);
string_newtype!(
    /// A valid `nsid`, e.g. `app.bsky.feed.post`.
    Nsid,
    Format::Nsid,
    check_nsid,
    "an NSID string"
);
string_newtype!(
    /// A valid `record-key`, e.g. `self` or a TID.
    RecordKey,
    Format::RecordKey,
    check_record_key,
    "a record key string"
);
string_newtype!(
    /// A valid `tid`, e.g. `3jzfcijpj2z2a`.
    Tid,
    Format::Tid,
    check_tid,
    "a TID string"
);
string_newtype!(
    /// A valid `uri` with a scheme, e.g. `https://example.com/`.
    Uri,
    Format::Uri,
    check_uri,
    "a URI string"
);

impl Handle {
    /// The handle in its normalised (lowercase) form.
    #[must_use]
    pub fn to_normalized(&self) -> Handle {
        Handle(self.0.to_ascii_lowercase())
    }
}

/// A valid `at-identifier`: a DID (when it starts with `did:`) or a handle.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AtIdentifier {
    /// A DID, e.g. `did:plc:z72i7hdynmk6r22z27h6tvur`.
    Did(Did),
    /// A handle, e.g. `alice.bsky.social`.
    Handle(Handle),
}

impl AtIdentifier {
    /// The value as a string slice.
    #[must_use]
    pub fn as_str(&self) -> &str {
        match self {
            AtIdentifier::Did(d) => d.as_str(),
            AtIdentifier::Handle(h) => h.as_str(),
        }
    }

    /// The value as an owned `String`.
    #[must_use]
    pub fn into_string(self) -> String {
        match self {
            AtIdentifier::Did(d) => d.into_string(),
            AtIdentifier::Handle(h) => h.into_string(),
        }
    }

    /// Whether this is a DID.
    #[must_use]
    pub fn is_did(&self) -> bool {
        matches!(self, AtIdentifier::Did(_))
    }

    /// Whether this is a handle.
    #[must_use]
    pub fn is_handle(&self) -> bool {
        matches!(self, AtIdentifier::Handle(_))
    }

    /// The DID, if this is one.
    #[must_use]
    pub fn as_did(&self) -> Option<&Did> {
        match self {
            AtIdentifier::Did(d) => Some(d),
            AtIdentifier::Handle(_) => None,
        }
    }

    /// The handle, if this is one.
    #[must_use]
    pub fn as_handle(&self) -> Option<&Handle> {
        match self {
            AtIdentifier::Handle(h) => Some(h),
            AtIdentifier::Did(_) => None,
        }
    }

    fn from_valid(s: String) -> Self {
        if s.starts_with("did:") {
            AtIdentifier::Did(Did(s))
        } else {
            AtIdentifier::Handle(Handle(s))
        }
    }
}

impl From<Did> for AtIdentifier {
    fn from(d: Did) -> Self {
        AtIdentifier::Did(d)
    }
}

impl From<Handle> for AtIdentifier {
    fn from(h: Handle) -> Self {
        AtIdentifier::Handle(h)
    }
}

validated_string!(
    AtIdentifier,
    Format::AtIdentifier,
    check_at_identifier,
    "an at-identifier (handle or DID) string"
);
