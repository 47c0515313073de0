//! DID documents as atproto reads them: where one is served, and the three
//! things in it that matter (the PDS, the handle, the signing key). The
//! lexicons carry documents as `unknown` (`didDoc`); this reads such a
//! value.

use crate::formats::{Did, Handle};
use serde_json::Value;
use std::fmt;

/// A DID document: a JSON object whose `id` is a DID.
#[derive(Debug, Clone, PartialEq)]
pub struct DidDocument {
    id: Did,
    json: Value,
}

/// Why a value is not a DID document, or a DID has none to fetch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DidDocumentError(String);

impl fmt::Display for DidDocumentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DidDocumentError {}

impl DidDocument {
    /// Reads a document.
    ///
    /// # Errors
    ///
    /// Not an object, or its `id` is not a DID.
    pub fn new(json: Value) -> Result<Self, DidDocumentError> {
        let id = json
            .get("id")
            .and_then(Value::as_str)
            .ok_or_else(|| DidDocumentError("a DID document is an object with an `id`".into()))?;
        let id = Did::new(id).map_err(|e| DidDocumentError(format!("its `id` {id:?}: {e}")))?;
        Ok(DidDocument { id, json })
    }

    /// Where the document of `did` is served: a `did:plc` by the PLC
    /// directory at `plc`, a `did:web` by its host at
    /// `/.well-known/did.json` (plain HTTP for `localhost` and `127.0.0.1`,
    /// which run locally; HTTPS otherwise).
    ///
    /// # Errors
    ///
    /// Another DID method, or a `did:web` with a path (not used by atproto).
    pub fn url(plc: &str, did: &str) -> Result<String, DidDocumentError> {
        if did.starts_with("did:plc:") {
            return Ok(format!("{}/{did}", plc.trim_end_matches('/')));
        }
        let Some(host) = did.strip_prefix("did:web:") else {
            return Err(DidDocumentError(
                "unsupported DID method (atproto uses did:plc and did:web)".into(),
            ));
        };
        if host.contains(':') {
            return Err(DidDocumentError(
                "did:web with a path is not used by atproto".into(),
            ));
        }
        let host = host.replace("%3A", ":").replace("%3a", ":");
        let bare = host.split(':').next().unwrap_or_default();
        let scheme = if bare == "localhost" || bare == "127.0.0.1" {
            "http"
        } else {
            "https"
        };
        Ok(format!("{scheme}://{host}/.well-known/did.json"))
    }

    /// Its DID.
    pub fn id(&self) -> &Did {
        &self.id
    }

    /// The document as JSON.
    pub fn json(&self) -> &Value {
        &self.json
    }

    /// The account's PDS: the service `#atproto_pds` (or `<id>#atproto_pds`)
    /// of type `AtprotoPersonalDataServer` with an HTTP(S) URL, without a
    /// trailing `/`.
    pub fn pds(&self) -> Option<&str> {
        items(&self.json, "service", "#atproto_pds").find_map(|s| {
            let url = s.get("serviceEndpoint")?.as_str()?;
            (s.get("type")?.as_str()? == "AtprotoPersonalDataServer"
                && (url.starts_with("http://") || url.starts_with("https://")))
            .then(|| url.trim_end_matches('/'))
        })
    }

    /// The handle the document claims: its first `at://` entry of
    /// `alsoKnownAs` (claimed, not checked: resolving the handle back to
    /// this DID is the check, see `identity`).
    pub fn handle(&self) -> Option<Handle> {
        let aka = self.json.get("alsoKnownAs")?.as_array()?;
        aka.iter()
            .filter_map(|v| v.as_str()?.strip_prefix("at://"))
            .find_map(|h| Handle::new(h).ok())
    }

    /// Whether `alsoKnownAs` lists `handle` (compared without case).
    pub fn claims(&self, handle: &str) -> bool {
        let aka = self.json.get("alsoKnownAs").and_then(Value::as_array);
        aka.into_iter().flatten().any(|v| {
            v.as_str()
                .and_then(|v| v.strip_prefix("at://"))
                .is_some_and(|h| h.eq_ignore_ascii_case(handle))
        })
    }

    /// The account's signing key: the verification method `#atproto`.
    ///
    /// # Errors
    ///
    /// As `crypto::PublicKey::from_did_document`.
    #[cfg(feature = "crypto")]
    pub fn signing_key(&self) -> Result<crate::crypto::PublicKey, crate::crypto::Error> {
        crate::crypto::PublicKey::from_did_document(&self.json)
    }
}

/// The items of list `list` of a document (`service`,
/// `verificationMethod`) whose `id` is `#<fragment>` or `<the document's
/// id>#<fragment>`, in order.
pub(crate) fn items<'a>(
    doc: &'a Value,
    list: &str,
    fragment: &'a str,
) -> impl Iterator<Item = &'a Value> + 'a {
    let id = doc.get("id").and_then(Value::as_str).unwrap_or_default();
    let all = doc
        .get(list)
        .and_then(Value::as_array)
        .into_iter()
        .flatten();
    all.filter(move |item| {
        item.get("id")
            .and_then(Value::as_str)
            .is_some_and(|i| i == fragment || i.strip_suffix(fragment) == Some(id))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn documents_come_from_plc_or_the_web_host() {
        assert_eq!(
            DidDocument::url("http://localhost:2582/", "did:plc:abc").unwrap(),
            "http://localhost:2582/did:plc:abc"
        );
        assert_eq!(
            DidDocument::url("", "did:web:example.com").unwrap(),
            "https://example.com/.well-known/did.json"
        );
        assert_eq!(
            DidDocument::url("", "did:web:localhost%3A2583").unwrap(),
            "http://localhost:2583/.well-known/did.json"
        );
        assert!(DidDocument::url("", "did:key:z6Mk").is_err());
        assert!(DidDocument::url("", "did:web:example.com:u:alice").is_err());
    }

    #[test]
    fn the_pds_handle_and_id_of_a_document() {
        let doc = DidDocument::new(json!({
            "id": "did:plc:abc",
            "alsoKnownAs": ["https://elsewhere", "at://Alice.Test", "at://second.test"],
            "service": [
                {"id": "#other", "type": "AtprotoPersonalDataServer", "serviceEndpoint": "http://x"},
                {"id": "did:plc:abc#atproto_pds", "type": "AtprotoPersonalDataServer",
                 "serviceEndpoint": "http://localhost:2583/"}
            ]
        }))
        .unwrap();
        assert_eq!(doc.id().as_str(), "did:plc:abc");
        assert_eq!(doc.pds(), Some("http://localhost:2583"));
        assert_eq!(doc.handle().unwrap().as_str(), "Alice.Test");
        assert!(doc.claims("alice.test") && doc.claims("second.test"));
        assert!(!doc.claims("bob.test"));
        // Another DID's service, or one of another type, is not the PDS.
        let other = DidDocument::new(json!({"id": "did:plc:abc", "service": [
            {"id": "did:plc:zzz#atproto_pds", "type": "AtprotoPersonalDataServer", "serviceEndpoint": "http://x"},
            {"id": "#atproto_pds", "type": "Other", "serviceEndpoint": "http://y"},
        ]}))
        .unwrap();
        assert_eq!(other.pds(), None);
        assert_eq!(other.handle(), None);
    }

    #[test]
    fn values_that_are_not_documents() {
        assert!(DidDocument::new(json!([])).is_err());
        assert!(DidDocument::new(json!({"id": 3})).is_err());
        let err = DidDocument::new(json!({"id": "alice"})).unwrap_err();
        assert!(err.to_string().starts_with("its `id` \"alice\""), "{err}");
    }
}
