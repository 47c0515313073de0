//! Per-field plumbing of generated structs, shaped so that each struct's
//! code is as small as can be for the compiler to check: every crate that
//! is generated pays for every expression in it, the runtime pays once.
//!
//! A struct implements [`Object`]. `DeserializeAt` and `Validate` are
//! blanket impls over it; its serde and `Debug` impls forward to it through
//! `types::object_impls!`.
//!
//! Writing: one method call per field in a chain, the first error kept until
//! the end: `.req("name", &self.name)` instead of a statement with `?` (and
//! an `if let` for optional fields). Reading: a struct has no code of its
//! own for it, only [`Object::KEYS`] (the wire names) and a [`Slots`] type
//! (one `Option` per field, in tuples): a known key's value is read into
//! the slot at the key's index, generically. Then `finish` takes the
//! required fields out of their slots in order (`let Some(v0) = b.0 else
//! { return Err("name") };`), so the error names the first absent one.

use super::de::{check, error, At, DeserializeAt, Key, StrSeed};
use super::types::{insert_member, Data, Extra};
use super::validate::{check_unknown_member, messages, Path, Validate, ValidationError};
use serde::de::MapAccess;
use serde::ser::SerializeMap;
use serde::Serialize;

/// A generated struct: how it is read, written and checked.
pub trait Object: Sized {
    /// The fields read so far: one `Option` per name in [`Self::KEYS`], in
    /// that order (see [`Slots`]).
    type Builder: Slots;

    /// The fields' wire names.
    const KEYS: &'static [&'static str] = &[];

    /// `Some(nsid)` for records, whose data must carry `$type` = the NSID.
    const RECORD_TYPE: Option<&'static str> = None;

    /// Builds the value from the slots; `Err(name)` names the first
    /// required field that was not read.
    fn finish(b: Self::Builder, extra: Extra) -> Result<Self, &'static str>;

    /// Writes the fields (without `$type`), then the unknown fields kept.
    fn write<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error>;

    /// Checks the rules on the struct's own fields (strings, integers,
    /// arrays, blobs); deserializing runs it once the struct is built.
    fn check(&self, _path: &Path<'_>) -> Result<(), ValidationError> {
        Ok(())
    }

    /// Validates the fields of named types, which check themselves when
    /// deserialized: only values built in code need this.
    fn validate_nested(&self, _path: &Path<'_>) -> Result<(), ValidationError> {
        Ok(())
    }
}

/// `Validate` for a generated struct: its own rules, then nested values
/// (the order deserializing finds them in).
pub fn validate_object<T: Object>(value: &T, path: &Path<'_>) -> Result<(), ValidationError> {
    value.check(path)?;
    value.validate_nested(path)
}

/// Reads the members of a generated struct from `map`, then checks its
/// rules. `tag_read`: a union already read this object's `$type` (and
/// dispatched on it), so another `$type` is a duplicate key.
pub(crate) fn read_object<'de, T: Object, A: MapAccess<'de>>(
    map: &mut A,
    path: &Path<'_>,
    tag_read: bool,
) -> Result<T, A::Error> {
    // One slot per key: the generator writes both from the same fields.
    debug_assert_eq!(T::KEYS.len(), <T::Builder as Slots>::LEN);
    let mut builder = T::Builder::default();
    let mut extra = Extra::new();
    let mut saw_type = tag_read;
    while let Some(key) = map.next_key::<Key<'de>>()? {
        if key.as_str() == "$type" {
            if tag_read {
                return Err(error(&path.key("$type"), messages::DUPLICATE_KEY));
            }
            if let Some(expected) = T::RECORD_TYPE {
                let at = path.key("$type");
                let found = map.next_value_seed(StrSeed(Some(&at)))?;
                if found.as_str() != expected {
                    return Err(error(
                        &at,
                        messages::wrong_record_type(expected, found.as_str()),
                    ));
                }
                saw_type = true;
                continue;
            }
        }
        let known = T::KEYS
            .iter()
            .enumerate()
            .find(|(_, k)| **k == key.as_str());
        let read = match known {
            Some((i, name)) => builder.read(i, name, &mut Reader { map, path })?,
            None => false,
        };
        if !read {
            let value = map.next_value_seed(At::<Data>::new(&path.key(key.as_str())))?;
            check(check_unknown_member(key.as_str(), &value, path))?;
            insert_member(&mut extra, key.into_string(), value, path)?;
        }
    }
    if let (Some(expected), false) = (T::RECORD_TYPE, saw_type) {
        return Err(error(path, messages::missing_record_type(expected)));
    }
    let value =
        T::finish(builder, extra).map_err(|name| error(path, messages::missing_field(name)))?;
    check(value.check(path))?;
    Ok(value)
}

/// The slots a struct's fields are read into, one per field: `Option<T>` is
/// one slot, a tuple of slots is its elements' slots in order (tuples of up
/// to 12, which have `Default`; more fields nest). Generated structs name
/// a type (`(Option<String>, Option<i64>)`) and write no reading code.
pub trait Slots: Default {
    /// How many slots.
    const LEN: usize;

