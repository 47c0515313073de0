//! A lock on the output directory, held for a whole run, so two runs on the
//! same crate never interleave (and never clean up each other's temporary
//! files). `generate` takes it exclusively, `check` shared.
//!
//! On Unix the directory itself is locked (`flock` on its descriptor, through
//! fs4): nothing is added to the crate, and the lock is tied to the directory
//! whatever path reaches it. Elsewhere a `.lexgen-lock` file in the directory
//! is locked; it is kept, since deleting a lock file lets two runs lock two
//! different files. A second run waits, saying so on stderr after a second.
//!
//! Why fs4 rather than fd-lock: fs4 (the maintained successor of fs2) adds
//! lock methods to a plain `std::fs::File`, which is all a directory lock
//! needs; fd-lock wraps the file in an `RwLock` whose guard borrows it, which
//! buys nothing here. Both are `flock`/`LockFileEx` underneath, and fs4's
//! rustix is already in the dependency tree.

use super::{io, WriteError};
use fs4::FileExt;
use fs4::TryLockError;
use std::fs::File;
use std::path::Path;
use std::time::{Duration, Instant};

/// The lock file's name where directories cannot be locked.
pub const LOCK_FILE: &str = ".lexgen-lock";

/// How long to wait quietly before saying that another run holds the lock.
const QUIET_WAIT: Duration = Duration::from_secs(1);

/// A held lock; released when dropped.
#[derive(Debug)]
pub struct OutLock {
    _file: File,
}

/// Locks `out` (which must exist) exclusively, waiting for other runs.
pub fn exclusive(out: &Path) -> Result<OutLock, WriteError> {
    let file = open(out, true)?.ok_or_else(|| missing(out))?;
    acquire(file, out, true)
}

/// Locks `out` shared if it exists (a reader: `check`).
pub fn shared(out: &Path) -> Result<Option<OutLock>, WriteError> {
    if !out.is_dir() {
        return Ok(None);
    }
    match open(out, false)? {
        Some(file) => acquire(file, out, false).map(Some),
        None => Ok(None),
    }
}

fn missing(out: &Path) -> WriteError {
    io("locking", out)(std::io::ErrorKind::NotFound.into())
}

#[cfg(unix)]
fn open(out: &Path, _create: bool) -> Result<Option<File>, WriteError> {
    File::open(out)
        .map(Some)
        .map_err(io("opening to lock", out))
}

#[cfg(not(unix))]
fn open(out: &Path, create: bool) -> Result<Option<File>, WriteError> {
    let path = out.join(LOCK_FILE);
    match File::options()
        .read(true)
        .write(true)
        .create(create)
        .open(&path)
    {
        Ok(file) => Ok(Some(file)),
        Err(e) if !create && e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io("opening to lock", &path)(e)),
    }
}

fn acquire(file: File, out: &Path, exclusive: bool) -> Result<OutLock, WriteError> {
    // Fully qualified: std's own `File::lock` (Rust 1.89) would shadow fs4's.
    let try_lock = |f: &File| {
        if exclusive {
            FileExt::try_lock(f)
        } else {
            FileExt::try_lock_shared(f)
        }
    };
    let start = Instant::now();
    loop {
        match try_lock(&file) {
            Ok(()) => return Ok(OutLock { _file: file }),
            Err(TryLockError::Error(e)) => return Err(io("locking", out)(e)),
            Err(TryLockError::WouldBlock) if start.elapsed() < QUIET_WAIT => {
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(TryLockError::WouldBlock) => break,
        }
    }
    eprintln!(
        "lexgen: waiting for another lexgen run on {} to finish...",
        out.display()
    );
    let blocking = if exclusive {
        FileExt::lock(&file)
    } else {
        FileExt::lock_shared(&file)
    };
    blocking.map_err(io("locking", out))?;
    Ok(OutLock { _file: file })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    #[test]
    fn a_second_run_waits_for_the_first() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let first = exclusive(tmp.path()).expect("first lock");
        let (sent, got) = mpsc::channel();
        let dir = tmp.path().to_path_buf();
        let second = std::thread::spawn(move || {
            let lock = exclusive(&dir).expect("second lock");
            sent.send(()).expect("send");
            drop(lock);
        });
        assert!(
            got.recv_timeout(Duration::from_millis(300)).is_err(),
            "the second run must wait"
        );
        drop(first);
        got.recv_timeout(Duration::from_secs(10))
            .expect("the second run goes on once the first is done");
        second.join().expect("thread");
        // A reader waits for a writer too, but readers share.
        let _a = shared(tmp.path()).expect("shared").expect("exists");
        let _b = shared(tmp.path()).expect("shared").expect("exists");
    }
}
