//! `maxGraphemes` / `minGraphemes` on ASCII text, which `check_string`
//! counts without the UAX #29 segmenter: the count must be the segmenter's
//! (every ASCII character is one cluster, except CR LF, which is one).

use atproto_lexgen_runtime::validate::{check_string, Path, StringRules};
use proptest::prelude::*;
use unicode_segmentation::UnicodeSegmentation;

fn rules(min: Option<u64>, max: Option<u64>) -> StringRules<'static> {
    StringRules {
        min_graphemes: min,
        max_graphemes: max,
        ..StringRules::NONE
    }
}

/// The count the checks report must equal the segmenter's: the string
/// passes exactly at its count and fails one below (max) or above (min).
fn assert_count(s: &str) {
    let count = s.graphemes(true).count() as u64;
    let root = Path::Root;
    assert!(
        check_string(s, &rules(None, Some(count)), &root).is_ok(),
        "{s:?} max {count}"
    );
    assert!(
        check_string(s, &rules(Some(count), None), &root).is_ok(),
        "{s:?} min {count}"
    );
    if count > 0 {
        let err = check_string(s, &rules(None, Some(count - 1)), &root).unwrap_err();
        assert_eq!(
            err.rule(),
            format!("maxGraphemes {}, got {count}", count - 1)
        );
    }
    let err = check_string(s, &rules(Some(count + 1), None), &root).unwrap_err();
    assert_eq!(
        err.rule(),
        format!("minGraphemes {}, got {count}", count + 1)
    );
}

#[test]
fn cr_lf_is_one_grapheme() {
    assert_count("a\r\nb");
    assert_count("\r\n\r\n");
    assert_count("\n\r");
    assert_count("\r\r\n\n");
    let err = check_string("a\r\nb", &rules(None, Some(2)), &Path::Root).unwrap_err();
    assert_eq!(err.rule(), "maxGraphemes 2, got 3");
}

#[test]
fn every_pair_of_ascii_characters() {
    for a in 0u8..128 {
        for b in 0u8..128 {
            assert_count(std::str::from_utf8(&[a, b, a]).unwrap());
        }
    }
}

proptest! {
    #[test]
    fn ascii_counts_match_the_segmenter(s in "[\\x00-\\x7f]{0,40}") {
        assert_count(&s);
    }

    #[test]
    fn mixed_text_still_uses_the_segmenter(s in "[a\r\n\u{301}\u{1F3FD}\u{200D}é👍]{0,20}") {
        assert_count(&s);
    }
}
