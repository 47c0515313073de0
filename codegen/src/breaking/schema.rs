//! The rules inside a def: one schema node of the old version against the
//! same node of the new one. Each check says which way the change moves
//! the set of valid values ([`Direction`]); the node's roles make that a
//! class (see [`super::rules`]). Rationale per rule: the README table.

use super::compare::{Comparer, Pair};
use super::roles::message_schema;
use super::rules::{Direction, Roles, Rule};
use super::{Class, Side};
use crate::lexicon::path::JsonPath;
use crate::lexicon::*;

use Direction::{Both, Fixed, Loosen, Neutral, Tighten};

/// `.key(k)` from the root, for the `rest` of a location.
pub(super) fn at(key: &str) -> JsonPath {
    JsonPath::root().key(key)
}

pub(super) fn at_index(key: &str, i: usize) -> JsonPath {
    JsonPath::root().key(key).index(i)
}

/// A value as JSON text, for messages.
fn show<T: Into<serde_json::Value>>(v: T) -> String {
    v.into().to_string()
}

/// String formats whose every valid value is also valid in a wider one
/// (LEXICON-RULES.md §6): changing to the wider format only loosens.
const NARROWER_FORMATS: [(&str, &str); 6] = [
    ("did", "at-identifier"),
    ("handle", "at-identifier"),
    ("did", "uri"),
    ("at-uri", "uri"),
    ("tid", "record-key"),
    ("nsid", "record-key"),
];

/// Whether MIME pattern `pattern` accepts everything `other` does.
fn mime_covers(pattern: &str, other: &str) -> bool {
    pattern == "*/*"
        || pattern == other
        || pattern
            .strip_suffix('*')
            .is_some_and(|prefix| prefix.ends_with('/') && other.starts_with(prefix))
}

/// Whether every MIME type `inner` accepts is accepted by `outer`.
fn accept_covers(outer: &[String], inner: &[String]) -> bool {
    inner
        .iter()
        .all(|i| outer.iter().any(|o| mime_covers(o, i)))
}

impl<'a> Comparer<'a> {
    /// Compares one node of each version.
    pub fn schema(&mut self, p: &Pair<'a>, old: &Schema, new: &Schema) {
        if let Some((q, o, n)) = self.through_ref(p, old, new) {
            return self.schema(&q, o, n);
        }
        if old.type_name() != new.type_name() {
            let what = format!(
                "type changed from {} to {}",
                old.type_name(),
                new.type_name()
            );
            return self.report(p, Side::New, at("type"), Rule::TypeChange, Both, &what);
        }
        match (old, new) {
            (Schema::Boolean(o), Schema::Boolean(n)) => {
                self.constant(p, o.const_.map(show), n.const_.map(show));
                self.default(p, o.default.map(show), n.default.map(show));
            }
            (Schema::Integer(o), Schema::Integer(n)) => {
                self.constant(p, o.const_.map(show), n.const_.map(show));
                let set =
                    |e: &Option<Vec<i64>>| e.as_ref().map(|v| v.iter().map(|x| show(*x)).collect());
                self.closed_set(p, "enum", Rule::EnumValues, set(&o.enum_), set(&n.enum_));
                self.limit(
                    p,
                    "minimum",
                    Rule::IntegerRange,
                    o.minimum.map(i128::from),
                    n.minimum.map(i128::from),
                    false,
                );
                self.limit(
                    p,
                    "maximum",
                    Rule::IntegerRange,
                    o.maximum.map(i128::from),
                    n.maximum.map(i128::from),
                    true,
                );
                self.default(p, o.default.map(show), n.default.map(show));
            }
            (Schema::String(o), Schema::String(n)) => self.string(p, o, n),
            (Schema::Bytes(o), Schema::Bytes(n)) => {
                self.lengths(
                    p,
                    Rule::BytesLength,
                    (o.min_length, o.max_length),
                    (n.min_length, n.max_length),
                );
            }
            (Schema::Blob(o), Schema::Blob(n)) => self.blob(p, o, n),
            (Schema::Array(o), Schema::Array(n)) => {
                self.lengths(
                    p,
                    Rule::ArrayLength,
                    (o.min_length, o.max_length),
                    (n.min_length, n.max_length),
                );
                self.schema(&p.key("items"), &o.items, &n.items);
            }
            (Schema::Object(o), Schema::Object(n)) => self.properties(
                p,
                Rule::ObjectRequired,
                (&o.properties, &o.required, Some(&o.nullable)),
                (&n.properties, &n.required, Some(&n.nullable)),
            ),
            (Schema::Params(o), Schema::Params(n)) => self.properties(
                p,
                Rule::ParamsRequired,
                (&o.properties, &o.required, None),
                (&n.properties, &n.required, None),
            ),
            (Schema::Ref(o), Schema::Ref(n)) => self.ref_target(p, &o.target, &n.target),
            (Schema::Union(o), Schema::Union(n)) => self.union(p, o, n),
            (Schema::Record(o), Schema::Record(n)) => {
                if o.key != n.key {
                    let what = format!(
                        "record key type changed from {} to {}",
                        o.key.as_deref().unwrap_or("(none)"),
                        n.key.as_deref().unwrap_or("(none)")
                    );
                    self.report(p, Side::New, at("key"), Rule::RecordKey, Both, &what);
                }
                self.schema(
                    &p.key("record").with_roles(Roles::STORED),
                    &o.record,
                    &n.record,
                );
            }
            (Schema::Query(o), Schema::Query(n)) => {
                self.params(p, o.parameters.as_deref(), n.parameters.as_deref());
                self.body(p, "output", o.output.as_ref(), n.output.as_ref());
                self.errors(p, &o.errors, &n.errors);
            }
            (Schema::Procedure(o), Schema::Procedure(n)) => {
                self.params(p, o.parameters.as_deref(), n.parameters.as_deref());
                self.body(p, "input", o.input.as_ref(), n.input.as_ref());
                self.body(p, "output", o.output.as_ref(), n.output.as_ref());
                self.errors(p, &o.errors, &n.errors);
            }
            (Schema::Subscription(o), Schema::Subscription(n)) => {
                self.params(p, o.parameters.as_deref(), n.parameters.as_deref());
                if let (Some(os), Some(ns)) =
                    (message_schema(&o.message), message_schema(&n.message))
                {
                    let q = p.key("message").key("schema").with_roles(Roles::OUTPUT);
                    self.schema(&q, os, ns);
                }
                self.errors(p, &o.errors, &n.errors);
            }
            // cid-link, unknown and token have no fields; permission sets
            // grant access rather than describe data.
            _ => {}
        }
    }

