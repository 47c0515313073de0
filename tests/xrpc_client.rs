//! The XRPC client (`client` feature) against a scripted one-request
//! loopback server: query encoding, auth, bodies, typed errors.

use atproto_types::app::bsky::feed::post;
use atproto_types::client_blocking::ClientError;
use atproto_types::com::atproto::repo::{get_record, upload_blob};
use atproto_types::com::atproto::server::{
    create_session, delete_session, describe_server, get_session, refresh_session,
};
use atproto_types::formats::{Did, RecordKey};
use atproto_types::xrpc::{NoBody, NoParams, RawBody};
use lexgen_tests::xrpc::{assert_rate_limit_headers, client, nsid, typed, PNG, RATE_LIMIT_HEADERS};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::thread::JoinHandle;

/// What the client sent.
#[derive(Debug)]
struct Request {
    /// `GET /xrpc/...?... HTTP/1.1`
    line: String,
    /// Lower-cased names.
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Serves one request with `status`, `content_type` and `body`; returns
/// the base URL and the request received.
fn serve_once(
    status: u16,
    content_type: Option<&str>,
    body: &[u8],
) -> (String, JoinHandle<Request>) {
    let headers: Vec<_> = content_type
        .map(|ct| ("Content-Type", ct))
        .into_iter()
        .collect();
    serve_once_with(status, &headers, body)
}

/// [`serve_once`] with any response headers.
fn serve_once_with(
    status: u16,
    headers: &[(&str, &str)],
    body: &[u8],
) -> (String, JoinHandle<Request>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let url = format!("http://{}", listener.local_addr().expect("local addr"));
    let mut response = format!("HTTP/1.1 {status} X\r\nConnection: close\r\n");
    for (name, value) in headers {
        response.push_str(&format!("{name}: {value}\r\n"));
    }
    response.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    let mut response = response.into_bytes();
    response.extend_from_slice(body);
    let handle = std::thread::spawn(move || {
        let (stream, _) = listener.accept().expect("accept");
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        reader.read_line(&mut line).expect("request line");
        let mut headers = Vec::new();
        loop {
            let mut h = String::new();
            reader.read_line(&mut h).expect("header line");
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            let (name, value) = h.split_once(':').expect("header has a colon");
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
        }
        let len: usize = headers
            .iter()
            .find(|(n, _)| n == "content-length")
            .map_or(0, |(_, v)| v.parse().expect("numeric content-length"));
        let mut body = vec![0; len];
        reader.read_exact(&mut body).expect("request body");
        reader
            .get_mut()
            .write_all(&response)
            .expect("write response");
        Request {
            line: line.trim_end().to_owned(),
            headers,
            body,
        }
    });
    (url, handle)
}

const JSON: Option<&str> = Some("application/json; charset=utf-8");

#[test]
fn query_encodes_params_and_sends_bearer() {
    let record = r#"{"uri":"at://did:plc:abc/app.bsky.feed.post/3k2a","value":{"text":"hi","$type":"app.bsky.feed.post","createdAt":"2026-01-01T00:00:00Z"}}"#;
    let (url, server) = serve_once(200, JSON, record.as_bytes());
    let did: Did = "did:plc:abc".parse().expect("did");
    let params = get_record::Params::new(
        did,
        post::Record::collection(),
        RecordKey::new("3k2a").expect("rkey"),
    );
    let out = client(&format!("{url}/"))
        .with_bearer("tok")
        .call::<get_record::GetRecord>(&params, &NoBody)
        .expect("typed output");
    let req = server.join().expect("server thread");
    let debug = format!("{:?}", client(&url).with_bearer("tok"));
    assert!(
        !debug.contains("tok") && debug.contains("<redacted>"),
        "{debug}"
    );
    assert_eq!(
        req.line,
        "GET /xrpc/com.atproto.repo.getRecord?repo=did%3Aplc%3Aabc&collection=app.bsky.feed.post&rkey=3k2a HTTP/1.1"
    );
    assert_eq!(req.header("authorization"), Some("Bearer tok"));
    assert_eq!(out.cid, None);
    assert_eq!(typed::<post::Record>("post", &out.value).text, "hi");
}

#[test]
fn proxy_and_labeler_headers_are_sent() {
    let (url, server) = serve_once(200, JSON, br#"{"did":"did:plc:abc","handle":"a.test"}"#);
    let mut client = client(&url)
        .with_proxy("did:web:api.bsky.app#bsky_appview")
        .with_accept_labelers([("did:plc:labeler", true), ("did:plc:other", false)]);
    client.set_auth(Some("tok".into()));
    assert_eq!(client.auth(), Some("tok"));
    client
        .call::<get_session::GetSession>(&NoParams, &NoBody)
        .expect("typed output");
    let req = server.join().expect("server thread");
    assert_eq!(
        req.header("atproto-proxy"),
        Some("did:web:api.bsky.app#bsky_appview")
    );
    assert_eq!(
        req.header("atproto-accept-labelers"),
        Some("did:plc:labeler;redact, did:plc:other")
    );
    assert_eq!(req.header("authorization"), Some("Bearer tok"));
}

#[test]
fn extra_params_are_sent_and_unsendable_ones_refused() {
    use atproto_types::com::atproto::sync::list_repos;
    use atproto_types::types::Data;
    let body = br#"{"repos":[]}"#;
    let (url, server) = serve_once(200, JSON, body);
    let mut params = list_repos::Params::new().with_limit(5);
    params
        .extra
        .insert("tag".into(), Data::from(vec!["a", "b c"]));
    params.extra.insert("exact".into(), Data::from(false));
    client(&url)
        .call::<list_repos::ListRepos>(&params, &NoBody)
        .expect("typed output");
    let req = server.join().expect("server thread");
    assert_eq!(
        req.line,
        "GET /xrpc/com.atproto.sync.listRepos?limit=5&exact=false&tag=a&tag=b%20c HTTP/1.1"
    );
    // Refused before anything is sent (nothing listens at this URL).
    // (A float cannot even be a `Data`; an object cannot be a query value.)
    params
        .extra
        .insert("ratio".into(), Data::Object(Default::default()));
    match client("http://127.0.0.1:9").call::<list_repos::ListRepos>(&params, &NoBody) {
        Err(ClientError::Params(e)) => assert_eq!(e.name, "ratio"),
        other => panic!("expected a params error, got {other:?}"),
    }
}

#[test]
fn procedure_sends_json_with_its_encoding() {
    let body = r#"{"accessJwt":"a","refreshJwt":"r","handle":"alice.test","did":"did:plc:abc"}"#;
    let (url, server) = serve_once(200, JSON, body.as_bytes());
    let input = create_session::Input::new("alice.test", "pw");
    let out = client(&url)
        .call::<create_session::CreateSession>(&NoParams, &input)
        .expect("typed output");
    let req = server.join().expect("server thread");
    assert_eq!(
        req.line,
        "POST /xrpc/com.atproto.server.createSession HTTP/1.1"
    );
    assert_eq!(req.header("content-type"), Some("application/json"));
    assert_eq!(req.header("authorization"), None);
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&req.body).expect("JSON body"),
        serde_json::json!({"identifier": "alice.test", "password": "pw"})
    );
    assert_eq!(out.handle.as_str(), "alice.test");
}

