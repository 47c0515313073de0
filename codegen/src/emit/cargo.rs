//! The generated crate's `Cargo.toml`: the runtime and extern crates as
//! dependencies, one feature per namespace (the first two NSID segments),
//! and feature dependencies derived from the references that cross
//! namespaces, forwarded to the extern crate's feature of the same name when
//! a reference leaves the crate.

use super::{CrateOptions, Externs, RuntimeSource};
use crate::ir::{Ir, Shape, TypeKind};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path};

/// Features of the emitted namespaces and what each needs: other features
/// of the crate, or `package/feature` of an extern crate.
pub fn feature_deps(
    ir: &Ir,
    externs: &Externs,
    extern_crates: &[(String, String)],
) -> BTreeMap<String, BTreeSet<String>> {
    let mut deps: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for lex in ir.lexicons.iter().filter(|l| !externs.is_extern(l)) {
        deps.entry(lex.feature.clone()).or_default();
    }
    let mut add = |from: usize, to: usize| {
        let (from, to) = (
            &ir.lexicons[ir.ty(from).lexicon],
            &ir.lexicons[ir.ty(to).lexicon],
        );
        let need = match externs.crate_of(to) {
            Some(krate) => match package_of(&krate, extern_crates) {
                Some(package) => format!("{package}/{}", to.feature),
                None => return,
            },
            None if externs.is_extern(to) => return,
            None => to.feature.clone(),
        };
        if from.feature != need {
            deps.entry(from.feature.clone()).or_default().insert(need);
        }
    };
    for (id, def) in ir.types.iter().enumerate() {
        if externs.is_extern(&ir.lexicons[def.lexicon]) {
            continue;
        }
        let mut targets = Vec::new();
        match &def.kind {
            TypeKind::Object(o) => o
                .fields
                .iter()
                .for_each(|f| shape_targets(&f.shape, &mut targets)),
            TypeKind::Union(u) => targets.extend(u.variants.iter().map(|v| v.target)),
            TypeKind::Alias(shape) => shape_targets(shape, &mut targets),
            TypeKind::StringEnum(_) | TypeKind::Errors(_) => {}
        }
        for t in targets {
            add(id, t);
        }
    }
    // Close transitively so each feature lists everything it needs.
    loop {
        let mut changed = false;
        let snapshot = deps.clone();
        for needs in deps.values_mut() {
            for dep in needs.clone() {
                for transitive in snapshot.get(&dep).into_iter().flatten() {
                    changed |= needs.insert(transitive.clone());
                }
            }
        }
        if !changed {
            break;
        }
    }
    for (feature, needs) in deps.iter_mut() {
        needs.remove(feature);
    }
    deps
}

fn shape_targets(shape: &Shape, out: &mut Vec<usize>) {
    match shape {
        Shape::Named(id) => out.push(*id),
        Shape::Alias { id, target } => {
            out.push(*id);
            shape_targets(target, out);
        }
        Shape::Array { items, .. } => shape_targets(items, out),
        _ => {}
    }
}

/// The package of `extern_crates` that provides Rust crate `krate`
/// (`atproto-types` provides `atproto_types`).
fn package_of<'a>(krate: &str, extern_crates: &'a [(String, String)]) -> Option<&'a str> {
    extern_crates
        .iter()
        .find(|(package, _)| package.replace('-', "_") == krate)
        .map(|(package, _)| package.as_str())
}

/// Every crate an extern path names needs a dependency spec, and every spec
/// must be for such a crate (a typo would otherwise be silently unused).
pub fn check_extern_crates(
    externs: &Externs,
    extern_crates: &[(String, String)],
) -> Result<(), String> {
    let crates = externs.crates();
    for krate in &crates {
        if package_of(krate, extern_crates).is_none() {
            return Err(format!(
                "extern paths name crate `{krate}`, but no dependency is given for it: \
                 add --extern-crate {}=VERSION or ={{ path = \"...\" }} (Config::extern_crate)",
                krate.replace('_', "-")
            ));
        }
    }
    for (package, spec) in extern_crates {
        if !crates.contains(&package.replace('-', "_")) {
            return Err(format!(
                "extern crate {package:?} is not named by any extern path (--extern NSID_PREFIX={}::...)",
                package.replace('-', "_")
            ));
        }
        if spec.contains(['\n', '\r']) || spec.trim().is_empty() {
            return Err(format!(
                "extern crate {package:?}: the dependency must be one line (a version, or an inline table {{ ... }})"
            ));
        }
    }
    Ok(())
}

/// A dependency spec as TOML: an inline table as given, else a version.
fn toml_value(spec: &str) -> String {
    let spec = spec.trim();
    if spec.starts_with('{') || spec.starts_with('"') {
        spec.to_string()
    } else {
        format!("{spec:?}")
    }
}

