//! NSID -> published lexicon, the Lexicon spec's way ("Lexicon Publication
//! and Resolution"): the NSID's authority (its segments but the name,
//! reversed) -> DNS TXT `_lexicon.<authority>` holding `did=<DID>` -> the
//! DID document -> its PDS -> the `com.atproto.lexicon.schema` record whose
//! record key is the NSID, fetched with `com.atproto.repo.getRecord`. The
//! record's CID is recomputed from its content and must match, and the
//! repository's signed proof (`com.atproto.sync.getRecord`) must lead to
//! that CID.
//!
//! Resolution is not hierarchical (no walking up the DNS tree), and NSIDs
//! under reserved top-level domains fail before any network access.

use super::error::{LifecycleError, StepError};
use super::http::Http;
use super::{did, SCHEMA_COLLECTION};
use atproto_lexgen_runtime::dns;
use serde_json::Value;
use std::net::SocketAddr;

/// The default PLC directory.
pub const DEFAULT_PLC: &str = "https://plc.directory";

/// Top-level domains that are never registered, so no NSID under them is
/// ever published: resolving one fails at once, offline (the handle rules'
/// list, LEXICON-RULES.md §6; `.test` stays resolvable for development).
const RESERVED_TLDS: [&str; 8] = [
    "alt",
    "arpa",
    "example",
    "internal",
    "invalid",
    "local",
    "localhost",
    "onion",
];

/// Where resolution asks: the DNS server, the PLC directory and the HTTP
/// client. The PDS comes from the DID document.
#[derive(Debug, Clone)]
pub struct Network {
    dns: Option<SocketAddr>,
    plc: String,
    http: Http,
}

impl Default for Network {
    fn default() -> Self {
        Network {
            dns: None,
            plc: DEFAULT_PLC.to_owned(),
            http: Http::default(),
        }
    }
}

impl Network {
    /// The system's DNS server, the public PLC directory.
    pub fn new() -> Self {
        Self::default()
    }

    /// Ask this DNS server (e.g. `127.0.0.1:5353`) instead of the system's.
    pub fn dns_server(&mut self, server: SocketAddr) -> &mut Self {
        self.dns = Some(server);
        self
    }

    /// Resolve `did:plc` DIDs through this PLC directory.
    pub fn plc_directory(&mut self, url: impl Into<String>) -> &mut Self {
        self.plc = url.into();
        self
    }

    /// The HTTP client.
    pub fn http(&self) -> &Http {
        &self.http
    }
}

/// A lexicon record fetched and checked.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// `at://DID/com.atproto.lexicon.schema/NSID`.
    pub uri: String,
    /// Its CID, as the PDS gave it and as recomputed.
    pub cid: String,
    /// The record value (with `$type`).
    pub record: Value,
}

/// The authority domain of an NSID: `com.example.fooBar` -> `example.com`.
pub fn authority(nsid: &str) -> String {
    let mut segments: Vec<&str> = nsid.split('.').collect();
    segments.pop();
    segments.reverse();
    segments.join(".").to_ascii_lowercase()
}

/// Why `nsid` can never resolve, if it is in a reserved namespace.
pub fn unresolvable(nsid: &str) -> Option<String> {
    let tld = nsid.split('.').next()?.to_ascii_lowercase();
    RESERVED_TLDS.contains(&tld.as_str()).then(|| {
        format!(
            "`.{tld}` is a reserved top-level domain, so {nsid} is a local name \
             that is never published; keep its file under the lexicons directory instead"
        )
    })
}

/// The DID that publishes the lexicons of `nsid`'s authority.
pub fn resolve_authority(net: &Network, nsid: &str) -> Result<String, LifecycleError> {
    if let Some(reason) = unresolvable(nsid) {
        return Err(LifecycleError::Unresolvable {
            nsid: nsid.to_owned(),
            reason,
        });
    }
    let name = format!("_lexicon.{}", authority(nsid));
    let fail = |server: String, message: String| LifecycleError::Resolve {
        nsid: nsid.to_owned(),
        step: Box::new(StepError::Dns {
            name: name.clone(),
            server,
            message,
        }),
    };
    let server = net.dns.or_else(dns::system_server).ok_or_else(|| {
        fail(
            "none".into(),
            "no DNS server configured and none in /etc/resolv.conf".into(),
        )
    })?;
    let records = dns::query_txt(server, &name).map_err(|m| fail(server.to_string(), m))?;
    let mut dids: Vec<&str> = records
        .iter()
        .filter_map(|r| r.trim().strip_prefix("did="))
        .collect();
    dids.dedup();
    match dids.as_slice() {
        [did] => Ok((*did).to_owned()),
        [] => Err(fail(
            server.to_string(),
            "no `did=` TXT record (resolution does not fall back to parent domains)".into(),
        )),
        many => Err(fail(
            server.to_string(),
            format!("conflicting `did=` TXT records: {}", many.join(", ")),
        )),
    }
}

