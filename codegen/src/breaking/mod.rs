//! `lexgen breaking`: compare two versions of a lexicon set and classify
//! every change as breaking, warning or compatible (see [`rules`] for how,
//! and the README's rules table for each rule's rationale).
//!
//! Stages, one file each: `load` reads both versions (a directory, or a
//! git ref through `git` with no checkout) and checks that each is a valid
//! lexicon set; `roles` works out where every def is used (stored, input,
//! output); `compare` walks the two versions side by side, def by def, and
//! `schema`, `refs` and `endpoint` compare what is inside a def;
//! `report` renders the changes.

mod compare;
mod endpoint;
mod git;
mod load;
mod refs;
mod report;
mod roles;
pub mod rules;
mod schema;

use crate::diagnostic::Diagnostic;
use std::fmt;
use std::path::Path;

pub use load::Version;
pub use rules::Rule;

/// How much a change matters, from least to most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    /// Valid data stays valid both ways.
    Compatible,
    /// Hurts only in one upgrade order, or changes meaning without
    /// changing validity; worth a look.
    Warning,
    /// Some data or some client breaks: the Lexicon evolution rules forbid it.
    Breaking,
}

impl Class {
    /// The word shown in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Compatible => "compatible",
            Class::Warning => "warning",
            Class::Breaking => "breaking",
        }
    }
}

/// Which version a location points into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The version given by `--against`.
    Old,
    /// The lexicons directory.
    New,
}

impl Side {
    fn as_str(self) -> &'static str {
        match self {
            Side::Old => "old",
            Side::New => "new",
        }
    }
}

/// One change between the versions.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// Breaking, warning or compatible.
    pub class: Class,
    /// The rule that found it.
    pub rule: Rule,
    /// Which version `at` points into: the new one, or the old one for
    /// things that were removed.
    pub side: Side,
    /// The location (file, line, column, JSON path, excerpt) and the message.
    pub at: Diagnostic,
}

/// Every change found, in a stable order (by lexicon, then file order).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    /// The changes.
    pub changes: Vec<Change>,
}

impl Report {
    /// Whether any change is breaking.
    pub fn has_breaking(&self) -> bool {
        self.count(Class::Breaking) > 0
    }

    /// How many changes are of `class`.
    pub fn count(&self, class: Class) -> usize {
        self.changes.iter().filter(|c| c.class == class).count()
    }
}

/// Anything that stops the comparison.
#[derive(Debug, thiserror::Error)]
pub enum BreakingError {
    /// A version is not a valid lexicon set (every problem is listed).
    #[error("the {} version is invalid:\n{}", .side.as_str(), crate::diagnostic::Diagnostics(.diagnostics.clone()))]
    Lexicon {
        /// Which version.
        side: Side,
        /// What is wrong, located.
        diagnostics: Vec<Diagnostic>,
    },
    /// `--against` names neither a directory nor a commit.
    #[error("{0}")]
    Git(String),
}

/// Compares the lexicons in `lexicons` with the version `against`: a
/// directory if one exists at that path, else a git revision, whose files
/// under the same directory are read without a checkout.
pub fn compare_against(lexicons: &Path, against: &str) -> Result<Report, BreakingError> {
    let new = Version::from_dir(lexicons, Side::New)?;
    let old = if Path::new(against).is_dir() {
        Version::from_dir(Path::new(against), Side::Old)?
    } else {
        Version::from_git(lexicons, against)?
    };
    compare_versions(&old, &new)
}

/// Compares two loaded versions: both must be valid lexicon sets, except
/// that refs in the new version to defs the change removed are reported as
/// breaking changes rather than errors.
pub fn compare_versions(old: &Version, new: &Version) -> Result<Report, BreakingError> {
    old.check(&[])?;
    let roles = roles::RoleMap::of(old, new);
    let changes = compare::Comparer::new(old, new, &roles).run();
    let dangling: Vec<&Diagnostic> = changes
        .iter()
        .filter(|c| c.rule == Rule::DefStillReferenced)
        .map(|c| &c.at)
        .collect();
    new.check(&dangling)?;
    Ok(Report { changes })
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&report::human(self))
    }
}

pub use report::{human, json_lines};

/// `lexgen breaking`: prints the report (or the errors, located); exits 0
/// when nothing is breaking, 1 when something is, 2 on any error.
pub fn run_cli(
    lexicons: &Path,
    against: &str,
    json: bool,
    stdout: &mut dyn std::io::Write,
    stderr: &mut dyn std::io::Write,
) -> i32 {
    use crate::cli::{EXIT_DRIFT, EXIT_ERROR, EXIT_OK};
    match compare_against(lexicons, against) {
        Ok(report) => {
            let text = if json {
                json_lines(&report)
            } else {
                format!("{}\n", human(&report))
            };
            let _ = stdout.write_all(text.as_bytes());
            if report.has_breaking() {
                EXIT_DRIFT
            } else {
                EXIT_OK
            }
        }
        Err(BreakingError::Lexicon { side, diagnostics }) => {
            for d in &diagnostics {
                let _ = if json {
                    let mut obj = d.to_json();
                    if let Some(o) = obj.as_object_mut() {
                        o.insert("class".into(), "error".into());
                        o.insert("version".into(), side.as_str().into());
                    }
                    writeln!(stderr, "{obj}")
                } else {
                    writeln!(stderr, "{d}\n")
                };
            }
            if !json {
                let _ = writeln!(
                    stderr,
                    "lexgen: the {} version has {} error(s)",
                    side.as_str(),
                    diagnostics.len()
                );
            }
            EXIT_ERROR
        }
        Err(e @ BreakingError::Git(_)) => {
            let _ = if json {
                writeln!(
                    stderr,
                    "{}",
                    serde_json::json!({"class": "error", "message": e.to_string()})
                )
            } else {
                writeln!(stderr, "lexgen: {e}")
            };
            EXIT_ERROR
        }
    }
}
