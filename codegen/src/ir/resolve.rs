//! Lexicon model -> IR, in two phases (as typify does): first every def gets
//! a [`TypeId`] and a Rust name, then bodies are converted, so forward and
//! circular references just work. Every problem becomes a [`Diagnostic`];
//! conversion goes on after an error so that all of them are reported.

mod document;
mod endpoint;
mod refs;
mod rules;

use document::inline_only_help;
use rules::valid_accept;

use super::cycles::box_cycles;
use super::nsid::{parse_ref, Nsid, RefTarget};
use super::*;
use crate::diagnostic::Diagnostic;
use crate::lexicon::article;
use crate::lexicon::model::*;
use crate::lexicon::path::JsonPath;
use crate::lexicon::{Loaded, SourceFile};
use crate::names::{
    ident, Case, Scope, LEXICON_MODULE_IMPORTS, RESERVED_ROOT_MODULES, RESERVED_TYPE_NAMES,
};
use crate::suggest::did_you_mean;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

/// Resolves parsed lexicons into the IR, or reports every problem found.
pub fn resolve(files: &[SourceFile]) -> Result<Ir, Vec<Diagnostic>> {
    run(files, &NOTHING_UNPARSED, &[])
}

/// Resolves the files of a directory that parsed, reporting their problems
/// together with those of the files that did not (so one broken file does
/// not hide the others' problems). A reference to a lexicon whose file did
/// not parse is not reported: the file is there, its problem is reported.
pub fn resolve_loaded(loaded: &Loaded) -> Result<Ir, Vec<Diagnostic>> {
    run(&loaded.files, &loaded.unparsed, &loaded.errors)
}

fn run(
    files: &[SourceFile],
    unparsed: &BTreeSet<String>,
    load_errors: &[Diagnostic],
) -> Result<Ir, Vec<Diagnostic>> {
    let mut r = Resolver::new(files, unparsed);
    r.errors.extend(load_errors.iter().cloned());
    r.check_documents();
    r.assign_modules();
    r.declare();
    r.define_all();
    if !r.errors.is_empty() {
        let mut errors = r.errors;
        errors.sort_by(|a, b| (&a.file, a.position).cmp(&(&b.file, b.position)));
        errors.dedup();
        return Err(errors);
    }
    let mut ir = r.ir;
    box_cycles(&mut ir);
    Ok(ir)
}

static NOTHING_UNPARSED: BTreeSet<String> = BTreeSet::new();

/// What a def name resolves to.
#[derive(Debug, Clone, Copy, PartialEq)]
enum DefEntry {
    Type(TypeId),
    Token,
    /// query/procedure/subscription/permission-set: not referenceable.
    Primary(&'static str),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum State {
    Pending,
    InProgress,
    Done,
}

struct Resolver<'a> {
    /// Files sorted by NSID; index = lexicon index.
    files: Vec<&'a SourceFile>,
    /// Lexicons whose header is broken are skipped after reporting.
    usable: Vec<bool>,
    ir: Ir,
    errors: Vec<Diagnostic>,
    by_nsid: BTreeMap<String, usize>,
    defs: BTreeMap<(usize, String), DefEntry>,
    state: BTreeMap<(usize, String), State>,
    type_scopes: Vec<Scope>,
    const_scopes: Vec<Scope>,
    /// How many alias defs are being defined, one inside the other.
    alias_depth: usize,
    /// Lexicons where a too-deep alias chain was already reported.
    too_deep_reported: BTreeSet<usize>,
    /// NSIDs of files that failed to parse: references to them are not errors.
    unparsed: &'a BTreeSet<String>,
}

/// Where in which file a node sits; inline type names derive from `hint`.
#[derive(Clone)]
struct Ctx {
    lex: usize,
    path: JsonPath,
    hint: String,
}

impl Ctx {
    fn key(&self, key: &str) -> Ctx {
        Ctx {
            lex: self.lex,
            path: self.path.key(key),
            hint: self.hint.clone(),
        }
    }

