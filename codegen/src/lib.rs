//! lexgen: AT Protocol Lexicon schemas to validated Rust types.
//!
//! The pipeline, one module per stage:
//! [`lexicon`] (read and parse files) -> [`ir`] (resolve names, refs and
//! constraints) -> [`emit`] (Rust items with `quote`, rendered by
//! [`render`] with prettyplease) -> [`write`](mod@write) (manifest, lock,
//! all-or-nothing commit) or
//! [`check`] (drift against disk).
//!
//! # From a `build.rs` or a tool
//!
//! ```no_run
//! let report = atproto_lexgen::Config::new()
//!     .lexicons("lexicons")
//!     .out_dir("generated")
//!     .crate_name("my-atproto-types")
//!     .generate()?;
//! println!("{} files written", report.written.len());
//! # Ok::<(), atproto_lexgen::Error>(())
//! ```
//!
//! [`Config::check`] reports drift instead of writing; [`Config::render`]
//! returns the files in memory.
//!
//! To generate the types inside your own crate instead of as a separate
//! crate, write one file into `OUT_DIR` and include it (your crate then
//! depends on `atproto-lexgen-runtime`, `serde` and `serde_json`):
//!
//! ```no_run
//! // In build.rs's `main`:
//! println!("cargo::rerun-if-changed=lexicons");
//! let out_dir = std::env::var("OUT_DIR").expect("set by cargo");
//! atproto_lexgen::Config::new()
//!     .lexicons("lexicons")
//!     .out_dir(out_dir)
//!     .single_file("atproto.rs", "crate::atproto")
//!     .generate()
//!     .expect("lexicons are valid");
//! // In src/lib.rs:
//! // pub mod atproto { include!(concat!(env!("OUT_DIR"), "/atproto.rs")); }
//! ```
//!
//! `tests/downstream/` in the lexgen repository is a crate built this way.

pub mod breaking;
pub mod check;
pub mod cli;
pub mod crate_name;
pub mod datacheck;
pub mod diagnostic;
pub mod emit;
pub mod ir;
pub mod lexicon;
pub mod lifecycle;
pub mod names;
pub mod render;
mod suggest;
pub mod write;

/// The runtime crate, which generated crates depend on and `lexgen validate`
/// applies.
pub use atproto_lexgen_runtime as runtime;

use diagnostic::Diagnostics;
use emit::{CrateOptions, Externs, GeneratedFile, RuntimeSource};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use check::Drift;
pub use write::WriteReport;

/// Anything that stops generation.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The lexicons are invalid (every problem found is listed).
    #[error("{0}")]
    Lexicon(Diagnostics),
    /// The emitter produced invalid Rust (a bug in lexgen).
    #[error(transparent)]
    Render(#[from] render::RenderError),
    /// The output could not be read or written.
    #[error(transparent)]
    Write(#[from] write::WriteError),
    /// The crate name is not one cargo accepts.
    #[error(transparent)]
    CrateName(#[from] crate_name::CrateNameError),
    /// The settings are inconsistent (a bad extern path, a missing extern
    /// crate dependency, a root path that is not a Rust path).
    #[error("invalid configuration: {0}")]
    Config(String),
}

/// Time spent in each stage of a run.
#[derive(Debug, Clone, Copy, Default)]
pub struct Timings {
    /// Reading and parsing files.
    pub parse: Duration,
    /// Resolving into the IR.
    pub resolve: Duration,
    /// Emitting and rendering Rust.
    pub emit: Duration,
}

/// Generator settings, in the manner of `prost_build::Config`.
#[derive(Debug, Clone)]
pub struct Config {
    /// Lexicon directories; `lexicons/` when none is given.
    lexicons: Vec<PathBuf>,
    out_dir: PathBuf,
    crate_options: CrateOptions,
    /// `(file name, root module path)` in single-file mode.
    single_file: Option<(String, String)>,
    /// A local runtime crate directory, instead of crates.io.
    runtime_path: Option<PathBuf>,
    /// `(NSID prefix, Rust path)` of namespaces emitted elsewhere.
    externs: Vec<(String, String)>,
    /// Single-file mode: also emit the `records` enum.
    records: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            lexicons: Vec::new(),
            out_dir: PathBuf::from("generated"),
            crate_options: CrateOptions::default(),
            single_file: None,
            runtime_path: None,
            externs: Vec::new(),
            records: false,
        }
    }
}

impl Config {
    /// Defaults: lexicons from `lexicons/`, output to `generated/`, crate `atproto-types`.
    pub fn new() -> Self {
        Self::default()
    }

    /// A directory holding lexicon JSON files (laid out by NSID). Call it
    /// once per directory; lexicons from all of them are resolved together
    /// (`lexicons/` is the default when it is never called).
    pub fn lexicons(&mut self, dir: impl Into<PathBuf>) -> &mut Self {
        self.lexicons.push(dir.into());
        self
    }

