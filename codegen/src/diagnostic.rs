//! Diagnostics: one problem in one lexicon file, located by JSON path and,
//! where the text is at hand, by line and column, with the source line shown
//! under it in the manner of rustc:
//!
//! ```text
//! error: unknown type "strng"
//!  --> lexicons/com/example/post.json:8:27, at defs.main.properties.text.type
//!   |
//! 8 |         "text": { "type": "strng", "maxLength": 300 }
//!   |                           ^
//!   = help: did you mean "string"?
//! ```

use crate::lexicon::path::JsonPath;
use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};
use unicode_width::UnicodeWidthStr;

/// Unicode bidirectional controls: they can make text read differently
/// from what it is, so they never reach a terminal or a generated source
/// file raw (rustc even denies them in comments).
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `text` with control characters (but `keep`) and bidi controls written
/// as escapes (`\u{1b}`), so that a file name cannot drive the terminal.
fn printable(text: &str, keep: &[char]) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if (c.is_control() && !keep.contains(&c)) || is_bidi_control(c) {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
}

/// A path as shown in a diagnostic.
fn shown_path(path: &Path) -> String {
    printable(&path.display().to_string(), &[])
}

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
    /// The source line at `position`, cut to a window around the column
    /// (boxed: diagnostics travel in `Result`s and should stay small).
    pub excerpt: Option<Box<Excerpt>>,
}

/// A piece of one source line, with the column to mark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excerpt {
    /// The text shown (tabs, control and bidi characters made spaces; long
    /// lines cut, with `...` where they were cut).
    pub text: String,
    /// 0-based character index of the marked column within `text` (the
    /// caret is drawn at its display width: CJK and emoji take two columns).
    pub caret: usize,
}

/// Lines up to this many characters are shown whole; longer ones are cut to
/// `CONTEXT` characters on each side of the marked column.
const WHOLE: usize = 100;
const CONTEXT: usize = 50;

impl Excerpt {
    /// The excerpt of `line` around the 1-based character column `col`.
    pub fn of_line(line: &str, col: usize) -> Excerpt {
        let chars: Vec<char> = line
            .trim_end_matches(['\r', '\n'])
            .chars()
            .map(|c| {
                if c.is_control() || is_bidi_control(c) {
                    ' '
                } else {
                    c
                }
            })
            .collect();
        let col = col.saturating_sub(1).min(chars.len());
        let (start, end) = if chars.len() <= WHOLE {
            (0, chars.len())
        } else {
            (col.saturating_sub(CONTEXT), chars.len().min(col + CONTEXT))
        };
        let mut text = String::new();
        if start > 0 {
            text.push_str("...");
        }
        text.extend(chars.get(start..end).unwrap_or_default());
        if end < chars.len() {
            text.push_str("...");
        }
        let caret = col - start + if start > 0 { 3 } else { 0 };
        Excerpt { text, caret }
    }

