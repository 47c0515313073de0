//! `handle`, `did` and `at-identifier`, with fast paths for the two most
//! common formats.

use super::*;

// ---------------------------------------------------------------------------
// handle
// ---------------------------------------------------------------------------

pub(super) fn handle_rule(s: &str) -> RuleResult {
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
pub(super) fn check_handle_detailed(s: &str) -> Result<(), FormatError> {
    handle_rule(s).map_err(|r| FormatError::new(Format::Handle, r, s))
}

// ---------------------------------------------------------------------------
// did
// ---------------------------------------------------------------------------

pub(super) fn did_rule(s: &str) -> RuleResult {
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
pub(super) fn check_did_detailed(s: &str) -> Result<(), FormatError> {
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

pub(super) const ONES: u64 = 0x0101_0101_0101_0101;
pub(super) const HIGH: u64 = ONES << 7;

/// Sets the high bit of each byte of `w` that lies in `lo..=hi` (ASCII
/// bounds). Exact for ASCII bytes; other bytes (and the low bits) give
/// garbage, so callers also check every byte with a block test that rejects
/// non-ASCII.
#[inline(always)]
pub(super) fn swar_in(w: u64, lo: u8, hi: u8) -> u64 {
    w.wrapping_add(ONES * u64::from(0x80 - lo)) & (ONES * u64::from(0x80 + hi)).wrapping_sub(w)
}

/// The `N` bytes of `b` from `i`, if there are that many.
#[inline(always)]
pub(super) fn block<const N: usize>(b: &[u8], i: usize) -> Option<&[u8; N]> {
    b.get(i..)?.first_chunk::<N>()
}

/// Whether a byte of `chars` is not `[A-Za-z0-9.-]`, or a byte of `a` and
/// the byte after it (at the same index of `next`) form `..`, `.-` or `-.`:
/// of the pairs of handle characters, exactly those whose bitwise OR is `.`
/// or `/`.
#[inline(always)]
pub(super) fn handle_block_bad<const N: usize>(
    chars: &[u8; N],
    a: &[u8; N],
    next: &[u8; N],
) -> bool {
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
pub(super) fn handle_fast(s: &str) -> bool {
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
pub(super) fn handle_blocks_ok(b: &[u8]) -> bool {
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
pub(super) fn handle_labels_short(b: &[u8]) -> bool {
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
pub(super) fn did_block_bad<const N: usize>(a: &[u8; N]) -> bool {
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
pub(super) fn did_fast(s: &str) -> bool {
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
pub(super) fn did_blocks_ok(b: &[u8]) -> bool {
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

pub(super) fn at_identifier_rule(s: &str) -> RuleResult {
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
