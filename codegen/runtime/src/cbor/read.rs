//! The strict DAG-CBOR reader: accepts exactly the writer's output. Anything
//! else DAG-CBOR forbids is an error naming the data path and byte offset:
//! non-minimal heads, indefinite lengths, floats, `undefined` and other
//! simple values, tags other than 42 (and 42 over anything but `0x00` + a
//! CIDv1), non-string or out-of-order or duplicate map keys, integers
//! outside 64-bit signed, invalid UTF-8, trailing bytes. Maps may not use
//! the JSON form's reserved `$bytes`/`$link` keys, so every value has one
//! JSON form and back.

use super::super::types::Data;
use super::super::validate::Path;
use super::cid::cid_from_bytes;
use super::write::key_order;
use super::Error;
use std::collections::BTreeMap;

/// Nesting limit: deeper input is rejected rather than risking the stack.
const MAX_DEPTH: usize = 128;

/// Decodes exactly one value filling all of `bytes`.
///
/// # Errors
///
/// See the module documentation.
pub fn decode(bytes: &[u8]) -> Result<Data, Error> {
    let mut reader = Reader::new(bytes);
    let data = reader.value(&Path::Root, 0)?;
    reader.finish()?;
    Ok(data)
}

/// Decodes one value at the start of `bytes`; returns it and the number of
/// bytes it took (firehose frames are two values back to back).
///
/// # Errors
///
/// See the module documentation.
pub fn decode_prefix(bytes: &[u8]) -> Result<(Data, usize), Error> {
    let mut reader = Reader { bytes, pos: 0 };
    let data = reader.value(&Path::Root, 0)?;
    Ok((data, reader.pos))
}

/// The reader, also pulled from directly by decoders that skip building
/// [`Data`] for known shapes (MST nodes): same checks, same errors.
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

/// What [`Reader::item`] found: a map or array (its length; the caller
/// reads the contents), or any other value. (For MST nodes: `repo`.)
#[cfg(feature = "repo")]
pub(crate) enum Item {
    Map(usize),
    Array(usize),
    Other(Data),
}

