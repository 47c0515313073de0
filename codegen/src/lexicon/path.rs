//! JSON paths (`defs.main.output.schema.properties.status`) and mapping them
//! back to a line and column in the source text.

use std::fmt;

/// One step of a JSON path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// An object member.
    Key(String),
    /// An array element.
    Index(usize),
}

/// A path from the document root to a node.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JsonPath(pub Vec<Segment>);

impl JsonPath {
    /// The document root.
    pub fn root() -> Self {
        JsonPath(Vec::new())
    }

    /// This path extended by an object key.
    pub fn key(&self, key: impl Into<String>) -> Self {
        let mut p = self.clone();
        p.0.push(Segment::Key(key.into()));
        p
    }

    /// This path extended by an array index.
    pub fn index(&self, index: usize) -> Self {
        let mut p = self.clone();
        p.0.push(Segment::Index(index));
        p
    }

    /// This path followed by `other`.
    pub fn join(&self, other: &JsonPath) -> Self {
        let mut p = self.clone();
        p.0.extend(other.0.iter().cloned());
        p
    }

    /// Converts a `serde_path_to_error` path.
    pub fn from_serde(path: &serde_path_to_error::Path) -> Self {
        use serde_path_to_error::Segment as S;
        JsonPath(
            path.iter()
                .filter_map(|seg| match seg {
                    S::Seq { index } => Some(Segment::Index(*index)),
                    S::Map { key } => Some(Segment::Key(key.clone())),
                    S::Enum { .. } | S::Unknown => None,
                })
                .collect(),
        )
    }

    /// The path as a JSON array of keys and indexes: unambiguous whatever
    /// the keys contain (the `Display` form is for people).
    pub fn to_json(&self) -> String {
        let parts: Vec<serde_json::Value> = self
            .0
            .iter()
            .map(|seg| match seg {
                Segment::Key(k) => serde_json::Value::from(k.as_str()),
                Segment::Index(i) => serde_json::Value::from(*i),
            })
            .collect();
        serde_json::Value::from(parts).to_string()
    }

    /// Reads [`JsonPath::to_json`] back; `None` if `text` is not such a path.
    pub fn from_json(text: &str) -> Option<Self> {
        let parts: Vec<serde_json::Value> = serde_json::from_str(text).ok()?;
        let segments = parts
            .into_iter()
            .map(|part| match part {
                serde_json::Value::String(k) => Some(Segment::Key(k)),
                serde_json::Value::Number(n) => n
                    .as_u64()
                    .and_then(|i| usize::try_from(i).ok())
                    .map(Segment::Index),
                _ => None,
            })
            .collect::<Option<Vec<_>>>()?;
        Some(JsonPath(segments))
    }

    /// Whether this is the root.
    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("(root)");
        }
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                Segment::Key(k) if !plain_key(k) => {
                    write!(f, "[{}]", serde_json::Value::from(k.as_str()))?
                }
                Segment::Key(k) if i == 0 => f.write_str(k)?,
                Segment::Key(k) => write!(f, ".{k}")?,
                Segment::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// Keys shown bare in a path; others are quoted (`properties["a.b"]`) so
/// that a path always reads unambiguously.
fn plain_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '$' | ':'))
}

/// Finds the 1-based line and column where the value at `path` starts, or of
/// the deepest ancestor that exists. `None` only if the text is not JSON at all.
pub fn locate(text: &str, path: &JsonPath) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut pos = skip_ws(bytes, 0);
    bytes.get(pos)?;
    for seg in &path.0 {
        match find_child(bytes, pos, seg) {
            Some(child) => pos = child,
            None => break,
        }
    }
    Some(line_col(text, pos))
}

/// 1-based line and column (in characters) of a byte offset; an offset past
/// the end, or inside a character, counts as the end of the text.
pub fn line_col(text: &str, pos: usize) -> (usize, usize) {
    let before = text.get(..pos.min(text.len())).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}

/// Start of the child value at `seg` of the container starting at `pos`.
fn find_child(b: &[u8], pos: usize, seg: &Segment) -> Option<usize> {
    match (b.get(pos)?, seg) {
        (b'{', Segment::Key(want)) => {
            let mut i = skip_ws(b, pos + 1);
            loop {
                if *b.get(i)? != b'"' {
                    return None;
                }
                let end = skip_string(b, i)?;
                let key: String = serde_json::from_slice(b.get(i..end)?).ok()?;
                i = skip_ws(b, end);
                if *b.get(i)? != b':' {
                    return None;
                }
                i = skip_ws(b, i + 1);
                if key == *want {
                    return Some(i);
                }
                i = skip_ws(b, skip_value(b, i)?);
                match b.get(i)? {
                    b',' => i = skip_ws(b, i + 1),
                    _ => return None,
                }
            }
        }
        (b'[', Segment::Index(want)) => {
            let mut i = skip_ws(b, pos + 1);
            for _ in 0..*want {
                i = skip_ws(b, skip_value(b, i)?);
                match b.get(i)? {
                    b',' => i = skip_ws(b, i + 1),
                    _ => return None,
                }
            }
            (*b.get(i)? != b']').then_some(i)
        }
        _ => None,
    }
}

/// End (exclusive) of the string starting at `i` (which is a `"`), if it
/// is closed. Shared with the pre-parse scan.
pub(super) fn skip_string(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 1;
    loop {
        match b.get(j)? {
            b'\\' => j += 2,
            b'"' => return Some(j + 1),
            _ => j += 1,
        }
    }
}

/// End (exclusive) of the value starting at `i`. Iterative, so deep nesting
/// cannot overflow the stack.
fn skip_value(b: &[u8], i: usize) -> Option<usize> {
    match b.get(i)? {
        b'"' => skip_string(b, i),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut j = i;
            loop {
                match b.get(j)? {
                    b'"' => {
                        j = skip_string(b, j)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth = depth.checked_sub(1)?;
                        if depth == 0 {
                            return Some(j + 1);
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
        }
        _ => {
            let mut j = i;
            while b
                .get(j)
                .is_some_and(|c| !matches!(c, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'))
            {
                j += 1;
            }
            Some(j)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "{\n  \"a\": [1, {\"b\": \"x,]\"}],\n  \"c\": {\"d\": true}\n}";

    #[test]
    fn display_and_json_round_trip() {
        let p = JsonPath::root().key("defs").key("main").index(2).key("x");
        assert_eq!(p.to_string(), "defs.main[2].x");
        assert_eq!(JsonPath::from_json(&p.to_json()), Some(p));
        let odd = JsonPath::root().key("a.b").key("").key("[0]").index(1);
        assert_eq!(odd.to_string(), r#"["a.b"][""]["[0]"][1]"#);
        assert_eq!(JsonPath::from_json(&odd.to_json()), Some(odd));
        assert_eq!(JsonPath::from_json("{}"), None);
    }

    #[test]
    fn locates_nested_values() {
        assert_eq!(
            locate(DOC, &JsonPath::root().key("c").key("d")),
            Some((3, 14))
        );
        assert_eq!(
            locate(DOC, &JsonPath::root().key("a").index(1).key("b")),
            Some((2, 18))
        );
        assert_eq!(
            locate(DOC, &JsonPath::root().key("a").index(0)),
            Some((2, 9))
        );
    }

    #[test]
    fn falls_back_to_deepest_existing_ancestor() {
        assert_eq!(
            locate(DOC, &JsonPath::root().key("c").key("zzz")),
            Some((3, 8))
        );
        assert_eq!(locate("", &JsonPath::root()), None);
    }
}
