//! Identity resolution (feature `identity`), as the atproto identity spec
//! does it: a handle to its DID through DNS (`_atproto.<handle>` TXT
//! `did=…`) and, failing that, HTTPS (`https://<handle>/.well-known/atproto-did`);
//! a DID to its document (`did:plc` from a PLC directory, `did:web` from
//! its host); and a handle is the account's only when both directions
//! agree. The document gives the PDS and the signing key that commits are
//! checked with (`Repo::verify_with_document`).
//!
//! ```ignore
//! let resolver = Resolver::new();
//! let alice = resolver.resolve("alice.bsky.social").await?;
//! let pds = alice.document.pds();
//! repo.verify_with_document(alice.document.json())?;
//! ```

use super::dns;
use super::formats::{Did, Handle};
use super::types::DidDocument;
use std::fmt;
use std::net::SocketAddr;
use std::time::Duration;

/// The PLC directory of the public network.
pub const DEFAULT_PLC: &str = "https://plc.directory";

/// Documents and answers larger than this are refused.
const MAX_BODY: usize = 1 << 20;

/// What DNS says of a handle: a DID; nothing (no record, or no answer:
/// HTTPS is asked next); or records that name no single valid DID (an
/// answer, so resolution fails).
enum Dns {
    Did(Did),
    Nothing(String),
    Invalid(String),
}

/// Resolves handles and DIDs over the network.
#[derive(Debug, Clone)]
pub struct Resolver {
    http: reqwest::Client,
    plc: String,
    dns: Option<SocketAddr>,
    handle_server: Option<String>,
}

/// An account: its DID, its handle if both directions agree, and its DID
/// document.
#[derive(Debug, Clone, PartialEq)]
pub struct Identity {
    /// The DID.
    pub did: Did,
    /// The handle, when the document claims it and it resolves back to the
    /// DID (`None`: the handle is invalid, shown as `handle.invalid`).
    pub handle: Option<Handle>,
    /// The DID document (PDS, signing key).
    pub document: DidDocument,
}

/// Why an identity did not resolve: what was asked and what went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

fn err(message: impl Into<String>) -> Error {
    Error(message.into())
}

impl Default for Resolver {
    fn default() -> Self {
        Resolver::new()
    }
}

impl Resolver {
    /// The public network: `plc.directory`, the system's DNS server, and a
    /// 10 s timeout per request.
    pub fn new() -> Self {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap_or_default();
        Resolver {
            http,
            plc: DEFAULT_PLC.to_owned(),
            dns: None,
            handle_server: None,
        }
    }

    /// Another PLC directory (a local one in development).
    #[must_use]
    pub fn with_plc(mut self, url: impl Into<String>) -> Self {
        self.plc = url.into();
        self
    }

    /// Another DNS server than the first `nameserver` of
    /// `/etc/resolv.conf`.
    #[must_use]
    pub fn with_dns(mut self, server: SocketAddr) -> Self {
        self.dns = Some(server);
        self
    }

    /// Asks `url` (e.g. `http://127.0.0.1:2583`) for every handle's
    /// `/.well-known/atproto-did`, with the handle as `Host`, instead of
    /// `https://<handle>`: for a local PDS, whose handles have no DNS.
    #[must_use]
    pub fn with_handle_server(mut self, url: impl Into<String>) -> Self {
        self.handle_server = Some(url.into().trim_end_matches('/').to_owned());
        self
    }

    /// Another HTTP client (proxies, timeouts, connection pool).
    #[must_use]
    pub fn with_http(mut self, client: reqwest::Client) -> Self {
        self.http = client;
        self
    }

    /// A handle or a DID (`at-identifier`), resolved and checked both ways.
    ///
    /// # Errors
    ///
    /// Neither a handle nor a DID, and as [`Self::resolve_handle`] or
    /// [`Self::resolve_did`].
    pub async fn resolve(&self, identifier: &str) -> Result<Identity, Error> {
        if identifier.starts_with("did:") {
            let did = Did::new(identifier).map_err(|e| err(format!("{identifier:?}: {e}")))?;
            self.resolve_did(&did).await
        } else {
            let handle =
                Handle::new(identifier).map_err(|e| err(format!("{identifier:?}: {e}")))?;
            self.resolve_handle(&handle).await
        }
    }

