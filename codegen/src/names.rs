//! The naming rule: every Rust identifier the generator emits comes from here.
//!
//! 1. Case conversion with heck (`UpperCamel` for types and variants,
//!    `snake_case` for modules and fields, `SHOUTY_SNAKE` for constants).
//! 2. Anything that cannot start an identifier is dropped; an empty result
//!    becomes `Unnamed`/`unnamed`; a leading digit gets a `N`/`n` prefix.
//! 3. A Rust keyword (strict, reserved or weak-but-troublesome) gets a `_`
//!    suffix: `type` -> `type_`; the one type-case keyword gets `Type`:
//!    `Self` -> `SelfType` (a type name prefixes derived names).
//! 4. Within one scope, a name already taken gets the smallest numeric suffix
//!    from 2 that is free (`Foo`, `Foo2`, ...), in a fixed claiming order.

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};
use std::collections::BTreeSet;

/// Every identifier Rust reserves (2021 edition), plus `gen` (2024) and the
/// prelude-sensitive `union`, which is contextual but confusing as a field.
pub const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Every name the generated crate uses for itself at its root, as a module
/// or a file under `src/`: lexicon namespaces there get another name
/// (`lib` -> `lib2`). The one list: the crate files (`lib`, and `main` and
/// `bin`, which cargo would take for binaries), every runtime module, and
/// the runtime modules planned next, so adding one never renames a
/// namespace of an existing crate.
#[rustfmt::skip]
pub const RESERVED_ROOT_MODULES: &[&str] = &[
    // Crate files.
    "lib", "main", "bin",
    // The runtime crate's modules (`atproto_lexgen_runtime::MODULES`; checked by a test below).
    "cbor", "client", "client_blocking", "crypto", "de", "dns", "firehose", "firehose_client",
    "formats", "identity", "repo", "server", "types", "validate", "xrpc",
    // Planned runtime modules.
    "data", "prelude",
    // Emitted by lexgen: the enum of every record type.
    "records",
];

/// Type names a lexicon type may not take in its module, because generated
/// code there uses them unqualified: the generic parameters of the emitted
/// impls (a struct `M` inside `fn write<M>` would name the parameter; `A`
/// and `E`, parameters of earlier emitted impls, stay reserved so that no
/// type is renamed back), the prelude values a unit struct would shadow,
/// and the prelude types the emitted code names without a path. The
/// emitter's other names cannot collide: its locals (`b`, `map`, `path`,
/// `v0`, ...) are `snake_case` while types are `UpperCamel` and constants
/// `SHOUTY`, the runtime modules are imported under
/// [`LEXICON_MODULE_IMPORTS`], and other std and serde items are named by
/// absolute path.
pub const RESERVED_TYPE_NAMES: &[&str] = &[
    "A", "D", "E", "M", "S", "Some", "None", "Ok", "Err", "Option", "Result", "Vec", "String",
    "Box",
];

/// The runtime modules every lexicon module imports (`use crate::{de, …}`)
/// so that generated code names them without `crate::`. A lexicon module's
/// child modules (`com.example.foo.types` under `com.example.foo`) may not
/// take these names.
pub const LEXICON_MODULE_IMPORTS: &[&str] = &["de", "formats", "types", "validate", "xrpc"];

/// Which case a name is converted to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// Types and enum variants.
    Type,
    /// Modules, fields and functions.
    Snake,
    /// Constants.
    Const,
}

/// Converts `raw` to a valid, non-keyword identifier (rules 1-3).
pub fn ident(raw: &str, case: Case) -> String {
    let converted = match case {
        Case::Type => raw.to_upper_camel_case(),
        Case::Snake => raw.to_snake_case(),
        Case::Const => raw.to_shouty_snake_case(),
    };
    let mut name: String = converted
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let name_is_underscores = name.chars().all(|c| c == '_');
    if name.is_empty() || name_is_underscores {
        name = match case {
            Case::Type => "Unnamed".into(),
            Case::Snake => "unnamed".into(),
            Case::Const => "UNNAMED".into(),
        };
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        let prefix = if case == Case::Snake { "n" } else { "N" };
        name.insert_str(0, prefix);
    }
    if KEYWORDS.contains(&name.as_str()) {
        // A type name is a prefix of derived names (`SelfType` ->
        // `SelfTypeMedia`), where `Self_Media` would not be camel case.
        name.push_str(if case == Case::Type { "Type" } else { "_" });
    }
    name
}

