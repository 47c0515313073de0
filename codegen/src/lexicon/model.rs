//! Serde mirror of the Lexicon language (LEXICON-RULES.md §1-§2). No logic:
//! what may appear where is checked when resolving into the IR.

use super::ordered::OrderedMap;
use super::parse::{object_list, optional_object};
use serde::{Deserialize, Deserializer};

// Nested structs go through `parse.rs` so that only JSON objects are read as
// structs (serde_json would also fill one from an array, by position), and
// misspelled fields are caught.
fn body<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Body>, D::Error> {
    optional_object(d, &["description", "encoding", "schema"])
}

fn message_body<'de, D: Deserializer<'de>>(d: D) -> Result<Option<MessageBody>, D::Error> {
    optional_object(d, &["description", "schema"])
}

fn error_defs<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<ErrorDef>, D::Error> {
    object_list(d, &["name", "description"])
}

/// One lexicon file.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LexiconDoc {
    /// Language version; only `1` exists.
    pub lexicon: i64,
    /// The NSID of this file.
    pub id: String,
    /// Optional revision counter.
    #[serde(default)]
    pub revision: Option<i64>,
    /// Free text.
    #[serde(default)]
    pub description: Option<String>,
    /// Named definitions, in file order.
    pub defs: OrderedMap<Schema>,
}

/// Every schema node of the language, tagged by its `type` field. Its
/// `Deserialize` lives in `parse.rs` (it keeps the JSON path of errors).
#[derive(Debug, Clone)]
pub enum Schema {
    Boolean(BooleanSchema),
    Integer(IntegerSchema),
    String(StringSchema),
    Bytes(BytesSchema),
    CidLink(Described),
    Blob(BlobSchema),
    Array(ArraySchema),
    Object(ObjectSchema),
    Params(ParamsSchema),
    Token(Described),
    Ref(RefSchema),
    Union(UnionSchema),
    Unknown(Described),
    Record(RecordSchema),
    Query(QuerySchema),
    Procedure(ProcedureSchema),
    Subscription(SubscriptionSchema),
    PermissionSet(PermissionSetSchema),
    Permission(PermissionSchema),
}

impl Schema {
    /// The `type` tag as written in lexicons.
    pub fn type_name(&self) -> &'static str {
        match self {
            Schema::Boolean(_) => "boolean",
            Schema::Integer(_) => "integer",
            Schema::String(_) => "string",
            Schema::Bytes(_) => "bytes",
            Schema::CidLink(_) => "cid-link",
            Schema::Blob(_) => "blob",
            Schema::Array(_) => "array",
            Schema::Object(_) => "object",
            Schema::Params(_) => "params",
            Schema::Token(_) => "token",
            Schema::Ref(_) => "ref",
            Schema::Union(_) => "union",
            Schema::Unknown(_) => "unknown",
            Schema::Record(_) => "record",
            Schema::Query(_) => "query",
            Schema::Procedure(_) => "procedure",
            Schema::Subscription(_) => "subscription",
            Schema::PermissionSet(_) => "permission-set",
            Schema::Permission(_) => "permission",
        }
    }

    /// Every `type` tag the language knows, for "did you mean" suggestions.
    pub const TYPE_NAMES: [&'static str; 19] = [
        "boolean",
        "integer",
        "string",
        "bytes",
        "cid-link",
        "blob",
        "array",
        "object",
        "params",
        "token",
        "ref",
        "union",
        "unknown",
        "record",
        "query",
        "procedure",
        "subscription",
        "permission-set",
        "permission",
    ];

    /// The type name with its article, for messages (`an object`, `a union`).
    pub fn described(&self) -> String {
        let name = self.type_name();
        format!("{} {name}", super::messages::article(name))
    }

    /// The fields a schema of type `type_name` may have (besides `type` and
    /// `description`), for catching misspelled or misplaced constraints.
    pub fn fields_of(type_name: &str) -> &'static [&'static str] {
        match type_name {
            "boolean" => &["default", "const"],
            "integer" => &["minimum", "maximum", "enum", "default", "const"],
            "string" => &[
                "format",
                "minLength",
                "maxLength",
                "minGraphemes",
                "maxGraphemes",
                "knownValues",
                "enum",
                "default",
                "const",
            ],
            "bytes" => &["minLength", "maxLength"],
            "blob" => &["accept", "maxSize"],
            "array" => &["items", "minLength", "maxLength"],
            "object" => &["properties", "required", "nullable"],
            "params" => &["properties", "required"],
            "ref" => &["ref"],
            "union" => &["refs", "closed"],
            "record" => &["key", "record"],
            "query" => &["parameters", "output", "errors"],
            "procedure" => &["parameters", "input", "output", "errors"],
            "subscription" => &["parameters", "message", "errors"],
            "permission-set" => &[
                "title",
                "title:lang",
                "detail",
                "detail:lang",
                "permissions",
            ],
            "permission" => &[
                "resource",
                "collection",
                "action",
                "lxm",
                "aud",
                "inheritAud",
            ],
            _ => &[],
        }
    }

    /// The node's `description`, if any.
    pub fn description(&self) -> Option<&str> {
        let d = match self {
            Schema::Boolean(s) => &s.description,
            Schema::Integer(s) => &s.description,
            Schema::String(s) => &s.description,
            Schema::Bytes(s) => &s.description,
            Schema::CidLink(s) | Schema::Token(s) | Schema::Unknown(s) => &s.description,
            Schema::Blob(s) => &s.description,
            Schema::Array(s) => &s.description,
            Schema::Object(s) => &s.description,
            Schema::Params(s) => &s.description,
            Schema::Ref(s) => &s.description,
            Schema::Union(s) => &s.description,
            Schema::Record(s) => &s.description,
            Schema::Query(s) => &s.description,
            Schema::Procedure(s) => &s.description,
            Schema::Subscription(s) => &s.description,
            Schema::PermissionSet(s) => &s.description,
            Schema::Permission(s) => &s.description,
        };
        d.as_deref()
    }

    /// Primary types: at most one per file, and it must be `main`.
    pub fn is_primary(&self) -> bool {
        matches!(
            self,
            Schema::Record(_)
                | Schema::Query(_)
                | Schema::Procedure(_)
                | Schema::Subscription(_)
                | Schema::PermissionSet(_)
        )
    }

    /// Whether this type may be a named entry of `defs` (§1).
    pub fn may_be_named_def(&self) -> bool {
        !matches!(
            self,
            Schema::Params(_)
                | Schema::Permission(_)
                | Schema::Ref(_)
                | Schema::Union(_)
                | Schema::Unknown(_)
        )
    }
}

