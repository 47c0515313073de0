//! Validation: JSON paths, errors, and the constraint rules of the Lexicon
//! language (string lengths and graphemes, integers, arrays, bytes, blobs).

use std::borrow::Cow;
use std::fmt;
use unicode_segmentation::UnicodeSegmentation;

/// A location inside a value (`embed.images[2].alt`), built on the stack as
/// values are walked: no allocation unless an error is reported.
#[derive(Debug, Clone, Copy)]
pub enum Path<'a> {
    /// The value itself.
    Root,
    /// A member of an object.
    Key(&'a Path<'a>, &'a str),
    /// An element of an array.
    Index(&'a Path<'a>, usize),
}

impl<'a> Path<'a> {
    /// The path of member `key` of this value.
    pub fn key(&'a self, key: &'a str) -> Path<'a> {
        Path::Key(self, key)
    }

    /// The path of element `index` of this value.
    pub fn index(&'a self, index: usize) -> Path<'a> {
        Path::Index(self, index)
    }
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root => Ok(()),
            Path::Key(Path::Root, key) => f.write_str(key),
            Path::Key(parent, key) => write!(f, "{parent}.{key}"),
            Path::Index(parent, index) => write!(f, "{parent}[{index}]"),
        }
    }
}

/// The result of a check: `validate::Result` is `Result<(), ValidationError>`,
/// as `fmt::Result` is for formatting.
pub type Result<T = (), E = ValidationError> = std::result::Result<T, E>;

/// A value broke a rule: where, and which rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    path: String,
    rule: String,
}

impl ValidationError {
    /// An error at `path`.
    pub fn new(path: &Path<'_>, rule: impl Into<String>) -> Self {
        ValidationError {
            path: path.to_string(),
            rule: rule.into(),
        }
    }

    /// JSON path of the offending value (empty for the root).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The rule broken (`maxGraphemes 300, got 301`).
    pub fn rule(&self) -> &str {
        &self.rule
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.rule)
        } else {
            write!(f, "{}: {}", self.path, self.rule)
        }
    }
}

impl std::error::Error for ValidationError {}

/// Messages of the structural rules, shared by the generated types and
/// `lexgen validate` so that both say the same thing.
pub mod messages {
    /// A key that appears twice in one object.
    pub const DUPLICATE_KEY: &str = "duplicate key";

    /// A `$type` that is not a non-empty string.
    pub const TYPE_NOT_STRING: &str = "`$type` must be a non-empty string";

    /// A required field that is absent.
    pub fn missing_field(name: &str) -> String {
        format!("missing required field `{name}`")
    }

    /// A record whose `$type` is another NSID.
    pub fn wrong_record_type(expected: &str, found: &str) -> String {
        format!("expected {expected:?}, got {found:?}")
    }

    /// A record without `$type`.
    pub fn missing_record_type(expected: &str) -> String {
        format!("missing `$type` (a record carries \"$type\": {expected:?})")
    }

    /// An integer beyond 64 signed bits.
    pub fn integer_out_of_range(n: impl std::fmt::Display) -> String {
        format!("integer {n} does not fit in 64 signed bits")
    }

    /// The message for a float that stands for a whole number beyond 64
    /// signed bits: serde_json reads an integer literal too large for `u64`
    /// as a float, so `18446744073709551616` is an integer out of range, not
    /// a float. Its digits are those of the parsed value (the nearest
    /// `f64`); one that rounded to -2^63 (which fits) was below it.
    pub fn float_out_of_range(v: f64) -> Option<String> {
        const TWO_63: f64 = 9_223_372_036_854_775_808.0;
        if v.fract() != 0.0 || v.abs() < TWO_63 {
            None
        } else if v == -TWO_63 {
            Some(integer_out_of_range("below -9223372036854775808"))
        } else if v.abs() < 1e21 {
            Some(integer_out_of_range(format_args!("{v:.0}")))
        } else {
            // Hundreds of digits say less than the exponent form.
            Some(integer_out_of_range(format_args!("{v:e}")))
        }
    }
}