    /// Says that the lexicons under NSID prefix `prefix` (`com.atproto`)
    /// have their types in another crate, at Rust path `path`
    /// (`atproto_types::com::atproto`), as prost-build's `extern_path` does.
    /// Their lexicons must still be among the loaded ones (refs into them
    /// are resolved and checked), but nothing is emitted for them, even for
    /// a lexicon file of that namespace in a local directory; refs use
    /// `path`. The other crate must have been generated by this lexgen from
    /// the same lexicons of that namespace, so that its module and type
    /// names are the ones computed here. Longest prefix wins.
    ///
    /// In crate mode, the crate `path` starts with needs a dependency spec
    /// ([`Config::extern_crate`]); the generated crate's namespace features
    /// then enable the extern crate's features for the namespaces they use.
    pub fn extern_path(&mut self, prefix: impl Into<String>, path: impl Into<String>) -> &mut Self {
        self.externs.push((prefix.into(), path.into()));
        self
    }

    /// The generated `Cargo.toml`'s dependency on package `package`, which
    /// an extern path names (`atproto-types` for `atproto_types::...`):
    /// `spec` is a version requirement (`0.1`) or a TOML inline table
    /// (`{ path = "../generated", default-features = false }`, a path being
    /// relative to the generated crate). With `default-features = false`,
    /// only the namespaces the crate uses are compiled.
    pub fn extern_crate(
        &mut self,
        package: impl Into<String>,
        spec: impl Into<String>,
    ) -> &mut Self {
        self.crate_options
            .extern_crates
            .push((package.into(), spec.into()));
        self
    }

    /// Takes `atproto-lexgen-runtime` from the directory `dir` (a checkout
    /// of lexgen's `codegen/runtime`) instead of crates.io: the generated
    /// `Cargo.toml` gets `path` (relative to the output directory) besides
    /// the version. Without it, the runtime comes from crates.io at this
    /// lexgen's version.
    pub fn runtime_path(&mut self, dir: impl Into<PathBuf>) -> &mut Self {
        self.runtime_path = Some(dir.into());
        self
    }

    /// The directory the generated crate is written to.
    pub fn out_dir(&mut self, dir: impl Into<PathBuf>) -> &mut Self {
        self.out_dir = dir.into();
        self
    }

    /// The generated crate's package name.
    pub fn crate_name(&mut self, name: impl Into<String>) -> &mut Self {
        self.crate_options.name = name.into();
        self
    }

    /// The generated crate's version.
    pub fn crate_version(&mut self, version: impl Into<String>) -> &mut Self {
        self.crate_options.version = version.into();
        self
    }

    /// Writes one file `file_name` of nested modules instead of a crate, for
    /// `include!` at module path `root` (e.g. `crate::atproto`) of the
    /// including crate. See the crate docs for a `build.rs` example.
    pub fn single_file(
        &mut self,
        file_name: impl Into<String>,
        root: impl Into<String>,
    ) -> &mut Self {
        self.single_file = Some((file_name.into(), root.into()));
        self
    }

    /// In single-file mode, also emits the `records` module: `Record`, the
    /// enum of the file's record types by `$type` (with a `Data` fallback),
    /// as repositories and the firehose read them (`cbor::FromData`). The
    /// including crate must then enable the runtime's `cbor` feature. A
    /// generated crate always has the module, behind its own `cbor` feature.
    pub fn single_file_records(&mut self, records: bool) -> &mut Self {
        self.records = records;
        self
    }

    /// The output directory.
    pub fn get_out_dir(&self) -> &Path {
        &self.out_dir
    }

    /// The lexicon directories: those given, else `lexicons`.
    fn lexicon_dirs(&self) -> Vec<PathBuf> {
        if self.lexicons.is_empty() {
            vec![PathBuf::from("lexicons")]
        } else {
            self.lexicons.clone()
        }
    }

    /// Reads and resolves the lexicons into the IR.
    pub fn load_ir(&self) -> Result<ir::Ir, Error> {
        self.load_ir_timed(&mut Timings::default())
    }

    fn load_ir_timed(&self, timings: &mut Timings) -> Result<ir::Ir, Error> {
        let start = Instant::now();
        let dirs = self.lexicon_dirs();
        let loaded = lexicon::load_dirs(&dirs);
        if loaded.files.is_empty() && loaded.errors.is_empty() {
            // Generating nothing would remove every module of the crate.
            let diag = diagnostic::Diagnostic::new(
                &dirs[0],
                lexicon::path::JsonPath::root(),
                "no lexicon files (*.json) found",
            )
            .with_help("pass the directory holding the lexicons with --lexicons DIR");
            return Err(Error::Lexicon(Diagnostics(vec![diag])));
        }
        timings.parse = start.elapsed();
        let start = Instant::now();
        let ir = ir::resolve_loaded(&loaded).map_err(|d| Error::Lexicon(Diagnostics(d)))?;
        timings.resolve = start.elapsed();
        Ok(ir)
    }

