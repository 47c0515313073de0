//! The walk: one function per thing the generated deserializers do, in the
//! order they do it, calling the same runtime rule functions.
//!
//! A generated struct reads its members in document order (a member's own
//! type and format errors surface as it is read, nested values first), then
//! checks a record's `$type`, then required fields in lexicon order, then the
//! field rules (`Object::check`) in lexicon order. A union whose first member
//! is `$type` reads the variant from the rest of the object as it comes; one
//! with `$type` later buffers the object into a `serde_json::Value` (sorted
//! keys, duplicates rejected first) and reads the variant from that. Leaves (strings, integers, blobs, ...) are read by the
//! runtime's own `DeserializeAt` impls, so their messages are the generated
//! types' messages.

use super::json::Json;
use super::json_de;
use crate::ir::{Field, Ir, ObjectIr, ObjectRole, Shape, StringEnumIr, TypeId, TypeKind, UnionIr};
use crate::runtime::de::{self as rt_de, DeserializeAt};
use crate::runtime::types::{Blob, Bytes, CidLink, Data, Unknown, UnknownObject};
use crate::runtime::validate::{self as rules, messages, Path, ValidationError};
use serde_json::Value;
use std::borrow::Cow;

type Res = Result<(), ValidationError>;

/// How a struct is read.
#[derive(Clone, Copy, PartialEq)]
enum Read<'a> {
    /// On its own; `Some(nsid)` for a record (its `$type` is checked).
    Alone(Option<&'a str>),
    /// As a union member whose `$type` was read already (another is a
    /// duplicate key).
    Member,
}

/// Walks data against the IR.
pub(super) struct Walker<'ir> {
    pub(super) ir: &'ir Ir,
}

