//! Stage 1: reading lexicon files into the serde model.

pub mod model;
mod ordered;
mod parse;
pub mod path;

pub use model::*;
pub use ordered::OrderedMap;
pub use parse::{parse_document, ParseFailure};

use crate::diagnostic::Diagnostic;
use path::JsonPath;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// A lexicon file read and parsed.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the lexicon directory, with `/` separators
    /// (`com/atproto/server/createSession.json`): stable across machines.
    pub rel_path: String,
    /// Path as the user can open it (the directory joined with `rel_path`).
    pub path: PathBuf,
    /// The file's text (kept to locate later diagnostics).
    pub text: String,
    /// The parsed document.
    pub doc: LexiconDoc,
}

/// Parses one lexicon from text; `rel_path` names it in diagnostics.
pub fn load_str(rel_path: &str, path: &Path, text: &str) -> Result<SourceFile, Diagnostic> {
    // A UTF-8 byte-order mark is not JSON but is harmless: accept it.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match parse_document(text) {
        Ok(doc) => Ok(SourceFile {
            rel_path: rel_path.to_string(),
            path: path.to_path_buf(),
            text: text.to_string(),
            doc,
        }),
        Err(failure) => {
            let mut diag = Diagnostic::new(path, failure.path, failure.message);
            diag.position = failure.position;
            diag.help = failure.help;
            Err(diag.locate(text))
        }
    }
}

/// Reads every `*.json` file under `dir` (recursively, in sorted order,
/// following symlinks but never looping), parsing each. All failures are
/// collected, not just the first.
pub fn load_dir(dir: &Path) -> Result<Vec<SourceFile>, Vec<Diagnostic>> {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let mut seen_dirs = BTreeSet::new();
    if !dir.is_dir() {
        return Err(vec![Diagnostic::new(
            dir,
            JsonPath::root(),
            "lexicon directory not found (or not a directory)",
        )
        .with_help(
            "pass the directory holding the lexicons with --lexicons DIR",
        )]);
    }
    collect(dir, "", &mut seen_dirs, &mut files, &mut errors);
    let mut out = Vec::new();
    for (rel, path) in files {
        match fs::read(&path) {
            Err(e) => errors.push(Diagnostic::new(
                &path,
                JsonPath::root(),
                format!("cannot read file: {e}"),
            )),
            Ok(bytes) => match String::from_utf8(bytes) {
                Err(e) => errors.push(Diagnostic::new(
                    &path,
                    JsonPath::root(),
                    format!(
                        "file is not valid UTF-8 (invalid byte at offset {})",
                        e.utf8_error().valid_up_to()
                    ),
                )),
                Ok(text) => match load_str(&rel, &path, &text) {
                    Ok(file) => out.push(file),
                    Err(diag) => errors.push(diag),
                },
            },
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

fn collect(
    dir: &Path,
    rel: &str,
    seen: &mut BTreeSet<PathBuf>,
    files: &mut Vec<(String, PathBuf)>,
    errors: &mut Vec<Diagnostic>,
) {
    // Canonical paths identify directories reached twice through symlinks.
    match fs::canonicalize(dir) {
        Ok(canon) => {
            if !seen.insert(canon) {
                return;
            }
        }
        Err(e) => {
            errors.push(Diagnostic::new(
                dir,
                JsonPath::root(),
                format!("cannot read directory: {e}"),
            ));
            return;
        }
    }
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            errors.push(Diagnostic::new(
                dir,
                JsonPath::root(),
                format!("cannot read directory: {e}"),
            ));
            return;
        }
    };
    let mut names: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .collect();
    names.sort();
    for name in names {
        let path = dir.join(&name);
        let name = name.to_string_lossy();
        let child_rel = if rel.is_empty() {
            name.to_string()
        } else {
            format!("{rel}/{name}")
        };
        if path.is_dir() {
            collect(&path, &child_rel, seen, files, errors);
        } else if name.ends_with(".json") && path.is_file() {
            files.push((child_rel, path));
        }
    }
}
