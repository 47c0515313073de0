//! Stage 3: IR -> Rust files. One small module per kind of item; this one
//! lays out the crate: a file per lexicon, module glue per namespace, the
//! re-exports of the runtime crate, `lib.rs` and `Cargo.toml`.

mod alias;
mod builder;
mod cargo;
mod checks;
mod context;
mod externs;
mod modules;
mod object;
mod records;
mod slots;
mod string_enum;
mod ty;
mod union;
mod xrpc;

pub use cargo::{check_extern_crates, relative_path};
pub use context::CodeGenerator;
pub use externs::Externs;

use crate::ir::Ir;
use crate::render::{render, render_items, RenderError};
use modules::ModuleTree;
use proc_macro2::TokenStream;
use quote::quote;

/// How the generated crate is named, versioned, and finds its dependencies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrateOptions {
    /// Package name (`atproto-types`).
    pub name: String,
    /// Package version.
    pub version: String,
    /// Where the runtime crate comes from.
    pub runtime: RuntimeSource,
    /// Dependencies on the crates extern paths name: `(package name, TOML
    /// value)`, e.g. `("atproto-types", "{ path = \"../generated\" }")`.
    pub extern_crates: Vec<(String, String)>,
}

/// Where a generated crate gets `atproto-lexgen-runtime`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuntimeSource {
    /// crates.io, at the version of this lexgen.
    Registry,
    /// A local checkout: the path, relative to the generated crate's
    /// directory, with `/` separators (the version is still written).
    Path(String),
}

impl Default for CrateOptions {
    fn default() -> Self {
        CrateOptions {
            name: "atproto-types".into(),
            version: "0.1.0".into(),
            runtime: RuntimeSource::Registry,
            extern_crates: Vec::new(),
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

/// Emits every file of the crate, sorted by path. Lexicons of extern
/// namespaces are not emitted.
pub fn emit_crate(
    ir: &Ir,
    options: &CrateOptions,
    externs: &Externs,
) -> Result<Vec<GeneratedFile>, RenderError> {
    use rayon::prelude::*;
    let tree = ModuleTree::new(&CodeGenerator::new(ir, externs, quote!(crate)));
    let paths: Vec<&Vec<String>> = tree.paths().collect();
    // Emitting and rendering a module is independent of the others: spread
    // them over the cores. Token streams are not `Send`, so each worker
    // thread makes its own context; `collect` keeps the order of `paths`,
    // so the output (and the first error reported) does not depend on
    // scheduling.
    let modules = paths
        .par_iter()
        .map_init(
            || CodeGenerator::new(ir, externs, quote!(crate)),
            |cx, path| emit_module(cx, &tree, path),
        )
        .collect::<Result<Vec<_>, _>>()?;
    let mut files = vec![GeneratedFile {
        path: "Cargo.toml".into(),
        contents: cargo::cargo_toml(ir, options, externs),
    }];
    files.extend(modules);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// The file of the module at `path`.
fn emit_module(
    cx: &CodeGenerator,
    tree: &ModuleTree,
    path: &[String],
) -> Result<GeneratedFile, RenderError> {
    let file = if path.is_empty() {
        "src/lib.rs".to_string()
    } else {
        format!("src/{}.rs", path.join("/"))
    };
    let body = tree.body(cx, path);
    let children = tree.child_decls(path);
    let inner = body.inner;
    let items = body.items.flat_map(split_items);
    let contents = render_items(&file, &body.source, quote!(#inner #children), items)?;
    Ok(GeneratedFile {
        contents,
        path: file,
    })
}

/// Splits emitted tokens into their top-level items, so that each is parsed
/// and printed on its own (a struct with 100,000 fields and its impls are
/// then never one syntax tree). The emitter's items end with a `{ ... }`
/// body or a `;`; an item with a top-level `=` (a `const` whose value is a
/// struct literal, a `type`) or a `use` (`use a::{b, c};`) ends only at its
/// `;`.
fn split_items(tokens: TokenStream) -> Vec<TokenStream> {
    use proc_macro2::{Delimiter, TokenTree};
    let mut items = Vec::new();
    let mut current = Vec::new();
    let mut ends_at_semi = false;
    for tree in tokens {
        let ends = match &tree {
            TokenTree::Group(g) => !ends_at_semi && g.delimiter() == Delimiter::Brace,
            TokenTree::Punct(p) if p.as_char() == '=' => {
                ends_at_semi = true;
                false
            }
            TokenTree::Ident(i) if i == "use" => {
                ends_at_semi = true;
                false
            }
            TokenTree::Punct(p) => p.as_char() == ';',
            _ => false,
        };
        current.push(tree);
        if ends {
            items.push(current.drain(..).collect());
            ends_at_semi = false;
        }
    }
    if !current.is_empty() {
        items.push(current.into_iter().collect());
    }
    items
}

/// Emits the whole crate as ONE file of nested modules, for `include!` at
/// module path `root` (e.g. `crate::atproto`) of a crate that depends on the
/// runtime; generated code names its own types from `root`, and namespace
/// features do not apply (the including crate has its own). `records`: also
/// the `records` module (it needs the runtime's `cbor` feature).
pub fn emit_single_file(
    ir: &Ir,
    file: &str,
    root: &syn::Path,
    externs: &Externs,
    records: bool,
) -> Result<GeneratedFile, RenderError> {
    let cx = CodeGenerator::new(ir, externs, quote!(#root));
    let tree = ModuleTree::new(&cx);
    let runtime = modules::runtime_reexports(false);
    let records = records.then(|| cx.records_module(false));
    let lexicons = tree.inline_children(&cx, &[]);
    Ok(GeneratedFile {
        contents: render(
            file,
            "the lexicon directory (single-file mode)",
            quote!(#runtime #records #lexicons),
        )?,
        path: file.to_string(),
    })
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
            #[allow(unused_imports)] use crate::{de, types};
        };
        let items: Vec<String> = split_items(tokens).iter().map(|t| t.to_string()).collect();
        assert_eq!(items.len(), 6, "{items:?}");
        assert!(items[2].starts_with("pub const P") && items[2].ends_with(";"));
        assert!(items[5].contains("use crate") && items[5].ends_with(";"));
    }
}
