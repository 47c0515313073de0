//! Reading data to validate: one JSON document, or JSON Lines streamed one
//! line at a time (memory does not grow with the number of lines).
//!
//! # Document or JSON Lines?
//!
//! Unless forced ([`Mode::Lines`], [`Mode::Document`]), the first non-blank
//! line decides ([`Mode::Auto`]):
//!
//! - it is a complete JSON value: JSON Lines (a one-line document is a file
//!   of one line, so nothing is lost);
//! - it ends in the middle of a value (a pretty-printed document's `{`): one
//!   document spanning lines, and its syntax error, if any, is reported once
//!   with its line and column (never as one error per line);
//! - it is broken before its end (`{"a": 1,,`): the next non-blank line
//!   decides: a complete value means JSON Lines with a bad first line,
//!   anything else one broken document.
//!
//! A UTF-8 byte order mark at the start is skipped (as for lexicon files).
//! In JSON Lines, a line that is not UTF-8 is one invalid value, reported
//! with its line and column, and the other lines are still read.

use super::json::Json;
use std::io::{self, BufRead};

/// How to split the input into values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Decide from the first line (see the module docs).
    #[default]
    Auto,
    /// One JSON value per line; blank lines are skipped.
    Lines,
    /// The whole input is one JSON value.
    Document,
}

/// One value of the input.
#[derive(Debug)]
pub struct Value {
    /// The 1-based line where the value starts.
    pub line: usize,
    /// The value, or why it is not JSON (`expected value at line 4 column 9`,
    /// with the line and column in the whole input).
    pub json: Result<Json, NotJson>,
}

/// Why a value of the input is not JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotJson(String);

impl std::fmt::Display for NotJson {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The values of `reader`, in order; an I/O error ends them.
pub fn values<R: BufRead>(reader: R, mode: Mode) -> Values<R> {
    Values {
        reader,
        state: State::Start(mode),
        line: 0,
        buf: Vec::new(),
    }
}

/// The iterator returned by [`values`].
#[derive(Debug)]
pub struct Values<R> {
    reader: R,
    state: State,
    /// Lines read so far.
    line: usize,
    /// The current line (reused, so a long run allocates once).
    buf: Vec<u8>,
}

#[derive(Debug)]
enum State {
    Start(Mode),
    /// A line read ahead while deciding, to yield before reading more.
    Lines(Option<(usize, Vec<u8>)>),
    Done,
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

impl<R: BufRead> Iterator for Values<R> {
    type Item = io::Result<Value>;

    fn next(&mut self) -> Option<io::Result<Value>> {
        let result = match std::mem::replace(&mut self.state, State::Done) {
            State::Start(mode) => self.start(mode),
            State::Lines(Some((line, bytes))) => {
                self.state = State::Lines(None);
                Ok(Some(line_value(&bytes, line)))
            }
            State::Lines(None) => self.next_line().map(|found| {
                self.state = State::Lines(None);
                found.then(|| line_value(&self.buf, self.line))
            }),
            State::Done => Ok(None),
        };
        match result {
            Ok(value) => value.map(Ok),
            Err(e) => {
                self.state = State::Done;
                Some(Err(e))
            }
        }
    }
}

impl<R: BufRead> Values<R> {
    /// Reads up to the first non-blank line and decides the mode.
    fn start(&mut self, mode: Mode) -> io::Result<Option<Value>> {
        // Everything read so far, kept in case the input is one document.
        let mut head = Vec::new();
        loop {
            if !self.read_line()? {
                return Ok(None);
            }
            if self.line == 1 && self.buf.starts_with(BOM) {
                self.buf.drain(..BOM.len());
            }
            head.extend_from_slice(&self.buf);
            if !is_blank(&self.buf) {
                break;
            }
        }
        let first = self.line;
        let lines = match mode {
            Mode::Lines => true,
            Mode::Document => false,
            Mode::Auto => match complete(trim_newline(&self.buf)) {
                Complete::Yes => true,
                Complete::Unfinished => false,
                Complete::Broken => {
                    let first_bytes = std::mem::take(&mut self.buf);
                    while self.read_line()? {
                        head.extend_from_slice(&self.buf);
                        if is_blank(&self.buf) {
                            continue;
                        }
                        if complete(trim_newline(&self.buf)) == Complete::Yes {
                            let next = (self.line, std::mem::take(&mut self.buf));
                            self.state = State::Lines(Some(next));
                            return Ok(Some(line_value(&first_bytes, first)));
                        }
                        break;
                    }
                    false
                }
            },
        };
        if lines {
            self.state = State::Lines(None);
            return Ok(Some(line_value(&self.buf, first)));
        }
        self.reader.read_to_end(&mut head)?;
        let json = serde_json::from_slice::<Json>(&head).map_err(|e| NotJson(not_json(&e, 0)));
        Ok(Some(Value { line: first, json }))
    }

    /// Reads the next line into `buf`; false at the end of the input.
    fn read_line(&mut self) -> io::Result<bool> {
        self.buf.clear();
        let n = self.reader.read_until(b'\n', &mut self.buf)?;
        self.line += usize::from(n > 0);
        Ok(n > 0)
    }

