//! Walking a Merkle Search Tree: nodes `{"l": link|null, "e": [{"p":
//! prefix length, "k": key suffix bytes, "v": record link, "t": subtree
//! link|null}]}`, keys `collection/rkey`, visited in key order.

use super::super::cbor::{self, Error};
use super::super::formats::Cid;
use super::super::types::Data;
use super::car::Car;
use std::collections::BTreeMap;

/// Nesting limit (a real tree of 2^32 records is ~16 levels deep).
const MAX_DEPTH: usize = 64;

/// Every `(key, record CID)` under the node `root`, in key order.
///
/// # Errors
///
/// Missing blocks, malformed nodes, keys out of order.
pub fn walk(car: &Car, root: &Cid) -> Result<Vec<(String, Cid)>, Error> {
    let mut out = Vec::new();
    node(car, root, &mut out, 0)?;
    Ok(out)
}

fn get<'a>(map: &'a BTreeMap<String, Data>, key: &str, cid: &Cid) -> Result<&'a Data, Error> {
    map.get(key)
        .ok_or_else(|| Error::new(format!("MST node {cid}: missing `{key}`")))
}

fn subtree(
    car: &Car,
    link: &Data,
    out: &mut Vec<(String, Cid)>,
    depth: usize,
    at: &Cid,
) -> Result<(), Error> {
    match link {
        Data::Null => Ok(()),
        Data::Link(cid) => node(car, cid, out, depth + 1),
        _ => Err(Error::new(format!(
            "MST node {at}: a subtree must be a link or null"
        ))),
    }
}

fn node(car: &Car, cid: &Cid, out: &mut Vec<(String, Cid)>, depth: usize) -> Result<(), Error> {
    if depth > MAX_DEPTH {
        return Err(Error::new(format!("MST deeper than {MAX_DEPTH} at {cid}")));
    }
    let bytes = car
        .blocks
        .get(cid)
        .ok_or_else(|| Error::new(format!("MST node {cid} is not in the CAR")))?;
    let Data::Object(map) =
        cbor::decode(bytes).map_err(|e| Error::new(format!("MST node {cid}: {e}")))?
    else {
        return Err(Error::new(format!("MST node {cid} is not a map")));
    };
    subtree(car, get(&map, "l", cid)?, out, depth, cid)?;
    let Data::Array(entries) = get(&map, "e", cid)? else {
        return Err(Error::new(format!("MST node {cid}: `e` must be an array")));
    };
    let mut previous: Vec<u8> = Vec::new();
    for entry in entries {
        let Data::Object(entry) = entry else {
            return Err(Error::new(format!("MST node {cid}: an entry is not a map")));
        };
        let (Data::Integer(p), Data::Bytes(suffix), Data::Link(value)) = (
            get(entry, "p", cid)?,
            get(entry, "k", cid)?,
            get(entry, "v", cid)?,
        ) else {
            return Err(Error::new(format!("MST node {cid}: malformed entry")));
        };
        let prefix = usize::try_from(*p)
            .ok()
            .filter(|&p| p <= previous.len())
            .ok_or_else(|| Error::new(format!("MST node {cid}: prefix length {p} too long")))?;
        // The key is built in place of the previous one (one buffer per node).
        previous.truncate(prefix);
        previous.extend_from_slice(suffix);
        let text = std::str::from_utf8(&previous)
            .map_err(|_| Error::new(format!("MST node {cid}: a key is not UTF-8")))?;
        if let Some((last, _)) = out.last() {
            if last.as_str() >= text {
                return Err(Error::new(format!(
                    "MST node {cid}: key {text:?} out of order"
                )));
            }
        }
        out.push((text.to_owned(), value.clone()));
        subtree(car, get(entry, "t", cid)?, out, depth, cid)?;
    }
    Ok(())
}
