//! Reading the two versions: a lexicon directory from disk, or the same
//! directory as it was at a git revision (through [`super::git`]), and
//! checking that each is a valid lexicon set with the generator's own rules.

use super::{git, BreakingError, Side};
use crate::diagnostic::Diagnostic;
use crate::ir::RefTarget;
use crate::lexicon::{self, Schema, SourceFile};
use std::collections::BTreeMap;
use std::path::Path;

/// One version of a lexicon set.
#[derive(Debug, Clone)]
pub struct Version {
    /// Which side of the comparison this is.
    pub side: Side,
    /// The files, parsed.
    pub files: Vec<SourceFile>,
    /// Index into `files` by NSID.
    by_nsid: BTreeMap<String, usize>,
}

impl Version {
    /// A version from parsed files. A file whose NSID repeats an earlier
    /// one is left out of the index (the set check reports it).
    pub fn new(side: Side, files: Vec<SourceFile>) -> Version {
        let mut by_nsid = BTreeMap::new();
        for (i, f) in files.iter().enumerate() {
            by_nsid.entry(f.doc.id.clone()).or_insert(i);
        }
        Version {
            side,
            files,
            by_nsid,
        }
    }

    /// Reads every lexicon under `dir`.
    pub fn from_dir(dir: &Path, side: Side) -> Result<Version, BreakingError> {
        lexicon::load_dir(dir)
            .map(|files| Version::new(side, files))
            .map_err(|diagnostics| BreakingError::Lexicon { side, diagnostics })
    }

    /// Reads the lexicons under `dir` as they were at git revision `rev`.
    /// A directory that did not exist yet gives an empty version.
    pub fn from_git(dir: &Path, rev: &str) -> Result<Version, BreakingError> {
        let mut files = Vec::new();
        let mut errors = Vec::new();
        for blob in git::read_dir_at(dir, rev)? {
            let shown = Path::new(&blob.shown);
            match String::from_utf8(blob.bytes) {
                Ok(text) => match lexicon::load_str(&blob.rel_path, shown, &text) {
                    Ok(file) => files.push(file),
                    Err(d) => errors.push(*d),
                },
                Err(e) => errors.push(Diagnostic::new(
                    shown,
                    lexicon::path::JsonPath::root(),
                    format!(
                        "the file is not valid UTF-8 (first bad byte at offset {})",
                        e.utf8_error().valid_up_to()
                    ),
                )),
            }
        }
        if errors.is_empty() {
            Ok(Version::new(Side::Old, files))
        } else {
            Err(BreakingError::Lexicon {
                side: Side::Old,
                diagnostics: errors,
            })
        }
    }

    /// The file of lexicon `nsid`.
    pub fn file(&self, nsid: &str) -> Option<&SourceFile> {
        self.by_nsid.get(nsid).and_then(|&i| self.files.get(i))
    }

    /// The NSIDs, sorted.
    pub fn nsids(&self) -> impl Iterator<Item = &str> {
        self.by_nsid.keys().map(String::as_str)
    }

    /// The def a reference points at, with its file.
    pub fn def(&self, target: &RefTarget) -> Option<(&SourceFile, &Schema)> {
        let file = self.file(&target.nsid)?;
        Some((file, file.doc.defs.get(&target.def)?))
    }

    /// Checks the set as `lexgen lint` does. Problems reported exactly at
    /// one of `expected` (refs to removed defs, already reported as
    /// breaking changes) are not errors.
    pub fn check(&self, expected: &[&Diagnostic]) -> Result<(), BreakingError> {
        let Err(all) = crate::ir::resolve(&self.files) else {
            return Ok(());
        };
        let diagnostics: Vec<Diagnostic> = all
            .into_iter()
            .filter(|d| {
                !expected
                    .iter()
                    .any(|e| e.file == d.file && e.json_path == d.json_path)
            })
            .collect();
        if diagnostics.is_empty() {
            Ok(())
        } else {
            Err(BreakingError::Lexicon {
                side: self.side,
                diagnostics,
            })
        }
    }
}
