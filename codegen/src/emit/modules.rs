//! The module tree of the generated crate (one module per NSID segment) and
//! the contents of each module, shared by the crate layout (a file per
//! module) and the single-file layout (nested inline modules).

use super::ty::{self, ident};
use super::{xrpc, CodeGenerator};
use crate::ir::{Ir, TypeKind};
use crate::names::LEXICON_MODULE_IMPORTS;
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::{BTreeMap, BTreeSet};

/// A node of the module tree.
#[derive(Default)]
struct ModNode {
    /// Wire prefix (`com.atproto`), for docs.
    nsid_prefix: String,
    /// The lexicon whose module this is, if any.
    lexicon: Option<usize>,
    /// Child module names.
    children: BTreeSet<String>,
    /// Feature gating this module (set on depth-2 nodes).
    feature: Option<String>,
}

/// Modules by path (`["com", "atproto"]`); the root is the empty path.
pub struct ModuleTree(BTreeMap<Vec<String>, ModNode>);

/// What goes in a module besides its children.
pub struct ModuleBody<'a> {
    /// Where it comes from, for the `@generated` header.
    pub source: String,
    /// Inner attributes (module docs).
    pub inner: TokenStream,
    /// The items, one stream per type, emitted lazily: rendered one at a
    /// time, a 50,000-def lexicon never holds all its tokens at once.
    pub items: Box<dyn Iterator<Item = TokenStream> + 'a>,
}

impl ModuleTree {
    /// The tree of every emitted lexicon's module and their parents
    /// (extern namespaces have none).
    pub fn new(cx: &CodeGenerator) -> Self {
        let mut tree: BTreeMap<Vec<String>, ModNode> = BTreeMap::new();
        tree.entry(Vec::new()).or_default();
        for (i, lex) in cx.ir.lexicons.iter().enumerate() {
            if cx.externs.is_extern(lex) {
                continue;
            }
            let wire: Vec<&str> = lex.nsid.split('.').collect();
            for depth in 1..=lex.module.len() {
                let path = lex.module[..depth].to_vec();
                let parent = lex.module[..depth - 1].to_vec();
                tree.entry(parent)
                    .or_default()
                    .children
                    .insert(lex.module[depth - 1].clone());
                let node = tree.entry(path).or_default();
                node.nsid_prefix = wire.get(..depth).map(|w| w.join(".")).unwrap_or_default();
                if depth == 2 {
                    node.feature = Some(lex.feature.clone());
                }
                if depth == lex.module.len() {
                    node.lexicon = Some(i);
                }
            }
        }
        ModuleTree(tree)
    }

    /// Every module path, root first.
    pub fn paths(&self) -> impl Iterator<Item = &Vec<String>> {
        self.0.keys()
    }

