//! `Debug` for generated structs, written from their serialization: one
//! body in the runtime instead of a derived `fmt` per struct (which was the
//! largest single item of a generated crate's check time). The output is
//! the data as it goes on the wire, with the type's name in front:
//! `Main { uri: "at://…", cid: "bafy…" }`, keys as in the lexicon, unset
//! optional fields left out and unknown fields included. `{:#?}` indents.
//! Unions show as the member's object, `$type` first.

use super::object::Object;
use serde::ser::{self, Serialize, SerializeMap, Serializer};
use std::fmt::{self, Debug, DebugList, DebugMap, DebugStruct, DebugTuple, Formatter};

/// Formats a generated struct named `name` (see the module docs).
pub fn debug_object<T: Object>(value: &T, name: &str, f: &mut Formatter<'_>) -> fmt::Result {
    let mut fields = Fields(f.debug_struct(name));
    value.write(&mut fields).map_err(|_| fmt::Error)?;
    fields.0.finish()
}

/// Formats any value through its `Serialize` impl: a union shows as the
/// object it is on the wire, `$type` first.
pub fn debug_value<T: Serialize + ?Sized>(value: &T, f: &mut Formatter<'_>) -> fmt::Result {
    Shown(value).fmt(f)
}

/// A value shown through its `Serialize` impl.
struct Shown<'v, V: ?Sized>(&'v V);

impl<V: Serialize + ?Sized> Debug for Shown<'_, V> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        self.0.serialize(Show(f)).map_err(|_| fmt::Error)
    }
}

/// Formatting failed (or a key was not a string); `fmt` only says so.
#[derive(Debug)]
struct Failed;

impl fmt::Display for Failed {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str("formatting failed")
    }
}

impl std::error::Error for Failed {}

impl ser::Error for Failed {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Failed
    }
}

fn done(result: fmt::Result) -> Result<(), Failed> {
    result.map_err(|_| Failed)
}

/// The fields of the struct being shown: `write` calls `serialize_entry`
/// with each field's name (a string) and value.
struct Fields<'a, 'b>(DebugStruct<'a, 'b>);

impl SerializeMap for Fields<'_, '_> {
    type Ok = ();
    type Error = Failed;
    fn serialize_key<K: Serialize + ?Sized>(&mut self, _: &K) -> Result<(), Failed> {
        Err(Failed)
    }
    fn serialize_value<V: Serialize + ?Sized>(&mut self, _: &V) -> Result<(), Failed> {
        Err(Failed)
    }
    fn serialize_entry<K: Serialize + ?Sized, V: Serialize + ?Sized>(
        &mut self,
        key: &K,
        value: &V,
    ) -> Result<(), Failed> {
        // Keys are strings in the data model; only `Debug` pays for this.
        let Ok(serde_json::Value::String(key)) = serde_json::to_value(key) else {
            return Err(Failed);
        };
        self.0.field(&key, &Shown(value));
        Ok(())
    }
    fn end(self) -> Result<(), Failed> {
        Ok(())
    }
}

/// A serializer that writes the value it is given to a formatter.
struct Show<'a, 'b>(&'a mut Formatter<'b>);

/// Compound values being shown, entry by entry.
enum Compound<'a, 'b> {
    List(DebugList<'a, 'b>),
    Map(DebugMap<'a, 'b>),
    Struct(DebugStruct<'a, 'b>),
    Tuple(DebugTuple<'a, 'b>),
}

impl Compound<'_, '_> {
    fn element<V: Serialize + ?Sized>(&mut self, value: &V) -> Result<(), Failed> {
        match self {
            Compound::List(l) => {
                l.entry(&Shown(value));
            }
            Compound::Tuple(t) => {
                t.field(&Shown(value));
            }
            Compound::Map(m) => {
                m.value(&Shown(value));
            }
            Compound::Struct(_) => return Err(Failed),
        }
        Ok(())
    }

    fn finish(self) -> Result<(), Failed> {
        done(match self {
            Compound::List(mut l) => l.finish(),
            Compound::Map(mut m) => m.finish(),
            Compound::Struct(mut s) => s.finish(),
            Compound::Tuple(mut t) => t.finish(),
        })
    }
}

