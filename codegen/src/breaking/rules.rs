//! The rules: what each kind of change is called, and how it is classified.
//!
//! The Lexicon spec ("Lexicon Evolution") asks for compatibility both ways:
//! all old data must stay valid under the new lexicon, and new data must be
//! valid under the old one. Which way a change breaks, and who is hurt,
//! depends on where the schema is used ([`Roles`]):
//!
//! - **stored** data (records, and defs whose use is unknown): written and
//!   read by everyone, kept forever, no upgrade order. Breaking either way.
//! - **input** (params, procedure input): clients write, the server reads.
//!   Servers upgrade first, so a change that rejects what old clients send
//!   is breaking; one that lets new clients send what an old server rejects
//!   only hurts servers not yet updated: a warning.
//! - **output** (query/procedure output, subscription messages): the server
//!   writes, clients read. The mirror image of input.

use super::Class;

/// Which way a change moves the set of valid values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Fewer values are valid: old data or old writers may be rejected.
    Tighten,
    /// More values are valid: old readers may reject new data.
    Loosen,
    /// Neither contains the other (a different type, format or const).
    Both,
    /// The valid values are the same (an open set grew, a name was added).
    Neutral,
    /// A class fixed by the rule itself, whatever the position.
    Fixed(Class),
}

/// Where a schema is used; a def reached from several places has several.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Roles {
    /// Records, and defs no lexicon of the set uses (others may).
    pub stored: bool,
    /// Written by clients, read by the server.
    pub input: bool,
    /// Written by the server, read by clients.
    pub output: bool,
}

impl Roles {
    pub const STORED: Roles = Roles {
        stored: true,
        input: false,
        output: false,
    };
    pub const INPUT: Roles = Roles {
        stored: false,
        input: true,
        output: false,
    };
    pub const OUTPUT: Roles = Roles {
        stored: false,
        input: false,
        output: true,
    };

    /// Both sets of uses.
    pub fn union(self, other: Roles) -> Roles {
        Roles {
            stored: self.stored || other.stored,
            input: self.input || other.input,
            output: self.output || other.output,
        }
    }

    /// No use known: treated as stored (the strictest).
    fn or_stored(self) -> Roles {
        if self == Roles::default() {
            Roles::STORED
        } else {
            self
        }
    }
}

/// The class of a change moving `direction` at a position used as `roles`,
/// with a few words on who is hurt (empty when nobody is).
pub fn classify(direction: Direction, roles: Roles) -> (Class, &'static str) {
    let roles = roles.or_stored();
    match direction {
        Direction::Neutral => (Class::Compatible, ""),
        Direction::Fixed(class) => (class, ""),
        Direction::Both => (
            Class::Breaking,
            "old and new versions disagree on which values are valid",
        ),
        Direction::Tighten if roles.stored => {
            (Class::Breaking, "existing data may no longer be valid")
        }
        Direction::Tighten if roles.input => (
            Class::Breaking,
            "the server may reject what old clients send",
        ),
        Direction::Tighten => (
            Class::Warning,
            "new clients may reject responses from servers not yet updated",
        ),
        Direction::Loosen if roles.stored => (
            Class::Breaking,
            "readers using the old version may reject new data",
        ),
        Direction::Loosen if roles.output => (
            Class::Breaking,
            "old clients may reject what the server now sends",
        ),
        Direction::Loosen => (
            Class::Warning,
            "servers not yet updated may reject what new clients send",
        ),
    }
}

/// Every rule, by the id shown in reports (`breaking[string-format]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rule {
    TypeChange,
    RecordKey,
    BodyEncoding,
    BodyAdded,
    BodyRemoved,
    BodySchema,
    ConstValue,
    EnumValues,
    KnownValues,
    DefaultValue,
    StringFormat,
    StringLength,
    IntegerRange,
    BytesLength,
    ArrayLength,
    BlobAccept,
    BlobSize,
    ObjectRequired,
    ObjectNullable,
    ParamsRequired,
    PropertyAdded,
    PropertyRemoved,
    UnionOpenClosed,
    UnionRefs,
    RefTarget,
    ErrorAdded,
    ErrorRemoved,
    LexiconAdded,
    DefAdded,
    DefRemoved,
    TokenRemoved,
    DefStillReferenced,
}

