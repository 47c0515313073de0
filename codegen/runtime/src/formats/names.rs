//! `nsid`, `record-key`, `tid`, `at-uri` and `uri`.

use super::identity::{did_rule, handle_rule};
use super::*;

// ---------------------------------------------------------------------------
// nsid
// ---------------------------------------------------------------------------

pub(super) fn nsid_rule(s: &str) -> RuleResult {
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
/// segments of 1-63 `[A-Za-z0-9-]` chars with no leading or trailing `-`, the
/// first not starting with a digit) followed by a name segment of 1-63
/// `[A-Za-z0-9]` chars not starting with a digit; at most 317 chars in total.
/// The authority has no separate length cap (as in the reference
/// implementations).
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

pub(super) fn record_key_rule(s: &str) -> RuleResult {
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

pub(super) fn is_tid_char(c: u8) -> bool {
    matches!(c, b'2'..=b'7' | b'a'..=b'z')
}

pub(super) fn tid_rule(s: &str) -> RuleResult {
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

pub(super) fn at_uri_rule(s: &str) -> RuleResult {
    basic(s, "at-uri", 8192)?;
    // Every value with a query, fragment, whitespace or non-ASCII character
    // also fails the structural checks; scanning for them only on failure
    // keeps the success path to a single pass while still naming that rule.
    at_uri_structure(s).map_err(|rule| at_uri_char_problem(s).unwrap_or(rule))
}

/// Names the first query, fragment, whitespace, control or non-ASCII character.
#[cold]
pub(super) fn at_uri_char_problem(s: &str) -> Option<Rule> {
    s.bytes().enumerate().find_map(|(i, c)| match c {
        b'?' => Some(format!("a query ('?' at byte {i}) is not allowed").into()),
        b'#' => Some(format!("a fragment ('#' at byte {i}) is not allowed").into()),
        _ if !c.is_ascii_graphic() => Some(bad_char(s, i, "")),
        _ => None,
    })
}

pub(super) fn at_uri_structure(s: &str) -> RuleResult {
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
// uri
// ---------------------------------------------------------------------------

// RFC 3986: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), and (per
// the Lexicon rules) the first letter is lowercase. After the ':' any
// printable ASCII follows; whitespace, control characters and non-ASCII bytes
// are not part of any URI. (The TypeScript package's `^\w+:` is narrower than
// this and is deliberately not followed.)
pub(super) fn uri_rule(s: &str) -> RuleResult {
    basic(s, "URI", 8192)?;
    printable_ascii(s)?;
    let b = s.as_bytes();
    let Some(colon) = b.iter().position(|&c| c == b':') else {
        return Err("a URI needs a scheme followed by ':' (such as https:)".into());
    };
    let scheme = b.get(..colon).unwrap_or_default();
    match scheme.first() {
        None => return Err("the URI scheme before ':' is empty".into()),
        Some(c) if !c.is_ascii_lowercase() => {
            return Err(format!(
                "the URI scheme must start with a lowercase letter; found {:?}",
                char::from(*c)
            )
            .into());
        }
        Some(_) => {}
    }
    let scheme_char = |c: &u8| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.');
    if let Some(i) = scheme.iter().position(|c| !scheme_char(c)) {
        return Err(format!(
            "character {:?} at byte {i} is not allowed in the URI scheme (ASCII letters, digits, '+', '-' and '.')",
            char::from(scheme.get(i).copied().unwrap_or_default())
        )
        .into());
    }
    if colon + 1 == b.len() {
        return Err("nothing follows the scheme's ':'".into());
    }
    Ok(())
}

/// Checks the `uri` format: `SCHEME:REST` with an RFC 3986 scheme starting
/// with a lowercase letter (`[a-z][A-Za-z0-9+.-]*`), then at least one
/// character, with no whitespace, control or non-ASCII characters anywhere;
/// at most 8192 bytes.
///
/// # Errors
///
/// Returns a [`FormatError`] naming the broken rule.
pub fn check_uri(s: &str) -> Result<(), FormatError> {
    uri_rule(s).map_err(|r| FormatError::new(Format::Uri, r, s))
}