    fn index(&self, index: usize) -> Ctx {
        Ctx {
            lex: self.lex,
            path: self.path.index(index),
            hint: self.hint.clone(),
        }
    }

    fn named(&self, hint: String) -> Ctx {
        Ctx {
            lex: self.lex,
            path: self.path.clone(),
            hint,
        }
    }
}

impl<'a> Resolver<'a> {
    fn new(files: &'a [SourceFile], unparsed: &'a BTreeSet<String>) -> Self {
        let mut files: Vec<&SourceFile> = files.iter().collect();
        files.sort_by(|a, b| (&a.doc.id, &a.rel_path).cmp(&(&b.doc.id, &b.rel_path)));
        let n = files.len();
        Resolver {
            files,
            usable: vec![true; n],
            ir: Ir::default(),
            errors: Vec::new(),
            by_nsid: BTreeMap::new(),
            defs: BTreeMap::new(),
            state: BTreeMap::new(),
            type_scopes: Vec::new(),
            const_scopes: Vec::new(),
            alias_depth: 0,
            too_deep_reported: BTreeSet::new(),
            unparsed,
        }
    }

    fn error(
        &mut self,
        lex: usize,
        path: JsonPath,
        message: impl Into<String>,
        help: Option<String>,
    ) {
        let file = self.files[lex];
        let mut d = Diagnostic::new(&file.path, path, message).locate(&file.text);
        d.help = help;
        self.errors.push(d);
    }

    fn err(&mut self, ctx: &Ctx, message: impl Into<String>) {
        self.error(ctx.lex, ctx.path.clone(), message, None);
    }

    /// Module paths from NSIDs, one naming scope per parent module.
    fn assign_modules(&mut self) {
        let mut names: BTreeMap<Vec<String>, String> = BTreeMap::new();
        let mut scopes: BTreeMap<Vec<String>, Scope> = BTreeMap::new();
        scopes.insert(Vec::new(), Scope::with_reserved(RESERVED_ROOT_MODULES));
        // A lexicon's module imports the runtime modules: its children may
        // not take their names.
        let lexicon_ids: BTreeSet<String> = self.files.iter().map(|f| f.doc.id.clone()).collect();
        for lex in 0..self.files.len() {
            let doc = &self.files[lex].doc;
            let segments: Vec<String> = doc.id.split('.').map(str::to_string).collect();
            let mut module = Vec::new();
            let mut wire: Vec<String> = Vec::new();
            for segment in &segments {
                wire.push(segment.clone());
                let name = match names.get(&wire) {
                    Some(n) => n.clone(),
                    None => {
                        let parent_is_lexicon =
                            lexicon_ids.contains(&wire[..wire.len() - 1].join("."));
                        let scope = scopes.entry(module.clone()).or_insert_with(|| {
                            if parent_is_lexicon {
                                Scope::with_reserved(LEXICON_MODULE_IMPORTS)
                            } else {
                                Scope::default()
                            }
                        });
                        let n = scope.claim(segment, Case::Snake);
                        names.insert(wire.clone(), n.clone());
                        n
                    }
                };
                module.push(name);
            }
            let feature = segments
                .iter()
                .take(2)
                .map(|s| s.to_ascii_lowercase())
                .collect::<Vec<_>>()
                .join("-");
            self.ir.lexicons.push(LexiconIr {
                nsid: doc.id.clone(),
                rel_path: self.files[lex].rel_path.clone(),
                module,
                feature,
                description: doc.description.clone(),
                types: Vec::new(),
                defs: Vec::new(),
                tokens: Vec::new(),
                endpoint: None,
                permission_set: None,
            });
            self.type_scopes
                .push(Scope::with_reserved(RESERVED_TYPE_NAMES));
            self.const_scopes
                .push(Scope::with_reserved(&["PERMISSION_SET"]));
        }
    }

