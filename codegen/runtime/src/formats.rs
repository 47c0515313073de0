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

mod build;
mod cid;
mod datetime;
mod identity;
mod language;
mod names;

pub use cid::{check_cid, decode_cid, CidParts};
pub use datetime::check_datetime;
pub use identity::{check_at_identifier, check_did, check_handle};
pub use language::check_language;
pub use names::{check_at_uri, check_nsid, check_record_key, check_tid, check_uri};

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
    ///
    /// Rule: `at://AUTHORITY[/COLLECTION[/RKEY]]`, lowercase scheme, AUTHORITY
    /// a [`Handle`] or [`Did`], COLLECTION an [`Nsid`], RKEY a [`RecordKey`]; no
    /// trailing `/`, empty or extra segment, query, fragment or whitespace; at
    /// most 8192 bytes.
    AtUri,
    Format::AtUri,
    check_at_uri,
    "an at-uri string"
);
string_newtype!(
    /// A valid `cid` string, e.g. `bafyrei...`.
    ///
    /// Rule (a syntax check, not a decode): 8-256 chars of `[A-Za-z0-9+=]`,
    /// not starting with `Qm` (a `CIDv0` is not allowed). [`Cid::decode`]
    /// parses the codec and digest when they are needed.
    Cid,
    Format::Cid,
    check_cid,
    "a CID string"
);
string_newtype!(
    /// A valid `datetime`, e.g. `2024-02-29T12:00:00.000Z`, kept exactly as written.
    ///
    /// Rule: `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` with a four-digit
    /// year, uppercase `T` and `Z`, required seconds and timezone, no
    /// `-00:00`, a real date and time, not before year 0 once the offset is
    /// applied.
    Datetime,
    Format::Datetime,
    check_datetime,
    "a datetime string"
);
string_newtype!(
    /// A valid `did`, e.g. `did:plc:z72i7hdynmk6r22z27h6tvur`.
    ///
    /// Rule: `^did:[a-z]+:[a-zA-Z0-9._:%-]*[a-zA-Z0-9._-]$`, at most 2048
    /// chars; any method; percent-encoding is not checked.
    Did,
    Format::Did,
    check_did,
    "a DID string"
);
string_newtype!(
    /// A valid `handle`, e.g. `alice.bsky.social`, kept exactly as written
    /// (see [`Handle::to_normalized`] for the lowercase form).
    ///
    /// Rule: at most 253 chars; two or more labels separated by `.`, each
    /// 1-63 chars of `[A-Za-z0-9-]` not starting or ending with `-`; the last
    /// label does not start with a digit.
    Handle,
    Format::Handle,
    check_handle,
    "a handle string"
);
string_newtype!(
    /// A valid `language` tag (BCP 47), e.g. `en-US`.
    ///
    /// Rule: a well-formed RFC 5646 tag: a lowercase primary language subtag
    /// of 2-3 letters (up to 3 extlangs), then optional script (4 letters),
    /// region (2 letters or 3 digits), variants (5-8 alphanumerics, or 4
    /// starting with a digit), extensions and private use (`x-...`); or a
    /// private-use-only or grandfathered (`i-default`, `zh-hakka`, ...) tag.
    /// 4-8-letter primary subtags, repeated variants and repeated extension
    /// singletons (case-insensitive) are invalid.
    Language,
    Format::Language,
    check_language,
    "a BCP 47 language tag string"
);
string_newtype!(
    /// A valid `nsid`, e.g. `app.bsky.feed.post`.
    ///
    /// Rule: at most 317 chars; three or more `.`-separated segments. Domain
    /// segments: 1-63 chars of `[A-Za-z0-9-]`, no leading or trailing `-`,
    /// the first not starting with a digit. Name (last) segment: 1-63 chars of
    /// `[A-Za-z0-9]`, not starting with a digit. No separate cap on the
    /// domain authority.
    Nsid,
    Format::Nsid,
    check_nsid,
    "an NSID string"
);
string_newtype!(
    /// A valid `record-key`, e.g. `self` or a TID.
    ///
    /// Rule: 1-512 chars of `[A-Za-z0-9._:~-]`, not exactly `.` or `..`.
    RecordKey,
    Format::RecordKey,
    check_record_key,
    "a record key string"
);
string_newtype!(
    /// A valid `tid`, e.g. `3jzfcijpj2z2a`.
    ///
    /// Rule: `^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$`.
    Tid,
    Format::Tid,
    check_tid,
    "a TID string"
);
string_newtype!(
    /// A valid `uri` with a scheme, e.g. `https://example.com/`.
    ///
    /// Rule (RFC 3986 scheme): a lowercase letter, then letters, digits,
    /// `+`, `-` or `.`; then `:` and at least one more char; printable ASCII
    /// only (no whitespace or control characters); at most 8192 bytes.
    Uri,
    Format::Uri,
    check_uri,
    "a URI string"
);

impl Cid {
    /// A CID string the caller built from binary CIDv1 bytes it checked
    /// (`cbor::cid_from_bytes`), so it satisfies the format by construction.
    #[cfg(feature = "cbor")]
    pub(crate) fn from_checked_binary(s: String) -> Cid {
        Cid(s)
    }

    /// Decodes the CID strictly into its version, codec and multihash (see
    /// [`decode_cid`]); the string format itself does not require this.
    ///
    /// # Errors
    ///
    /// Returns a [`FormatError`] naming the broken rule.
    pub fn decode(&self) -> Result<CidParts, FormatError> {
        decode_cid(&self.0)
    }
}

impl Handle {
    /// The handle in its normalised (lowercase) form.
    #[must_use]
    pub fn to_normalized(&self) -> Handle {
        Handle(self.0.to_ascii_lowercase())
    }
}

/// A valid `at-identifier`: a DID (when it starts with `did:`) or a handle.
///
/// Rule: a value starting with `did:` must be a valid [`Did`]; any other
/// value must be a valid [`Handle`].
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
