//! The `lexgen` command line (the binary is a thin wrapper around [`run`],
//! so tests drive the real CLI in-process).

use crate::datacheck::input::Mode;
use crate::datacheck::Body;
use crate::diagnostic::Diagnostics;
use crate::{Config, Error};
use clap::{Parser, Subcommand, ValueEnum};
use output::Tracked;
use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;

mod output;
mod validate;

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
    /// One JSON object per line: each diagnostic, error and result.
    Json,
}

/// Options shared by the subcommands.
#[derive(Debug, Clone, clap::Args)]
pub struct Common {
    /// Directory holding the lexicon JSON files, laid out by NSID; repeat
    /// it to resolve lexicons from several directories together.
    #[arg(long, default_value = "lexicons", value_name = "DIR")]
    pub lexicons: Vec<PathBuf>,
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// When to colour human-readable diagnostics (`auto`: only on a terminal,
    /// and not when `NO_COLOR` is set).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Whether stderr is a terminal (set by the binary, not a flag).
    #[arg(skip)]
    pub stderr_is_terminal: bool,
}

/// When to colour diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ColorChoice {
    /// Colour when stderr is a terminal and `NO_COLOR` is not set.
    #[default]
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

impl Common {
    /// The generator settings for the lexicon directories.
    fn config(&self) -> Config {
        let mut config = Config::new();
        for dir in &self.lexicons {
            config.lexicons(dir);
        }
        config
    }

    fn color(&self) -> bool {
        match self.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => self.stderr_is_terminal && std::env::var_os("NO_COLOR").is_none(),
        }
    }
}

/// Where the generated crate goes.
#[derive(Debug, Clone, clap::Args)]
pub struct Output {
    /// Output directory of the generated crate.
    #[arg(long, default_value = "generated", value_name = "DIR")]
    pub out: PathBuf,
    /// Package name of the generated crate.
    #[arg(long, default_value = "atproto-types")]
    pub crate_name: String,
    /// Take the runtime crate (atproto-lexgen-runtime) from this directory
    /// instead of crates.io; written relative to the output directory.
    #[arg(long, value_name = "DIR")]
    pub runtime_path: Option<PathBuf>,
    /// Types of lexicons under NSID_PREFIX live in another crate at
    /// RUST_PATH (e.g. `com.atproto=atproto_types::com::atproto`): nothing
    /// is emitted for them and refs use that path. Repeatable.
    #[arg(long = "extern", value_name = "NSID_PREFIX=RUST_PATH", value_parser = key_value)]
    pub externs: Vec<(String, String)>,
    /// The generated Cargo.toml's dependency on a crate named by an extern
    /// path: `PACKAGE=VERSION` or `PACKAGE={ path = "..." }` (a TOML
    /// inline table, paths relative to the output directory). Repeatable.
    #[arg(long = "extern-crate", value_name = "PACKAGE=SPEC", value_parser = key_value)]
    pub extern_crates: Vec<(String, String)>,
}

/// Parses `KEY=VALUE`.
fn key_value(arg: &str) -> Result<(String, String), String> {
    match arg.split_once('=') {
        Some((k, v)) if !k.is_empty() && !v.is_empty() => Ok((k.to_string(), v.to_string())),
        _ => Err(format!("expected KEY=VALUE, got {arg:?}")),
    }
}

