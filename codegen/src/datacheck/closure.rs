//! Which lexicons `lexgen validate --def X` needs: the closure of X's
//! lexicon under references. Validation runs whenever that closure
//! resolves; problems in other lexicons of the directory are returned as
//! warnings instead of blocking it (`lint` and `generate` stay strict).

use crate::diagnostic::Diagnostic;
use crate::ir::{self, Ir};
use crate::lexicon::{self, SourceFile};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::PathBuf;

/// The lexicons loaded for one def.
#[derive(Debug)]
pub struct DefLexicons {
    /// The resolved lexicons: all of them when they all resolve, else the
    /// closure of the def's lexicon.
    pub ir: Ir,
    /// Problems of lexicons outside that closure, which did not stop it.
    pub ignored: Vec<Diagnostic>,
}

/// Loads the lexicons under `dir` for validating data against `def`
/// (`NSID[#name]`).
///
/// # Errors
///
/// The problems found, when the closure of the def's lexicon does not
/// resolve (or the def's lexicon is not among the files that parse): the
/// closure's own problems, and those of files that did not parse (one of
/// them may be a lexicon the closure needs).
pub fn load_for_def(dirs: &[PathBuf], def: &str) -> Result<DefLexicons, Vec<Diagnostic>> {
    let lexicon::Loaded {
        files,
        errors: parse_errors,
        ..
    } = lexicon::load_dirs(dirs);
    let all_errors = if parse_errors.is_empty() {
        match ir::resolve(&files) {
            Ok(ir) => {
                return Ok(DefLexicons {
                    ir,
                    ignored: Vec::new(),
                })
            }
            Err(errors) => errors,
        }
    } else {
        // Whole-set resolution adds nothing for the warning list when some
        // files are missing: their references would all look dangling.
        Vec::new()
    };
    let root = def.split_once('#').map_or(def, |(nsid, _)| nsid);
    let needed = closure(&files, root);
    if !files.iter().any(|f| f.doc.id == root) {
        return Err(merge(parse_errors, all_errors));
    }
    let subset: Vec<SourceFile> = files
        .into_iter()
        .filter(|f| needed.contains(&f.doc.id))
        .collect();
    match ir::resolve(&subset) {
        Ok(ir) => Ok(DefLexicons {
            ir,
            ignored: merge(parse_errors, all_errors),
        }),
        Err(errors) => Err(merge(parse_errors, errors)),
    }
}

fn merge(mut a: Vec<Diagnostic>, b: Vec<Diagnostic>) -> Vec<Diagnostic> {
    a.extend(b);
    a
}

/// The NSIDs reachable from `root` through `ref` and union `refs` (file
/// granularity: every def of a reached lexicon counts).
fn closure(files: &[SourceFile], root: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::from([root.to_owned()]);
    let mut queue = vec![root.to_owned()];
    while let Some(nsid) = queue.pop() {
        for file in files.iter().filter(|f| f.doc.id == nsid) {
            let Ok(json) = serde_json::from_str::<Value>(&file.text) else {
                continue;
            };
            let mut targets = Vec::new();
            references(&json, &mut targets);
            for target in targets {
                let target = match target.split_once('#') {
                    Some(("", _)) => continue,
                    Some((other, _)) => other,
                    None => target,
                };
                if seen.insert(target.to_owned()) {
                    queue.push(target.to_owned());
                }
            }
        }
    }
    seen
}

/// Every reference string in a lexicon document.
fn references<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
    match value {
        Value::Object(map) => {
            match map.get("type").and_then(Value::as_str) {
                Some("ref") => out.extend(map.get("ref").and_then(Value::as_str)),
                Some("union") => {
                    let refs = map.get("refs").and_then(Value::as_array);
                    out.extend(refs.into_iter().flatten().filter_map(Value::as_str));
                }
                _ => {}
            }
            map.values().for_each(|v| references(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| references(v, out)),
        _ => {}
    }
}
