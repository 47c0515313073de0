//! Lexicon model -> IR, in two phases (as typify does): first every def gets
//! a [`TypeId`] and a Rust name, then bodies are converted, so forward and
//! circular references just work. Every problem becomes a [`Diagnostic`];
//! conversion goes on after an error so that all of them are reported.

use super::cycles::box_cycles;
use super::nsid::{parse_ref, Nsid, RefTarget};
use super::*;
use crate::diagnostic::Diagnostic;
use crate::lexicon::model::*;
use crate::lexicon::path::JsonPath;
use crate::lexicon::SourceFile;
use crate::names::{ident, Case, Scope};
use crate::suggest::did_you_mean;
use std::collections::{BTreeMap, BTreeSet};

/// Crate-root modules the runtime occupies; lexicon namespaces get another name.
pub const RUNTIME_MODULES: &[&str] = &["formats", "types", "validate", "xrpc", "de"];

/// Prelude names in the value namespace that a unit struct (an endpoint
/// marker) would shadow inside generated code.
const VALUE_PRELUDE: &[&str] = &["Some", "None", "Ok", "Err"];

/// Resolves parsed lexicons into the IR, or reports every problem found.
pub fn resolve(files: &[SourceFile]) -> Result<Ir, Vec<Diagnostic>> {
    let mut r = Resolver::new(files);
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
    fn new(files: &'a [SourceFile]) -> Self {
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

    /// File-level rules (§1): version, id, file path, defs, primary types.
    fn check_documents(&mut self) {
        for lex in 0..self.files.len() {
            let file = self.files[lex];
            let doc = &file.doc;
            let root = JsonPath::root();
            if doc.lexicon != 1 {
                self.error(
                    lex,
                    root.key("lexicon"),
                    format!("unsupported lexicon version {}; only 1 exists", doc.lexicon),
                    None,
                );
            }
            if let Err(e) = Nsid::parse(&doc.id) {
                self.error(
                    lex,
                    root.key("id"),
                    format!("`id` is not a valid NSID: {e}"),
                    None,
                );
                self.usable[lex] = false;
                continue;
            }
            let expected = format!("{}.json", doc.id.replace('.', "/"));
            if file.rel_path != expected && !file.rel_path.is_empty() {
                self.error(
                    lex,
                    root.key("id"),
                    format!(
                        "`id` {:?} does not match the file's path {:?}",
                        doc.id, file.rel_path
                    ),
                    Some(format!("a lexicon with this id belongs at {expected:?}")),
                );
            }
            if let Some(&other) = self.by_nsid.get(&doc.id) {
                let other_path = self.files[other].path.display().to_string();
                self.error(
                    lex,
                    root.key("id"),
                    format!(
                        "duplicate lexicon id {:?}, also defined in {other_path}",
                        doc.id
                    ),
                    None,
                );
                self.usable[lex] = false;
                continue;
            }
            self.by_nsid.insert(doc.id.clone(), lex);
            if doc.defs.is_empty() {
                self.error(
                    lex,
                    root.key("defs"),
                    "`defs` is empty; a lexicon needs at least one definition",
                    None,
                );
            }
            for (name, def) in doc.defs.iter() {
                let path = root.key("defs").key(name);
                if def.is_primary() && name != "main" {
                    self.error(
                        lex,
                        path.key("type"),
                        format!("a {} must be the `main` def, not {name:?}", def.type_name()),
                        Some("rename the def to `main` (one primary type per file)".into()),
                    );
                }
                if !def.may_be_named_def() {
                    self.error(
                        lex,
                        path.key("type"),
                        format!(
                            "a {} cannot be a named def; it may only appear inline",
                            def.type_name()
                        ),
                        None,
                    );
                }
                if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    self.error(
                        lex,
                        path,
                        format!("def name {name:?} must be ASCII letters and digits"),
                        None,
                    );
                }
            }
        }
    }

    /// Module paths from NSIDs, one naming scope per parent module.
    fn assign_modules(&mut self) {
        let mut names: BTreeMap<Vec<String>, String> = BTreeMap::new();
        let mut scopes: BTreeMap<Vec<String>, Scope> = BTreeMap::new();
        scopes.insert(Vec::new(), Scope::with_reserved(RUNTIME_MODULES));
        for lex in 0..self.files.len() {
            let doc = &self.files[lex].doc;
            let segments: Vec<String> = doc.id.split('.').map(str::to_string).collect();
            let mut module = Vec::new();
            for depth in 1..=segments.len() {
                let wire = segments[..depth].to_vec();
                let name = match names.get(&wire) {
                    Some(n) => n.clone(),
                    None => {
                        let scope = scopes.entry(module.clone()).or_default();
                        let n = scope.claim(&segments[depth - 1], Case::Snake);
                        names.insert(wire, n.clone());
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
            self.type_scopes.push(Scope::with_reserved(VALUE_PRELUDE));
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
                                other.type_name()
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
        for (wire, schema) in properties {
            names.insert(wire.as_str());
            let pctx = ctx.key("properties").key(wire);
            if wire.is_empty() || wire.starts_with('$') {
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
                required: required.contains(wire),
                nullable: nullable.contains(wire),
                boxed: false,
                default,
            });
        }
        for (list, what) in [(required, "required"), (nullable, "nullable")] {
            for (i, name) in list.iter().enumerate() {
                if !names.contains(name.as_str()) {
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
                format!("a params property must be boolean, integer, string or an array of those, found {}", schema.type_name()),
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
                Shape::Integer(IntegerRules {
                    minimum: i.minimum,
                    maximum: i.maximum,
                    enum_: i.enum_.clone(),
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
                    accept: b.accept.clone(),
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
            other => {
                self.err(
                    &ctx.key("type"),
                    format!("a {} cannot appear here", other.type_name()),
                );
                Shape::Unknown
            }
        }
    }

    fn length_rules(&mut self, ctx: &Ctx, min: Option<u64>, max: Option<u64>) -> LengthRules {
        if let (Some(lo), Some(hi)) = (min, max) {
            if lo > hi {
                self.err(
                    &ctx.key("minLength"),
                    format!("`minLength` {lo} is greater than `maxLength` {hi}"),
                );
            }
        }
        LengthRules { min, max }
    }

    fn string_rules(&mut self, ctx: &Ctx, s: &StringSchema) -> (Option<Format>, StringRules) {
        let format = s.format.as_deref().and_then(|f| {
            let found = Format::from_name(f);
            if found.is_none() {
                let names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
                let help = did_you_mean(f, &names).map(|s| format!("did you mean {s:?}?"));
                self.error(
                    ctx.lex,
                    ctx.path.key("format"),
                    format!("unknown string format {f:?}"),
                    help,
                );
            }
            found
        });
        let pairs = [
            ("minLength", "maxLength", s.min_length, s.max_length),
            (
                "minGraphemes",
                "maxGraphemes",
                s.min_graphemes,
                s.max_graphemes,
            ),
        ];
        for (lo_name, hi_name, lo, hi) in pairs {
            if let (Some(lo), Some(hi)) = (lo, hi) {
                if lo > hi {
                    self.err(
                        &ctx.key(lo_name),
                        format!("`{lo_name}` {lo} is greater than `{hi_name}` {hi}"),
                    );
                }
            }
        }
        if s.const_.is_some() && s.default.is_some() {
            self.err(
                &ctx.key("const"),
                "`const` and `default` cannot both be set",
            );
        }
        let rules = StringRules {
            min_length: s.min_length,
            max_length: s.max_length,
            min_graphemes: s.min_graphemes,
            max_graphemes: s.max_graphemes,
            const_: s.const_.clone(),
        };
        (format, rules)
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
                self.err(
                    &ctx.key(list_key).index(i),
                    format!("{value:?} is listed twice"),
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

    fn union(&mut self, ctx: &Ctx, u: &UnionSchema) -> UnionIr {
        let closed = u.closed.unwrap_or(false);
        if closed && u.refs.is_empty() {
            self.err(&ctx.key("refs"), "a closed union needs at least one ref");
        }
        let mut scope = Scope::with_reserved(if closed { &[] } else { &["Unknown"] });
        let mut variants: Vec<VariantIr> = Vec::new();
        let nsid = self.files[ctx.lex].doc.id.clone();
        for (i, reference) in u.refs.iter().enumerate() {
            let rctx = ctx.key("refs").index(i);
            let Some((target, id)) = self.lookup(&rctx, reference, &nsid) else {
                continue;
            };
            if !matches!(self.ir.types[id].kind, TypeKind::Object(_))
                && !self.is_object_def(&target)
            {
                self.err(
                    &rctx,
                    format!("union variant {reference:?} must be an object or record"),
                );
                continue;
            }
            let tag = target.type_tag();
            if variants.iter().any(|v| v.type_tag == tag) {
                self.err(&rctx, format!("{reference:?} is listed twice"));
                continue;
            }
            let short = if target.def == "main" {
                target
                    .nsid
                    .rsplit('.')
                    .next()
                    .unwrap_or(&target.nsid)
                    .to_string()
            } else {
                target.def.clone()
            };
            variants.push(VariantIr {
                name: scope.claim(&short, Case::Type),
                target: id,
                type_tag: tag,
            });
        }
        UnionIr {
            variants,
            closed,
            unknown_name: "Unknown".into(),
        }
    }

    fn is_object_def(&self, target: &RefTarget) -> bool {
        let Some(&lex) = self.by_nsid.get(&target.nsid) else {
            return false;
        };
        matches!(
            self.files[lex].doc.defs.get(&target.def),
            Some(Schema::Object(_) | Schema::Record(_))
        )
    }

    /// Resolves a reference to a def type, reporting what is wrong.
    fn lookup(&mut self, ctx: &Ctx, reference: &str, current: &str) -> Option<(RefTarget, TypeId)> {
        let target = match parse_ref(reference, current) {
            Ok(t) => t,
            Err(e) => {
                self.err(ctx, e);
                return None;
            }
        };
        let Some(&lex) = self.by_nsid.get(&target.nsid) else {
            let all: Vec<&str> = self.by_nsid.keys().map(String::as_str).collect();
            let help = did_you_mean(&target.nsid, &all).map(|s| format!("did you mean {s:?}?"));
            self.error(
                ctx.lex,
                ctx.path.clone(),
                format!(
                    "reference {reference:?}: no lexicon {:?} was found",
                    target.nsid
                ),
                help,
            );
            return None;
        };
        match self.defs.get(&(lex, target.def.clone())).copied() {
            Some(DefEntry::Type(id)) => Some((target, id)),
            Some(DefEntry::Token) => {
                self.err(ctx, format!("reference {reference:?} points at a token; tokens are string values, not types"));
                None
            }
            Some(DefEntry::Primary(kind)) => {
                self.err(
                    ctx,
                    format!(
                        "reference {reference:?} points at a {kind}, which cannot be referenced"
                    ),
                );
                None
            }
            None => {
                let defs: Vec<&str> = self.files[lex]
                    .doc
                    .defs
                    .iter()
                    .map(|(n, _)| n.as_str())
                    .collect();
                let help =
                    did_you_mean(&target.def, &defs).map(|s| format!("did you mean \"#{s}\"?"));
                self.error(
                    ctx.lex,
                    ctx.path.clone(),
                    format!(
                        "reference {reference:?}: lexicon {:?} has no def {:?}",
                        target.nsid, target.def
                    ),
                    help,
                );
                None
            }
        }
    }

    fn reference(&mut self, ctx: &Ctx, reference: &str) -> Shape {
        let nsid = self.files[ctx.lex].doc.id.clone();
        let Some((target, id)) = self.lookup(ctx, reference, &nsid) else {
            return Shape::Unknown;
        };
        match &self.ir.types[id].kind {
            TypeKind::Object(_) | TypeKind::Union(_) | TypeKind::StringEnum(_) => Shape::Named(id),
            _ if self.is_object_def(&target) => Shape::Named(id),
            _ => {
                let lex = self.by_nsid.get(&target.nsid).copied().unwrap_or(ctx.lex);
                let key = (lex, target.def.clone());
                if self.state.get(&key) == Some(&State::InProgress) {
                    self.err(
                        ctx,
                        format!(
                            "reference {reference:?} makes a cycle through non-object definitions"
                        ),
                    );
                    return Shape::Unknown;
                }
                self.define(lex, &target.def);
                match &self.ir.types[id].kind {
                    TypeKind::Alias(shape) => Shape::Alias {
                        id,
                        target: Box::new(shape.clone()),
                    },
                    _ => Shape::Named(id),
                }
            }
        }
    }

    fn check_record_key(&mut self, ctx: &Ctx, key: Option<&str>) {
        let Some(key) = key else {
            self.err(
                ctx,
                "a record needs a `key` (`tid`, `nsid`, `any` or `literal:<value>`)",
            );
            return;
        };
        let ok = match key.strip_prefix("literal:") {
            Some(value) => crate::runtime::formats::check_record_key(value).is_ok(),
            None => matches!(key, "tid" | "nsid" | "any"),
        };
        if !ok {
            let help = did_you_mean(key, &["tid", "nsid", "any", "literal:self"])
                .map(|s| format!("did you mean {s:?}?"));
            self.error(ctx.lex, ctx.path.clone(), format!("invalid record key type {key:?}: expected `tid`, `nsid`, `any` or `literal:<record-key>`"), help);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn endpoint(
        &mut self,
        ctx: &Ctx,
        kind: EndpointKind,
        doc: Option<&str>,
        params: Option<&Schema>,
        input: Option<&Body>,
        output: Option<&Body>,
        message: Option<&MessageBody>,
        errors: &[ErrorDef],
    ) {
        let lex = ctx.lex;
        let nsid = self.files[lex].doc.id.clone();
        let endpoint_name =
            self.type_scopes[lex].claim(nsid.rsplit('.').next().unwrap_or("Endpoint"), Case::Type);
        let params = params.and_then(|p| match p {
            Schema::Params(ps) => {
                let id = self.new_type(
                    lex,
                    "Params",
                    true,
                    ps.description.as_deref(),
                    String::new(),
                );
                let o = self.object(
                    &ctx.key("parameters").named(self.ir.types[id].name.clone()),
                    ps.properties.iter(),
                    &ps.required,
                    &[],
                    ObjectRole::Params,
                );
                self.ir.types[id].kind = TypeKind::Object(o);
                Some(id)
            }
            other => {
                self.err(
                    &ctx.key("parameters").key("type"),
                    format!(
                        "`parameters` must be of type params, found {}",
                        other.type_name()
                    ),
                );
                None
            }
        });
        let input = input.map(|b| self.body(&ctx.key("input"), "Input", b));
        let output = output.map(|b| self.body(&ctx.key("output"), "Output", b));
        let message = message.and_then(|m| {
            let mctx = ctx.key("message").key("schema");
            match m.schema.as_deref() {
                Some(Schema::Union(u)) => {
                    let id = self.new_type(
                        lex,
                        "Message",
                        true,
                        m.description.as_deref(),
                        String::new(),
                    );
                    let union = self.union(&mctx.named(self.ir.types[id].name.clone()), u);
                    self.ir.types[id].kind = TypeKind::Union(union);
                    Some(id)
                }
                Some(other) => {
                    self.err(
                        &mctx.key("type"),
                        format!(
                            "a subscription message schema must be a union, found {}",
                            other.type_name()
                        ),
                    );
                    None
                }
                None => {
                    self.err(
                        &mctx,
                        "a subscription message needs a `schema` (a union of refs)",
                    );
                    None
                }
            }
        });
        let mut scope = Scope::with_reserved(&["Other"]);
        let mut variants = Vec::new();
        for (i, e) in errors.iter().enumerate() {
            if e.name.is_empty() || e.name.chars().any(|c| c.is_whitespace() || !c.is_ascii()) {
                self.err(
                    &ctx.key("errors").index(i).key("name"),
                    format!(
                        "error name {:?} must be non-empty ASCII without whitespace",
                        e.name
                    ),
                );
                continue;
            }
            if variants.iter().any(|v: &ErrorIr| v.wire == e.name) {
                self.err(
                    &ctx.key("errors").index(i).key("name"),
                    format!("error {:?} is listed twice", e.name),
                );
                continue;
            }
            variants.push(ErrorIr {
                name: scope.claim(&e.name, Case::Type),
                wire: e.name.clone(),
                doc: e.description.clone(),
            });
        }
        let errors = self.new_type(lex, "Error", true, None, String::new());
        self.ir.types[errors].kind = TypeKind::Errors(variants);
        self.ir.lexicons[lex].endpoint = Some(EndpointIr {
            kind,
            name: endpoint_name,
            doc: doc.map(str::to_string),
            params,
            input,
            output,
            message,
            errors,
        });
    }

    fn body(&mut self, ctx: &Ctx, name: &str, body: &Body) -> BodyIr {
        if body.encoding.is_empty() || !body.encoding.contains('/') {
            self.err(
                &ctx.key("encoding"),
                format!("`encoding` {:?} is not a MIME type", body.encoding),
            );
        }
        let schema = body.schema.as_deref().map(|schema| {
            let id = self.new_type(
                ctx.lex,
                name,
                true,
                body.description.as_deref(),
                String::new(),
            );
            let sctx = ctx.key("schema").named(self.ir.types[id].name.clone());
            let kind = match schema {
                Schema::Object(obj) => TypeKind::Object(self.object(
                    &sctx,
                    obj.properties.iter(),
                    &obj.required,
                    &obj.nullable,
                    ObjectRole::Plain,
                )),
                Schema::Union(u) => TypeKind::Union(self.union(&sctx, u)),
                Schema::Ref(r) => TypeKind::Alias(self.reference(&sctx.key("ref"), &r.target)),
                other => {
                    self.err(
                        &sctx.key("type"),
                        format!(
                            "a body schema must be an object, a ref or a union, found {}",
                            other.type_name()
                        ),
                    );
                    TypeKind::Alias(Shape::Unknown)
                }
            };
            self.ir.types[id].kind = kind;
            id
        });
        BodyIr {
            encoding: body.encoding.clone(),
            schema,
        }
    }

    fn permission_set(&mut self, ctx: &Ctx, p: &PermissionSetSchema) {
        let mut permissions = Vec::new();
        for (i, perm) in p.permissions.iter().enumerate() {
            let pctx = ctx.key("permissions").index(i);
            match perm {
                Schema::Permission(perm) => {
                    let targets = match perm.resource.as_str() {
                        "repo" => &perm.collection,
                        "rpc" => &perm.lxm,
                        _ => &perm.collection,
                    };
                    for (j, nsid) in targets.iter().enumerate() {
                        if nsid != "*" && Nsid::parse(nsid.trim_end_matches(".*")).is_err() {
                            let key = if perm.resource == "rpc" {
                                "lxm"
                            } else {
                                "collection"
                            };
                            self.err(&pctx.key(key).index(j), format!("{nsid:?} is not an NSID"));
                        }
                    }
                    permissions.push((perm.resource.clone(), targets.clone()));
                }
                other => self.err(
                    &pctx.key("type"),
                    format!(
                        "permission-set entries must be permissions, found {}",
                        other.type_name()
                    ),
                ),
            }
        }
        self.ir.lexicons[ctx.lex].permission_set = Some(PermissionSetIr {
            name: "PERMISSION_SET".into(),
            title: p.title.clone(),
            detail: p.detail.clone(),
            permissions,
        });
    }
}

/// `type/subtype`, `type/*` or `*/*`; no partial globs, no bare `*`.
fn valid_accept(pattern: &str) -> bool {
    let token = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$&-^_.+".contains(&b))
    };
    match pattern.split_once('/') {
        Some(("*", "*")) => true,
        Some((ty, "*")) => token(ty),
        Some((ty, sub)) => token(ty) && token(sub),
        None => false,
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

#[cfg(test)]
mod tests {
    use super::valid_accept;

    #[test]
    fn accept_patterns() {
        for ok in ["image/png", "image/*", "*/*", "video/mp4"] {
            assert!(valid_accept(ok), "{ok}");
        }
        for bad in ["*", "image/png*", "image", "/png", "im age/png"] {
            assert!(!valid_accept(bad), "{bad}");
        }
    }
}
