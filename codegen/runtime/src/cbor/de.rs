//! A serde `Deserializer` over borrowed [`Data`] that presents each value
//! exactly as `serde_json::from_value(data.to_json())` would (links as
//! `{"$link": cid}`, bytes as `{"$bytes": base64}`, non-negative integers
//! as `u64`, the same errors), without building the JSON tree first: the
//! generated types, their validation and path-named errors run unchanged.

use super::super::types::{base64_encode, Data};
use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, IntoDeserializer, MapAccess, SeqAccess,
    Unexpected, VariantAccess, Visitor,
};
use serde::forward_to_deserialize_any;
use serde_json::Error;
use std::collections::btree_map;

/// Deserializes a borrowed [`Data`] value.
pub(crate) struct DataDeserializer<'de>(pub(crate) &'de Data);

impl<'de> DataDeserializer<'de> {
    fn unexpected(&self) -> Unexpected<'de> {
        match self.0 {
            Data::Null => Unexpected::Unit,
            Data::Bool(b) => Unexpected::Bool(*b),
            Data::Integer(i) => match u64::try_from(*i) {
                Ok(u) => Unexpected::Unsigned(u),
                Err(_) => Unexpected::Signed(*i),
            },
            Data::String(s) => Unexpected::Str(s),
            Data::Array(_) => Unexpected::Seq,
            Data::Bytes(_) | Data::Link(_) | Data::Object(_) => Unexpected::Map,
        }
    }

    fn invalid_type<V: Visitor<'de>>(&self, visitor: &V) -> Error {
        de::Error::invalid_type(self.unexpected(), visitor)
    }
}

/// The one-key object a link or bytes value stands for in JSON.
struct OneKey<'de> {
    key: Option<&'static str>,
    value: Option<Value<'de>>,
}

enum Value<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl<'de> MapAccess<'de> for OneKey<'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        match self.key.take() {
            Some(key) => seed.deserialize(key.into_deserializer()).map(Some),
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        match self.value.take() {
            Some(Value::Borrowed(s)) => {
                seed.deserialize(de::value::BorrowedStrDeserializer::new(s))
            }
            Some(Value::Owned(s)) => seed.deserialize(de::value::StringDeserializer::new(s)),
            None => Err(de::Error::custom("value is missing")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(usize::from(self.key.is_some()))
    }
}

fn one_key<'de, V: Visitor<'de>>(
    key: &'static str,
    value: Value<'de>,
    visitor: V,
) -> Result<V::Value, Error> {
    let mut map = OneKey {
        key: Some(key),
        value: Some(value),
    };
    let out = visitor.visit_map(&mut map)?;
    match map.key {
        None => Ok(out),
        Some(_) => Err(de::Error::invalid_length(1, &"fewer elements in map")),
    }
}

struct Seq<'de>(std::slice::Iter<'de, Data>);

impl<'de> SeqAccess<'de> for Seq<'de> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        self.0
            .next()
            .map(|item| seed.deserialize(DataDeserializer(item)))
            .transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct Map<'de> {
    iter: btree_map::Iter<'de, String, Data>,
    value: Option<&'de Data>,
}

