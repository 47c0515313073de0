//! Generates the fixture lexicons' types into OUT_DIR as one file.

fn main() {
    let lexicons = concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/lexicons");
    println!("cargo::rerun-if-changed={lexicons}");
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    if let Err(e) = atproto_lexgen::Config::new()
        .lexicons(lexicons)
        .out_dir(out_dir)
        .single_file("lexicons.rs", "crate::lexicons")
        .generate()
    {
        eprintln!("{e}");
        std::process::exit(1);
    }
}
