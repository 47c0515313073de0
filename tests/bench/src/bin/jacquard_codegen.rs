//! jacquard's generator (`jacquard-lexicon`'s `CodeGenerator`, its
//! crates.io release) as a process, the peer of `lexgen generate` in the
//! table: `jacquard_codegen LEXICONS_DIR OUT_DIR`. atrium's generator is
//! not published, so jacquard's is the one generator we can build here.

use jacquard_lexicon::codegen::CodeGenerator;
use jacquard_lexicon::corpus::LexiconCorpus;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [lexicons, out] = args.as_slice() else {
        eprintln!("usage: jacquard_codegen LEXICONS_DIR OUT_DIR");
        return ExitCode::from(2);
    };
    let corpus = match LexiconCorpus::load_from_dir(lexicons) {
        Ok(corpus) => corpus,
        Err(e) => {
            eprintln!("jacquard could not load {lexicons}: {e}");
            return ExitCode::FAILURE;
        }
    };
    match CodeGenerator::new(&corpus, "crate").write_to_disk(std::path::Path::new(out)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("jacquard could not generate: {e}");
            ExitCode::FAILURE
        }
    }
}
