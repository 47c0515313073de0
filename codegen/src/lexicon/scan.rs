//! A pre-pass over the raw JSON text, before serde sees it, for the two
//! problems serde cannot report well:
//!
//! - nesting depth: schema nodes are re-parsed from raw text (see `parse.rs`),
//!   which resets serde_json's recursion limit at every level, so without
//!   this check a deeply nested file would overflow the stack;
//! - duplicate keys: serde_json keeps the last one silently, and derived
//!   structs ignore unknown keys (duplicated or not), so a typo'd second
//!   `"maxLength"` could hide the first. Reported at the second occurrence.
//!
//! The scan is iterative and total: on text that is not JSON it stops
//! quietly and leaves the syntax error to serde_json, which words it better.

use super::path::{skip_string, JsonPath, Segment};
use std::collections::BTreeSet;

/// Deepest nesting of objects and arrays accepted. The official lexicons
/// nest 9 deep; serde_json's own limit is 128. Every stage (and syn and
/// prettyplease) recurses per level, so this keeps the whole pipeline well
/// inside a 2 MiB thread stack even in a debug build.
pub const MAX_DEPTH: usize = 32;

/// What the scan found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScanIssue {
    /// Nesting deeper than [`MAX_DEPTH`] at this byte offset.
    TooDeep {
        /// Byte offset of the opening bracket that went too deep.
        offset: usize,
        /// Path of the container holding it.
        path: JsonPath,
    },
    /// A key that already occurred in the same object.
    DuplicateKey {
        /// Byte offset of the second occurrence of the key.
        offset: usize,
        /// Path of the duplicated member.
        path: JsonPath,
        /// The key.
        key: String,
    },
}

enum Frame {
    Object {
        keys: BTreeSet<String>,
        /// Key of the member being read.
        current: Option<String>,
    },
    Array {
        index: usize,
    },
}

fn path_of(stack: &[Frame]) -> JsonPath {
    JsonPath(
        stack
            .iter()
            .filter_map(|f| match f {
                Frame::Object { current, .. } => current.clone().map(Segment::Key),
                Frame::Array { index } => Some(Segment::Index(*index)),
            })
            .collect(),
    )
}

/// One step of the scan.
enum Step {
    Continue,
    Issue(ScanIssue),
    /// End of text, or text that is not JSON.
    Stop,
}

struct Scanner<'t> {
    b: &'t [u8],
    i: usize,
    stack: Vec<Frame>,
    /// Whether the next string in an object is a key (after `{` or `,`).
    expect_key: bool,
}

impl<'t> Scanner<'t> {
    fn new(text: &'t str) -> Self {
        Scanner {
            b: text.as_bytes(),
            i: 0,
            stack: Vec::new(),
            expect_key: false,
        }
    }

    fn step(&mut self) -> Step {
        self.try_step().unwrap_or(Step::Stop)
    }

    fn try_step(&mut self) -> Option<Step> {
        let c = *self.b.get(self.i)?;
        match c {
            b'{' | b'[' => {
                if self.stack.len() >= MAX_DEPTH {
                    return Some(Step::Issue(ScanIssue::TooDeep {
                        offset: self.i,
                        path: path_of(&self.stack),
                    }));
                }
                self.stack.push(if c == b'{' {
                    Frame::Object {
                        keys: BTreeSet::new(),
                        current: None,
                    }
                } else {
                    Frame::Array { index: 0 }
                });
                self.expect_key = c == b'{';
                self.i += 1;
            }
            b'}' | b']' => {
                self.stack.pop()?;
                self.expect_key = false;
                self.i += 1;
            }
            b',' => {
                match self.stack.last_mut()? {
                    Frame::Object { current, .. } => {
                        *current = None;
                        self.expect_key = true;
                    }
                    Frame::Array { index } => *index += 1,
                }
                self.i += 1;
            }
            b'"' => {
                let start = self.i;
                let end = skip_string(self.b, start)?;
                self.i = end;
                if self.expect_key {
                    self.expect_key = false;
                    // Keys are compared decoded: "a" and "\u0061" are the same key.
                    let key: String = serde_json::from_slice(self.b.get(start..end)?).ok()?;
                    if let Frame::Object { keys, current } = self.stack.last_mut()? {
                        *current = Some(key.clone());
                        if !keys.insert(key.clone()) {
                            return Some(Step::Issue(ScanIssue::DuplicateKey {
                                offset: start,
                                path: path_of(&self.stack),
                                key,
                            }));
                        }
                    }
                }
            }
            _ => self.i += 1,
        }
        Some(Step::Continue)
    }
}

/// Scans `text`; the first issue found, if any.
pub fn scan(text: &str) -> Option<ScanIssue> {
    let mut scanner = Scanner::new(text);
    loop {
        match scanner.step() {
            Step::Continue => {}
            Step::Issue(issue) => return Some(issue),
            Step::Stop => return None,
        }
    }
}

/// The JSON path of the member or element being read at byte `offset`
/// (for syntax errors, which serde reports by position only).
pub fn path_at(text: &str, offset: usize) -> JsonPath {
    let mut scanner = Scanner::new(text);
    while scanner.i < offset {
        if !matches!(scanner.step(), Step::Continue) {
            break;
        }
    }
    path_of(&scanner.stack)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_duplicates_at_the_second_occurrence() {
        let text = r#"{"a": {"x": 1, "y": [1, {"k": 2, "k": 3}]}}"#;
        let Some(ScanIssue::DuplicateKey { offset, path, key }) = scan(text) else {
            panic!("no duplicate found");
        };
        assert_eq!(key, "k");
        assert_eq!(path.to_string(), "a.y[1].k");
        assert_eq!(text.get(offset..offset + 3), Some("\"k\""));
        assert_eq!(text.rfind("\"k\""), Some(offset));
    }

    #[test]
    fn escaped_keys_are_the_same_key() {
        assert!(matches!(
            scan(r#"{"a": 1, "\u0061": 2}"#),
            Some(ScanIssue::DuplicateKey { .. })
        ));
        assert_eq!(scan(r#"{"a": 1, "b": {"a": 2}, "c": ["a", "a"]}"#), None);
    }

    #[test]
    fn limits_depth_without_recursing() {
        let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert_eq!(scan(&ok), None);
        let deep = "[".repeat(1_000_000);
        assert!(matches!(
            scan(&deep),
            Some(ScanIssue::TooDeep { offset, .. }) if offset == MAX_DEPTH
        ));
    }

    #[test]
    fn paths_at_offsets() {
        let text = r#"{"a": {"b": [1, 2, {"c": 3}]}, "d": 4}"#;
        let at = |needle: &str| path_at(text, text.find(needle).unwrap_or(0)).to_string();
        assert_eq!(at("3"), "a.b[2].c");
        assert_eq!(at("2,"), "a.b[1]");
        assert_eq!(at("4"), "d");
    }

    #[test]
    fn gives_up_quietly_on_broken_json() {
        for text in ["", "}", "{\"a", "{\"a\": \"\\", "]]]", "{,,}"] {
            assert_eq!(scan(text), None, "{text:?}");
        }
    }
}
