//! Constraint checks: ranges, lengths, formats, and values that must satisfy them.

use super::*;

impl Resolver<'_> {
    /// `default`, `const` and `enum` values must satisfy the other rules: a
    /// default the generated type rejects, or an enum nothing can match,
    /// would make the lexicon contradict itself.
    pub(super) fn check_integer_values(&mut self, ctx: &Ctx, i: &IntegerSchema) {
        if i.enum_.as_ref().is_some_and(Vec::is_empty) {
            self.err(&ctx.key("enum"), "`enum` is empty, so no value is valid");
        }
        let in_range = |v: i64| {
            i.minimum.map_or(true, |min| v >= min) && i.maximum.map_or(true, |max| v <= max)
        };
        // (where, field name, value); `enum` entries need not be in `enum`.
        let mut values: Vec<(JsonPath, &str, i64)> = Vec::new();
        values.extend(i.default.map(|v| (ctx.path.key("default"), "default", v)));
        values.extend(i.const_.map(|v| (ctx.path.key("const"), "const", v)));
        for (n, v) in i.enum_.iter().flatten().enumerate() {
            values.push((ctx.path.key("enum").index(n), "enum", *v));
        }
        for (path, key, v) in values {
            let in_enum = key == "enum" || i.enum_.as_ref().map_or(true, |e| e.contains(&v));
            let problem = if !in_range(v) {
                Some(format!(
                    "`{key}` {v} is outside the allowed range ({})",
                    [
                        i.minimum.map(|m| format!("minimum {m}")),
                        i.maximum.map(|m| format!("maximum {m}")),
                    ]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(", ")
                ))
            } else if !in_enum {
                Some(format!("`{key}` {v} is not one of the `enum` values"))
            } else {
                None
            };
            if let Some(problem) = problem {
                self.error(ctx.lex, path, problem, None);
            }
        }
    }

    pub(super) fn check_string_values(&mut self, ctx: &Ctx, s: &StringSchema) {
        if s.enum_.as_ref().is_some_and(Vec::is_empty) {
            self.err(&ctx.key("enum"), "`enum` is empty, so no value is valid");
        }
        let fixed = [("default", &s.default), ("const", &s.const_)];
        for (key, value) in fixed {
            let Some(value) = value else { continue };
            let shown = crate::lexicon::quote_short(value);
            let len = value.len() as u64;
            let problem = if s.enum_.as_ref().is_some_and(|e| !e.contains(value)) {
                Some(format!("`{key}` {shown} is not one of the `enum` values"))
            } else if let Some(max) = s.max_length.filter(|&max| len > max) {
                Some(format!(
                    "`{key}` {shown} is {len} bytes long, more than `maxLength` {max}"
                ))
            } else {
                s.min_length.filter(|&min| len < min).map(|min| {
                    format!("`{key}` {shown} is {len} bytes long, less than `minLength` {min}")
                })
            };
            if let Some(problem) = problem {
                self.err(&ctx.key(key), problem);
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
    ) -> (Option<Format>, StringRules) {
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
        self.check_string_values(ctx, s);
        let rules = StringRules {
            min_length: s.min_length,
            max_length: s.max_length,
            min_graphemes: s.min_graphemes,
            max_graphemes: s.max_graphemes,
            const_: s.const_.clone(),
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
