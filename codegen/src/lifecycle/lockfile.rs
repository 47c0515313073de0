//! `lexicons.json`, the manifest and lockfile shared with `@atproto/lex`:
//! `{"version": 1, "lexicons": [NSID…], "resolutions": {NSID: {"uri", "cid"}}}`.
//! `lexicons` lists what was asked for; `resolutions` pins every lexicon
//! installed, dependencies included, to the record it came from.
//!
//! Also the check behind `install --ci` and `check --lockfile`: every
//! pinned lexicon's local file must hash to the pinned CID.

use super::error::{io, LifecycleError};
use super::lexicon_cid;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

/// The contents of `lexicons.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Always 1.
    pub version: u32,
    /// The NSIDs installed on request (not their dependencies), sorted.
    pub lexicons: BTreeSet<String>,
    /// Where every installed lexicon came from, by NSID.
    pub resolutions: BTreeMap<String, Resolution>,
}

/// One pinned lexicon.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resolution {
    /// `at://DID/com.atproto.lexicon.schema/NSID`.
    pub uri: String,
    /// The record's CID.
    pub cid: String,
}

impl Default for Manifest {
    fn default() -> Self {
        Manifest {
            version: 1,
            lexicons: BTreeSet::new(),
            resolutions: BTreeMap::new(),
        }
    }
}

impl Manifest {
    /// Reads `path`; `None` when there is no such file.
    pub fn read(path: &Path) -> Result<Option<Manifest>, LifecycleError> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io("reading", path)(e)),
        };
        Manifest::parse(&text)
            .map(Some)
            .map_err(|message| LifecycleError::Manifest {
                path: path.to_path_buf(),
                message,
            })
    }

    /// Parses a manifest, naming the JSON path of the first problem.
    pub fn parse(text: &str) -> Result<Manifest, String> {
        let de = &mut serde_json::Deserializer::from_str(text);
        let manifest: Manifest = serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            if path == "." {
                e.into_inner().to_string()
            } else {
                format!("at {path}: {}", e.into_inner())
            }
        })?;
        if manifest.version != 1 {
            return Err(format!(
                "at version: unsupported manifest version {} (expected 1)",
                manifest.version
            ));
        }
        // NSIDs become file paths: anything else (`../x`) is refused here.
        let nsid = |at: String, s: &str| {
            crate::ir::Nsid::parse(s)
                .map(|_| ())
                .map_err(|e| format!("at {at}: {s:?} is not an NSID: {e}"))
        };
        for (i, n) in manifest.lexicons.iter().enumerate() {
            nsid(format!("lexicons[{i}]"), n)?;
        }
        for (n, r) in &manifest.resolutions {
            nsid(format!("resolutions.{n}"), n)?;
            if !r.uri.starts_with("at://") {
                return Err(format!(
                    "at resolutions.{n}.uri: {:?} is not an at:// URI",
                    r.uri
                ));
            }
        }
        Ok(manifest)
    }

    /// The manifest as written to disk: pretty JSON, keys sorted, with a
    /// final newline (stable, so that it diffs well in review).
    pub fn to_text(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Writes the manifest atomically.
    pub fn write(&self, path: &Path) -> Result<(), LifecycleError> {
        super::files::write_atomic(path, self.to_text().as_bytes())
    }
}

/// The file of lexicon `nsid` under `dir` (`com.example.fooBar` ->
/// `com/example/fooBar.json`).
pub fn lexicon_path(dir: &Path, nsid: &str) -> PathBuf {
    let mut path = dir.to_path_buf();
    for segment in nsid.split('.') {
        path.push(segment);
    }
    path.set_extension("json");
    path
}

/// A pinned lexicon whose local file does not match the lockfile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// The NSID.
    pub nsid: String,
    /// The local file.
    pub file: PathBuf,
    /// The CID in the lockfile.
    pub pinned: String,
    /// The local file's CID, or why there is none.
    pub local: Result<String, String>,
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.local {
            Ok(cid) => write!(
                f,
                "{}: {} has CID {cid}, but lexicons.json pins {}",
                self.nsid,
                self.file.display(),
                self.pinned
            ),
            Err(why) => write!(
                f,
                "{}: {} {why}; lexicons.json pins {}",
                self.nsid,
                self.file.display(),
                self.pinned
            ),
        }
    }
}

