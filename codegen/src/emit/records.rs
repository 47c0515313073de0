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
    /// `pub mod records { ... }` at the crate root. `gated`: in a crate,
    /// behind its `cbor` feature and each variant behind its namespace's,
    /// through the crate's re-exports of the runtime; else (single-file
    /// mode) ungated, naming the runtime crate, whose `cbor` feature the
    /// including crate enables.
    pub fn records_module(&self, gated: bool) -> TokenStream {
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
        let gate = |feature: &str| gated.then(|| quote!(#[cfg(feature = #feature)]));
        let runtime = if gated {
            quote!(crate)
        } else {
            quote!(::atproto_lexgen_runtime)
        };
        let variants = records.iter().map(|(name, path, tag, feature)| {
            let (doc, gate) = (format!(" `{tag}`"), gate(feature));
            quote!(#gate #[doc = #doc] #name(#path),)
        });
        let arms = records.iter().map(|(name, _, tag, feature)| {
            let gate = gate(feature);
            quote!(#gate Some(#tag) => #runtime::cbor::from_data(&data).map(Self::#name),)
        });
        let ser_arms = records.iter().map(|(name, _, _, feature)| {
            let gate = gate(feature);
            quote!(#gate Self::#name(r) => ::serde::Serialize::serialize(r, s),)
        });
        let tags = records.iter().map(|(name, _, tag, feature)| {
            let gate = gate(feature);
            quote!(#gate Self::#name(_) => Some(#tag),)
        });
        let module_gate = gate("cbor");
        quote! {
            /// Every record type of this crate in one enum, by `$type`, with
            /// the data-model value for the others: what repositories and the
            /// firehose hand out.
            #module_gate
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
                    Unknown(#runtime::types::Data),
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

                impl #runtime::cbor::FromData for Record {
                    fn from_data(data: #runtime::types::Data) -> Result<Self, #runtime::cbor::Error> {
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