    /// The account of `handle`: its DID, whose document must claim the
    /// handle back (`alsoKnownAs`).
    ///
    /// # Errors
    ///
    /// The handle does not resolve, its DID's document does not, or the
    /// document does not claim the handle.
    pub async fn resolve_handle(&self, handle: &Handle) -> Result<Identity, Error> {
        let did = self.handle_did(handle).await?;
        let document = self.did_document(&did).await?;
        if !document.claims(handle.as_str()) {
            return Err(err(format!(
                "{handle} resolves to {did}, whose DID document does not claim it \
                 (no `at://{handle}` in `alsoKnownAs`)"
            )));
        }
        Ok(Identity {
            did,
            handle: Some(handle.clone()),
            document,
        })
    }

    /// The account of `did`, with the handle its document claims if that
    /// handle resolves back to `did`.
    ///
    /// # Errors
    ///
    /// The document does not resolve (a handle that does not is `None`).
    pub async fn resolve_did(&self, did: &Did) -> Result<Identity, Error> {
        let document = self.did_document(did).await?;
        let handle = match document.handle() {
            Some(h) => match self.handle_did(&h).await {
                Ok(back) if back == *did => Some(h),
                _ => None,
            },
            None => None,
        };
        Ok(Identity {
            did: did.clone(),
            handle,
            document,
        })
    }

    /// The DID document of `did`, whose `id` must be `did`.
    ///
    /// # Errors
    ///
    /// An unsupported DID method, a failed request, or a body that is not
    /// this DID's document.
    pub async fn did_document(&self, did: &Did) -> Result<DidDocument, Error> {
        let fail = |e: &dyn fmt::Display| err(format!("DID document of {did}: {e}"));
        let url = DidDocument::url(&self.plc, did.as_str()).map_err(|e| fail(&e))?;
        let body = self.get(&url, None).await.map_err(|e| fail(&e))?;
        let json = serde_json::from_slice(&body).map_err(|e| fail(&format!("{url}: {e}")))?;
        let document = DidDocument::new(json).map_err(|e| fail(&format!("{url}: {e}")))?;
        if document.id() != did {
            return Err(fail(&format!(
                "{url} serves the document of {}",
                document.id()
            )));
        }
        Ok(document)
    }

    /// The DID `handle` names (one direction only: see
    /// [`Self::resolve_handle`]). DNS first; HTTPS when DNS has no record.
    ///
    /// # Errors
    ///
    /// Conflicting DNS records, or neither method gives a DID.
    pub async fn handle_did(&self, handle: &Handle) -> Result<Did, Error> {
        let dns = match self.handle_dns(handle).await {
            Dns::Did(did) => return Ok(did),
            Dns::Invalid(why) => return Err(err(format!("handle {handle}: DNS: {why}"))),
            Dns::Nothing(why) => why,
        };
        let https = match self.handle_https(handle).await {
            Ok(did) => return Ok(did),
            Err(e) => e,
        };
        Err(err(format!(
            "handle {handle} does not resolve: DNS: {dns}; HTTPS: {https}"
        )))
    }

    /// `_atproto.<handle>`: its one `did=` record (several that agree are
    /// one).
    async fn handle_dns(&self, handle: &Handle) -> Dns {
        let Some(server) = self.dns.or_else(dns::system_server) else {
            return Dns::Nothing("no DNS server configured and none in /etc/resolv.conf".into());
        };
        let name = format!("_atproto.{}", handle.as_str().to_ascii_lowercase());
        let records = match tokio::task::spawn_blocking(move || dns::query_txt(server, &name)).await
        {
            Ok(Ok(records)) => records,
            Ok(Err(e)) => return Dns::Nothing(e),
            Err(e) => return Dns::Nothing(e.to_string()),
        };
        let mut dids: Vec<&str> = records
            .iter()
            .filter_map(|r| r.trim().strip_prefix("did="))
            .collect();
        dids.sort_unstable();
        dids.dedup();
        match dids.as_slice() {
            [] => Dns::Nothing("no `did=` TXT record".into()),
            [did] => match Did::new(*did) {
                Ok(did) => Dns::Did(did),
                Err(e) => Dns::Invalid(format!("`did={did}`: {e}")),
            },
            many => Dns::Invalid(format!("conflicting `did=` records: {}", many.join(", "))),
        }
    }