impl Walker<'_> {
    /// Reads a value of `shape` at `path`, then applies its field-level rules
    /// (what a field of this shape gets; used for the root value).
    pub(super) fn root(&self, shape: &Shape, v: &Json, path: &Path<'_>) -> Res {
        self.read(shape, v, path)?;
        self.check(shape, v, path)
    }

    /// What deserializing a value of `shape` checks.
    fn read(&self, shape: &Shape, v: &Json, path: &Path<'_>) -> Res {
        match shape {
            Shape::Boolean { .. } => match v {
                Json::Bool(_) => Ok(()),
                _ => leaf::<bool>(v, path).map(drop),
            },
            Shape::Integer(_) => match v {
                Json::Number(n) if rules::integer_value(n).is_some() => Ok(()),
                _ => leaf::<i64>(v, path).map(drop),
            },
            Shape::String { format, .. } => {
                let s = string(v, path)?;
                match format {
                    Some(f) => f
                        .check(s)
                        .map_err(|e| ValidationError::new(path, e.to_string())),
                    None => Ok(()),
                }
            }
            // Data-model values: the runtime's own readers, in document order.
            Shape::Bytes(_) => object_leaf::<Bytes>(v, "a `$bytes` object", path).map(drop),
            Shape::CidLink => object_leaf::<CidLink>(v, "a `$link` object", path).map(drop),
            Shape::Blob(_) => object_leaf::<Blob>(v, "a blob object", path).map(drop),
            Shape::Unknown => object_leaf::<Unknown>(v, "an object", path).map(drop),
            Shape::Array { items, .. } => match v {
                Json::Array(elements) => elements
                    .iter()
                    .enumerate()
                    .try_for_each(|(i, e)| self.read(items, e, &path.index(i))),
                // Any element type gives the runtime's "expected an array".
                _ => leaf::<Vec<bool>>(v, path).map(drop),
            },
            Shape::Named(id) => self.named(*id, v, path),
            Shape::Alias { target, .. } => self.alias(target, v, path),
        }
    }

    /// A named def of a non-object type: a newtype checking its own rules
    /// as it is read when it has any, else a plain alias of its target.
    fn alias(&self, target: &Shape, v: &Json, path: &Path<'_>) -> Res {
        self.read(target, v, path)?;
        if target.has_rules() {
            self.check(target, v, path)?;
        }
        Ok(())
    }

    /// A named type deserializes itself (and checks its own rules).
    fn named(&self, id: TypeId, v: &Json, path: &Path<'_>) -> Res {
        let def = self.ir.ty(id);
        match &def.kind {
            TypeKind::Object(o) => {
                let record = matches!(o.role, ObjectRole::Record { .. });
                let read = Read::Alone(record.then_some(def.type_tag.as_str()));
                self.object(o, read, v, path)
            }
            TypeKind::Union(u) => self.union(u, v, path),
            TypeKind::StringEnum(e) => string_enum(e, v, path),
            TypeKind::Alias(shape) => self.alias(shape, v, path),
            // Error enums are not data; never the target of a field.
            TypeKind::Errors(_) => Ok(()),
        }
    }

    /// `read_object` (the visitor of generated structs) and the generated
    /// `finish`.
    fn object(&self, o: &ObjectIr, read: Read<'_>, v: &Json, path: &Path<'_>) -> Res {
        let Json::Object(members) = v else {
            return structural_object(v, "an object", path);
        };
        let mut slots: Vec<Option<&Json>> = vec![None; o.fields.len()];
        let mut extra = std::collections::HashSet::new();
        let (record, mut saw_type) = match read {
            Read::Alone(record) => (record, false),
            Read::Member => (None, true),
        };
        for (key, value) in members {
            if read == Read::Member && key == "$type" {
                return Err(ValidationError::new(
                    &path.key("$type"),
                    messages::DUPLICATE_KEY,
                ));
            }
            if let (Some(expected), "$type") = (record, key.as_str()) {
                let at = path.key("$type");
                let found = string(value, &at)?;
                if found != expected {
                    return Err(ValidationError::new(
                        &at,
                        messages::wrong_record_type(expected, found),
                    ));
                }
                saw_type = true;
                continue;
            }
            match o.fields.iter().position(|f| f.wire == *key) {
                Some(i) => {
                    let at = path.key(key);
                    let slot = slots.get_mut(i).ok_or_else(|| internal(&at))?;
                    if slot.is_some() {
                        return Err(ValidationError::new(&at, messages::DUPLICATE_KEY));
                    }
                    let field = o.fields.get(i).ok_or_else(|| internal(&at))?;
                    self.field_value(field, value, &at)?;
                    *slot = Some(value);
                }
                None => {
                    let data = json_de::read::<Data>(value, &path.key(key))?;
                    rules::check_unknown_member(key, &data, path)?;
                    if !extra.insert(key.as_str()) {
                        return Err(ValidationError::new(
                            &path.key(key),
                            messages::DUPLICATE_KEY,
                        ));
                    }
                }
            }
        }
        if let (Some(expected), false) = (record, saw_type) {
            return Err(ValidationError::new(
                path,
                messages::missing_record_type(expected),
            ));
        }
        for (field, slot) in o.fields.iter().zip(&slots) {
            if field.required && slot.is_none() {
                return Err(ValidationError::new(
                    path,
                    messages::missing_field(&field.wire),
                ));
            }
        }
        for (field, slot) in o.fields.iter().zip(&slots) {
            match slot {
                // `null` of a nullable field has no rules to check.
                None | Some(Json::Null) => {}
                Some(value) => self.check(&field.shape, value, &path.key(&field.wire))?,
            }
        }
        Ok(())
    }

    /// A member's value: `null` only when nullable (`Option<T>`), else `T`.
    fn field_value(&self, field: &Field, v: &Json, path: &Path<'_>) -> Res {
        match v {
            Json::Null if field.nullable => Ok(()),
            _ => self.read(&field.shape, v, path),
        }
    }

    /// `deserialize_union`: with `$type` first, the member reads the rest
    /// of the object as it comes; otherwise the object is buffered
    /// (`union_parts`: duplicates rejected, then keys sorted) and the member
    /// read from that.
    fn union(&self, u: &UnionIr, v: &Json, path: &Path<'_>) -> Res {
        if let Json::Object(members) = v {
            if let Some(((key, tag), rest)) = members.split_first() {
                if key == "$type" {
                    let tag = match tag {
                        Json::String(tag) if !tag.is_empty() => tag,
                        _ => {
                            let at = path.key("$type");
                            return Err(ValidationError::new(&at, messages::TYPE_NOT_STRING));
                        }
                    };
                    return self.member(u, tag, &Json::Object(rest.to_vec()), path);
                }
            }
        }
        duplicates(v, path)?;
        let (tag, map) =
            rt_de::union_parts(&v.to_value(), path).map_err(|e| from_runtime(&e, path))?;
        self.member(u, &tag, &Json::from(&Value::Object(map)), path)
    }

    /// The generated `UnionDe::member`: the object's members other than `$type`.
    fn member(&self, u: &UnionIr, tag: &str, rest: &Json, path: &Path<'_>) -> Res {
        match u.variants.iter().find(|var| var.type_tag == tag) {
            Some(var) => {
                let def = self.ir.ty(var.target);
                let TypeKind::Object(o) = &def.kind else {
                    return Err(internal(path));
                };
                if matches!(o.role, ObjectRole::Record { .. }) && def.type_tag != tag {
                    return Err(ValidationError::new(
                        &path.key("$type"),
                        messages::wrong_record_type(&def.type_tag, tag),
                    ));
                }
                self.object(o, Read::Member, rest, path)
            }
            None if u.closed => {
                let known: Vec<&str> = u.variants.iter().map(|v| v.type_tag.as_str()).collect();
                let err: serde_json::Error = rt_de::closed_union_error(tag, path, &known);
                Err(from_runtime(&err, path))
            }
            // Open: kept whole as the fallback variant (data-model rules only).
            None => {
                let Json::Object(members) = rest else {
                    return Err(internal(path));
                };
                let mut all = vec![("$type".to_owned(), Json::String(tag.to_owned()))];
                all.extend(members.iter().cloned());
                let all = Json::Object(all);
                // With the tag, so that a member named `$type` is a duplicate.
                duplicates(&all, path)?;
                let Value::Object(map) = rest.to_value() else {
                    return Err(internal(path));
                };
                UnknownObject::from_json(tag.to_owned(), &map, path).map(drop)
            }
        }
    }

    /// The generated `Object::check` statements for one field value.
    fn check(&self, shape: &Shape, v: &Json, path: &Path<'_>) -> Res {
        match shape {
            Shape::Boolean { const_: Some(c) } => match v {
                Json::Bool(b) => rules::check_bool(*b, Some(*c), path),
                _ => Err(internal(path)),
            },
            Shape::Integer(r) if !r.is_empty() => {
                let n = match v {
                    Json::Number(n) => rules::integer_value(n).ok_or_else(|| internal(path))?,
                    _ => return Err(internal(path)),
                };
                rules::check_integer(n, r, path)
            }
            Shape::String { rules: r, .. } if !r.is_empty() => {
                rules::check_string(string(v, path)?, r, path)
            }
            Shape::Bytes(r) if !r.is_empty() => {
                let bytes = object_leaf::<Bytes>(v, "a `$bytes` object", path)?;
                rules::check_length(bytes.0.len(), r, "bytes", path)
            }
            Shape::Blob(r) if !r.is_empty() => {
                let blob = object_leaf::<Blob>(v, "a blob object", path)?;
                rules::check_blob(&blob.mime_type, blob.size, r, path)
            }
            Shape::Array { items, rules: r } => {
                let Json::Array(elements) = v else {
                    return Err(internal(path));
                };
                if !r.is_empty() {
                    rules::check_length(elements.len(), r, "elements", path)?;
                }
                elements
                    .iter()
                    .enumerate()
                    .try_for_each(|(i, e)| self.check(items, e, &path.index(i)))
            }
            // Named defs checked themselves as they were read.
            _ => Ok(()),
        }
    }
}

