//! Top-level `string` and `array` defs with rules are newtypes that enforce
//! them wherever they are deserialized: on their own, as a field, through
//! `TryFrom`, and in `validate()`. Before, they were type aliases and
//! deserializing the alias directly skipped every rule.

use atproto_lexgen::datacheck::Validator;
use atproto_types::app::bsky::draft::defs::DraftEmbedGalleryItems;
use atproto_types::validate::Validate;
use lexgen_fixture_types::com::example::{numbers::Scores, strings};
use lexgen_tests::repo_path;

fn err<T: serde::de::DeserializeOwned + std::fmt::Debug>(json: &str) -> String {
    serde_json::from_str::<T>(json).unwrap_err().to_string()
}

#[test]
fn deserializing_the_named_type_checks_its_rules() {
    assert!(err::<strings::ShortText>(r#""123456""#).starts_with("maxGraphemes 5, got 6"));
    let ok: strings::ShortText = serde_json::from_str(r#""12345""#).unwrap();
    assert_eq!(ok.0, "12345");
    assert!(err::<Scores>("[]").starts_with("minLength 1, got 0 elements"));
    assert!(err::<Scores>("[0, 1, 2, 3, 4]").starts_with("maxLength 4, got 5 elements"));
    assert!(err::<Scores>("[1, -1]").starts_with("[1]: minimum 0, got -1"));
    let scores: Scores = serde_json::from_str("[0, 3]").unwrap();
    assert_eq!(serde_json::to_string(&scores).unwrap(), "[0,3]");
}

#[test]
fn the_real_gallery_items_enforce_max_length_20() {
    let item = r#"{"$type": "app.bsky.draft.defs#draftEmbedImage", "localRef": {"path": "a.png"}}"#;
    let list = |n: usize| format!("[{}]", vec![item; n].join(","));
    let twenty: DraftEmbedGalleryItems = serde_json::from_str(&list(20)).unwrap();
    assert_eq!(twenty.len(), 20);
    assert!(err::<DraftEmbedGalleryItems>(&list(21)).starts_with("maxLength 20, got 21 elements"));
    // `lexgen validate` on the def itself agrees.
    let ir = atproto_lexgen::Config::new()
        .lexicons(repo_path("lexicons"))
        .load_ir()
        .unwrap();
    let v = Validator::new(&ir, "app.bsky.draft.defs#draftEmbedGalleryItems", None).unwrap();
    assert!(v.validate_str(&list(20)).is_ok());
    assert_eq!(
        v.validate_str(&list(21)).unwrap_err().to_string(),
        "maxLength 20, got 21 elements"
    );
}

#[test]
fn as_a_field_the_path_is_kept() {
    let e = err::<strings::UsesDefs>(r#"{"note": "123456"}"#);
    assert!(e.starts_with("note: maxGraphemes 5, got 6"), "{e}");
    let e = err::<strings::UsesDefs>(r#"{"list": [2, -2]}"#);
    assert!(e.starts_with("list[1]: minimum 0, got -2"), "{e}");
}

#[test]
fn try_from_deref_and_validate() {
    assert_eq!(
        strings::ShortText::try_from("123456".to_string())
            .unwrap_err()
            .to_string(),
        "maxGraphemes 5, got 6"
    );
    let short = strings::ShortText::try_from("héllo".to_string()).unwrap();
    // Deref and AsRef give the inner value; From gives it back.
    assert_eq!(short.chars().count(), 5);
    assert_eq!(AsRef::<String>::as_ref(&short), "héllo");
    assert_eq!(String::from(short.clone()), "héllo");
    // Built through the public field, `validate()` finds what deserializing would.
    let built = strings::ShortText("123456".into());
    assert_eq!(
        lexgen_fixture_types::validate::Validate::validate(&built)
            .unwrap_err()
            .to_string(),
        "maxGraphemes 5, got 6"
    );
    assert!(Scores::try_from(vec![]).is_err());
    assert!(Scores::try_from(vec![1, 2]).is_ok());
    let gallery = DraftEmbedGalleryItems(Vec::new());
    assert!(gallery.validate().is_ok());
}
