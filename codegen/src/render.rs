//! Rendering: token streams -> formatted file text with the `@generated`
//! header. prettyplease is pure Rust and pinned by Cargo.lock, so output does
//! not depend on whichever rustfmt is installed.

use proc_macro2::TokenStream;
use std::fmt;

/// Rendering failed: the emitter produced tokens that are not a Rust file
/// (a generator bug, reported rather than panicking).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderError {
    /// The output file.
    pub file: String,
    /// The parser's message.
    pub message: String,
}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "internal error: generated code for {} does not parse ({}); please report this with the lexicon",
            self.file, self.message
        )
    }
}

impl std::error::Error for RenderError {}

/// The marker every generated file starts with; files without it are never
/// overwritten or deleted.
pub const GENERATED_MARKER: &str = "@generated";

/// The first line of a generated Rust file.
pub fn header(source: &str) -> String {
    format!("// {GENERATED_MARKER} by lexgen from {source}. Do not edit: change the lexicons and regenerate.\n")
}

/// Formats `tokens` as a Rust file, preceded by the header.
pub fn render(file: &str, source: &str, tokens: TokenStream) -> Result<String, RenderError> {
    let parsed: syn::File = syn::parse2(tokens).map_err(|e| RenderError {
        file: file.to_string(),
        message: e.to_string(),
    })?;
    let mut out = header(source);
    out.push_str(&prettyplease::unparse(&parsed));
    Ok(out)
}

/// Formats a file given as its head (inner attributes, `mod` declarations)
/// and its items, one at a time: the text is the same as [`render`] of the
/// whole, but only one item's syntax tree is in memory at once.
pub fn render_items(
    file: &str,
    source: &str,
    head: TokenStream,
    items: impl IntoIterator<Item = TokenStream>,
) -> Result<String, RenderError> {
    let mut out = render(file, source, head)?;
    for tokens in items {
        let parsed: syn::File = syn::parse2(tokens).map_err(|e| RenderError {
            file: file.to_string(),
            message: e.to_string(),
        })?;
        out.push_str(&prettyplease::unparse(&parsed));
    }
    Ok(out)
}
