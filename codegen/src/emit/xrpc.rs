//! XRPC items of a lexicon: the endpoint marker type with its metadata, the
//! typed `Error` enum, token constants, and permission-set metadata.

use super::ty::{doc_attrs, ident};
use super::CodeGenerator;
use crate::ir::{BodyIr, EndpointIr, EndpointKind, ErrorIr, LexiconIr, PermissionSetIr, TypeId};
use proc_macro2::TokenStream;
use quote::quote;

fn is_json(encoding: &str) -> bool {
    encoding == "application/json"
}

impl CodeGenerator<'_> {
    /// The Rust type of a body: its schema type, `Unknown` for schemaless JSON,
    /// raw bytes otherwise, or `NoBody`.
    fn body_type(&self, body: Option<&BodyIr>) -> (TokenStream, Option<TokenStream>) {
        match body {
            None => (quote!(xrpc::NoBody), None),
            Some(b) => {
                let encoding = &b.encoding;
                let ty = match b.schema {
                    Some(id) => self.type_path(id),
                    None if is_json(encoding) => quote!(types::Unknown),
                    None => quote!(xrpc::RawBody),
                };
                (ty, Some(quote!(Some(#encoding))))
            }
        }
    }

    /// Emits the endpoint marker struct and its trait impl.
    pub fn endpoint(&self, lex: &LexiconIr, e: &EndpointIr) -> TokenStream {
        let name = ident(&e.name);
        let nsid = &lex.nsid;
        let (kind_doc, method) = match e.kind {
            EndpointKind::Query => ("Query (HTTP GET)", quote!(xrpc::Method::Get)),
            EndpointKind::Procedure => ("Procedure (HTTP POST)", quote!(xrpc::Method::Post)),
            EndpointKind::Subscription => ("Subscription (WebSocket)", quote!(xrpc::Method::Get)),
        };
        let mut doc_text = e.doc.clone().unwrap_or_default();
        if !doc_text.is_empty() {
            doc_text.push_str("\n\n");
        }
        doc_text.push_str(&format!("{kind_doc} `{nsid}`."));
        let doc = doc_attrs(Some(&doc_text));
        let params = match e.params {
            Some(id) => self.type_path(id),
            None => quote!(xrpc::NoParams),
        };
        let errors = self.type_path(e.errors);
        let body = if e.kind == EndpointKind::Subscription {
            let message = match e.message {
                Some(id) => self.type_path(id),
                None => quote!(types::Unknown),
            };
            quote! {
                impl xrpc::Subscription for #name {
                    const NSID: &'static str = #nsid;
                    type Params = #params;
                    type Message = #message;
                    type Error = #errors;
                }
            }
        } else {
            // Encodings default to none in the trait: only bodies write theirs.
            let (input, input_enc) = self.body_type(e.input.as_ref());
            let (output, output_enc) = self.body_type(e.output.as_ref());
            let input_enc =
                input_enc.map(|enc| quote!(const INPUT_ENCODING: Option<&'static str> = #enc;));
            let output_enc =
                output_enc.map(|enc| quote!(const OUTPUT_ENCODING: Option<&'static str> = #enc;));
            quote! {
                impl xrpc::Endpoint for #name {
                    const NSID: &'static str = #nsid;
                    const METHOD: xrpc::Method = #method;
                    #input_enc
                    #output_enc
                    type Params = #params;
                    type Input = #input;
                    type Output = #output;
                    type Error = #errors;
                }
            }
        };
        // A marker named as a type (`call::<Endpoint>`), never compared or
        // defaulted: no more derives than a zero-sized token needs.
        quote! {
            #doc
            #[derive(Debug, Clone, Copy)]
            pub struct #name;

            #body
        }
    }

    /// Emits the typed error enum of an endpoint.
    pub fn errors(&self, id: TypeId, errors: &[ErrorIr]) -> TokenStream {
        let def = self.ir.ty(id);
        let name = ident(&def.name);
        if errors.is_empty() {
            // The same enum for every such endpoint: one copy, in the runtime.
            return quote! {
                /// The errors this endpoint can return: its lexicon lists none, so every
                /// error name lands in `Other`.
                pub type #name = xrpc::UndeclaredError;
            };
        }
        let variants = errors.iter().map(|e| {
            let vname = ident(&e.name);
            let doc = doc_attrs(Some(e.doc.as_deref().unwrap_or(&format!("`{}`", e.wire))));
            quote!(#doc #vname { message: Option<String> },)
        });
        let impl_args = errors.iter().map(|e| {
            let vname = ident(&e.name);
            let wire = &e.wire;
            quote!(#vname #wire,)
        });
        quote! {
            /// The errors this endpoint can return; names the lexicon does not list land in `Other`.
            /// Non-exhaustive: a lexicon may add error names.
            #[derive(Debug, Clone, PartialEq, Eq)]
            #[non_exhaustive]
            pub enum #name {
                #(#variants)*
                /// An error name not listed in the lexicon.
                Other {
                    /// The error name.
                    error: String,
                    /// The message, if any.
                    message: Option<String>,
                },
            }

            xrpc::error_impls!(#name { #(#impl_args)* });
        }
    }
}

/// Emits a token constant.
pub fn emit_token(name: &str, value: &str, doc: Option<&str>) -> TokenStream {
    let name = ident(name);
    let mut text = doc.unwrap_or_default().to_string();
    if !text.is_empty() {
        text.push_str("\n\n");
    }
    text.push_str(&format!("Token `{value}`."));
    let doc = doc_attrs(Some(&text));
    quote!(#doc pub const #name: &str = #value;)
}

impl CodeGenerator<'_> {
    /// Emits permission-set metadata.
    pub fn permission_set(&self, nsid: &str, p: &PermissionSetIr) -> TokenStream {
        let name = ident(&p.name);
        let title = super::ty::opt_str(p.title.as_deref());
        let detail = super::ty::opt_str(p.detail.as_deref());
        let perms = p.permissions.iter().map(|(resource, targets)| {
        quote!(xrpc::Permission { resource: #resource, targets: &[#(#targets),*] })
    });
        let doc = format!(" Permission set `{nsid}`.");
        quote! {
            #[doc = #doc]
            pub const #name: xrpc::PermissionSet = xrpc::PermissionSet {
                nsid: #nsid,
                title: #title,
                detail: #detail,
                permissions: &[#(#perms),*],
            };
        }
    }
}
