//! Stage 3: IR -> Rust files. One small module per kind of item; this one
//! lays out the crate: a file per lexicon, module glue per namespace, the
//! runtime modules, `lib.rs` and `Cargo.toml`.

mod cargo;
mod checks;
mod object;
mod string_enum;
mod ty;
mod union;
mod xrpc;

use crate::ir::{Ir, TypeKind};
use crate::render::{header, render, RenderError};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::{BTreeMap, BTreeSet};
use ty::{doc_attrs, ident};

/// How the generated crate is named and versioned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrateOptions {
    /// Package name (`atproto-types`).
    pub name: String,
    /// Package version.
    pub version: String,
}

impl Default for CrateOptions {
    fn default() -> Self {
        CrateOptions {
            name: "atproto-types".into(),
            version: "0.1.0".into(),
        }
    }
}

/// One output file: path relative to the output directory (`/`-separated)
/// and its full text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Relative path (`src/com/atproto/server/create_session.rs`).
    pub path: String,
    /// File contents.
    pub contents: String,
}

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

/// Emits every file of the crate, sorted by path.
pub fn emit_crate(ir: &Ir, options: &CrateOptions) -> Result<Vec<GeneratedFile>, RenderError> {
    let tree = module_tree(ir);
    let mut files = Vec::new();
    files.push(GeneratedFile {
        path: "Cargo.toml".into(),
        contents: cargo::cargo_toml(ir, options),
    });
    for (name, source) in crate::runtime::SOURCES {
        let mut contents = header("the lexgen runtime");
        contents.push_str(source);
        files.push(GeneratedFile {
            path: format!("src/{name}.rs"),
            contents,
        });
    }
    for (path, node) in &tree {
        let file = if path.is_empty() {
            "src/lib.rs".to_string()
        } else {
            format!("src/{}.rs", path.join("/"))
        };
        let (source, tokens) = match node.lexicon {
            Some(lex) => (
                format!("`{}`", ir.lexicons[lex].rel_path),
                ty::in_module(lex, || lexicon_module(ir, lex, &tree, path)),
            ),
            None if path.is_empty() => ("the lexicon directory".to_string(), crate_root(ir, &tree)),
            None => (
                format!("namespace `{}`", node.nsid_prefix),
                namespace_module(node, &tree, path),
            ),
        };
        files.push(GeneratedFile {
            contents: render(&file, &source, tokens)?,
            path: file,
        });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

fn module_tree(ir: &Ir) -> BTreeMap<Vec<String>, ModNode> {
    let mut tree: BTreeMap<Vec<String>, ModNode> = BTreeMap::new();
    tree.entry(Vec::new()).or_default();
    for (i, lex) in ir.lexicons.iter().enumerate() {
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
    tree
}

/// `pub mod x;` for each child, feature-gated at the namespace level, and
/// marked `rustfmt::skip` so `cargo fmt` leaves prettyplease's output alone.
fn child_decls(tree: &BTreeMap<Vec<String>, ModNode>, path: &[String]) -> TokenStream {
    let node = &tree[path];
    let decls = node.children.iter().map(|child| {
        let mut child_path = path.to_vec();
        child_path.push(child.clone());
        let gate = tree
            .get(&child_path)
            .and_then(|c| c.feature.as_ref())
            .map(|f| quote!(#[cfg(feature = #f)]));
        let doc = tree
            .get(&child_path)
            .map(|c| format!(" `{}`", c.nsid_prefix))
            .unwrap_or_default();
        let name = ident(child);
        quote!(#[doc = #doc] #gate #[rustfmt::skip] pub mod #name;)
    });
    quote!(#(#decls)*)
}

fn crate_root(ir: &Ir, tree: &BTreeMap<Vec<String>, ModNode>) -> TokenStream {
    let children = child_decls(tree, &[]);
    let count = ir.lexicons.len();
    let features: BTreeSet<&str> = ir.lexicons.iter().map(|l| l.feature.as_str()).collect();
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
        " The `client` feature adds a small blocking XRPC client ([`client`]).".to_string(),
    ];
    quote! {
        #(#![doc = #doc])*
        #[cfg(feature = "client")]
        #[rustfmt::skip]
        pub mod client;
        #[doc(hidden)]
        #[rustfmt::skip]
        pub mod de;
        #[rustfmt::skip]
        pub mod formats;
        #[rustfmt::skip]
        pub mod types;
        #[rustfmt::skip]
        pub mod validate;
        #[rustfmt::skip]
        pub mod xrpc;
        #children
    }
}

fn namespace_module(
    node: &ModNode,
    tree: &BTreeMap<Vec<String>, ModNode>,
    path: &[String],
) -> TokenStream {
    let doc = format!(" Namespace `{}`.", node.nsid_prefix);
    let children = child_decls(tree, path);
    quote! {
        #![doc = #doc]
        #children
    }
}

fn lexicon_module(
    ir: &Ir,
    lex_idx: usize,
    tree: &BTreeMap<Vec<String>, ModNode>,
    path: &[String],
) -> TokenStream {
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
    let endpoint = lex
        .endpoint
        .as_ref()
        .map(|e| xrpc::emit_endpoint(ir, lex, e));
    let types = lex.types.iter().map(|&id| match &ir.ty(id).kind {
        TypeKind::Object(o) => object::emit_object(ir, id, o),
        TypeKind::Union(u) => union::emit_union(ir, id, u),
        TypeKind::StringEnum(e) => string_enum::emit_string_enum(ir, id, e),
        TypeKind::Errors(errors) => xrpc::emit_errors(ir, id, errors),
        TypeKind::Alias(shape) => {
            let def = ir.ty(id);
            let name = ident(&def.name);
            let doc = doc_attrs(def.doc.as_deref());
            let target = ty::shape_type(ir, shape);
            quote!(#doc pub type #name = #target;)
        }
    });
    let tokens = lex
        .tokens
        .iter()
        .map(|t| xrpc::emit_token(&t.name, &t.value, t.doc.as_deref()));
    let permission_set = lex
        .permission_set
        .as_ref()
        .map(|p| xrpc::emit_permission_set(&lex.nsid, p));
    let children = child_decls(tree, path);
    quote! {
        #![doc = #title]
        #(#![doc = #blank])*
        #(#![doc = #desc_lines])*
        #children
        #endpoint
        #(#types)*
        #(#tokens)*
        #permission_set
    }
}
