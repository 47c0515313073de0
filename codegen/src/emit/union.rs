//! Unions: an enum keyed by `$type`, each variant boxed (variants can be
//! large, and boxing breaks reference cycles). Open unions keep a value of
//! an unknown `$type` whole in a fallback variant; closed ones reject it.

use super::ty::{doc_attrs, ident};
use super::CodeGenerator;
use crate::ir::{TypeId, UnionIr};
use proc_macro2::TokenStream;
use quote::quote;

impl CodeGenerator<'_> {
    /// Emits a union enum and its impls.
    pub fn union(&self, id: TypeId, union: &UnionIr) -> TokenStream {
        let def = self.ir.ty(id);
        let name = ident(&def.name);
        let doc = doc_attrs(def.doc.as_deref());
        let closed = union.closed;
        let unknown = ident(&union.unknown_name);

        let variants = union.variants.iter().map(|v| {
            let vname = ident(&v.name);
            let ty = self.type_path(v.target);
            let tag_doc = format!(" `$type`: `{}`.", v.type_tag);
            quote!(#[doc = #tag_doc] #vname(Box<#ty>),)
        });
        let fallback = (!closed).then(|| {
            quote! {
                /// A value whose `$type` this version of the lexicons does not know, kept whole.
                #unknown(types::UnknownObject),
            }
        });
        let impl_args = union.variants.iter().map(|v| {
            let vname = ident(&v.name);
            let tag = &v.type_tag;
            quote!(#vname #tag,)
        });
        // An empty closed union is rejected when resolving; an empty open one
        // holds only the fallback.
        let kind = if closed {
            quote!(closed)
        } else {
            quote!(open #unknown)
        };
        let from = self.union_from(id, union);
        // An open union may gain members (Lexicon evolution).
        let non_exhaustive = (!closed).then(|| quote!(#[non_exhaustive]));

        quote! {
            #doc
            #[derive(Clone, PartialEq)]
            #non_exhaustive
            pub enum #name {
                #(#variants)*
                #fallback
            }

            types::union_impls!(#name { #(#impl_args)* } #kind);

            #from
        }
    }
}