/// Compares every lexicon pinned in `manifest` with its file under `dir`,
/// offline. Lexicons in `dir` that the manifest does not pin (your own)
/// are not checked.
pub fn verify(dir: &Path, manifest: &Manifest) -> Vec<Mismatch> {
    verify_dirs(&[dir.to_path_buf()], manifest)
}

/// [`verify`] over several lexicon directories (as `--lexicons` may be
/// repeated): a pinned lexicon's file is the first one found.
pub fn verify_dirs(dirs: &[PathBuf], manifest: &Manifest) -> Vec<Mismatch> {
    let mut mismatches = Vec::new();
    for (nsid, pinned) in &manifest.resolutions {
        let candidates: Vec<PathBuf> = dirs.iter().map(|d| lexicon_path(d, nsid)).collect();
        let Some(file) = candidates
            .iter()
            .find(|f| f.exists())
            .or(candidates.first())
            .cloned()
        else {
            continue;
        };
        let local = local_cid(&file);
        if local.as_ref() != Ok(&pinned.cid) {
            mismatches.push(Mismatch {
                nsid: nsid.clone(),
                file,
                pinned: pinned.cid.clone(),
                local,
            });
        }
    }
    mismatches
}

/// The CID of a local lexicon file, as published.
fn local_cid(file: &Path) -> Result<String, String> {
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err("is missing".into()),
        Err(e) => return Err(format!("cannot be read ({e})")),
    };
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("is not JSON ({e})"))?;
    lexicon_cid(&value).map_err(|e| format!("has no CID ({e})"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_the_atproto_lex_format() {
        let text = r#"{
  "version": 1,
  "lexicons": ["com.example.b", "com.example.a"],
  "resolutions": {
    "com.example.a": {"uri": "at://did:plc:x/com.atproto.lexicon.schema/com.example.a", "cid": "bafyrei"}
  }
}"#;
        let m = Manifest::parse(text).unwrap();
        assert_eq!(
            m.lexicons.iter().collect::<Vec<_>>(),
            ["com.example.a", "com.example.b"]
        );
        assert_eq!(Manifest::parse(&m.to_text()).unwrap(), m);
        assert!(m
            .to_text()
            .starts_with("{\n  \"version\": 1,\n  \"lexicons\": [\n"));
    }

    #[test]
    fn bad_manifests_name_the_json_path() {
        let err =
            Manifest::parse(r#"{"version":1,"lexicons":[],"resolutions":{"a.b.c":{"uri":"x"}}}"#)
                .unwrap_err();
        assert!(
            err.starts_with("at resolutions.a.b.c: missing field `cid`"),
            "{err}"
        );
        let err = Manifest::parse(r#"{"version":2,"lexicons":[],"resolutions":{}}"#).unwrap_err();
        assert_eq!(
            err,
            "at version: unsupported manifest version 2 (expected 1)"
        );
    }

    #[test]
    fn manifest_keys_must_be_nsids() {
        let err = Manifest::parse(r#"{"version":1,"lexicons":["../../etc"],"resolutions":{}}"#)
            .unwrap_err();
        assert!(
            err.starts_with("at lexicons[0]: \"../../etc\" is not an NSID"),
            "{err}"
        );
        let err = Manifest::parse(
            r#"{"version":1,"lexicons":[],"resolutions":{"a.b/../c":{"uri":"at://x","cid":"b"}}}"#,
        )
        .unwrap_err();
        assert!(err.starts_with("at resolutions.a.b/../c:"), "{err}");
        let err = Manifest::parse(
            r#"{"version":1,"lexicons":[],"resolutions":{"a.b.c":{"uri":"https://x","cid":"b"}}}"#,
        )
        .unwrap_err();
        assert!(err.contains("not an at:// URI"), "{err}");
    }

    #[test]
    fn lexicon_paths_follow_the_nsid() {
        assert_eq!(
            lexicon_path(Path::new("lex"), "com.example.fooBar"),
            Path::new("lex/com/example/fooBar.json")
        );
    }
}
