//! The `lexgen` binary: see `atproto_lexgen::cli`.

use std::io::IsTerminal;

fn main() {
    let code = atproto_lexgen::cli::run_with_terminal(
        std::env::args_os(),
        &mut std::io::stdout(),
        &mut std::io::stderr(),
        std::io::stderr().is_terminal(),
    );
    std::process::exit(code);
}
