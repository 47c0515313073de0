//! Generates the app's own lexicon into OUT_DIR as one file. The official
//! lexicons are loaded too, so that the ref to `com.atproto.repo.strongRef`
//! resolves and is checked; their namespaces are extern (their types are
//! atproto-types'), so only `xyz.statusphere` is emitted.

fn main() {
    let manifest = env!("CARGO_MANIFEST_DIR");
    let own = format!("{manifest}/lexicons");
    let official = format!("{manifest}/../../lexicons");
    println!("cargo::rerun-if-changed={own}");
    println!("cargo::rerun-if-changed={official}");
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    if let Err(e) = atproto_lexgen::Config::new()
        .lexicons(own)
        .lexicons(official)
        .extern_path("com.atproto", "atproto_types::com::atproto")
        .extern_path("app.bsky", "atproto_types::app::bsky")
        .out_dir(out_dir)
        .single_file("lexicons.rs", "crate::lexicons")
        // `lexicons::records::Record`, to read the app's records out of
        // repositories and the firehose (needs the runtime's `cbor`).
        .single_file_records(true)
        .generate()
    {
        eprintln!("{e}");
        std::process::exit(1);
    }
}
