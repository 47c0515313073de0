//! Where each def is used: stored (records), input or output. A def's role
//! decides which way a change to it breaks (see [`super::rules`]). Roles are
//! found by following refs from every record and endpoint of both versions;
//! a def nothing in either version reaches is treated as stored, since
//! lexicons outside the set may use it anywhere.

use super::rules::Roles;
use super::Version;
use crate::ir::{parse_ref, RefTarget};
use crate::lexicon::path::JsonPath;
use crate::lexicon::{Body, MessageBody, Schema};
use std::collections::{BTreeMap, BTreeSet};

/// The roles of every def reached from a record or an endpoint.
#[derive(Debug, Default)]
pub struct RoleMap {
    roles: BTreeMap<RefTarget, Roles>,
}

impl RoleMap {
    /// The roles of the defs of both versions.
    pub fn of(old: &Version, new: &Version) -> RoleMap {
        let mut map = RoleMap::default();
        for version in [old, new] {
            let mut seen = BTreeSet::new();
            for file in &version.files {
                for (_, def) in file.doc.defs.iter() {
                    for (part, roles) in parts(def) {
                        let mut stack = vec![(file.doc.id.clone(), part, roles)];
                        while let Some((nsid, schema, roles)) = stack.pop() {
                            each_ref(schema, &JsonPath::root(), &mut |reference, _| {
                                let Ok(target) = parse_ref(reference, &nsid) else {
                                    return;
                                };
                                let entry = map.roles.entry(target.clone()).or_default();
                                *entry = entry.union(roles);
                                if seen.insert((target.clone(), roles)) {
                                    if let Some((f, s)) = version.def(&target) {
                                        stack.push((f.doc.id.clone(), s, roles));
                                    }
                                }
                            });
                        }
                    }
                }
            }
        }
        map
    }

    /// The roles of def `name` of `nsid` (stored if nothing reaches it).
    pub fn get(&self, nsid: &str, name: &str) -> Roles {
        let target = RefTarget {
            nsid: nsid.to_string(),
            def: name.to_string(),
        };
        self.roles.get(&target).copied().unwrap_or(Roles::STORED)
    }
}

/// The parts of a primary def with the role of each; other defs have none
/// of their own (they get the roles of what reaches them).
pub fn parts(def: &Schema) -> Vec<(&Schema, Roles)> {
    let mut out = Vec::new();
    match def {
        Schema::Record(r) => out.push((&*r.record, Roles::STORED)),
        Schema::Query(q) => {
            out.extend(q.parameters.as_deref().map(|p| (p, Roles::INPUT)));
            out.extend(body_schema(&q.output).map(|s| (s, Roles::OUTPUT)));
        }
        Schema::Procedure(p) => {
            out.extend(p.parameters.as_deref().map(|s| (s, Roles::INPUT)));
            out.extend(body_schema(&p.input).map(|s| (s, Roles::INPUT)));
            out.extend(body_schema(&p.output).map(|s| (s, Roles::OUTPUT)));
        }
        Schema::Subscription(s) => {
            out.extend(s.parameters.as_deref().map(|p| (p, Roles::INPUT)));
            out.extend(message_schema(&s.message).map(|m| (m, Roles::OUTPUT)));
        }
        _ => {}
    }
    out
}

/// Calls `f` with every reference written in `schema` (in `ref` and in
/// union `refs`) and its JSON path, `path` being the schema's own.
pub fn each_ref(schema: &Schema, path: &JsonPath, f: &mut dyn FnMut(&str, JsonPath)) {
    match schema {
        Schema::Ref(r) => f(&r.target, path.key("ref")),
        Schema::Union(u) => {
            for (i, r) in u.refs.iter().enumerate() {
                f(r, path.key("refs").index(i));
            }
        }
        Schema::Array(a) => each_ref(&a.items, &path.key("items"), f),
        Schema::Object(o) => {
            for (name, prop) in o.properties.iter() {
                each_ref(prop, &path.key("properties").key(name), f);
            }
        }
        Schema::Params(p) => {
            for (name, prop) in p.properties.iter() {
                each_ref(prop, &path.key("properties").key(name), f);
            }
        }
        Schema::Record(r) => each_ref(&r.record, &path.key("record"), f),
        Schema::Query(q) => {
            if let Some(p) = &q.parameters {
                each_ref(p, &path.key("parameters"), f);
            }
            if let Some(s) = body_schema(&q.output) {
                each_ref(s, &path.key("output").key("schema"), f);
            }
        }
        Schema::Procedure(p) => {
            if let Some(s) = &p.parameters {
                each_ref(s, &path.key("parameters"), f);
            }
            if let Some(s) = body_schema(&p.input) {
                each_ref(s, &path.key("input").key("schema"), f);
            }
            if let Some(s) = body_schema(&p.output) {
                each_ref(s, &path.key("output").key("schema"), f);
            }
        }
        Schema::Subscription(s) => {
            if let Some(p) = &s.parameters {
                each_ref(p, &path.key("parameters"), f);
            }
            if let Some(m) = message_schema(&s.message) {
                each_ref(m, &path.key("message").key("schema"), f);
            }
        }
        _ => {}
    }
}

/// The schema of an XRPC body, if any.
pub fn body_schema(body: &Option<Body>) -> Option<&Schema> {
    body.as_ref().and_then(|b| b.schema.as_deref())
}

/// The schema of a subscription's message, if any.
pub fn message_schema(message: &Option<MessageBody>) -> Option<&Schema> {
    message.as_ref().and_then(|m| m.schema.as_deref())
}