    fn new_type(
        &mut self,
        lex: usize,
        raw_name: &str,
        case_converted: bool,
        doc: Option<&str>,
        type_tag: String,
    ) -> TypeId {
        let name = if case_converted {
            self.type_scopes[lex].claim_ident(raw_name.to_string())
        } else {
            self.type_scopes[lex].claim(raw_name, Case::Type)
        };
        let id = self.ir.types.len();
        self.ir.types.push(TypeDef {
            lexicon: lex,
            name,
            doc: doc.map(str::to_string),
            type_tag,
            kind: TypeKind::Alias(Shape::Unknown),
        });
        self.ir.lexicons[lex].types.push(id);
        id
    }

    /// Phase 1: a TypeId and name for every named def, in a fixed order
    /// (main's reserved names first, then defs in file order).
    fn declare(&mut self) {
        for lex in 0..self.files.len() {
            if !self.usable[lex] {
                continue;
            }
            let file: &'a SourceFile = self.files[lex];
            let doc = &file.doc;
            let nsid = doc.id.clone();
            let main_first = doc
                .defs
                .iter()
                .filter(|(n, _)| *n == "main")
                .chain(doc.defs.iter().filter(|(n, _)| *n != "main"));
            for (name, def) in main_first {
                let key = (lex, name.clone());
                let tag = RefTarget {
                    nsid: nsid.clone(),
                    def: name.clone(),
                }
                .type_tag();
                let entry = match def {
                    Schema::Token(_) => DefEntry::Token,
                    Schema::Query(_)
                    | Schema::Procedure(_)
                    | Schema::Subscription(_)
                    | Schema::PermissionSet(_) => DefEntry::Primary(def.type_name()),
                    Schema::Record(_) => {
                        DefEntry::Type(self.new_type(lex, "Record", true, def.description(), tag))
                    }
                    _ if !def.may_be_named_def() => continue,
                    _ => {
                        let raw = if name == "main" {
                            "Main"
                        } else {
                            name.as_str()
                        };
                        let id = self.new_type(lex, raw, false, def.description(), tag);
                        DefEntry::Type(id)
                    }
                };
                if let DefEntry::Type(id) = entry {
                    self.ir.lexicons[lex].defs.push((name.clone(), id));
                }
                self.defs.insert(key.clone(), entry);
                self.state.insert(key, State::Pending);
            }
        }
    }

    fn define_all(&mut self) {
        let keys: Vec<(usize, String)> = self.state.keys().cloned().collect();
        for (lex, name) in keys {
            self.define(lex, &name);
        }
    }

