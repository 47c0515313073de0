//! Stage 2: the resolved model. Every type has an id and a Rust name, every
//! reference is a [`TypeId`], every constraint is carried. Emitting and
//! validating read only this.

mod cycles;
mod nsid;
mod resolve;

pub use nsid::{parse_ref, Nsid, RefTarget};
pub use resolve::{resolve, resolve_loaded};

pub use crate::runtime::formats::Format;
/// The constraint types are the runtime's own: one definition for the IR,
/// the emitter (which spells them as constants) and the checks.
pub use crate::runtime::validate::{BlobRules, IntegerRules, LengthRules, StringRules};

/// Index into [`Ir::types`].
pub type TypeId = usize;

/// The whole resolved corpus.
#[derive(Debug, Clone, Default)]
pub struct Ir {
    /// One entry per lexicon file, sorted by NSID.
    pub lexicons: Vec<LexiconIr>,
    /// Every named Rust type, referenced by id.
    pub types: Vec<TypeDef>,
}

impl Ir {
    /// The type with this id.
    pub fn ty(&self, id: TypeId) -> &TypeDef {
        &self.types[id]
    }

    /// The lexicon with this NSID.
    pub fn lexicon(&self, nsid: &str) -> Option<&LexiconIr> {
        self.lexicons
            .binary_search_by(|l| l.nsid.as_str().cmp(nsid))
            .ok()
            .and_then(|i| self.lexicons.get(i))
    }

    /// Finds the type emitted for `nsid#def` (`def` is `main` for the main def).
    pub fn def_type(&self, nsid: &str, def: &str) -> Option<TypeId> {
        let lex = self.lexicon(nsid)?;
        lex.defs
            .iter()
            .find(|(name, _)| name == def)
            .map(|(_, id)| *id)
    }
}

/// One lexicon file, resolved.
#[derive(Debug, Clone)]
pub struct LexiconIr {
    /// Its NSID.
    pub nsid: String,
    /// Its path relative to the lexicon directory.
    pub rel_path: String,
    /// Rust module path from the crate root (`["com", "atproto", "server", "create_session"]`).
    pub module: Vec<String>,
    /// The cargo feature that enables it (`com-atproto`).
    pub feature: String,
    /// Lexicon-level description.
    pub description: Option<String>,
    /// The types defined in this module, in emission order.
    pub types: Vec<TypeId>,
    /// Named defs that became types, by def name (`main`, `replyRef`, ...).
    pub defs: Vec<(String, TypeId)>,
    /// Token constants.
    pub tokens: Vec<TokenIr>,
    /// XRPC metadata for queries, procedures and subscriptions.
    pub endpoint: Option<EndpointIr>,
    /// A permission set, when `main` is one.
    pub permission_set: Option<PermissionSetIr>,
}

/// A named Rust type.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// Index of the lexicon that defines it.
    pub lexicon: usize,
    /// The Rust type name, unique in its module.
    pub name: String,
    /// Rustdoc, from the lexicon description.
    pub doc: Option<String>,
    /// The fully qualified `$type` of the def (`nsid` for main, else `nsid#name`).
    pub type_tag: String,
    /// What it is.
    pub kind: TypeKind,
}

/// The kinds of emitted types.
#[derive(Debug, Clone)]
pub enum TypeKind {
    /// A struct: objects, records, params and XRPC bodies.
    Object(ObjectIr),
    /// An enum over object types, keyed by `$type`.
    Union(UnionIr),
    /// A string with `knownValues` (open) or `enum` (closed).
    StringEnum(StringEnumIr),
    /// A named def of a non-object type (`type X = ...`), or an XRPC body
    /// whose schema is a ref.
    Alias(Shape),
    /// An XRPC error enum.
    Errors(Vec<ErrorIr>),
}

/// What an object struct is used as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ObjectRole {
    /// A plain object.
    Plain,
    /// A record: its data always carries `$type`.
    Record {
        /// The record key type (`tid`, `literal:self`, ...).
        key: Option<String>,
    },
    /// XRPC parameters (sent as a query string).
    Params,
}

/// A struct.
#[derive(Debug, Clone)]
pub struct ObjectIr {
    /// Properties in lexicon order.
    pub fields: Vec<Field>,
    /// Rust name of the map holding unknown fields.
    pub extra_name: String,
    /// Plain, record or params.
    pub role: ObjectRole,
}

/// A property.
#[derive(Debug, Clone)]
pub struct Field {
    /// JSON name.
    pub wire: String,
    /// Rust name.
    pub name: String,
    /// Rustdoc.
    pub doc: Option<String>,
    /// Type and constraints.
    pub shape: Shape,
    /// Listed in `required`.
    pub required: bool,
    /// Listed in `nullable`.
    pub nullable: bool,
    /// Behind a `Box` (breaks a reference cycle).
    pub boxed: bool,
    /// The schema `default`, for documentation.
    pub default: Option<serde_json::Value>,
}

