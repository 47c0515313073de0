//! The runtime support code of the generated crate, compiled into the
//! generator as well: `lexgen validate` applies exactly the rules that the
//! generated types apply, because it is the same source. Each file is written
//! verbatim (after the `@generated` header) into the generated crate's root,
//! so files refer to each other only through `super::`.

pub mod de;
pub mod formats;
pub mod types;
pub mod validate;
pub mod xrpc;

/// `(module path, source text)` of every runtime module, in emission order
/// (`formats/cid` is the `cid` submodule of `formats`).
/// `client` (HTTP, behind the generated crate's `client` feature) is only
/// emitted: the generator itself has no HTTP dependency.
pub const SOURCES: &[(&str, &str)] = &[
    ("client", include_str!("client.rs")),
    ("de", include_str!("de.rs")),
    ("formats", include_str!("formats.rs")),
    ("formats/cid", include_str!("formats/cid.rs")),
    ("formats/datetime", include_str!("formats/datetime.rs")),
    ("formats/identity", include_str!("formats/identity.rs")),
    ("formats/language", include_str!("formats/language.rs")),
    ("formats/names", include_str!("formats/names.rs")),
    ("types", include_str!("types.rs")),
    ("validate", include_str!("validate.rs")),
    ("xrpc", include_str!("xrpc.rs")),
];
