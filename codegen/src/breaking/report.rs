//! Rendering a [`Report`]: people get each change as a located diagnostic
//! labelled with its class and rule, then a count; machines get one JSON
//! object per change.

use super::{Class, Report};
use std::fmt::Write as _;

/// The report as text (no colour: it goes to stdout, often into CI logs).
pub fn human(report: &Report) -> String {
    let mut out = String::new();
    for change in &report.changes {
        // The located diagnostic renders as `error: MESSAGE` + location; the
        // label says the class and rule instead.
        let text = change.at.render(false);
        let body = text.strip_prefix("error").unwrap_or(&text);
        let _ = writeln!(
            out,
            "{}[{}]{body}\n",
            change.class.as_str(),
            change.rule.id()
        );
    }
    let _ = write!(out, "lexgen: {}", summary(report));
    out
}

/// `2 breaking, 1 warning, 3 compatible changes`, or `no changes`.
pub fn summary(report: &Report) -> String {
    if report.changes.is_empty() {
        return "no changes".into();
    }
    let n = |class| report.count(class);
    format!(
        "{} breaking, {} warning(s), {} compatible change(s)",
        n(Class::Breaking),
        n(Class::Warning),
        n(Class::Compatible)
    )
}

/// One JSON object per change, one per line.
pub fn json_lines(report: &Report) -> String {
    report
        .changes
        .iter()
        .map(|c| {
            let mut json = c.at.to_json();
            if let Some(obj) = json.as_object_mut() {
                obj.remove("help");
                obj.insert("class".into(), c.class.as_str().into());
                obj.insert("rule".into(), c.rule.id().into());
                obj.insert("version".into(), c.side.as_str().into());
            }
            format!("{json}\n")
        })
        .collect()
}
