//! The lexicon lifecycle beyond one repository: publishing lexicons as
//! `com.atproto.lexicon.schema` records, resolving and installing published
//! ones with a CID lockfile (`lexicons.json`, as `@atproto/lex` writes it),
//! and checking local files against that lockfile.
//!
//! One file per job: `cid` (DAG-CBOR and CIDs), `cbor` (reading DAG-CBOR),
//! `proof` (the signed repository proof of a record), `lockfile` (the manifest
//! and the offline check), `dns` (a TXT query), `did` (DID document ->
//! PDS), `http` (JSON requests), `resolve` (the NSID resolution chain),
//! `install` and `publish` (the commands), `files` (atomic writes), `cli`
//! (their arguments and output). Errors are [`LifecycleError`] values
//! naming the NSID and step.

pub mod cbor;
pub mod cid;
pub mod cli;
mod did;
mod error;
mod files;
mod http;
pub mod install;
pub mod lockfile;
mod proof;
pub mod publish;
pub mod resolve;

pub use error::{LifecycleError, StepError};
pub use lockfile::{Manifest, Mismatch, Resolution};
pub use resolve::Network;

use serde_json::Value;

/// The collection lexicons are published in.
pub const SCHEMA_COLLECTION: &str = "com.atproto.lexicon.schema";

/// A lexicon document as a record: with `$type` set to the collection
/// (putRecord adds it, and the record's CID covers it). A file that already
/// has it (as `install` writes them) is unchanged.
pub fn record_of(document: &Value) -> Value {
    let mut record = document.clone();
    if let Some(map) = record.as_object_mut() {
        map.insert("$type".into(), SCHEMA_COLLECTION.into());
    }
    record
}

/// The CID a lexicon document has (or would have) as a published record.
pub fn lexicon_cid(document: &Value) -> Result<String, cid::EncodeError> {
    cid::cid_of(&record_of(document))
}