#[test]
fn raw_bodies_carry_the_callers_content_type() {
    let body = br#"{"blob":{"$type":"blob","ref":{"$link":"bafkreicjo6iji7kgmz3azy4phqaoquwhd7nwnsxijg5or2pn4njhdhqvqe"},"mimeType":"image/png","size":70}}"#;
    for (given, sent) in [
        (Some("image/png"), "image/png"),
        (None, "application/octet-stream"),
    ] {
        let (url, server) = serve_once(200, JSON, body);
        let c = client(&url);
        let input = RawBody(PNG.to_vec());
        let out = match given {
            Some(ct) => c.call_with_content_type::<upload_blob::UploadBlob>(&NoParams, &input, ct),
            None => c.call::<upload_blob::UploadBlob>(&NoParams, &input),
        }
        .expect("typed output");
        let req = server.join().expect("server thread");
        assert_eq!(req.header("content-type"), Some(sent));
        assert_eq!(req.body, PNG);
        assert_eq!(out.blob.size, 70);
    }
}

#[test]
fn empty_success_without_output_is_nobody() {
    let (url, server) = serve_once(200, None, b"");
    let out = client(&url).call::<delete_session::DeleteSession>(&NoParams, &NoBody);
    assert!(matches!(out, Ok(NoBody)), "{out:?}");
    let req = server.join().expect("server thread");
    assert_eq!(req.header("content-type"), None);
    assert!(req.body.is_empty());
}

