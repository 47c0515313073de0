//! Per-field plumbing of generated structs, shaped so that each struct's
//! code is as small as can be for the compiler to check: every crate that
//! is generated pays for every expression in it, the runtime pays once.
//!
//! Writing: one method call per field in a chain, the first error kept until
//! the end: `.req("name", &self.name)` instead of a statement with `?` (and
//! an `if let` for optional fields). Reading: required fields are taken in
//! one pattern, and [`missing`] names the first absent one.

use super::validate::{messages, Path};
use serde::de;
use serde::ser::SerializeMap;
use serde::Serialize;

/// The error for a struct whose required fields are not all present:
/// `present` lists each required field's wire name and whether it was read,
/// in field order; the first absent one is named.
#[cold]
pub fn missing<E: de::Error>(path: &Path<'_>, present: &[(&str, bool)]) -> E {
    let name = present
        .iter()
        .find(|(_, present)| !present)
        .map_or("", |(name, _)| name);
    super::de::error(path, messages::missing_field(name))
}

/// The fields of a struct being written into `map` (see the module docs).
#[must_use = "call `extra` to write the unknown fields and get the result"]
pub struct WriteFields<'m, M: SerializeMap> {
    map: &'m mut M,
    result: Result<(), M::Error>,
}

impl<'m, M: SerializeMap> WriteFields<'m, M> {
    /// Starts writing into `map`.
    #[inline]
    pub fn new(map: &'m mut M) -> Self {
        WriteFields {
            map,
            result: Ok(()),
        }
    }

    /// A field that is always present.
    #[inline]
    pub fn req<V: Serialize + ?Sized>(mut self, key: &'static str, value: &V) -> Self {
        if self.result.is_ok() {
            self.result = self.map.serialize_entry(key, value);
        }
        self
    }

    /// A field written only when set.
    #[inline]
    pub fn opt<V: Serialize>(mut self, key: &'static str, value: &Option<V>) -> Self {
        if let (Ok(()), Some(value)) = (&self.result, value) {
            self.result = self.map.serialize_entry(key, value);
        }
        self
    }

    /// Writes the unknown fields kept from the input, last.
    #[inline]
    pub fn extra(self, extra: &crate::types::Extra) -> Result<(), M::Error> {
        self.result?;
        super::de::serialize_extra(self.map, extra)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_names_the_first_absent_required_field() {
        let path = Path::Root;
        let e: serde_json::Error = missing(&path, &[("a", true), ("b", false), ("c", false)]);
        assert_eq!(e.to_string(), "missing required field `b`");
        let inner = Path::Key(&path, "reply");
        let e: serde_json::Error = missing(&inner, &[("root", false)]);
        assert_eq!(e.to_string(), "reply: missing required field `root`");
    }

    #[test]
    fn fields_are_written_in_order_optional_ones_only_when_set() {
        let mut out = Vec::new();
        let mut ser = serde_json::Serializer::new(&mut out);
        let mut map = serde::Serializer::serialize_map(&mut ser, None).expect("map");
        let mut extra = crate::types::Extra::new();
        extra.insert("z".into(), crate::types::Data::from(1));
        WriteFields::new(&mut map)
            .req("a", "x")
            .opt::<i64>("b", &None)
            .opt("c", &Some(2))
            .req("d", &Option::<i64>::None)
            .extra(&extra)
            .expect("write");
        SerializeMap::end(map).expect("end");
        assert_eq!(
            String::from_utf8(out).expect("utf8"),
            r#"{"a":"x","c":2,"d":null,"z":1}"#
        );
    }
}
