//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};

pub mod construction;
pub mod fake_net;
pub mod pds;
pub mod recording_proxy;
pub mod session_server;
pub mod xrpc;

/// The repository root.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A path under the repository root.
pub fn repo_path(rel: &str) -> PathBuf {
    repo_root().join(rel)
}

/// Runs the `lexgen` CLI in-process; returns (exit code, stdout, stderr).
pub fn lexgen<I, S>(args: I) -> (i32, String, String)
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut argv = vec!["lexgen".to_string()];
    argv.extend(args.into_iter().map(|a| a.as_ref().to_string()));
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = atproto_lexgen::cli::run(argv, &mut out, &mut err);
    (
        code,
        String::from_utf8_lossy(&out).into_owned(),
        String::from_utf8_lossy(&err).into_owned(),
    )
}

/// Every file under `dir` with its bytes, sorted by relative path.
pub fn snapshot_dir(dir: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(dir: &Path, base: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, base, out);
            } else if let Ok(bytes) = std::fs::read(&path) {
                let rel = path.strip_prefix(base).unwrap_or(&path);
                out.push((rel.to_string_lossy().replace('\\', "/"), bytes));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// Copies a directory tree.
pub fn copy_dir(from: &Path, to: &Path) {
    for (rel, bytes) in snapshot_dir(from) {
        let target = to.join(&rel);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).expect("create dir");
        }
        std::fs::write(&target, bytes).expect("write file");
    }
}

/// The seed example: createSession's response body, as JSON text.
pub fn seed_create_session_output() -> serde_json::Value {
    let text = std::fs::read_to_string(repo_path("tests/data/createSession-response.json"))
        .expect("tests/data/createSession-response.json");
    serde_json::from_str(&text).expect("seed JSON")
}
