//! Lexicon types generated at build time (see `build.rs`).

/// The generated modules.
#[allow(missing_docs)]
pub mod lexicons {
    include!(concat!(env!("OUT_DIR"), "/lexicons.rs"));
}

#[cfg(test)]
mod tests {
    use super::lexicons::com::example::{strings, unions};
    use super::lexicons::validate::Validate;

    #[test]
    fn generated_types_work_inside_a_downstream_crate() {
        let value =
            serde_json::json!({"many": [{"$type": "com.example.unions#image", "alt": "hi"}]});
        let main: unions::Main = serde_json::from_value(value.clone()).expect("valid");
        main.validate().expect("valid");
        assert_eq!(serde_json::to_value(&main).expect("serialize"), value);
        let err = serde_json::from_value::<strings::Main>(
            serde_json::json!({"text": "much too long for ten graphemes"}),
        )
        .expect_err("too long");
        assert!(err.to_string().contains("text: maxLength 30"), "{err}");
    }
}
