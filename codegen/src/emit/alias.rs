//! Named defs of a non-object type (`"shortText": {"type": "string",
//! "maxGraphemes": 5}`). Without rules of their own they are type aliases;
//! with rules they are newtypes that check them wherever they are
//! deserialized, so no rule can be skipped by the type a user picks. The
//! logic lives in the runtime (`validate::Checked`, `de::newtype_at`); each
//! newtype gets only its rules and one-line delegating impls.

use super::ty::{doc_attrs, ident};
use super::CodeGenerator;
use crate::ir::{Shape, TypeId};
use proc_macro2::TokenStream;
use quote::quote;

impl CodeGenerator<'_> {
    /// The item for named def `id` of shape `shape`.
    pub fn alias(&self, id: TypeId, shape: &Shape) -> TokenStream {
        let def = self.ir.ty(id);
        let name = ident(&def.name);
        let doc = doc_attrs(def.doc.as_deref());
        let inner = self.shape_type(shape);
        let Some(check) = self.shape_check(shape, &quote!(v)) else {
            return quote!(#doc pub type #name = #inner;);
        };
        let note = " Its rules are checked when it is deserialized, by `TryFrom`, and by\n `validate()` (for values built with the public field).";
        let note: Vec<&str> = note.split('\n').collect();
        let blank: Vec<&str> = def.doc.iter().map(|_| "").collect();
        let result = quote!(Result);
        let error = quote!(validate::ValidationError);
        let path = quote!(validate::Path<'_>);
        quote! {
            #doc
            #(#[doc = #blank])*
            #(#[doc = #note])*
            #[derive(Debug, Clone, PartialEq)]
            pub struct #name(pub #inner);

            impl validate::Checked for #name {
                type Inner = #inner;
                fn check(v: &#inner, at: &#path) -> #result<(), #error> {
                    let path = *at;
                    #check
                    #result::Ok(())
                }
            }

            impl ::std::ops::Deref for #name {
                type Target = #inner;
                fn deref(&self) -> &#inner {
                    &self.0
                }
            }

            impl ::std::convert::AsRef<#inner> for #name {
                fn as_ref(&self) -> &#inner {
                    &self.0
                }
            }

            impl ::std::convert::From<#name> for #inner {
                fn from(v: #name) -> #inner {
                    v.0
                }
            }

            impl ::std::convert::TryFrom<#inner> for #name {
                type Error = #error;
                fn try_from(v: #inner) -> #result<Self, #error> {
                    validate::check_newtype::<Self>(&v, &validate::Path::Root)?;
                    #result::Ok(Self(v))
                }
            }

            impl ::serde::Serialize for #name {
                fn serialize<S: ::serde::Serializer>(&self, s: S) -> #result<S::Ok, S::Error> {
                    ::serde::Serialize::serialize(&self.0, s)
                }
            }

            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> #result<Self, D::Error> {
                    de::newtype_at::<Self, D>(d, &validate::Path::Root).map(Self)
                }
            }

            impl<'de> de::DeserializeAt<'de> for #name {
                fn deserialize_at<D: ::serde::Deserializer<'de>>(d: D, path: &#path) -> #result<Self, D::Error> {
                    de::newtype_at::<Self, D>(d, path).map(Self)
                }
            }

            impl validate::Validate for #name {
                fn validate_at(&self, path: &#path) -> #result<(), #error> {
                    validate::check_newtype::<Self>(&self.0, path)
                }
            }
        }
    }
}
