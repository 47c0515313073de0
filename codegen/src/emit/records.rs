//! The `records` module of a generated crate: one enum over every record
//! type of the crate, read by `$type` with a `Data` fallback, which is what
//! repositories and the firehose hand out (`cbor::FromData`).

use super::context::CodeGenerator;
use super::ty::ident;
use crate::ir::{ObjectRole, TypeKind};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeSet;

/// `app.bsky.feed.post` -> `AppBskyFeedPost` (hyphens dropped; a name
/// taken twice gets the index of its def appended).
fn variant_name(nsid: &str, taken: &mut BTreeSet<String>, id: usize) -> String {
    let mut name: String = nsid
        .split(['.', '-'])
        .filter(|s| !s.is_empty())
        .map(|s| {
            let mut chars = s.chars();
            chars.next().map_or_else(String::new, |c| {
                c.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect();
    if !taken.insert(name.clone()) {
        name = format!("{name}{id}");
        taken.insert(name.clone());
    }
    name
}

impl CodeGenerator<'_> {
    /// `#[cfg(feature = "cbor")] pub mod records { ... }` at the crate root.
    pub fn records_module(&self) -> TokenStream {
        let mut taken = BTreeSet::new();
        let records: Vec<_> = self
            .ir
            .types
            .iter()
            .enumerate()
            .filter(|(_, def)| {
                matches!(&def.kind, TypeKind::Object(o) if matches!(o.role, ObjectRole::Record { .. }))
                    && !self.externs.is_extern(&self.ir.lexicons[def.lexicon])
            })
            .map(|(id, def)| {
                let lex = &self.ir.lexicons[def.lexicon];
                let name = ident(&variant_name(&def.type_tag, &mut taken, id));
                (name, self.type_path(id), def.type_tag.clone(), lex.feature.clone())
            })
            .collect();
        let variants = records.iter().map(|(name, path, tag, feature)| {
            let doc = format!(" `{tag}`");
            quote!(#[cfg(feature = #feature)] #[doc = #doc] #name(#path),)
        });
        let arms = records.iter().map(|(name, _, tag, feature)| {
            quote!(#[cfg(feature = #feature)] Some(#tag) => crate::cbor::from_data(&data).map(Self::#name),)
        });
        let ser_arms = records.iter().map(|(name, _, _, feature)| {
            quote!(#[cfg(feature = #feature)] Self::#name(r) => ::serde::Serialize::serialize(r, s),)
        });
        let tags = records.iter().map(|(name, _, tag, feature)| {
            quote!(#[cfg(feature = #feature)] Self::#name(_) => Some(#tag),)
        });
        quote! {
            /// Every record type of this crate in one enum, by `$type`, with
            /// the data-model value for the others: what repositories and the
            /// firehose hand out.
            #[cfg(feature = "cbor")]
            // Formatted by the generator, like the lexicon modules.
            #[rustfmt::skip]
            pub mod records {

                /// A record of any collection.
                #[derive(Debug, Clone, PartialEq)]
                #[allow(clippy::large_enum_variant)]
                pub enum Record {
                    #(#variants)*
                    /// A record whose `$type` this crate does not know (or whose
                    /// namespace feature is off).
                    Unknown(crate::types::Data),
                }

                impl Record {
                    /// The `$type` of a known record (`None` for [`Record::Unknown`]).
                    pub fn known_type(&self) -> Option<&'static str> {
                        match self {
                            #(#tags)*
                            Self::Unknown(_) => None,
                        }
                    }
                }

                impl crate::cbor::FromData for Record {
                    fn from_data(data: crate::types::Data) -> Result<Self, crate::cbor::Error> {
                        match data.type_tag() {
                            #(#arms)*
                            _ => Ok(Self::Unknown(data)),
                        }
                    }
                }

                impl ::serde::Serialize for Record {
                    fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                        match self {
                            #(#ser_arms)*
                            Self::Unknown(d) => ::serde::Serialize::serialize(d, s),
                        }
                    }
                }
            }
        }
    }
}
