//! Primary types beyond records' objects: XRPC endpoints, bodies, record keys, permission sets.

use super::*;

impl Resolver<'_> {
    pub(super) fn check_record_key(&mut self, ctx: &Ctx, key: Option<&str>) {
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
    pub(super) fn endpoint(
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
        // The marker is a unit struct, so it is also a value: it must not
        // take the name of a token's constant (`com.example.a` and token `a`).
        let base = ident(nsid.rsplit('.').next().unwrap_or("Endpoint"), Case::Type);
        let mut endpoint_name = self.type_scopes[lex].claim_ident(base.clone());
        while self.const_scopes[lex].contains(&endpoint_name) {
            endpoint_name = self.type_scopes[lex].claim_ident(base.clone());
        }
        self.const_scopes[lex].claim_ident(endpoint_name.clone());
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
                        other.described()
                    ),
                );
                None
            }
        });
        let input = input.map(|b| self.body(&ctx.key("input"), "Input", b));
        let output = output.map(|b| self.body(&ctx.key("output"), "Output", b));
        let has_message = message.is_some();
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
                            other.described()
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
        if kind == EndpointKind::Subscription && !has_message {
            self.err(
                &ctx.key("type"),
                "a subscription needs a `message` whose `schema` is a union of refs",
            );
        }
        let mut scope = Scope::with_reserved(&["Other"]);
        let mut variants = Vec::new();
        for (i, e) in errors.iter().enumerate() {
            if e.name.is_empty() || e.name.chars().any(|c| c.is_whitespace() || !c.is_ascii()) {
                let fixed: String = e.name.chars().filter(char::is_ascii_graphic).collect();
                self.error(
                    lex,
                    ctx.path.key("errors").index(i).key("name"),
                    format!(
                        "error name {} must be non-empty ASCII without whitespace",
                        crate::lexicon::quote_short(&e.name)
                    ),
                    (!fixed.is_empty()).then(|| format!("write {fixed:?}")),
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

    pub(super) fn body(&mut self, ctx: &Ctx, name: &str, body: &Body) -> BodyIr {
        if body.encoding.is_empty() || !body.encoding.contains('/') {
            let help = match body.encoding.as_str() {
                "json" | "JSON" => "write \"application/json\"",
                _ => "use a MIME type such as \"application/json\" or \"*/*\"",
            };
            self.error(
                ctx.lex,
                ctx.path.key("encoding"),
                format!(
                    "`encoding` {} is not a MIME type",
                    crate::lexicon::quote_short(&body.encoding)
                ),
                Some(help.into()),
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
                            other.described()
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

    pub(super) fn permission_set(&mut self, ctx: &Ctx, p: &PermissionSetSchema) {
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
                        other.described()
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
