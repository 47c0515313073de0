//! Reading DAG-CBOR: the blocks of a repository proof (commit, MST nodes),
//! and writing them back (a commit is signed over its encoding without
//! `sig`).
//! Strict: definite lengths only, text map keys, tag 42 only, no floats
//! (the atproto data model has none), nesting at most 64 deep.

use std::collections::BTreeMap;

/// A decoded DAG-CBOR value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ipld {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// An integer (64-bit signed or unsigned fits).
    Int(i128),
    /// A byte string.
    Bytes(Vec<u8>),
    /// A text string.
    Text(String),
    /// An array.
    List(Vec<Ipld>),
    /// A map with text keys.
    Map(BTreeMap<String, Ipld>),
    /// A CID (binary, without the 0x00 multibase prefix).
    Link(Vec<u8>),
}

impl Ipld {
    /// The entry `key` of a map.
    pub fn get(&self, key: &str) -> Option<&Ipld> {
        match self {
            Ipld::Map(m) => m.get(key),
            _ => None,
        }
    }
}

const MAX_DEPTH: usize = 64;

/// The DAG-CBOR encoding of a value (canonical key order, shortest heads).
pub fn encode(value: &Ipld) -> Vec<u8> {
    let mut out = Vec::new();
    write(value, &mut out);
    out
}

fn write(value: &Ipld, out: &mut Vec<u8>) {
    use super::cid::head;
    match value {
        Ipld::Null => out.push(0xf6),
        Ipld::Bool(b) => out.push(if *b { 0xf5 } else { 0xf4 }),
        Ipld::Int(i) if *i >= 0 => head(0, *i as u64, out),
        Ipld::Int(i) => head(1, (-1 - *i) as u64, out),
        Ipld::Bytes(b) => {
            head(2, b.len() as u64, out);
            out.extend_from_slice(b);
        }
        Ipld::Text(t) => {
            head(3, t.len() as u64, out);
            out.extend_from_slice(t.as_bytes());
        }
        Ipld::List(items) => {
            head(4, items.len() as u64, out);
            items.iter().for_each(|i| write(i, out));
        }
        Ipld::Map(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by(|(a, _), (b, _)| (a.len(), a.as_bytes()).cmp(&(b.len(), b.as_bytes())));
            head(5, entries.len() as u64, out);
            for (k, v) in entries {
                head(3, k.len() as u64, out);
                out.extend_from_slice(k.as_bytes());
                write(v, out);
            }
        }
        Ipld::Link(cid) => {
            out.extend_from_slice(&[0xd8, 42]);
            head(2, cid.len() as u64 + 1, out);
            out.push(0);
            out.extend_from_slice(cid);
        }
    }
}

/// Decodes exactly one value filling `bytes`.
pub fn decode(bytes: &[u8]) -> Result<Ipld, String> {
    let mut pos = 0;
    let value = item(bytes, &mut pos, 0)?;
    if pos != bytes.len() {
        return Err(format!(
            "{} trailing bytes after the value",
            bytes.len() - pos
        ));
    }
    Ok(value)
}

fn take<'a>(bytes: &'a [u8], pos: &mut usize, n: usize) -> Result<&'a [u8], String> {
    let end = pos
        .checked_add(n)
        .filter(|&e| e <= bytes.len())
        .ok_or("truncated value")?;
    let out = &bytes[*pos..end];
    *pos = end;
    Ok(out)
}

/// The major type and argument of the head at `pos`.
fn head(bytes: &[u8], pos: &mut usize) -> Result<(u8, u64), String> {
    let first = take(bytes, pos, 1)?[0];
    let (major, info) = (first >> 5, first & 31);
    let arg = match info {
        0..=23 => u64::from(info),
        24 => u64::from(take(bytes, pos, 1)?[0]),
        25 => u64::from(u16::from_be_bytes(
            take(bytes, pos, 2)?.try_into().unwrap_or_default(),
        )),
        26 => u64::from(u32::from_be_bytes(
            take(bytes, pos, 4)?.try_into().unwrap_or_default(),
        )),
        27 => u64::from_be_bytes(take(bytes, pos, 8)?.try_into().unwrap_or_default()),
        _ => {
            return Err(format!(
                "unsupported CBOR head 0x{first:02x} (indefinite length?)"
            ))
        }
    };
    Ok((major, arg))
}

