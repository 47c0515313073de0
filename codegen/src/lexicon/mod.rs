//! Stage 1: reading lexicon files into the serde model.

mod messages;
pub mod model;
mod ordered;
mod parse;
pub mod path;
mod scan;

pub use messages::{article, quote_short};
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
pub fn load_str(rel_path: &str, path: &Path, text: &str) -> Result<SourceFile, Box<Diagnostic>> {
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
            let help = failure.help.or_else(|| {
                let id = rel_path.strip_suffix(".json")?.replace('/', ".");
                (failure.path.is_root() && failure.message == "missing field `id`")
                    .then(|| format!("add \"id\": {id:?}, the NSID that matches the file's path"))
            });
            let mut diag = Diagnostic::new(path, failure.path, failure.message);
            diag.position = failure.position;
            diag.help = help;
            Err(Box::new(diag.locate(text)))
        }
    }
}

/// Reads every `*.json` file under `dir` (recursively, in sorted order),
/// parsing each. All failures are collected, not just the first.
///
/// Symlinks to files are followed; symlinks to directories below `dir` are
/// not: an alias of a folder would otherwise read its lexicons twice, under
/// a path that does not match their ids, or hide the real folder, depending
/// on which name sorts first.
pub fn load_dir(dir: &Path) -> Result<Vec<SourceFile>, Vec<Diagnostic>> {
    let loaded = load_dir_partial(dir);
    if loaded.errors.is_empty() {
        Ok(loaded.files)
    } else {
        Err(loaded.errors)
    }
}

/// What [`load_dir_partial`] read: the files that parsed, and the problems
/// with the others (which the caller reports together with the problems the
/// resolver finds in the parsed ones).
#[derive(Debug, Default)]
pub struct Loaded {
    /// Files that were read and parsed.
    pub files: Vec<SourceFile>,
    /// Why the others were not.
    pub errors: Vec<Diagnostic>,
    /// NSIDs of the files that failed (from their paths): references to
    /// them are not reported as dangling, since the file exists.
    pub unparsed: BTreeSet<String>,
}

/// [`load_dir_partial`] over several directories (`--lexicons` repeated),
/// their files and problems together.
pub fn load_dirs(dirs: &[std::path::PathBuf]) -> Loaded {
    let mut loaded = Loaded::default();
    for dir in dirs {
        let one = load_dir_partial(dir);
        loaded.files.extend(one.files);
        loaded.errors.extend(one.errors);
        loaded.unparsed.extend(one.unparsed);
    }
    loaded
}

/// Like [`load_dir`], but keeps the files that parsed when others fail.
pub fn load_dir_partial(dir: &Path) -> Loaded {
    let mut files = Vec::new();
    let mut loaded = Loaded::default();
    let mut seen_dirs = BTreeSet::new();
    if !dir.is_dir() {
        loaded.errors.push(
            Diagnostic::new(
                dir,
                JsonPath::root(),
                "lexicon directory not found (or not a directory)",
            )
            .with_help("pass the directory holding the lexicons with --lexicons DIR"),
        );
        return loaded;
    }
    collect(dir, "", &mut seen_dirs, &mut files, &mut loaded.errors);
    for (rel, path) in files {
        let result = match fs::read(&path) {
            Err(e) => Err(Diagnostic::new(
                &path,
                JsonPath::root(),
                format!("cannot read file: {e}"),
            )),
            Ok(bytes) => match String::from_utf8(bytes) {
                Err(e) => Err(not_utf8(&path, e.as_bytes(), e.utf8_error())),
                Ok(text) => load_str(&rel, &path, &text).map_err(|d| *d),
            },
        };
        match result {
            Ok(file) => loaded.files.push(file),
            Err(diag) => {
                let nsid = rel.strip_suffix(".json").unwrap_or(&rel).replace('/', ".");
                loaded.unparsed.insert(nsid);
                loaded.errors.push(diag);
            }
        }
    }
    loaded
}

/// The lexicon files under `dir` as [`load_dir`] finds them (path relative
/// to `dir`, full path), in the same order; `None` on any problem, which
/// loading would report.
pub fn list_files(dir: &Path) -> Option<Vec<(String, PathBuf)>> {
    let (mut files, mut errors) = (Vec::new(), Vec::new());
    if !dir.is_dir() {
        return None;
    }
    collect(dir, "", &mut BTreeSet::new(), &mut files, &mut errors);
    errors.is_empty().then_some(files)
}

/// A diagnostic for a file that is not UTF-8, pointing at the first bad byte.
fn not_utf8(path: &Path, bytes: &[u8], err: std::str::Utf8Error) -> Diagnostic {
    let at = err.valid_up_to();
    let valid = bytes
        .get(..at)
        .and_then(|b| std::str::from_utf8(b).ok())
        .unwrap_or_default();
    let byte = bytes.get(at).copied().unwrap_or_default();
    let mut diag = Diagnostic::new(
        path,
        JsonPath::root(),
        format!("the file is not valid UTF-8: byte 0x{byte:02X} at offset {at} cannot start or continue a character"),
    )
    .with_help("lexicons are UTF-8 JSON; re-save the file as UTF-8");
    diag.position = Some(path::line_col(valid, at));
    diag.locate(&String::from_utf8_lossy(bytes))
}

fn collect(
    dir: &Path,
    rel: &str,
    seen: &mut BTreeSet<PathBuf>,
    files: &mut Vec<(String, PathBuf)>,
    errors: &mut Vec<Diagnostic>,
) {
    // Directory symlinks are not followed, but a directory reached twice
    // (a bind mount) must not loop either.
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
        let is_link = fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
        if path.is_dir() {
            if !is_link {
                collect(&path, &child_rel, seen, files, errors);
            }
        } else if name.ends_with(".json") {
            if path.is_file() {
                files.push((child_rel, path));
            } else if let Err(e) = fs::metadata(&path) {
                // A dangling or looping symlink: say so rather than skip a lexicon.
                errors.push(Diagnostic::new(
                    &path,
                    JsonPath::root(),
                    format!("cannot read file: {e}"),
                ));
            }
        }
    }
}
