//! Drift check: compare what `generate` would write with what is on disk.

use crate::emit::GeneratedFile;
use crate::write::{stale_files, WriteError};
use similar::TextDiff;
use std::fmt;
use std::fs;
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

/// Compares `files` with `out_dir`.
pub fn compare(out_dir: &Path, files: &[GeneratedFile]) -> Result<Drift, WriteError> {
    let mut drift = Drift::default();
    for file in files {
        let path = out_dir.join(&file.path);
        match fs::read(&path) {
            Ok(old) if old == file.contents.as_bytes() => {}
            Ok(old) => {
                let old = String::from_utf8_lossy(&old);
                let diff = TextDiff::from_lines(old.as_ref(), file.contents.as_str())
                    .unified_diff()
                    .context_radius(3)
                    .header(&format!("a/{}", file.path), &format!("b/{}", file.path))
                    .to_string();
                drift.changed.push((file.path.clone(), diff));
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                drift.missing.push(file.path.clone())
            }
            Err(source) => {
                return Err(WriteError::Io {
                    action: "reading",
                    path,
                    source,
                })
            }
        }
    }
    drift.extra = stale_files(out_dir, files)?;
    Ok(drift)
}
