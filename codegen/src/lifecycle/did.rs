//! DID -> DID document -> the account's PDS endpoint, for the two DID
//! methods atproto supports: `did:plc` (from a PLC directory, configurable)
//! and `did:web` (from the host's `/.well-known/did.json`).

use super::error::StepError;
use super::http::Http;
use atproto_lexgen_runtime::crypto::PublicKey;
use serde_json::Value;

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
    let url = document_url(plc, did).map_err(fail)?;
    let doc = http.get_json(&url)?;
    if doc.get("id").and_then(Value::as_str) != Some(did) {
        return Err(fail(format!(
            "the document at {url} is not this DID's (its `id` differs)"
        )));
    }
    let pds = service_endpoint(&doc, did).ok_or_else(|| {
        fail(format!(
            "the document at {url} names no PDS (a service `#atproto_pds` of type \
             `AtprotoPersonalDataServer` with a URL)"
        ))
    })?;
    Ok(Identity {
        pds,
        signing_key: PublicKey::from_did_document(&doc).map_err(|e| e.to_string()),
    })
}

/// Where the DID document of `did` is served.
fn document_url(plc: &str, did: &str) -> Result<String, String> {
    if did.starts_with("did:plc:") {
        return Ok(format!("{}/{did}", plc.trim_end_matches('/')));
    }
    if let Some(host) = did.strip_prefix("did:web:") {
        if host.contains(':') {
            return Err("did:web with a path is not used by atproto".into());
        }
        let host = host.replace("%3A", ":").replace("%3a", ":");
        // The did:web spec says https; local development hosts run plain HTTP.
        let bare = host.split(':').next().unwrap_or_default();
        let scheme = if bare == "localhost" || bare == "127.0.0.1" {
            "http"
        } else {
            "https"
        };
        return Ok(format!("{scheme}://{host}/.well-known/did.json"));
    }
    Err("unsupported DID method (atproto uses did:plc and did:web)".into())
}

fn service_endpoint(doc: &Value, did: &str) -> Option<String> {
    let services = doc.get("service")?.as_array()?;
    services.iter().find_map(|s| {
        let id = s.get("id")?.as_str()?;
        let is_pds = (id == "#atproto_pds" || id == format!("{did}#atproto_pds"))
            && s.get("type")?.as_str()? == "AtprotoPersonalDataServer";
        let url = s.get("serviceEndpoint")?.as_str()?;
        (is_pds && (url.starts_with("http://") || url.starts_with("https://")))
            .then(|| url.trim_end_matches('/').to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn documents_come_from_plc_or_the_web_host() {
        assert_eq!(
            document_url("http://localhost:2582/", "did:plc:abc").unwrap(),
            "http://localhost:2582/did:plc:abc"
        );
        assert_eq!(
            document_url("", "did:web:example.com").unwrap(),
            "https://example.com/.well-known/did.json"
        );
        assert_eq!(
            document_url("", "did:web:localhost%3A2583").unwrap(),
            "http://localhost:2583/.well-known/did.json"
        );
        assert!(document_url("", "did:key:z6Mk").is_err());
    }

    #[test]
    fn the_pds_is_the_atproto_pds_service() {
        let doc = json!({"id": "did:plc:abc", "service": [
            {"id": "#other", "type": "AtprotoPersonalDataServer", "serviceEndpoint": "http://x"},
            {"id": "did:plc:abc#atproto_pds", "type": "AtprotoPersonalDataServer", "serviceEndpoint": "http://localhost:2583/"}
        ]});
        assert_eq!(
            service_endpoint(&doc, "did:plc:abc").as_deref(),
            Some("http://localhost:2583")
        );
        assert_eq!(
            service_endpoint(&json!({"service": []}), "did:plc:abc"),
            None
        );
    }
}
