//! `lexgen validate`: streams the input's values through a [`Validator`],
//! one output line per value as it is read.

use super::output::error_line;
use super::{report_error, Common, Format, EXIT_DRIFT, EXIT_ERROR, EXIT_OK};
use crate::datacheck::input::{self, Mode};
use crate::datacheck::{Body, Validator};
use crate::diagnostic::Diagnostic;
use crate::runtime::validate::ValidationError;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::Path;

/// What `validate` reads and checks.
pub(super) struct Request<'a> {
    pub(super) def: &'a str,
    pub(super) body: Option<Body>,
    pub(super) mode: Mode,
    pub(super) file: &'a Path,
}

/// Runs `lexgen validate`; a failed write to `stdout` ends it (exit 2,
/// reported by the caller, which tracks the stream).
pub(super) fn run(
    common: &Common,
    req: &Request<'_>,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> i32 {
    let format = common.format;
    let name = req.file.display().to_string();
    let cannot_read = |stderr: &mut dyn Write, e: io::Error| {
        let message = format!("cannot read {name}: {e}");
        let _ = writeln!(stderr, "{}", error_line(format, &message, Some(&name)));
        EXIT_ERROR
    };
    let reader: Box<dyn BufRead> = if req.file.as_os_str() == "-" {
        Box::new(io::stdin().lock())
    } else {
        match std::fs::File::open(req.file) {
            Ok(f) => Box::new(BufReader::with_capacity(1 << 16, f)),
            Err(e) => return cannot_read(stderr, e),
        }
    };
    let ir = match common.config().load_ir_for_def(req.def) {
        Ok(loaded) => {
            report_ignored(&loaded.ignored, req.def, common, stderr);
            loaded.ir
        }
        Err(e) => {
            report_error(&e, common, stderr);
            return EXIT_ERROR;
        }
    };
    let validator = match Validator::new(&ir, req.def, req.body) {
        Ok(v) => v,
        Err(e) => {
            let _ = writeln!(stderr, "{}", error_line(format, &e.to_string(), None));
            return EXIT_ERROR;
        }
    };
    let mut out = BufWriter::new(stdout);
    let (mut values, mut invalid) = (0usize, 0usize);
    for value in input::values(reader, req.mode) {
        let value = match value {
            Ok(value) => value,
            Err(e) => {
                let _ = out.flush();
                return cannot_read(stderr, e);
            }
        };
        let verdict = match &value.json {
            Ok(json) => validator.validate_json(json).map_err(Problem::Rule),
            Err(e) => Err(Problem::NotJson(e.to_string())),
        };
        values += 1;
        invalid += usize::from(verdict.is_err());
        if writeln!(out, "{}", result_line(format, value.line, &verdict)).is_err() {
            return EXIT_ERROR;
        }
    }
    if out.flush().is_err() {
        return EXIT_ERROR;
    }
    if values == 0 {
        let message = format!("no JSON value in {name}");
        let _ = writeln!(stderr, "{}", error_line(format, &message, Some(&name)));
        return EXIT_ERROR;
    }
    let summary = match format {
        Format::Human => format!(
            "lexgen: {values} value(s) checked against {}: {invalid} invalid",
            validator.name()
        ),
        Format::Json => serde_json::json!({
            "def": validator.name(),
            "values": values,
            "invalid": invalid,
        })
        .to_string(),
    };
    let _ = writeln!(stderr, "{summary}");
    if invalid == 0 {
        EXIT_OK
    } else {
        EXIT_DRIFT
    }
}

/// Why a value is invalid.
enum Problem {
    Rule(ValidationError),
    NotJson(String),
}

/// `ok` / `invalid PATH: RULE` / `invalid: not JSON: ...`; under `--format
/// json`, `{"line", "ok", "path", "message"}` (`path` is `""` for the value
/// itself, null when the value is valid or not JSON).
fn result_line(format: Format, line: usize, verdict: &Result<(), Problem>) -> String {
    match format {
        Format::Human => match verdict {
            Ok(()) => "ok".to_owned(),
            Err(Problem::Rule(e)) if e.path().is_empty() => format!("invalid: {}", e.rule()),
            Err(Problem::Rule(e)) => format!("invalid {e}"),
            Err(Problem::NotJson(message)) => format!("invalid: {message}"),
        },
        Format::Json => {
            let (path, message) = match verdict {
                Ok(()) => (None, None),
                Err(Problem::Rule(e)) => (Some(e.path()), Some(e.rule())),
                Err(Problem::NotJson(message)) => (None, Some(message.as_str())),
            };
            serde_json::json!({
                "line": line,
                "ok": verdict.is_ok(),
                "path": path,
                "message": message,
            })
            .to_string()
        }
    }
}

/// Problems of lexicons that `validate --def` does not need, as warnings.
fn report_ignored(ignored: &[Diagnostic], def: &str, common: &Common, stderr: &mut dyn Write) {
    for d in ignored {
        let line = match common.format {
            Format::Json => {
                let mut json = d.to_json();
                json["severity"] = "warning".into();
                json.to_string()
            }
            Format::Human => format!(
                "lexgen: warning: ignored, outside what {def} needs: {}",
                d.render(false).replacen("error: ", "", 1)
            ),
        };
        let _ = writeln!(stderr, "{line}");
    }
}
