//! Field-level constraint checks (`Object::check`): the rules of a field's
//! own value. Named types check themselves (a named `string` or `array` def
//! with rules is a newtype, see `alias`), so only scalars and arrays appear
//! here. The rule functions live in the runtime's
//! `validate` module, shared with `lexgen validate`.

use super::CodeGenerator;
use crate::ir::{BlobRules, Field, IntegerRules, LengthRules, Shape, StringRules};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote, ToTokens};
use std::borrow::Cow;

/// `name: Some(value)` for each rule that is set.
type Set = Vec<(&'static str, TokenStream)>;

fn u64s(set: &mut Set, rules: &[(&'static str, Option<u64>)]) {
    for (name, v) in rules {
        if let Some(v) = v {
            set.push((name, Literal::u64_unsuffixed(*v).into_token_stream()));
        }
    }
}

fn i64s(set: &mut Set, rules: &[(&'static str, Option<i64>)]) {
    for (name, v) in rules {
        if let Some(v) = v {
            set.push((name, Literal::i64_unsuffixed(*v).into_token_stream()));
        }
    }
}

/// `Cow::Borrowed(&["a", "b"])` for a list of strings.
fn str_list(list: &[Cow<'_, str>]) -> TokenStream {
    let items = list.iter().map(|s| {
        let s = s.as_ref();
        quote!(::std::borrow::Cow::Borrowed(#s))
    });
    quote!(::std::borrow::Cow::Borrowed(&[#(#items),*]))
}

impl CodeGenerator<'_> {
    /// A rules value of the runtime type `ty` (which has `fields` fields):
    /// the rules that are set, the others from `ty::NONE` (short to read,
    /// little to compile).
    fn rules_literal(&self, ty: &str, fields: usize, set: Set) -> TokenStream {
        let ty = format_ident!("{ty}");
        let rest = (set.len() < fields).then(|| quote!(.. validate::#ty::NONE));
        let set = set.into_iter().map(|(name, value)| {
            let name = format_ident!("{name}");
            quote!(#name: Some(#value),)
        });
        quote!(validate::#ty { #(#set)* #rest })
    }

    /// A `validate::StringRules` value.
    pub fn string_rules(&self, rules: &StringRules) -> TokenStream {
        let mut set = Set::new();
        u64s(
            &mut set,
            &[
                ("min_length", rules.min_length),
                ("max_length", rules.max_length),
                ("min_graphemes", rules.min_graphemes),
                ("max_graphemes", rules.max_graphemes),
            ],
        );
        if let Some(c) = &rules.const_ {
            let c = c.as_ref();
            set.push(("const_", quote!(::std::borrow::Cow::Borrowed(#c))));
        }
        if let Some(list) = &rules.enum_ {
            set.push(("enum_", str_list(list)));
        }
        self.rules_literal("StringRules", 6, set)
    }

    fn integer_rules(&self, rules: &IntegerRules) -> TokenStream {
        let mut set = Set::new();
        i64s(
            &mut set,
            &[("minimum", rules.minimum), ("maximum", rules.maximum)],
        );
        if let Some(list) = &rules.enum_ {
            let lits = list.iter().map(|n| Literal::i64_unsuffixed(*n));
            set.push(("enum_", quote!(::std::borrow::Cow::Borrowed(&[#(#lits),*]))));
        }
        i64s(&mut set, &[("const_", rules.const_)]);
        self.rules_literal("IntegerRules", 4, set)
    }

    fn length_rules(&self, rules: &LengthRules) -> TokenStream {
        let mut set = Set::new();
        u64s(&mut set, &[("min", rules.min), ("max", rules.max)]);
        self.rules_literal("LengthRules", 2, set)
    }

    fn blob_rules(&self, rules: &BlobRules) -> TokenStream {
        let mut set = Set::new();
        if let Some(list) = &rules.accept {
            set.push(("accept", str_list(list)));
        }
        u64s(&mut set, &[("max_size", rules.max_size)]);
        self.rules_literal("BlobRules", 2, set)
    }

    /// Statements checking the value `v` (a reference) of this shape at `path`,
    /// or `None` when the shape has no rules of its own ([`Shape::has_rules`]).
    pub fn shape_check(&self, shape: &Shape, v: &TokenStream) -> Option<TokenStream> {
        if !shape.has_rules() {
            return None;
        }
        match shape {
            Shape::Boolean { const_: Some(c) } => Some(quote! {
                validate::check_bool(*#v, Some(#c), &path)?;
            }),
            Shape::Integer(rules) => {
                let rules = self.integer_rules(rules);
                Some(quote!(validate::check_integer(*#v, &#rules, &path)?;))
            }
            Shape::String { rules, .. } => {
                let rules = self.string_rules(rules);
                Some(quote!(validate::check_string(#v.as_str(), &#rules, &path)?;))
            }
            Shape::Bytes(r) => {
                let rules = self.length_rules(r);
                Some(quote!(validate::check_length(#v.0.len(), &#rules, "bytes", &path)?;))
            }
            Shape::Blob(r) => {
                let rules = self.blob_rules(r);
                Some(quote!(validate::check_blob(&#v.mime_type, #v.size, &#rules, &path)?;))
            }
            Shape::Array { items, rules } => {
                let length = (!rules.is_empty()).then(|| {
                    let rules = self.length_rules(rules);
                    quote!(validate::check_length(#v.len(), &#rules, "elements", &path)?;)
                });
                let item = self.shape_check(items, &quote!(item)).map(|check| {
                    quote! {
                        for (i, item) in #v.iter().enumerate() {
                            let path = path.index(i);
                            #check
                        }
                    }
                });
                Some(quote!(#length #item))
            }
            _ => None,
        }
    }

    /// The check block for one struct field (handling `Option`s), if any.
    pub fn field_check(&self, field: &Field) -> Option<TokenStream> {
        if field.boxed {
            // Only named types are boxed, and they check themselves.
            return None;
        }
        let check = self.shape_check(&field.shape, &quote!(v))?;
        let name = super::ty::ident(&field.name);
        let wire = &field.wire;
        let pattern = match (field.required, field.nullable) {
            (true, false) => {
                return Some(quote!({ let v = &self.#name; let path = path.key(#wire); #check }))
            }
            (true, true) | (false, false) => quote!(Some(v)),
            (false, true) => quote!(Some(Some(v))),
        };
        Some(quote! {
            if let #pattern = &self.#name {
                let path = path.key(#wire);
                #check
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::ir::{LengthRules, StringRules};
    use crate::runtime::validate::{check_length, check_string, Path};
    use std::borrow::Cow;

    #[test]
    fn the_ir_holds_the_runtime_rules_and_hands_them_over_as_they_are() {
        // Owned, as the resolver builds them from a lexicon.
        let rules: StringRules<'static> = StringRules {
            max_length: Some(3),
            const_: Some(Cow::Owned("ab".to_string())),
            ..StringRules::NONE
        };
        let err = check_string("abcd", &rules, &Path::Root).expect_err("too long");
        assert_eq!(err.rule(), "maxLength 3, got 4 (UTF-8 bytes)");
        let err = check_string("abc", &rules, &Path::Root).expect_err("not the const");
        assert_eq!(err.rule(), "const \"ab\", got \"abc\"");
        assert!(!rules.is_empty() && StringRules::NONE.is_empty());
        let length = LengthRules {
            min: Some(1),
            ..LengthRules::NONE
        };
        let err = check_length(0, &length, "elements", &Path::Root).expect_err("too short");
        assert_eq!(err.rule(), "minLength 1, got 0 elements");
    }
}
