//! Making writes durable with few syncs. On Linux one `syncfs` on the output
//! directory's filesystem covers every file and directory entry written so
//! far, however many; elsewhere each file and directory is synced.

use super::{io, WriteError};
use std::fs::File;
use std::path::{Path, PathBuf};

/// Makes the given files (and the directory entries naming them, in `dirs`)
/// durable; everything lives under `out`.
pub fn sync(out: &Path, files: &[PathBuf], dirs: &[PathBuf]) -> Result<(), WriteError> {
    if files.is_empty() && dirs.is_empty() {
        return Ok(());
    }
    #[cfg(target_os = "linux")]
    {
        let _ = (files, dirs);
        let dir = File::open(out).map_err(io("opening", out))?;
        rustix::fs::syncfs(&dir).map_err(|e| io("syncing", out)(e.into()))
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = out;
        for file in files {
            File::open(file)
                .and_then(|f| f.sync_all())
                .map_err(io("syncing", file))?;
        }
        for dir in dirs {
            sync_dir(dir);
        }
        Ok(())
    }
}

/// Syncs one file just written (the journal) and its directory entry.
pub fn sync_file(file: &File, path: &Path) -> Result<(), WriteError> {
    file.sync_all().map_err(io("syncing", path))?;
    if let Some(dir) = path.parent() {
        sync_dir(dir);
    }
    Ok(())
}

/// Best effort: not every platform can open a directory.
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}