/// Checks a value built in code against its lexicon's rules (deserializing
/// already checks them).
pub trait Validate {
    /// Checks the value, reporting paths relative to `path`.
    fn validate_at(&self, path: &Path<'_>) -> Result<(), ValidationError>;

    /// Checks the value.
    fn validate(&self) -> Result<(), ValidationError> {
        self.validate_at(&Path::Root)
    }

    /// The value, once it satisfies every rule of its lexicon: the last step
    /// of building one (`Record::new(…).with_…(…).validated()?`).
    ///
    /// # Errors
    ///
    /// The first broken rule, with the path of the field.
    fn validated(self) -> Result<Self, ValidationError>
    where
        Self: Sized,
    {
        self.validate()?;
        Ok(self)
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate_at(&self, path: &Path<'_>) -> Result<(), ValidationError> {
        self.iter()
            .enumerate()
            .try_for_each(|(i, v)| v.validate_at(&path.index(i)))
    }
}

impl<T: Validate> Validate for Option<T> {
    fn validate_at(&self, path: &Path<'_>) -> Result<(), ValidationError> {
        self.as_ref().map_or(Ok(()), |v| v.validate_at(path))
    }
}

/// Every generated struct, through its [`Object`](super::de::Object) impl
/// (see [`super::de::validate_object`]). There is no impl for `Box<T>`,
/// which would overlap: boxed values are validated through their contents.
impl<T: super::de::Object> Validate for T {
    fn validate_at(&self, path: &Path<'_>) -> Result<(), ValidationError> {
        super::de::validate_object(self, path)
    }
}

/// A named def of a non-object type with rules of its own (a `string` with
/// `maxGraphemes`, an `array` with `maxLength`, ...), generated as a newtype
/// over [`Checked::Inner`] so that deserializing it (as a field or on its
/// own) checks those rules. The newtype's impls call [`check_newtype`] and
/// [`super::de::newtype_at`].
pub trait Checked {
    /// The value type (`String`, `Vec<T>`, ...).
    type Inner;

    /// The def's own rules (nested values check themselves).
    fn check(inner: &Self::Inner, path: &Path<'_>) -> Result<(), ValidationError>;
}

/// Checks a newtype's value built in code: its nested values, then its own
/// rules (the order deserializing finds them in).
pub fn check_newtype<T: Checked>(inner: &T::Inner, path: &Path<'_>) -> Result<(), ValidationError>
where
    T::Inner: Validate,
{
    inner.validate_at(path)?;
    T::check(inner, path)
}

/// Types that are valid by construction (formats check in their constructors).
macro_rules! valid_by_construction {
    ($($t:ty),*) => {$(
        impl Validate for $t {
            fn validate_at(&self, _: &Path<'_>) -> Result<(), ValidationError> {
                Ok(())
            }
        }
    )*};
}

/// The format newtypes, by name.
macro_rules! formats_valid_by_construction {
    ($($t:ident),*) => {
        valid_by_construction!($(super::formats::$t),*);
    };
}

super::formats::for_each_format!(formats_valid_by_construction);

valid_by_construction!(
    String,
    bool,
    i64,
    super::types::Blob,
    super::types::Bytes,
    super::types::CidLink
);

/// Rules on a string. Lengths are UTF-8 bytes; graphemes are extended
/// grapheme clusters (UAX #29).
///
/// This and [`IntegerRules`], [`LengthRules`] and [`BlobRules`] are the one
/// definition of the Lexicon constraints: the generator's IR holds them as
/// read from a lexicon (owned), generated code spells them as constants
/// (borrowed), and the `check_` functions here apply them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StringRules<'a> {
    /// `minLength`.
    pub min_length: Option<u64>,
    /// `maxLength`.
    pub max_length: Option<u64>,
    /// `minGraphemes`.
    pub min_graphemes: Option<u64>,
    /// `maxGraphemes`.
    pub max_graphemes: Option<u64>,
    /// `const`.
    pub const_: Option<Cow<'a, str>>,
    /// `enum` (closed set).
    pub enum_: Option<Cow<'a, [Cow<'a, str>]>>,
}

impl StringRules<'static> {
    /// No rules.
    pub const NONE: StringRules<'static> = StringRules {
        min_length: None,
        max_length: None,
        min_graphemes: None,
        max_graphemes: None,
        const_: None,
        enum_: None,
    };
}

