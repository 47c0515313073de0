//! Walking the two versions side by side, lexicon by lexicon and def by def;
//! what is added, removed, or still referenced after its removal. Changes
//! inside a def are found by [`super::schema`].

use super::roles::{each_ref, RoleMap};
use super::rules::{classify, Direction, Roles, Rule};
use super::{Change, Class, Side, Version};
use crate::diagnostic::Diagnostic;
use crate::ir::{parse_ref, RefTarget};
use crate::lexicon::path::JsonPath;
use crate::lexicon::{Schema, SourceFile};
use std::collections::{BTreeMap, BTreeSet};

/// Compares two versions; [`Comparer::run`] gives every change.
pub struct Comparer<'a> {
    pub(super) old: &'a Version,
    pub(super) new: &'a Version,
    roles: &'a RoleMap,
    pub(super) changes: Vec<Change>,
    /// Pairs of ref targets being compared (a ref cycle ends there).
    pub(super) active: BTreeSet<(RefTarget, RefTarget)>,
}

/// The same node in both versions (the paths differ when refs are followed).
#[derive(Clone)]
pub struct Pair<'a> {
    pub old_file: &'a SourceFile,
    pub new_file: &'a SourceFile,
    pub old_path: JsonPath,
    pub new_path: JsonPath,
    /// Where the node is used.
    pub roles: Roles,
}

impl<'a> Pair<'a> {
    /// The child at `key` on both sides.
    pub fn key(&self, key: &str) -> Pair<'a> {
        Pair {
            old_path: self.old_path.key(key),
            new_path: self.new_path.key(key),
            ..self.clone()
        }
    }

    /// The same pair, used as `roles`.
    pub fn with_roles(&self, roles: Roles) -> Pair<'a> {
        Pair {
            roles,
            ..self.clone()
        }
    }

    /// The file and path of one side, extended by `rest`.
    fn at(&self, side: Side, rest: &JsonPath) -> (&'a SourceFile, JsonPath) {
        match side {
            Side::Old => (self.old_file, self.old_path.join(rest)),
            Side::New => (self.new_file, self.new_path.join(rest)),
        }
    }
}

/// A change located in `file` at `path`, classified by `direction` and `roles`.
pub fn change(
    file: &SourceFile,
    side: Side,
    path: JsonPath,
    rule: Rule,
    direction: Direction,
    roles: Roles,
    what: &str,
) -> Change {
    let (class, effect) = classify(direction, roles);
    let message = if effect.is_empty() {
        what.to_string()
    } else {
        format!("{what}; {effect}")
    };
    Change {
        class,
        rule,
        side,
        at: Diagnostic::new(&file.path, path, message).locate(&file.text),
    }
}

impl<'a> Comparer<'a> {
    pub fn new(old: &'a Version, new: &'a Version, roles: &'a RoleMap) -> Self {
        Comparer {
            old,
            new,
            roles,
            changes: Vec::new(),
            active: BTreeSet::new(),
        }
    }

    /// Reports a change at `rest` under the pair's node on `side`.
    pub fn report(
        &mut self,
        p: &Pair<'a>,
        side: Side,
        rest: JsonPath,
        rule: Rule,
        direction: Direction,
        what: &str,
    ) {
        let (file, path) = p.at(side, &rest);
        self.changes
            .push(change(file, side, path, rule, direction, p.roles, what));
    }

    /// Every change, lexicon by lexicon (sorted by NSID), defs in file order.
    pub fn run(mut self) -> Vec<Change> {
        let (dangling, still_needed) = self.dangling_refs();
        let nsids: BTreeSet<&str> = self.old.nsids().chain(self.new.nsids()).collect();
        for nsid in nsids {
            match (self.old.file(nsid), self.new.file(nsid)) {
                (None, Some(new)) => self.changes.push(change(
                    new,
                    Side::New,
                    JsonPath::root().key("id"),
                    Rule::LexiconAdded,
                    Direction::Neutral,
                    Roles::STORED,
                    &format!("lexicon {nsid} added"),
                )),
                (Some(old), new) => {
                    if let Some(new) = new {
                        self.file(old, new);
                    }
                    for (name, def) in old.doc.defs.iter() {
                        let gone = new.map_or(true, |n| n.doc.defs.get(name).is_none());
                        if gone {
                            self.removed(old, name, def, &dangling);
                        }
                    }
                }
                (None, None) => {}
            }
        }
        self.changes.extend(still_needed);
        self.changes
    }

