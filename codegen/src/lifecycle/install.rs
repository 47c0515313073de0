//! `lexgen install`: resolve NSIDs, fetch their lexicons and everything
//! they reference, write them under the lexicons directory by NSID, and pin
//! each in `lexicons.json`; and `install --ci`, the offline check.
//!
//! Lockfile semantics: without `--update`, a pinned lexicon whose local file
//! still has the pinned CID is reused with no network access, and one
//! fetched again must still have the pinned CID (a republished lexicon is
//! an error until `--update` accepts it). Nothing is written unless every
//! lexicon resolved, verified and parsed.

use super::error::{io, LifecycleError};
use super::lexicon_cid;
use super::lockfile::{lexicon_path, verify, Manifest, Mismatch, Resolution};
use super::resolve::{self, Network};
use crate::diagnostic::Diagnostics;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// What `install` works on.
#[derive(Debug, Clone)]
pub struct Installer {
    /// The lexicons directory.
    pub lexicons: PathBuf,
    /// The manifest (`lexicons.json`).
    pub manifest: PathBuf,
    /// Re-resolve and fetch every lexicon, accepting new CIDs.
    pub update: bool,
    /// Write the manifest.
    pub save: bool,
    /// Where to resolve.
    pub network: Network,
}

/// One lexicon installed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Installed {
    /// Its NSID.
    pub nsid: String,
    /// Where it came from, and its CID.
    pub resolution: Resolution,
    /// How: fetched, or the local file reused.
    pub fetched: bool,
    /// Whether its file was (re)written.
    pub written: bool,
}

/// What one lexicon resolved to, before anything is written.
struct Resolved {
    resolution: Resolution,
    document: Value,
    fetched: bool,
}