    fn string(&mut self, p: &Pair<'a>, o: &StringSchema, n: &StringSchema) {
        self.constant(p, o.const_.clone().map(show), n.const_.clone().map(show));
        let set = |e: &Option<Vec<String>>| {
            e.as_ref()
                .map(|v| v.iter().map(|x| show(x.as_str())).collect())
        };
        self.closed_set(p, "enum", Rule::EnumValues, set(&o.enum_), set(&n.enum_));
        let (ok, nk) = (set(&o.known_values), set(&n.known_values));
        if ok != nk {
            let what = format!(
                "knownValues changed from {} to {}",
                list(ok.as_ref()),
                list(nk.as_ref())
            );
            let side = if n.known_values.is_some() {
                Side::New
            } else {
                Side::Old
            };
            self.report(
                p,
                side,
                at("knownValues"),
                Rule::KnownValues,
                Neutral,
                &what,
            );
        }
        self.format(p, o.format.as_deref(), n.format.as_deref());
        self.lengths(
            p,
            Rule::StringLength,
            (o.min_length, o.max_length),
            (n.min_length, n.max_length),
        );
        self.limit(
            p,
            "minGraphemes",
            Rule::StringLength,
            o.min_graphemes.map(i128::from),
            n.min_graphemes.map(i128::from),
            false,
        );
        self.limit(
            p,
            "maxGraphemes",
            Rule::StringLength,
            o.max_graphemes.map(i128::from),
            n.max_graphemes.map(i128::from),
            true,
        );
        self.default(p, o.default.clone().map(show), n.default.clone().map(show));
    }

    /// `const`: one allowed value, so any change breaks one way or both.
    fn constant(&mut self, p: &Pair<'a>, old: Option<String>, new: Option<String>) {
        let (direction, what, side) = match (&old, &new) {
            (None, Some(n)) => (Tighten, format!("const {n} added"), Side::New),
            (Some(o), None) => (Loosen, format!("const {o} removed"), Side::Old),
            (Some(o), Some(n)) if o != n => {
                (Both, format!("const changed from {o} to {n}"), Side::New)
            }
            _ => return,
        };
        self.report(p, side, at("const"), Rule::ConstValue, direction, &what);
    }

