//! End to end: the async agent's retries and its `atproto-proxy` and
//! `atproto-accept-labelers` headers, on the wire to the official PDS.
//!
//! A recording proxy (`lexgen_tests::recording_proxy`) sits between the
//! agent and the PDS: it records every request and can answer a planned 503
//! or 429 (with `ratelimit-*` headers) in the PDS's place. The PDS routes a
//! call carrying `atproto-proxy: <did>#<service>` for a method it does not
//! serve itself to the service endpoint of that DID's document, with a
//! service-auth token (`pipethrough.ts` in `@atproto/pds`); the test runs
//! such a service, `did:web:localhost%3A<port>` (dev-env's PDS resolves
//! did:web over http for `localhost` and does not filter private
//! addresses), and sees the call arrive.
//!
//! Skips itself without `LEXGEN_PDS_URL`; `tests/e2e/pds.sh cargo test -p
//! lexgen-tests --test pds_proxy_e2e` runs it.

use atproto_types::app::bsky::feed::get_timeline;
use atproto_types::client::{Agent, Client, RetryPolicy};
use atproto_types::com::atproto::repo::{create_record, list_records};
use atproto_types::com::atproto::server::get_session;
use atproto_types::formats::{AtIdentifier, Nsid};
use atproto_types::server::axum::http::HeaderMap;
use atproto_types::server::{axum, Auth, XrpcRouter};
use atproto_types::types::Unknown;
use atproto_types::xrpc::{NoBody, NoParams};
use lexgen_tests::pds::{new_account, pds_url};
use lexgen_tests::recording_proxy::RecordingProxy;
use lexgen_tests::xrpc::{assert_rate_limit_headers, RATE_LIMIT_HEADERS};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const PASSWORD: &str = "lexgen-proxy-e2e-password";
const GET_SESSION: &str = "com.atproto.server.getSession";
const CREATE_RECORD: &str = "com.atproto.repo.createRecord";
const GET_TIMELINE: &str = "app.bsky.feed.getTimeline";
const LABELERS: &str = "did:plc:lexgenlabeler;redact, did:plc:lexgenother";

/// A service of our own, `did:web:localhost%3A<port>`, serving its DID
/// document and `app.bsky.feed.getTimeline` (an empty feed with a cursor
/// saying where it came from); it records each call's `limit` and headers.
struct Service {
    did: String,
    calls: Arc<Mutex<Vec<Call>>>,
}

/// One call the service got: its `limit` param and its headers.
type Call = (Option<i64>, HeaderMap);

impl Service {
    async fn start() -> Service {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let did = format!("did:web:localhost%3A{port}");
        let doc = serde_json::json!({
            "@context": ["https://www.w3.org/ns/did/v1"],
            "id": did,
            "service": [{
                "id": "#lexgen_test",
                "type": "LexgenTestService",
                "serviceEndpoint": format!("http://127.0.0.1:{port}"),
            }],
        })
        .to_string();
        let calls = Arc::new(Mutex::new(Vec::new()));
        let seen = calls.clone();
        let timeline = move |p: get_timeline::Params, _: NoBody, auth: Auth| {
            seen.lock().unwrap().push((p.limit, auth.headers().clone()));
            async {
                Ok(get_timeline::Output::new(Vec::new()).with_cursor("from-the-proxied-service"))
            }
        };
        let router = XrpcRouter::new()
            .query::<get_timeline::GetTimeline, _>(timeline)
            .into_router()
            .route(
                "/.well-known/did.json",
                axum::routing::get(
                    move || async move { ([("content-type", "application/json")], doc) },
                ),
            );
        tokio::spawn(async move { axum::serve(listener, router).await });
        Service { did, calls }
    }

    fn proxy_header(&self) -> String {
        format!("{}#lexgen_test", self.did)
    }
}

/// The claims of a JWT (its middle part, base64url without padding).
fn jwt_claims(token: &str) -> serde_json::Value {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let payload = token.split('.').nth(1).expect("a JWT has three parts");
    let (mut bits, mut n, mut out) = (0u32, 0, Vec::new());
    for c in payload.bytes() {
        let v = ALPHABET.iter().position(|&a| a == c).expect("base64url") as u32;
        bits = (bits << 6) | v;
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
        }
    }
    serde_json::from_slice(&out).expect("JSON claims")
}

