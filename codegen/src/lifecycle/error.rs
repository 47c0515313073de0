//! The lifecycle stage's error type: every variant names what it was
//! working on (the NSID, file, DNS name, DID or URL), so that a failure deep
//! in the resolution chain reads as one sentence.

use crate::diagnostic::Diagnostics;
use std::path::PathBuf;

/// Anything that stops `install`, `publish` or the lockfile check.
#[derive(Debug, thiserror::Error)]
pub enum LifecycleError {
    /// A file could not be read or written.
    #[error("{action} {}: {source}", path.display())]
    Io {
        /// What was being done.
        action: &'static str,
        /// On which path.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// `lexicons.json` is not a valid manifest.
    #[error("{}: {message}", path.display())]
    Manifest {
        /// The manifest file.
        path: PathBuf,
        /// What is wrong, with its JSON path.
        message: String,
    },
    /// The lexicons are invalid (every problem is listed).
    #[error("{0}")]
    Lexicon(Diagnostics),
    /// An argument is not an NSID.
    #[error("{input:?} is not a valid NSID: {reason}")]
    BadNsid {
        /// What was given.
        input: String,
        /// Why it is not an NSID.
        reason: String,
    },
    /// The NSID is in a namespace that is never published (reserved or
    /// local): it fails without touching the network.
    #[error("cannot resolve {nsid}: {reason}")]
    Unresolvable {
        /// The NSID.
        nsid: String,
        /// Which namespace rule applies.
        reason: String,
    },
    /// One step of resolving an NSID failed.
    #[error("cannot resolve {nsid}: {step}")]
    Resolve {
        /// The NSID being resolved.
        nsid: String,
        /// The step that failed, with its own context.
        step: Box<StepError>,
    },
    /// A pinned lexicon was republished with other content.
    #[error("{nsid} changed since it was pinned: lexicons.json pins {pinned}, but {uri} now has CID {published}; run `lexgen install --update` to accept the new version (and check it with `lexgen breaking`)")]
    Republished {
        /// The NSID.
        nsid: String,
        /// The record.
        uri: String,
        /// The CID in the lockfile.
        pinned: String,
        /// The CID published now.
        published: String,
    },
    /// Publishing one lexicon failed.
    #[error("cannot publish {nsid}: {step}")]
    Publish {
        /// The NSID being published.
        nsid: String,
        /// What failed.
        step: Box<StepError>,
    },
    /// Logging in to the PDS failed.
    #[error("cannot log in to {pds} as {identifier}: {step}")]
    Login {
        /// The PDS URL.
        pds: String,
        /// The handle or DID.
        identifier: String,
        /// What failed.
        step: Box<StepError>,
    },
}

/// One failed step of a resolution or a publication.
#[derive(Debug, thiserror::Error)]
pub enum StepError {
    /// The DNS query failed or had no usable answer.
    #[error("DNS TXT {name} (server {server}): {message}")]
    Dns {
        /// The queried name (`_lexicon.example.com`).
        name: String,
        /// The DNS server asked.
        server: String,
        /// What went wrong.
        message: String,
    },
    /// The DID could not be resolved to a PDS.
    #[error("DID {did}: {message}")]
    Did {
        /// The DID.
        did: String,
        /// What went wrong.
        message: String,
    },
    /// An HTTP request failed or answered an error.
    #[error("{method} {url}: {message}")]
    Http {
        /// `GET` or `POST`.
        method: &'static str,
        /// The URL (without credentials).
        url: String,
        /// The status and XRPC error, or the transport error.
        message: String,
    },
    /// The record is not a usable lexicon.
    #[error("record {uri}: {message}")]
    Record {
        /// The `at://` URI.
        uri: String,
        /// What is wrong with it.
        message: String,
    },
    /// The repository's signed proof of the record does not hold.
    #[error("record {uri}: {message}")]
    Proof {
        /// The `at://` URI.
        uri: String,
        /// What failed: signature, MST path, or the proof's shape.
        message: String,
    },
    /// The record's content does not hash to the CID the server gave.
    #[error(
        "record {uri}: the server says its CID is {claimed}, but its content hashes to {computed}"
    )]
    CidMismatch {
        /// The `at://` URI.
        uri: String,
        /// The CID in the response.
        claimed: String,
        /// The CID of the record's DAG-CBOR encoding.
        computed: String,
    },
}

/// An I/O error constructor for `map_err`.
pub(crate) fn io<'p>(
    action: &'static str,
    path: &'p std::path::Path,
) -> impl FnOnce(std::io::Error) -> LifecycleError + 'p {
    move |source| LifecycleError::Io {
        action,
        path: path.to_path_buf(),
        source,
    }
}
