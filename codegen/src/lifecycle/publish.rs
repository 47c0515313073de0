//! `lexgen publish`: put every lexicon of a directory (or the NSIDs asked
//! for) into the account's repository as `com.atproto.lexicon.schema`
//! records keyed by NSID, after checking the whole set as `lexgen lint`
//! does. The CID the PDS answers must equal the one computed locally, which
//! is the same CID `install` later pins.

use super::error::{LifecycleError, StepError};
use super::http::Http;
use super::{lexicon_cid, record_of, SCHEMA_COLLECTION};
use crate::diagnostic::Diagnostics;
use serde_json::{json, Value};
use std::path::PathBuf;

/// What `publish` works on.
#[derive(Debug, Clone)]
pub struct Publisher {
    /// The lexicons directory.
    pub lexicons: PathBuf,
    /// The PDS URL (`http://127.0.0.1:2583`).
    pub pds: String,
    /// The account's handle or DID.
    pub identifier: String,
    /// The account's password (an app password will do).
    pub password: String,
    /// The HTTP client.
    pub http: Http,
}

/// One lexicon published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    /// Its NSID.
    pub nsid: String,
    /// `at://DID/com.atproto.lexicon.schema/NSID`.
    pub uri: String,
    /// The record's CID, as the PDS answered and as computed locally.
    pub cid: String,
}

impl Publisher {
    /// Publishes `only` (every lexicon when empty); nothing is sent unless
    /// the whole directory is valid and every requested NSID is in it.
    pub fn publish(&self, only: &[String]) -> Result<Vec<Published>, LifecycleError> {
        let files = crate::lexicon::load_dir(&self.lexicons)
            .map_err(|d| LifecycleError::Lexicon(Diagnostics(d)))?;
        crate::ir::resolve(&files).map_err(|d| LifecycleError::Lexicon(Diagnostics(d)))?;
        let mut records = Vec::new();
        for nsid in only {
            if !files.iter().any(|f| &f.doc.id == nsid) {
                return Err(LifecycleError::Publish {
                    nsid: nsid.clone(),
                    step: Box::new(StepError::Record {
                        uri: self.lexicons.display().to_string(),
                        message: "no lexicon with this id in the directory".into(),
                    }),
                });
            }
        }
        for file in files
            .iter()
            .filter(|f| only.is_empty() || only.contains(&f.doc.id))
        {
            let document: Value =
                serde_json::from_str(&file.text).map_err(|e| LifecycleError::Io {
                    action: "reading",
                    path: file.path.clone(),
                    source: e.into(),
                })?;
            let cid = lexicon_cid(&document).map_err(|e| LifecycleError::Publish {
                nsid: file.doc.id.clone(),
                step: Box::new(StepError::Record {
                    uri: file.path.display().to_string(),
                    message: e.to_string(),
                }),
            })?;
            records.push((file.doc.id.clone(), record_of(&document), cid));
        }
        let (did, token) = self.login()?;
        let url = format!(
            "{}/xrpc/com.atproto.repo.putRecord",
            self.pds.trim_end_matches('/')
        );
        let mut published = Vec::new();
        for (nsid, record, computed) in records {
            let wrap = |step| LifecycleError::Publish {
                nsid: nsid.clone(),
                step: Box::new(step),
            };
            let body = json!({
                "repo": did, "collection": SCHEMA_COLLECTION, "rkey": nsid, "record": record,
            });
            let response = self
                .http
                .post_json(&url, Some(&token), &body)
                .map_err(wrap)?;
            let uri = response
                .get("uri")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            let claimed = response
                .get("cid")
                .and_then(Value::as_str)
                .unwrap_or_default();
            if claimed != computed {
                return Err(wrap(StepError::CidMismatch {
                    uri,
                    claimed: claimed.to_owned(),
                    computed,
                }));
            }
            published.push(Published {
                nsid: nsid.clone(),
                uri,
                cid: computed,
            });
        }
        Ok(published)
    }

    /// `createSession`: the account's DID and an access token.
    fn login(&self) -> Result<(String, String), LifecycleError> {
        let url = format!(
            "{}/xrpc/com.atproto.server.createSession",
            self.pds.trim_end_matches('/')
        );
        let body = json!({"identifier": self.identifier, "password": self.password});
        let fail = |step| LifecycleError::Login {
            pds: self.pds.clone(),
            identifier: self.identifier.clone(),
            step: Box::new(step),
        };
        let session = self.http.post_json(&url, None, &body).map_err(fail)?;
        match (
            session.get("did").and_then(Value::as_str),
            session.get("accessJwt").and_then(Value::as_str),
        ) {
            (Some(did), Some(token)) => Ok((did.to_owned(), token.to_owned())),
            _ => Err(fail(StepError::Http {
                method: "POST",
                url,
                message: "the session has no `did` or `accessJwt`".into(),
            })),
        }
    }
}

/// Whether the `_lexicon` TXT record of each published authority points at
/// the publishing account (goat's `lex check-dns`): without it, nobody can
/// resolve what was published. One line per authority; `Err` for a problem.
pub fn check_dns(net: &super::Network, published: &[Published]) -> Vec<Result<String, String>> {
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for p in published {
        let authority = super::resolve::authority(&p.nsid);
        if !seen.insert(authority.clone()) {
            continue;
        }
        let Some(did) = p
            .uri
            .strip_prefix("at://")
            .and_then(|r| r.split('/').next())
        else {
            continue;
        };
        let name = format!("_lexicon.{authority}");
        out.push(match super::resolve::resolve_authority(net, &p.nsid) {
            Ok(found) if found == did => Ok(format!("{name} -> {found} (this account)")),
            Ok(found) => Err(format!(
                "{name} points at {found}, not at the publishing account {did}: others resolve {} there",
                p.nsid
            )),
            Err(e) => Err(format!(
                "{e}; add a TXT record \"did={did}\" at {name} so that others can resolve these lexicons"
            )),
        });
    }
    out
}
