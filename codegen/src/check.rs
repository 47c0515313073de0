//! Drift check: compare what `generate` would write with what is on disk.

use crate::emit::GeneratedFile;
use crate::write::{lock, plan, transaction, Layout, WriteError};
use similar::TextDiff;
use std::fmt;
use std::path::Path;

/// How the output directory differs from what `generate` would write.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Drift {
    /// Files that would be created.
    pub missing: Vec<String>,
    /// Generated files that would be removed.
    pub extra: Vec<String>,
    /// Files that would change: path and unified diff (disk -> expected).
    pub changed: Vec<(String, String)>,
}

impl Drift {
    /// Whether the directory is up to date.
    pub fn is_clean(&self) -> bool {
        self.missing.is_empty() && self.extra.is_empty() && self.changed.is_empty()
    }
}

impl fmt::Display for Drift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_clean() {
            return f.write_str("up to date");
        }
        for path in &self.missing {
            writeln!(f, "missing: {path}")?;
        }
        for path in &self.extra {
            writeln!(f, "extra:   {path} (generated, but no longer produced)")?;
        }
        for (path, _) in &self.changed {
            writeln!(f, "changed: {path}")?;
        }
        for (_, diff) in &self.changed {
            write!(f, "\n{diff}")?;
        }
        Ok(())
    }
}

/// Compares `files` with `out_dir`, as `generate` would see it: whatever
/// would make `generate` refuse (a directory or file that is not lexgen's, an
/// unfinished run) is an error here too, not drift.
pub fn compare(
    out_dir: &Path,
    files: &[GeneratedFile],
    layout: Layout,
) -> Result<Drift, WriteError> {
    let files = layout.complete(files);
    // Shared: a running `generate` finishes before this reads anything.
    let _lock = lock::shared(out_dir)?;
    if layout == Layout::Crate && transaction::journal_exists(out_dir) {
        return Err(WriteError::Interrupted {
            dir: out_dir.to_path_buf(),
        });
    }
    let plan = plan(out_dir, &files, layout)?;
    let mut drift = Drift::default();
    for write in plan.writes {
        let Some(old) = write.old else {
            drift.missing.push(write.file.path.clone());
            continue;
        };
        let (path, new) = (&write.file.path, write.file.contents.as_str());
        let old = String::from_utf8_lossy(&old);
        let diff = TextDiff::from_lines(old.as_ref(), new)
            .unified_diff()
            .context_radius(3)
            .header(&format!("a/{path}"), &format!("b/{path}"))
            .to_string();
        drift.changed.push((path.clone(), diff));
    }
    drift.extra = plan.stale;
    Ok(drift)
}
