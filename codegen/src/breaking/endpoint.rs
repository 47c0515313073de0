//! The parts of an endpoint: `parameters`, `input` and `output` bodies
//! (added, removed, encoding, schema) and `errors`.

use super::compare::{Comparer, Pair};
use super::rules::{Direction, Roles, Rule};
use super::schema::{at, at_index};
use super::{Class, Side};
use crate::lexicon::path::JsonPath;
use crate::lexicon::{Body, ErrorDef, ParamsSchema, Schema};
use std::collections::BTreeSet;

use Direction::{Both, Fixed, Loosen, Neutral, Tighten};

impl<'a> Comparer<'a> {
    /// `parameters`: a missing one is the same as one with no properties.
    pub(super) fn params(&mut self, p: &Pair<'a>, old: Option<&Schema>, new: Option<&Schema>) {
        if old.is_none() && new.is_none() {
            return;
        }
        let empty = Schema::Params(ParamsSchema::default());
        let q = p.key("parameters").with_roles(Roles::INPUT);
        self.schema(&q, old.unwrap_or(&empty), new.unwrap_or(&empty));
    }

    /// An `input` or `output` body.
    pub(super) fn body(&mut self, p: &Pair<'a>, key: &str, old: Option<&Body>, new: Option<&Body>) {
        let roles = if key == "input" {
            Roles::INPUT
        } else {
            Roles::OUTPUT
        };
        let q = p.key(key).with_roles(roles);
        let here = JsonPath::root();
        match (old, new) {
            (None, None) => {}
            (None, Some(n)) => {
                let (direction, what) = if key == "input" {
                    (
                        Tighten,
                        format!("input body ({}) added: old clients send none", n.encoding),
                    )
                } else {
                    let what = format!(
                        "output body ({}) added; clients that expected none may ignore it, or fail",
                        n.encoding
                    );
                    (Fixed(Class::Warning), what)
                };
                self.report(&q, Side::New, here, Rule::BodyAdded, direction, &what);
            }
            (Some(o), None) => {
                let what = format!("{key} body ({}) removed", o.encoding);
                self.report(&q, Side::Old, here, Rule::BodyRemoved, Loosen, &what);
            }
            (Some(o), Some(n)) => {
                if o.encoding != n.encoding {
                    let what = format!(
                        "{key} encoding changed from {:?} to {:?}",
                        o.encoding, n.encoding
                    );
                    self.report(
                        &q,
                        Side::New,
                        at("encoding"),
                        Rule::BodyEncoding,
                        Both,
                        &what,
                    );
                }
                match (o.schema.as_deref(), n.schema.as_deref()) {
                    (None, Some(_)) => {
                        let what = format!("{key} schema added: the body was unconstrained");
                        self.report(
                            &q,
                            Side::New,
                            at("schema"),
                            Rule::BodySchema,
                            Tighten,
                            &what,
                        );
                    }
                    (Some(_), None) => {
                        let what = format!("{key} schema removed: the body is unconstrained");
                        self.report(&q, Side::Old, at("schema"), Rule::BodySchema, Loosen, &what);
                    }
                    (Some(os), Some(ns)) => self.schema(&q.key("schema"), os, ns),
                    (None, None) => {}
                }
            }
        }
    }

    /// `errors`: an open list (clients must handle names they do not know).
    pub(super) fn errors(&mut self, p: &Pair<'a>, old: &[ErrorDef], new: &[ErrorDef]) {
        let names = |e: &[ErrorDef]| e.iter().map(|e| e.name.clone()).collect::<BTreeSet<_>>();
        let (on, nn) = (names(old), names(new));
        for (i, e) in new
            .iter()
            .enumerate()
            .filter(|(_, e)| !on.contains(&e.name))
        {
            let what = format!("error {} added", e.name);
            self.report(
                p,
                Side::New,
                at_index("errors", i),
                Rule::ErrorAdded,
                Neutral,
                &what,
            );
        }
        for (i, e) in old
            .iter()
            .enumerate()
            .filter(|(_, e)| !nn.contains(&e.name))
        {
            let what = format!("error {} removed; clients handling it will not see it any more (and generated bindings lose its variant)", e.name);
            let class = Fixed(Class::Warning);
            self.report(
                p,
                Side::Old,
                at_index("errors", i),
                Rule::ErrorRemoved,
                class,
                &what,
            );
        }
    }
}
