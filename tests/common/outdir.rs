//! Output-directory fixtures shared by `broken_lexicons.rs`, `safe_writes.rs`
//! and `hostile.rs`: a pre-filled output directory, and a fingerprint of every
//! entry (kind, bytes and mtime) to prove that a failed run touched nothing.

// Each test crate including this file uses a part of it.
#![allow(dead_code)]

use std::fs;
use std::path::Path;
use std::time::{Duration, SystemTime};

/// One directory entry: relative path, bytes (files only), mtime.
pub type Entry = (String, Option<Vec<u8>>, SystemTime);

/// Every entry under `dir`, sorted; symlinks are not followed.
pub fn fingerprint(dir: &Path) -> Vec<Entry> {
    fn walk(dir: &Path, base: &Path, out: &mut Vec<Entry>) {
        let entries = fs::read_dir(dir).expect("read output dir");
        for entry in entries {
            let path = entry.expect("dir entry").path();
            let meta = fs::symlink_metadata(&path).expect("metadata");
            let rel = path
                .strip_prefix(base)
                .expect("under base")
                .to_string_lossy()
                .replace('\\', "/");
            let mtime = meta.modified().expect("mtime");
            if meta.is_dir() {
                out.push((format!("{rel}/"), None, mtime));
                walk(&path, base, out);
            } else if meta.file_type().is_symlink() {
                let target = fs::read_link(&path).expect("read link");
                let bytes = target.to_string_lossy().into_owned().into_bytes();
                out.push((format!("{rel}@"), Some(bytes), mtime));
            } else {
                out.push((rel, Some(fs::read(&path).expect("read")), mtime));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// A fixed, old mtime: a rewrite with the same bytes would still show.
pub fn old_time() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000)
}

/// Copies `from` (recursively) to `to`, giving every file [`old_time`].
pub fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create dir");
    for entry in fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("dir entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy");
            set_mtime(&target, old_time());
        }
    }
}

/// Sets a file's mtime.
pub fn set_mtime(path: &Path, time: SystemTime) {
    let file = fs::File::options()
        .write(true)
        .open(path)
        .expect("open for mtime");
    file.set_modified(time).expect("set mtime");
}

/// [`assert_same`] for files only (bytes and mtimes) and the set of
/// directories: a failed run may leave directory mtimes changed.
pub fn assert_same_files(before: &[Entry], after: &[Entry], what: &str) {
    let strip = |entries: &[Entry]| -> Vec<Entry> {
        entries
            .iter()
            .map(|(rel, bytes, mtime)| match bytes {
                Some(_) => (rel.clone(), bytes.clone(), *mtime),
                None => (rel.clone(), None, old_time()),
            })
            .collect()
    };
    assert_same(&strip(before), &strip(after), what);
}

/// Panics with a readable list of differences if the two fingerprints differ.
pub fn assert_same(before: &[Entry], after: &[Entry], what: &str) {
    if before == after {
        return;
    }
    let mut problems = Vec::new();
    for b in before {
        match after.iter().find(|a| a.0 == b.0) {
            None => problems.push(format!("removed: {}", b.0)),
            Some(a) if a.1 != b.1 => problems.push(format!("content changed: {}", b.0)),
            Some(a) if a.2 != b.2 => problems.push(format!("mtime changed: {}", b.0)),
            Some(_) => {}
        }
    }
    for a in after {
        if !before.iter().any(|b| b.0 == a.0) {
            problems.push(format!("created: {}", a.0));
        }
    }
    panic!(
        "{what}: the output directory changed:\n{}",
        problems.join("\n")
    );
}