    fn children(&self, path: &[String]) -> impl Iterator<Item = (Vec<String>, &ModNode)> + '_ {
        let names = self
            .0
            .get(path)
            .map(|n| n.children.iter())
            .into_iter()
            .flatten();
        let path = path.to_vec();
        names.filter_map(move |child| {
            let mut child_path = path.clone();
            child_path.push(child.clone());
            self.0.get(&child_path).map(|node| (child_path, node))
        })
    }

    /// `pub mod x;` for each child, feature-gated at the namespace level,
    /// and marked `rustfmt::skip` so `cargo fmt` leaves prettyplease's
    /// output alone.
    pub fn child_decls(&self, path: &[String]) -> TokenStream {
        let decls = self.children(path).map(|(child_path, node)| {
            let gate = node.feature.as_ref().map(|f| quote!(#[cfg(feature = #f)]));
            let doc = format!(" `{}`", node.nsid_prefix);
            let name = ident(child_path.last().map_or("", String::as_str));
            quote!(#[doc = #doc] #gate #[rustfmt::skip] pub mod #name;)
        });
        quote!(#(#decls)*)
    }

    /// The children of `path` as inline modules, recursively.
    pub fn inline_children(&self, cx: &CodeGenerator, path: &[String]) -> TokenStream {
        let modules = self.children(path).map(|(child_path, _)| {
            let body = self.body(cx, &child_path);
            let children = self.inline_children(cx, &child_path);
            let name = ident(child_path.last().map_or("", String::as_str));
            let (inner, items) = (body.inner, body.items);
            quote!(pub mod #name { #inner #children #(#items)* })
        });
        quote!(#(#modules)*)
    }

    /// The contents of the module at `path`.
    pub fn body<'a>(&self, cx: &CodeGenerator<'a>, path: &[String]) -> ModuleBody<'a> {
        let ir = cx.ir;
        let node = self.0.get(path);
        match node.and_then(|n| n.lexicon) {
            Some(lex) => ModuleBody {
                source: format!("`{}`", ir.lexicons[lex].rel_path),
                inner: lexicon_docs(ir, lex),
                items: Box::new(cx.in_module(lex).lexicon_items(lex)),
            },
            None if path.is_empty() => ModuleBody {
                source: "the lexicon directory".into(),
                inner: crate_docs(cx),
                items: Box::new([runtime_reexports(true), cx.records_module(true)].into_iter()),
            },
            None => {
                let prefix = node.map_or("", |n| n.nsid_prefix.as_str());
                let doc = format!(" Namespace `{prefix}`.");
                ModuleBody {
                    source: format!("namespace `{prefix}`"),
                    inner: quote!(#![doc = #doc]),
                    items: Box::new(std::iter::empty()),
                }
            }
        }
    }
}

fn crate_docs(cx: &CodeGenerator) -> TokenStream {
    let local = || cx.ir.lexicons.iter().filter(|l| !cx.externs.is_extern(l));
    let count = local().count();
    let features: BTreeSet<&str> = local().map(|l| l.feature.as_str()).collect();
    let feature_list = features
        .iter()
        .map(|f| format!("`{f}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let doc = [
        format!(" Rust types for {count} AT Protocol lexicons, generated by lexgen."),
        String::new(),
        " Modules mirror NSIDs (`com.atproto.server.createSession` is".to_string(),
        " `com::atproto::server::create_session`). Every type validates its lexicon's".to_string(),
        " constraints when deserialized; values built in code can be checked with".to_string(),
        " [`validate::Validate`].".to_string(),
        String::new(),
        format!(" Cargo features, one per namespace (all on by default): {feature_list}."),
        " Optional: `client` (async XRPC client and session agent), `client-blocking`".to_string(),
        " (a small blocking client), `server` (an axum XRPC router).".to_string(),
    ];
    quote!(#(#![doc = #doc])*)
}

/// `pub use` of every runtime module at the crate root: with `gated`, a
/// module behind a runtime feature is re-exported under the crate's feature
/// of that name; without (single-file mode, where the including crate has
/// its own features), it is left out.
pub fn runtime_reexports(gated: bool) -> TokenStream {
    let uses = atproto_lexgen_runtime::MODULES.iter().filter_map(|m| {
        let name = ident(m.name);
        let hidden = m.hidden.then(|| quote!(#[doc(hidden)]));
        let gate = match m.feature {
            Some(_) if !gated => return None,
            Some(f) => Some(quote!(#[cfg(feature = #f)])),
            None => None,
        };
        Some(quote!(#gate #hidden pub use ::atproto_lexgen_runtime::#name;))
    });
    quote!(#(#uses)*)
}

fn lexicon_docs(ir: &Ir, lex_idx: usize) -> TokenStream {
    let lex = &ir.lexicons[lex_idx];
    let title = format!(" `{}`", lex.nsid);
    let description = lex
        .description
        .as_deref()
        .or_else(|| lex.endpoint.as_ref().and_then(|e| e.doc.as_deref()))
        .or_else(|| {
            lex.defs
                .iter()
                .find(|(n, _)| n == "main")
                .and_then(|(_, id)| ir.ty(*id).doc.as_deref())
        });
    let desc_lines = description.map(ty::doc_lines).unwrap_or_default();
    let blank: Vec<String> = (!desc_lines.is_empty())
        .then(String::new)
        .into_iter()
        .collect();
    quote! {
        #![doc = #title]
        #(#![doc = #blank])*
        #(#![doc = #desc_lines])*
    }
}

impl<'a> CodeGenerator<'a> {
    /// The items of a lexicon's module, each emitted on demand.
    fn lexicon_items(self, lex_idx: usize) -> impl Iterator<Item = TokenStream> + 'a {
        let ir = self.ir;
        let lex = &ir.lexicons[lex_idx];
        let cx = self;
        // Generated code names the runtime modules without `crate::` (see
        // `names::LEXICON_MODULE_IMPORTS`); a module may not use them all.
        let root = &cx.root;
        let imports = LEXICON_MODULE_IMPORTS.iter().map(|m| ident(m));
        let uses = quote! {
            #[allow(unused_imports)]
            use #root::{#(#imports),*};
        };
        let endpoint = lex.endpoint.iter().map({
            let cx = cx.clone();
            move |e| cx.endpoint(lex, e)
        });
        let types = lex.types.iter().map({
            let cx = cx.clone();
            move |&id| match &ir.ty(id).kind {
                TypeKind::Object(o) => cx.object(id, o),
                TypeKind::Union(u) => cx.union(id, u),
                TypeKind::StringEnum(e) => cx.string_enum(id, e),
                TypeKind::Errors(errors) => cx.errors(id, errors),
                TypeKind::Alias(shape) => cx.alias(id, shape),
            }
        });
        let tokens = lex
            .tokens
            .iter()
            .map(|t| xrpc::emit_token(&t.name, &t.value, t.doc.as_deref()));
        let permission_set = lex
            .permission_set
            .iter()
            .map(move |p| cx.permission_set(&lex.nsid, p));
        std::iter::once(uses)
            .chain(endpoint)
            .chain(types)
            .chain(tokens)
            .chain(permission_set)
    }
}
