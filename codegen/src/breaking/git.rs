//! Reading a directory as it was at a git revision, with no checkout and no
//! change to the repository: `git rev-parse` finds the commit and the
//! directory's path in the repository, `git ls-tree -r -z` lists the files
//! and `git cat-file --batch` streams every blob in one process.
//!
//! The `git` binary rather than a crate: it is on every machine that has
//! the repository, reads every object format, pack, alternate and shallow
//! clone the user's git does, and understands every revision spelling
//! (`origin/main`, `HEAD~3`, `v1.2^{}`), with no new dependency in the build.

use super::BreakingError;
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};

/// A `.json` file read from the revision.
#[derive(Debug)]
pub struct Blob {
    /// Path relative to the lexicon directory, `/`-separated.
    pub rel_path: String,
    /// How diagnostics name it: `REV:PATH-IN-REPOSITORY`, as git spells it.
    pub shown: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

/// Runs git in `dir`; its stdout, or the error it printed.
fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
    }
}

fn git_line(dir: &Path, args: &[&str]) -> Result<String, String> {
    let out = git(dir, args)?;
    Ok(String::from_utf8_lossy(&out)
        .trim_end_matches('\n')
        .to_string())
}

/// Every `*.json` file under `dir` at revision `rev`, sorted by path; none
/// if the directory did not exist at that revision.
pub fn read_dir_at(dir: &Path, rev: &str) -> Result<Vec<Blob>, BreakingError> {
    let fail = |what: String| BreakingError::Git(what);
    if rev.is_empty() || rev.starts_with('-') {
        return Err(fail(format!(
            "--against {rev:?} is neither a directory nor a git revision"
        )));
    }
    let prefix = git_line(dir, &["rev-parse", "--show-prefix"]).map_err(|e| {
        fail(format!(
            "--against {rev:?} is not a directory, and {} is not in a git repository to read it from: {e}",
            dir.display()
        ))
    })?;
    let top = git_line(dir, &["rev-parse", "--show-toplevel"]).map_err(fail)?;
    let top = Path::new(&top);
    let commit = git_line(
        top,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            "--end-of-options",
            &format!("{rev}^{{commit}}"),
        ],
    )
    .map_err(|_| {
        fail(format!(
            "--against {rev:?} is neither a directory nor a known git revision"
        ))
    })?;
    let prefix = prefix.trim_end_matches('/');
    let tree = format!("{commit}:{prefix}");
    // (`REV:PATH^{tree}` would read `^{tree}` as part of the path.)
    let Ok(tree) = git_line(top, &["rev-parse", "--verify", "--quiet", &tree]) else {
        return Ok(Vec::new());
    };
    let listing = git(top, &["ls-tree", "-r", "-z", "--full-tree", &tree]).map_err(fail)?;
    let mut entries: Vec<(String, String)> = Vec::new();
    for entry in listing.split(|&b| b == 0).filter(|e| !e.is_empty()) {
        let entry = String::from_utf8_lossy(entry);
        // `<mode> SP <type> SP <object> TAB <path>`
        let Some((meta, path)) = entry.split_once('\t') else {
            continue;
        };
        let mut meta = meta.split(' ');
        let (mode, kind, oid) = (meta.next(), meta.next(), meta.next());
        // Regular files only: symlinks (120000) and submodules are skipped.
        if kind == Some("blob") && mode != Some("120000") && path.ends_with(".json") {
            if let Some(oid) = oid {
                entries.push((path.to_string(), oid.to_string()));
            }
        }
    }
    entries.sort();
    let blobs = cat_blobs(top, entries.iter().map(|(_, oid)| oid.as_str())).map_err(fail)?;
    let shown_dir = if prefix.is_empty() {
        String::new()
    } else {
        format!("{prefix}/")
    };
    Ok(entries
        .into_iter()
        .zip(blobs)
        .map(|((rel_path, _), bytes)| Blob {
            shown: format!("{rev}:{shown_dir}{rel_path}"),
            rel_path,
            bytes,
        })
        .collect())
}

/// The contents of the blobs `oids`, in order, from one `git cat-file --batch`.
fn cat_blobs<'a>(top: &Path, oids: impl Iterator<Item = &'a str>) -> Result<Vec<Vec<u8>>, String> {
    let input: String = oids.map(|o| format!("{o}\n")).collect();
    let mut child = Command::new("git")
        .arg("-C")
        .arg(top)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot run git: {e}"))?;
    let mut stdin = child.stdin.take().ok_or("git cat-file: no stdin")?;
    // Written from a thread: git answers as it reads, and both pipes are
    // bounded, so writing everything before reading could deadlock.
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let mut out = Vec::new();
    let read = child
        .stdout
        .take()
        .ok_or("git cat-file: no stdout")?
        .read_to_end(&mut out);
    let written = writer.join();
    let status = child.wait().map_err(|e| e.to_string())?;
    read.map_err(|e| e.to_string())?;
    if !matches!(written, Ok(Ok(()))) || !status.success() {
        return Err("git cat-file --batch failed".into());
    }
    parse_batch(&out)
}

/// Splits `git cat-file --batch` output: per object a header line
/// `<oid> <type> <size>`, the content, and a newline.
fn parse_batch(mut out: &[u8]) -> Result<Vec<Vec<u8>>, String> {
    let mut blobs = Vec::new();
    while !out.is_empty() {
        let nl = out
            .iter()
            .position(|&b| b == b'\n')
            .ok_or("git cat-file: truncated header")?;
        let header = String::from_utf8_lossy(&out[..nl]).to_string();
        let size: usize = header
            .rsplit(' ')
            .next()
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| format!("git cat-file: unexpected {header:?}"))?;
        let body = out
            .get(nl + 1..nl + 1 + size)
            .ok_or("git cat-file: truncated object")?;
        blobs.push(body.to_vec());
        out = out.get(nl + 2 + size..).unwrap_or_default();
    }
    Ok(blobs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batch_output_is_split_by_size() {
        let out = b"aa blob 3\n{}\n\nbb blob 0\n\n";
        let blobs = parse_batch(out).expect("parses");
        assert_eq!(blobs, vec![b"{}\n".to_vec(), Vec::new()]);
        assert!(parse_batch(b"aa missing\n").is_err());
        assert!(parse_batch(b"aa blob 9\n{}\n").is_err());
    }
}