    /// Terminal columns before the caret.
    pub fn caret_width(&self) -> usize {
        let before: String = self.text.chars().take(self.caret).collect();
        before.width()
    }
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
            excerpt: None,
        }
    }

    /// Adds a suggested fix.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Fills in the line and column from the file's text (unless already
    /// known), and the excerpt of that line.
    pub fn locate(mut self, text: &str) -> Self {
        if self.position.is_none() {
            self.position = crate::lexicon::path::locate(text, &self.json_path);
        }
        if let Some((line, col)) = self.position {
            self.excerpt = line
                .checked_sub(1)
                .and_then(|i| text.split('\n').nth(i))
                .map(|l| Box::new(Excerpt::of_line(l, col)));
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

    /// The diagnostic as text, with ANSI colours if `color` (for a terminal).
    pub fn render(&self, color: bool) -> String {
        let paint = |style: &str, text: &str| {
            if color {
                format!("\x1b[{style}m{text}\x1b[0m")
            } else {
                text.to_string()
            }
        };
        let (red, blue, cyan, bold) = ("1;31", "1;34", "1;36", "1");
        let mut out = String::new();
        let message = printable(&self.message, &['\n']);
        let _ = writeln!(
            out,
            "{}{}",
            paint(red, "error"),
            paint(bold, &format!(": {message}"))
        );
        let width = self.position.map_or(1, |(line, _)| line.to_string().len());
        let pad = " ".repeat(width);
        let file = shown_path(&self.file);
        let location = match self.position {
            Some((line, col)) => format!("{file}:{line}:{col}"),
            None => file,
        };
        let _ = write!(
            out,
            "{pad}{} {location}, at {}",
            paint(blue, "-->"),
            self.json_path
        );
        if let (Some(excerpt), Some((line, _))) = (&self.excerpt, self.position) {
            let bar = paint(blue, "|");
            let _ = write!(
                out,
                "\n{pad} {bar}\n{} {bar} {}\n{pad} {bar} {}{}",
                paint(blue, &line.to_string()),
                excerpt.text,
                " ".repeat(excerpt.caret_width()),
                paint(red, "^")
            );
        }
        if let Some(help) = &self.help {
            let _ = write!(
                out,
                "\n{pad} {} {}: {}",
                paint(blue, "="),
                paint(cyan, "help"),
                printable(help, &['\n'])
            );
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

/// Several diagnostics, separated by blank lines, with a count at the end.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// All diagnostics as text, with ANSI colours if `color` (use it only
    /// when writing to a terminal).
    pub fn render(&self, color: bool) -> String {
        let mut out = self
            .0
            .iter()
            .map(|d| d.render(color))
            .collect::<Vec<_>>()
            .join("\n\n");
        if self.0.len() > 1 {
            let count = format!("{} errors", self.0.len());
            let count = if color {
                format!("\x1b[1;31m{count}\x1b[0m")
            } else {
                count
            };
            let _ = write!(out, "\n\n{count}");
        }
        out
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Diagnostic {
        let text = "{\n  \"defs\": {\n\t\"main\": { \"type\": \"strng\" }\n  }\n}\n";
        let path = JsonPath::root().key("defs").key("main").key("type");
        Diagnostic::new("lexicons/a.json", path, "unknown type \"strng\"")
            .with_help("did you mean \"string\"?")
            .locate(text)
    }

    #[test]
    fn plain_rendering_shows_file_line_path_and_source() {
        let text = sample().render(false);
        let expected = [
            "error: unknown type \"strng\"",
            " --> lexicons/a.json:3:20, at defs.main.type",
            "  |",
            "3 |  \"main\": { \"type\": \"strng\" }",
            "  |                    ^",
            "  = help: did you mean \"string\"?",
        ];
        assert_eq!(text, expected.join("\n"));
        assert!(!text.contains('\x1b'));
    }

    #[test]
    fn colour_only_when_asked() {
        let coloured = sample().render(true);
        assert!(coloured.contains("\x1b[1;31merror\x1b[0m"));
        let stripped = coloured
            .split('\x1b')
            .enumerate()
            .map(|(i, part)| {
                if i == 0 {
                    part
                } else {
                    part.split_once('m').map_or(part, |(_, rest)| rest)
                }
            })
            .collect::<String>();
        assert_eq!(stripped, sample().render(false));
        let all = Diagnostics(vec![sample(), sample()]);
        assert!(all.render(false).ends_with("\n\n2 errors"));
        assert_eq!(all.to_string(), all.render(false));
    }

    #[test]
    fn the_caret_counts_display_columns() {
        let text = "{\n  \"日本語🙂\": { \"type\": \"strng\" }\n}\n";
        let path = JsonPath::root().key("日本語🙂").key("type");
        let d = Diagnostic::new("a.json", path, "unknown type").locate(text);
        let rendered = d.render(false);
        let lines: Vec<&str> = rendered.lines().collect();
        let source = lines[3]
            .split_once("| ")
            .map(|(_, s)| s)
            .unwrap_or_default();
        let caret = lines[4]
            .split_once("| ")
            .map(|(_, s)| s)
            .unwrap_or_default();
        let column = source.find("\"strng").expect("value");
        assert_eq!(source[..column].width(), caret.len() - 1, "{rendered}");
    }

    #[test]
    fn control_and_bidi_characters_in_paths_are_escaped() {
        let d = Diagnostic::new(
            "lex/\x1b[31mred\u{202E}.json",
            JsonPath::root(),
            "bad \x1b]0;title\x07",
        )
        .with_help("see \x1b[2J");
        let text = d.render(false);
        assert!(!text.contains('\x1b') && !text.contains('\u{202E}') && !text.contains('\x07'));
        assert!(text.contains("lex/\\u{1b}[31mred\\u{202e}.json"), "{text}");
        let line = Excerpt::of_line("a\u{202E}b", 3);
        assert_eq!(line.text, "a b");
    }

    #[test]
    fn long_lines_are_cut_around_the_column() {
        let line = format!("{}X{}", "a".repeat(500), "b".repeat(500));
        let e = Excerpt::of_line(&line, 501);
        assert!(e.text.starts_with("...") && e.text.ends_with("..."));
        assert_eq!(e.text.chars().nth(e.caret), Some('X'));
        let short = Excerpt::of_line("ab", 99);
        assert_eq!((short.text.as_str(), short.caret), ("ab", 2));
    }
}
