//! The `lexgen` binary: see `atproto_lexgen::cli`.

fn main() {
    let code = atproto_lexgen::cli::run(
        std::env::args_os(),
        &mut std::io::stdout(),
        &mut std::io::stderr(),
    );
    std::process::exit(code);
}
