//! The construction API of structs and unions: `new(required…)`, `with_…`
//! setters, `Default` when nothing is required, and `From`
//! for each union member. One macro call per type: the bodies live once in
//! the runtime (`construct.rs`), so the generated crate grows by about a line
//! per field.

use super::ty::ident;
use super::CodeGenerator;
use crate::ir::{ObjectIr, ObjectRole, TypeId, UnionIr};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

impl CodeGenerator<'_> {
    /// The constructor and setters of a struct.
    pub fn object_api(&self, id: TypeId, obj: &ObjectIr) -> TokenStream {
        let name = ident(&self.ir.ty(id).name);
        let extra = ident(&obj.extra_name);
        let required = obj.fields.iter().filter(|f| f.required).map(|f| {
            let fname = ident(&f.name);
            let ty = self.field_type(f);
            quote!(#fname: #ty,)
        });
        let optional = obj.fields.iter().filter(|f| !f.required).map(|f| {
            let fname = ident(&f.name);
            let with = format_ident!("with_{}", setter_stem(obj, &f.name));
            let ty = self.field_read_type(f);
            quote!(#fname #with: #ty,)
        });
        let collection = matches!(obj.role, ObjectRole::Record { .. }).then(|| {
            quote! {
                impl #name {
                    /// The record's collection, [`Self::NSID`] as an `Nsid`.
                    pub fn collection() -> formats::Nsid {
                        formats::Nsid::of_lexicon(Self::NSID)
                    }
                }
            }
        });
        let default = obj
            .fields
            .iter()
            .all(|f| !f.required)
            .then(|| quote!(types::default_new!(#name);));
        quote! {
            types::object_api!(#name { #(#required)* } { #(#optional)* } #extra);
            #default
            #collection
        }
    }

    /// `From` for each member of a union.
    pub fn union_from(&self, id: TypeId, union: &UnionIr) -> TokenStream {
        let name = ident(&self.ir.ty(id).name);
        let variants = union.variants.iter().map(|v| {
            let vname = ident(&v.name);
            let ty = self.type_path(v.target);
            quote!(#vname: #ty,)
        });
        quote!(types::union_from!(#name { #(#variants)* });)
    }
}

/// A keyword field's name without its escape (`type_` is set by
/// `with_type`), unless another field already has that name.
fn setter_stem<'a>(obj: &ObjectIr, name: &'a str) -> &'a str {
    match name.strip_suffix('_') {
        Some(stem) if !obj.fields.iter().any(|f| f.name == stem) => stem,
        _ => name,
    }
}
