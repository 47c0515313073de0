//! Strings with known values: `knownValues` (open: a fallback variant keeps
//! any other string, written back unchanged) and `enum` (closed: anything
//! else is rejected).

use super::ty::{doc_attrs, ident};
use super::CodeGenerator;
use crate::ir::{StringEnumIr, TypeId};
use proc_macro2::TokenStream;
use quote::quote;

impl CodeGenerator<'_> {
    /// Emits a string enum and its impls.
    pub fn string_enum(&self, id: TypeId, e: &StringEnumIr) -> TokenStream {
        let rt = &self.rt;
        let def = self.ir.ty(id);
        let name = ident(&def.name);
        let doc = doc_attrs(def.doc.as_deref());
        let other = ident(&e.other_name);
        let values: Vec<&str> = e.values.iter().map(|v| v.value.as_str()).collect();

        // knownValues may grow (Lexicon evolution); a closed `enum` may not.
        let non_exhaustive = e.open.then(|| quote!(#[non_exhaustive]));
        let variants = e.values.iter().map(|v| {
            let vname = ident(&v.name);
            let vdoc = super::ty::code_doc(&v.value);
            quote!(#[doc = #vdoc] #vname,)
        });
        let as_str_arms = e.values.iter().map(|v| {
            let vname = ident(&v.name);
            let value = &v.value;
            quote!(Self::#vname => #value,)
        });
        let known_arms = e.values.iter().map(|v| {
            let vname = ident(&v.name);
            let value = &v.value;
            quote!(#value => ::std::option::Option::Some(Self::#vname),)
        });

        // Format and string rules, checked on every value read.
        let has_rules = e.format.is_some() || !e.rules.is_empty();
        let check = has_rules.then(|| {
            let rules = self.string_rules(&e.rules);
            let format = match e.format {
                Some(f) => {
                    let ty = self.format_type(f);
                    quote!(::std::option::Option::Some(<#ty>::FORMAT))
                }
                None => quote!(::std::option::Option::None),
            };
            quote!(#rt::validate::check_formatted(s, #format, &#rules, path))
        });
        let check_fn = check.as_ref().map(|check| {
        quote! {
            impl #name {
                fn check_str(s: &str, path: &#rt::validate::Path<'_>) -> ::std::result::Result<(), #rt::validate::ValidationError> {
                    #check
                }
            }
        }
    });
        let check_read = has_rules.then(|| quote!(#rt::de::check(Self::check_str(&s, path))?;));

        let (open_items, read, validate_body) = if e.open {
            (
                quote! {
                    /// A value not among the known values, kept as is.
                    #other(::std::string::String),
                },
                quote!(::std::result::Result::Ok(Self::from(s))),
                match has_rules {
                    true => quote! {
                        match self {
                            Self::#other(s) => Self::check_str(s, path),
                            _ => ::std::result::Result::Ok(()),
                        }
                    },
                    false => quote!(::std::result::Result::Ok(())),
                },
            )
        } else {
            (
                TokenStream::new(),
                quote! {
                    Self::known(&s).ok_or_else(|| #rt::de::error(path, ::std::format!("enum {:?}, got {:?}", [#(#values),*], s)))
                },
                quote!(::std::result::Result::Ok(())),
            )
        };
        let other_as_str = e.open.then(|| quote!(Self::#other(s) => s.as_str(),));
        let conversions = if e.open {
            quote! {
                impl ::std::convert::From<::std::string::String> for #name {
                    fn from(s: ::std::string::String) -> Self {
                        Self::known(&s).unwrap_or(Self::#other(s))
                    }
                }
                impl ::std::str::FromStr for #name {
                    type Err = ::std::convert::Infallible;
                    fn from_str(s: &str) -> ::std::result::Result<Self, ::std::convert::Infallible> {
                        ::std::result::Result::Ok(Self::from(s.to_owned()))
                    }
                }
            }
        } else {
            quote! {
                impl ::std::str::FromStr for #name {
                    type Err = #rt::validate::ValidationError;
                    fn from_str(s: &str) -> ::std::result::Result<Self, #rt::validate::ValidationError> {
                        Self::known(s).ok_or_else(|| #rt::validate::ValidationError::new(
                            &#rt::validate::Path::Root,
                            ::std::format!("enum {:?}, got {:?}", [#(#values),*], s),
                        ))
                    }
                }
            }
        };
        let validate_path = super::ty::param("path", e.open && has_rules);

        quote! {
            #doc
            #[derive(Debug, Clone, PartialEq, Eq, Hash)]
            #non_exhaustive
            pub enum #name {
                #(#variants)*
                #open_items
            }

            impl #name {
                /// The string value.
                pub fn as_str(&self) -> &str {
                    match self {
                        #(#as_str_arms)*
                        #other_as_str
                    }
                }

                /// The known value equal to `s`, if any.
                pub fn known(s: &str) -> ::std::option::Option<Self> {
                    match s {
                        #(#known_arms)*
                        _ => ::std::option::Option::None,
                    }
                }
            }

            #check_fn
            #conversions

            impl ::std::fmt::Display for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(self.as_str())
                }
            }

            impl ::std::convert::AsRef<str> for #name {
                fn as_ref(&self) -> &str {
                    self.as_str()
                }
            }

            impl<'de> #rt::de::DeserializeAt<'de> for #name {
                fn deserialize_at<D: ::serde::Deserializer<'de>>(d: D, path: &#rt::validate::Path<'_>) -> ::std::result::Result<Self, D::Error> {
                    let s: ::std::string::String = #rt::de::DeserializeAt::deserialize_at(d, path)?;
                    #check_read
                    #read
                }
            }

            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                    #rt::de::DeserializeAt::deserialize_at(d, &#rt::validate::Path::Root)
                }
            }

            impl ::serde::Serialize for #name {
                fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                    s.serialize_str(self.as_str())
                }
            }

            impl #rt::validate::Validate for #name {
                fn validate_at(&self, #validate_path: &#rt::validate::Path<'_>) -> ::std::result::Result<(), #rt::validate::ValidationError> {
                    #validate_body
                }
            }

            impl #rt::xrpc::QueryValue for #name {
                fn push_query(&self, name: &'static str, out: &mut ::std::vec::Vec<(&'static str, ::std::string::String)>) {
                    out.push((name, self.as_str().to_owned()));
                }
            }
        }
    }
}
