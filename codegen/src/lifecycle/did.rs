//! DID -> DID document -> the account's PDS endpoint, for the two DID
//! methods atproto supports: `did:plc` (from a PLC directory, configurable)
//! and `did:web` (from the host's `/.well-known/did.json`).

use super::error::StepError;
use super::http::Http;
use atproto_lexgen_runtime::crypto::PublicKey;
use atproto_lexgen_runtime::types::DidDocument;

/// What a DID document says about an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// The PDS endpoint (`https://pds.example.com`, no trailing slash).
    pub pds: String,
    /// The `#atproto` signing key, or why the document has none that
    /// parses.
    pub signing_key: Result<PublicKey, String>,
}

/// The PDS and signing key named in the DID document of `did`.
pub fn identity(http: &Http, plc: &str, did: &str) -> Result<Identity, StepError> {
    let fail = |message: String| StepError::Did {
        did: did.to_owned(),
        message,
    };
    crate::runtime::formats::check_did(did)
        .map_err(|e| fail(format!("not a DID: {}", e.rule())))?;
    let url = DidDocument::url(plc, did).map_err(|e| fail(e.to_string()))?;
    let doc = DidDocument::new(http.get_json(&url)?)
        .map_err(|e| fail(format!("the document at {url}: {e}")))?;
    if doc.id().as_str() != did {
        return Err(fail(format!(
            "the document at {url} is not this DID's (its `id` differs)"
        )));
    }
    let pds = doc.pds().ok_or_else(|| {
        fail(format!(
            "the document at {url} names no PDS (a service `#atproto_pds` of type \
             `AtprotoPersonalDataServer` with a URL)"
        ))
    })?;
    Ok(Identity {
        pds: pds.to_owned(),
        signing_key: doc.signing_key().map_err(|e| e.to_string()),
    })
}
