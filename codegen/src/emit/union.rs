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
        let tags: Vec<&str> = union.variants.iter().map(|v| v.type_tag.as_str()).collect();

        let variants = union.variants.iter().map(|v| {
            let vname = ident(&v.name);
            let ty = self.type_path(v.target);
            let tag_doc = format!(" `$type`: `{}`.", v.type_tag);
            quote!(#[doc = #tag_doc] #vname(Box<#ty>),)
        });
        let fallback = (!closed).then(|| {
            quote! {
                /// A value whose `$type` this version of the lexicons does not know, kept whole.
                #unknown( types::UnknownObject),
            }
        });
        let de_arms = union.variants.iter().map(|v| {
            let vname = ident(&v.name);
            let tag = &v.type_tag;
            quote!(#tag =>  de::member(tag, map, path).map(Self::#vname),)
        });
        let fallback_de = if closed {
            quote!(_ => Err( de::closed_union_error(tag, path, &[#(#tags),*])),)
        } else {
            quote!(_ =>  de::unknown_member(tag, map, path).map(Self::#unknown),)
        };
        let de_body = if union.variants.is_empty() {
            quote!( de::unknown_member(tag, map, path).map(Self::#unknown))
        } else {
            quote! {
                match tag {
                    #(#de_arms)*
                    #fallback_de
                }
            }
        };
        let ser_arms = union.variants.iter().map(|v| {
            let vname = ident(&v.name);
            let tag = &v.type_tag;
            quote!(Self::#vname(v) =>  de::serialize_object(&**v, Some(#tag), s),)
        });
        let tag_arms = union.variants.iter().map(|v| {
            let vname = ident(&v.name);
            let tag = &v.type_tag;
            quote!(Self::#vname(_) => #tag,)
        });
        let validate_arms = union.variants.iter().map(|v| {
            let vname = ident(&v.name);
            quote!(Self::#vname(v) =>  validate::Validate::validate_at(&**v, path),)
        });
        let (fallback_ser, fallback_tag, fallback_validate) = if closed {
            (TokenStream::new(), TokenStream::new(), TokenStream::new())
        } else {
            (
                quote!(Self::#unknown(v) => ::serde::Serialize::serialize(v, s),),
                quote!(Self::#unknown(v) => v.type_tag(),),
                quote!(Self::#unknown(v) =>  validate::Validate::validate_at(v, path),),
            )
        };
        // An empty closed union is rejected when resolving; an empty open one
        // holds only the fallback.
        let from = self.union_from(id, union);
        // An open union may gain members (Lexicon evolution).
        let non_exhaustive = (!closed).then(|| quote!(#[non_exhaustive]));
        let path_arg = super::ty::param("path", !(union.variants.is_empty() && closed));

        quote! {
            #doc
            #[derive(Debug, Clone, PartialEq)]
            #non_exhaustive
            pub enum #name {
                #(#variants)*
                #fallback
            }

            impl #name {
                /// The `$type` of this value.
                pub fn type_tag(&self) -> &str {
                    match self {
                        #(#tag_arms)*
                        #fallback_tag
                    }
                }
            }

            impl<'de>  de::UnionDe<'de> for #name {
                fn member<A: ::serde::de::MapAccess<'de>>(tag: &str, map: &mut A, path: & validate::Path<'_>) -> Result<Self, A::Error> {
                    #de_body
                }
            }

            impl<'de>  de::DeserializeAt<'de> for #name {
                fn deserialize_at<D: ::serde::Deserializer<'de>>(d: D, path: & validate::Path<'_>) -> Result<Self, D::Error> {
                     de::deserialize_union(d, path)
                }
            }

            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                     de::DeserializeAt::deserialize_at(d, & validate::Path::Root)
                }
            }

            impl ::serde::Serialize for #name {
                fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                    match self {
                        #(#ser_arms)*
                        #fallback_ser
                    }
                }
            }

            impl  validate::Validate for #name {
                fn validate_at(&self, #path_arg: & validate::Path<'_>) -> Result<(),  validate::ValidationError> {
                    match self {
                        #(#validate_arms)*
                        #fallback_validate
                    }
                }
            }

            #from
        }
    }
}