impl<'a> Reader<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes, pos: 0 }
    }

    /// Fails unless the whole input was read.
    pub(crate) fn finish(&self) -> Result<(), Error> {
        if self.pos == self.bytes.len() {
            return Ok(());
        }
        Err(self.error(
            &Path::Root,
            format!(
                "{} trailing bytes after the value",
                self.bytes.len() - self.pos
            ),
        ))
    }

    /// The next value, or only the head of a map or array.
    #[cfg(feature = "repo")]
    pub(crate) fn item(&mut self, path: &Path<'_>, depth: usize) -> Result<Item, Error> {
        let start = self.pos;
        match self.head(path)? {
            (4, n) => Ok(Item::Array(self.length(n, path)?)),
            (5, n) => Ok(Item::Map(self.length(n, path)?)),
            _ => {
                self.pos = start;
                self.value(path, depth).map(Item::Other)
            }
        }
    }

    fn error(&self, path: &Path<'_>, message: impl std::fmt::Display) -> Error {
        let at = path.to_string();
        if at.is_empty() {
            Error::new(format!("invalid DAG-CBOR at byte {}: {message}", self.pos))
        } else {
            Error::new(format!(
                "invalid DAG-CBOR at `{at}` (byte {}): {message}",
                self.pos
            ))
        }
    }

    fn take(&mut self, n: usize, path: &Path<'_>) -> Result<&'a [u8], Error> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&end| end <= self.bytes.len())
            .ok_or_else(|| self.error(path, "unexpected end of input"))?;
        let slice = self.bytes.get(self.pos..end).unwrap_or_default();
        self.pos = end;
        Ok(slice)
    }

    /// Reads a head: major type and argument, which must be minimal.
    fn head(&mut self, path: &Path<'_>) -> Result<(u8, u64), Error> {
        let first = *self.take(1, path)?.first().unwrap_or(&0);
        let (major, info) = (first >> 5, first & 0x1f);
        if major == 7 {
            return match info {
                20..=22 => Ok((7, u64::from(info))),
                25..=27 => Err(self.error(path, "floats are not allowed")),
                31 => Err(self.error(path, "indefinite lengths are not allowed")),
                _ => Err(self.error(path, format!("simple value {info} is not allowed"))),
            };
        }
        let n = match info {
            0..=23 => return Ok((major, u64::from(info))),
            24 => u64::from(self.take(1, path)?.first().copied().unwrap_or(0)),
            25 => u64::from(u16::from_be_bytes(self.array(path)?)),
            26 => u64::from(u32::from_be_bytes(self.array(path)?)),
            27 => u64::from_be_bytes(self.array(path)?),
            31 => return Err(self.error(path, "indefinite lengths are not allowed")),
            _ => return Err(self.error(path, format!("reserved additional info {info}"))),
        };
        let minimal = match info {
            24 => n >= 24,
            25 => n > 0xff,
            26 => n > 0xffff,
            _ => n > 0xffff_ffff,
        };
        if !minimal {
            return Err(self.error(path, format!("{n} is not encoded in its shortest form")));
        }
        Ok((major, n))
    }

    fn array<const N: usize>(&mut self, path: &Path<'_>) -> Result<[u8; N], Error> {
        let mut out = [0; N];
        out.copy_from_slice(self.take(N, path)?);
        Ok(out)
    }

    /// A length, checked against the bytes left (each item takes at least
    /// one byte), so hostile lengths never allocate.
    fn length(&self, n: u64, path: &Path<'_>) -> Result<usize, Error> {
        usize::try_from(n)
            .ok()
            .filter(|&n| n <= self.bytes.len() - self.pos)
            .ok_or_else(|| self.error(path, format!("length {n} exceeds the input")))
    }

    /// A text string, borrowed from the input.
    fn text(&mut self, n: u64, path: &Path<'_>) -> Result<&'a str, Error> {
        let len = self.length(n, path)?;
        let start = self.pos;
        let raw = self.take(len, path)?;
        match std::str::from_utf8(raw) {
            Ok(s) => Ok(s),
            Err(e) => {
                self.pos = start;
                Err(self.error(path, format!("invalid UTF-8 in a string: {e}")))
            }
        }
    }

    pub(crate) fn value(&mut self, path: &Path<'_>, depth: usize) -> Result<Data, Error> {
        if depth > MAX_DEPTH {
            return Err(self.error(path, format!("nested deeper than {MAX_DEPTH}")));
        }
        let (major, n) = self.head(path)?;
        Ok(match major {
            0 => Data::Integer(i64::try_from(n).map_err(|_| {
                self.error(
                    path,
                    format!("{n} is beyond the 64-bit signed integer range"),
                )
            })?),
            1 => match i64::try_from(n) {
                Ok(n) => Data::Integer(-1 - n),
                Err(_) => {
                    return Err(self.error(path, "integer below the 64-bit signed range"));
                }
            },
            2 => {
                let len = self.length(n, path)?;
                Data::Bytes(self.take(len, path)?.to_vec())
            }
            3 => Data::String(self.text(n, path)?.to_owned()),
            4 => {
                let len = self.length(n, path)?;
                let mut items = Vec::with_capacity(len);
                for i in 0..len {
                    items.push(self.value(&path.index(i), depth + 1)?);
                }
                Data::Array(items)
            }
            5 => self.map(n, path, depth)?,
            6 if n == 42 => self.link(path)?,
            6 => return Err(self.error(path, format!("tag {n} is not allowed (only 42)"))),
            _ => match n {
                20 => Data::Bool(false),
                21 => Data::Bool(true),
                _ => Data::Null,
            },
        })
    }

    fn map(&mut self, n: u64, path: &Path<'_>, depth: usize) -> Result<Data, Error> {
        let len = self.length(n, path)?;
        let mut map = BTreeMap::new();
        let mut previous: Option<&str> = None;
        for _ in 0..len {
            let key = self.key(previous, path)?;
            let value = self.value(&path.key(key), depth + 1)?;
            previous = Some(key);
            map.insert(key.to_owned(), value);
        }
        Ok(Data::Object(map))
    }

    /// A map key, which must sort after `previous`.
    pub(crate) fn key(
        &mut self,
        previous: Option<&str>,
        path: &Path<'_>,
    ) -> Result<&'a str, Error> {
        let (major, n) = self.head(path)?;
        if major != 3 {
            return Err(self.error(path, "map keys must be strings"));
        }
        let key = self.text(n, path)?;
        if let Some(prev) = previous {
            if key_order(prev, key).is_ge() {
                let what = if prev == key {
                    "duplicate"
                } else {
                    "out-of-order"
                };
                return Err(self.error(
                    path,
                    format!(
                        "{what} map key {key:?} (keys must be sorted by length, then bytewise)"
                    ),
                ));
            }
        }
        if key == "$bytes" || key == "$link" {
            return Err(self.error(
                path,
                format!("map key {key:?} is reserved for the JSON form of bytes and links"),
            ));
        }
        Ok(key)
    }

    fn link(&mut self, path: &Path<'_>) -> Result<Data, Error> {
        let (major, n) = self.head(path)?;
        if major != 2 {
            return Err(self.error(path, "tag 42 must wrap a byte string"));
        }
        let len = self.length(n, path)?;
        let bytes = self.take(len, path)?;
        match bytes.split_first() {
            Some((0, cid)) => cid_from_bytes(cid)
                .map(Data::Link)
                .map_err(|e| self.error(path, format!("invalid CID in tag 42: {e}"))),
            _ => Err(self.error(
                path,
                "tag 42 bytes must start with the 0x00 multibase prefix",
            )),
        }
    }
}