    /// Reads the value of field `name` into slot `i` (rejecting a repeated
    /// key); `Ok(false)` if there is no slot `i` (the value is then kept as
    /// an unknown field).
    fn read<'de, A: MapAccess<'de>>(
        &mut self,
        i: usize,
        name: &'static str,
        r: &mut Reader<'_, '_, A>,
    ) -> Result<bool, A::Error>;
}

impl<T: for<'de> DeserializeAt<'de>> Slots for Option<T> {
    const LEN: usize = 1;

    #[inline]
    fn read<'de, A: MapAccess<'de>>(
        &mut self,
        i: usize,
        name: &'static str,
        r: &mut Reader<'_, '_, A>,
    ) -> Result<bool, A::Error> {
        if i != 0 {
            return Ok(false);
        }
        r.read(self, name)
    }
}

/// `Slots` for tuples (`()` too: no slots): slot `i` is in the first
/// element whose slots reach past it.
macro_rules! tuple_slots {
    ($($t:ident $n:tt),*) => {
        impl<$($t: Slots),*> Slots for ($($t,)*) {
            const LEN: usize = 0 $(+ $t::LEN)*;

            #[inline]
            fn read<'de, A: MapAccess<'de>>(
                &mut self,
                i: usize,
                name: &'static str,
                r: &mut Reader<'_, '_, A>,
            ) -> Result<bool, A::Error> {
                $(
                    if i < $t::LEN {
                        return self.$n.read(i, name, r);
                    }
                    let i = i - $t::LEN;
                )*
                let _ = (i, name, r);
                Ok(false)
            }
        }
    };
}

tuple_slots!();
tuple_slots!(S0 0, S1 1);
tuple_slots!(S0 0, S1 1, S2 2);
tuple_slots!(S0 0, S1 1, S2 2, S3 3);
tuple_slots!(S0 0, S1 1, S2 2, S3 3, S4 4);
tuple_slots!(S0 0, S1 1, S2 2, S3 3, S4 4, S5 5);
tuple_slots!(S0 0, S1 1, S2 2, S3 3, S4 4, S5 5, S6 6);
tuple_slots!(S0 0, S1 1, S2 2, S3 3, S4 4, S5 5, S6 6, S7 7);
tuple_slots!(S0 0, S1 1, S2 2, S3 3, S4 4, S5 5, S6 6, S7 7, S8 8);
tuple_slots!(S0 0, S1 1, S2 2, S3 3, S4 4, S5 5, S6 6, S7 7, S8 8, S9 9);
tuple_slots!(S0 0, S1 1, S2 2, S3 3, S4 4, S5 5, S6 6, S7 7, S8 8, S9 9, S10 10);
tuple_slots!(S0 0, S1 1, S2 2, S3 3, S4 4, S5 5, S6 6, S7 7, S8 8, S9 9, S10 10, S11 11);

/// Where a field's value is read from: the map and the object's path.
pub struct Reader<'a, 'p, A> {
    map: &'a mut A,
    path: &'a Path<'p>,
}

impl<'de, A: MapAccess<'de>> Reader<'_, '_, A> {
    /// Reads the value of field `name` into its slot, rejecting a repeated
    /// key; `Ok(true)`.
    #[inline]
    fn read<T: DeserializeAt<'de>>(
        &mut self,
        slot: &mut Option<T>,
        name: &'static str,
    ) -> Result<bool, A::Error> {
        let path = self.path.key(name);
        if slot.is_some() {
            return Err(error(&path, messages::DUPLICATE_KEY));
        }
        *slot = Some(self.map.next_value_seed(At::<T>::new(&path))?);
        Ok(true)
    }
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

/// The nested values of a struct being validated, in a chain like
/// [`WriteFields`]: `.at("name", &self.name)` per field of a named type.
#[must_use = "call `end` to get the result"]
pub struct ValidateFields<'p> {
    path: &'p Path<'p>,
    result: Result<(), ValidationError>,
}

impl<'p> ValidateFields<'p> {
    /// Starts validating the fields of the struct at `path`.
    #[inline]
    pub fn new(path: &'p Path<'p>) -> Self {
        ValidateFields {
            path,
            result: Ok(()),
        }
    }

    /// Validates the field `key` (unless an earlier one failed).
    #[inline]
    pub fn at<V: Validate + ?Sized>(mut self, key: &'static str, value: &V) -> Self {
        if self.result.is_ok() {
            self.result = value.validate_at(&self.path.key(key));
        }
        self
    }

    /// Validates a boxed field (cycles are boxed), given as `as_deref()`:
    /// `Box<T>` has no `Validate` impl of its own (see the blanket impl).
    #[inline]
    pub fn boxed<V: Validate>(self, key: &'static str, value: Option<&V>) -> Self {
        match value {
            Some(value) => self.at(key, value),
            None => self,
        }
    }

    /// The first failure, if any.
    #[inline]
    pub fn end(self) -> Result<(), ValidationError> {
        self.result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
