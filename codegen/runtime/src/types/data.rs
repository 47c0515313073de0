//! [`Data`]: one value of the atproto data model, the common ground of its
//! JSON and DAG-CBOR forms. JSON spells bytes `{"$bytes": "<base64>"}` and
//! links `{"$link": "<cid>"}`; here they are their own variants, so a value
//! read from either form writes back to either form unchanged.

use super::super::formats::Cid;
use super::super::validate::{check_data_model, integer_value, Path, ValidationError};
use super::{base64_decode, base64_encode, Blob};
use serde::de::{Deserializer, Error as _};
use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::str::FromStr;

/// A data-model value. There are no floats; integers are 64-bit signed;
/// object keys are strings. A blob is an object (`"$type": "blob"`, see
/// [`Data::as_blob`]), checked like every blob when read.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum Data {
    /// `null`.
    #[default]
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A 64-bit signed integer.
    Integer(i64),
    /// A UTF-8 string.
    String(String),
    /// Raw bytes (`$bytes` in JSON, a byte string in CBOR).
    Bytes(Vec<u8>),
    /// A CID link (`$link` in JSON, tag 42 in CBOR).
    Link(Cid),
    /// An array.
    Array(Vec<Data>),
    /// An object (map with string keys).
    Object(BTreeMap<String, Data>),
}

impl Data {
    /// Reads the JSON form, checking the data-model rules (integers only and
    /// in range, well-formed `$bytes`/`$link`/blob objects, string `$type`).
    ///
    /// # Errors
    ///
    /// A [`ValidationError`] naming the path of the first broken rule.
    pub fn from_json(value: &Value) -> Result<Data, ValidationError> {
        check_data_model(value, &Path::Root)?;
        Ok(Data::from_checked_json(value))
    }

    /// Converts JSON that [`check_data_model`] accepted.
    fn from_checked_json(value: &Value) -> Data {
        match value {
            Value::Null => Data::Null,
            Value::Bool(b) => Data::Bool(*b),
            Value::Number(n) => Data::Integer(integer_value(n).unwrap_or_default()),
            Value::String(s) => Data::String(s.clone()),
            Value::Array(items) => Data::Array(items.iter().map(Data::from_checked_json).collect()),
            Value::Object(map) => special(map).unwrap_or_else(|| {
                Data::Object(
                    map.iter()
                        .map(|(k, v)| (k.clone(), Data::from_checked_json(v)))
                        .collect(),
                )
            }),
        }
    }

    /// The JSON form.
    #[must_use]
    pub fn to_json(&self) -> Value {
        match self {
            Data::Null => Value::Null,
            Data::Bool(b) => Value::Bool(*b),
            Data::Integer(i) => Value::from(*i),
            Data::String(s) => Value::String(s.clone()),
            Data::Bytes(b) => one_key("$bytes", base64_encode(b)),
            Data::Link(cid) => one_key("$link", cid.as_str().to_owned()),
            Data::Array(items) => Value::Array(items.iter().map(Data::to_json).collect()),
            Data::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), v.to_json()))
                    .collect::<Map<_, _>>(),
            ),
        }
    }

    /// The blob this object is (`"$type": "blob"` or the legacy form).
    #[must_use]
    pub fn as_blob(&self) -> Option<Blob> {
        match self {
            Data::Object(_) => match self.to_json() {
                Value::Object(map) => Blob::from_map(&map, &Path::Root).ok(),
                _ => None,
            },
            _ => None,
        }
    }

    /// The `$type` of an object, if it has a string one.
    #[must_use]
    pub fn type_tag(&self) -> Option<&str> {
        match self {
            Data::Object(map) => match map.get("$type") {
                Some(Data::String(tag)) => Some(tag),
                _ => None,
            },
            _ => None,
        }
    }
}

/// `{"$bytes": ...}` and `{"$link": ...}` (already checked well-formed).
fn special(map: &Map<String, Value>) -> Option<Data> {
    match (map.len(), map.get("$bytes"), map.get("$link")) {
        (1, Some(Value::String(b)), _) => base64_decode(b).map(Data::Bytes),
        (1, _, Some(Value::String(c))) => Cid::from_str(c).ok().map(Data::Link),
        _ => None,
    }
}

fn one_key(key: &str, value: String) -> Value {
    let mut map = Map::new();
    map.insert(key.to_owned(), Value::String(value));
    Value::Object(map)
}

/// Serializes the JSON form (`$bytes` and `$link` objects); the DAG-CBOR
/// writer turns those back into byte strings and tag 42.
impl Serialize for Data {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Data::Null => s.serialize_unit(),
            Data::Bool(b) => s.serialize_bool(*b),
            Data::Integer(i) => s.serialize_i64(*i),
            Data::String(v) => s.serialize_str(v),
            Data::Bytes(b) => {
                let mut map = s.serialize_map(Some(1))?;
                map.serialize_entry("$bytes", &base64_encode(b))?;
                map.end()
            }
            Data::Link(cid) => {
                let mut map = s.serialize_map(Some(1))?;
                map.serialize_entry("$link", cid.as_str())?;
                map.end()
            }
            Data::Array(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                items.iter().try_for_each(|i| seq.serialize_element(i))?;
                seq.end()
            }
            Data::Object(entries) => {
                let mut map = s.serialize_map(Some(entries.len()))?;
                entries
                    .iter()
                    .try_for_each(|(k, v)| map.serialize_entry(k, v))?;
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Data {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(d)?;
        Data::from_json(&value).map_err(D::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const CID: &str = "bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm";

    #[test]
    fn json_round_trips_through_data() {
        let value = json!({
            "a": [1, -2, true, null, "s"],
            "b": {"$bytes": "AAEC"},
            "c": {"$link": CID},
            "blob": {"$type": "blob", "ref": {"$link": CID}, "mimeType": "image/png", "size": 3},
        });
        let data = Data::from_json(&value).unwrap();
        let Data::Object(map) = &data else { panic!() };
        assert_eq!(map["b"], Data::Bytes(vec![0, 1, 2]));
        assert!(matches!(map["c"], Data::Link(_)));
        assert_eq!(map["blob"].as_blob().unwrap().size, 3);
        assert_eq!(data.to_json(), value);
        assert_eq!(serde_json::to_value(&data).unwrap(), value);
        let back: Data = serde_json::from_value(value).unwrap();
        assert_eq!(back, data);
    }

    #[test]
    fn json_outside_the_data_model_is_rejected() {
        for bad in [
            json!({"x": 1.5}),
            json!({"x": 9_223_372_036_854_775_808_u64}),
            json!({"x": {"$link": "nope", "y": 1}}),
            json!({"x": {"$bytes": "!!"}}),
            json!({"x": {"$type": "blob", "mimeType": "a/b", "size": 1}}),
        ] {
            let err = Data::from_json(&bad).unwrap_err().to_string();
            assert!(err.contains('x'), "{err}");
        }
    }
}
