//! Rewording serde and serde_json messages for people who write lexicons:
//! `invalid type: string "3", expected u64` becomes
//! `expected a non-negative integer, found the string "3"` with a hint to
//! drop the quotes.

/// How a JSON value reads in a message (`the string "x"`, `a JSON array`).
pub fn describe_json(text: &str) -> String {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::String(s)) => format!("the string {}", quote_short(&s)),
        Ok(serde_json::Value::Number(n)) => format!("the number {n}"),
        Ok(serde_json::Value::Bool(b)) => format!("`{b}`"),
        Ok(serde_json::Value::Null) => "null".to_string(),
        Ok(serde_json::Value::Array(_)) => "a JSON array".to_string(),
        Ok(serde_json::Value::Object(_)) => "a JSON object".to_string(),
        Err(_) => "something that is not JSON".to_string(),
    }
}

/// A string quoted for a message, cut to a readable length.
pub fn quote_short(s: &str) -> String {
    const MAX: usize = 60;
    match s.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{:?}...", s.get(..cut).unwrap_or_default()),
        None => format!("{s:?}"),
    }
}

/// serde's name for an expected type, as a lexicon author would say it.
fn expected(exp: &str) -> String {
    match exp {
        "i64" | "i32" | "u32" | "usize" => "an integer".to_string(),
        "u64" => "a non-negative integer".to_string(),
        "a sequence" => "a JSON array".to_string(),
        "a map" | "a JSON object" => "a JSON object".to_string(),
        "a boolean" => "`true` or `false`".to_string(),
        e if e.starts_with("struct ") => "a JSON object".to_string(),
        e => e.to_string(),
    }
}

/// serde's `Unexpected` rendering (`string "3"`, ``integer `-1` ``, `map`).
fn found(unexp: &str) -> String {
    let unquote = |s: &str| s.trim_matches('`').to_string();
    if let Some(s) = unexp.strip_prefix("string ") {
        return format!("the string {s}");
    }
    for prefix in ["integer ", "floating point "] {
        if let Some(n) = unexp.strip_prefix(prefix) {
            return format!("the number {}", unquote(n));
        }
    }
    if let Some(b) = unexp.strip_prefix("boolean ") {
        return b.to_string();
    }
    match unexp {
        "map" => "a JSON object".to_string(),
        "sequence" => "a JSON array".to_string(),
        "null" | "unit value" => "null".to_string(),
        other => other.to_string(),
    }
}

/// For a whole number that serde refuses only for its size (`2^63` as an
/// `i64`, which serde_json reads as a float beyond `u64`): the range.
fn out_of_range(exp: &str, unexp: &str) -> Option<String> {
    let n = ["integer ", "floating point "]
        .iter()
        .find_map(|p| unexp.strip_prefix(p))
        .and_then(|n| n.trim_matches('`').parse::<f64>().ok())?;
    // 2^63 and 2^64, exactly representable.
    let (i64_limit, u64_limit) = (9_223_372_036_854_775_808.0, 18_446_744_073_709_551_616.0);
    match exp {
        "i64" if n.abs() >= i64_limit => Some(format!(
            "an integer from {} to {} (64-bit signed)",
            i64::MIN,
            i64::MAX
        )),
        "u64" if n >= u64_limit => Some(format!("a non-negative integer up to {}", u64::MAX)),
        _ => None,
    }
}

