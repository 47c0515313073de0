//! Event-stream frames (`com.atproto.sync.subscribeRepos` and other
//! subscriptions): each binary WebSocket message is two DAG-CBOR values, a
//! header `{"op": 1, "t": "#commit"}` (or `{"op": -1}` for an error) and a
//! body. Bodies are read into the lexicon's message union (e.g. the
//! generated `subscribe_repos::Message`), whose unknown `t` is kept as an
//! unknown member; `#commit` ops are matched to their records in the
//! commit's CAR slice, CIDs verified.
//!
//! The transport is separate: `firehose_client` (feature
//! `firehose-client`) reads these frames from a WebSocket; this module
//! decodes the binary messages of any WebSocket client.

use super::cbor::{self, Error, FromData};
use super::formats::Cid;
use super::repo::Car;
use super::types::Data;
use serde::de::DeserializeOwned;
use std::str::FromStr;

/// One frame of an event stream.
#[derive(Debug, Clone, PartialEq)]
pub enum Frame<M> {
    /// A message (`op` 1): its `t` (e.g. `#commit`) and its body as the
    /// message union.
    Message {
        /// The header's `t`.
        t: String,
        /// The body, read with `$type` = the subscription's NSID + `t`.
        body: M,
    },
    /// An error frame (`op` -1): the stream ends after it.
    Error {
        /// The error name (e.g. `FutureCursor`, `ConsumerTooSlow`).
        error: String,
        /// Its message, if any.
        message: Option<String>,
    },
}

pub(crate) fn get<'a>(data: &'a Data, key: &str) -> Option<&'a Data> {
    match data {
        Data::Object(map) => map.get(key),
        _ => None,
    }
}

/// Decodes a frame of subscription `nsid` into header and message union.
///
/// # Errors
///
/// Malformed frames (either value, or bytes after the body), an unknown
/// `op`, and bodies the message type rejects (named by path).
pub fn decode_frame<M: DeserializeOwned>(bytes: &[u8], nsid: &str) -> Result<Frame<M>, Error> {
    match read_frame(bytes, nsid)? {
        Frame::Message { t, body } => {
            let body =
                cbor::from_data(&body).map_err(|e| Error::new(format!("frame body ({t}): {e}")))?;
            Ok(Frame::Message { t, body })
        }
        Frame::Error { error, message } => Ok(Frame::Error { error, message }),
    }
}

/// Decodes a frame into header and body as [`Data`], the body's `$type`
/// set to `nsid` + `t` (what [`decode_frame`] and [`decode_event`] then
/// type).
///
/// # Errors
///
/// As [`decode_frame`], but for the message type.
pub fn read_frame(bytes: &[u8], nsid: &str) -> Result<Frame<Data>, Error> {
    let (header, used) =
        cbor::decode_prefix(bytes).map_err(|e| Error::new(format!("frame header: {e}")))?;
    let body = cbor::decode(bytes.get(used..).unwrap_or_default())
        .map_err(|e| Error::new(format!("frame body: {e}")))?;
    match get(&header, "op") {
        Some(Data::Integer(1)) => {
            let Some(Data::String(t)) = get(&header, "t") else {
                return Err(Error::new("frame header: `t` must be a string"));
            };
            let Data::Object(mut map) = body else {
                return Err(Error::new("frame body must be a map"));
            };
            map.insert("$type".into(), Data::String(format!("{nsid}{t}")));
            Ok(Frame::Message {
                t: t.clone(),
                body: Data::Object(map),
            })
        }
        Some(Data::Integer(-1)) => match (get(&body, "error"), get(&body, "message")) {
            (Some(Data::String(error)), None | Some(Data::Null)) => Ok(Frame::Error {
                error: error.clone(),
                message: None,
            }),
            (Some(Data::String(error)), Some(Data::String(message))) => Ok(Frame::Error {
                error: error.clone(),
                message: Some(message.clone()),
            }),
            _ => Err(Error::new("error frame: `error` must be a string")),
        },
        _ => Err(Error::new("frame header: `op` must be 1 or -1")),
    }
}

/// One event of a stream: the frame's `t`, its `seq` (the cursor to resume
/// after it; `#info` has none), the typed message and, for a `#commit`,
/// its ops matched to their typed, CID-verified records.
#[derive(Debug, Clone, PartialEq)]
pub struct Event<M, R> {
    /// The header's `t` (e.g. `#commit`; unknown ones are kept).
    pub t: String,
    /// The body's `seq`, if it has one.
    pub seq: Option<i64>,
    /// The body as the message union (unknown `t`: its unknown member).
    pub message: M,
    /// A `#commit`'s ops with their records (empty for other events).
    pub ops: Vec<Op<R>>,
}

/// The `seq` of a message body read by [`read_frame`].
pub fn seq_of(body: &Data) -> Option<i64> {
    match get(body, "seq") {
        Some(Data::Integer(seq)) => Some(*seq),
        _ => None,
    }
}

/// Types a message read by [`read_frame`]: the body as `M` and, for a
/// `#commit`, every op matched to its record `R` in the commit's blocks,
/// every block's CID verified (see [`commit_ops`]).
///
/// # Errors
///
/// A body `M` rejects; a `#commit` whose `ops` or `blocks` are malformed,
/// whose blocks do not match their CIDs, or whose records are missing or
/// rejected by `R`.
pub fn decode_event<M: DeserializeOwned, R: FromData>(
    t: String,
    body: &Data,
) -> Result<Event<M, R>, Error> {
    let ops = if t == "#commit" {
        commit_ops_of(body)?
    } else {
        Vec::new()
    };
    let message =
        cbor::from_data(body).map_err(|e| Error::new(format!("frame body ({t}): {e}")))?;
    Ok(Event {
        seq: seq_of(body),
        t,
        message,
        ops,
    })
}

