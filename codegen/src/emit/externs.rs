//! Extern namespaces, after prost-build's `extern_path`: lexicons whose
//! types another crate already has (`com.atproto` ->
//! `atproto_types::com::atproto`). They are loaded and resolved like any
//! other, so refs into them are checked as before, but nothing is emitted for
//! them and refs name the other crate's types. A lexicon of an extern
//! namespace is never emitted, even when its file is among the local
//! lexicons: the extern crate owns the namespace, and the local copy only
//! serves resolution.

use super::ty::ident;
use crate::ir::LexiconIr;
use proc_macro2::{Ident, Span, TokenStream};
use quote::{quote, ToTokens};

/// One `NSID_PREFIX=RUST_PATH` mapping.
#[derive(Debug, Clone)]
struct Extern {
    /// NSID segments of the prefix (`["com", "atproto"]`).
    prefix: Vec<String>,
    /// The Rust path of the prefix's module in the other crate, as text
    /// (`::atproto_types::com::atproto`; kept as text, not tokens, so that
    /// `Externs` is `Sync` and emission can run on several threads).
    path: Vec<String>,
    /// The crate it starts with, unless relative (`crate::`, `self::`, `super::`).
    krate: Option<String>,
}

/// Every extern namespace, longest prefix first.
#[derive(Debug, Clone, Default)]
pub struct Externs(Vec<Extern>);

impl Externs {
    /// Parses `(NSID prefix, Rust path)` pairs; the error names the bad one.
    pub fn new(pairs: &[(String, String)]) -> Result<Self, String> {
        let mut externs = Vec::new();
        for (prefix, path) in pairs {
            let segments: Vec<String> = prefix.split('.').map(str::to_string).collect();
            let valid_segment = |s: &String| {
                !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            };
            if !segments.iter().all(valid_segment) {
                return Err(format!(
                    "extern {prefix:?}: not an NSID prefix (dot-separated segments of ASCII letters, digits and '-')"
                ));
            }
            let path: syn::Path = syn::parse_str(path)
                .map_err(|e| format!("extern {prefix:?}: {path:?} is not a Rust path: {e}"))?;
            if let Some(segment) = path.segments.iter().find(|s| !s.arguments.is_none()) {
                return Err(format!(
                    "extern {prefix:?}: not a module path (`{}` has generic arguments)",
                    segment.ident
                ));
            }
            let krate = crate_name(&path);
            // A crate path gets a leading `::`, so no module of the generated
            // crate can shadow the crate's name.
            let leading = krate.is_some() || path.leading_colon.is_some();
            let path = std::iter::once(String::new())
                .filter(|_| leading)
                .chain(path.segments.iter().map(|s| s.ident.to_string()))
                .collect();
            externs.push(Extern {
                prefix: segments,
                krate,
                path,
            });
        }
        externs.sort_by_key(|e| std::cmp::Reverse(e.prefix.len()));
        Ok(Externs(externs))
    }

    fn find(&self, lex: &LexiconIr) -> Option<&Extern> {
        let segments: Vec<&str> = lex.nsid.split('.').collect();
        self.0.iter().find(|e| {
            e.prefix.len() <= segments.len()
                && e.prefix
                    .iter()
                    .zip(&segments)
                    .all(|(p, s)| p.eq_ignore_ascii_case(s))
        })
    }

    /// Whether the lexicon's types live in another crate.
    pub fn is_extern(&self, lex: &LexiconIr) -> bool {
        self.find(lex).is_some()
    }

    /// The path of the lexicon's module in the other crate: the extern path,
    /// then the module names of the segments after the prefix (named by the
    /// same rule, so they are the other crate's names when it was generated
    /// by lexgen from the same lexicons).
    pub fn module_path(&self, lex: &LexiconIr) -> Option<TokenStream> {
        let e = self.find(lex)?;
        let path = e.path.iter().map(|s| match s.strip_prefix("r#") {
            Some(raw) => Ident::new_raw(raw, Span::call_site()).to_token_stream(),
            None if s.is_empty() => TokenStream::new(),
            None => ident(s).to_token_stream(),
        });
        let rest = lex.module.iter().skip(e.prefix.len()).map(|m| ident(m));
        Some(quote!(#(#path)::* #(:: #rest)*))
    }

    /// The crate (first path segment, as written in Rust) the lexicon's
    /// types live in; `None` when local or the path is relative
    /// (`crate::`, `self::`, `super::`).
    pub fn crate_of(&self, lex: &LexiconIr) -> Option<String> {
        self.find(lex).and_then(|e| e.krate.clone())
    }

    /// Every crate named by an extern path, sorted, without repeats.
    pub fn crates(&self) -> Vec<String> {
        let mut crates: Vec<String> = self.0.iter().filter_map(|e| e.krate.clone()).collect();
        crates.sort();
        crates.dedup();
        crates
    }
}

fn crate_name(path: &syn::Path) -> Option<String> {
    let first = path.segments.first()?.ident.to_token_stream().to_string();
    let relative = ["crate", "self", "super", "Self"].contains(&first.as_str());
    (!relative).then(|| first.trim_start_matches("r#").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon(nsid: &str, module: &[&str]) -> LexiconIr {
        LexiconIr {
            nsid: nsid.into(),
            rel_path: String::new(),
            module: module.iter().map(|m| m.to_string()).collect(),
            feature: String::new(),
            description: None,
            types: Vec::new(),
            defs: Vec::new(),
            tokens: Vec::new(),
            endpoint: None,
            permission_set: None,
        }
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn longest_prefix_wins_on_segment_boundaries() {
        let externs = Externs::new(&pairs(&[
            ("com.atproto", "atproto_types::com::atproto"),
            ("com.atproto.repo", "crate::repo"),
        ]))
        .expect("valid");
        let strong_ref = lexicon(
            "com.atproto.repo.strongRef",
            &["com", "atproto", "repo", "strong_ref"],
        );
        let path = externs.module_path(&strong_ref).expect("extern");
        assert_eq!(path.to_string(), "crate :: repo :: strong_ref");
        assert_eq!(externs.crate_of(&strong_ref), None);
        let session = lexicon(
            "com.atproto.server.createSession",
            &["com", "atproto", "server", "create_session"],
        );
        let path = externs.module_path(&session).expect("extern");
        assert_eq!(
            path.to_string(),
            ":: atproto_types :: com :: atproto :: server :: create_session"
        );
        assert_eq!(externs.crate_of(&session).as_deref(), Some("atproto_types"));
        assert!(!externs.is_extern(&lexicon("com.atprotox.a", &["com", "atprotox", "a"])));
        assert_eq!(externs.crates(), vec!["atproto_types".to_string()]);
    }

    #[test]
    fn bad_prefixes_and_paths_are_reported() {
        assert!(Externs::new(&pairs(&[("com..atproto", "a::b")])).is_err());
        assert!(Externs::new(&pairs(&[("com.atproto", "a b")])).is_err());
        assert!(Externs::new(&pairs(&[("com.atproto", "::a::b")])).is_ok());
        // A module path has no generic arguments.
        assert!(Externs::new(&pairs(&[("com.atproto", "a::b<T>")])).is_err());
        assert!(Externs::new(&pairs(&[("com.atproto", "a::b::<T>::c")])).is_err());
    }
}