/// A value's type with its constraints.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// `boolean`.
    Boolean {
        /// Required value.
        const_: Option<bool>,
    },
    /// `integer`.
    Integer(IntegerRules<'static>),
    /// `string` without known values (those are [`TypeKind::StringEnum`]).
    String {
        /// The format, which picks a newtype.
        format: Option<Format>,
        /// Length, grapheme and const rules.
        rules: StringRules<'static>,
    },
    /// `bytes`.
    Bytes(LengthRules),
    /// `cid-link`.
    CidLink,
    /// `blob`.
    Blob(BlobRules<'static>),
    /// `unknown`: any object.
    Unknown,
    /// `array`.
    Array {
        /// Element shape.
        items: Box<Shape>,
        /// Element count rules.
        rules: LengthRules,
    },
    /// A self-validating named type (object, union, string enum).
    Named(TypeId),
    /// A named alias; validated by its target's rules.
    Alias {
        /// The alias type.
        id: TypeId,
        /// What it stands for.
        target: Box<Shape>,
    },
}

impl Shape {
    /// Whether a value of this shape has rules of its own, checked where it
    /// sits (a struct's `Object::check`, or a named def's newtype). Named types
    /// and aliases check themselves, so they have none here.
    pub fn has_rules(&self) -> bool {
        match self {
            Shape::Boolean { const_ } => const_.is_some(),
            Shape::Integer(rules) => !rules.is_empty(),
            Shape::String { rules, .. } => !rules.is_empty(),
            Shape::Bytes(r) => !r.is_empty(),
            Shape::Blob(r) => !r.is_empty(),
            Shape::Array { items, rules } => !rules.is_empty() || items.has_rules(),
            Shape::CidLink | Shape::Unknown | Shape::Named(_) | Shape::Alias { .. } => false,
        }
    }
}

/// A union of object types.
#[derive(Debug, Clone)]
pub struct UnionIr {
    /// Known variants.
    pub variants: Vec<VariantIr>,
    /// Closed unions reject unknown `$type`s; open ones keep them.
    pub closed: bool,
    /// Rust name of the fallback variant (open unions).
    pub unknown_name: String,
}

/// A union variant.
#[derive(Debug, Clone)]
pub struct VariantIr {
    /// Rust variant name.
    pub name: String,
    /// The object type.
    pub target: TypeId,
    /// The `$type` value that selects it.
    pub type_tag: String,
}

/// A string with known values.
#[derive(Debug, Clone)]
pub struct StringEnumIr {
    /// Known values.
    pub values: Vec<EnumValueIr>,
    /// Open (`knownValues`, with a fallback) or closed (`enum`).
    pub open: bool,
    /// Rust name of the fallback variant (open only).
    pub other_name: String,
    /// Format of the string, if any.
    pub format: Option<Format>,
    /// Other rules on the string.
    pub rules: StringRules<'static>,
}

/// A known string value.
#[derive(Debug, Clone)]
pub struct EnumValueIr {
    /// Rust variant name.
    pub name: String,
    /// The string.
    pub value: String,
}

/// An XRPC error name.
#[derive(Debug, Clone)]
pub struct ErrorIr {
    /// Rust variant name.
    pub name: String,
    /// The `error` string on the wire.
    pub wire: String,
    /// Rustdoc.
    pub doc: Option<String>,
}

/// A token def: a named string constant.
#[derive(Debug, Clone)]
pub struct TokenIr {
    /// Rust constant name.
    pub name: String,
    /// `nsid#name`.
    pub value: String,
    /// Rustdoc.
    pub doc: Option<String>,
}

/// The kind of an XRPC endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndpointKind {
    /// HTTP GET.
    Query,
    /// HTTP POST.
    Procedure,
    /// WebSocket.
    Subscription,
}

/// A request or response body.
#[derive(Debug, Clone)]
pub struct BodyIr {
    /// The MIME type (may be a glob like `*/*`).
    pub encoding: String,
    /// The type of a JSON body (`Input`/`Output`); `None` for raw bodies.
    pub schema: Option<TypeId>,
}

/// XRPC metadata of a lexicon's main def.
#[derive(Debug, Clone)]
pub struct EndpointIr {
    /// Query, procedure or subscription.
    pub kind: EndpointKind,
    /// Rust name of the marker struct.
    pub name: String,
    /// Rustdoc.
    pub doc: Option<String>,
    /// The `Params` type.
    pub params: Option<TypeId>,
    /// Request body.
    pub input: Option<BodyIr>,
    /// Response body.
    pub output: Option<BodyIr>,
    /// Subscription message union.
    pub message: Option<TypeId>,
    /// The `Error` enum.
    pub errors: TypeId,
}

/// A permission set, kept as metadata.
#[derive(Debug, Clone)]
pub struct PermissionSetIr {
    /// Rust name of the constant.
    pub name: String,
    /// Title.
    pub title: Option<String>,
    /// Detail.
    pub detail: Option<String>,
    /// Permissions as `(resource, targets)` pairs (collections or lxm NSIDs).
    pub permissions: Vec<(String, Vec<String>)>,
}
