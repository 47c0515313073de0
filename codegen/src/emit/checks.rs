//! Field-level constraint checks (`check_fields`): the rules of a field's
//! own value. Named types check themselves (a named `string` or `array` def
//! with rules is a newtype, see `alias`), so only scalars and arrays appear
//! here. The rule functions live in the runtime's
//! `validate` module, shared with `lexgen validate`.

use super::ty::{opt_i64, opt_str, opt_str_list, opt_u64};
use super::CodeGenerator;
use crate::ir::{Field, IntegerRules, Shape, StringRules};
use proc_macro2::{Literal, TokenStream};
use quote::quote;

impl CodeGenerator<'_> {
    /// A `validate::StringRules` literal.
    pub fn string_rules(&self, rules: &StringRules) -> TokenStream {
        let rt = &self.rt;
        let min_length = opt_u64(rules.min_length);
        let max_length = opt_u64(rules.max_length);
        let min_graphemes = opt_u64(rules.min_graphemes);
        let max_graphemes = opt_u64(rules.max_graphemes);
        let const_ = opt_str(rules.const_.as_deref());
        quote! {
            #rt::validate::StringRules {
                min_length: #min_length,
                max_length: #max_length,
                min_graphemes: #min_graphemes,
                max_graphemes: #max_graphemes,
                const_: #const_,
                enum_: ::std::option::Option::None,
            }
        }
    }

    fn integer_rules(&self, rules: &IntegerRules) -> TokenStream {
        let rt = &self.rt;
        let minimum = opt_i64(rules.minimum);
        let maximum = opt_i64(rules.maximum);
        let const_ = opt_i64(rules.const_);
        let enum_ = match &rules.enum_ {
            Some(list) => {
                let lits = list.iter().map(|n| Literal::i64_unsuffixed(*n));
                quote!(::std::option::Option::Some(&[#(#lits),*]))
            }
            None => quote!(::std::option::Option::None),
        };
        quote! {
            #rt::validate::IntegerRules { minimum: #minimum, maximum: #maximum, enum_: #enum_, const_: #const_ }
        }
    }

    /// Statements checking the value `v` (a reference) of this shape at `path`,
    /// or `None` when the shape has no rules of its own ([`Shape::has_rules`]).
    pub fn shape_check(&self, shape: &Shape, v: &TokenStream) -> Option<TokenStream> {
        if !shape.has_rules() {
            return None;
        }
        let rt = &self.rt;
        match shape {
            Shape::Boolean { const_: Some(c) } => Some(quote! {
                #rt::validate::check_bool(*#v, ::std::option::Option::Some(#c), &path)?;
            }),
            Shape::Integer(rules) => {
                let rules = self.integer_rules(rules);
                Some(quote!(#rt::validate::check_integer(*#v, &#rules, &path)?;))
            }
            Shape::String { rules, .. } => {
                let rules = self.string_rules(rules);
                Some(quote!(#rt::validate::check_string(#v.as_str(), &#rules, &path)?;))
            }
            Shape::Bytes(r) => {
                let (min, max) = (opt_u64(r.min), opt_u64(r.max));
                Some(quote!(#rt::validate::check_length(#v.0.len(), #min, #max, "bytes", &path)?;))
            }
            Shape::Blob(r) => {
                let accept = opt_str_list(r.accept.as_deref());
                let max = opt_u64(r.max_size);
                Some(
                    quote!(#rt::validate::check_blob(&#v.mime_type, #v.size, #accept, #max, &path)?;),
                )
            }
            Shape::Array { items, rules } => {
                let length = (rules.min.is_some() || rules.max.is_some()).then(|| {
                    let (min, max) = (opt_u64(rules.min), opt_u64(rules.max));
                    quote!(#rt::validate::check_length(#v.len(), #min, #max, "elements", &path)?;)
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
            (true, true) | (false, false) => quote!(::std::option::Option::Some(v)),
            (false, true) => quote!(::std::option::Option::Some(::std::option::Option::Some(v))),
        };
        Some(quote! {
            if let #pattern = &self.#name {
                let path = path.key(#wire);
                #check
            }
        })
    }
}