impl Installer {
    /// Installs `requested` (NSIDs, or `at://` URIs of lexicon records)
    /// and everything already in the manifest, with their references;
    /// returns every lexicon installed, sorted.
    pub fn install(&self, requested: &[String]) -> Result<Vec<Installed>, LifecycleError> {
        // NSID -> the DID named by an `at://` URI, which skips DNS.
        let mut sources: BTreeMap<String, Option<String>> = BTreeMap::new();
        for request in requested {
            let (nsid, did) = parse_request(request)?;
            sources.insert(nsid, did);
        }
        let old = Manifest::read(&self.manifest)?.unwrap_or_default();
        let mut roots: BTreeSet<String> = old.lexicons.clone();
        roots.extend(sources.keys().cloned());
        let mut queue: Vec<String> = roots.iter().rev().cloned().collect();
        let mut resolved: BTreeMap<String, Resolved> = BTreeMap::new();
        let mut local: BTreeSet<String> = BTreeSet::new();
        while let Some(nsid) = queue.pop() {
            if resolved.contains_key(&nsid) || local.contains(&nsid) {
                continue;
            }
            let is_root = roots.contains(&nsid);
            let source = sources.get(&nsid).cloned().flatten();
            let pinned = old.resolutions.get(&nsid);
            let Some(r) = self.resolve_one(&nsid, pinned, source.as_deref(), is_root)? else {
                local.insert(nsid); // a lexicon of the user's own
                continue;
            };
            for dep in references(&r.document, &nsid) {
                if !resolved.contains_key(&dep) {
                    queue.push(dep);
                }
            }
            resolved.insert(nsid, r);
        }
        self.check_set(&resolved, &local)?;
        let mut installed = Vec::new();
        for (nsid, r) in &resolved {
            let path = lexicon_path(&self.lexicons, nsid);
            let text = document_text(&r.document);
            // A reused file keeps its own formatting (another tool's, or
            // the user's): only what was fetched is written.
            let written =
                r.fetched && std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str());
            if written {
                super::files::write_atomic(&path, text.as_bytes())?;
            }
            installed.push(Installed {
                nsid: nsid.clone(),
                resolution: r.resolution.clone(),
                fetched: r.fetched,
                written,
            });
        }
        if self.save {
            let manifest = Manifest {
                version: 1,
                lexicons: roots,
                resolutions: resolved
                    .into_iter()
                    .map(|(nsid, r)| (nsid, r.resolution))
                    .collect(),
            };
            manifest.write(&self.manifest)?;
        }
        Ok(installed)
    }

    /// One lexicon: the local file if it matches its pin, else fetched
    /// (from `source`, a DID, when given). `None` for an unpinned
    /// dependency that exists locally (the user's).
    fn resolve_one(
        &self,
        nsid: &str,
        pinned: Option<&Resolution>,
        source: Option<&str>,
        is_root: bool,
    ) -> Result<Option<Resolved>, LifecycleError> {
        let path = lexicon_path(&self.lexicons, nsid);
        let local = read_document(&path)?;
        // A pin from another repository than the one asked for is stale.
        let pinned = pinned.filter(|pin| source.is_none() || did_of_uri(&pin.uri) == source);
        if let (Some(doc), false) = (&local, self.update) {
            let cid = lexicon_cid(doc).ok();
            match pinned {
                Some(pin) if cid.as_deref() == Some(pin.cid.as_str()) => {
                    return Ok(Some(Resolved {
                        resolution: pin.clone(),
                        document: doc.clone(),
                        fetched: false,
                    }))
                }
                None if !is_root => return Ok(None),
                _ => {}
            }
        }
        // The repository asked for, else the pinned one unless asked to
        // re-resolve, else the NSID's authority through DNS.
        let did = match (source, pinned, self.update) {
            (Some(did), _, _) => Some(did),
            (None, Some(pin), false) => did_of_uri(&pin.uri),
            _ => None,
        };
        let fetched = match did {
            Some(did) => resolve::fetch(&self.network, did, nsid)?,
            None => resolve::resolve(&self.network, nsid)?,
        };
        if let (Some(pin), false) = (pinned, self.update) {
            if pin.cid != fetched.cid {
                return Err(LifecycleError::Republished {
                    nsid: nsid.to_owned(),
                    uri: fetched.uri,
                    pinned: pin.cid.clone(),
                    published: fetched.cid,
                });
            }
        }
        Ok(Some(Resolved {
            resolution: Resolution {
                uri: fetched.uri,
                cid: fetched.cid,
            },
            // Written as the record, `$type` included, as `@atproto/lex`
            // writes it: its `lex install --ci` hashes the file as it is.
            document: fetched.record,
            fetched: true,
        }))
    }

    /// Every fetched lexicon must parse, and together with the user's own
    /// ones they refer to, form a valid set as `lexgen lint` checks it
    /// (every ref reaches a def). A file of the user's that does not parse
    /// yet is theirs to fix: the refs are then not checked across the set.
    fn check_set(
        &self,
        resolved: &BTreeMap<String, Resolved>,
        local: &BTreeSet<String>,
    ) -> Result<(), LifecycleError> {
        let load = |nsid: &str, text: &str| {
            let path = lexicon_path(&self.lexicons, nsid);
            let rel = format!("{}.json", nsid.replace('.', "/"));
            crate::lexicon::load_str(&rel, &path, text)
        };
        let mut files = Vec::new();
        let mut errors = Vec::new();
        for (nsid, r) in resolved {
            match load(nsid, &document_text(&r.document)) {
                Ok(file) => files.push(file),
                Err(d) => errors.push(*d),
            }
        }
        let mut complete = true;
        for nsid in local {
            let path = lexicon_path(&self.lexicons, nsid);
            let text = std::fs::read_to_string(&path).map_err(io("reading", &path))?;
            match load(nsid, &text) {
                Ok(file) => files.push(file),
                Err(_) => complete = false,
            }
        }
        if errors.is_empty() && complete {
            if let Err(d) = crate::ir::resolve(&files) {
                errors = d;
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(LifecycleError::Lexicon(Diagnostics(errors)))
        }
    }

    /// `install --ci`: installs nothing and touches no network; every
    /// pinned lexicon's file must have its pinned CID, and every requested
    /// NSID must be in the manifest.
    pub fn verify(&self, requested: &[String]) -> Result<Vec<Mismatch>, LifecycleError> {
        let manifest = Manifest::read(&self.manifest)?.ok_or_else(|| LifecycleError::Manifest {
            path: self.manifest.clone(),
            message: "there is no lockfile to check against; run `lexgen install` first".into(),
        })?;
        let mut mismatches = verify(&self.lexicons, &manifest);
        for request in requested {
            let (nsid, _) = parse_request(request)?;
            if !manifest.resolutions.contains_key(&nsid) {
                mismatches.push(Mismatch {
                    nsid: nsid.clone(),
                    file: lexicon_path(&self.lexicons, &nsid),
                    pinned: "nothing".into(),
                    local: Err("is not installed (not in lexicons.json)".into()),
                });
            }
        }
        Ok(mismatches)
    }
}