impl Rule {
    /// Every rule, in the order of the README table.
    pub const ALL: [Rule; 32] = [
        Rule::TypeChange,
        Rule::RecordKey,
        Rule::BodyEncoding,
        Rule::BodyAdded,
        Rule::BodyRemoved,
        Rule::BodySchema,
        Rule::ConstValue,
        Rule::EnumValues,
        Rule::KnownValues,
        Rule::DefaultValue,
        Rule::StringFormat,
        Rule::StringLength,
        Rule::IntegerRange,
        Rule::BytesLength,
        Rule::ArrayLength,
        Rule::BlobAccept,
        Rule::BlobSize,
        Rule::ObjectRequired,
        Rule::ObjectNullable,
        Rule::ParamsRequired,
        Rule::PropertyAdded,
        Rule::PropertyRemoved,
        Rule::UnionOpenClosed,
        Rule::UnionRefs,
        Rule::RefTarget,
        Rule::ErrorAdded,
        Rule::ErrorRemoved,
        Rule::LexiconAdded,
        Rule::DefAdded,
        Rule::DefRemoved,
        Rule::TokenRemoved,
        Rule::DefStillReferenced,
    ];

    /// The id shown in reports and JSON.
    pub fn id(self) -> &'static str {
        match self {
            Rule::TypeChange => "type-change",
            Rule::RecordKey => "record-key",
            Rule::BodyEncoding => "body-encoding",
            Rule::BodyAdded => "body-added",
            Rule::BodyRemoved => "body-removed",
            Rule::BodySchema => "body-schema",
            Rule::ConstValue => "const-value",
            Rule::EnumValues => "enum-values",
            Rule::KnownValues => "known-values",
            Rule::DefaultValue => "default-value",
            Rule::StringFormat => "string-format",
            Rule::StringLength => "string-length",
            Rule::IntegerRange => "integer-range",
            Rule::BytesLength => "bytes-length",
            Rule::ArrayLength => "array-length",
            Rule::BlobAccept => "blob-accept",
            Rule::BlobSize => "blob-size",
            Rule::ObjectRequired => "object-required",
            Rule::ObjectNullable => "object-nullable",
            Rule::ParamsRequired => "params-required",
            Rule::PropertyAdded => "property-added",
            Rule::PropertyRemoved => "property-removed",
            Rule::UnionOpenClosed => "union-open-closed",
            Rule::UnionRefs => "union-refs",
            Rule::RefTarget => "ref-target",
            Rule::ErrorAdded => "error-added",
            Rule::ErrorRemoved => "error-removed",
            Rule::LexiconAdded => "lexicon-added",
            Rule::DefAdded => "def-added",
            Rule::DefRemoved => "def-removed",
            Rule::TokenRemoved => "token-removed",
            Rule::DefStillReferenced => "def-still-referenced",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn direction_and_role_give_the_class() {
        use Direction::*;
        let c = |d, r| classify(d, r).0;
        assert_eq!(c(Tighten, Roles::STORED), Class::Breaking);
        assert_eq!(c(Loosen, Roles::STORED), Class::Breaking);
        assert_eq!(c(Tighten, Roles::INPUT), Class::Breaking);
        assert_eq!(c(Loosen, Roles::INPUT), Class::Warning);
        assert_eq!(c(Tighten, Roles::OUTPUT), Class::Warning);
        assert_eq!(c(Loosen, Roles::OUTPUT), Class::Breaking);
        assert_eq!(
            c(Loosen, Roles::INPUT.union(Roles::OUTPUT)),
            Class::Breaking
        );
        assert_eq!(c(Tighten, Roles::default()), Class::Breaking);
        assert_eq!(c(Neutral, Roles::STORED), Class::Compatible);
        assert_eq!(c(Both, Roles::INPUT), Class::Breaking);
    }

    #[test]
    fn rule_ids_are_distinct() {
        let mut ids: Vec<&str> = Rule::ALL.iter().map(|r| r.id()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), Rule::ALL.len());
    }
}