#[test]
fn error_bodies_become_typed_errors_with_their_status() {
    let (url, server) = serve_once(
        400,
        JSON,
        br#"{"error":"RecordNotFound","message":"Could not locate record"}"#,
    );
    let did: Did = "did:plc:abc".parse().expect("did");
    let params = get_record::Params::new(
        did,
        nsid("app.bsky.feed.post"),
        RecordKey::new("nope").expect("rkey"),
    );
    let err = client(&url)
        .call::<get_record::GetRecord>(&params, &NoBody)
        .expect_err("an error");
    server.join().expect("server thread");
    assert_eq!(err.status(), Some(400));
    assert_eq!(
        err.xrpc(),
        Some(&get_record::Error::RecordNotFound {
            message: Some("Could not locate record".into())
        })
    );
    assert_eq!(
        err.to_string(),
        "HTTP 400: RecordNotFound: Could not locate record"
    );

    let (url, server) = serve_once(401, JSON, br#"{"error":"AuthMissing"}"#);
    let err = client(&url)
        .call::<get_session::GetSession>(&NoParams, &NoBody)
        .expect_err("an error");
    server.join().expect("server thread");
    assert!(
        matches!(&err, ClientError::Xrpc { status: 401, error: get_session::Error::Other { error, message: None }, rate_limit: None } if error == "AuthMissing"),
        "{err:?}"
    );
}

#[test]
fn rate_limit_headers_are_on_the_error() {
    let (url, server) = serve_once_with(
        429,
        &[&[("Content-Type", "application/json")], RATE_LIMIT_HEADERS].concat(),
        br#"{"error":"RateLimitExceeded","message":"slow down"}"#,
    );
    let err = client(&url)
        .call::<get_session::GetSession>(&NoParams, &NoBody)
        .expect_err("an error");
    server.join().expect("server thread");
    assert_eq!(err.status(), Some(429));
    assert_rate_limit_headers(err.rate_limit());
}

#[test]
fn non_xrpc_error_bodies_are_tolerated() {
    for (ct, body) in [
        (Some("text/html"), &b"<html>Bad Gateway</html>"[..]),
        (JSON, &br#"{"message":"no error name"}"#[..]),
        (None, &b""[..]),
    ] {
        let (url, server) = serve_once(502, ct, body);
        let err = client(&url)
            .call::<get_session::GetSession>(&NoParams, &NoBody)
            .expect_err("an error");
        server.join().expect("server thread");
        match err {
            ClientError::Http {
                status: 502,
                body: got,
                rate_limit: None,
            } => assert_eq!(got, body),
            other => panic!("expected ClientError::Http, got {other:?}"),
        }
    }
}

#[test]
fn invalid_output_is_a_decode_error_with_its_path() {
    let body = r#"{"accessJwt":"a","refreshJwt":"r","handle":"not a handle","did":"did:plc:abc"}"#;
    let (url, server) = serve_once(200, JSON, body.as_bytes());
    let err = client(&url)
        .call::<refresh_session::RefreshSession>(&NoParams, &NoBody)
        .expect_err("an invalid handle");
    server.join().expect("server thread");
    match &err {
        ClientError::Decode {
            status: 200,
            error,
            body: got,
        } => {
            assert!(error.to_string().contains("handle"), "{error}");
            assert_eq!(got, body.as_bytes());
        }
        other => panic!("expected ClientError::Decode, got {other:?}"),
    }
}

#[test]
fn unreachable_server_is_a_transport_error() {
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        l.local_addr().expect("local addr").port()
    };
    let err = client(&format!("http://127.0.0.1:{port}"))
        .call::<describe_server::DescribeServer>(&NoParams, &NoBody)
        .expect_err("nothing listens");
    assert!(matches!(err, ClientError::Transport(_)), "{err:?}");
    assert_eq!(err.status(), None);
}

/// An endpoint whose lexicon lists no errors names the runtime's one
/// `UndeclaredError` as its `Error` (no enum of its own), and it reads as an
/// endpoint-specific error type does.
#[test]
fn an_endpoint_without_declared_errors_has_the_shared_error_type() {
    use atproto_types::app::bsky::actor::get_profile;
    use atproto_types::xrpc::{Endpoint, UndeclaredError, XrpcError};
    let e = <get_profile::GetProfile as Endpoint>::Error::from_parts("Gone".into(), None);
    let shared: UndeclaredError = e.clone();
    match e {
        get_profile::Error::Other { error, message } => {
            assert_eq!((error.as_str(), message), ("Gone", None));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(shared.to_string(), "Gone");
}
