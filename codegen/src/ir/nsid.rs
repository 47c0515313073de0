//! NSIDs and reference strings (`#local`, `nsid`, `nsid#name`).

use std::fmt;

/// A syntactically valid NSID (`com.atproto.server.createSession`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Nsid(String);

impl Nsid {
    /// Checks the syntax (LEXICON-RULES.md §6, `nsid`).
    pub fn parse(s: &str) -> Result<Nsid, String> {
        crate::runtime::formats::check_nsid(s)
            .map(|()| Nsid(s.to_string()))
            .map_err(|e| e.rule().to_string())
    }

    /// The dot-separated segments.
    pub fn segments(&self) -> impl Iterator<Item = &str> {
        self.0.split('.')
    }

    /// The last segment (`createSession`).
    pub fn name(&self) -> &str {
        self.0.rsplit('.').next().unwrap_or(&self.0)
    }

    /// The NSID text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Nsid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A reference resolved against the referring file: `(nsid, def name)`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RefTarget {
    /// The lexicon.
    pub nsid: String,
    /// The def (`main` when none was given).
    pub def: String,
}

impl RefTarget {
    /// The fully qualified `$type` spelling: `nsid` for main, else `nsid#def`.
    pub fn type_tag(&self) -> String {
        if self.def == "main" {
            self.nsid.clone()
        } else {
            format!("{}#{}", self.nsid, self.def)
        }
    }
}

impl fmt::Display for RefTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}#{}", self.nsid, self.def)
    }
}

/// Parses a reference as written in `ref` or `refs`, relative to `current`.
/// `nsid#main` means the same as `nsid`.
pub fn parse_ref(reference: &str, current: &str) -> Result<RefTarget, String> {
    let (nsid, def) = match reference.split_once('#') {
        Some(("", def)) => (current.to_string(), def.to_string()),
        Some((nsid, def)) => (nsid.to_string(), def.to_string()),
        None => (reference.to_string(), "main".to_string()),
    };
    if def.is_empty() {
        return Err(format!(
            "reference {reference:?} has an empty def name after `#`"
        ));
    }
    if !def.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(format!(
            "reference {reference:?}: def name {def:?} must be ASCII letters, digits or `_`"
        ));
    }
    if nsid != current {
        Nsid::parse(&nsid).map_err(|e| format!("reference {reference:?}: {e}"))?;
    }
    Ok(RefTarget { nsid, def })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ref_spellings() {
        let cur = "app.bsky.feed.post";
        let t = |nsid: &str, def: &str| RefTarget {
            nsid: nsid.into(),
            def: def.into(),
        };
        assert_eq!(parse_ref("#entity", cur), Ok(t(cur, "entity")));
        assert_eq!(
            parse_ref("com.atproto.repo.strongRef", cur),
            Ok(t("com.atproto.repo.strongRef", "main"))
        );
        assert_eq!(
            parse_ref("com.atproto.lexicon.schema#main", cur),
            parse_ref("com.atproto.lexicon.schema", cur)
        );
        assert_eq!(
            parse_ref("app.bsky.feed.defs#postView", cur),
            Ok(t("app.bsky.feed.defs", "postView"))
        );
        assert!(parse_ref("#", cur).is_err());
        assert!(parse_ref("not an nsid#x", cur).is_err());
        assert_eq!(t("a.b.c", "main").type_tag(), "a.b.c");
        assert_eq!(t("a.b.c", "x").type_tag(), "a.b.c#x");
    }
}
