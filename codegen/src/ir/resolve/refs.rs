//! References and unions (§3, §4): lookup with suggestions, cycles through aliases.

use super::*;

/// The longest chain of non-object defs (arrays, strings, ... referring to
/// each other) that is accepted, as the JSON nesting depth is limited.
pub const MAX_ALIAS_DEPTH: usize = 32;

impl Resolver<'_> {
    pub(super) fn union(&mut self, ctx: &Ctx, u: &UnionSchema) -> UnionIr {
        let closed = u.closed.unwrap_or(false);
        if closed && u.refs.is_empty() {
            self.error(
                ctx.lex,
                ctx.path.key("refs"),
                "a closed union needs at least one ref; with none, no value is valid",
                Some("list the variants in `refs`, or drop `closed` to accept any object with a `$type`".into()),
            );
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
                let found = self.def_type_name(&target).unwrap_or("other");
                self.error(
                    rctx.lex,
                    rctx.path.clone(),
                    format!("union variant {reference:?} is {} {found}; variants must be objects or records", article(found)),
                    Some("wrap the value in an object def and list that instead".into()),
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

    /// The lexicon type of the def a reference resolved to.
    pub(super) fn def_type_name(&self, target: &RefTarget) -> Option<&'static str> {
        let lex = *self.by_nsid.get(&target.nsid)?;
        Some(self.files.get(lex)?.doc.defs.get(&target.def)?.type_name())
    }

    pub(super) fn is_object_def(&self, target: &RefTarget) -> bool {
        let Some(&lex) = self.by_nsid.get(&target.nsid) else {
            return false;
        };
        matches!(
            self.files[lex].doc.defs.get(&target.def),
            Some(Schema::Object(_) | Schema::Record(_))
        )
    }

    /// Resolves a reference to a def type, reporting what is wrong.
    pub(super) fn lookup(
        &mut self,
        ctx: &Ctx,
        reference: &str,
        current: &str,
    ) -> Option<(RefTarget, TypeId)> {
        let target = match parse_ref(reference, current) {
            Ok(t) => t,
            Err(e) => {
                self.err(ctx, e);
                return None;
            }
        };
        let Some(&lex) = self.by_nsid.get(&target.nsid) else {
            if self.unparsed.contains(&target.nsid) {
                return None;
            }
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
                self.error(
                    ctx.lex,
                    ctx.path.clone(),
                    format!("reference {reference:?} points at a token; tokens are string values, not types"),
                    Some(format!("use {{ \"type\": \"string\", \"knownValues\": [\"{}\"] }} instead of a ref", target.type_tag())),
                );
                None
            }
            Some(DefEntry::Primary(kind)) => {
                self.error(
                    ctx.lex,
                    ctx.path.clone(),
                    format!(
                        "reference {reference:?} points at {} {kind}, which cannot be referenced",
                        article(kind)
                    ),
                    Some("only data types can be referenced; move the schema you need into an object def and ref that".into()),
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

    pub(super) fn reference(&mut self, ctx: &Ctx, reference: &str) -> Shape {
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
                    self.error(
                        ctx.lex,
                        ctx.path.clone(),
                        format!(
                            "reference {reference:?} makes a cycle through non-object definitions, which would be an infinitely nested type"
                        ),
                        Some("put an object def somewhere on the cycle: objects can refer to themselves".into()),
                    );
                    return Shape::Unknown;
                }
                // Each alias is defined on first use, recursively: bound the
                // depth so that a chain of 100,000 aliases is an error, not a
                // stack overflow (and no shape nests deeper than this).
                if self.alias_depth >= MAX_ALIAS_DEPTH {
                    // Once per file: a long chain would hit the limit at
                    // every 32nd link.
                    if !self.too_deep_reported.insert(ctx.lex) {
                        return Shape::Unknown;
                    }
                    self.error(
                        ctx.lex,
                        ctx.path.clone(),
                        format!("reference {reference:?} is the end of a chain of more than {MAX_ALIAS_DEPTH} non-object definitions, each referring to the next"),
                        Some("lexicons are never this deep; refer to an object def somewhere on the chain".into()),
                    );
                    return Shape::Unknown;
                }
                self.alias_depth += 1;
                self.define(lex, &target.def);
                self.alias_depth -= 1;
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
}