    /// Reads up to the next non-blank line; false at the end of the input.
    fn next_line(&mut self) -> io::Result<bool> {
        while self.read_line()? {
            if !is_blank(&self.buf) {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

/// One line of JSON Lines as a value.
fn line_value(bytes: &[u8], line: usize) -> Value {
    let bytes = trim_newline(bytes);
    let json = match std::str::from_utf8(bytes) {
        Ok(text) => serde_json::from_str::<Json>(text).map_err(|e| not_json(&e, line - 1)),
        Err(e) => Err(format!(
            "not UTF-8: invalid byte at line {line} column {}",
            e.valid_up_to() + 1
        )),
    };
    Value {
        line,
        json: json.map_err(NotJson),
    }
}

/// Whether a line holds one complete JSON value.
#[derive(Debug, PartialEq, Eq)]
enum Complete {
    Yes,
    /// The line ends inside a value.
    Unfinished,
    /// A syntax error before the line's end.
    Broken,
}

fn complete(line: &[u8]) -> Complete {
    // Invalid UTF-8 makes a line invalid, not unfinished: judge its shape.
    let text = String::from_utf8_lossy(line);
    match serde_json::from_str::<serde::de::IgnoredAny>(&text) {
        Ok(_) => Complete::Yes,
        Err(e) if e.is_eof() => Complete::Unfinished,
        Err(_) => Complete::Broken,
    }
}

/// JSON whitespace only (a blank line of JSON Lines).
fn is_blank(line: &[u8]) -> bool {
    line.iter()
        .all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
}

fn trim_newline(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// `not JSON: <serde_json's message>`, its line moved down by `line_offset`
/// to a line of the whole input.
fn not_json(e: &serde_json::Error, line_offset: usize) -> String {
    let text = e.to_string();
    let position = format!(" at line {} column {}", e.line(), e.column());
    match text.strip_suffix(&position) {
        Some(message) => format!(
            "not JSON: {message} at line {} column {}",
            e.line() + line_offset,
            e.column()
        ),
        None => format!("not JSON: {text}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (line, "ok" or the error) for each value of `text`.
    fn read(text: &[u8], mode: Mode) -> Vec<(usize, String)> {
        values(text, mode)
            .map(|v| {
                let v = v.expect("no I/O error");
                let what = match v.json {
                    Ok(_) => "ok".to_owned(),
                    Err(e) => e.to_string(),
                };
                (v.line, what)
            })
            .collect()
    }

    fn ok(line: usize) -> (usize, String) {
        (line, "ok".to_owned())
    }

    fn err(line: usize, message: &str) -> (usize, String) {
        (line, message.to_owned())
    }

    #[test]
    fn one_line_values_are_json_lines() {
        assert_eq!(
            read(b"1\n\n  \n{\"a\": 2}\r\n[3]", Mode::Auto),
            [ok(1), ok(4), ok(5)]
        );
        assert_eq!(read(b"", Mode::Auto), []);
        assert_eq!(read(b"\n \n", Mode::Auto), []);
    }

    #[test]
    fn a_pretty_document_is_one_value_and_its_error_is_reported_once() {
        assert_eq!(read(b"\n{\n  \"a\": [1,\n 2]\n}\n", Mode::Auto), [ok(2)]);
        let missing_comma = b"{\n  \"a\": 1\n  \"b\": 2,\n  \"c\": 3\n}\n";
        assert_eq!(
            read(missing_comma, Mode::Auto),
            [err(1, "not JSON: expected `,` or `}` at line 3 column 3")]
        );
        assert_eq!(
            read(b"[\n1,\n2\n", Mode::Auto),
            [err(
                1,
                "not JSON: EOF while parsing a list at line 4 column 0"
            )]
        );
    }

    #[test]
    fn a_broken_first_line_is_decided_by_the_next() {
        assert_eq!(
            read(b"{\"a\": 1,,\n  \"b\": 2\n}", Mode::Auto),
            [err(1, "not JSON: key must be a string at line 1 column 9")]
        );
        assert_eq!(
            read(b"{\"a\": oops}\n\n{\"a\": 1}\n2", Mode::Auto),
            [
                err(1, "not JSON: expected value at line 1 column 7"),
                ok(3),
                ok(4)
            ]
        );
        assert_eq!(
            read(b"{\"a\": oops}", Mode::Auto),
            [err(1, "not JSON: expected value at line 1 column 7")]
        );
    }

    #[test]
    fn bad_utf8_is_one_invalid_line() {
        assert_eq!(
            read(b"1\n2\n3\n\"a\xFFb\"\n5\n", Mode::Auto),
            [
                ok(1),
                ok(2),
                ok(3),
                err(4, "not UTF-8: invalid byte at line 4 column 3"),
                ok(5)
            ]
        );
        assert_eq!(
            read(b"\"\xC3\"\n2", Mode::Auto),
            [err(1, "not UTF-8: invalid byte at line 1 column 2"), ok(2)]
        );
    }

    #[test]
    fn a_byte_order_mark_is_skipped() {
        assert_eq!(
            read(b"\xEF\xBB\xBF{\"a\": 1}\n2", Mode::Auto),
            [ok(1), ok(2)]
        );
        assert_eq!(read(b"\xEF\xBB\xBF{\n}", Mode::Auto), [ok(1)]);
        assert_eq!(
            read(b"1\n\xEF\xBB\xBF2", Mode::Auto)[1],
            err(2, "not JSON: expected value at line 2 column 1")
        );
    }

    #[test]
    fn modes_can_be_forced() {
        assert_eq!(
            read(b"{\n}", Mode::Lines),
            [
                err(
                    1,
                    "not JSON: EOF while parsing an object at line 1 column 1"
                ),
                err(2, "not JSON: expected value at line 2 column 1")
            ]
        );
        assert_eq!(
            read(b"1\n2", Mode::Document),
            [err(1, "not JSON: trailing characters at line 2 column 1")]
        );
        assert_eq!(read(b"\n\n[1,\n2]", Mode::Document), [ok(3)]);
    }
}