impl StringRules<'_> {
    /// Whether no rule is set.
    pub fn is_empty(&self) -> bool {
        let StringRules {
            min_length,
            max_length,
            min_graphemes,
            max_graphemes,
            const_,
            enum_,
        } = self;
        [min_length, max_length, min_graphemes, max_graphemes]
            .iter()
            .all(|r| r.is_none())
            && const_.is_none()
            && enum_.is_none()
    }
}

fn len_u64(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

/// Counts grapheme clusters, stopping once `limit` is passed.
fn graphemes_up_to(s: &str, limit: u64) -> u64 {
    if s.is_ascii() {
        return ascii_graphemes(s);
    }
    let cap = usize::try_from(limit.saturating_add(1)).unwrap_or(usize::MAX);
    len_u64(s.graphemes(true).take(cap).count())
}

/// Counts all grapheme clusters.
fn graphemes(s: &str) -> u64 {
    if s.is_ascii() {
        return ascii_graphemes(s);
    }
    len_u64(s.graphemes(true).count())
}

/// The grapheme count of ASCII text without the segmenter: in ASCII every
/// character is its own cluster except CR LF, which is one (UAX #29 GB3;
/// controls break on both sides, GB4-5, and nothing else joins ASCII).
fn ascii_graphemes(s: &str) -> u64 {
    let pairs = s.as_bytes().windows(2).filter(|w| w == b"\r\n").count();
    len_u64(s.len() - pairs)
}

/// Checks a string against its rules.
pub fn check_string(
    s: &str,
    rules: &StringRules<'_>,
    path: &Path<'_>,
) -> Result<(), ValidationError> {
    let bytes = len_u64(s.len());
    if let Some(max) = rules.max_length {
        if bytes > max {
            return Err(ValidationError::new(
                path,
                format!("maxLength {max}, got {bytes} (UTF-8 bytes)"),
            ));
        }
    }
    if let Some(min) = rules.min_length {
        if bytes < min {
            return Err(ValidationError::new(
                path,
                format!("minLength {min}, got {bytes} (UTF-8 bytes)"),
            ));
        }
    }
    // A grapheme is at least one byte, so the byte length often decides alone.
    if let Some(max) = rules.max_graphemes {
        if bytes > max {
            let count = graphemes_up_to(s, max);
            if count > max {
                let total = graphemes(s);
                return Err(ValidationError::new(
                    path,
                    format!("maxGraphemes {max}, got {total}"),
                ));
            }
        }
    }
    if let Some(min) = rules.min_graphemes {
        let count = if bytes < min {
            bytes
        } else {
            graphemes_up_to(s, min)
        };
        if count < min {
            let total = graphemes(s);
            return Err(ValidationError::new(
                path,
                format!("minGraphemes {min}, got {total}"),
            ));
        }
    }
    if let Some(c) = &rules.const_ {
        if s != c {
            return Err(ValidationError::new(
                path,
                format!("const {c:?}, got {s:?}"),
            ));
        }
    }
    if let Some(allowed) = &rules.enum_ {
        if !allowed.iter().any(|a| a == s) {
            return Err(ValidationError::new(
                path,
                format!("enum {allowed:?}, got {s:?}"),
            ));
        }
    }
    Ok(())
}

/// Rules on an integer (see [`StringRules`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IntegerRules<'a> {
    /// Inclusive `minimum`.
    pub minimum: Option<i64>,
    /// Inclusive `maximum`.
    pub maximum: Option<i64>,
    /// `enum` (closed set).
    pub enum_: Option<Cow<'a, [i64]>>,
    /// `const`.
    pub const_: Option<i64>,
}

