//! Stage 3: IR -> Rust files. One small module per kind of item; this one
//! lays out the crate: a file per lexicon, module glue per namespace, the
//! runtime modules, `lib.rs` and `Cargo.toml`.

mod alias;
mod cargo;
mod checks;
mod modules;
mod object;
mod string_enum;
mod ty;
mod union;
mod xrpc;

use crate::ir::Ir;
use crate::render::{header, render, render_items, RenderError};
use modules::ModuleTree;
use proc_macro2::TokenStream;
use quote::{quote, ToTokens};
use ty::ident;

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

/// Emits every file of the crate, sorted by path.
pub fn emit_crate(ir: &Ir, options: &CrateOptions) -> Result<Vec<GeneratedFile>, RenderError> {
    let tree = ModuleTree::new(ir);
    let mut files = vec![GeneratedFile {
        path: "Cargo.toml".into(),
        contents: cargo::cargo_toml(ir, options),
    }];
    for (name, source) in crate::runtime::SOURCES {
        let mut contents = header("the lexgen runtime");
        contents.push_str(source);
        files.push(GeneratedFile {
            path: format!("src/{name}.rs"),
            contents,
        });
    }
    for path in tree.paths() {
        let file = if path.is_empty() {
            "src/lib.rs".to_string()
        } else {
            format!("src/{}.rs", path.join("/"))
        };
        let body = tree.body(ir, path);
        let children = tree.child_decls(path);
        let inner = body.inner;
        let items = body.items.flat_map(split_items);
        let contents = render_items(&file, &body.source, quote!(#inner #children), items)?;
        files.push(GeneratedFile {
            contents,
            path: file,
        });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// Splits emitted tokens into their top-level items, so that each is parsed
/// and printed on its own (a struct with 100,000 fields and its impls are
/// then never one syntax tree). The emitter's items end with a `{ ... }`
/// body or a `;`; an item with a top-level `=` (a `const` whose value is a
/// struct literal, a `type`) ends only at its `;`.
fn split_items(tokens: TokenStream) -> Vec<TokenStream> {
    use proc_macro2::{Delimiter, TokenTree};
    let mut items = Vec::new();
    let mut current = Vec::new();
    let mut has_value = false;
    for tree in tokens {
        let ends = match &tree {
            TokenTree::Group(g) => !has_value && g.delimiter() == Delimiter::Brace,
            TokenTree::Punct(p) if p.as_char() == '=' => {
                has_value = true;
                false
            }
            TokenTree::Punct(p) => p.as_char() == ';',
            _ => false,
        };
        current.push(tree);
        if ends {
            items.push(current.drain(..).collect());
            has_value = false;
        }
    }
    if !current.is_empty() {
        items.push(current.into_iter().collect());
    }
    items
}

/// Emits the whole crate as ONE file of nested modules, for `include!` from
/// a downstream crate's `build.rs` output: `crate::` paths are rewritten to
/// `root` (the module path where the file is included, e.g. `crate::atproto`),
/// and namespace features do not apply (the including crate has its own).
pub fn emit_single_file(ir: &Ir, file: &str, root: &str) -> Result<GeneratedFile, RenderError> {
    let root_path: syn::Path = syn::parse_str(root).map_err(|e| RenderError {
        file: file.to_string(),
        message: format!("root path {root:?} is not a Rust path: {e}"),
    })?;
    let tree = ModuleTree::new(ir);
    let mut runtime = Vec::new();
    for (name, _) in crate::runtime::SOURCES {
        if *name == "client" || name.contains('/') {
            continue;
        }
        let module = inline_runtime_module(name, file)?;
        runtime.push(module.into_token_stream());
    }
    let lexicons = tree.inline_children(ir, &[]);
    let tokens = reroot(quote!(#(#runtime)* #lexicons), &quote!(#root_path));
    Ok(GeneratedFile {
        contents: render(file, "the lexicon directory (single-file mode)", tokens)?,
        path: file.to_string(),
    })
}

/// The runtime module `name` as an inline module, its out-of-line
/// submodules (`mod cid;` -> `formats/cid`) inlined recursively.
fn inline_runtime_module(name: &str, file: &str) -> Result<syn::ItemMod, RenderError> {
    let failure = |message: String| RenderError {
        file: file.to_string(),
        message: format!("runtime module {name}: {message}"),
    };
    let source = crate::runtime::SOURCES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, s)| *s)
        .ok_or_else(|| failure("not found".into()))?;
    let parsed: syn::File = syn::parse_str(source).map_err(|e| failure(e.to_string()))?;
    let mut items = Vec::new();
    for item in parsed.items {
        match item {
            syn::Item::Mod(m) if m.content.is_none() => {
                let mut inner = inline_runtime_module(&format!("{name}/{}", m.ident), file)?;
                inner.attrs.splice(0..0, m.attrs);
                inner.vis = m.vis;
                items.push(syn::Item::Mod(inner));
            }
            other => items.push(other),
        }
    }
    let ident = ident(name.rsplit('/').next().unwrap_or(name));
    let attrs = parsed.attrs;
    Ok(syn::parse_quote!(pub mod #ident { #(#attrs)* #(#items)* }))
}

/// Replaces every `crate::` path prefix with `root::`.
fn reroot(tokens: TokenStream, root: &TokenStream) -> TokenStream {
    use proc_macro2::{Group, TokenTree};
    let mut out = TokenStream::new();
    let mut iter = tokens.into_iter().peekable();
    while let Some(tree) = iter.next() {
        match tree {
            TokenTree::Ident(id)
                if id == "crate"
                    && matches!(iter.peek(), Some(TokenTree::Punct(p)) if p.as_char() == ':') =>
            {
                out.extend(root.clone());
            }
            TokenTree::Group(g) => {
                let mut group = Group::new(g.delimiter(), reroot(g.stream(), root));
                group.set_span(g.span());
                out.extend([TokenTree::Group(group)]);
            }
            other => out.extend([other]),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_split_at_their_ends_only() {
        let tokens = quote! {
            #[doc = "x"] pub struct A { a: u8 }
            impl A { fn f() {} }
            pub const P: S = S { a: 1 };
            pub struct U;
            pub mod m;
        };
        let items: Vec<String> = split_items(tokens).iter().map(|t| t.to_string()).collect();
        assert_eq!(items.len(), 5, "{items:?}");
        assert!(items[2].starts_with("pub const P") && items[2].ends_with(";"));
    }
}
