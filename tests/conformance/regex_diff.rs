//! Differential property tests: each hand-written format checker must agree
//! with the reference written from §6 (`reference.rs`) on strings that are
//! valid by construction and on their near misses (a few characters
//! inserted, replaced or removed, from an alphabet of the characters that
//! matter to that format).

use super::reference;
use atproto_types::formats::Format;
use atproto_types::types::{base64_decode, base64_encode};
use proptest::prelude::*;
use proptest::string::string_regex;

#[derive(Debug, Clone)]
enum Edit {
    Insert(usize, char),
    Replace(usize, char),
    Remove(usize),
}

fn edits(alphabet: &'static str) -> impl Strategy<Value = Vec<Edit>> {
    let chars: Vec<char> = alphabet.chars().collect();
    let c = prop::sample::select(chars);
    let edit = prop_oneof![
        (any::<usize>(), c.clone()).prop_map(|(i, c)| Edit::Insert(i, c)),
        (any::<usize>(), c).prop_map(|(i, c)| Edit::Replace(i, c)),
        any::<usize>().prop_map(Edit::Remove),
    ];
    prop::collection::vec(edit, 0..3)
}

fn apply(s: &str, edits: &[Edit]) -> String {
    let mut chars: Vec<char> = s.chars().collect();
    for e in edits {
        let n = chars.len();
        match *e {
            Edit::Insert(i, c) => chars.insert(i % (n + 1), c),
            Edit::Replace(i, c) if n > 0 => chars[i % n] = c,
            Edit::Remove(i) if n > 0 => {
                chars.remove(i % n);
            }
            _ => {}
        }
    }
    chars.into_iter().collect()
}

/// Valid-looking strings from `pattern`, then edited with `alphabet`.
fn near(pattern: &str, alphabet: &'static str) -> impl Strategy<Value = String> {
    (string_regex(pattern).expect("pattern"), edits(alphabet)).prop_map(|(s, e)| apply(&s, &e))
}

fn agree(format: Format, reference: fn(&str) -> bool, s: &str) -> Result<(), TestCaseError> {
    let ours = format.check(s);
    prop_assert_eq!(
        ours.is_ok(),
        reference(s),
        "{} {:?}: checker says {:?}",
        format,
        s,
        ours
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn cid_agrees(s in prop_oneof![
        near("[A-Za-z0-9+=]{6,12}", "Qmb+=/:_- 0Z9é"),
        near("Q[m]?[A-Za-z0-9]{5,10}", "Qm+="),
        near("b[a-z2-7]{250,258}", "b=+/"),
    ]) {
        agree(Format::Cid, reference::cid, &s)?;
    }

    #[test]
    fn uri_agrees(s in prop_oneof![
        near("[a-z][a-zA-Z0-9+.-]{0,6}:[!-~]{0,8}", "aZ0+-.:/_ %#\t\u{7f}é"),
        near("[a-zA-Z0-9+._-]{0,4}:?[a-z/]{0,4}", ":+-._A1"),
    ]) {
        agree(Format::Uri, reference::uri, &s)?;
    }

    #[test]
    fn nsid_agrees(s in prop_oneof![
        near("[a-z][a-z0-9-]{0,3}(\\.[a-z0-9][a-z0-9-]{0,3}){1,3}\\.[a-zA-Z][a-zA-Z0-9]{0,4}", "aZ09.-*_ "),
        near("[a-z]{1,3}\\.[a-z]{58,66}\\.[a-z]{58,66}", "a.-"),
        near("(a\\.){150,160}[a-z]{1,8}", "a.-1"),
    ]) {
        agree(Format::Nsid, reference::nsid, &s)?;
    }

    #[test]
    fn language_agrees(s in prop_oneof![
        near("[a-z]{1,9}(-[A-Za-z]{3}){0,2}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?", "aZ1-x_"),
        near("[a-z]{2,3}(-([a-z0-9]{5,8}|[0-9][a-z0-9]{3})){0,3}(-[a-wyz0-9](-[a-z0-9]{2,8}){1,2}){0,2}(-x(-[a-z0-9]{1,8}){1,2})?", "ax1-"),
        near("[xXiI](-[a-zA-Z0-9]{1,9}){0,3}", "-aX9"),
    ]) {
        agree(Format::Language, reference::language, &s)?;
    }

    #[test]
    fn handle_agrees(s in near("([a-z0-9][a-z0-9-]{0,4}\\.){1,3}[a-z][a-z0-9-]{0,4}", "aZ09.-_ ")) {
        agree(Format::Handle, reference::handle, &s)?;
    }

    #[test]
    fn did_agrees(s in near("did:[a-z]{1,5}:[a-zA-Z0-9._:%-]{0,10}", "aZ9._:%-/?# D")) {
        agree(Format::Did, reference::did, &s)?;
    }

    #[test]
    fn tid_agrees(s in near("[2-7a-z]{12,14}", "2aj kz1A")) {
        agree(Format::Tid, reference::tid, &s)?;
    }

    #[test]
    fn record_key_agrees(s in near("[A-Za-z0-9._:~-]{0,4}", "./~:_- #")) {
        agree(Format::RecordKey, reference::record_key, &s)?;
    }

    #[test]
    fn bytes_agree(s in near("([A-Za-z0-9+/]{4}){0,3}[A-Za-z0-9+/]{0,3}={0,2}", "Aa0/+=-_ é")) {
        let decoded = base64_decode(&s);
        prop_assert_eq!(decoded.is_some(), reference::base64(&s), "{:?}", s);
        if let Some(bytes) = decoded {
            // Every 4 chars are 3 bytes; 2 or 3 trailing chars are 1 or 2.
            let body = s.trim_end_matches('=').len();
            prop_assert_eq!(bytes.len(), body * 3 / 4);
        }
    }

    #[test]
    fn bytes_written_canonical_unpadded(data in prop::collection::vec(any::<u8>(), 0..40)) {
        let text = base64_encode(&data);
        prop_assert!(!text.contains('='));
        prop_assert!(reference::base64(&text));
        prop_assert_eq!(base64_decode(&text), Some(data));
    }
}