fn len(arg: u64, bytes: &[u8], pos: usize) -> Result<usize, String> {
    usize::try_from(arg)
        .ok()
        .filter(|&n| n <= bytes.len() - pos)
        .ok_or_else(|| "length beyond the data".to_owned())
}

fn item(bytes: &[u8], pos: &mut usize, depth: usize) -> Result<Ipld, String> {
    if depth > MAX_DEPTH {
        return Err("nested too deeply".into());
    }
    let (major, arg) = head(bytes, pos)?;
    Ok(match major {
        0 => Ipld::Int(i128::from(arg)),
        1 => Ipld::Int(-1 - i128::from(arg)),
        2 => Ipld::Bytes(take(bytes, pos, len(arg, bytes, *pos)?)?.to_vec()),
        3 => {
            let raw = take(bytes, pos, len(arg, bytes, *pos)?)?;
            Ipld::Text(String::from_utf8(raw.to_vec()).map_err(|_| "text is not UTF-8")?)
        }
        4 => {
            let n = len(arg, bytes, *pos)?;
            let mut items = Vec::with_capacity(n);
            for _ in 0..n {
                items.push(item(bytes, pos, depth + 1)?);
            }
            Ipld::List(items)
        }
        5 => {
            let n = len(arg, bytes, *pos)?;
            let mut map = BTreeMap::new();
            for _ in 0..n {
                let Ipld::Text(key) = item(bytes, pos, depth + 1)? else {
                    return Err("a map key is not text".into());
                };
                let value = item(bytes, pos, depth + 1)?;
                if map.insert(key, value).is_some() {
                    return Err("a map key repeats".into());
                }
            }
            Ipld::Map(map)
        }
        6 if arg == 42 => match item(bytes, pos, depth + 1)? {
            Ipld::Bytes(b) if b.first() == Some(&0) => Ipld::Link(b[1..].to_vec()),
            _ => return Err("tag 42 does not hold a CID".into()),
        },
        6 => return Err(format!("unsupported tag {arg}")),
        _ => match arg {
            20 => Ipld::Bool(false),
            21 => Ipld::Bool(true),
            22 => Ipld::Null,
            _ => return Err(format!("unsupported simple value or float ({arg})")),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn decodes_what_the_encoder_writes() {
        let value = json!({
            "a": [1, -25, 256, 65536, 4294967296u64], "b": null, "c": true,
            "bytes": {"$bytes": "AQID"},
            "link": {"$link": "bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm"}
        });
        let bytes = super::super::cid::encode(&value).unwrap();
        let decoded = decode(&bytes).unwrap();
        assert_eq!(encode(&decoded), bytes, "round trip");
        assert_eq!(decoded.get("b"), Some(&Ipld::Null));
        assert_eq!(decoded.get("bytes"), Some(&Ipld::Bytes(vec![1, 2, 3])));
        assert_eq!(
            decoded.get("a"),
            Some(&Ipld::List(vec![
                Ipld::Int(1),
                Ipld::Int(-25),
                Ipld::Int(256),
                Ipld::Int(65536),
                Ipld::Int(4294967296)
            ]))
        );
        assert!(matches!(decoded.get("link"), Some(Ipld::Link(l)) if l.len() == 36));
    }

    #[test]
    fn rejects_what_dag_cbor_forbids() {
        assert!(decode(&[0x9f]).is_err()); // indefinite array
        assert!(decode(&[0xf9, 0, 0]).is_err()); // half float
        assert!(decode(&[0x01, 0x02]).is_err()); // trailing
        assert!(decode(&[0x5a, 0xff, 0xff, 0xff, 0xff]).is_err()); // length beyond data
        assert!(decode(&[0xa1, 0x01, 0x01]).is_err()); // integer key
    }
}
