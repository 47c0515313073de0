//! The DAG-CBOR writer: canonical key order (shorter keys first, then
//! bytewise), minimal-length heads, definite lengths, tag 42 for links and
//! nothing else. Its output is the one encoding of a value, which is what
//! makes CIDs reproducible.

use super::super::types::Data;
use super::super::validate::Path;
use super::cid::cid_to_bytes;
use super::Error;

/// Encodes a value.
///
/// # Errors
///
/// A link whose CID does not decode (the `cid` string format is only a
/// syntax check), named by path.
pub fn encode(data: &Data) -> Result<Vec<u8>, Error> {
    let mut out = Vec::with_capacity(128);
    write(&mut out, data, &Path::Root)?;
    Ok(out)
}

fn write(out: &mut Vec<u8>, data: &Data, path: &Path<'_>) -> Result<(), Error> {
    match data {
        Data::Null => out.push(0xf6),
        Data::Bool(false) => out.push(0xf4),
        Data::Bool(true) => out.push(0xf5),
        Data::Integer(i) => match u64::try_from(*i) {
            Ok(n) => head(out, 0, n),
            // Negative: the argument is -1 - i, in 0..=i64::MAX.
            Err(_) => head(out, 1, u64::try_from(-1 - i).unwrap_or_default()),
        },
        Data::String(s) => {
            head(out, 3, s.len() as u64);
            out.extend_from_slice(s.as_bytes());
        }
        Data::Bytes(b) => {
            head(out, 2, b.len() as u64);
            out.extend_from_slice(b);
        }
        Data::Link(cid) => {
            let bytes = cid_to_bytes(cid).map_err(|e| Error::new(format!("{path}: {e}")))?;
            head(out, 6, 42);
            head(out, 2, bytes.len() as u64 + 1);
            out.push(0);
            out.extend_from_slice(&bytes);
        }
        Data::Array(items) => {
            head(out, 4, items.len() as u64);
            for (i, item) in items.iter().enumerate() {
                write(out, item, &path.index(i))?;
            }
        }
        Data::Object(map) => {
            head(out, 5, map.len() as u64);
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by(|(a, _), (b, _)| key_order(a, b));
            for (key, value) in entries {
                head(out, 3, key.len() as u64);
                out.extend_from_slice(key.as_bytes());
                write(out, value, &path.key(key))?;
            }
        }
    }
    Ok(())
}

/// DAG-CBOR map key order: by encoded length, then bytewise.
pub(super) fn key_order(a: &str, b: &str) -> std::cmp::Ordering {
    a.len()
        .cmp(&b.len())
        .then_with(|| a.as_bytes().cmp(b.as_bytes()))
}

/// A head: major type and argument, in the shortest form.
fn head(out: &mut Vec<u8>, major: u8, n: u64) {
    let major = major << 5;
    if n < 24 {
        out.push(major | n.to_be_bytes()[7]);
    } else if let Ok(n) = u8::try_from(n) {
        out.extend([major | 24, n]);
    } else if let Ok(n) = u16::try_from(n) {
        out.push(major | 25);
        out.extend(n.to_be_bytes());
    } else if let Ok(n) = u32::try_from(n) {
        out.push(major | 26);
        out.extend(n.to_be_bytes());
    } else {
        out.push(major | 27);
        out.extend(n.to_be_bytes());
    }
}
