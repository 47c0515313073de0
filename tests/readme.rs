//! README.md renders as written: every code fence that opens is closed by a
//! line holding only the fence (text after a closing fence used to swallow
//! a paragraph into the block above it).

use lexgen_tests::repo_path;

#[test]
fn code_fences_close_on_a_line_of_their_own() {
    let text = std::fs::read_to_string(repo_path("README.md")).expect("README.md");
    let mut open: Option<usize> = None;
    for (i, line) in text.lines().enumerate() {
        let Some(rest) = line.trim_start().strip_prefix("```") else {
            continue;
        };
        match open {
            None => open = Some(i + 1),
            Some(_) => {
                assert!(
                    rest.trim().is_empty(),
                    "README.md:{}: text after a closing fence: {line:?}",
                    i + 1
                );
                open = None;
            }
        }
    }
    assert_eq!(
        open, None,
        "README.md: a code fence opened here is never closed"
    );
}
