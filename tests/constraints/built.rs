//! `validate()` on values built in code: the same rules, the same messages
//! as deserializing.

use super::*;

/// Asserts that `value.validate()` fails with the message that
/// deserializing `json` (the same value as JSON) gives.
#[track_caller]
fn same_as_deserialize<T>(value: &T, json: &str)
where
    T: DeserializeOwned + std::fmt::Debug + serde::Serialize,
    T: ValidateAny,
{
    let built = value
        .check()
        .expect_err("validate() should fail")
        .to_string();
    let read = strip_position(
        serde_json::from_str::<T>(json)
            .expect_err("deserialize should fail")
            .to_string(),
    );
    assert_eq!(built, read, "{json}");
    // The built value serializes to that same JSON.
    assert_eq!(
        serde_json::to_value(value).expect("ser"),
        serde_json::from_str::<serde_json::Value>(json).expect("json")
    );
}

/// `validate()` of either generated crate.
trait ValidateAny {
    fn check(&self) -> Result<(), String>;
}

macro_rules! validate_any {
    ($($t:ty => $trait:path),*) => {$(
        impl ValidateAny for $t {
            fn check(&self) -> Result<(), String> {
                <$t as $trait>::validate(self).map_err(|e| e.to_string())
            }
        }
    )*};
}

validate_any!(
    ex::strings::Main => lexgen_fixture_types::validate::Validate,
    ex::numbers::Main => lexgen_fixture_types::validate::Validate,
    ex::record::Record => lexgen_fixture_types::validate::Validate,
    ex::unions::Main => lexgen_fixture_types::validate::Validate,
    ex::strings::UsesDefs => lexgen_fixture_types::validate::Validate,
    post::Record => atproto_types::validate::Validate
);

#[test]
fn validate_on_built_values_matches_deserialize() {
    let base: ex::strings::Main = serde_json::from_str(r#"{"text": "ok"}"#).expect("valid");
    assert_eq!(base.check(), Ok(()));

    let mut m = base.clone();
    m.text = "👍🏽".repeat(11);
    same_as_deserialize(&m, &strings_text(&"👍🏽".repeat(11)));
    m.text = "0123456789x".into();
    same_as_deserialize(&m, &strings_text("0123456789x"));

    let mut m = base.clone();
    m.short = Some("é".into());
    same_as_deserialize(&m, r#"{"text": "ok", "short": "é"}"#);
    m.short = None;
    m.fixed = Some("v2".into());
    same_as_deserialize(&m, r#"{"text": "ok", "fixed": "v2"}"#);
    m.fixed = None;
    m.tags = Some(vec!["a".into(), "ééééé".into()]);
    same_as_deserialize(&m, r#"{"text": "ok", "tags": ["a", "ééééé"]}"#);
    m.tags = Some(vec!["a".into(); 4]);
    same_as_deserialize(&m, r#"{"text": "ok", "tags": ["a", "a", "a", "a"]}"#);

    let mut n: ex::numbers::Main = serde_json::from_str(r#"{"count": 1}"#).expect("valid");
    n.count = 11;
    same_as_deserialize(&n, r#"{"count": 11}"#);
    n.count = 1;
    n.level = Some(7);
    same_as_deserialize(&n, r#"{"count": 1, "level": 7}"#);
    n.level = None;
    n.always = Some(false);
    same_as_deserialize(&n, r#"{"count": 1, "always": false}"#);

    let mut u: ex::strings::UsesDefs = serde_json::from_str("{}").expect("valid");
    u.list = Some(ex::numbers::Scores(vec![]));
    same_as_deserialize(&u, r#"{"list": []}"#);
    u.list = Some(ex::numbers::Scores(vec![1, -3]));
    same_as_deserialize(&u, r#"{"list": [1, -3]}"#);

    let mut r: ex::record::Record = serde_json::from_str(&record("")).expect("valid");
    r.data = Some(lexgen_fixture_types::types::Bytes(vec![0; 9]));
    same_as_deserialize(&r, &record(r#", "data": {"$bytes": "AAAAAAAAAAAA"}"#));
    r.data = None;
    let cid: lexgen_fixture_types::formats::Cid = CID.parse().expect("cid");
    r.avatar = Some(lexgen_fixture_types::types::Blob::new(
        cid.clone(),
        "image/png",
        5000,
    ));
    same_as_deserialize(
        &r,
        &record(&format!(r#", "avatar": {}"#, blob("image/png", 5000))),
    );
    r.avatar = Some(lexgen_fixture_types::types::Blob::new(cid, "text/html", 5));
    same_as_deserialize(
        &r,
        &record(&format!(r#", "avatar": {}"#, blob("text/html", 5))),
    );
    r.avatar = None;
    r.meta = Some(lexgen_fixture_types::types::Unknown(
        [("$bytes".to_owned(), "AQID".into())].into_iter().collect(),
    ));
    same_as_deserialize(&r, &record(r#", "meta": {"$bytes": "AQID"}"#));

    // Inside a union variant.
    let image = ex::unions::Image::new("01234567890");
    let u = ex::unions::Main::default().with_closed(image);
    same_as_deserialize(
        &u,
        r#"{"closed": {"$type": "com.example.unions#image", "alt": "01234567890"}}"#,
    );

    // A real post built in code.
    let mut p: post::Record = serde_json::from_str(&post_text("hello")).expect("valid");
    assert_eq!(ValidateAny::check(&p), Ok(()));
    p.text = "👨‍👩‍👧‍👦".repeat(301);
    let json = post_text(&p.text);
    same_as_deserialize(&p, &json);
    p.text = "x".into();
    p.langs = Some(vec!["en".parse().expect("lang"); 4]);
    same_as_deserialize(
        &p,
        &post(r#", "text": "x", "langs": ["en", "en", "en", "en"]"#),
    );
    p.langs = None;
    let cid: atproto_types::formats::Cid = CID.parse().expect("cid");
    let image = |size| {
        images::Image::new(
            atproto_types::types::Blob::new(cid.clone(), "image/png", size),
            "",
        )
    };
    p.embed = Some(images::Main::new(vec![image(1), image(1), image(2_000_001)]).into());
    let json = post(&format!(
        r#", "text": "x", "embed": {{"$type": "app.bsky.embed.images", "images": [{{"image": {}, "alt": ""}}, {{"image": {}, "alt": ""}}, {{"image": {}, "alt": ""}}]}}"#,
        blob("image/png", 1),
        blob("image/png", 1),
        blob("image/png", 2_000_001)
    ));
    same_as_deserialize(&p, &json);
    assert_eq!(
        ValidateAny::check(&p),
        Err("embed.images[2].image: maxSize 2000000, got size 2000001".into())
    );
}