/// An install argument: an NSID, or the `at://DID/com.atproto.lexicon.schema/NSID`
/// URI of a lexicon record (as `@atproto/lex install` accepts).
fn parse_request(request: &str) -> Result<(String, Option<String>), LifecycleError> {
    let Some(rest) = request.strip_prefix("at://") else {
        check_nsid(request)?;
        return Ok((request.to_owned(), None));
    };
    let bad = |reason: &str| LifecycleError::BadNsid {
        input: request.to_owned(),
        reason: reason.to_owned(),
    };
    let parts: Vec<&str> = rest.split('/').collect();
    let [did, collection, nsid] = parts[..] else {
        return Err(bad(
            "an at:// URI must name a record: at://DID/com.atproto.lexicon.schema/NSID",
        ));
    };
    if collection != super::SCHEMA_COLLECTION {
        return Err(bad(
            "the record must be in collection com.atproto.lexicon.schema",
        ));
    }
    if !did.starts_with("did:") {
        return Err(bad(
            "the repository must be a DID (a handle would need resolving)",
        ));
    }
    check_nsid(nsid)?;
    Ok((nsid.to_owned(), Some(did.to_owned())))
}

fn check_nsid(nsid: &str) -> Result<(), LifecycleError> {
    crate::ir::Nsid::parse(nsid)
        .map(|_| ())
        .map_err(|reason| LifecycleError::BadNsid {
            input: nsid.to_owned(),
            reason,
        })
}

/// The DID of `at://DID/collection/rkey`.
fn did_of_uri(uri: &str) -> Option<&str> {
    uri.strip_prefix("at://")?.split('/').next()
}

/// The JSON of a local lexicon file, `None` if there is none. A file that
/// is not JSON is `null`: it exists (so an unpinned one is left alone) but
/// matches no pin.
fn read_document(path: &Path) -> Result<Option<Value>, LifecycleError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(serde_json::from_str(&text).unwrap_or(Value::Null))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io("reading", path)(e)),
    }
}

/// How an installed lexicon is written: the record as pretty JSON,
/// two-space indent, keys sorted (the published record keeps no key
/// order), final newline.
pub fn document_text(document: &Value) -> String {
    let mut text = serde_json::to_string_pretty(document).unwrap_or_default();
    text.push('\n');
    text
}

/// The other lexicons `document` (of `nsid`) needs: every `ref` and union
/// member, the lexicons of `nsid#name` tokens in `knownValues`, and the
/// endpoints and collections a permission set names (as `@atproto/lex`
/// installs them).
/// Only well-formed NSIDs are kept (they become file paths); a malformed
/// ref is reported when the lexicon is parsed.
pub fn references(document: &Value, nsid: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    collect_refs(document, &mut out);
    out.remove(nsid);
    out.retain(|r| crate::ir::Nsid::parse(r).is_ok());
    out
}

fn collect_refs(value: &Value, out: &mut BTreeSet<String>) {
    let target = |r: &str| r.split('#').next().unwrap_or_default().to_owned();
    match value {
        Value::Object(map) => {
            let strings = |key: &str| {
                map.get(key)
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
            };
            let named: Vec<&str> = match map.get("type").and_then(Value::as_str) {
                Some("ref") => map.get("ref").and_then(Value::as_str).into_iter().collect(),
                Some("union") => strings("refs").collect(),
                // What a permission set grants: endpoints and collections.
                Some("permission") => match map.get("resource").and_then(Value::as_str) {
                    Some("rpc") => strings("lxm").collect(),
                    Some("repo") => strings("collection").collect(),
                    _ => Vec::new(),
                },
                _ => Vec::new(),
            };
            out.extend(named.into_iter().map(target));
            // Tokens named in `knownValues` (`nsid#name`); plain values are not.
            for v in strings("knownValues") {
                if let Some((nsid, _)) = v.split_once('#') {
                    out.insert(nsid.to_owned());
                }
            }
            for v in map.values() {
                collect_refs(v, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn references_cover_refs_unions_and_known_tokens() {
        let doc = json!({"id": "com.example.a", "defs": {
            "main": {"type": "object", "properties": {
                "x": {"type": "ref", "ref": "com.example.b#view"},
                "y": {"type": "union", "refs": ["#local", "com.example.c"]},
                "z": {"type": "string", "knownValues": ["plain", "com.example.d#token"]},
                "w": {"type": "array", "items": {"type": "ref", "ref": "com.example.a#other"}},
                "v": {"type": "ref", "ref": "../../etc/passwd#x"}
            }}
        }});
        let refs: Vec<String> = references(&doc, "com.example.a").into_iter().collect();
        assert_eq!(refs, ["com.example.b", "com.example.c", "com.example.d"]);
        let set = json!({"id": "com.example.perms", "defs": {"main": {
            "type": "permission-set", "permissions": [
                {"type": "permission", "resource": "rpc", "lxm": ["com.example.getThing"], "aud": "*"},
                {"type": "permission", "resource": "repo", "collection": ["com.example.post"]},
                {"type": "permission", "resource": "blob", "accept": ["image/*"]}
            ]
        }}});
        let refs: Vec<String> = references(&set, "com.example.perms").into_iter().collect();
        assert_eq!(refs, ["com.example.getThing", "com.example.post"]);
    }
}