    /// Phase 2 for one def (re-entrant: an alias body is defined on first use).
    fn define(&mut self, lex: usize, name: &str) {
        let key = (lex, name.to_string());
        match self.state.get(&key) {
            Some(State::Pending) => {}
            _ => return,
        }
        self.state.insert(key.clone(), State::InProgress);
        let file = self.files[lex];
        let nsid = file.doc.id.clone();
        if let Some(def) = file.doc.defs.get(name) {
            let ctx = Ctx {
                lex,
                path: JsonPath::root().key("defs").key(name),
                hint: String::new(),
            };
            match (def, self.defs.get(&key).copied()) {
                (Schema::Token(t), _) => {
                    let cname = self.const_scopes[lex].claim(name, Case::Const);
                    let value = RefTarget {
                        nsid,
                        def: name.to_string(),
                    }
                    .type_tag();
                    self.ir.lexicons[lex].tokens.push(TokenIr {
                        name: cname,
                        value,
                        doc: t.description.clone(),
                    });
                }
                (Schema::Query(q), _) => self.endpoint(
                    &ctx,
                    EndpointKind::Query,
                    q.description.as_deref(),
                    q.parameters.as_deref(),
                    None,
                    q.output.as_ref(),
                    None,
                    &q.errors,
                ),
                (Schema::Procedure(p), _) => self.endpoint(
                    &ctx,
                    EndpointKind::Procedure,
                    p.description.as_deref(),
                    p.parameters.as_deref(),
                    p.input.as_ref(),
                    p.output.as_ref(),
                    None,
                    &p.errors,
                ),
                (Schema::Subscription(s), _) => self.endpoint(
                    &ctx,
                    EndpointKind::Subscription,
                    s.description.as_deref(),
                    s.parameters.as_deref(),
                    None,
                    None,
                    s.message.as_ref(),
                    &s.errors,
                ),
                (Schema::PermissionSet(p), _) => self.permission_set(&ctx, p),
                (Schema::Record(rec), Some(DefEntry::Type(id))) => {
                    self.check_record_key(&ctx.key("key"), rec.key.as_deref());
                    let role = ObjectRole::Record {
                        key: rec.key.clone(),
                    };
                    let rctx = ctx.key("record").named(self.ir.types[id].name.clone());
                    match rec.record.as_ref() {
                        Schema::Object(obj) => {
                            let o = self.object(
                                &rctx,
                                obj.properties.iter(),
                                &obj.required,
                                &obj.nullable,
                                role,
                            );
                            self.ir.types[id].kind = TypeKind::Object(o);
                        }
                        other => self.err(
                            &rctx.key("type"),
                            format!(
                                "a record's `record` must be an object, found {}",
                                other.described()
                            ),
                        ),
                    }
                }
                (_, Some(DefEntry::Type(id))) => {
                    let ctx = ctx.named(self.ir.types[id].name.clone());
                    self.define_named(&ctx, def, id);
                }
                _ => {}
            }
        }
        self.state.insert(key, State::Done);
    }

    /// Body of a named non-primary def.
    fn define_named(&mut self, ctx: &Ctx, def: &Schema, id: TypeId) {
        let kind = match def {
            Schema::Object(obj) => TypeKind::Object(self.object(
                ctx,
                obj.properties.iter(),
                &obj.required,
                &obj.nullable,
                ObjectRole::Plain,
            )),
            Schema::String(s) if s.known_values.is_some() || s.enum_.is_some() => {
                TypeKind::StringEnum(self.string_enum(ctx, s))
            }
            other => TypeKind::Alias(self.shape(ctx, other)),
        };
        self.ir.types[id].kind = kind;
    }

