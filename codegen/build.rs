//! Computes `LEXGEN_GENERATOR_ID`: a hash of everything the generated text
//! depends on besides the lexicons and the options (this crate's sources, the
//! runtime's module and format lists, and the locked versions of the crates
//! that print code). `lexgen check` trusts the fingerprint a crate's
//! manifest records only while this is unchanged, so a changed generator
//! can never pass for an up-to-date crate.

use std::fs;
use std::path::Path;

/// FNV-1a, 64 bits: no dependency, and a collision would need two builds of
/// the generator that differ yet hash alike, not an adversary.
struct Fnv(u64);

impl Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
        // A separator, so that ("ab", "c") and ("a", "bc") differ.
        self.0 ^= 0xff;
        self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
    }
}

fn hash_tree(h: &mut Fnv, dir: &Path, rel: &str) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut names: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .collect();
    names.sort();
    for name in names {
        let path = dir.join(&name);
        let rel = format!("{rel}/{}", name.to_string_lossy());
        if path.is_dir() {
            hash_tree(h, &path, &rel);
        } else if let Ok(bytes) = fs::read(&path) {
            h.write(rel.as_bytes());
            h.write(&bytes);
        }
    }
}

/// The `[[package]]` stanzas of the crates that shape the printed code.
fn hash_locked_printers(h: &mut Fnv, lock: &str) {
    for stanza in lock.split("[[package]]") {
        let name = stanza
            .lines()
            .find_map(|l| l.strip_prefix("name = "))
            .unwrap_or_default();
        if [
            "\"prettyplease\"",
            "\"syn\"",
            "\"quote\"",
            "\"proc-macro2\"",
            "\"heck\"",
        ]
        .contains(&name)
        {
            h.write(stanza.trim().as_bytes());
        }
    }
}

fn main() {
    let mut h = Fnv(0xcbf2_9ce4_8422_2325);
    h.write(env!("CARGO_PKG_VERSION").as_bytes());
    hash_tree(&mut h, Path::new("src"), "src");
    println!("cargo:rerun-if-changed=src");
    // Watch only files that exist: cargo reruns a script for a missing one
    // on every build.
    for file in ["runtime/src/lib.rs", "runtime/src/formats.rs"] {
        if let Ok(bytes) = fs::read(file) {
            println!("cargo:rerun-if-changed={file}");
            h.write(file.as_bytes());
            h.write(&bytes);
        }
    }
    // The workspace's lock (absent when built as a dependency from crates.io,
    // where the version alone stands for the sources).
    if let Ok(lock) = fs::read_to_string("../Cargo.lock") {
        println!("cargo:rerun-if-changed=../Cargo.lock");
        hash_locked_printers(&mut h, &lock);
    }
    println!("cargo:rustc-env=LEXGEN_GENERATOR_ID={:016x}", h.0);
}
