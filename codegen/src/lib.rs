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
//! depends on `serde`, `serde_json` and `unicode-segmentation`):
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
pub mod runtime;
mod suggest;
pub mod write;

use diagnostic::Diagnostics;
use emit::{CrateOptions, GeneratedFile};
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
    lexicons: PathBuf,
    out_dir: PathBuf,
    crate_options: CrateOptions,
    /// `(file name, root module path)` in single-file mode.
    single_file: Option<(String, String)>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            lexicons: PathBuf::from("lexicons"),
            out_dir: PathBuf::from("generated"),
            crate_options: CrateOptions::default(),
            single_file: None,
        }
    }
}

impl Config {
    /// Defaults: lexicons from `lexicons/`, output to `generated/`, crate `atproto-types`.
    pub fn new() -> Self {
        Self::default()
    }

    /// The directory holding lexicon JSON files (laid out by NSID).
    pub fn lexicons(&mut self, dir: impl Into<PathBuf>) -> &mut Self {
        self.lexicons = dir.into();
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

    /// The output directory.
    pub fn get_out_dir(&self) -> &Path {
        &self.out_dir
    }

    /// Reads and resolves the lexicons into the IR.
    pub fn load_ir(&self) -> Result<ir::Ir, Error> {
        self.load_ir_timed(&mut Timings::default())
    }

    fn load_ir_timed(&self, timings: &mut Timings) -> Result<ir::Ir, Error> {
        let start = Instant::now();
        let loaded = lexicon::load_dir_partial(&self.lexicons);
        if loaded.files.is_empty() && loaded.errors.is_empty() {
            // Generating nothing would remove every module of the crate.
            let diag = diagnostic::Diagnostic::new(
                &self.lexicons,
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
        datacheck::load_for_def(&self.lexicons, def).map_err(|d| Error::Lexicon(Diagnostics(d)))
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
        let ir = self.load_ir_timed(&mut timings)?;
        let start = Instant::now();
        let files = match &self.single_file {
            Some((file, root)) => vec![emit::emit_single_file(&ir, file, root)?],
            None => write::Layout::Crate.complete(&emit::emit_crate(&ir, &self.crate_options)?),
        };
        timings.emit = start.elapsed();
        Ok((files, timings))
    }

    /// Generates the crate and writes it; nothing is written unless every
    /// lexicon is valid and every file rendered.
    pub fn generate(&self) -> Result<WriteReport, Error> {
        self.generate_timed().map(|(report, _)| report)
    }

    /// [`Config::generate`], timing each stage.
    pub fn generate_timed(&self) -> Result<(WriteReport, Timings), Error> {
        write::check_overlap(&self.lexicons, &self.out_dir)?;
        let (files, timings) = self.render_timed()?;
        let report = write::write_files(&self.out_dir, &files, self.layout())?;
        Ok((report, timings))
    }

    /// Compares what [`Config::generate`] would write with the output directory.
    pub fn check(&self) -> Result<Drift, Error> {
        write::check_overlap(&self.lexicons, &self.out_dir)?;
        let files = self.render()?;
        Ok(check::compare(&self.out_dir, &files, self.layout())?)
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
