//! End to end: the async session agent (`client` feature) against the
//! official PDS: account, login by handle and by email, a post written and
//! read back, a blob streamed from a file, a forced access-token expiry
//! (refreshed once and retried), resume, logout.
//!
//! Skips itself without `LEXGEN_PDS_URL`; `tests/e2e/pds.sh cargo test -p
//! lexgen-tests --test pds_agent_e2e` runs it. The expired token is the
//! PDS's own, re-signed with dev-env's fixed JWT secret and an `exp` in
//! the past (by the harness's Node, `LEXGEN_E2E_NODE`), so the PDS answers
//! `ExpiredToken` exactly as when a token runs out.

use atproto_types::client::{Agent, Client, Session};
use atproto_types::com::atproto::repo::{create_record, get_record, upload_blob};
use atproto_types::com::atproto::server::get_session;
use atproto_types::formats::{AtIdentifier, Nsid, RecordKey};
use atproto_types::types::Unknown;
use atproto_types::xrpc::{NoBody, NoParams};
use lexgen_tests::pds::{new_account, pds_url};
use lexgen_tests::xrpc::PNG;
use std::process::Command;

const PASSWORD: &str = "lexgen-agent-e2e-password";

/// The access token with `exp` moved into the past, signed as dev-env's PDS does.
fn expired(token: &str) -> String {
    let node = std::env::var("LEXGEN_E2E_NODE").unwrap_or_else(|_| "node".into());
    let script = r#"const c = require("crypto");
const [h, p] = process.argv[1].split(".");
const claims = JSON.parse(Buffer.from(p, "base64url"));
claims.iat -= 7200; claims.exp = claims.iat + 60;
const signed = h + "." + Buffer.from(JSON.stringify(claims)).toString("base64url");
process.stdout.write(signed + "." + c.createHmac("sha256", "jwt-secret").update(signed).digest("base64url"));"#;
    let out = Command::new(node)
        .args(["-e", script, token])
        .output()
        .expect("node runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[tokio::test]
async fn agent_against_the_official_pds() {
    let Some(url) = pds_url("pds_agent_e2e") else {
        return;
    };
    let (handle, did, email) = new_account(&url, "agent", PASSWORD).await;

    // Log in by handle and by email; a wrong password is a typed error.
    let agent = Agent::new(&url);
    let session = agent.login(handle.as_str(), PASSWORD, None).await.unwrap();
    assert_eq!(session.did, did);
    assert_eq!(session.handle, handle);
    let by_email = Agent::new(&url);
    assert_eq!(
        by_email.login(&email, PASSWORD, None).await.unwrap().did,
        session.did
    );
    let err = Agent::new(&url)
        .login(handle.as_str(), "wrong", None)
        .await
        .unwrap_err();
    assert_eq!(
        (err.status(), err.xrpc().unwrap().error.as_str()),
        (Some(401), "AuthenticationRequired")
    );

    // A post, written and read back.
    let post = serde_json::json!({
        "$type": "app.bsky.feed.post",
        "text": "hello from the async agent",
        "createdAt": "2026-11-29T12:00:00.000Z",
    });
    let repo = AtIdentifier::from(session.did.clone());
    let collection: Nsid = "app.bsky.feed.post".parse().unwrap();
    let input = create_record::Input::new(
        repo.clone(),
        collection.clone(),
        Unknown::from_typed(&post).unwrap(),
    );
    let created = agent
        .call::<create_record::CreateRecord>(&NoParams, &input)
        .await
        .unwrap();
    let rkey = RecordKey::new(created.uri.as_str().rsplit('/').next().unwrap()).unwrap();
    let params = get_record::Params::new(repo, collection, rkey);
    let read = agent
        .call::<get_record::GetRecord>(&params, &NoBody)
        .await
        .unwrap();
    assert_eq!(read.value.0["text"], "hello from the async agent");

    // A blob streamed from a file (reqwest reads it chunk by chunk).
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pixel.png");
    std::fs::write(&path, PNG).unwrap();
    let file = tokio::fs::File::open(&path).await.unwrap();
    let mut file = Some(file);
    let blob = agent
        .call_with_body::<upload_blob::UploadBlob>(
            &NoParams,
            || {
                file.take()
                    .map(Into::into)
                    .unwrap_or_else(|| PNG.to_vec().into())
            },
            "image/png",
        )
        .await
        .unwrap()
        .blob;
    assert_eq!(
        (blob.mime_type.as_str(), blob.size),
        ("image/png", PNG.len() as u64)
    );

    // A forced expiry: the PDS answers ExpiredToken, the agent refreshes once
    // and the call goes through; concurrent calls share that refresh.
    let stale = Session {
        access_jwt: expired(&session.access_jwt),
        ..agent.session().await.unwrap()
    };
    let resumed = Agent::new(&url);
    let probe = Client::new(&url).with_bearer(stale.access_jwt.clone());
    let err = probe
        .call::<get_session::GetSession>(&NoParams, &NoBody)
        .await
        .unwrap_err();
    assert_eq!(
        err.xrpc()
            .map(|e| e.to_string().starts_with("ExpiredToken")),
        Some(true),
        "{err}"
    );
    let again = resumed.resume(stale.clone()).await.unwrap();
    assert_ne!(again.access_jwt, stale.access_jwt);
    assert_ne!(again.refresh_jwt, stale.refresh_jwt);
    let calls: Vec<_> = (0..4)
        .map(|_| {
            let agent = resumed.clone();
            tokio::spawn(async move {
                agent
                    .call::<get_session::GetSession>(&NoParams, &NoBody)
                    .await
            })
        })
        .collect();
    for call in calls {
        assert_eq!(call.await.unwrap().unwrap().did, session.did);
    }

    // Logout revokes the refresh token.
    let refresh = resumed.session().await.unwrap().refresh_jwt;
    resumed.logout().await.unwrap();
    assert!(resumed.session().await.is_none());
    let gone = Agent::new(&url);
    let dead = Session {
        refresh_jwt: refresh,
        ..again
    };
    assert!(gone
        .resume(Session {
            access_jwt: expired(&dead.access_jwt),
            ..dead
        })
        .await
        .is_err());
    println!("pds_agent_e2e: OK ({handle})");
}