impl IntegerRules<'static> {
    /// No rules.
    pub const NONE: IntegerRules<'static> = IntegerRules {
        minimum: None,
        maximum: None,
        enum_: None,
        const_: None,
    };
}

impl IntegerRules<'_> {
    /// Whether no rule is set.
    pub fn is_empty(&self) -> bool {
        *self == IntegerRules::NONE
    }
}

/// Length rules of arrays (in elements) and bytes (in bytes).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LengthRules {
    /// `minLength`.
    pub min: Option<u64>,
    /// `maxLength`.
    pub max: Option<u64>,
}

impl LengthRules {
    /// No rules.
    pub const NONE: LengthRules = LengthRules {
        min: None,
        max: None,
    };

    /// Whether no rule is set.
    pub fn is_empty(&self) -> bool {
        *self == LengthRules::NONE
    }
}

/// Rules on a blob (see [`StringRules`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BlobRules<'a> {
    /// `accept`: MIME types, `type/*` and `*/*` allowed.
    pub accept: Option<Cow<'a, [Cow<'a, str>]>>,
    /// `maxSize` in bytes.
    pub max_size: Option<u64>,
}

impl BlobRules<'static> {
    /// No rules.
    pub const NONE: BlobRules<'static> = BlobRules {
        accept: None,
        max_size: None,
    };
}

impl BlobRules<'_> {
    /// Whether no rule is set.
    pub fn is_empty(&self) -> bool {
        self.accept.is_none() && self.max_size.is_none()
    }
}

/// Checks an integer against its rules.
pub fn check_integer(
    v: i64,
    rules: &IntegerRules<'_>,
    path: &Path<'_>,
) -> Result<(), ValidationError> {
    if let Some(min) = rules.minimum {
        if v < min {
            return Err(ValidationError::new(
                path,
                format!("minimum {min}, got {v}"),
            ));
        }
    }
    if let Some(max) = rules.maximum {
        if v > max {
            return Err(ValidationError::new(
                path,
                format!("maximum {max}, got {v}"),
            ));
        }
    }
    if let Some(allowed) = &rules.enum_ {
        if !allowed.contains(&v) {
            return Err(ValidationError::new(
                path,
                format!("enum {allowed:?}, got {v}"),
            ));
        }
    }
    if let Some(c) = rules.const_ {
        if v != c {
            return Err(ValidationError::new(path, format!("const {c}, got {v}")));
        }
    }
    Ok(())
}

/// Checks a boolean `const`.
pub fn check_bool(v: bool, const_: Option<bool>, path: &Path<'_>) -> Result<(), ValidationError> {
    match const_ {
        Some(c) if c != v => Err(ValidationError::new(path, format!("const {c}, got {v}"))),
        _ => Ok(()),
    }
}

/// Checks the length of an array (`unit` = "elements") or bytes (`unit` = "bytes").
pub fn check_length(
    len: usize,
    rules: &LengthRules,
    unit: &str,
    path: &Path<'_>,
) -> Result<(), ValidationError> {
    let len = len_u64(len);
    if let Some(max) = rules.max {
        if len > max {
            return Err(ValidationError::new(
                path,
                format!("maxLength {max}, got {len} {unit}"),
            ));
        }
    }
    if let Some(min) = rules.min {
        if len < min {
            return Err(ValidationError::new(
                path,
                format!("minLength {min}, got {len} {unit}"),
            ));
        }
    }
    Ok(())
}

/// Whether `mime` matches an `accept` pattern (`type/subtype`, `type/*`, `*/*`),
/// case-insensitively.
pub fn mime_matches(pattern: &str, mime: &str) -> bool {
    if pattern == "*/*" {
        return true;
    }
    match pattern.strip_suffix("/*") {
        Some(ty) => mime
            .split_once('/')
            .is_some_and(|(t, _)| t.eq_ignore_ascii_case(ty)),
        None => pattern.eq_ignore_ascii_case(mime),
    }
}

