//! Where the CLI's reports go. A write that fails (a full disk, a closed
//! pipe) is remembered, so it ends the run with exit 2 instead of a silent
//! exit 0; under `--format json` every line, errors included, is one JSON
//! object.

use super::{Format, EXIT_ERROR};
use std::io::{self, Write};

/// A stream that remembers its first write error, so no command can lose
/// one (`let _ = writeln!(...)` included).
pub(super) struct Tracked<'a> {
    inner: &'a mut dyn Write,
    error: Option<io::Error>,
}

impl<'a> Tracked<'a> {
    pub(super) fn new(inner: &'a mut dyn Write) -> Self {
        Tracked { inner, error: None }
    }

    fn record<T>(&mut self, result: io::Result<T>) -> io::Result<T> {
        match result {
            Err(e) if e.kind() != io::ErrorKind::Interrupted => {
                let again = io::Error::new(e.kind(), e.to_string());
                self.error.get_or_insert(e);
                Err(again)
            }
            other => other,
        }
    }
}

impl Write for Tracked<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let result = self.inner.write(buf);
        self.record(result)
    }

    fn flush(&mut self) -> io::Result<()> {
        let result = self.inner.flush();
        self.record(result)
    }
}

/// Ends a run: flushes both streams, and turns a failed write into exit 2,
/// said on stderr when stderr still works.
pub(super) fn finish(code: i32, format: Format, out: &mut Tracked, err: &mut Tracked) -> i32 {
    let _ = out.flush();
    let out_failed = out.error.take().map(|e| {
        let message = format!("cannot write to standard output: {e}");
        let _ = writeln!(err, "{}", error_line(format, &message, None));
    });
    let _ = err.flush();
    if out_failed.is_some() || err.error.is_some() {
        EXIT_ERROR
    } else {
        code
    }
}

/// An error that is not a lexicon diagnostic: `lexgen: MESSAGE`, or under
/// `--format json` an object with a diagnostic's keys (`file` when the error
/// is about one, the others null).
pub(super) fn error_line(format: Format, message: &str, file: Option<&str>) -> String {
    match format {
        Format::Human => format!("lexgen: {message}"),
        Format::Json => serde_json::json!({
            "file": file,
            "line": null,
            "column": null,
            "path": null,
            "message": message,
            "help": null,
        })
        .to_string(),
    }
}

/// The format the raw arguments ask for: usage errors and write failures
/// are reported in it, even when the arguments do not parse.
pub(super) fn requested_format(args: &[std::ffi::OsString]) -> Format {
    let json = args
        .windows(2)
        .any(|w| w[0] == "--format" && w[1] == "json")
        || args.iter().any(|a| a == "--format=json");
    if json {
        Format::Json
    } else {
        Format::Human
    }
}

/// A usage error (clap's text) as one JSON object: clap's first paragraph
/// is the message (on one line), the rest (tip, usage) the help.
pub(super) fn usage_json(text: &str) -> String {
    let text = text.trim();
    let (first, rest) = text.split_once("\n\n").unwrap_or((text, ""));
    let first = first.strip_prefix("error: ").unwrap_or(first);
    let message = first.lines().map(str::trim).collect::<Vec<_>>().join(" ");
    let help = rest.trim();
    serde_json::json!({
        "file": null,
        "line": null,
        "column": null,
        "path": null,
        "message": message,
        "help": if help.is_empty() { None } else { Some(help) },
    })
    .to_string()
}
