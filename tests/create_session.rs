//! Behaviour of the generated `com.atproto.server.createSession` module.

use atproto_types::com::atproto::server::create_session::{
    CreateSession, Error, Input, Output, OutputStatus,
};
use atproto_types::formats::{Did, Handle};
use atproto_types::types::Data;
use atproto_types::validate::Validate;
use atproto_types::xrpc::{Endpoint, Method, NoParams, XrpcError};
use lexgen_tests::seed_create_session_output;
use serde_json::{json, Value};

fn output_with(field: &str, value: Value) -> Result<Output, serde_json::Error> {
    let mut body = seed_create_session_output();
    body[field] = value;
    serde_json::from_value(body)
}

#[test]
fn seed_example_round_trips_to_the_same_json() {
    let body = seed_create_session_output();
    let output: Output = serde_json::from_value(body.clone()).expect("seed example is valid");
    assert_eq!(output.handle.as_str(), "alice.bsky.social");
    assert_eq!(output.did.as_str(), "did:plc:z72i7hdynmk6r22z27h6tvur");
    assert_eq!(output.email_confirmed, Some(true));
    assert_eq!(serde_json::to_value(&output).expect("serialize"), body);
    output.validate().expect("valid");
}

#[test]
fn did_doc_round_trips_untouched() {
    let body = seed_create_session_output();
    let output: Output = serde_json::from_value(body.clone()).expect("valid");
    let doc = output.did_doc.as_ref().expect("didDoc present");
    assert_eq!(Data::Object(doc.0.clone()).to_json(), body["didDoc"]);
    assert_eq!(doc.0["service"][0]["type"], "AtprotoPersonalDataServer");
}

#[test]
fn bad_handle_is_rejected_naming_the_rule_and_path() {
    let err = output_with("handle", json!("alice..bsky.social")).expect_err("invalid handle");
    let msg = err.to_string();
    assert!(msg.contains("handle:"), "{msg}");
    assert!(msg.contains("invalid handle"), "{msg}");
    assert!(msg.contains("empty"), "{msg}");

    let err = output_with("handle", json!("alice")).expect_err("single label");
    assert!(err.to_string().contains("invalid handle"), "{err}");
    let err = output_with("handle", json!(" alice.bsky.social")).expect_err("no trimming");
    assert!(err.to_string().contains("invalid handle"), "{err}");
}

#[test]
fn bad_did_is_rejected_naming_the_rule_and_path() {
    for bad in [
        "plc:abc",
        "did:PLC:abc",
        "did:plc:",
        "did:plc:abc%",
        "DID:plc:abc",
    ] {
        let err = output_with("did", json!(bad)).expect_err(bad);
        let msg = err.to_string();
        assert!(msg.starts_with("did: invalid did"), "{bad}: {msg}");
    }
    let err = output_with("did", json!(42)).expect_err("a number is not a DID");
    assert!(err.to_string().contains("a string at `did`"), "{err}");
}

#[test]
fn missing_required_fields_are_named() {
    let mut body = seed_create_session_output();
    body.as_object_mut().expect("object").remove("accessJwt");
    let err = serde_json::from_value::<Output>(body).expect_err("missing accessJwt");
    assert!(
        err.to_string()
            .contains("missing required field `accessJwt`"),
        "{err}"
    );
}

#[test]
fn status_known_and_unknown_values_round_trip() {
    let out = output_with("status", json!("takendown")).expect("known");
    assert_eq!(out.status, Some(OutputStatus::Takendown));
    assert_eq!(
        serde_json::to_value(&out).expect("ser")["status"],
        "takendown"
    );

    let out = output_with("status", json!("hibernating")).expect("unknown values are accepted");
    assert_eq!(out.status, Some(OutputStatus::Other("hibernating".into())));
    assert_eq!(
        serde_json::to_value(&out).expect("ser")["status"],
        "hibernating"
    );
    assert_eq!(
        OutputStatus::from("suspended".to_string()),
        OutputStatus::Suspended
    );
    assert_eq!(OutputStatus::Deactivated.as_str(), "deactivated");
}

#[test]
fn absent_optional_fields_are_omitted() {
    let body = json!({
        "accessJwt": "a", "refreshJwt": "r", "handle": "bob.test", "did": "did:web:example.com"
    });
    let out: Output = serde_json::from_value(body.clone()).expect("minimal output");
    assert_eq!(out.email, None);
    assert_eq!(serde_json::to_value(&out).expect("ser"), body);
}

