//! What a run removes: files of the previous run that this one no longer
//! produces (listed in the previous manifest, still carrying lexgen's marker,
//! reached without symlinks, nested crates, `target/` or hidden directories),
//! and temporary files that a killed run left in the directories lexgen
//! manages (only under the lock, so no live run owns them).

use super::manifest::Previous;
use super::paths::{file_is_lexgen, Guard};
use super::{io, WriteError};
use crate::emit::GeneratedFile;
use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

/// Marks lexgen's temporary files: `.{name}.lexgen-{pid}-{n}.tmp`.
const TMP_INFIX: &str = ".lexgen-";
const TMP_SUFFIX: &str = ".tmp";

/// The temporary name (in the same directory) for the file `name`.
pub fn temp_name(name: &str, pid: u32, n: usize) -> String {
    format!(".{name}{TMP_INFIX}{pid}-{n}{TMP_SUFFIX}")
}

/// Whether `name` is one of lexgen's temporary file names.
pub fn is_temp_name(name: &str) -> bool {
    let Some(rest) = name
        .strip_prefix('.')
        .and_then(|n| n.strip_suffix(TMP_SUFFIX))
    else {
        return false;
    };
    let Some((_, id)) = rest.rsplit_once(TMP_INFIX) else {
        return false;
    };
    let mut parts = id.split('-');
    let digits =
        |p: Option<&str>| p.is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    digits(parts.next()) && digits(parts.next()) && parts.next().is_none()
}

/// Files of the previous run that `files` no longer contains and that lexgen
/// may remove.
pub fn stale_files(
    out: &Path,
    previous: &Previous,
    files: &[GeneratedFile],
    guard: &mut Guard,
) -> Vec<String> {
    let wanted: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    previous
        .files()
        .filter(|rel| !wanted.contains(rel))
        .filter(|rel| guard.why_not(rel).is_none() && file_is_lexgen(&out.join(rel)))
        .map(str::to_string)
        .collect()
}

/// Removes lexgen's temporary files from the directories (relative to `out`)
/// in `dirs`. Call only under the lock.
pub fn remove_leftover_temps(out: &Path, dirs: &BTreeSet<String>) -> Result<(), WriteError> {
    for rel in dirs {
        let dir = if rel.is_empty() {
            out.to_path_buf()
        } else {
            out.join(rel)
        };
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.filter_map(Result::ok) {
            let is_file = entry.file_type().is_ok_and(|k| k.is_file());
            if is_file && is_temp_name(&entry.file_name().to_string_lossy()) {
                let path = entry.path();
                fs::remove_file(&path).map_err(io("removing", &path))?;
            }
        }
    }
    Ok(())
}

/// The directories (relative to the output directory, `""` for itself) that
/// hold the files `rels`.
pub fn parent_dirs<'a>(rels: impl Iterator<Item = &'a str>) -> BTreeSet<String> {
    rels.map(|rel| rel.rsplit_once('/').map_or("", |(dir, _)| dir).to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temp_names_are_recognised_exactly() {
        let name = temp_name("lib.rs", 42, 7);
        assert_eq!(name, ".lib.rs.lexgen-42-7.tmp");
        assert!(is_temp_name(&name));
        for other in [
            "lib.rs",
            ".lib.rs.tmp",
            ".lib.rs.lexgen-.tmp",
            ".lib.rs.lexgen-1-x.tmp",
            ".lib.rs.lexgen-1-2-3.tmp",
            "lib.rs.lexgen-1-2.tmp",
        ] {
            assert!(!is_temp_name(other), "{other}");
        }
    }
}