    /// `default`: not a constraint, but what an absent value means; a
    /// change keeps every value valid and changes what old data says.
    fn default(&mut self, p: &Pair<'a>, old: Option<String>, new: Option<String>) {
        if old == new {
            return;
        }
        let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "(none)".into());
        let what = format!(
            "default changed from {} to {}; data that leaves the field out now means something else",
            show(&old),
            show(&new)
        );
        let side = if new.is_some() { Side::New } else { Side::Old };
        let class = Fixed(Class::Warning);
        self.report(p, side, at("default"), Rule::DefaultValue, class, &what);
    }

    /// A closed list (`enum`): values removed tighten, values added loosen;
    /// a list added where there was none tightens, and the reverse loosens.
    fn closed_set(
        &mut self,
        p: &Pair<'a>,
        key: &str,
        rule: Rule,
        old: Option<Vec<String>>,
        new: Option<Vec<String>>,
    ) {
        match (old, new) {
            (None, None) => {}
            (None, Some(n)) => {
                let what = format!("{key} {} added", list(Some(&n)));
                self.report(p, Side::New, at(key), rule, Tighten, &what);
            }
            (Some(o), None) => {
                let what = format!("{key} {} removed: any value is allowed", list(Some(&o)));
                self.report(p, Side::Old, at(key), rule, Loosen, &what);
            }
            (Some(o), Some(n)) => {
                let removed: Vec<String> = o.iter().filter(|v| !n.contains(v)).cloned().collect();
                let added: Vec<String> = n.iter().filter(|v| !o.contains(v)).cloned().collect();
                if !removed.is_empty() {
                    let what = format!("{key} values {} removed", list(Some(&removed)));
                    self.report(p, Side::Old, at(key), rule, Tighten, &what);
                }
                if !added.is_empty() {
                    let what = format!("{key} values {} added", list(Some(&added)));
                    self.report(p, Side::New, at(key), rule, Loosen, &what);
                }
            }
        }
    }

    /// A bound (`None`: unbounded). Lowering a maximum or raising a minimum
    /// tightens; the reverse loosens.
    fn limit(
        &mut self,
        p: &Pair<'a>,
        key: &str,
        rule: Rule,
        old: Option<i128>,
        new: Option<i128>,
        upper: bool,
    ) {
        let show = |v: Option<i128>| v.map_or_else(|| "(none)".to_string(), |v| v.to_string());
        let narrower = match (old, new) {
            (a, b) if a == b => return,
            (None, Some(_)) => true,
            (Some(_), None) => false,
            (Some(a), Some(b)) => (b < a) == upper,
            (None, None) => return,
        };
        let direction = if narrower { Tighten } else { Loosen };
        let what = format!("{key} changed from {} to {}", show(old), show(new));
        let side = if new.is_some() { Side::New } else { Side::Old };
        self.report(p, side, at(key), rule, direction, &what);
    }

    fn lengths(
        &mut self,
        p: &Pair<'a>,
        rule: Rule,
        old: (Option<u64>, Option<u64>),
        new: (Option<u64>, Option<u64>),
    ) {
        let wide = |v: Option<u64>| v.map(i128::from);
        self.limit(p, "minLength", rule, wide(old.0), wide(new.0), false);
        self.limit(p, "maxLength", rule, wide(old.1), wide(new.1), true);
    }

    fn format(&mut self, p: &Pair<'a>, old: Option<&str>, new: Option<&str>) {
        let within = |a: &str, b: &str| NARROWER_FORMATS.contains(&(a, b));
        let (direction, what, side) = match (old, new) {
            (None, Some(n)) => (Tighten, format!("format {n:?} added"), Side::New),
            (Some(o), None) => (Loosen, format!("format {o:?} removed"), Side::Old),
            (Some(o), Some(n)) if o != n => {
                let direction = if within(o, n) {
                    Loosen
                } else if within(n, o) {
                    Tighten
                } else {
                    Both
                };
                (
                    direction,
                    format!("format changed from {o:?} to {n:?}"),
                    Side::New,
                )
            }
            _ => return,
        };
        self.report(p, side, at("format"), Rule::StringFormat, direction, &what);
    }

    fn blob(&mut self, p: &Pair<'a>, o: &BlobSchema, n: &BlobSchema) {
        let any = vec!["*/*".to_string()];
        let (oa, na) = (
            o.accept.as_ref().unwrap_or(&any),
            n.accept.as_ref().unwrap_or(&any),
        );
        if o.accept != n.accept {
            let (old_covers, new_covers) = (accept_covers(oa, na), accept_covers(na, oa));
            let direction = match (old_covers, new_covers) {
                (true, true) => Neutral,
                (true, false) => Tighten,
                (false, true) => Loosen,
                (false, false) => Both,
            };
            let show = |a: &Option<Vec<String>>| {
                a.as_ref()
                    .map_or_else(|| "(any)".into(), |v| format!("{v:?}"))
            };
            let what = format!(
                "accept changed from {} to {}",
                show(&o.accept),
                show(&n.accept)
            );
            let side = if n.accept.is_some() {
                Side::New
            } else {
                Side::Old
            };
            self.report(p, side, at("accept"), Rule::BlobAccept, direction, &what);
        }
        let wide = |v: Option<u64>| v.map(i128::from);
        self.limit(
            p,
            "maxSize",
            Rule::BlobSize,
            wide(o.max_size),
            wide(n.max_size),
            true,
        );
    }

    /// Properties of an object or params: required, nullable, added, removed.
    fn properties(
        &mut self,
        p: &Pair<'a>,
        required_rule: Rule,
        (op, oreq, onull): (&OrderedMap<Schema>, &[String], Option<&Vec<String>>),
        (np, nreq, nnull): (&OrderedMap<Schema>, &[String], Option<&Vec<String>>),
    ) {
        let index = |list: &[String], name: &str| list.iter().position(|r| r == name);
        let mut names: Vec<&str> = np.iter().map(|(k, _)| k.as_str()).collect();
        names.extend(
            op.iter()
                .map(|(k, _)| k.as_str())
                .filter(|k| np.get(k).is_none()),
        );
        for name in names {
            let prop = at("properties").key(name);
            let (o_req, n_req) = (index(oreq, name), index(nreq, name));
            match (op.get(name), np.get(name)) {
                (Some(o), Some(n)) => {
                    self.schema(&p.key("properties").key(name), o, n);
                    match (o_req, n_req) {
                        (None, Some(i)) => {
                            let what = format!("`{name}` is now required");
                            self.report(
                                p,
                                Side::New,
                                at_index("required", i),
                                required_rule,
                                Tighten,
                                &what,
                            );
                        }
                        (Some(i), None) => {
                            let what = format!("`{name}` is no longer required");
                            self.report(
                                p,
                                Side::Old,
                                at_index("required", i),
                                required_rule,
                                Loosen,
                                &what,
                            );
                        }
                        _ => {}
                    }
                }
                (None, Some(_)) if n_req.is_some() => {
                    let what = format!("new required property `{name}`");
                    self.report(p, Side::New, prop, required_rule, Tighten, &what);
                }
                (None, Some(_)) => {
                    let what = format!("optional property `{name}` added");
                    self.report(p, Side::New, prop, Rule::PropertyAdded, Neutral, &what);
                }
                (Some(_), None) if o_req.is_some() => {
                    let what = format!("required property `{name}` removed");
                    self.report(p, Side::Old, prop, required_rule, Loosen, &what);
                }
                (Some(_), None) => {
                    let what = format!("optional property `{name}` removed; keep it (marked deprecated) so that the name is never reused with another type");
                    self.report(
                        p,
                        Side::Old,
                        prop,
                        Rule::PropertyRemoved,
                        Fixed(Class::Warning),
                        &what,
                    );
                }
                (None, None) => {}
            }
        }
        let (Some(onull), Some(nnull)) = (onull, nnull) else {
            return;
        };
        for (i, name) in nnull.iter().enumerate() {
            if !onull.contains(name) && op.get(name).is_some() {
                let what = format!("`{name}` may now be null");
                self.report(
                    p,
                    Side::New,
                    at_index("nullable", i),
                    Rule::ObjectNullable,
                    Loosen,
                    &what,
                );
            }
        }
        for (i, name) in onull.iter().enumerate() {
            if !nnull.contains(name) && np.get(name).is_some() {
                let what = format!("`{name}` may no longer be null");
                self.report(
                    p,
                    Side::Old,
                    at_index("nullable", i),
                    Rule::ObjectNullable,
                    Tighten,
                    &what,
                );
            }
        }
    }
}

/// A list for messages: `["a", "b"]`, or `(none)`.
fn list(values: Option<&Vec<String>>) -> String {
    values.map_or_else(|| "(none)".to_string(), |v| format!("[{}]", v.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mime_patterns_cover() {
        assert!(mime_covers("*/*", "image/png"));
        assert!(mime_covers("image/*", "image/png"));
        assert!(mime_covers("image/*", "image/*"));
        assert!(!mime_covers("image/png", "image/*"));
        assert!(!mime_covers("image/*", "video/mp4"));
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert!(accept_covers(
            &s(&["image/*"]),
            &s(&["image/png", "image/jpeg"])
        ));
        assert!(!accept_covers(
            &s(&["image/png"]),
            &s(&["image/png", "image/jpeg"])
        ));
    }
}