macro_rules! shown_as_debug {
    ($($method:ident: $t:ty),*) => {$(
        fn $method(self, v: $t) -> Result<(), Failed> {
            done(Debug::fmt(&v, self.0))
        }
    )*};
}

macro_rules! compound {
    ($($trait:ident: $method:ident $(, $key:ident)?);*) => {$(
        impl ser::$trait for Compound<'_, '_> {
            type Ok = ();
            type Error = Failed;
            fn $method<V: Serialize + ?Sized>(&mut self, $($key: &'static str,)? value: &V) -> Result<(), Failed> {
                $(if let Compound::Struct(s) = self {
                    s.field($key, &Shown(value));
                    return Ok(());
                })?
                self.element(value)
            }
            fn end(self) -> Result<(), Failed> {
                self.finish()
            }
        }
    )*};
}

compound!(
    SerializeSeq: serialize_element;
    SerializeTuple: serialize_element;
    SerializeTupleStruct: serialize_field;
    SerializeTupleVariant: serialize_field;
    SerializeStruct: serialize_field, key;
    SerializeStructVariant: serialize_field, key
);

impl SerializeMap for Compound<'_, '_> {
    type Ok = ();
    type Error = Failed;
    fn serialize_key<K: Serialize + ?Sized>(&mut self, key: &K) -> Result<(), Failed> {
        match self {
            Compound::Map(m) => {
                m.key(&Shown(key));
                Ok(())
            }
            _ => Err(Failed),
        }
    }
    fn serialize_value<V: Serialize + ?Sized>(&mut self, value: &V) -> Result<(), Failed> {
        self.element(value)
    }
    fn end(self) -> Result<(), Failed> {
        self.finish()
    }
}

impl<'a, 'b> Serializer for Show<'a, 'b> {
    type Ok = ();
    type Error = Failed;
    type SerializeSeq = Compound<'a, 'b>;
    type SerializeTuple = Compound<'a, 'b>;
    type SerializeTupleStruct = Compound<'a, 'b>;
    type SerializeTupleVariant = Compound<'a, 'b>;
    type SerializeMap = Compound<'a, 'b>;
    type SerializeStruct = Compound<'a, 'b>;
    type SerializeStructVariant = Compound<'a, 'b>;

    shown_as_debug!(
        serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
        serialize_i64: i64, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32,
        serialize_u64: u64, serialize_f32: f32, serialize_f64: f64, serialize_char: char,
        serialize_str: &str, serialize_bytes: &[u8]
    );

    fn serialize_none(self) -> Result<(), Failed> {
        done(self.0.write_str("None"))
    }
    fn serialize_some<V: Serialize + ?Sized>(self, value: &V) -> Result<(), Failed> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Failed> {
        done(self.0.write_str("()"))
    }
    fn serialize_unit_struct(self, name: &'static str) -> Result<(), Failed> {
        done(self.0.write_str(name))
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        v: &'static str,
    ) -> Result<(), Failed> {
        done(self.0.write_str(v))
    }
    fn serialize_newtype_struct<V: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &V,
    ) -> Result<(), Failed> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<V: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &V,
    ) -> Result<(), Failed> {
        done(self.0.debug_tuple(variant).field(&Shown(value)).finish())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'a, 'b>, Failed> {
        Ok(Compound::List(self.0.debug_list()))
    }
    fn serialize_tuple(self, _: usize) -> Result<Compound<'a, 'b>, Failed> {
        Ok(Compound::Tuple(self.0.debug_tuple("")))
    }
    fn serialize_tuple_struct(
        self,
        name: &'static str,
        _: usize,
    ) -> Result<Compound<'a, 'b>, Failed> {
        Ok(Compound::Tuple(self.0.debug_tuple(name)))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'a, 'b>, Failed> {
        Ok(Compound::Tuple(self.0.debug_tuple(variant)))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'a, 'b>, Failed> {
        Ok(Compound::Map(self.0.debug_map()))
    }
    fn serialize_struct(self, name: &'static str, _: usize) -> Result<Compound<'a, 'b>, Failed> {
        Ok(Compound::Struct(self.0.debug_struct(name)))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'a, 'b>, Failed> {
        Ok(Compound::Struct(self.0.debug_struct(variant)))
    }
}