/// A string enum: the string, its format and rules, then (closed) the set.
fn string_enum(e: &StringEnumIr, v: &Json, path: &Path<'_>) -> Res {
    let s = string(v, path)?;
    if e.format.is_some() || !e.rules.is_empty() {
        rules::check_formatted(s, e.format, &e.rules, path)?;
    }
    if !e.open {
        let values: Vec<Cow<str>> = e
            .values
            .iter()
            .map(|v| Cow::Borrowed(v.value.as_str()))
            .collect();
        let only = rules::StringRules {
            enum_: Some(Cow::Borrowed(&values)),
            ..rules::StringRules::NONE
        };
        rules::check_string(s, &only, path)?;
    }
    Ok(())
}

/// The string, or the runtime's "expected a string" error.
fn string<'v>(v: &'v Json, path: &Path<'_>) -> Result<&'v str, ValidationError> {
    match v.as_str() {
        Some(s) => Ok(s),
        None => leaf::<String>(v, path).and(Err(internal(path))),
    }
}

/// Reads a leaf with the runtime's own deserializer.
fn leaf<T: for<'de> DeserializeAt<'de>>(v: &Json, path: &Path<'_>) -> Result<T, ValidationError> {
    let value = v.to_value();
    T::deserialize_at(&value, path).map_err(|e| from_runtime(&e, path))
}

