//! Repositories: a CAR file (the bytes of `com.atproto.sync.getRepo`) read
//! with every block's CID verified, its signed commit, and its records by
//! walking the MST; and the other way, the MST of a set of records
//! ([`Mst::build`], the same nodes and root CID a PDS computes) and CAR
//! files ([`write_car`]). With the `crypto` feature, the commit's signature
//! is checked against the account's key ([`Repo::verify_signature`]).
//!
//! ```ignore
//! let repo = Repo::from_car(&bytes)?;
//! for entry in repo.records::<atproto_types::records::Record>()? {
//!     let entry = entry?; // collection, rkey, cid, typed record
//! }
//! ```

mod car;
mod mst;
mod write;

pub use car::Car;
pub use write::{layer, write_car, Mst};

use super::cbor::{self, Error, FromData};
use super::formats::Cid;
use super::types::Data;

/// The signed commit at the root of a repository (version 3).
#[derive(Debug, Clone, PartialEq)]
pub struct Commit {
    /// The account's DID.
    pub did: String,
    /// Repository format version (3).
    pub version: i64,
    /// Root of the MST.
    pub data: Cid,
    /// Revision (a TID).
    pub rev: String,
    /// The previous commit (usually null in version 3).
    pub prev: Option<Cid>,
    /// The signature over the unsigned commit.
    pub sig: Vec<u8>,
}

/// A repository read from a CAR file.
#[derive(Debug, Clone)]
pub struct Repo {
    /// Every block, CID-verified.
    pub car: Car,
    /// The commit the CAR's root names.
    pub commit: Commit,
}

/// A record of a repository.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry<R> {
    /// Its collection (an NSID).
    pub collection: String,
    /// Its record key.
    pub rkey: String,
    /// Its CID, which its block hashes to.
    pub cid: Cid,
    /// The record.
    pub record: R,
}

fn field<'a>(commit: &'a Data, key: &str) -> Option<&'a Data> {
    match commit {
        Data::Object(map) => map.get(key),
        _ => None,
    }
}

impl Repo {
    /// Reads a repository CAR, verifying every block against its CID.
    ///
    /// # Errors
    ///
    /// A malformed CAR, a block that does not match its CID, a missing or
    /// malformed commit.
    pub fn from_car(bytes: &[u8]) -> Result<Repo, Error> {
        Repo::from_car_with(bytes, true)
    }

    /// As [`Repo::from_car`], with CID verification optional.
    ///
    /// # Errors
    ///
    /// As [`Repo::from_car`].
    pub fn from_car_with(bytes: &[u8], verify: bool) -> Result<Repo, Error> {
        let car = Car::read(bytes, verify)?;
        let [root] = car.roots.as_slice() else {
            return Err(Error::new("a repository CAR has exactly one root"));
        };
        let block = car
            .blocks
            .get(root)
            .ok_or_else(|| Error::new(format!("the commit block {root} is not in the CAR")))?;
        let data = cbor::decode(block).map_err(|e| Error::new(format!("commit: {e}")))?;
        let bad = |what: &str| Error::new(format!("commit {root}: {what}"));
        let commit = Commit {
            did: match field(&data, "did") {
                Some(Data::String(s)) => s.clone(),
                _ => return Err(bad("`did` must be a string")),
            },
            version: match field(&data, "version") {
                Some(Data::Integer(v)) => *v,
                _ => return Err(bad("`version` must be an integer")),
            },
            data: match field(&data, "data") {
                Some(Data::Link(cid)) => cid.clone(),
                _ => return Err(bad("`data` must be a link")),
            },
            rev: match field(&data, "rev") {
                Some(Data::String(s)) => s.clone(),
                _ => return Err(bad("`rev` must be a string")),
            },
            prev: match field(&data, "prev") {
                Some(Data::Link(cid)) => Some(cid.clone()),
                Some(Data::Null) | None => None,
                _ => return Err(bad("`prev` must be a link or null")),
            },
            sig: match field(&data, "sig") {
                Some(Data::Bytes(b)) => b.clone(),
                _ => return Err(bad("`sig` must be bytes")),
            },
        };
        Ok(Repo { car, commit })
    }

    /// Every `(collection/rkey, record CID)`, in key order.
    ///
    /// # Errors
    ///
    /// A malformed or incomplete MST.
    pub fn keys(&self) -> Result<Vec<(String, Cid)>, Error> {
        mst::walk(&self.car, &self.commit.data)
    }