#[test]
fn unknown_fields_survive_a_round_trip() {
    let out = output_with("futureField", json!({"nested": [1, 2]})).expect("extra fields are kept");
    assert_eq!(
        out.extra["futureField"].to_json(),
        json!({"nested": [1, 2]})
    );
    assert_eq!(
        serde_json::to_value(&out).expect("ser")["futureField"],
        json!({"nested": [1, 2]})
    );
}

#[test]
fn input_serializes_camel_case_without_absent_fields() {
    let input = Input::new("alice.bsky.social", "hunter2").with_allow_takendown(true);
    assert_eq!(
        serde_json::to_value(&input).expect("ser"),
        json!({"identifier": "alice.bsky.social", "password": "hunter2", "allowTakendown": true})
    );
}

#[test]
fn errors_parse_into_variants_and_fallback() {
    let e: Error = serde_json::from_str(r#"{"error":"AccountTakedown","message":"gone"}"#)
        .expect("error body");
    assert_eq!(
        e,
        Error::AccountTakedown {
            message: Some("gone".into())
        }
    );
    assert_eq!(e.name(), "AccountTakedown");
    assert_eq!(e.message(), Some("gone"));

    let e: Error =
        serde_json::from_str(r#"{"error":"AuthFactorTokenRequired"}"#).expect("no message");
    assert_eq!(e, Error::AuthFactorTokenRequired { message: None });

    let e: Error = serde_json::from_str(
        r#"{"error":"AuthenticationRequired","message":"Invalid identifier or password"}"#,
    )
    .expect("unlisted names land in the fallback");
    assert_eq!(
        e,
        Error::Other {
            error: "AuthenticationRequired".into(),
            message: Some("Invalid identifier or password".into())
        }
    );
    assert_eq!(
        e.to_string(),
        "AuthenticationRequired: Invalid identifier or password"
    );
    assert_eq!(
        serde_json::to_value(&e).expect("ser"),
        json!({"error": "AuthenticationRequired", "message": "Invalid identifier or password"})
    );
    assert!(serde_json::from_str::<Error>(r#"{"message":"no name"}"#).is_err());
    assert!(Error::from_body(b"<html>502 Bad Gateway</html>").is_none());
}

#[test]
fn endpoint_metadata() {
    fn params<E: Endpoint<Params = NoParams>>() {}
    params::<CreateSession>();
    assert_eq!(CreateSession::NSID, "com.atproto.server.createSession");
    assert_eq!(CreateSession::METHOD, Method::Post);
    assert_eq!(CreateSession::INPUT_ENCODING, Some("application/json"));
    assert_eq!(CreateSession::OUTPUT_ENCODING, Some("application/json"));
    assert_eq!(
        CreateSession::path(),
        "/xrpc/com.atproto.server.createSession"
    );
    let _: Option<<CreateSession as Endpoint>::Input> = None::<Input>;
    let _: Option<<CreateSession as Endpoint>::Output> = None::<Output>;
    let _: Option<<CreateSession as Endpoint>::Error> = None::<Error>;
}

#[test]
fn format_newtypes_have_the_promised_api() {
    let h: Handle = "Alice.Test".parse().expect("valid");
    assert_eq!(h.as_str(), "Alice.Test");
    assert_eq!(h.to_normalized().as_str(), "alice.test");
    assert_eq!(h.to_string(), "Alice.Test");
    let d = Did::try_from("did:plc:abc".to_string()).expect("valid");
    assert_eq!(AsRef::<str>::as_ref(&d), "did:plc:abc");
    assert!(Did::try_from("did:plc").is_err());
}

#[test]
fn debug_shows_the_data_under_the_type_name() {
    let output: Output = serde_json::from_value(seed_create_session_output()).expect("valid");
    let text = format!("{output:?}");
    assert!(text.starts_with("Output { accessJwt: \""), "{text}");
    assert!(text.contains(", handle: \"alice.bsky.social\", "), "{text}");
    assert!(text.contains(", emailConfirmed: true"), "{text}");
    // Unknown data shows as a map; `{:#?}` indents like a derived `Debug`.
    assert!(text.contains("didDoc: {\"@context\": ["), "{text}");
    let pretty = format!("{output:#?}");
    assert!(
        pretty.contains("\n    handle: \"alice.bsky.social\",\n"),
        "{pretty}"
    );
}