/// A node whose only field is its description.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Described {
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct BooleanSchema {
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub default: Option<bool>,
    #[serde(default, rename = "const")]
    pub const_: Option<bool>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct IntegerSchema {
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub minimum: Option<i64>,
    #[serde(default)]
    pub maximum: Option<i64>,
    #[serde(default, rename = "enum")]
    pub enum_: Option<Vec<i64>>,
    #[serde(default)]
    pub default: Option<i64>,
    #[serde(default, rename = "const")]
    pub const_: Option<i64>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StringSchema {
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub format: Option<String>,
    #[serde(default)]
    pub min_length: Option<u64>,
    #[serde(default)]
    pub max_length: Option<u64>,
    #[serde(default)]
    pub min_graphemes: Option<u64>,
    #[serde(default)]
    pub max_graphemes: Option<u64>,
    #[serde(default)]
    pub known_values: Option<Vec<String>>,
    #[serde(default, rename = "enum")]
    pub enum_: Option<Vec<String>>,
    #[serde(default)]
    pub default: Option<String>,
    #[serde(default, rename = "const")]
    pub const_: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BytesSchema {
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub min_length: Option<u64>,
    #[serde(default)]
    pub max_length: Option<u64>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BlobSchema {
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub accept: Option<Vec<String>>,
    #[serde(default)]
    pub max_size: Option<u64>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ArraySchema {
    #[serde(default)]
    pub description: Option<String>,
    pub items: Box<Schema>,
    #[serde(default)]
    pub min_length: Option<u64>,
    #[serde(default)]
    pub max_length: Option<u64>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ObjectSchema {
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub properties: OrderedMap<Schema>,
    #[serde(default)]
    pub required: Vec<String>,
    #[serde(default)]
    pub nullable: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ParamsSchema {
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub properties: OrderedMap<Schema>,
    #[serde(default)]
    pub required: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct RefSchema {
    #[serde(default)]
    pub description: Option<String>,
    #[serde(rename = "ref")]
    pub target: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct UnionSchema {
    #[serde(default)]
    pub description: Option<String>,
    pub refs: Vec<String>,
    #[serde(default)]
    pub closed: Option<bool>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct RecordSchema {
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub key: Option<String>,
    pub record: Box<Schema>,
}

/// An XRPC request or response body.
#[derive(Debug, Clone, Deserialize)]
pub struct Body {
    #[serde(default)]
    pub description: Option<String>,
    pub encoding: String,
    #[serde(default)]
    pub schema: Option<Box<Schema>>,
}

/// A subscription's message (its schema must be a union).
#[derive(Debug, Clone, Deserialize)]
pub struct MessageBody {
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub schema: Option<Box<Schema>>,
}

/// An entry of `errors`.
#[derive(Debug, Clone, Deserialize)]
pub struct ErrorDef {
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct QuerySchema {
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub parameters: Option<Box<Schema>>,
    #[serde(default, deserialize_with = "body")]
    pub output: Option<Body>,
    #[serde(default, deserialize_with = "error_defs")]
    pub errors: Vec<ErrorDef>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ProcedureSchema {
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub parameters: Option<Box<Schema>>,
    #[serde(default, deserialize_with = "body")]
    pub input: Option<Body>,
    #[serde(default, deserialize_with = "body")]
    pub output: Option<Body>,
    #[serde(default, deserialize_with = "error_defs")]
    pub errors: Vec<ErrorDef>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SubscriptionSchema {
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub parameters: Option<Box<Schema>>,
    #[serde(default, deserialize_with = "message_body")]
    pub message: Option<MessageBody>,
    #[serde(default, deserialize_with = "error_defs")]
    pub errors: Vec<ErrorDef>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct PermissionSetSchema {
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default, rename = "title:lang")]
    pub title_lang: OrderedMap<String>,
    #[serde(default)]
    pub detail: Option<String>,
    #[serde(default, rename = "detail:lang")]
    pub detail_lang: OrderedMap<String>,
    #[serde(default)]
    pub permissions: Vec<Schema>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PermissionSchema {
    #[serde(default)]
    pub description: Option<String>,
    pub resource: String,
    #[serde(default)]
    pub collection: Vec<String>,
    #[serde(default)]
    pub action: Vec<String>,
    #[serde(default)]
    pub lxm: Vec<String>,
    #[serde(default)]
    pub aud: Option<String>,
    #[serde(default)]
    pub inherit_aud: Option<bool>,
}
