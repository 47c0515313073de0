//! The async client (`client`) and its session agent against the axum
//! router (`server`), both from the runtime, over loopback: typed outputs and
//! errors, a forced token expiry, one refresh shared by concurrent calls,
//! resume, logout, the proxy headers, the router's answers to bad requests.

use atproto_types::client::{Agent, Client, ClientError, MemorySessionStore, SessionStore};
use atproto_types::com::atproto::server::{create_session, describe_server, get_session};
use atproto_types::xrpc::{NoBody, NoParams};
use lexgen_tests::session_server::{spawn, State, ALICE_DID, TWOFA_DID};
use std::sync::atomic::Ordering;
use std::sync::Arc;

#[tokio::test]
async fn typed_calls_and_typed_errors() {
    let url = spawn(Arc::default()).await;
    let client = Client::new(&url);
    let out = client
        .call::<describe_server::DescribeServer>(&NoParams, &NoBody)
        .await
        .unwrap();
    assert_eq!(out.did.as_str(), "did:web:localhost");

    let agent = Agent::new(&url);
    let err = agent
        .login("twofa.test", "hunter22", None)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(401));
    assert_eq!(err.xrpc().unwrap().error, "AuthFactorTokenRequired");
    let session = agent
        .login("twofa.test", "hunter22", Some("123456"))
        .await
        .unwrap();
    assert_eq!(session.did, TWOFA_DID);

    // The generated typed error, through the plain client.
    let input = create_session::Input {
        identifier: "banned.test".into(),
        password: "x".into(),
        auth_factor_token: None,
        allow_takendown: None,
        extra: Default::default(),
    };
    match client
        .call::<create_session::CreateSession>(&NoParams, &input)
        .await
    {
        Err(ClientError::Xrpc {
            status: 401, error, ..
        }) => {
            assert!(matches!(
                error,
                create_session::Error::AccountTakedown { .. }
            ))
        }
        other => panic!("expected AccountTakedown, got {other:?}"),
    }
}

#[tokio::test]
async fn login_expiry_refresh_resume_logout() {
    let state = Arc::new(State::default());
    let url = spawn(state.clone()).await;
    let store = Arc::new(MemorySessionStore::default());
    let agent = Agent::new(&url).with_store(store.clone());
    let session = agent
        .login("alice@example.com", "hunter22", None)
        .await
        .unwrap();
    assert_eq!(
        (session.did.as_str(), session.handle.as_str()),
        (ALICE_DID, "alice.test")
    );
    assert_eq!(store.load().unwrap().access_jwt, session.access_jwt);

    // Every token expires; eight concurrent calls share one refresh.
    state.expire_access_tokens();
    let calls = (0..8).map(|_| {
        let agent = agent.clone();
        tokio::spawn(async move {
            agent
                .call::<get_session::GetSession>(&NoParams, &NoBody)
                .await
        })
    });
    for call in calls {
        let me = call.await.unwrap().unwrap();
        assert_eq!(me.did.as_str(), ALICE_DID);
    }
    assert_eq!(state.refreshes.load(Ordering::SeqCst), 1);
    let refreshed = store.load().unwrap();
    assert_ne!(refreshed.access_jwt, session.access_jwt);

    // A new agent resumes the stored session, itself expired meanwhile.
    state.expire_access_tokens();
    let resumed = Agent::new(&url).with_store(store.clone());
    let again = resumed.resume_from_store().await.unwrap().unwrap();
    assert_eq!(again.did, ALICE_DID);
    assert_eq!(state.refreshes.load(Ordering::SeqCst), 2);

    resumed.logout().await.unwrap();
    assert!(store.load().is_none());
    assert!(resumed.session().await.is_none());
    // The old agent's refresh token was rotated away: its expiry now surfaces.
    state.expire_access_tokens();
    let err = agent
        .call::<get_session::GetSession>(&NoParams, &NoBody)
        .await
        .unwrap_err();
    assert_eq!(
        err.xrpc().unwrap().to_string(),
        "ExpiredToken: bad access token"
    );
}

#[tokio::test]
async fn proxy_and_labeler_headers_reach_the_server() {
    let state = Arc::new(State::default());
    let url = spawn(state.clone()).await;
    let client = Client::new(&url)
        .with_proxy("did:web:api.bsky.app#bsky_appview")
        .with_accept_labelers([("did:plc:labeler", true), ("did:plc:other", false)]);
    let agent = Agent::with_client(client);
    agent.login("alice.test", "hunter22", None).await.unwrap();
    agent
        .call::<get_session::GetSession>(&NoParams, &NoBody)
        .await
        .unwrap();
    let seen = state.last_headers.lock().unwrap().clone();
    assert_eq!(seen.0.as_deref(), Some("did:web:api.bsky.app#bsky_appview"));
    assert_eq!(
        seen.1.as_deref(),
        Some("did:plc:labeler;redact, did:plc:other")
    );
}

async fn raw(url: &str, method: &str, path: &str, ct: Option<&str>, body: &str) -> (u16, String) {
    let http = atproto_types::client::reqwest::Client::new();
    let mut req = http.request(method.parse().unwrap(), format!("{url}{path}"));
    if let Some(ct) = ct {
        req = req.header("content-type", ct);
    }
    let res = req.body(body.to_owned()).send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

#[tokio::test]
async fn the_router_answers_bad_requests_by_the_xrpc_rules() {
    let url = spawn(Arc::default()).await;
    let create = "/xrpc/com.atproto.server.createSession";
    assert_eq!(
        raw(&url, "GET", "/xrpc/com.example.nothing", None, "").await,
        (
            501,
            r#"{"error":"MethodNotImplemented","message":"Method Not Implemented"}"#.into()
        )
    );
    assert_eq!(raw(&url, "GET", create, None, "").await.0, 405);
    let (status, body) = raw(&url, "POST", create, Some("text/plain"), "{}").await;
    assert_eq!(status, 400);
    assert!(body.contains("Wrong request encoding"), "{body}");
    let (status, body) = raw(
        &url,
        "POST",
        create,
        Some("application/json"),
        r#"{"identifier":"a"}"#,
    )
    .await;
    assert_eq!(status, 400);
    let body: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["error"], "InvalidRequest");
    assert!(
        body["message"].as_str().unwrap().contains("password"),
        "{body}"
    );
}