    /// Reads and resolves the lexicons that data of `def` (`NSID[#name]`)
    /// needs: all of them when they all resolve, else the closure of the
    /// def's lexicon, with the other lexicons' problems set aside (see
    /// [`datacheck::load_for_def`]). For `lexgen validate`.
    pub fn load_ir_for_def(&self, def: &str) -> Result<datacheck::DefLexicons, Error> {
        datacheck::load_for_def(&self.lexicon_dirs(), def)
            .map_err(|d| Error::Lexicon(Diagnostics(d)))
    }

    /// Generates every file in memory (a crate's include its
    /// `.lexgen-manifest`, the list of the others).
    pub fn render(&self) -> Result<Vec<GeneratedFile>, Error> {
        self.render_timed().map(|(files, _)| files)
    }

    /// Generates every file in memory, timing each stage.
    pub fn render_timed(&self) -> Result<(Vec<GeneratedFile>, Timings), Error> {
        let mut timings = Timings::default();
        if self.single_file.is_none() {
            crate_name::validate(&self.crate_options.name)?;
        }
        let externs = Externs::new(&self.externs).map_err(Error::Config)?;
        let ir = self.load_ir_timed(&mut timings)?;
        let start = Instant::now();
        let files = match &self.single_file {
            Some((file, root)) => {
                let root: syn::Path = syn::parse_str(root).map_err(|e| {
                    Error::Config(format!("single-file root {root:?} is not a Rust path: {e}"))
                })?;
                vec![emit::emit_single_file(
                    &ir,
                    file,
                    &root,
                    &externs,
                    self.records,
                )?]
            }
            None => {
                emit::check_extern_crates(&externs, &self.crate_options.extern_crates)
                    .map_err(Error::Config)?;
                let options = self.crate_options_for_out_dir()?;
                let files = emit::emit_crate(&ir, &options, &externs)?;
                let inputs = self.fingerprint(&options);
                write::fingerprint::with_manifest(files, inputs.as_deref())
            }
        };
        timings.emit = start.elapsed();
        Ok((files, timings))
    }

    /// The crate options with the runtime path made relative to the output
    /// directory (both taken from the current directory when relative).
    fn crate_options_for_out_dir(&self) -> Result<CrateOptions, Error> {
        let mut options = self.crate_options.clone();
        if let Some(runtime) = &self.runtime_path {
            let cwd = std::env::current_dir()
                .map_err(|e| Error::Config(format!("cannot read the current directory: {e}")))?;
            let path = emit::relative_path(&cwd.join(&self.out_dir), &cwd.join(runtime));
            options.runtime = RuntimeSource::Path(path);
        }
        Ok(options)
    }

    /// Generates the crate and writes it; nothing is written unless every
    /// lexicon is valid and every file rendered.
    pub fn generate(&self) -> Result<WriteReport, Error> {
        self.generate_timed().map(|(report, _)| report)
    }

    /// [`Config::generate`], timing each stage.
    pub fn generate_timed(&self) -> Result<(WriteReport, Timings), Error> {
        self.check_overlap()?;
        let (files, timings) = self.render_timed()?;
        let report = write::write_files(&self.out_dir, &files, self.layout())?;
        Ok((report, timings))
    }

    /// The fingerprint of this run's inputs (see [`write::fingerprint`]):
    /// everything the crate's text depends on.
    fn fingerprint(&self, options: &CrateOptions) -> Option<String> {
        let options = format!("{options:?} {:?}", self.externs);
        write::fingerprint::inputs(&options, &self.lexicon_dirs())
    }

    /// Compares what [`Config::generate`] would write with the output
    /// directory. A crate whose manifest records this run's fingerprint and
    /// whose files still hash to it is confirmed without generating.
    pub fn check(&self) -> Result<Drift, Error> {
        self.check_overlap()?;
        if self.single_file.is_none() && self.is_unchanged()? {
            return Ok(Drift::default());
        }
        let files = self.render()?;
        Ok(check::compare(&self.out_dir, &files, self.layout())?)
    }

    /// Whether the crate in the output directory is what a run with these
    /// inputs wrote and still holds it, judged from its manifest's
    /// fingerprint without generating (read under the shared lock, as the
    /// full comparison is). `false` means "not confirmed": [`Config::check`]
    /// then compares in full.
    pub fn is_unchanged(&self) -> Result<bool, Error> {
        crate_name::validate(&self.crate_options.name)?;
        let Some(inputs) = self.fingerprint(&self.crate_options_for_out_dir()?) else {
            return Ok(false);
        };
        let _lock = write::lock::shared(&self.out_dir)?;
        Ok(!write::transaction::journal_exists(&self.out_dir)
            && write::fingerprint::unchanged(&self.out_dir, &inputs))
    }

    /// Refuses an output directory inside a lexicon directory, or around one.
    fn check_overlap(&self) -> Result<(), Error> {
        for dir in self.lexicon_dirs() {
            write::check_overlap(&dir, &self.out_dir)?;
        }
        Ok(())
    }

    /// Single-file output goes into a directory shared with other build
    /// output: no manifest, nothing else there looked at or removed.
    fn layout(&self) -> write::Layout {
        match self.single_file {
            Some(_) => write::Layout::Shared,
            None => write::Layout::Crate,
        }
    }
}
