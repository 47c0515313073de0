//! Diagnostics: one problem in one lexicon file, located by JSON path and,
//! where the text is at hand, by line and column.

use crate::lexicon::path::JsonPath;
use std::fmt;
use std::path::PathBuf;

/// A problem found in the lexicons.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// The file, as found under the lexicon directory.
    pub file: PathBuf,
    /// 1-based line and column of the node, when known.
    pub position: Option<(usize, usize)>,
    /// JSON path of the node inside the file.
    pub json_path: JsonPath,
    /// What is wrong, and what was expected.
    pub message: String,
    /// How to fix it, when there is an obvious fix.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A diagnostic without position; see [`Diagnostic::locate`].
    pub fn new(file: impl Into<PathBuf>, json_path: JsonPath, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.into(),
            position: None,
            json_path,
            message: message.into(),
            help: None,
        }
    }

    /// Adds a suggested fix.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Fills in the line and column from the file's text.
    pub fn locate(mut self, text: &str) -> Self {
        if self.position.is_none() {
            self.position = crate::lexicon::path::locate(text, &self.json_path);
        }
        self
    }

    /// The diagnostic as a JSON object (for `--format json`).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "file": self.file.display().to_string(),
            "line": self.position.map(|p| p.0),
            "column": self.position.map(|p| p.1),
            "path": self.json_path.to_string(),
            "message": self.message,
            "help": self.help,
        })
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some((line, col)) = self.position {
            write!(f, ":{line}:{col}")?;
        }
        write!(f, ": {}: {}", self.json_path, self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// Several diagnostics, displayed one per line.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "error: {d}")?;
        }
        if self.0.len() > 1 {
            write!(f, "\n{} errors", self.0.len())?;
        }
        Ok(())
    }
}