    /// Every record, decoded as `R` (e.g. `records::Record` of a generated
    /// crate, or [`Data`]), in key order.
    ///
    /// # Errors
    ///
    /// A malformed MST (at once); per record, a missing or invalid block.
    pub fn records<R: FromData>(
        &self,
    ) -> Result<impl Iterator<Item = Result<Entry<R>, Error>> + '_, Error> {
        Ok(self.keys()?.into_iter().map(|(key, cid)| {
            let (collection, rkey) = key
                .split_once('/')
                .ok_or_else(|| Error::new(format!("MST key {key:?} is not collection/rkey")))?;
            let block = self
                .car
                .blocks
                .get(&cid)
                .ok_or_else(|| Error::new(format!("record {key}: block {cid} missing")))?;
            let data = cbor::decode(block).map_err(|e| Error::new(format!("record {key}: {e}")))?;
            let record =
                R::from_data(data).map_err(|e| Error::new(format!("record {key}: {e}")))?;
            Ok(Entry {
                collection: collection.to_owned(),
                rkey: rkey.to_owned(),
                cid,
                record,
            })
        }))
    }
}

/// Checks a commit block (DAG-CBOR) of the repository of `did`: its `did`
/// must be `did`, and its `sig` the signature by `key` of the commit without
/// `sig`, encoded as DAG-CBOR. A repository's ([`Repo::verify_signature`])
/// or a firehose `#commit`'s (`firehose::verify_commit_blocks`).
///
/// # Errors
///
/// A block that is not a commit of `did` with `sig` bytes, or a signature
/// that does not verify (see
/// [`PublicKey::verify`](crate::crypto::PublicKey::verify)).
#[cfg(feature = "crypto")]
pub fn verify_commit(block: &[u8], did: &str, key: &crate::crypto::PublicKey) -> Result<(), Error> {
    let Data::Object(mut commit) = cbor::decode(block)? else {
        return Err(Error::new("a commit is a map"));
    };
    match commit.get("did") {
        Some(Data::String(of)) if of == did => {}
        Some(Data::String(of)) => {
            return Err(Error::new(format!(
                "the commit is of the repository of {of}, not {did}"
            )))
        }
        _ => return Err(Error::new("the commit has no `did` string")),
    }
    let Some(Data::Bytes(sig)) = commit.remove("sig") else {
        return Err(Error::new("the commit has no `sig` bytes"));
    };
    let unsigned = cbor::encode(&Data::Object(commit))?;
    key.verify(&unsigned, &sig)
        .map_err(|e| Error::new(format!("commit signature by {key}: {e}")))
}

#[cfg(feature = "crypto")]
impl Repo {
    /// Checks the commit's signature with `key`, the signing key of the
    /// account whose repository this is ([`Commit::did`]); see also
    /// [`Repo::verify_with_document`]. Reading the CAR checked that every
    /// block matches its CID, so a valid signature covers every record.
    ///
    /// # Errors
    ///
    /// As [`verify_commit`].
    pub fn verify_signature(&self, key: &crate::crypto::PublicKey) -> Result<(), Error> {
        let root = self
            .car
            .roots
            .first()
            .ok_or_else(|| Error::new("a repository CAR has exactly one root"))?;
        let block = self
            .car
            .blocks
            .get(root)
            .ok_or_else(|| Error::new(format!("the commit block {root} is not in the CAR")))?;
        verify_commit(block, &self.commit.did, key)
    }

    /// Checks that this is the repository of the DID whose document `doc`
    /// is (its `id`), signed with the document's `#atproto` key.
    ///
    /// # Errors
    ///
    /// A document of another DID, one without a usable `#atproto` key, and
    /// as [`verify_commit`].
    pub fn verify_with_document(&self, doc: &serde_json::Value) -> Result<(), Error> {
        let id = doc.get("id").and_then(|v| v.as_str()).unwrap_or_default();
        if id != self.commit.did {
            return Err(Error::new(format!(
                "the repository is {}'s, the DID document {id:?}'s",
                self.commit.did
            )));
        }
        let key = crate::crypto::PublicKey::from_did_document(doc)
            .map_err(|e| Error::new(format!("DID document of {id}: {e}")))?;
        self.verify_signature(&key)
    }
}

#[cfg(test)]
pub(crate) mod tests;