/// The ops of a `#commit` body, as [`commit_ops`] reads them.
fn commit_ops_of<R: FromData>(body: &Data) -> Result<Vec<Op<R>>, Error> {
    let (Some(Data::Array(ops)), Some(Data::Bytes(blocks))) =
        (get(body, "ops"), get(body, "blocks"))
    else {
        return Err(Error::new(
            "#commit: `ops` must be an array and `blocks` bytes",
        ));
    };
    let ops = ops
        .iter()
        .map(
            |op| match (get(op, "action"), get(op, "path"), get(op, "cid")) {
                (Some(Data::String(action)), Some(Data::String(path)), cid) => {
                    let cid = match cid {
                        Some(Data::Link(cid)) => Some(cid.as_str()),
                        None | Some(Data::Null) => None,
                        Some(_) => {
                            return Err(Error::new(format!(
                                "#commit op {path}: `cid` must be a link"
                            )))
                        }
                    };
                    Ok((action.as_str(), path.as_str(), cid))
                }
                _ => Err(Error::new(
                    "#commit: an op needs `action` and `path` strings",
                )),
            },
        )
        .collect::<Result<Vec<_>, _>>()?;
    commit_ops(blocks, ops)
}

/// Checks the signature of a `#commit` body (as [`read_frame`] gives it):
/// its `repo`, `commit` and `blocks`, see [`verify_commit_blocks`].
///
/// # Errors
///
/// A body without `repo`, `commit` and `blocks`, and as
/// [`verify_commit_blocks`].
#[cfg(feature = "crypto")]
pub fn verify_commit(body: &Data, key: &crate::crypto::PublicKey) -> Result<(), Error> {
    let (Some(Data::String(repo)), Some(Data::Link(commit)), Some(Data::Bytes(blocks))) =
        (get(body, "repo"), get(body, "commit"), get(body, "blocks"))
    else {
        return Err(Error::new(
            "#commit: `repo` must be a string, `commit` a link and `blocks` bytes",
        ));
    };
    verify_commit_blocks(repo, commit, blocks, key)
}

/// Checks a `#commit` of the repository of `repo`: its `commit` block,
/// found in its `blocks` (a CAR slice), is a commit of `repo` signed by
/// `key`, the account's signing key (from its DID document). With a typed
/// message `c`: `verify_commit_blocks(c.repo.as_str(), &c.commit.0,
/// &c.blocks.0, &key)`. Reading the ops ([`decode_event`]) checks every
/// block's CID, so a valid signature covers the records.
///
/// # Errors
///
/// A malformed CAR, a commit block missing from it or not matching its
/// CID, and as `repo::verify_commit`.
#[cfg(feature = "crypto")]
pub fn verify_commit_blocks(
    repo: &str,
    commit: &Cid,
    blocks: &[u8],
    key: &crate::crypto::PublicKey,
) -> Result<(), Error> {
    let car = Car::read(blocks, true)?;
    let block = car
        .blocks
        .get(commit)
        .ok_or_else(|| Error::new(format!("#commit: block {commit} not in `blocks`")))?;
    super::repo::verify_commit(block, repo, key)
}

/// A repository operation of a `#commit`, with its record.
#[derive(Debug, Clone, PartialEq)]
pub struct Op<R> {
    /// `create`, `update` or `delete`.
    pub action: String,
    /// Collection NSID.
    pub collection: String,
    /// Record key.
    pub rkey: String,
    /// The record's CID (none for deletes).
    pub cid: Option<Cid>,
    /// The record, read from the commit's blocks (none for deletes).
    pub record: Option<R>,
}

/// Matches a `#commit`'s ops (`(action, path, cid)`) to their records in
/// its `blocks` (a CAR slice), every block's CID verified.
///
/// # Errors
///
/// A malformed CAR, a block not matching its CID, an op whose record is
/// missing, a record `R` rejects.
pub fn commit_ops<'a, R: FromData>(
    blocks: &[u8],
    ops: impl IntoIterator<Item = (&'a str, &'a str, Option<&'a str>)>,
) -> Result<Vec<Op<R>>, Error> {
    let car = Car::read(blocks, true)?;
    ops.into_iter()
        .map(|(action, path, cid)| {
            let (collection, rkey) = path
                .split_once('/')
                .ok_or_else(|| Error::new(format!("op path {path:?} is not collection/rkey")))?;
            let cid = cid
                .map(|c| Cid::from_str(c).map_err(|e| Error::new(e.to_string())))
                .transpose()?;
            let record = match &cid {
                Some(cid) => {
                    let block = car.blocks.get(cid).ok_or_else(|| {
                        Error::new(format!("op {path}: block {cid} not in the commit"))
                    })?;
                    let data =
                        cbor::decode(block).map_err(|e| Error::new(format!("op {path}: {e}")))?;
                    Some(R::from_data(data).map_err(|e| Error::new(format!("op {path}: {e}")))?)
                }
                None => None,
            };
            Ok(Op {
                action: action.to_owned(),
                collection: collection.to_owned(),
                rkey: rkey.to_owned(),
                cid,
                record,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests;