    /// Defs of a lexicon present in both versions.
    fn file(&mut self, old: &'a SourceFile, new: &'a SourceFile) {
        for (name, new_def) in new.doc.defs.iter() {
            let path = JsonPath::root().key("defs").key(name);
            let Some(old_def) = old.doc.defs.get(name) else {
                self.changes.push(change(
                    new,
                    Side::New,
                    path,
                    Rule::DefAdded,
                    Direction::Neutral,
                    Roles::STORED,
                    &format!("def {} added", def_name(&new.doc.id, name)),
                ));
                continue;
            };
            let pair = Pair {
                old_file: old,
                new_file: new,
                old_path: path.clone(),
                new_path: path,
                roles: self.roles.get(&new.doc.id, name),
            };
            self.schema(&pair, old_def, new_def);
        }
    }

    /// A def of the old version that the new one lacks. Refs that still
    /// need it are reported where they are, by [`Comparer::dangling_refs`].
    fn removed(
        &mut self,
        old: &SourceFile,
        name: &str,
        def: &Schema,
        dangling: &BTreeMap<RefTarget, usize>,
    ) {
        let target = RefTarget {
            nsid: old.doc.id.clone(),
            def: name.to_string(),
        };
        if dangling.contains_key(&target) {
            return;
        }
        let full = def_name(&old.doc.id, name);
        let (rule, class, what) = match def {
            Schema::Token(_) => (
                Rule::TokenRemoved,
                Class::Breaking,
                format!("token {full} removed; its value may be in stored data and in other lexicons' knownValues, and loses its meaning"),
            ),
            d if d.is_primary() => (
                Rule::DefRemoved,
                Class::Breaking,
                format!("{} {full} removed; every client and record of it breaks", d.type_name()),
            ),
            d => (
                Rule::DefRemoved,
                Class::Warning,
                format!("{} def {full} removed; nothing in this set uses it any more, but lexicons elsewhere may", d.type_name()),
            ),
        };
        self.changes.push(change(
            old,
            Side::Old,
            JsonPath::root().key("defs").key(name),
            rule,
            Direction::Fixed(class),
            Roles::STORED,
            &what,
        ));
    }

    /// Refs in the new version to defs the old version has and the new one
    /// lacks: each is a breaking change, located at the ref. Returns the
    /// removed defs still referenced, with how many refs need each, and
    /// those changes.
    fn dangling_refs(&self) -> (BTreeMap<RefTarget, usize>, Vec<Change>) {
        let mut needed = BTreeMap::new();
        let mut changes = Vec::new();
        let (old, new) = (self.old, self.new);
        for file in &new.files {
            for (name, def) in file.doc.defs.iter() {
                let path = JsonPath::root().key("defs").key(name);
                each_ref(def, &path, &mut |reference, at| {
                    let Ok(target) = parse_ref(reference, &file.doc.id) else {
                        return;
                    };
                    if new.def(&target).is_some() {
                        return;
                    }
                    let Some((old_file, _)) = old.def(&target) else {
                        return;
                    };
                    let removed_at = Diagnostic::new(
                        &old_file.path,
                        JsonPath::root().key("defs").key(&target.def),
                        "",
                    )
                    .locate(&old_file.text);
                    let line = removed_at
                        .position
                        .map_or(String::new(), |(l, c)| format!(":{l}:{c}"));
                    *needed.entry(target.clone()).or_insert(0) += 1;
                    changes.push(change(
                        file,
                        Side::New,
                        at,
                        Rule::DefStillReferenced,
                        Direction::Fixed(Class::Breaking),
                        Roles::STORED,
                        &format!(
                            "{} was removed (it was at {}{line}), but this reference still needs it",
                            target.type_tag(),
                            old_file.path.display()
                        ),
                    ));
                });
            }
        }
        (needed, changes)
    }
}

/// `nsid` for main, else `nsid#name`.
fn def_name(nsid: &str, name: &str) -> String {
    RefTarget {
        nsid: nsid.to_string(),
        def: name.to_string(),
    }
    .type_tag()
}
