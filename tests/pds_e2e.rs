//! End to end: the generated types, through the `client` feature, drive the
//! reference PDS that `tests/e2e/pds.sh` starts on loopback (it sets
//! `LEXGEN_PDS_URL`). Every response is decoded into the generated types,
//! which validate while decoding, and checked again with `validate()`.
//! Without `LEXGEN_PDS_URL` the scenario is skipped with a note, so that
//! `cargo test --workspace` stays fast; the client's own wire behaviour is
//! checked against a scripted loopback server in `xrpc_client.rs`.

use atproto_types::app::bsky::{actor::profile, feed::post, richtext::facet};
use atproto_types::client_blocking::ClientError;
use atproto_types::com::atproto::repo::defs::CommitMeta;
use atproto_types::com::atproto::repo::{
    apply_writes, create_record, delete_record, describe_repo, get_record, list_records,
    put_record, strong_ref, upload_blob,
};
use atproto_types::com::atproto::server::{
    create_account, create_session, delete_session, describe_server, get_session, refresh_session,
};
use atproto_types::formats::{
    AtIdentifier, AtUri, Cid, Datetime, Did, Handle, Language, Nsid, RecordKey,
};
use atproto_types::types::{Extra, Unknown};
use atproto_types::validate::Validate;
use atproto_types::xrpc::{NoBody, NoParams, RawBody, XrpcError};
use lexgen_tests::xrpc::{client, nsid, typed, PNG};
use std::fmt::Debug;
use std::sync::Mutex;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

const PASSWORD: &str = "lexgen-e2e-password";

/// Fields the server sent that the lexicons do not describe (each type
/// keeps them in `extra`), as `where: names`.
static UNDESCRIBED: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Notes the undescribed fields of one decoded object.
fn note_extra(what: &str, extra: &Extra) {
    if !extra.is_empty() {
        let names: Vec<&str> = extra.keys().map(String::as_str).collect();
        let line = format!("{what}: {}", names.join(", "));
        println!("pds_e2e: NOTE fields the lexicon does not describe in {line}");
        if let Ok(mut all) = UNDESCRIBED.lock() {
            all.push(line);
        }
    }
}

fn note_commit(what: &str, commit: &Option<CommitMeta>) {
    if let Some(commit) = commit {
        note_extra(&format!("{what}.commit"), &commit.extra);
    }
}

/// Runs one step of the scenario and prints how long it took.
fn step<T>(name: &str, f: impl FnOnce() -> T) -> T {
    let t0 = Instant::now();
    let out = f();
    println!("pds_e2e: {name:<46} {:>5} ms", t0.elapsed().as_millis());
    out
}

/// The decoded output of a call that must succeed, checked again with
/// `validate()`. A response the generated types reject fails the test with
/// the JSON path of the offending value and the raw body.
fn ok<T: Validate, E: XrpcError + Debug>(what: &str, r: Result<T, ClientError<E>>) -> T {
    match r {
        Ok(v) => {
            if let Err(e) = v.validate() {
                panic!("{what}: decoded, but validate() fails: {e}");
            }
            v
        }
        Err(ClientError::Decode {
            status,
            error,
            body,
        }) => panic!(
            "{what}: the generated types reject the server's response (HTTP {status}): {error}\n\
             body: {}",
            String::from_utf8_lossy(&body)
        ),
        Err(e) => panic!("{what}: {e}"),
    }
}

/// The typed error of a call that must fail with an XRPC error body.
fn xrpc_err<T: Debug, E: XrpcError + Debug>(what: &str, r: Result<T, ClientError<E>>) -> (u16, E) {
    match r {
        Err(ClientError::Xrpc { status, error, .. }) => (status, error),
        other => panic!("{what}: expected an XRPC error, got {other:?}"),
    }
}

fn unknown<T: serde::Serialize>(record: &T) -> Unknown {
    Unknown::from_typed(record).expect("a record serializes to an object")
}

/// The record key at the end of an `at://` URI.
fn rkey_of(uri: &AtUri) -> RecordKey {
    uri.rkey().expect("the URI ends with a record key")
}