#[tokio::test]
async fn retries_and_proxy_headers_reach_the_official_pds() {
    let Some(url) = pds_url("pds_proxy_e2e") else {
        return;
    };
    let (handle, did, _) = new_account(&url, "proxy", PASSWORD).await;
    let wire = RecordingProxy::start(&url).await;
    let service = Service::start().await;
    let fast = RetryPolicy {
        max_retries: 2,
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(5),
    };
    let client = Client::new(&wire.url)
        .with_retry(fast)
        .with_proxy(service.proxy_header())
        .with_accept_labelers([
            ("did:plc:lexgenlabeler", true),
            ("did:plc:lexgenother", false),
        ]);
    let agent = Agent::with_client(client);
    let session = agent.login(handle.as_str(), PASSWORD, None).await.unwrap();

    // A query answered 503, then 429, is retried and then reaches the PDS;
    // both headers are on every attempt. (The PDS serves getSession itself:
    // it ignores `atproto-proxy` for its own methods.)
    wire.inject(
        GET_SESSION,
        503,
        &[],
        r#"{"error":"InternalServerError","message":"injected"}"#,
    );
    wire.inject(
        GET_SESSION,
        429,
        RATE_LIMIT_HEADERS,
        r#"{"error":"RateLimitExceeded","message":"injected"}"#,
    );
    let me = agent
        .call::<get_session::GetSession>(&NoParams, &NoBody)
        .await
        .unwrap();
    assert_eq!(me.did, did);
    let attempts = wire.seen(GET_SESSION);
    let outcome: Vec<_> = attempts.iter().map(|s| (s.status, s.injected)).collect();
    assert_eq!(outcome, [(503, true), (429, true), (200, false)]);
    let bearer = format!("Bearer {}", session.access_jwt);
    let proxy_header = service.proxy_header();
    for seen in &attempts {
        assert_eq!(seen.header("authorization"), Some(bearer.as_str()));
        assert_eq!(seen.header("atproto-proxy"), Some(proxy_header.as_str()));
        assert_eq!(seen.header("atproto-accept-labelers"), Some(LABELERS));
    }

    // A procedure is never retried: the 503 is the caller's, the PDS never
    // saw the call, and nothing was written.
    let repo = AtIdentifier::from(did.clone());
    let collection: Nsid = "app.bsky.feed.post".parse().unwrap();
    let post = serde_json::json!({
        "$type": "app.bsky.feed.post",
        "text": "written once",
        "createdAt": "2026-11-30T12:00:00.000Z",
    });
    let input = create_record::Input::new(
        repo.clone(),
        collection.clone(),
        Unknown::from_typed(&post).unwrap(),
    );
    wire.inject(
        CREATE_RECORD,
        503,
        &[],
        r#"{"error":"InternalServerError","message":"injected"}"#,
    );
    let err = agent
        .call::<create_record::CreateRecord>(&NoParams, &input)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503), "{err}");
    assert_eq!(wire.seen(CREATE_RECORD).len(), 1);
    let listed = agent
        .call::<list_records::ListRecords>(
            &list_records::Params::new(repo.clone(), collection.clone()),
            &NoBody,
        )
        .await
        .unwrap();
    assert!(listed.records.is_empty(), "{:?}", listed.records);
    agent
        .call::<create_record::CreateRecord>(&NoParams, &input)
        .await
        .unwrap();
    assert_eq!(wire.seen(CREATE_RECORD).len(), 2);

    // Retries exhausted: the last answer's rate-limit headers are on the error.
    wire.clear();
    for _ in 0..3 {
        wire.inject(
            GET_SESSION,
            429,
            RATE_LIMIT_HEADERS,
            r#"{"error":"RateLimitExceeded","message":"slow down"}"#,
        );
    }
    let err = agent
        .call::<get_session::GetSession>(&NoParams, &NoBody)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(429));
    assert_eq!(
        err.xrpc().map(|e| e.to_string()),
        Some("RateLimitExceeded: slow down".into())
    );
    assert_rate_limit_headers(err.rate_limit());
    assert_eq!(wire.seen(GET_SESSION).len(), 3);

    // `atproto-proxy` end to end: the PDS does not serve getTimeline (no
    // AppView here), so it resolves the service DID and forwards the call
    // there, with a service-auth token for this account and method, and the
    // labelers header.
    let params = get_timeline::Params::new().with_limit(7);
    let timeline = agent
        .call::<get_timeline::GetTimeline>(&params, &NoBody)
        .await
        .unwrap();
    assert_eq!(timeline.cursor.as_deref(), Some("from-the-proxied-service"));
    assert_eq!(
        wire.seen(GET_TIMELINE)[0].header("atproto-proxy"),
        Some(proxy_header.as_str())
    );
    let calls = service.calls.lock().unwrap().clone();
    assert_eq!(calls.len(), 1);
    let (limit, headers) = &calls[0];
    assert_eq!(*limit, Some(7));
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    assert_eq!(header("atproto-accept-labelers"), Some(LABELERS));
    let token = header("authorization")
        .and_then(|v| v.strip_prefix("Bearer "))
        .expect("a service-auth bearer token");
    assert_ne!(token, session.access_jwt);
    let claims = jwt_claims(token);
    assert_eq!(claims["iss"], did.as_str());
    assert_eq!(claims["aud"], service.did.as_str());
    assert_eq!(claims["lxm"], GET_TIMELINE);
    println!("pds_proxy_e2e: OK ({handle}, service {})", service.did);
}
