//! The fingerprint a crate's manifest records, so that `check` can confirm
//! an unchanged tree without generating it again: a hash of the inputs (the
//! generator itself, the options, every lexicon file's path and bytes) and a
//! hash of the outputs (every listed file's path and bytes, as written).
//!
//! While both match, the tree is exactly what `generate` would write: the
//! output is a function of those inputs. Anything else (a lexicon, an option
//! or the generator changed, a file edited, removed or made a symlink, the
//! manifest touched) falls back to the full comparison.

use super::manifest::{self, MANIFEST};
use super::paths::is_plain_rel;
use crate::emit::GeneratedFile;
use sha2::{Digest, Sha256};
use std::fs;
use std::path::{Path, PathBuf};

/// This generator: its version and a hash of its sources and of the locked
/// crates that print code (see `build.rs`).
pub const GENERATOR_ID: &str = concat!(env!("CARGO_PKG_VERSION"), "+", env!("LEXGEN_GENERATOR_ID"));

/// A SHA-256 over length-prefixed parts (so no two lists of parts collide by
/// concatenation).
struct Hasher(Sha256);

impl Hasher {
    fn new(domain: &str) -> Self {
        let mut h = Hasher(Sha256::new());
        h.part(domain.as_bytes());
        h
    }

    fn part(&mut self, bytes: &[u8]) {
        self.0.update((bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
    }

    fn hex(self) -> String {
        self.0
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

/// The inputs' hash: the generator, `options` (everything besides the
/// lexicons that shapes the output, as text), and the lexicon files of each
/// directory in turn (by path relative to it, so not by how the directory is
/// spelled). `None` when a file cannot be listed or read (the full run then
/// reports it).
pub fn inputs(options: &str, dirs: &[PathBuf]) -> Option<String> {
    let mut h = Hasher::new("lexgen inputs v1");
    h.part(GENERATOR_ID.as_bytes());
    h.part(options.as_bytes());
    for dir in dirs {
        h.part(b"directory");
        for (rel, path) in crate::lexicon::list_files(dir)? {
            h.part(rel.as_bytes());
            h.part(&fs::read(path).ok()?);
        }
    }
    Some(h.hex())
}

/// The outputs' hash over `(path, bytes)` in the manifest's (sorted) order.
fn outputs<'a>(files: impl Iterator<Item = (&'a str, &'a [u8])>) -> String {
    let mut h = Hasher::new("lexgen outputs v1");
    for (path, bytes) in files {
        h.part(path.as_bytes());
        h.part(bytes);
    }
    h.hex()
}

/// The manifest line recording both hashes.
fn line(inputs: &str, outputs: &str) -> String {
    format!("# fingerprint: {inputs} {outputs}")
}

/// `files` (a crate's, without its manifest) with a manifest recording the
/// fingerprint of `inputs` (none when `None`).
pub fn with_manifest(mut files: Vec<GeneratedFile>, inputs: Option<&str>) -> Vec<GeneratedFile> {
    files.retain(|f| f.path != MANIFEST);
    let fingerprint = inputs.map(|inputs| {
        // In the manifest's order.
        let mut sorted: Vec<&GeneratedFile> = files.iter().collect();
        sorted.sort_by(|a, b| a.path.cmp(&b.path));
        let hash = outputs(
            sorted
                .iter()
                .map(|f| (f.path.as_str(), f.contents.as_bytes())),
        );
        line(inputs, &hash)
    });
    let manifest = manifest::for_files_with(&files, fingerprint.as_deref());
    files.push(manifest);
    files
}

/// Whether `out` holds exactly what a run with these `inputs` wrote: its
/// manifest records them, lists only plain files whose bytes hash to the
/// recorded outputs, and says nothing else. Any doubt is `false`.
pub fn unchanged(out: &Path, inputs: &str) -> bool {
    let Ok(text) = fs::read_to_string(out.join(MANIFEST)) else {
        return false;
    };
    let Some((recorded_inputs, recorded_outputs)) = recorded(&text) else {
        return false;
    };
    if recorded_inputs != inputs {
        return false;
    }
    let paths: Vec<&str> = text
        .lines()
        .skip(1)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    let mut contents = Vec::with_capacity(paths.len());
    for path in &paths {
        if !is_plain_rel(path) {
            return false;
        }
        let full = out.join(path);
        // Not through a symlink: `generate` would refuse one.
        if !fs::symlink_metadata(&full).is_ok_and(|m| m.file_type().is_file()) {
            return false;
        }
        match fs::read(&full) {
            Ok(bytes) => contents.push(bytes),
            Err(_) => return false,
        }
    }
    let hash = outputs(
        paths
            .iter()
            .copied()
            .zip(contents.iter().map(Vec::as_slice)),
    );
    if hash != recorded_outputs {
        return false;
    }
    // Nothing but what `generate` writes (no line added, reordered or removed).
    let listed: Vec<GeneratedFile> = paths
        .iter()
        .map(|p| GeneratedFile {
            path: (*p).to_string(),
            contents: String::new(),
        })
        .collect();
    let expected = manifest::for_files_with(&listed, Some(&line(inputs, &hash)));
    expected.contents == text
}

/// The `(inputs, outputs)` hashes a manifest records.
fn recorded(text: &str) -> Option<(&str, &str)> {
    let rest = text
        .lines()
        .find_map(|l| l.strip_prefix("# fingerprint: "))?;
    rest.split_once(' ')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, contents: &str) -> GeneratedFile {
        GeneratedFile {
            path: path.into(),
            contents: contents.into(),
        }
    }

    #[test]
    fn the_outputs_hash_depends_on_every_path_and_byte() {
        let a = outputs([("a", &b"xy"[..]), ("b", b"z")].into_iter());
        let b = outputs([("a", &b"x"[..]), ("b", b"yz")].into_iter());
        let c = outputs([("a", &b"xy"[..]), ("c", b"z")].into_iter());
        assert_ne!(a, b);
        assert_ne!(a, c);
        assert_eq!(a, outputs([("a", &b"xy"[..]), ("b", b"z")].into_iter()));
    }

    #[test]
    fn the_manifest_records_the_fingerprint_once() {
        let files = with_manifest(
            vec![file("src/lib.rs", "x"), file("Cargo.toml", "y")],
            Some("abc"),
        );
        let manifest = files.iter().find(|f| f.path == MANIFEST).expect("manifest");
        let (inputs, _) = recorded(&manifest.contents).expect("recorded");
        assert_eq!(inputs, "abc");
        assert_eq!(manifest.contents.matches("fingerprint").count(), 1);
        let plain = with_manifest(vec![file("src/lib.rs", "x")], None);
        assert!(recorded(&plain.last().expect("manifest").contents).is_none());
    }
}