/// Checks a blob's declared `mimeType` and `size` against `accept` and `maxSize`.
pub fn check_blob(
    mime: &str,
    size: u64,
    rules: &BlobRules<'_>,
    path: &Path<'_>,
) -> Result<(), ValidationError> {
    if let Some(accept) = &rules.accept {
        if !accept.iter().any(|p| mime_matches(p, mime)) {
            return Err(ValidationError::new(
                path,
                format!("accept {accept:?}, got mimeType {mime:?}"),
            ));
        }
    }
    if let Some(max) = rules.max_size {
        if size > max {
            return Err(ValidationError::new(
                path,
                format!("maxSize {max}, got size {size}"),
            ));
        }
    }
    Ok(())
}

/// Checks a string's format (if any), then its rules.
pub fn check_formatted(
    s: &str,
    format: Option<super::formats::Format>,
    rules: &StringRules<'_>,
    path: &Path<'_>,
) -> Result<(), ValidationError> {
    if let Some(format) = format {
        format
            .check(s)
            .map_err(|e| ValidationError::new(path, e.to_string()))?;
    }
    check_string(s, rules, path)
}

/// The integer a JSON number stands for: an `i64`, or an integer-valued
/// float of magnitude below 2^53 (`123.0` and `1e3` are integers; `123.5`
/// is not, and neither is a float too large to name one integer exactly).
pub fn integer_value(n: &serde_json::Number) -> Option<i64> {
    // 2^53: beyond it a float does not say which integer it stands for.
    const LIMIT: f64 = 9_007_199_254_740_992.0;
    n.as_i64().or_else(|| {
        let f = n.as_f64()?;
        // In range and integral, so the cast is exact.
        #[allow(clippy::cast_possible_truncation)]
        (f.fract() == 0.0 && (-LIMIT..LIMIT).contains(&f)).then_some(f as i64)
    })
}

/// Checks a member that an object's schema does not list (kept as an
/// unknown field, read as [`Data`](super::types::Data), which checked the
/// data-model rules): a `$type` member is a non-empty string.
pub fn check_unknown_member(
    key: &str,
    value: &super::types::Data,
    path: &Path<'_>,
) -> Result<(), ValidationError> {
    match value {
        super::types::Data::String(s) if !s.is_empty() => Ok(()),
        _ if key == "$type" => Err(ValidationError::new(
            &path.key(key),
            messages::TYPE_NOT_STRING,
        )),
        _ => Ok(()),
    }
}

/// [`check_unknown_member`] on JSON, read as the generated types read it
/// (for `lexgen validate`).
pub fn check_unknown_field(
    key: &str,
    value: &serde_json::Value,
    path: &Path<'_>,
) -> Result<(), ValidationError> {
    let data = super::types::data_from_json_at(value, &path.key(key))?;
    check_unknown_member(key, &data, path)
}

/// Checks the `$type` of a value kept without a schema (an open union's
/// unknown member): a valid NSID, or `nsid#name` with a def name of ASCII
/// letters, digits and `_` other than `main` (data never writes `#main`).
pub fn check_type_tag(tag: &str, path: &Path<'_>) -> Result<(), ValidationError> {
    let (nsid, name) = match tag.split_once('#') {
        Some((nsid, name)) => (nsid, Some(name)),
        None => (tag, None),
    };
    let invalid = |why: String| {
        ValidationError::new(
            &path.key("$type"),
            format!("{tag:?} is not a valid NSID or nsid#name: {why}"),
        )
    };
    super::formats::check_nsid(nsid).map_err(|e| invalid(e.rule().to_owned()))?;
    match name {
        None => Ok(()),
        Some("") => Err(invalid("the name after '#' is empty".into())),
        Some("main") => Err(invalid(
            "data writes the main def as the bare NSID, never with #main".into(),
        )),
        Some(name) if name.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_') => Ok(()),
        Some(name) => Err(invalid(format!(
            "the def name {name:?} must be ASCII letters, digits or '_'"
        ))),
    }
}