impl<'de> MapAccess<'de> for Map<'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        match self.iter.next() {
            Some((key, value)) => {
                self.value = Some(value);
                seed.deserialize(de::value::BorrowedStrDeserializer::new(key))
                    .map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        match self.value.take() {
            Some(value) => seed.deserialize(DataDeserializer(value)),
            None => Err(de::Error::custom("value is missing")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

fn visit_seq<'de, V: Visitor<'de>>(items: &'de [Data], visitor: V) -> Result<V::Value, Error> {
    let len = items.len();
    let mut seq = Seq(items.iter());
    let value = visitor.visit_seq(&mut seq)?;
    if seq.0.len() == 0 {
        Ok(value)
    } else {
        Err(de::Error::invalid_length(len, &"fewer elements in array"))
    }
}

fn visit_object<'de, V: Visitor<'de>>(data: &'de Data, visitor: V) -> Result<V::Value, Error> {
    match data {
        Data::Object(object) => {
            let len = object.len();
            let mut map = Map {
                iter: object.iter(),
                value: None,
            };
            let value = visitor.visit_map(&mut map)?;
            if map.iter.len() == 0 {
                Ok(value)
            } else {
                Err(de::Error::invalid_length(len, &"fewer elements in map"))
            }
        }
        Data::Link(cid) => one_key("$link", Value::Borrowed(cid.as_str()), visitor),
        Data::Bytes(b) => one_key("$bytes", Value::Owned(base64_encode(b)), visitor),
        _ => Err(de::Error::invalid_type(
            Unexpected::Other("a non-map value"),
            &"a map",
        )),
    }
}

impl<'de> Deserializer<'de> for DataDeserializer<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Data::Null => visitor.visit_unit(),
            Data::Bool(b) => visitor.visit_bool(*b),
            Data::Integer(i) => match u64::try_from(*i) {
                Ok(u) => visitor.visit_u64(u),
                Err(_) => visitor.visit_i64(*i),
            },
            Data::String(s) => visitor.visit_borrowed_str(s),
            Data::Array(items) => visit_seq(items, visitor),
            Data::Bytes(_) | Data::Link(_) | Data::Object(_) => visit_object(self.0, visitor),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Data::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Data::Null => visitor.visit_unit(),
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Data::Bool(b) => visitor.visit_bool(*b),
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Data::String(s) => visitor.visit_borrowed_str(s),
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Data::String(s) => visitor.visit_borrowed_str(s),
            Data::Array(items) => visit_seq(items, visitor),
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_bytes(visitor)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Data::Array(items) => visit_seq(items, visitor),
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Data::Bytes(_) | Data::Link(_) | Data::Object(_) => visit_object(self.0, visitor),
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.0 {
            Data::Array(items) => visit_seq(items, visitor),
            Data::Bytes(_) | Data::Link(_) | Data::Object(_) => visit_object(self.0, visitor),
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.0 {
            Data::Object(object) => {
                let mut iter = object.iter();
                let (Some((variant, value)), None) = (iter.next(), iter.next()) else {
                    return Err(de::Error::invalid_value(
                        Unexpected::Map,
                        &"map with a single key",
                    ));
                };
                visitor.visit_enum(Enum {
                    variant,
                    value: Some(value),
                })
            }
            Data::String(variant) => visitor.visit_enum(Enum {
                variant,
                value: None,
            }),
            _ => Err(de::Error::invalid_type(self.unexpected(), &"string or map")),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    forward_to_deserialize_any! {
        i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64
    }
}

struct Enum<'de> {
    variant: &'de str,
    value: Option<&'de Data>,
}

impl<'de> EnumAccess<'de> for Enum<'de> {
    type Error = Error;
    type Variant = Variant<'de>;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Variant<'de>), Error> {
        let variant = seed.deserialize(de::value::BorrowedStrDeserializer::new(self.variant))?;
        Ok((variant, Variant(self.value)))
    }
}

struct Variant<'de>(Option<&'de Data>);

impl<'de> VariantAccess<'de> for Variant<'de> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        match self.0 {
            None | Some(Data::Null) => Ok(()),
            Some(_) => Err(de::Error::invalid_type(Unexpected::Map, &"unit variant")),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        match self.0 {
            Some(value) => seed.deserialize(DataDeserializer(value)),
            None => Err(de::Error::invalid_type(
                Unexpected::UnitVariant,
                &"newtype variant",
            )),
        }
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Some(Data::Array(items)) => visit_seq(items, visitor),
            _ => Err(de::Error::invalid_type(
                Unexpected::UnitVariant,
                &"tuple variant",
            )),
        }
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.0 {
            Some(value @ (Data::Object(_) | Data::Bytes(_) | Data::Link(_))) => {
                visit_object(value, visitor)
            }
            _ => Err(de::Error::invalid_type(
                Unexpected::UnitVariant,
                &"struct variant",
            )),
        }
    }
}