    /// `https://<handle>/.well-known/atproto-did`: a DID, as text.
    async fn handle_https(&self, handle: &Handle) -> Result<Did, String> {
        let host = handle.as_str().to_ascii_lowercase();
        let (url, host_header) = match &self.handle_server {
            Some(base) => (format!("{base}/.well-known/atproto-did"), Some(host)),
            None => (format!("https://{host}/.well-known/atproto-did"), None),
        };
        let body = self.get(&url, host_header.as_deref()).await?;
        let text = String::from_utf8_lossy(&body);
        Did::new(text.trim()).map_err(|e| format!("{url}: not a DID: {e}"))
    }

    /// The body of `GET url` (status 200, at most [`MAX_BODY`] bytes).
    async fn get(&self, url: &str, host: Option<&str>) -> Result<Vec<u8>, String> {
        let mut request = self.http.get(url);
        if let Some(host) = host {
            request = request.header(reqwest::header::HOST, host);
        }
        let mut response = request.send().await.map_err(|e| format!("{url}: {e}"))?;
        if response.status() != reqwest::StatusCode::OK {
            return Err(format!("{url}: HTTP {}", response.status()));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| format!("{url}: {e}"))? {
            body.extend_from_slice(&chunk);
            if body.len() > MAX_BODY {
                return Err(format!("{url}: more than {MAX_BODY} bytes"));
            }
        }
        Ok(body)
    }
}

/// The signing keys of accounts, resolved once and kept: what verifying a
/// stream of commits (the firehose) needs. A key can rotate: a check that
/// fails with a kept key is retried once with the key resolved again, and
/// [`Self::forget`] drops a key (on an `#identity` event).
///
/// ```ignore
/// let keys = SigningKeys::new(Resolver::new());
/// keys.verify(&did, |key| firehose::verify_commit_blocks(did.as_str(), &cid, &blocks, key)).await?;
/// ```
#[derive(Debug)]
pub struct SigningKeys {
    resolver: Resolver,
    keys: std::sync::Mutex<std::collections::HashMap<String, crate::crypto::PublicKey>>,
}

impl SigningKeys {
    /// Keys resolved by `resolver`.
    pub fn new(resolver: Resolver) -> Self {
        SigningKeys {
            resolver,
            keys: std::sync::Mutex::default(),
        }
    }

    /// The key of `did`: kept, or resolved (and kept).
    ///
    /// # Errors
    ///
    /// The DID document does not resolve or has no usable `#atproto` key.
    pub async fn key(&self, did: &Did) -> Result<crate::crypto::PublicKey, Error> {
        if let Some(key) = self.kept(did.as_str()) {
            return Ok(key);
        }
        self.refresh(did).await
    }

    /// Drops the kept key of `did` (its identity changed).
    pub fn forget(&self, did: &str) {
        self.lock().remove(did);
    }

    /// Runs `check` with the key of `did`; if it fails with a kept key,
    /// resolves the key again (it may have rotated) and runs it once more.
    ///
    /// # Errors
    ///
    /// The key does not resolve, or `check` fails with the current key.
    pub async fn verify<T, E: fmt::Display>(
        &self,
        did: &Did,
        check: impl Fn(&crate::crypto::PublicKey) -> Result<T, E>,
    ) -> Result<T, Error> {
        let kept = self.kept(did.as_str());
        let failed = match &kept {
            Some(key) => match check(key) {
                Ok(value) => return Ok(value),
                Err(e) => Some(e.to_string()),
            },
            None => None,
        };
        let key = self.refresh(did).await?;
        match failed {
            // The same key again: no rotation, the first failure stands.
            Some(e) if kept.as_ref() == Some(&key) => Err(err(format!("{did}: {e}"))),
            _ => check(&key).map_err(|e| err(format!("{did}: {e}"))),
        }
    }

    async fn refresh(&self, did: &Did) -> Result<crate::crypto::PublicKey, Error> {
        let document = self.resolver.did_document(did).await?;
        let key = document
            .signing_key()
            .map_err(|e| err(format!("DID document of {did}: {e}")))?;
        self.lock().insert(did.as_str().to_owned(), key.clone());
        Ok(key)
    }

    fn kept(&self, did: &str) -> Option<crate::crypto::PublicKey> {
        self.lock().get(did).cloned()
    }

    fn lock(
        &self,
    ) -> std::sync::MutexGuard<'_, std::collections::HashMap<String, crate::crypto::PublicKey>>
    {
        // A panic elsewhere cannot leave the map half-written: keep using it.
        self.keys.lock().unwrap_or_else(|e| e.into_inner())
    }
}
