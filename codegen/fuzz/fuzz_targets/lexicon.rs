//! Bytes -> one lexicon file -> parse, resolve, emit and render. Every
//! failure must be a diagnostic; a render error (emitted Rust that does not
//! parse) or a panic is a bug.
#![no_main]

use atproto_lexgen::emit::{emit_crate, CrateOptions, Externs};
use atproto_lexgen::{ir, lexicon};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(mut file) = lexicon::load_str("fuzz.json", Path::new("fuzz.json"), text) else {
        return;
    };
    // Place the file where its id says, so resolution gets past that check.
    file.rel_path = format!("{}.json", file.doc.id.replace('.', "/"));
    let Ok(ir) = ir::resolve(std::slice::from_ref(&file)) else {
        return;
    };
    let files = match emit_crate(&ir, &CrateOptions::default(), &Externs::default()) {
        Ok(files) => files,
        Err(e) => panic!("accepted lexicon rendered to invalid Rust: {e}"),
    };
    for f in files {
        if f.path.ends_with(".rs") {
            if let Err(e) = syn::parse_file(&f.contents) {
                panic!("{} does not parse after pretty-printing: {e}", f.path);
            }
        }
    }
});
