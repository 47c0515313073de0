//! Unions and refs: variants added or removed, open or closed, and a ref
//! that points elsewhere or is replaced by its target inline.

use super::compare::{Comparer, Pair};
use super::rules::{Direction, Rule};
use super::schema::{at, at_index};
use super::{Class, Side};
use crate::ir::parse_ref;
use crate::lexicon::path::JsonPath;
use crate::lexicon::{Schema, UnionSchema};

use Direction::{Fixed, Loosen, Neutral, Tighten};

impl<'a> Comparer<'a> {
    /// When exactly one side is a ref and its target has the other side's
    /// type, the pair to compare instead: the target against the inline
    /// schema (moving a schema into a def, or back, changes no data).
    pub(super) fn through_ref<'s>(
        &self,
        p: &Pair<'a>,
        old: &'s Schema,
        new: &'s Schema,
    ) -> Option<(Pair<'a>, &'s Schema, &'s Schema)>
    where
        'a: 's,
    {
        match (old, new) {
            (Schema::Ref(r), n) if !matches!(n, Schema::Ref(_)) => {
                let target = parse_ref(&r.target, &p.old_file.doc.id).ok()?;
                let (file, def) = self.old.def(&target)?;
                (def.type_name() == n.type_name()).then(|| {
                    let q = Pair {
                        old_file: file,
                        old_path: JsonPath::root().key("defs").key(&target.def),
                        ..p.clone()
                    };
                    (q, def, n)
                })
            }
            (o, Schema::Ref(r)) if !matches!(o, Schema::Ref(_)) => {
                let target = parse_ref(&r.target, &p.new_file.doc.id).ok()?;
                let (file, def) = self.new.def(&target)?;
                (def.type_name() == o.type_name()).then(|| {
                    let q = Pair {
                        new_file: file,
                        new_path: JsonPath::root().key("defs").key(&target.def),
                        ..p.clone()
                    };
                    (q, o, def)
                })
            }
            _ => None,
        }
    }

    pub(super) fn union(&mut self, p: &Pair<'a>, o: &UnionSchema, n: &UnionSchema) {
        let (oc, nc) = (o.closed.unwrap_or(false), n.closed.unwrap_or(false));
        if oc != nc {
            let (direction, what) = if nc {
                (
                    Tighten,
                    "union closed: values of other types are now rejected",
                )
            } else {
                (
                    Loosen,
                    "union opened: values of other types are now accepted",
                )
            };
            let side = if n.closed.is_some() {
                Side::New
            } else {
                Side::Old
            };
            self.report(
                p,
                side,
                at("closed"),
                Rule::UnionOpenClosed,
                direction,
                what,
            );
        }
        let targets = |u: &UnionSchema, nsid: &str| -> Vec<Option<String>> {
            u.refs
                .iter()
                .map(|r| parse_ref(r, nsid).ok().map(|t| t.type_tag()))
                .collect()
        };
        let (ot, nt) = (
            targets(o, &p.old_file.doc.id),
            targets(n, &p.new_file.doc.id),
        );
        let closed = oc && nc;
        for (i, t) in nt.iter().enumerate() {
            if let Some(t) = t.as_ref().filter(|t| !ot.contains(&Some((*t).clone()))) {
                let (direction, what) = if closed {
                    (Loosen, format!("variant {t} added to a closed union"))
                } else {
                    (Neutral, format!("variant {t} added to an open union"))
                };
                self.report(
                    p,
                    Side::New,
                    at_index("refs", i),
                    Rule::UnionRefs,
                    direction,
                    &what,
                );
            }
        }
        for (i, t) in ot.iter().enumerate() {
            if let Some(t) = t.as_ref().filter(|t| !nt.contains(&Some((*t).clone()))) {
                let (direction, what) = if closed {
                    (Tighten, format!("variant {t} removed from a closed union"))
                } else {
                    let what = format!("variant {t} removed from an open union, whose variants may only be added (Lexicon spec, `union`)");
                    (Fixed(Class::Breaking), what)
                };
                self.report(
                    p,
                    Side::Old,
                    at_index("refs", i),
                    Rule::UnionRefs,
                    direction,
                    &what,
                );
            }
        }
    }

    /// A ref pointing elsewhere: the two targets are compared, and the
    /// change takes the class of the worst difference between them.
    pub(super) fn ref_target(&mut self, p: &Pair<'a>, old: &str, new: &str) {
        let (Ok(ot), Ok(nt)) = (
            parse_ref(old, &p.old_file.doc.id),
            parse_ref(new, &p.new_file.doc.id),
        ) else {
            return;
        };
        if ot == nt {
            return;
        }
        let head = format!("ref changed from {} to {}", ot.type_tag(), nt.type_tag());
        let (Some((of, os)), Some((nf, ns))) = (self.old.def(&ot), self.new.def(&nt)) else {
            let what = format!("{head}, which is not in this set to compare");
            return self.report(
                p,
                Side::New,
                at("ref"),
                Rule::RefTarget,
                Fixed(Class::Warning),
                &what,
            );
        };
        if !self.active.insert((ot.clone(), nt.clone())) {
            return; // already being compared further up: a cycle
        }
        let saved = std::mem::take(&mut self.changes);
        let q = Pair {
            old_file: of,
            new_file: nf,
            old_path: JsonPath::root().key("defs").key(&ot.def),
            new_path: JsonPath::root().key("defs").key(&nt.def),
            roles: p.roles,
        };
        self.schema(&q, os, ns);
        let nested = std::mem::replace(&mut self.changes, saved);
        self.active.remove(&(ot, nt));
        let worst = nested.iter().max_by_key(|c| c.class);
        let (class, what) = match worst {
            None => (Class::Compatible, format!("{head}, an equivalent def")),
            Some(c) => {
                let line =
                    c.at.position
                        .map_or(String::new(), |(l, col)| format!(":{l}:{col}"));
                let more = match nested.len() - 1 {
                    0 => String::new(),
                    n => format!(" (and {n} more difference(s))"),
                };
                let what = format!(
                    "{head}, which differs: {} (at {}{line}, {}){more}",
                    c.at.message,
                    c.at.file.display(),
                    c.at.json_path
                );
                (c.class, what)
            }
        };
        self.report(
            p,
            Side::New,
            at("ref"),
            Rule::RefTarget,
            Fixed(class),
            &what,
        );
    }
}
