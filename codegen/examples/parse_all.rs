fn main() {
    let dir = std::env::args().nth(1).unwrap();
    match atproto_lexgen::lexicon::load_dir(std::path::Path::new(&dir)) {
        Ok(files) => println!("{} files", files.len()),
        Err(errs) => {
            for e in errs {
                println!("{e}")
            }
        }
    }
}