    fn object<'s>(
        &mut self,
        ctx: &Ctx,
        properties: impl Iterator<Item = (&'s String, &'s Schema)>,
        required: &[String],
        nullable: &[String],
        role: ObjectRole,
    ) -> ObjectIr {
        let mut scope = Scope::with_reserved(&["extra"]);
        let mut fields = Vec::new();
        let mut names = BTreeSet::new();
        let required_set: BTreeSet<&str> = required.iter().map(String::as_str).collect();
        let nullable_set: BTreeSet<&str> = nullable.iter().map(String::as_str).collect();
        for (wire, schema) in properties {
            names.insert(wire.as_str());
            let pctx = ctx.key("properties").key(wire);
            if wire.is_empty() {
                self.err(&pctx, "a property name cannot be empty");
                continue;
            }
            if wire.starts_with('$') {
                self.err(&pctx, format!("property name {wire:?} is reserved (names starting with `$` belong to the data model)"));
                continue;
            }
            let hint = format!("{}{}", ctx.hint, ident(wire, Case::Type));
            let shape = if role == ObjectRole::Params {
                self.param_shape(&pctx.named(hint), schema)
            } else {
                self.shape(&pctx.named(hint), schema)
            };
            let default = default_value(schema);
            fields.push(Field {
                wire: wire.clone(),
                name: scope.claim(wire, Case::Snake),
                doc: schema.description().map(str::to_string),
                shape,
                required: required_set.contains(wire.as_str()),
                nullable: nullable_set.contains(wire.as_str()),
                boxed: false,
                default,
            });
        }
        for (list, what) in [(required, "required"), (nullable, "nullable")] {
            let mut listed = BTreeSet::new();
            for (i, name) in list.iter().enumerate() {
                if !listed.insert(name.as_str()) {
                    self.error(
                        ctx.lex,
                        ctx.path.key(what).index(i),
                        format!("`{what}` lists {name:?} twice"),
                        Some("remove the second one".into()),
                    );
                } else if !names.contains(name.as_str()) {
                    let candidates: Vec<&str> = names.iter().copied().collect();
                    let help =
                        did_you_mean(name, &candidates).map(|s| format!("did you mean {s:?}?"));
                    self.error(
                        ctx.lex,
                        ctx.path.key(what).index(i),
                        format!("`{what}` names {name:?}, which is not a property"),
                        help,
                    );
                }
            }
        }
        ObjectIr {
            fields,
            extra_name: "extra".to_string(),
            role,
        }
    }

    /// Params properties: boolean, integer, string, unknown, or arrays of those.
    fn param_shape(&mut self, ctx: &Ctx, schema: &Schema) -> Shape {
        let ok = match schema {
            Schema::Boolean(_) | Schema::Integer(_) | Schema::String(_) | Schema::Unknown(_) => {
                true
            }
            Schema::Array(a) => matches!(
                *a.items,
                Schema::Boolean(_) | Schema::Integer(_) | Schema::String(_)
            ),
            _ => false,
        };
        if !ok {
            self.err(
                &ctx.key("type"),
                format!("a params property must be boolean, integer, string or an array of those, found {}", schema.described()),
            );
        }
        self.shape(ctx, schema)
    }

    /// Converts an inline schema to a shape, creating inline types as needed.
    fn shape(&mut self, ctx: &Ctx, schema: &Schema) -> Shape {
        match schema {
            Schema::Boolean(b) => {
                if b.const_.is_some() && b.default.is_some() {
                    self.err(
                        &ctx.key("const"),
                        "`const` and `default` cannot both be set",
                    );
                }
                Shape::Boolean { const_: b.const_ }
            }
            Schema::Integer(i) => {
                if let (Some(min), Some(max)) = (i.minimum, i.maximum) {
                    if min > max {
                        self.err(
                            &ctx.key("minimum"),
                            format!("`minimum` {min} is greater than `maximum` {max}"),
                        );
                    }
                }
                if i.const_.is_some() && i.default.is_some() {
                    self.err(
                        &ctx.key("const"),
                        "`const` and `default` cannot both be set",
                    );
                }
                self.check_integer_values(ctx, i);
                Shape::Integer(IntegerRules {
                    minimum: i.minimum,
                    maximum: i.maximum,
                    enum_: i.enum_.clone().map(Cow::Owned),
                    const_: i.const_,
                })
            }
            Schema::String(s) if s.known_values.is_some() || s.enum_.is_some() => {
                let id = self.new_type(
                    ctx.lex,
                    &ctx.hint,
                    true,
                    s.description.as_deref(),
                    String::new(),
                );
                let e = self.string_enum(ctx, s);
                self.ir.types[id].kind = TypeKind::StringEnum(e);
                Shape::Named(id)
            }
            Schema::String(s) => {
                let (format, rules) = self.string_rules(ctx, s);
                Shape::String { format, rules }
            }
            Schema::Bytes(b) => Shape::Bytes(self.length_rules(ctx, b.min_length, b.max_length)),
            Schema::CidLink(_) => Shape::CidLink,
            Schema::Blob(b) => {
                for (i, pattern) in b.accept.iter().flatten().enumerate() {
                    if !valid_accept(pattern) {
                        self.err(
                            &ctx.key("accept").index(i),
                            format!("invalid MIME pattern {pattern:?}: expected `type/subtype`, `type/*` or `*/*`"),
                        );
                    }
                }
                Shape::Blob(BlobRules {
                    accept: b
                        .accept
                        .as_ref()
                        .map(|a| a.iter().cloned().map(Cow::Owned).collect()),
                    max_size: b.max_size,
                })
            }
            Schema::Unknown(_) => Shape::Unknown,
            Schema::Array(a) => {
                let items = self.shape(
                    &ctx.key("items").named(format!("{}Item", ctx.hint)),
                    &a.items,
                );
                Shape::Array {
                    items: Box::new(items),
                    rules: self.length_rules(ctx, a.min_length, a.max_length),
                }
            }
            Schema::Ref(r) => self.reference(&ctx.key("ref"), &r.target),
            Schema::Union(u) => {
                let id = self.new_type(
                    ctx.lex,
                    &ctx.hint,
                    true,
                    u.description.as_deref(),
                    String::new(),
                );
                let union = self.union(ctx, u);
                self.ir.types[id].kind = TypeKind::Union(union);
                Shape::Named(id)
            }
            Schema::Object(obj) => {
                let id = self.new_type(
                    ctx.lex,
                    &ctx.hint,
                    true,
                    obj.description.as_deref(),
                    String::new(),
                );
                let name = self.ir.types[id].name.clone();
                let o = self.object(
                    &ctx.named(name),
                    obj.properties.iter(),
                    &obj.required,
                    &obj.nullable,
                    ObjectRole::Plain,
                );
                self.ir.types[id].kind = TypeKind::Object(o);
                Shape::Named(id)
            }
            Schema::Token(_) => {
                self.error(
                    ctx.lex,
                    ctx.path.key("type"),
                    "a token is not a value type; it only names a string constant",
                    Some(format!("make the token a named def and use {{ \"type\": \"string\", \"knownValues\": [\"{}#<token>\"] }} here", self.files[ctx.lex].doc.id)),
                );
                Shape::Unknown
            }
            other => {
                let ty = other.type_name();
                let help = if other.is_primary() {
                    format!("{} {ty} may only be the `main` def of a lexicon; refer to a record with a ref", article(ty))
                } else {
                    inline_only_help(ty).to_string()
                };
                self.error(
                    ctx.lex,
                    ctx.path.key("type"),
                    format!("{} {ty} cannot appear here", article(ty)),
                    Some(help),
                );
                Shape::Unknown
            }
        }
    }

    fn string_enum(&mut self, ctx: &Ctx, s: &StringSchema) -> StringEnumIr {
        let (format, rules) = self.string_rules(ctx, s);
        let open = s.enum_.is_none();
        let list = s
            .enum_
            .as_ref()
            .or(s.known_values.as_ref())
            .cloned()
            .unwrap_or_default();
        let mut scope = Scope::with_reserved(if open { &["Other"] } else { &[] });
        let mut seen = BTreeSet::new();
        let mut values = Vec::new();
        let list_key = if open { "knownValues" } else { "enum" };
        for (i, value) in list.iter().enumerate() {
            if !seen.insert(value.clone()) {
                self.error(
                    ctx.lex,
                    ctx.path.key(list_key).index(i),
                    format!(
                        "{} is listed twice in `{list_key}`",
                        crate::lexicon::quote_short(value)
                    ),
                    Some("remove the second one".into()),
                );
                continue;
            }
            // `nsid#name` token references are named after their def name.
            let short = value.rsplit_once('#').map_or(value.as_str(), |(_, d)| d);
            values.push(EnumValueIr {
                name: scope.claim(short, Case::Type),
                value: value.clone(),
            });
        }
        StringEnumIr {
            values,
            open,
            other_name: "Other".into(),
            format,
            rules,
        }
    }
}

fn default_value(schema: &Schema) -> Option<serde_json::Value> {
    match schema {
        Schema::Boolean(b) => b.default.map(Into::into),
        Schema::Integer(i) => i.default.map(Into::into),
        Schema::String(s) => s.default.clone().map(Into::into),
        _ => None,
    }
}