impl Output {
    /// The generator settings for these options.
    fn config(&self, common: &Common) -> Config {
        let mut config = common.config();
        config.out_dir(&self.out).crate_name(&self.crate_name);
        if let Some(dir) = &self.runtime_path {
            config.runtime_path(dir);
        }
        for (prefix, path) in &self.externs {
            config.extern_path(prefix, path);
        }
        for (package, spec) in &self.extern_crates {
            config.extern_crate(package, spec);
        }
        config
    }
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Regenerate the crate in the output directory from the lexicons.
    Generate {
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        output: Output,
        /// Print the time spent in each stage.
        #[arg(long)]
        timings: bool,
    },
    /// Exit 0 if the output directory holds exactly what `generate` would
    /// write, 1 (with a diff) if it drifted, 2 on errors.
    Check {
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        output: Output,
        /// Also check that every lexicon pinned in this lockfile
        /// (`lexicons.json`) has its pinned CID, as `install --ci` does.
        #[arg(long, value_name = "FILE")]
        lockfile: Option<PathBuf>,
    },
    /// Check the lexicons and report every problem, without generating.
    Lint {
        #[command(flatten)]
        common: Common,
    },
    /// Check JSON data against a lexicon def, without compiling anything.
    /// Prints one line per value (`ok`, or `invalid PATH: RULE`); exits 0
    /// if all are valid, 1 if any is invalid, 2 on usage or lexicon errors.
    ///
    /// With `--format json`, each line is `{"line", "ok", "path",
    /// "message"}`. A read or write error is exit 2 too.
    Validate {
        #[command(flatten)]
        common: Common,
        /// The def: `NSID` (its main def) or `NSID#name`.
        #[arg(long, value_name = "NSID[#name]")]
        def: String,
        /// Which data of a query, procedure or subscription [default: a
        /// query's output, a procedure's input, a subscription's message].
        #[arg(long, value_enum)]
        body: Option<BodyArg>,
        /// Read the input as JSON Lines (streamed, one value per line),
        /// whatever its first line. Without `--jsonl` or `--document`, the
        /// first non-blank line decides: a complete JSON value means JSON
        /// Lines, else one document (its syntax error, if any, is reported
        /// once, with its line and column).
        #[arg(long, conflicts_with = "document")]
        jsonl: bool,
        /// Read the input as one JSON document.
        #[arg(long)]
        document: bool,
        /// One JSON document, or JSON Lines (one value per line); `-` reads
        /// standard input.
        #[arg(value_name = "FILE", default_value = "-")]
        file: PathBuf,
    },
    /// Compare the lexicons with another version of them and classify every
    /// change as breaking, warning or compatible; exits 0 if none is
    /// breaking, 1 if some are, 2 on errors.
    Breaking(BreakingArgs),
    /// Resolve published lexicons by NSID, install them and every lexicon
    /// they reference under the lexicons directory, and pin each CID in
    /// `lexicons.json`; `--ci` only checks the files against the pins
    /// (exit 1 on a mismatch).
    Install(crate::lifecycle::cli::InstallArgs),
    /// Publish lexicons as `com.atproto.lexicon.schema` records to an
    /// account's PDS, after checking them as `lint` does.
    Publish(crate::lifecycle::cli::PublishArgs),
}

/// Options of `lexgen breaking`.
#[derive(Debug, Clone, clap::Args)]
pub struct BreakingArgs {
    /// The old version: a directory of lexicons, or else a git revision
    /// (`origin/main`, `v1.2`, `HEAD~1`) whose copy of the lexicons
    /// directory is read from the repository, with no checkout.
    #[arg(long, value_name = "GIT-REF|DIR")]
    pub against: String,
    /// Directory holding the new version of the lexicons, laid out by NSID.
    #[arg(long, default_value = "lexicons", value_name = "DIR")]
    pub lexicons: PathBuf,
    /// How to print the changes.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// `--body` of `validate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BodyArg {
    /// A procedure's request body.
    Input,
    /// A query's or procedure's response body.
    Output,
    /// The parameters, as a JSON object.
    Params,
    /// A subscription's message.
    Message,
}

impl From<BodyArg> for Body {
    fn from(b: BodyArg) -> Body {
        match b {
            BodyArg::Input => Body::Input,
            BodyArg::Output => Body::Output,
            BodyArg::Params => Body::Params,
            BodyArg::Message => Body::Message,
        }
    }
}

impl Command {
    fn common_mut(&mut self) -> Option<&mut Common> {
        match self {
            Command::Generate { common, .. }
            | Command::Check { common, .. }
            | Command::Lint { common }
            | Command::Validate { common, .. } => Some(common),
            Command::Breaking(_) | Command::Install(_) | Command::Publish(_) => None,
        }
    }
}

/// `generate`'s human report: the counts, and the stage timings if asked.
fn report_generated(
    report: &crate::WriteReport,
    timings: Option<&crate::Timings>,
    out: &std::path::Path,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> std::io::Result<()> {
    if report.finished_interrupted_run {
        writeln!(
            stderr,
            "lexgen: finished the interrupted run found in {}",
            out.display()
        )?;
    }
    let total = report.written.len() + report.unchanged.len();
    writeln!(
        stdout,
        "lexgen: {total} files in {}: {} written, {} unchanged, {} removed",
        out.display(),
        report.written.len(),
        report.unchanged.len(),
        report.removed.len()
    )?;
    if let Some(t) = timings {
        writeln!(
            stdout,
            "timings: parse {:?}, resolve {:?}, emit+render {:?}",
            t.parse, t.resolve, t.emit
        )?;
    }
    Ok(())
}

fn report_error(err: &Error, common: &Common, stderr: &mut dyn Write) {
    match (err, common.format) {
        (Error::Lexicon(Diagnostics(diags)), Format::Json) => {
            for d in diags {
                let _ = writeln!(stderr, "{}", d.to_json());
            }
        }
        (Error::Lexicon(diags), Format::Human) => {
            let _ = writeln!(stderr, "{}", diags.render(common.color()));
        }
        (_, Format::Human) => {
            let _ = writeln!(stderr, "{err}");
        }
        (_, Format::Json) => {
            let line = output::error_line(Format::Json, &err.to_string(), None);
            let _ = writeln!(stderr, "{line}");
        }
    }
}

/// Runs the CLI on `args` (including the program name), printing to the
/// given streams without colour; returns the exit code.
pub fn run<I, T>(args: I, stdout: &mut dyn Write, stderr: &mut dyn Write) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    run_with_terminal(args, stdout, stderr, false)
}

