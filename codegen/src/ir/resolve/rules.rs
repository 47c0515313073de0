//! Constraint checks: ranges, lengths, formats, and values that must satisfy them.

use super::*;
use crate::runtime::validate::Path::Root;

impl Resolver<'_> {
    /// `default`, `const` and `enum` values must satisfy the other rules: a
    /// default the generated type rejects, or an enum nothing can match,
    /// would make the lexicon contradict itself. Checked with the runtime's
    /// own rule functions, so the verdict is the generated types' verdict.
    pub(super) fn check_integer_values(&mut self, ctx: &Ctx, i: &IntegerSchema) {
        use crate::runtime::validate::{check_integer, IntegerRules as Rules};
        if i.enum_.as_ref().is_some_and(Vec::is_empty) {
            self.err(&ctx.key("enum"), "`enum` is empty, so no value is valid");
        }
        let range = Rules {
            minimum: i.minimum,
            maximum: i.maximum,
            ..Rules::default()
        };
        let fixed = Rules {
            enum_: i.enum_.as_deref().map(Cow::Borrowed),
            ..range.clone()
        };
        let mut values: Vec<(JsonPath, &str, i64, &Rules)> = Vec::new();
        values.extend(
            i.default
                .map(|v| (ctx.path.key("default"), "default", v, &fixed)),
        );
        values.extend(
            i.const_
                .map(|v| (ctx.path.key("const"), "const", v, &fixed)),
        );
        let mut seen = BTreeSet::new();
        for (n, v) in i.enum_.iter().flatten().enumerate() {
            let path = ctx.path.key("enum").index(n);
            if seen.insert(*v) {
                values.push((path, "enum", *v, &range));
            } else {
                let message = format!("{v} is listed twice in `enum`");
                self.error(ctx.lex, path, message, Some("remove the second one".into()));
            }
        }
        for (path, key, v, rules) in values {
            if let Err(e) = check_integer(v, rules, &Root) {
                let message = format!("`{key}` {v} breaks the schema's own rule: {}", e.rule());
                self.error(ctx.lex, path, message, None);
            }
        }
    }

    /// The string counterpart of [`Self::check_integer_values`]: `enum`
    /// values must pass the format, length and grapheme rules; `default` and
    /// `const` those and the `enum`.
    pub(super) fn check_string_values(
        &mut self,
        ctx: &Ctx,
        s: &StringSchema,
        format: Option<Format>,
    ) {
        use crate::runtime::validate::{check_formatted, StringRules as Rules};
        if s.enum_.as_ref().is_some_and(Vec::is_empty) {
            self.err(&ctx.key("enum"), "`enum` is empty, so no value is valid");
        }
        let enum_: Option<Vec<Cow<str>>> = s
            .enum_
            .as_ref()
            .map(|e| e.iter().map(|v| Cow::Borrowed(v.as_str())).collect());
        let shape = Rules {
            min_length: s.min_length,
            max_length: s.max_length,
            min_graphemes: s.min_graphemes,
            max_graphemes: s.max_graphemes,
            ..Rules::default()
        };
        let fixed = Rules {
            enum_: enum_.as_deref().map(Cow::Borrowed),
            ..shape.clone()
        };
        let mut values: Vec<(JsonPath, &str, &str, &Rules)> = Vec::new();
        values.extend(
            s.default
                .as_deref()
                .map(|v| (ctx.path.key("default"), "default", v, &fixed)),
        );
        values.extend(
            s.const_
                .as_deref()
                .map(|v| (ctx.path.key("const"), "const", v, &fixed)),
        );
        for (n, v) in s.enum_.iter().flatten().enumerate() {
            values.push((ctx.path.key("enum").index(n), "enum", v.as_str(), &shape));
        }
        for (path, key, v, rules) in values {
            if let Err(e) = check_formatted(v, format, rules, &Root) {
                let shown = crate::lexicon::quote_short(v);
                let message = format!("`{key}` {shown} breaks the schema's own rule: {}", e.rule());
                self.error(ctx.lex, path, message, None);
            }
        }
    }

    pub(super) fn length_rules(
        &mut self,
        ctx: &Ctx,
        min: Option<u64>,
        max: Option<u64>,
    ) -> LengthRules {
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

    pub(super) fn string_rules(
        &mut self,
        ctx: &Ctx,
        s: &StringSchema,
    ) -> (Option<Format>, StringRules<'static>) {
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
        self.check_string_values(ctx, s, format);
        let rules = StringRules {
            min_length: s.min_length,
            max_length: s.max_length,
            min_graphemes: s.min_graphemes,
            max_graphemes: s.max_graphemes,
            const_: s.const_.clone().map(Cow::Owned),
            enum_: None,
        };
        (format, rules)
    }
}

/// `type/subtype`, `type/*` or `*/*`; no partial globs, no bare `*`.
pub(super) fn valid_accept(pattern: &str) -> bool {
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

#[cfg(test)]
mod tests {
    use super::valid_accept;

    #[test]
    pub(super) fn accept_patterns() {
        for ok in ["image/png", "image/*", "*/*", "video/mp4"] {
            assert!(valid_accept(ok), "{ok}");
        }
        for bad in ["*", "image/png*", "image", "/png", "im age/png"] {
            assert!(!valid_accept(bad), "{bad}");
        }
    }
}