/// A data-model object (blob, bytes, link, `unknown`) read as the runtime
/// reads it: serde's "expected X" for a non-object, else its own reader.
fn object_leaf<T: for<'de> DeserializeAt<'de>>(
    v: &Json,
    what: &'static str,
    path: &Path<'_>,
) -> Result<T, ValidationError> {
    match v {
        Json::Object(_) => json_de::read::<T>(v, path),
        _ => structural_object(v, what, path).and(Err(internal(path))),
    }
}

/// `object_map`'s duplicate-key rule (only documents can have duplicates).
fn duplicates(v: &Json, path: &Path<'_>) -> Res {
    match v.first_duplicate_key() {
        Some(key) => Err(ValidationError::new(
            &path.key(key),
            messages::DUPLICATE_KEY,
        )),
        None => Ok(()),
    }
}

/// The runtime's "expected an object" error for a non-object.
fn structural_object(v: &Json, what: &'static str, path: &Path<'_>) -> Res {
    match rt_de::object_map(&v.to_value(), what, path) {
        Ok(_) => Err(internal(path)),
        Err(e) => Err(from_runtime(&e, path)),
    }
}

/// A state the walk never reaches for data the read step accepted.
fn internal(path: &Path<'_>) -> ValidationError {
    ValidationError::new(path, "internal error: value changed between read and check")
}

/// Splits a runtime error for a value at `base` back into path and rule.
/// Rule errors read `<path>: <rule>` (the `ValidationError` display), at
/// `base` or, for a union's `$type`, at `base.$type` (blobs, bytes and links
/// report through their `from_map`, with their own paths); serde's
/// structural errors read `invalid type: ..., expected X at \`path\`` and
/// become `<path>: invalid type: ..., expected X`.
fn from_runtime(err: &serde_json::Error, base: &Path<'_>) -> ValidationError {
    let msg = err.to_string();
    let base_text = base.to_string();
    let type_path = base.key("$type");
    if let Some(rule) = msg
        .strip_prefix(type_path.to_string().as_str())
        .and_then(|r| r.strip_prefix(": "))
    {
        return ValidationError::new(&type_path, rule);
    }
    if !base_text.is_empty() {
        if let Some(rule) = msg
            .strip_prefix(base_text.as_str())
            .and_then(|r| r.strip_prefix(": "))
        {
            return ValidationError::new(base, rule);
        }
        if let Some(rule) = msg.strip_suffix(&format!(" at `{base_text}`")) {
            return ValidationError::new(base, rule);
        }
    }
    ValidationError::new(base, msg)
}