/// One naming scope (a module's types, a struct's fields, an enum's
/// variants): hands out unique names in claiming order (rule 4).
#[derive(Debug, Default, Clone)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    /// A scope with some names already reserved.
    pub fn with_reserved(names: &[&str]) -> Self {
        Scope {
            taken: names.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// Claims the identifier for `raw` in `case`, suffixed if taken.
    pub fn claim(&mut self, raw: &str, case: Case) -> String {
        self.claim_ident(ident(raw, case))
    }

    /// Whether `name` is taken.
    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    /// Claims an already-valid identifier, suffixed if taken.
    pub fn claim_ident(&mut self, base: String) -> String {
        let mut name = base.clone();
        let mut n = 2;
        while self.taken.contains(&name) {
            name = format!("{base}{n}");
            n += 1;
        }
        self.taken.insert(name.clone());
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_keyword_is_escaped_in_every_case() {
        for kw in KEYWORDS {
            for case in [Case::Type, Case::Snake, Case::Const] {
                let id = ident(kw, case);
                assert!(!KEYWORDS.contains(&id.as_str()), "{kw} -> {id}");
                assert!(syn::parse_str::<syn::Ident>(&id).is_ok(), "{kw} -> {id}");
            }
        }
        assert_eq!(ident("type", Case::Snake), "type_");
        assert_eq!(ident("self", Case::Type), "SelfType");
    }

    #[test]
    fn cases_and_odd_input() {
        assert_eq!(ident("createSession", Case::Snake), "create_session");
        assert_eq!(ident("createSession", Case::Type), "CreateSession");
        assert_eq!(ident("requestLess", Case::Const), "REQUEST_LESS");
        assert_eq!(ident("!hide", Case::Type), "Hide");
        assert_eq!(ident("3d", Case::Type), "N3d");
        assert_eq!(ident("", Case::Snake), "unnamed");
        assert_eq!(ident("日本", Case::Type), "Unnamed");
        assert_eq!(ident("en-US", Case::Type), "EnUs");
    }

    #[test]
    fn every_runtime_module_is_reserved() {
        for module in atproto_lexgen_runtime::MODULES {
            assert!(
                RESERVED_ROOT_MODULES.contains(&module.name),
                "{}",
                module.name
            );
        }
        for import in LEXICON_MODULE_IMPORTS {
            assert!(RESERVED_ROOT_MODULES.contains(import), "{import}");
        }
        let mut scope = Scope::with_reserved(RESERVED_ROOT_MODULES);
        assert_eq!(scope.claim("lib", Case::Snake), "lib2");
        assert_eq!(scope.claim("client", Case::Snake), "client2");
    }

    #[test]
    fn collisions_get_numeric_suffixes() {
        let mut scope = Scope::with_reserved(&["extra"]);
        assert_eq!(scope.claim("extra", Case::Snake), "extra2");
        assert_eq!(scope.claim("fooBar", Case::Snake), "foo_bar");
        assert_eq!(scope.claim("foo_bar", Case::Snake), "foo_bar2");
        assert_eq!(scope.claim("FooBar", Case::Snake), "foo_bar3");
        assert_eq!(scope.claim("self", Case::Type), "SelfType");
        assert_eq!(scope.claim("Self", Case::Type), "SelfType2");
        assert_eq!(scope.claim("type", Case::Snake), "type_");
        assert_eq!(scope.claim("type", Case::Snake), "type_2");
    }
}