fn strong(uri: &AtUri, cid: &Cid) -> strong_ref::Main {
    strong_ref::Main::new(uri.clone(), cid.clone())
}

/// A short suffix that differs between runs, so the test can also run
/// twice against the same server.
fn run_suffix() -> String {
    let mut n = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let mut out = String::new();
    for _ in 0..8 {
        out.push(char::from(
            b"0123456789abcdefghijklmnopqrstuvwxyz"[(n % 36) as usize],
        ));
        n /= 36;
    }
    out
}

/// A post whose text mentions `did`, links and tags, with matching facets.
fn post_with_facets(handle: &Handle, did: &Did, reply: Option<post::ReplyRef>) -> post::Record {
    let text = format!("hi @{handle}, see https://example.com/lexgen #lexgen ✨");
    let slice = |needle: &str| {
        let start = text.find(needle).expect("needle is in the text");
        facet::ByteSlice::new(start as i64, (start + needle.len()) as i64)
    };
    let facet = |needle: &str, feature: facet::MainFeaturesItem| {
        facet::Main::new(slice(needle), vec![feature])
    };
    let facets = vec![
        facet(
            &format!("@{handle}"),
            facet::Mention::new(did.clone()).into(),
        ),
        facet(
            "https://example.com/lexgen",
            facet::Link::new(
                "https://example.com/lexgen"
                    .parse::<atproto_types::formats::Uri>()
                    .expect("valid URI"),
            )
            .into(),
        ),
        facet("#lexgen", facet::Tag::new("lexgen").into()),
    ];
    let post = post::Record::new(text, Datetime::now())
        .with_facets(facets)
        .with_langs(vec![Language::new("en").expect("valid language")]);
    match reply {
        Some(reply) => post.with_reply(reply),
        None => post,
    }
}

fn plain_post(text: &str) -> post::Record {
    post::Record::new(text, Datetime::now())
}

