//! The generated crate's package name, checked as cargo checks it (`cargo
//! new` and manifest parsing), so a bad `--crate-name` is refused here with
//! the rule it breaks instead of producing a `Cargo.toml` cargo rejects.
//!
//! Rules: not empty; ASCII letters, digits, `-` and `_` only (what crates.io
//! accepts; cargo warns on other Unicode); starting with a letter or `_`; not
//! a Rust keyword (its library name, `-` read as `_`, must be an identifier);
//! not a name cargo reserves: `test` and the other standard library crates,
//! its build directories (`deps`, `examples`, `build`, `incremental`), and
//! Windows device names (`con`, `nul`, `com1`...), which cargo refuses there.

use crate::names::KEYWORDS;

/// A package name cargo would refuse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid crate name {name:?}: {rule}")]
pub struct CrateNameError {
    /// The name given.
    pub name: String,
    /// The rule it breaks.
    pub rule: String,
}

const STD_CRATES: &[&str] = &["alloc", "core", "proc_macro", "std", "test"];
const CARGO_DIRS: &[&str] = &["build", "deps", "examples", "incremental"];
const WINDOWS_DEVICES: &[&str] = &["aux", "con", "conin$", "conout$", "nul", "prn"];

/// Checks `name` (see the module docs).
pub fn validate(name: &str) -> Result<(), CrateNameError> {
    rule(name).map_or(Ok(()), |rule| {
        Err(CrateNameError {
            name: name.to_string(),
            rule,
        })
    })
}

fn rule(name: &str) -> Option<String> {
    let Some(first) = name.chars().next() else {
        return Some("it is empty".into());
    };
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        return Some(format!(
            "{c:?} is not allowed (use ASCII letters, digits, `-` and `_`)"
        ));
    }
    if first.is_ascii_digit() {
        return Some("it starts with a digit".into());
    }
    if first == '-' {
        return Some("it starts with `-` (start with a letter or `_`)".into());
    }
    let lib_name = name.replace('-', "_");
    let lower = lib_name.to_ascii_lowercase();
    if KEYWORDS.contains(&lib_name.as_str()) {
        return Some(format!("`{lib_name}` is a Rust keyword"));
    }
    if STD_CRATES.contains(&lib_name.as_str()) {
        return Some("it is the name of a Rust standard library crate".into());
    }
    if CARGO_DIRS.contains(&name) {
        return Some("cargo reserves it for its build directories".into());
    }
    let device = WINDOWS_DEVICES.contains(&lower.as_str())
        || ["com", "lpt"].iter().any(|p| {
            lower
                .strip_prefix(p)
                .is_some_and(|n| n.len() == 1 && n.as_bytes()[0].is_ascii_digit() && n != "0")
        });
    if device {
        return Some("it is a reserved file name on Windows".into());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_cargo_accepts() {
        for ok in [
            "a",
            "_x",
            "atproto-types",
            "lexgen_fixture_types",
            "a1",
            "com0",
            "union2",
        ] {
            assert_eq!(validate(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn names_cargo_refuses_with_the_rule() {
        for (bad, rule) in [
            ("", "empty"),
            ("my crate", "' ' is not allowed"),
            ("a.b", "'.' is not allowed"),
            ("é", "is not allowed"),
            ("1abc", "starts with a digit"),
            ("-a", "starts with `-`"),
            ("fn", "keyword"),
            ("self", "keyword"),
            ("test", "standard library"),
            ("std", "standard library"),
            ("proc-macro", "standard library"),
            ("deps", "build directories"),
            ("nul", "Windows"),
            ("COM1", "Windows"),
        ] {
            let err = validate(bad).expect_err(bad);
            assert!(err.rule.contains(rule), "{bad:?}: {err}");
        }
    }
}
