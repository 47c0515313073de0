//! The `lexgen` command line (the binary is a thin wrapper around [`run`],
//! so tests drive the real CLI in-process).

use crate::datacheck::{Body, Json, Validator};
use crate::diagnostic::Diagnostics;
use crate::{Config, Error};
use clap::{Parser, Subcommand, ValueEnum};
use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};

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
    },
    /// Check the lexicons and report every problem, without generating.
    Lint {
        #[command(flatten)]
        common: Common,
    },
    /// Check JSON data against a lexicon def, without compiling anything.
    /// Prints one line per value (`ok`, or `invalid PATH: RULE`); exits 0
    /// if all are valid, 1 if any is invalid, 2 on usage or lexicon errors.
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
        /// One JSON document, or JSON Lines (one value per line); `-` reads
        /// standard input.
        #[arg(value_name = "FILE", default_value = "-")]
        file: PathBuf,
    },
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
    fn common_mut(&mut self) -> &mut Common {
        match self {
            Command::Generate { common, .. }
            | Command::Check { common, .. }
            | Command::Lint { common }
            | Command::Validate { common, .. } => common,
        }
    }
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
        _ => {
            let _ = writeln!(stderr, "{err}");
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
    let mut cli = match Cli::try_parse_from(args) {
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
    cli.command.common_mut().stderr_is_terminal = stderr_is_terminal;
    match cli.command {
        Command::Generate {
            common,
            output,
            timings,
        } => {
            let out = &output.out;
            match output.config(&common).generate_timed() {
                Ok((report, t)) => {
                    let total = report.written.len() + report.unchanged.len();
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
                    report_error(&e, &common, stderr);
                    EXIT_ERROR
                }
            }
        }
        Command::Check { common, output } => {
            let out = &output.out;
            match output.config(&common).check() {
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
        } => validate(&common, &def, body.map(Body::from), &file, stdout, stderr),
        Command::Lint { common } => match common.config().load_ir() {
            Ok(ir) => {
                let _ = writeln!(
                    stdout,
                    "lexgen: {} lexicons, no problems found",
                    ir.lexicons.len()
                );
                EXIT_OK
            }
            Err(e) => {
                report_error(&e, &common, stderr);
                EXIT_ERROR
            }
        },
    }
}

/// `lexgen validate`.
fn validate(
    common: &Common,
    def: &str,
    body: Option<Body>,
    file: &Path,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> i32 {
    let text = match read_input(file) {
        Ok(text) => text,
        Err(e) => {
            let _ = writeln!(stderr, "lexgen: cannot read {}: {e}", file.display());
            return EXIT_ERROR;
        }
    };
    let ir = match common.config().load_ir() {
        Ok(ir) => ir,
        Err(e) => {
            report_error(&e, common, stderr);
            return EXIT_ERROR;
        }
    };
    let validator = match Validator::new(&ir, def, body) {
        Ok(v) => v,
        Err(e) => {
            let _ = writeln!(stderr, "lexgen: {e}");
            return EXIT_ERROR;
        }
    };
    let values = documents(&text);
    if values.is_empty() {
        let _ = writeln!(stderr, "lexgen: no JSON value in {}", file.display());
        return EXIT_ERROR;
    }
    let mut invalid = 0;
    for value in &values {
        let line = match value {
            Ok(json) => match validator.validate_json(json) {
                Ok(()) => "ok".to_owned(),
                Err(e) if e.path().is_empty() => format!("invalid: {}", e.rule()),
                Err(e) => format!("invalid {e}"),
            },
            Err(syntax) => format!("invalid: not JSON: {syntax}"),
        };
        invalid += usize::from(line != "ok");
        let _ = writeln!(stdout, "{line}");
    }
    let _ = writeln!(
        stderr,
        "lexgen: {} value(s) checked against {}: {invalid} invalid",
        values.len(),
        validator.name()
    );
    if invalid == 0 {
        EXIT_OK
    } else {
        EXIT_DRIFT
    }
}

/// The file, or standard input for `-`.
fn read_input(file: &Path) -> std::io::Result<String> {
    if file.as_os_str() == "-" {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)?;
        Ok(text)
    } else {
        std::fs::read_to_string(file)
    }
}

/// The values of the input: one JSON document if the whole input is one,
/// else JSON Lines (blank lines skipped). A syntax error is kept in place
/// with its line number in the input. When no line is JSON on its own, the
/// input is a broken document: its one syntax error is reported.
fn documents(text: &str) -> Vec<Result<Json, String>> {
    let whole = match serde_json::from_str::<Json>(text) {
        Ok(json) => return vec![Ok(json)],
        Err(e) => e,
    };
    let lines: Vec<(usize, Result<Json, serde_json::Error>)> = text
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| (i, serde_json::from_str::<Json>(line)))
        .collect();
    if lines.is_empty() {
        return Vec::new();
    }
    if lines.len() > 1 && lines.iter().all(|(_, r)| r.is_err()) {
        return vec![Err(syntax_message(&whole, 0))];
    }
    lines
        .into_iter()
        .map(|(i, r)| r.map_err(|e| syntax_message(&e, i)))
        .collect()
}

/// A serde_json syntax error, its line shifted to a line of the input.
fn syntax_message(e: &serde_json::Error, line_offset: usize) -> String {
    let text = e.to_string();
    let position = format!(" at line {} column {}", e.line(), e.column());
    match text.strip_suffix(&position) {
        Some(message) => format!(
            "{message} at line {} column {}",
            e.line() + line_offset,
            e.column()
        ),
        None => text,
    }
}
