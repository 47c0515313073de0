//! The `lexgen` command line (the binary is a thin wrapper around [`run`],
//! so tests drive the real CLI in-process).

use crate::diagnostic::Diagnostics;
use crate::{Config, Error};
use clap::{Parser, Subcommand, ValueEnum};
use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;

/// Exit code: success.
pub const EXIT_OK: i32 = 0;
/// Exit code: drift (`check`) or invalid data (`validate`).
pub const EXIT_DRIFT: i32 = 1;
/// Exit code: bad input, bad usage, or I/O failure.
pub const EXIT_ERROR: i32 = 2;

/// Generate validated Rust types from AT Protocol Lexicon schemas.
#[derive(Debug, Parser)]
#[command(name = "lexgen", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Output format of diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    /// Human-readable.
    #[default]
    Human,
    /// One JSON object per diagnostic, one per line.
    Json,
}

/// Options shared by the subcommands.
#[derive(Debug, Clone, clap::Args)]
pub struct Common {
    /// Directory holding the lexicon JSON files, laid out by NSID.
    #[arg(long, default_value = "lexicons", value_name = "DIR")]
    pub lexicons: PathBuf,
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Regenerate the crate in the output directory from the lexicons.
    Generate {
        #[command(flatten)]
        common: Common,
        /// Output directory of the generated crate.
        #[arg(long, default_value = "generated", value_name = "DIR")]
        out: PathBuf,
        /// Package name of the generated crate.
        #[arg(long, default_value = "atproto-types")]
        crate_name: String,
        /// Print the time spent in each stage.
        #[arg(long)]
        timings: bool,
    },
    /// Exit 0 if the output directory holds exactly what `generate` would
    /// write, 1 (with a diff) if it drifted, 2 on errors.
    Check {
        #[command(flatten)]
        common: Common,
        /// Output directory of the generated crate.
        #[arg(long, default_value = "generated", value_name = "DIR")]
        out: PathBuf,
        /// Package name of the generated crate.
        #[arg(long, default_value = "atproto-types")]
        crate_name: String,
    },
    /// Check the lexicons and report every problem, without generating.
    Lint {
        #[command(flatten)]
        common: Common,
    },
}

fn report_error(err: &Error, format: Format, stderr: &mut dyn Write) {
    match (err, format) {
        (Error::Lexicon(Diagnostics(diags)), Format::Json) => {
            for d in diags {
                let _ = writeln!(stderr, "{}", d.to_json());
            }
        }
        _ => {
            let _ = writeln!(stderr, "{err}");
        }
    }
}

/// Runs the CLI on `args` (including the program name), printing to the
/// given streams; returns the exit code.
pub fn run<I, T>(args: I, stdout: &mut dyn Write, stderr: &mut dyn Write) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_ERROR } else { EXIT_OK };
            let text = e.render().to_string();
            let _ = if e.use_stderr() {
                write!(stderr, "{text}")
            } else {
                write!(stdout, "{text}")
            };
            return code;
        }
    };
    match cli.command {
        Command::Generate {
            common,
            out,
            crate_name,
            timings,
        } => {
            let mut config = Config::new();
            config
                .lexicons(&common.lexicons)
                .out_dir(&out)
                .crate_name(crate_name);
            let rendered = config.render_timed();
            let result = rendered.and_then(|(files, t)| {
                let report = crate::write::write_output(&out, &files)?;
                Ok((files.len(), report, t))
            });
            match result {
                Ok((total, report, t)) => {
                    let _ = writeln!(
                        stdout,
                        "lexgen: {total} files in {}: {} written, {} unchanged, {} removed",
                        out.display(),
                        report.written.len(),
                        report.unchanged.len(),
                        report.removed.len()
                    );
                    if timings {
                        let _ = writeln!(
                            stdout,
                            "timings: parse {:?}, resolve {:?}, emit+render {:?}",
                            t.parse, t.resolve, t.emit
                        );
                    }
                    EXIT_OK
                }
                Err(e) => {
                    report_error(&e, common.format, stderr);
                    EXIT_ERROR
                }
            }
        }
        Command::Check {
            common,
            out,
            crate_name,
        } => {
            let mut config = Config::new();
            config
                .lexicons(&common.lexicons)
                .out_dir(&out)
                .crate_name(crate_name);
            match config.check() {
                Ok(drift) if drift.is_clean() => {
                    let _ = writeln!(stdout, "lexgen: {} is up to date", out.display());
                    EXIT_OK
                }
                Ok(drift) => {
                    let _ = write!(
                        stdout,
                        "lexgen: {} is stale; run `lexgen generate`\n{drift}",
                        out.display()
                    );
                    EXIT_DRIFT
                }
                Err(e) => {
                    report_error(&e, common.format, stderr);
                    EXIT_ERROR
                }
            }
        }
        Command::Lint { common } => {
            let mut config = Config::new();
            config.lexicons(&common.lexicons);
            match config.load_ir() {
                Ok(ir) => {
                    let _ = writeln!(
                        stdout,
                        "lexgen: {} lexicons, no problems found",
                        ir.lexicons.len()
                    );
                    EXIT_OK
                }
                Err(e) => {
                    report_error(&e, common.format, stderr);
                    EXIT_ERROR
                }
            }
        }
    }
}