#[test]
fn pds_end_to_end() {
    let Some(url) = std::env::var("LEXGEN_PDS_URL")
        .ok()
        .filter(|u| !u.is_empty())
    else {
        println!("pds_e2e: SKIPPED (LEXGEN_PDS_URL is not set; run tests/e2e/pds.sh)");
        return;
    };
    let t0 = Instant::now();
    let anon = client(&url);

    // ---- server and account
    let server = step("describeServer", || {
        ok(
            "describeServer",
            anon.call::<describe_server::DescribeServer>(&NoParams, &NoBody),
        )
    });
    assert!(server.did.as_str().starts_with("did:"));
    note_extra("describeServer", &server.extra);
    if let Some(links) = &server.links {
        note_extra("describeServer.links", &links.extra);
    }
    if let Some(contact) = &server.contact {
        note_extra("describeServer.contact", &contact.extra);
    }
    let domain = server
        .available_user_domains
        .first()
        .expect("the server offers a handle domain")
        .clone();
    assert_eq!(
        server.invite_code_required,
        Some(false),
        "dev-env needs no invite"
    );

    let suffix = run_suffix();
    let handle = Handle::new(format!("lexgen{suffix}{domain}")).expect("valid handle");
    let email = format!("lexgen{suffix}@example.com");
    let account = step("createAccount", || {
        let input = create_account::Input::new(handle.clone())
            .with_email(email.clone())
            .with_password(PASSWORD);
        ok(
            "createAccount",
            anon.call::<create_account::CreateAccount>(&NoParams, &input),
        )
    });
    assert_eq!(account.handle, handle);
    note_extra("createAccount", &account.extra);
    let did = account.did.clone();
    assert!(did.as_str().starts_with("did:plc:"), "{did}");

    // ---- sessions
    let login = |identifier: &str, password: &str| {
        let input = create_session::Input::new(identifier, password);
        anon.call::<create_session::CreateSession>(&NoParams, &input)
    };
    let by_handle = step("createSession (handle)", || {
        ok("createSession by handle", login(handle.as_str(), PASSWORD))
    });
    assert_eq!((&by_handle.handle, &by_handle.did), (&handle, &did));
    note_extra("createSession", &by_handle.extra);
    let by_email = step("createSession (email)", || {
        ok("createSession by email", login(&email, PASSWORD))
    });
    assert_eq!((&by_email.handle, &by_email.did), (&handle, &did));
    note_extra("createSession (email)", &by_email.extra);

    let (status, error) = step("createSession (wrong password)", || {
        xrpc_err("wrong password", login(handle.as_str(), "not-the-password"))
    });
    assert_eq!(status, 401);
    // Not among createSession's declared errors: it lands in the fallback.
    assert_eq!(
        error,
        create_session::Error::Other {
            error: "AuthenticationRequired".into(),
            message: Some("Invalid identifier or password".into()),
        }
    );

    let session = step("getSession", || {
        ok(
            "getSession",
            client(&url)
                .with_bearer(by_handle.access_jwt.clone())
                .call::<get_session::GetSession>(&NoParams, &NoBody),
        )
    });
    assert_eq!((&session.handle, &session.did), (&handle, &did));
    note_extra("getSession", &session.extra);
    assert_eq!(session.email.as_deref(), Some(email.as_str()));

    let (status, error) = step("getSession (no auth)", || {
        xrpc_err(
            "getSession without auth",
            anon.call::<get_session::GetSession>(&NoParams, &NoBody),
        )
    });
    assert_eq!((status, error.name()), (401, "AuthMissing"));

    let refreshed = step("refreshSession", || {
        ok(
            "refreshSession",
            client(&url)
                .with_bearer(by_handle.refresh_jwt.clone())
                .call::<refresh_session::RefreshSession>(&NoParams, &NoBody),
        )
    });
    assert_eq!((&refreshed.handle, &refreshed.did), (&handle, &did));
    note_extra("refreshSession", &refreshed.extra);
    assert_ne!(refreshed.refresh_jwt, by_handle.refresh_jwt);
    let me = client(&url).with_bearer(refreshed.access_jwt.clone());
    let repo = AtIdentifier::from(did.clone());

    // ---- records
    let create = |record: &post::Record| {
        let input =
            create_record::Input::new(repo.clone(), post::Record::collection(), unknown(record));
        let out = ok(
            "createRecord",
            me.call::<create_record::CreateRecord>(&NoParams, &input),
        );
        note_extra("createRecord", &out.extra);
        note_commit("createRecord", &out.commit);
        out
    };
    let root_post = plain_post("the thread starts here");
    let root = step("createRecord (post)", || create(&root_post));
    let reply_post = post_with_facets(
        &handle,
        &did,
        Some(post::ReplyRef::new(
            strong(&root.uri, &root.cid),
            strong(&root.uri, &root.cid),
        )),
    );
    let reply = step("createRecord (post, facets + reply)", || {
        create(&reply_post)
    });
    assert_eq!(
        reply.validation_status,
        Some(create_record::OutputValidationStatus::Valid)
    );
    assert!(reply
        .uri
        .as_str()
        .starts_with(&format!("at://{did}/app.bsky.feed.post/")));

    let uploaded = step("uploadBlob (PNG)", || {
        ok(
            "uploadBlob",
            me.call_with_content_type::<upload_blob::UploadBlob>(
                &NoParams,
                &RawBody(PNG.to_vec()),
                "image/png",
            ),
        )
    });
    note_extra("uploadBlob", &uploaded.extra);
    let blob = uploaded.blob;
    assert_eq!(
        (blob.mime_type.as_str(), blob.size),
        ("image/png", PNG.len() as u64)
    );
    assert!(!blob.legacy);

    let profile_v1 = profile::Record::default()
        .with_display_name("Lexgen E2E")
        .with_description("A profile written by the generated types")
        .with_avatar(blob.clone())
        .with_pinned_post(strong(&reply.uri, &reply.cid))
        .with_created_at(Datetime::now());
    let profile_key = RecordKey::new("self").expect("valid record key");
    let put = step("putRecord (profile with avatar blob)", || {
        let input = put_record::Input::new(
            repo.clone(),
            profile::Record::collection(),
            profile_key.clone(),
            unknown(&profile_v1),
        )
        .with_validate(true);
        ok(
            "putRecord",
            me.call::<put_record::PutRecord>(&NoParams, &input),
        )
    });
    assert_eq!(
        put.validation_status,
        Some(put_record::OutputValidationStatus::Valid)
    );
    note_extra("putRecord", &put.extra);
    note_commit("putRecord", &put.commit);

    let get = |collection: &str, rkey: &RecordKey| {
        let params = get_record::Params::new(repo.clone(), nsid(collection), rkey.clone());
        anon.call::<get_record::GetRecord>(&params, &NoBody)
    };
    step("getRecord (profile, post)", || {
        let got = ok(
            "getRecord profile",
            get("app.bsky.actor.profile", &profile_key),
        );
        assert_eq!((&got.uri, got.cid.as_ref()), (&put.uri, Some(&put.cid)));
        note_extra("getRecord", &got.extra);
        let read: profile::Record = typed("profile", &got.value);
        assert_eq!(read, profile_v1, "the profile read back differs");
        assert_eq!(read.avatar.as_ref(), Some(&blob));

        let got = ok(
            "getRecord post",
            get("app.bsky.feed.post", &rkey_of(&reply.uri)),
        );
        assert_eq!((&got.uri, got.cid.as_ref()), (&reply.uri, Some(&reply.cid)));
        assert_eq!(typed::<post::Record>("post", &got.value), reply_post);
    });

    let list_posts = || {
        let params =
            list_records::Params::new(repo.clone(), post::Record::collection()).with_limit(10);
        ok(
            "listRecords",
            anon.call::<list_records::ListRecords>(&params, &NoBody),
        )
    };
    step("listRecords", || {
        let listed = list_posts();
        note_extra("listRecords", &listed.extra);
        for r in &listed.records {
            note_extra("listRecords.records[]", &r.extra);
        }
        let mut seen: Vec<(AtUri, Cid, post::Record)> = listed
            .records
            .iter()
            .map(|r| (r.uri.clone(), r.cid.clone(), typed("listed post", &r.value)))
            .collect();
        seen.sort_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
        let mut want = vec![
            (root.uri.clone(), root.cid.clone(), root_post.clone()),
            (reply.uri.clone(), reply.cid.clone(), reply_post.clone()),
        ];
        want.sort_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
        assert_eq!(seen, want, "listRecords does not return what was written");
    });

    // ---- applyWrites: create a post, update the profile, delete the root post
    let third_post = plain_post("written by applyWrites");
    let profile_v2 = profile_v1.clone().with_display_name("Lexgen E2E (updated)");
    let applied = step("applyWrites (create, update, delete)", || {
        use apply_writes::{Create, Delete, InputWritesItem, Update};
        let writes: Vec<InputWritesItem> = vec![
            Create::new(post::Record::collection(), unknown(&third_post)).into(),
            Update::new(
                profile::Record::collection(),
                profile_key.clone(),
                unknown(&profile_v2),
            )
            .into(),
            Delete::new(post::Record::collection(), rkey_of(&root.uri)).into(),
        ];
        let input = apply_writes::Input::new(repo.clone(), writes).with_validate(true);
        ok(
            "applyWrites",
            me.call::<apply_writes::ApplyWrites>(&NoParams, &input),
        )
    });
    assert!(applied.commit.is_some());
    note_extra("applyWrites", &applied.extra);
    note_commit("applyWrites", &applied.commit);
    let third_uri = {
        use apply_writes::OutputResultsItem as R;
        match applied.results.as_deref() {
            Some(
                [R::CreateResult(created), R::UpdateResult(updated), R::DeleteResult(deleted)],
            ) => {
                note_extra("applyWrites#createResult", &created.extra);
                note_extra("applyWrites#updateResult", &updated.extra);
                note_extra("applyWrites#deleteResult", &deleted.extra);
                let valid = Some(apply_writes::UpdateResultValidationStatus::Valid);
                assert_eq!(updated.validation_status, valid);
                assert_eq!(updated.uri, put.uri);
                created.uri.clone()
            }
            other => panic!("applyWrites results: expected create, update, delete; got {other:?}"),
        }
    };
    step("getRecord (after applyWrites)", || {
        let got = ok(
            "getRecord created",
            get("app.bsky.feed.post", &rkey_of(&third_uri)),
        );
        assert_eq!(
            typed::<post::Record>("created post", &got.value),
            third_post
        );
        let got = ok(
            "getRecord updated",
            get("app.bsky.actor.profile", &profile_key),
        );
        assert_eq!(
            typed::<profile::Record>("updated profile", &got.value),
            profile_v2
        );
        let (status, error) = xrpc_err(
            "getRecord deleted",
            get("app.bsky.feed.post", &rkey_of(&root.uri)),
        );
        // The server answers 400 (not 404) with the declared error.
        assert_eq!(status, 400);
        assert!(
            matches!(error, get_record::Error::RecordNotFound { .. }),
            "{error:?}"
        );
    });

    let described = step("describeRepo", || {
        let params = describe_repo::Params::new(handle.clone());
        ok(
            "describeRepo",
            anon.call::<describe_repo::DescribeRepo>(&params, &NoBody),
        )
    });
    assert_eq!((&described.handle, &described.did), (&handle, &did));
    note_extra("describeRepo", &described.extra);
    assert!(described.handle_is_correct);
    assert_eq!(
        described.did_doc.0.get("id").and_then(|v| v.as_str()),
        Some(did.as_str())
    );
    let collections: Vec<&str> = described.collections.iter().map(Nsid::as_str).collect();
    assert_eq!(
        collections,
        ["app.bsky.actor.profile", "app.bsky.feed.post"]
    );

    step("deleteRecord", || {
        let input = delete_record::Input::new(
            repo.clone(),
            post::Record::collection(),
            rkey_of(&third_uri),
        );
        let out = ok(
            "deleteRecord",
            me.call::<delete_record::DeleteRecord>(&NoParams, &input),
        );
        assert!(out.commit.is_some());
        note_extra("deleteRecord", &out.extra);
        note_commit("deleteRecord", &out.commit);
    });
    step("listRecords (after deletes)", || {
        let uris: Vec<AtUri> = list_posts().records.into_iter().map(|r| r.uri).collect();
        assert_eq!(uris, std::slice::from_ref(&reply.uri));
    });

    // ---- end of the session
    let refresh_token = refreshed.refresh_jwt.clone();
    step("deleteSession", || {
        let out = client(&url)
            .with_bearer(refresh_token.clone())
            .call::<delete_session::DeleteSession>(&NoParams, &NoBody);
        // 200 with an empty body (and no content type): the lexicon declares no output.
        assert!(matches!(out, Ok(NoBody)), "{out:?}");
    });
    step("after deleteSession", || {
        let revoked = client(&url).with_bearer(refresh_token.clone());
        // The refresh token is revoked: refreshing fails with a declared error.
        let (status, error) = xrpc_err(
            "refreshSession with the revoked token",
            revoked.call::<refresh_session::RefreshSession>(&NoParams, &NoBody),
        );
        assert_eq!(status, 400);
        assert_eq!(
            error,
            refresh_session::Error::ExpiredToken {
                message: Some("Token has been revoked".into())
            }
        );
        // getSession takes access tokens only: a refresh token, revoked or not, is refused.
        let (status, error) = xrpc_err(
            "getSession with the refresh token",
            revoked.call::<get_session::GetSession>(&NoParams, &NoBody),
        );
        assert_eq!(status, 400);
        assert_eq!(
            error,
            get_session::Error::Other {
                error: "InvalidToken".into(),
                message: Some("Token could not be verified".into()),
            }
        );
        // Access tokens are stateless JWTs: the one issued with the revoked
        // session stays valid until it expires.
        let still = ok(
            "getSession with the old access token",
            me.call::<get_session::GetSession>(&NoParams, &NoBody),
        );
        assert_eq!(still.did, did);
    });
    let undescribed = UNDESCRIBED.lock().map(|v| v.join("; ")).unwrap_or_default();
    println!(
        "pds_e2e: fields the lexicons do not describe: {}",
        if undescribed.is_empty() {
            "none"
        } else {
            &undescribed
        }
    );
    println!(
        "pds_e2e: scenario passed in {} ms",
        t0.elapsed().as_millis()
    );
}