/// Rewords one serde_json message (already stripped of its position);
/// returns the message and an optional hint.
pub fn humanize(message: &str) -> (String, Option<String>) {
    for prefix in ["invalid type: ", "invalid value: "] {
        if let Some(rest) = message.strip_prefix(prefix) {
            if let Some((unexp, exp)) = rest.rsplit_once(", expected ") {
                let range = out_of_range(exp, unexp);
                let (mut exp, unexp) = (expected(exp), found(unexp));
                if let Some(range) = range {
                    exp = range;
                }
                let help = quoted_number_help(&exp, &unexp);
                return (format!("expected {exp}, found {unexp}"), help);
            }
        }
    }
    if let Some(rest) = message.strip_prefix("EOF while parsing ") {
        let what = match rest {
            "a list" => "an array",
            other => other,
        };
        return (
            format!("the file ends in the middle of {what}"),
            Some("look for an unclosed `{`, `[` or `\"`".to_string()),
        );
    }
    let (text, help) = match message {
        "trailing characters" => (
            "unexpected text after the end of the JSON document",
            "a lexicon file holds exactly one JSON object; remove what follows it (an extra `}`?)",
        ),
        "trailing comma" => (
            "trailing comma",
            "JSON does not allow a comma before `}` or `]`; remove it",
        ),
        "expected `,` or `}`" => (
            "expected `,` or `}`",
            "is a comma missing at the end of the previous member?",
        ),
        "expected `,` or `]`" => (
            "expected `,` or `]`",
            "is a comma missing after the previous element?",
        ),
        "expected value" => (
            "expected a JSON value",
            "values are objects, arrays, double-quoted strings, numbers, `true`, `false` or `null`",
        ),
        "key must be a string" => (
            "expected a key (a double-quoted string)",
            "JSON keys are double-quoted, and no comma may precede `}`",
        ),
        _ => return (message.to_string(), None),
    };
    (text.to_string(), Some(help.to_string()))
}

fn quoted_number_help(exp: &str, unexp: &str) -> Option<String> {
    let inner = unexp.strip_prefix("the string \"")?.strip_suffix('"')?;
    (exp.contains("integer") && inner.parse::<i64>().is_ok())
        .then(|| format!("write the number without quotes: {inner}"))
}

/// "a" or "an" before a lexicon type name (`an integer`, `a string`).
pub fn article(word: &str) -> &'static str {
    // "union" starts with a consonant sound, "unknown" with a vowel.
    if word.starts_with("uni") {
        return "a";
    }
    match word.chars().next() {
        Some('a' | 'e' | 'i' | 'o' | 'u') => "an",
        _ => "a",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewords_type_errors() {
        let (m, h) = humanize("invalid type: string \"3\", expected u64");
        assert_eq!(m, "expected a non-negative integer, found the string \"3\"");
        assert_eq!(h.as_deref(), Some("write the number without quotes: 3"));
        let (m, _) = humanize("invalid value: integer `-1`, expected u64");
        assert_eq!(m, "expected a non-negative integer, found the number -1");
        let (m, _) = humanize("invalid value: integer `9223372036854775808`, expected i64");
        assert_eq!(m, "expected an integer from -9223372036854775808 to 9223372036854775807 (64-bit signed), found the number 9223372036854775808");
        let (m, _) = humanize("invalid type: floating point `1.8446744073709552e19`, expected u64");
        assert_eq!(m, "expected a non-negative integer up to 18446744073709551615, found the number 1.8446744073709552e19");
        let (m, _) = humanize("invalid type: floating point `1.5`, expected i64");
        assert_eq!(m, "expected an integer, found the number 1.5");
        let (m, _) = humanize("invalid type: map, expected a sequence");
        assert_eq!(m, "expected a JSON array, found a JSON object");
        let (m, h) = humanize("something else");
        assert_eq!((m.as_str(), h), ("something else", None));
    }

    #[test]
    fn describes_values() {
        assert_eq!(describe_json("[1]"), "a JSON array");
        assert_eq!(describe_json("\"x\""), "the string \"x\"");
        assert_eq!(describe_json("1.5"), "the number 1.5");
        assert_eq!(describe_json("null"), "null");
        assert!(quote_short(&"x".repeat(1000)).len() < 80);
        assert_eq!(article("integer"), "an");
        assert_eq!(article("string"), "a");
        assert_eq!(article("union"), "a");
        assert_eq!(article("unknown"), "an");
    }
}
