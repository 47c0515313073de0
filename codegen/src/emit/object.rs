//! Structs: objects, records, params and XRPC bodies. Each gets its fields
//! plus a map of unknown fields (written back unchanged), hand-rolled serde
//! impls through the runtime (no serde_derive: faster builds, exact control
//! over `$type`, null vs absent and error paths), and `Validate`.

use super::context::option_depth;
use super::slots;
use super::ty::{doc_attrs, ident, param};
use super::CodeGenerator;
use crate::ir::{ObjectIr, ObjectRole, Shape, TypeId};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

impl CodeGenerator<'_> {
    /// Emits a struct and its impls.
    pub fn object(&self, id: TypeId, obj: &ObjectIr) -> TokenStream {
        let def = self.ir.ty(id);
        let name = ident(&def.name);
        let doc = doc_attrs(def.doc.as_deref());
        let extra = ident(&obj.extra_name);
        let record_type = match &obj.role {
            ObjectRole::Record { .. } => Some(def.type_tag.clone()),
            _ => None,
        };

        let field_decls = obj.fields.iter().map(|f| {
            let fname = ident(&f.name);
            let ty = self.field_type(f);
            let mut doc_text = f.doc.clone().unwrap_or_default();
            if let Some(default) = &f.default {
                if !doc_text.is_empty() {
                    doc_text.push_str("\n\n");
                }
                doc_text.push_str(&format!("Default: `{default}`."));
            }
            let doc = doc_attrs(Some(&doc_text));
            quote!(#doc pub #fname: #ty,)
        });
        // The fields' slots: the runtime reads into them by index in `KEYS`.
        let (builder, slot_paths) = slots::layout(
            obj.fields
                .iter()
                .map(|f| {
                    let ty = self.field_slot_type(f);
                    quote!(Option<#ty>)
                })
                .collect(),
        );
        let keys = obj.fields.iter().map(|f| &f.wire);
        let keys = (!obj.fields.is_empty())
            .then(|| quote!(const KEYS: &'static [&'static str] = &[#(#keys),*];));
        // Required fields are taken out of their slots in order, so the
        // first absent one is named. The locals are numbered: a field's own
        // name could shadow `b` or `extra`.
        let mut takes = Vec::new();
        let finish_fields: Vec<TokenStream> = obj
            .fields
            .iter()
            .zip(&slot_paths)
            .enumerate()
            .map(|(i, (f, at))| {
                let fname = ident(&f.name);
                let slot = if f.required {
                    let (local, wire) = (format_ident!("v{i}"), &f.wire);
                    takes.push(quote!(let Some(#local) = b #at else { return Err(#wire); };));
                    quote!(#local)
                } else {
                    quote!(b #at)
                };
                let value = self.boxed_value(f, &slot);
                quote!(#fname: #value,)
            })
            .collect();
        let b = param("b", !obj.fields.is_empty());
        let extra_init = if obj.extra_name == "extra" {
            quote!(extra)
        } else {
            quote!(#extra: extra)
        };
        // One call per field in a chain (see the runtime's `object`).
        let ser_fields = obj.fields.iter().map(|f| {
            let fname = ident(&f.name);
            let wire = &f.wire;
            if f.required {
                quote!(.req(#wire, &self.#fname))
            } else {
                quote!(.opt(#wire, &self.#fname))
            }
        });
        let nested: Vec<TokenStream> = obj
            .fields
            .iter()
            .filter(|f| needs_validate(&f.shape))
            .map(|f| {
                let fname = ident(&f.name);
                let wire = &f.wire;
                // `Box<T>` is not `Validate` (see the runtime's blanket impl).
                if !f.boxed {
                    return quote!(.at(#wire, &self.#fname));
                }
                match option_depth(f) {
                    0 => quote!(.at(#wire, &*self.#fname)),
                    1 => quote!(.boxed(#wire, self.#fname.as_deref())),
                    _ => quote!(.boxed(#wire, self.#fname.as_ref().and_then(|v| v.as_deref()))),
                }
            })
            .collect();
        let validate_nested = (!nested.is_empty()).then(|| {
            quote! {
                fn validate_nested(&self, path: &validate::Path<'_>) -> validate::Result {
                    de::ValidateFields::new(path) #(#nested)* .end()
                }
            }
        });
        let checks: Vec<TokenStream> = obj
            .fields
            .iter()
            .filter_map(|f| self.field_check(f))
            .collect();
        let check_fn = (!checks.is_empty()).then(|| {
            quote! {
                fn check(&self, path: &validate::Path<'_>) -> validate::Result {
                    #(#checks)*
                    Ok(())
                }
            }
        });
        let (record_const, nsid_const) = match &record_type {
            Some(tag) => (
                Some(quote!(const RECORD_TYPE: Option<&'static str> = Some(#tag);)),
                Some(quote! {
                    impl #name {
                        /// The record's NSID (its collection, and its `$type`).
                        pub const NSID: &'static str = #tag;
                    }
                }),
            ),
            None => (None, None),
        };
        let params = (obj.role == ObjectRole::Params).then(|| self.query_params(id, obj));
        let extra_doc = match obj.role {
            ObjectRole::Params => PARAMS_EXTRA_DOC,
            _ => " Fields not described by the lexicon, kept so that data survives a round trip.",
        };
        let api = self.object_api(id, obj);

        // `Debug` comes with `object_impls!`, from the serialization.
        quote! {
            #doc
            #[derive(Clone, PartialEq)]
            #[non_exhaustive]
            pub struct #name {
                #(#field_decls)*
                #[doc = #extra_doc]
                pub #extra: types::Extra,
            }

            #nsid_const

            impl de::Object for #name {
                type Builder = #builder;
                #keys
                #record_const
                fn finish(#b: Self::Builder, extra: types::Extra) -> Result<Self, &'static str> {
                    #(#takes)*
                    Ok(Self { #(#finish_fields)* #extra_init })
                }
                fn write<M: de::SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
                    de::WriteFields::new(map) #(#ser_fields)* .extra(&self.#extra)
                }
                #check_fn
                #validate_nested
            }

            types::object_impls!(#name);

            #params
            #api
        }
    }
}

/// The doc of `extra` on query params: what the field means on the wire.
const PARAMS_EXTRA_DOC: &str = " Query parameters the lexicon does not describe: sent after the \
lexicon's by the clients (see `xrpc::ExtraParams`), and filled from the unknown parameters of a \
parsed query string.";

/// Whether values of this shape can be invalid once built (named types and
/// `unknown` can; scalars and formats are valid by construction, and their
/// field rules are in `Object::check`).
fn needs_validate(shape: &Shape) -> bool {
    match shape {
        Shape::Named(_) | Shape::Unknown => true,
        // A named def with rules is a newtype that validates itself.
        Shape::Alias { target, .. } => target.has_rules() || needs_validate(target),
        Shape::Array { items, .. } => needs_validate(items),
        _ => false,
    }
}

impl CodeGenerator<'_> {
    /// `QueryParams` for a params struct: fields in lexicon order.
    fn query_params(&self, id: TypeId, obj: &ObjectIr) -> TokenStream {
        let name = self.type_path(id);
        let pairs = obj.fields.iter().map(|f| {
            let fname = ident(&f.name);
            let wire = &f.wire;
            // XRPC: schema defaults are sent explicitly.
            let default = f.default.as_ref().filter(|_| !f.required).map(|d| match d {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            });
            match default {
                Some(default) => quote!(.or(#wire, &self.#fname, #default)),
                None => quote!(.add(#wire, &self.#fname)),
            }
        });
        let body = quote!(xrpc::QueryPairs::new() #(#pairs)* .end());
        let extra = ident(&obj.extra_name);
        quote! {
            impl xrpc::QueryParams for #name {
                fn to_query_pairs(&self) -> Vec<(&'static str, String)> {
                    #body
                }
                fn extra_params(&self) -> Option<&dyn xrpc::ExtraParams> {
                    Some(&self.#extra)
                }
            }
        }
    }
}