/// [`run`], where `stderr_is_terminal` enables colour under `--color auto`.
pub fn run_with_terminal<I, T>(
    args: I,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
    stderr_is_terminal: bool,
) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    let format = output::requested_format(&args);
    let (mut stdout, mut stderr) = (Tracked::new(stdout), Tracked::new(stderr));
    let code = dispatch(args, format, &mut stdout, &mut stderr, stderr_is_terminal);
    output::finish(code, format, &mut stdout, &mut stderr)
}

/// Parses the arguments and runs the command; returns the exit code.
fn dispatch(
    args: Vec<OsString>,
    format: Format,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
    stderr_is_terminal: bool,
) -> i32 {
    let mut cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_ERROR } else { EXIT_OK };
            let text = e.render().to_string();
            let _ = if !e.use_stderr() {
                write!(stdout, "{text}")
            } else if format == Format::Json {
                writeln!(stderr, "{}", output::usage_json(&text))
            } else {
                write!(stderr, "{text}")
            };
            return code;
        }
    };
    if let Some(common) = cli.command.common_mut() {
        common.stderr_is_terminal = stderr_is_terminal;
    }
    // The lockfile check runs first; a mismatch or error ends the run.
    if let Command::Check {
        common,
        lockfile: Some(lockfile),
        ..
    } = &cli.command
    {
        let code =
            crate::lifecycle::cli::check_lockfile(&common.lexicons, lockfile, stdout, stderr);
        if code != EXIT_OK {
            return code;
        }
    }
    match cli.command {
        Command::Generate {
            common,
            output,
            timings,
        } => {
            let out = &output.out;
            match output.config(&common).generate_timed() {
                Ok((report, t)) => {
                    let _ = match common.format {
                        Format::Human => {
                            report_generated(&report, timings.then_some(&t), out, stdout, stderr)
                        }
                        Format::Json => {
                            let mut json = serde_json::json!({
                                "out": out.display().to_string(),
                                "written": report.written,
                                "unchanged": report.unchanged.len(),
                                "removed": report.removed,
                                "finished_interrupted_run": report.finished_interrupted_run,
                            });
                            if timings {
                                json["timings_ms"] = serde_json::json!({
                                    "parse": t.parse.as_secs_f64() * 1e3,
                                    "resolve": t.resolve.as_secs_f64() * 1e3,
                                    "emit": t.emit.as_secs_f64() * 1e3,
                                });
                            }
                            writeln!(stdout, "{json}")
                        }
                    };
                    EXIT_OK
                }
                Err(e) => {
                    report_error(&e, &common, stderr);
                    EXIT_ERROR
                }
            }
        }
        Command::Check { common, output, .. } => {
            let out = &output.out;
            match output.config(&common).check() {
                Ok(drift) if common.format == Format::Json => {
                    let json = serde_json::json!({
                        "out": out.display().to_string(),
                        "up_to_date": drift.is_clean(),
                        "missing": drift.missing,
                        "extra": drift.extra,
                        "changed": drift.changed.iter().map(|(path, diff)| {
                            serde_json::json!({"path": path, "diff": diff})
                        }).collect::<Vec<_>>(),
                    });
                    let _ = writeln!(stdout, "{json}");
                    if drift.is_clean() {
                        EXIT_OK
                    } else {
                        EXIT_DRIFT
                    }
                }
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
                    report_error(&e, &common, stderr);
                    EXIT_ERROR
                }
            }
        }
        Command::Validate {
            common,
            def,
            body,
            file,
            jsonl,
            document,
        } => {
            let mode = match (jsonl, document) {
                (true, _) => Mode::Lines,
                (_, true) => Mode::Document,
                _ => Mode::Auto,
            };
            let req = validate::Request {
                def: &def,
                body: body.map(Body::from),
                mode,
                file: &file,
            };
            validate::run(&common, &req, stdout, stderr)
        }
        Command::Breaking(args) => crate::breaking::run_cli(
            &args.lexicons,
            &args.against,
            args.format == Format::Json,
            stdout,
            stderr,
        ),
        Command::Install(args) => crate::lifecycle::cli::run_install(&args, stdout, stderr),
        Command::Publish(args) => crate::lifecycle::cli::run_publish(&args, stdout, stderr),
        Command::Lint { common } => match common.config().load_ir() {
            Ok(ir) => {
                let n = ir.lexicons.len();
                let _ = match common.format {
                    Format::Human => writeln!(stdout, "lexgen: {n} lexicons, no problems found"),
                    Format::Json => {
                        let report = serde_json::json!({"lexicons": n, "problems": 0});
                        writeln!(stdout, "{report}")
                    }
                };
                EXIT_OK
            }
            Err(e) => {
                report_error(&e, &common, stderr);
                EXIT_ERROR
            }
        },
    }
}
