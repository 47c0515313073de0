//! File-level rules (LEXICON-RULES.md §1): version, id and path, defs, primary types.

use super::*;

impl Resolver<'_> {
    /// File-level rules (§1): version, id, file path, defs, primary types.
    pub(super) fn check_documents(&mut self) {
        for lex in 0..self.files.len() {
            let file = self.files[lex];
            let doc = &file.doc;
            let root = JsonPath::root();
            if doc.lexicon != 1 {
                self.error(
                    lex,
                    root.key("lexicon"),
                    format!("unsupported lexicon version {}; only 1 exists", doc.lexicon),
                    None,
                );
            }
            if let Err(e) = Nsid::parse(&doc.id) {
                self.error(
                    lex,
                    root.key("id"),
                    format!("`id` is not a valid NSID: {e}"),
                    None,
                );
                self.usable[lex] = false;
                continue;
            }
            let expected = format!("{}.json", doc.id.replace('.', "/"));
            if file.rel_path != expected && !file.rel_path.is_empty() {
                self.error(
                    lex,
                    root.key("id"),
                    format!(
                        "`id` {:?} does not match the file's path {:?}",
                        doc.id, file.rel_path
                    ),
                    Some(format!("a lexicon with this id belongs at {expected:?}")),
                );
            }
            if let Some(&other) = self.by_nsid.get(&doc.id) {
                let other_path = self.files[other].path.display().to_string();
                self.error(
                    lex,
                    root.key("id"),
                    format!(
                        "duplicate lexicon id {:?}, also defined in {other_path}",
                        doc.id
                    ),
                    None,
                );
                self.usable[lex] = false;
                continue;
            }
            self.by_nsid.insert(doc.id.clone(), lex);
            if doc.defs.is_empty() {
                self.error(
                    lex,
                    root.key("defs"),
                    "`defs` is empty; a lexicon needs at least one definition",
                    None,
                );
            }
            let main_primary = doc
                .defs
                .get("main")
                .filter(|d| d.is_primary())
                .map(Schema::type_name);
            for (name, def) in doc.defs.iter() {
                let path = root.key("defs").key(name);
                let ty = def.type_name();
                if def.is_primary() && name != "main" {
                    let (message, help) = match main_primary {
                        Some(main_ty) => (
                            format!("a second primary type: {} {ty} in {name:?}, besides the {main_ty} in `main`; a file has at most one", article(ty)),
                            "move it to a lexicon file of its own, as its `main`",
                        ),
                        None => (
                            format!("{} {ty} must be the `main` def, not {name:?}", article(ty)),
                            "rename the def to `main` (a file has at most one primary type)",
                        ),
                    };
                    self.error(lex, path.key("type"), message, Some(help.into()));
                }
                if !def.may_be_named_def() {
                    self.error(
                        lex,
                        path.key("type"),
                        format!("type {ty:?} cannot be used for a named def; it may only appear inline, inside another schema"),
                        Some(inline_only_help(ty).into()),
                    );
                }
                if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    self.error(
                        lex,
                        path,
                        format!("def name {name:?} must be ASCII letters, digits or `_`"),
                        valid_def_name(name).map(|n| format!("rename it to {n:?}")),
                    );
                }
            }
        }
    }
}

/// A def name close to `name` that is valid, if there is one (`reply-ref` -> `replyRef`).
fn valid_def_name(name: &str) -> Option<String> {
    let camel = heck::ToLowerCamelCase::to_lower_camel_case(name);
    let ok = !camel.is_empty() && camel.chars().all(|c| c.is_ascii_alphanumeric());
    ok.then_some(camel)
}

/// How to use a type that may only appear inline.
pub(super) fn inline_only_help(ty: &str) -> &'static str {
    match ty {
        "union" => "define each variant as an object def, and write { \"type\": \"union\", \"refs\": [...] } where the value is used",
        "ref" => "write the ref where the value is used, or make this def a copy of its target",
        "params" => "params belong in the `parameters` of a query, procedure or subscription",
        "unknown" => "write { \"type\": \"unknown\" } where the value is used",
        "permission" => "permissions belong in the `permissions` list of a permission-set",
        _ => "use it as the type of a property, an array's items or a body schema",
    }
}
