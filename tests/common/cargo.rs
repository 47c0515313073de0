//! Building generated crates outside this workspace, as their users would:
//! a temporary workspace (with this repository's Cargo.lock, so versions
//! are pinned and nothing is fetched) built by the same cargo, offline, in a
//! target directory of its own (the running `cargo test` holds the lock on
//! the workspace's), shared by every such test so dependencies compile once.

use lexgen_tests::repo_path;
use std::path::Path;
use std::process::Command;

/// Writes a workspace manifest at `root` with `members` and extra TOML
/// (e.g. a `[patch.crates-io]` table), plus the repository's Cargo.lock.
pub fn workspace(root: &Path, members: &[&str], extra: &str) {
    let members: Vec<String> = members.iter().map(|m| format!("{m:?}")).collect();
    let manifest = format!(
        "[workspace]\nresolver = \"2\"\nmembers = [{}]\n{extra}",
        members.join(", ")
    );
    std::fs::write(root.join("Cargo.toml"), manifest).expect("write workspace manifest");
    std::fs::copy(repo_path("Cargo.lock"), root.join("Cargo.lock")).expect("copy Cargo.lock");
}

/// Runs `cargo <args> --offline` in `dir`; returns (success, stderr).
pub fn cargo(dir: &Path, args: &[&str]) -> (bool, String) {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(args)
        .arg("--offline")
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", repo_path("target/outside-crates"))
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .expect("run cargo");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Asserts that cargo succeeded without a warning about the crates under
/// test (dependencies' warnings are not ours to fix).
pub fn assert_clean(dir: &Path, args: &[&str]) {
    let (ok, stderr) = cargo(dir, args);
    assert!(ok, "cargo {args:?} failed in {}:\n{stderr}", dir.display());
    assert!(
        !stderr.contains("warning:"),
        "cargo {args:?} warned in {}:\n{stderr}",
        dir.display()
    );
}