/// The full chain: NSID -> DID -> PDS -> the checked record.
pub fn resolve(net: &Network, nsid: &str) -> Result<Fetched, LifecycleError> {
    let did = resolve_authority(net, nsid)?;
    fetch(net, &did, nsid)
}

/// The lexicon record of `nsid` in the repository of `did`.
pub fn fetch(net: &Network, did: &str, nsid: &str) -> Result<Fetched, LifecycleError> {
    let wrap = |step: StepError| LifecycleError::Resolve {
        nsid: nsid.to_owned(),
        step: Box::new(step),
    };
    let identity = did::identity(&net.http, &net.plc, did).map_err(wrap)?;
    let pds = &identity.pds;
    let url = format!(
        "{pds}/xrpc/com.atproto.repo.getRecord?repo={did}&collection={SCHEMA_COLLECTION}&rkey={nsid}"
    );
    let response = net.http.get_json(&url).map_err(wrap)?;
    let uri = format!("at://{did}/{SCHEMA_COLLECTION}/{nsid}");
    let bad = |message: String| {
        wrap(StepError::Record {
            uri: uri.clone(),
            message,
        })
    };
    let (Some(claimed), Some(record)) = (
        response.get("cid").and_then(Value::as_str),
        response.get("value"),
    ) else {
        return Err(bad("the getRecord response has no `cid` or `value`".into()));
    };
    let computed = super::cid::cid_of(record).map_err(|e| bad(e.to_string()))?;
    if computed != claimed {
        return Err(wrap(StepError::CidMismatch {
            uri,
            claimed: claimed.to_owned(),
            computed,
        }));
    }
    check_record(record, nsid).map_err(bad)?;
    // The account signed it: the repository proof leads to this very CID.
    let proof_error = |message: String| {
        wrap(StepError::Proof {
            uri: uri.clone(),
            message,
        })
    };
    let key = identity
        .signing_key
        .as_ref()
        .map_err(|e| proof_error(e.clone()))?;
    let proof_url = format!(
        "{pds}/xrpc/com.atproto.sync.getRecord?did={did}&collection={SCHEMA_COLLECTION}&rkey={nsid}"
    );
    let car = net.http.get_bytes(&proof_url).map_err(wrap)?;
    let proven =
        super::proof::verify(&car, did, key, SCHEMA_COLLECTION, nsid).map_err(proof_error)?;
    let claimed_bytes = super::cid::cid_bytes(&computed).map_err(proof_error)?;
    if proven != claimed_bytes {
        return Err(proof_error(format!(
            "the signed repository holds b{} at this key, not {computed}",
            super::cid::base32_encode(&proven)
        )));
    }
    Ok(Fetched {
        uri,
        cid: computed,
        record: record.clone(),
    })
}

/// The record is a lexicon, version 1, for this very NSID.
fn check_record(record: &Value, nsid: &str) -> Result<(), String> {
    match record.get("$type").and_then(Value::as_str) {
        Some(SCHEMA_COLLECTION) => {}
        other => return Err(format!("its $type is {other:?}, not {SCHEMA_COLLECTION:?}")),
    }
    if record.get("lexicon").and_then(Value::as_u64) != Some(1) {
        return Err("it is not a version 1 lexicon (`lexicon` must be 1)".into());
    }
    match record.get("id").and_then(Value::as_str) {
        Some(id) if id == nsid => Ok(()),
        other => Err(format!("its id is {other:?}, not the record key {nsid:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_authority_is_the_reversed_domain_without_the_name() {
        assert_eq!(authority("com.example.fooBar"), "example.com");
        assert_eq!(authority("app.bsky.feed.post"), "feed.bsky.app");
        assert_eq!(authority("COM.Example.x"), "example.com");
    }

    #[test]
    fn reserved_namespaces_fail_offline() {
        // No DNS server is reachable at this address; an error other than
        // `Unresolvable` would mean the network was tried.
        let mut net = Network::new();
        net.dns_server(([192, 0, 2, 1], 53).into());
        for nsid in [
            "local.app.thing",
            "internal.corp.rec",
            "example.foo.bar",
            "onion.x.y",
            "localhost.a.b",
        ] {
            let err = resolve(&net, nsid).unwrap_err();
            assert!(
                matches!(err, LifecycleError::Unresolvable { .. }),
                "{nsid}: {err}"
            );
        }
        assert!(unresolvable("com.example.foo").is_none());
        assert!(unresolvable("test.lexgen.foo").is_none());
    }

    #[test]
    fn records_must_be_lexicons_for_their_key() {
        let ok = serde_json::json!({"$type": SCHEMA_COLLECTION, "lexicon": 1, "id": "a.b.c", "defs": {}});
        assert!(check_record(&ok, "a.b.c").is_ok());
        assert!(check_record(&ok, "a.b.d")
            .unwrap_err()
            .contains("not the record key"));
        let mut bad = ok.clone();
        bad["lexicon"] = 2.into();
        assert!(check_record(&bad, "a.b.c").is_err());
    }
}