/// The path from directory `from` to `to` (both absolute), lexically,
/// with `/` separators; `to` itself when they share no root.
pub fn relative_path(from: &Path, to: &Path) -> String {
    fn normal(p: &Path) -> Vec<Component<'_>> {
        let mut out: Vec<Component> = Vec::new();
        for c in p.components() {
            match c {
                Component::CurDir => {}
                Component::ParentDir if matches!(out.last(), Some(Component::Normal(_))) => {
                    out.pop();
                }
                other => out.push(other),
            }
        }
        out
    }
    let (from, to) = (normal(from), normal(to));
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    if common == 0 {
        return to
            .iter()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
    }
    let ups = std::iter::repeat("..".to_string()).take(from.len() - common);
    let downs = to[common..]
        .iter()
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    let parts: Vec<String> = ups.chain(downs).collect();
    if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    }
}

/// The `Cargo.toml` text.
pub fn cargo_toml(ir: &Ir, options: &CrateOptions, externs: &Externs) -> String {
    let deps = feature_deps(ir, externs, &options.extern_crates);
    let all: Vec<String> = deps.keys().map(|f| format!("{f:?}")).collect();
    // The runtime is released with every lexgen version (a unit test checks).
    let version = env!("CARGO_PKG_VERSION");
    let runtime = match &options.runtime {
        RuntimeSource::Registry => format!("{version:?}"),
        RuntimeSource::Path(path) => format!("{{ version = {version:?}, path = {path:?} }}"),
    };
    let mut dependencies: BTreeMap<&str, String> = BTreeMap::new();
    dependencies.insert("atproto-lexgen-runtime", runtime);
    for (package, spec) in &options.extern_crates {
        dependencies.insert(package, toml_value(spec));
    }
    dependencies.insert(
        "serde",
        r#"{ version = "1.0.200", default-features = false, features = ["std"] }"#.into(),
    );
    dependencies.insert("serde_json", r#""1.0.120""#.into());
    let mut out = format!(
        "# {marker} by lexgen. Do not edit: change the lexicons and regenerate.\n\
         [package]\n\
         name = {name:?}\n\
         version = {version:?}\n\
         edition = \"2021\"\n\
         rust-version = \"1.80\"\n\
         description = \"Validated Rust types for AT Protocol lexicons (generated by lexgen)\"\n\
         license = \"MIT OR Apache-2.0\"\n\
         \n\
         [dependencies]\n",
        marker = crate::render::GENERATED_MARKER,
        name = options.name,
        version = options.version,
    );
    for (package, spec) in &dependencies {
        out.push_str(&format!("{package} = {spec}\n"));
    }
    out.push_str(&format!(
        "\n[features]\ndefault = [{all}]\n",
        all = all.join(", ")
    ));
    // The runtime's optional modules, under the runtime's feature names:
    // `client` (async, reqwest + rustls), `client-blocking` (ureq, plain
    // HTTP), `server` (axum), `cbor`, `repo`, `firehose`, `firehose-client`
    // (WebSocket, tokio-tungstenite + rustls), `crypto`, `dns`, `identity`
    // (async: `client` + `crypto` + `dns`). A feature whose
    // runtime feature builds on another enables this crate's one too, so
    // its re-exports (and the `records` enum behind `repo`) are all there.
    const IMPLIES: &[(&str, &str)] = &[
        ("identity", "client"),
        ("identity", "crypto"),
        ("identity", "dns"),
        ("repo", "cbor"),
        ("firehose", "repo"),
        ("firehose-client", "firehose"),
    ];
    let runtime_features: BTreeSet<&str> = atproto_lexgen_runtime::MODULES
        .iter()
        .filter_map(|m| m.feature)
        .collect();
    out.push_str("# Optional runtime modules: XRPC client (async; `client-blocking`: ureq, no TLS), server (axum), DAG-CBOR, repositories, event streams (`firehose-client`: over WebSocket), keys and signatures (`crypto`), DNS TXT (`dns`), identity resolution (`identity`).\n");
    for feature in runtime_features {
        let implied = IMPLIES
            .iter()
            .filter(|(f, _)| *f == feature)
            .map(|(_, needs)| format!("\"{needs}\", "));
        out.push_str(&format!(
            "{feature} = [{}\"atproto-lexgen-runtime/{feature}\"]\n",
            implied.collect::<String>()
        ));
    }
    for (feature, needs) in &deps {
        let needs: Vec<String> = needs.iter().map(|f| format!("{f:?}")).collect();
        out.push_str(&format!("{feature} = [{}]\n", needs.join(", ")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::relative_path;
    use std::path::Path;

    #[test]
    fn the_runtime_has_lexgens_version() {
        assert_eq!(atproto_lexgen_runtime::VERSION, env!("CARGO_PKG_VERSION"));
    }

    #[test]
    fn relative_paths_are_lexical() {
        let rel = |a: &str, b: &str| relative_path(Path::new(a), Path::new(b));
        assert_eq!(
            rel("/w/repo/generated", "/w/repo/codegen/runtime"),
            "../codegen/runtime"
        );
        assert_eq!(
            rel("/w/repo/./tests/x/../y", "/w/repo/codegen/runtime"),
            "../../codegen/runtime"
        );
        assert_eq!(
            rel("/tmp/out", "/w/repo/codegen/runtime"),
            "../../w/repo/codegen/runtime"
        );
        assert_eq!(rel("/w/a", "/w/a"), ".");
    }
}
