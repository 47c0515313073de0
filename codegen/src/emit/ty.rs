//! Identifiers, literals and doc comments shared by the emitters (types and
//! paths are the context's: see `context.rs`). Generated code names std and
//! serde items by absolute path, so a lexicon type called `Option` or
//! `Result` cannot shadow them.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

/// An identifier (names come from [`crate::names`], so they are valid).
pub fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// A parameter name, `_`-prefixed when the generated body does not use it
/// (so the generated code has no unused-variable warnings).
pub fn param(name: &str, used: bool) -> Ident {
    if used {
        ident(name)
    } else {
        ident(&format!("_{name}"))
    }
}

/// `Some("...")` / `None`.
pub fn opt_str(v: Option<&str>) -> TokenStream {
    match v {
        Some(s) => quote!(Some(#s)),
        None => quote!(None),
    }
}

/// `#[doc = "..."]` lines for a description, escaped so rustdoc renders it
/// as the plain text it is (no stray links, HTML, or doctests).
pub fn doc_attrs(text: Option<&str>) -> TokenStream {
    match text {
        Some(t) if !t.trim().is_empty() => {
            let lines = doc_lines(t);
            quote!(#(#[doc = #lines])*)
        }
        _ => TokenStream::new(),
    }
}

/// A one-line doc naming a literal value in code style (control
/// characters and backticks cannot appear inside it).
pub fn code_doc(value: &str) -> String {
    let clean: String = value
        .chars()
        .map(|c| {
            if c.is_control() {
                ' '
            } else if c == '`' {
                '\''
            } else {
                c
            }
        })
        .collect();
    format!(" `{}`", escape_bidi(&clean))
}

/// `text` with each bidirectional control written as its escape
/// (`\u{202E}`): rustc denies them in comments
/// (`text_direction_codepoint_in_comment`).
fn escape_bidi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if crate::diagnostic::is_bidi_control(c) {
            out.push_str(&format!("\\u{{{:04X}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// Doc lines (each with a leading space, as `///` would give).
pub fn doc_lines(text: &str) -> Vec<String> {
    text.trim()
        .lines()
        .map(|line| {
            // `lines` leaves a bare `\r` (and other control characters) in
            // place, and rustc rejects a bare `\r` in a doc comment.
            let line = escape_bidi(&line.replace(char::is_control, " "));
            let escaped = escape_markdown(line.trim());
            if escaped.is_empty() {
                String::new()
            } else {
                format!(" {escaped}")
            }
        })
        .collect()
}

/// Escapes text for rustdoc so that it renders as written and raises no
/// warnings: `[`/`]` (links), `<`/`>`/`&` (HTML), `#`, `|`, `\\` outside
/// code spans; bare URLs become autolinks; unbalanced backticks and fences
/// are escaped (a fence would start a doctest), `~~~` fences too. Lines
/// come trimmed, so none is an indented code block (another doctest).
fn escape_markdown(line: &str) -> String {
    let code_spans = line.matches('`').count() % 2 == 0 && !line.contains("``");
    let mut out = String::with_capacity(line.len());
    if line.starts_with("~~~") {
        out.push('\\');
    }
    let mut in_code = false;
    let mut prev = ' ';
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        let mut consumed = c.len_utf8();
        if c == '`' && code_spans {
            in_code = !in_code;
            out.push(c);
        } else if in_code {
            out.push(c);
        } else if let Some(url) = autolink(rest, prev) {
            out.push('<');
            out.push_str(url);
            out.push('>');
            consumed = url.len();
        } else {
            match c {
                '[' | ']' | '`' | '#' | '\\' | '|' => {
                    out.push('\\');
                    out.push(c);
                }
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '&' => out.push_str("&amp;"),
                _ => out.push(c),
            }
        }
        prev = rest
            .get(..consumed)
            .and_then(|s| s.chars().last())
            .unwrap_or(c);
        rest = rest.get(consumed..).unwrap_or("");
    }
    out
}

/// The URL starting `rest`, if one starts there at a word boundary.
fn autolink(rest: &str, prev: char) -> Option<&str> {
    if !(prev.is_whitespace() || prev == '(')
        || !(rest.starts_with("http://") || rest.starts_with("https://"))
    {
        return None;
    }
    let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
    let url = rest
        .get(..end)?
        .trim_end_matches(['.', ',', ';', ':', ')', '\'', '"']);
    url.chars()
        .all(|c| c.is_ascii_graphic() && !matches!(c, '<' | '>' | '`'))
        .then_some(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_never_reach_doc_comments() {
        assert_eq!(
            doc_lines("a\rb\r\nc\u{7}d"),
            vec![" a b".to_string(), " c d".to_string()]
        );
        assert_eq!(code_doc("x\ry`z"), " `x y'z`");
    }

    #[test]
    fn bidi_controls_and_tilde_fences_are_escaped() {
        assert_eq!(
            doc_lines("a\u{202E}b\u{2066}c\u{200F}\n~~~rust\nfn x() {}\n~~~"),
            vec![
                " a\\\\u{202E}b\\\\u{2066}c\\\\u{200F}".to_string(),
                " \\~~~rust".to_string(),
                " fn x() {}".to_string(),
                " \\~~~".to_string(),
            ]
        );
        assert_eq!(code_doc("x\u{061C}y"), " `x\\u{061C}y`");
    }

    #[test]
    fn docs_are_escaped() {
        assert_eq!(
            doc_lines("See https://atproto.com/specs. Use [x] and <b>\n    indented `code`"),
            vec![
                " See <https://atproto.com/specs>. Use \\[x\\] and &lt;b&gt;".to_string(),
                " indented `code`".to_string()
            ]
        );
        assert!(doc_attrs(Some("  ")).is_empty());
    }
}
