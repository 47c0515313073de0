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
            quote!(#value => Some(Self::#vname),)
        });

        // Format and string rules, checked on every value read.
        let has_rules = e.format.is_some() || !e.rules.is_empty();
        let check = has_rules.then(|| {
            let rules = self.string_rules(&e.rules);
            let format = match e.format {
                Some(f) => {
                    let ty = self.format_type(f);
                    quote!(Some(<#ty>::FORMAT))
                }
                None => quote!(None),
            };
            quote!(validate::check_formatted(s, #format, &#rules, path))
        });
        let check_fn = check.as_ref().map(|check| {
            quote! {
                impl #name {
                    fn check_str(s: &str, path: &validate::Path<'_>) -> validate::Result {
                        #check
                    }
                }
            }
        });
        let check_read = has_rules.then(|| quote!(de::check(Self::check_str(&s, path))?;));

        let (open_items, read, validate_body) = if e.open {
            (
                quote! {
                    /// A value not among the known values, kept as is.
                    #other(String),
                },
                quote!(Ok(Self::from(s))),
                match has_rules {
                    true => quote! {
                        match self {
                            Self::#other(s) => Self::check_str(s, path),
                            _ => Ok(()),
                        }
                    },
                    false => quote!(Ok(())),
                },
            )
        } else {
            (
                TokenStream::new(),
                quote! {
                    Self::known(&s).ok_or_else(|| de::error(path, ::std::format!("enum {:?}, got {:?}", [#(#values),*], s)))
                },
                quote!(Ok(())),
            )
        };
        let other_as_str = e.open.then(|| quote!(Self::#other(s) => s.as_str(),));
        let conversions = if e.open {
            quote! {
                impl ::std::convert::From<String> for #name {
                    fn from(s: String) -> Self {
                        Self::known(&s).unwrap_or(Self::#other(s))
                    }
                }
                impl ::std::str::FromStr for #name {
                    type Err = ::std::convert::Infallible;
                    fn from_str(s: &str) -> Result<Self, ::std::convert::Infallible> {
                        Ok(Self::from(s.to_owned()))
                    }
                }
            }
        } else {
            quote! {
                impl ::std::str::FromStr for #name {
                    type Err = validate::ValidationError;
                    fn from_str(s: &str) -> Result<Self, validate::ValidationError> {
                        Self::known(s).ok_or_else(|| validate::ValidationError::new(
                            &validate::Path::Root,
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
                pub fn known(s: &str) -> Option<Self> {
                    match s {
                        #(#known_arms)*
                        _ => None,
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

            impl<'de> de::DeserializeAt<'de> for #name {
                fn deserialize_at<D: ::serde::Deserializer<'de>>(d: D, path: &validate::Path<'_>) -> Result<Self, D::Error> {
                    let s: String = de::DeserializeAt::deserialize_at(d, path)?;
                    #check_read
                    #read
                }
            }

            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                    de::DeserializeAt::deserialize_at(d, &validate::Path::Root)
                }
            }

            impl ::serde::Serialize for #name {
                fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                    s.serialize_str(self.as_str())
                }
            }

            impl validate::Validate for #name {
                fn validate_at(&self, #validate_path: &validate::Path<'_>) -> validate::Result {
                    #validate_body
                }
            }

            impl xrpc::QueryValue for #name {
                fn push_query(&self, name: &'static str, out: &mut Vec<(&'static str, String)>) {
                    out.push((name, self.as_str().to_owned()));
                }
            }
        }
    }
}
