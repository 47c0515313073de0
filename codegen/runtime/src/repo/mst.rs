//! Walking a Merkle Search Tree: nodes `{"l": link|null, "e": [{"p":
//! prefix length, "k": key suffix bytes, "v": record link, "t": subtree
//! link|null}]}`, keys `collection/rkey`, visited in key order. Nodes are
//! pulled straight from the strict DAG-CBOR reader (no [`Data`] tree per
//! node and entry); unknown fields are read, checked and skipped.

use super::super::cbor::read::{Item, Reader};
use super::super::cbor::Error;
use super::super::formats::Cid;
use super::super::types::Data;
use super::super::validate::Path;
use super::car::Car;

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

/// One entry of a node: `p`, `k`, `v`, `t`.
struct Entry {
    prefix: Data,
    suffix: Data,
    value: Data,
    tree: Data,
}

/// A node's `l` and entries, each field required.
fn parse(bytes: &[u8], cid: &Cid) -> Result<(Data, Vec<Entry>), Error> {
    let bad = |what: &str| Error::new(format!("MST node {cid}: {what}"));
    let cbor = |e: Error| Error::new(format!("MST node {cid}: {e}"));
    let missing = |key: &str| bad(&format!("missing `{key}`"));
    let mut reader = Reader::new(bytes);
    let Item::Map(len) = reader.item(&Path::Root, 0).map_err(cbor)? else {
        return Err(Error::new(format!("MST node {cid} is not a map")));
    };
    let (mut left, mut entries) = (None, None);
    let mut previous = None;
    for _ in 0..len {
        let key = reader.key(previous, &Path::Root).map_err(cbor)?;
        previous = Some(key);
        let path = Path::Root.key(key);
        match (key, reader.item(&path, 1).map_err(cbor)?) {
            ("e", Item::Array(n)) => entries = Some(parse_entries(&mut reader, n, &path, cid)?),
            ("e", _) => return Err(bad("`e` must be an array")),
            ("l", Item::Other(link)) => left = Some(link),
            ("l", _) => return Err(bad("a subtree must be a link or null")),
            (_, item) => skip(&mut reader, item, &path, 1).map_err(cbor)?,
        }
    }
    reader.finish().map_err(cbor)?;
    Ok((
        left.ok_or_else(|| missing("l"))?,
        entries.ok_or_else(|| missing("e"))?,
    ))
}

fn parse_entries(
    reader: &mut Reader<'_>,
    n: usize,
    path: &Path<'_>,
    cid: &Cid,
) -> Result<Vec<Entry>, Error> {
    let bad = |what: &str| Error::new(format!("MST node {cid}: {what}"));
    let cbor = |e: Error| Error::new(format!("MST node {cid}: {e}"));
    let mut entries = Vec::with_capacity(n);
    for i in 0..n {
        let path = path.index(i);
        let Item::Map(len) = reader.item(&path, 2).map_err(cbor)? else {
            return Err(bad("an entry is not a map"));
        };
        let mut fields: [Option<Data>; 4] = Default::default();
        let mut previous = None;
        for _ in 0..len {
            let key = reader.key(previous, &path).map_err(cbor)?;
            previous = Some(key);
            let path = path.key(key);
            let slot = ["p", "k", "v", "t"].iter().position(|k| *k == key);
            match (slot, reader.item(&path, 3).map_err(cbor)?) {
                (Some(slot), Item::Other(value)) => fields[slot] = Some(value),
                (Some(_), _) => return Err(bad("malformed entry")),
                (None, item) => skip(reader, item, &path, 3).map_err(cbor)?,
            }
        }
        let [p, k, v, t] = fields;
        let field = |f: Option<Data>, key: &str| f.ok_or_else(|| bad(&format!("missing `{key}`")));
        entries.push(Entry {
            prefix: field(p, "p")?,
            suffix: field(k, "k")?,
            value: field(v, "v")?,
            tree: field(t, "t")?,
        });
    }
    Ok(entries)
}

/// Reads (and so checks) the rest of a value the walk does not need.
fn skip(reader: &mut Reader<'_>, item: Item, path: &Path<'_>, depth: usize) -> Result<(), Error> {
    match item {
        Item::Other(_) => {}
        Item::Array(n) => {
            for i in 0..n {
                reader.value(&path.index(i), depth + 1)?;
            }
        }
        Item::Map(n) => {
            let mut previous = None;
            for _ in 0..n {
                let key = reader.key(previous, path)?;
                previous = Some(key);
                reader.value(&path.key(key), depth + 1)?;
            }
        }
    }
    Ok(())
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
    let (left, entries) = parse(bytes, cid)?;
    subtree(car, &left, out, depth, cid)?;
    let mut previous: Vec<u8> = Vec::new();
    for entry in entries {
        let (Data::Integer(p), Data::Bytes(suffix), Data::Link(value)) =
            (&entry.prefix, &entry.suffix, entry.value)
        else {
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
        out.push((text.to_owned(), value));
        subtree(car, &entry.tree, out, depth, cid)?;
    }
    Ok(())
}
