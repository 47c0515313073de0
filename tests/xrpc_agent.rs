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
    assert_eq!(session.did.as_str(), TWOFA_DID);

    // The generated typed error, through the plain client.
    let input = create_session::Input::new("banned.test", "x");
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
    assert_eq!(again.did.as_str(), ALICE_DID);
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

/// A router whose two handlers report the params they got as an error
/// named `Seen` (status 400), so the test sees what the router parsed.
fn echo_router() -> atproto_types::server::axum::Router {
    use atproto_types::app::bsky::actor::get_profiles;
    use atproto_types::com::atproto::sync::list_repos;
    use atproto_types::server::{Auth, XrpcRouter};
    use atproto_types::xrpc::XrpcError;
    XrpcRouter::new()
        .query::<list_repos::ListRepos, _>(|p: list_repos::Params, _: NoBody, _: Auth| async move {
            let seen = format!(
                "limit={:?} cursor={:?} extra={:?}",
                p.limit, p.cursor, p.extra
            );
            Err(list_repos::Error::from_parts("Seen".into(), Some(seen)))
        })
        .query::<get_profiles::GetProfiles, _>(
            |p: get_profiles::Params, _: NoBody, _: Auth| async move {
                let actors: Vec<&str> = p.actors.iter().map(|a| a.as_str()).collect();
                Err(get_profiles::Error::from_parts(
                    "Seen".into(),
                    Some(actors.join(",")),
                ))
            },
        )
        .into_router()
}

async fn serve(router: atproto_types::server::axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { atproto_types::server::axum::serve(listener, router).await });
    format!("http://{addr}")
}

#[tokio::test]
async fn the_router_parses_params_by_the_xrpc_rules() {
    let url = serve(echo_router()).await;
    let seen = |body: String| {
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        (
            v["error"].as_str().unwrap().to_owned(),
            v["message"].as_str().unwrap().to_owned(),
        )
    };
    let list = "/xrpc/com.atproto.sync.listRepos";
    // The lexicon's default (500) fills an absent integer; unknown names are kept.
    let (status, body) = raw(&url, "GET", &format!("{list}?cursor=a%20b&x=1"), None, "").await;
    assert_eq!(status, 400);
    assert_eq!(
        seen(body).1,
        r#"limit=Some(500) cursor=Some("a b") extra={"x": String("1")}"#
    );
    let (_, body) = raw(&url, "GET", &format!("{list}?limit=7"), None, "").await;
    assert!(seen(body).1.starts_with("limit=Some(7) "));
    // An empty value is no value, as the official server reads it.
    let (_, body) = raw(&url, "GET", &format!("{list}?cursor=&limit=&x="), None, "").await;
    assert_eq!(seen(body).1, "limit=Some(500) cursor=None extra={}");
    // Out of range, and not an integer: `<path>: <rule>`.
    for (query, rule) in [("limit=0", "limit"), ("limit=abc", "limit")] {
        let (status, body) = raw(&url, "GET", &format!("{list}?{query}"), None, "").await;
        let (error, message) = seen(body);
        assert_eq!(
            (status, error.as_str()),
            (400, "InvalidRequest"),
            "{message}"
        );
        assert!(message.contains(rule), "{query}: {message}");
    }
    // Arrays are the name repeated; each item is validated.
    let profiles = "/xrpc/app.bsky.actor.getProfiles";
    let (_, body) = raw(
        &url,
        "GET",
        &format!("{profiles}?actors=alice.test&actors=&actors=did%3Aplc%3Abob"),
        None,
        "",
    )
    .await;
    // (The empty item is dropped.)
    assert_eq!(seen(body), ("Seen".into(), "alice.test,did:plc:bob".into()));
    let (_, body) = raw(
        &url,
        "GET",
        &format!("{profiles}?actors=not%20a%20handle"),
        None,
        "",
    )
    .await;
    assert_eq!(seen(body).0, "InvalidRequest");
    let (_, body) = raw(&url, "GET", profiles, None, "").await;
    let (error, message) = seen(body);
    assert_eq!(error, "InvalidRequest");
    assert!(message.contains("actors"), "{message}");
}

#[tokio::test]
async fn extra_params_reach_the_router_and_back_into_extra() {
    use atproto_types::com::atproto::sync::list_repos;
    use atproto_types::types::Data;
    use atproto_types::xrpc::XrpcError;
    let url = serve(echo_router()).await;
    let mut params = list_repos::Params::new();
    params
        .extra
        .insert("tag".into(), Data::from(vec!["a", "b c"]));
    params.extra.insert("flag".into(), Data::from(true));
    params.extra.insert("n".into(), Data::from(7));
    let err = Client::new(&url)
        .call::<list_repos::ListRepos>(&params, &NoBody)
        .await
        .unwrap_err();
    // Unknown names are kept, as strings (the query string has no types),
    // a repeated one as an array.
    assert_eq!(
        err.xrpc().and_then(|e| e.message()),
        Some(
            r#"limit=Some(500) cursor=None extra={"flag": String("true"), "n": String("7"), "tag": Array([String("a"), String("b c")])}"#
        )
    );
    params.extra.insert(
        "bad".into(),
        Data::Object([("nested".to_owned(), Data::from(1))].into()),
    );
    match Client::new(&url)
        .call::<list_repos::ListRepos>(&params, &NoBody)
        .await
    {
        Err(ClientError::Params(e)) => {
            assert_eq!(e.name, "bad");
            assert!(e.to_string().contains("an object"), "{e}");
        }
        other => panic!("expected a params error, got {other:?}"),
    }
}

#[tokio::test]
async fn queries_are_retried_on_429_and_5xx_procedures_never() {
    use atproto_types::client::RetryPolicy;
    use atproto_types::server::axum::{http::StatusCode, routing::any, Router};
    use std::sync::atomic::AtomicU32;
    use std::time::Duration;
    let hits = Arc::new(AtomicU32::new(0));
    let counter = hits.clone();
    let busy = move || {
        let n = counter.fetch_add(1, Ordering::SeqCst);
        async move {
            let headers = [
                ("ratelimit-limit", "10"),
                ("ratelimit-remaining", "0"),
                ("ratelimit-reset", "1700000000"),
            ];
            match n % 3 {
                0 => (
                    StatusCode::TOO_MANY_REQUESTS,
                    headers,
                    r#"{"error":"RateLimitExceeded"}"#,
                ),
                1 => (StatusCode::BAD_GATEWAY, headers, "<html>bad gateway</html>"),
                _ => (
                    StatusCode::OK,
                    headers,
                    r#"{"did":"did:web:x","availableUserDomains":[]}"#,
                ),
            }
        }
    };
    let router = Router::new()
        .route("/xrpc/com.atproto.server.describeServer", any(busy.clone()))
        .route("/xrpc/com.atproto.server.createSession", any(busy));
    let url = serve(router).await;
    let fast = RetryPolicy {
        max_retries: 2,
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(5),
    };

    let client = Client::new(&url).with_retry(fast);
    let out = client
        .call::<describe_server::DescribeServer>(&NoParams, &NoBody)
        .await
        .unwrap();
    assert_eq!(out.did.as_str(), "did:web:x");
    assert_eq!(hits.swap(0, Ordering::SeqCst), 3);

    let once = Client::new(&url).with_retry(RetryPolicy::none());
    let err = once
        .call::<describe_server::DescribeServer>(&NoParams, &NoBody)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(429));
    let limit = err.rate_limit().unwrap();
    assert_eq!(
        (limit.limit, limit.remaining, limit.reset),
        (Some(10), Some(0), Some(1_700_000_000))
    );
    assert_eq!(hits.swap(0, Ordering::SeqCst), 1);

    let input = create_session::Input::new("alice.test", "x");
    let err = client
        .call::<create_session::CreateSession>(&NoParams, &input)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(429));
    assert_eq!(hits.load(Ordering::SeqCst), 1, "a procedure is sent once");
}

#[tokio::test]
async fn a_429_is_retried_when_its_window_resets_at_most_max_delay_later() {
    use atproto_types::client::RetryPolicy;
    use atproto_types::server::axum::{http::StatusCode, routing::any, Router};
    use std::sync::atomic::AtomicU32;
    use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
    let hits = Arc::new(AtomicU32::new(0));
    let counter = hits.clone();
    // The first answer is a 429 whose window resets in 2 s; then success.
    let limited = move || {
        let n = counter.fetch_add(1, Ordering::SeqCst);
        async move {
            let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
            let reset = (now.as_secs() + 2).to_string();
            match n {
                0 => (
                    StatusCode::TOO_MANY_REQUESTS,
                    [("ratelimit-reset", reset)],
                    r#"{"error":"RateLimitExceeded"}"#,
                ),
                _ => (
                    StatusCode::OK,
                    [("ratelimit-reset", reset)],
                    r#"{"did":"did:web:x","availableUserDomains":[]}"#,
                ),
            }
        }
    };
    let router = Router::new().route("/xrpc/com.atproto.server.describeServer", any(limited));
    let url = serve(router).await;
    // Backoff alone would wait 1 ms; the reset asks for 1-2 s, capped at 300 ms.
    let policy = RetryPolicy {
        max_retries: 1,
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(300),
    };
    let started = Instant::now();
    Client::new(&url)
        .with_retry(policy)
        .call::<describe_server::DescribeServer>(&NoParams, &NoBody)
        .await
        .unwrap();
    let waited = started.elapsed();
    assert_eq!(hits.load(Ordering::SeqCst), 2);
    assert!(waited >= Duration::from_millis(290), "{waited:?}");
    assert!(waited < Duration::from_secs(1), "{waited:?}");
}
