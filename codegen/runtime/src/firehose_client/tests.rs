//! The client against an in-process WebSocket server feeding frames.

use super::*;
use crate::cbor::{cid_of_bytes, encode, CODEC_DAG_CBOR};
use crate::repo::tests::{car, obj, record};
use crate::types::Data;
use crate::xrpc::NoParams;
use futures_util::SinkExt;
use tokio::net::TcpListener;
use tokio_tungstenite::tungstenite::handshake::server::{Request, Response};

/// A subscription whose messages stay [`Data`] (the generated crate's
/// `subscribe_repos` types are tested in `tests/firehose_client.rs`).
struct Repos;

#[derive(Debug, PartialEq)]
enum ReposError {
    FutureCursor(Option<String>),
    Other(String),
}

impl XrpcError for ReposError {
    fn from_parts(error: String, message: Option<String>) -> Self {
        match error.as_str() {
            "FutureCursor" => ReposError::FutureCursor(message),
            _ => ReposError::Other(error),
        }
    }
    fn name(&self) -> &str {
        match self {
            ReposError::FutureCursor(_) => "FutureCursor",
            ReposError::Other(name) => name,
        }
    }
    fn message(&self) -> Option<&str> {
        match self {
            ReposError::FutureCursor(message) => message.as_deref(),
            ReposError::Other(_) => None,
        }
    }
}

impl Subscription for Repos {
    const NSID: &'static str = "com.atproto.sync.subscribeRepos";
    type Params = NoParams;
    type Message = Data;
    type Error = ReposError;
}

type Client = Firehose<Repos, Data>;

fn frame(t: Option<&str>, body: &Data) -> Vec<u8> {
    let header = match t {
        Some(t) => obj(&[("op", Data::Integer(1)), ("t", Data::String(t.into()))]),
        None => obj(&[("op", Data::Integer(-1))]),
    };
    let mut out = encode(&header).unwrap();
    out.extend(encode(body).unwrap());
    out
}

fn identity(seq: i64) -> Vec<u8> {
    frame(
        Some("#identity"),
        &obj(&[
            ("seq", Data::Integer(seq)),
            ("did", Data::String("did:plc:abc".into())),
        ]),
    )
}

/// A `#commit` creating one post; with `tamper`, the record's block no
/// longer hashes to its CID.
fn commit(seq: i64, tamper: bool) -> Vec<u8> {
    let post = record("hello");
    let cid = cid_of_bytes(CODEC_DAG_CBOR, &post).unwrap();
    let mut blocks = car(&[post]);
    if tamper {
        let last = blocks.len() - 2;
        blocks[last] ^= 1;
    }
    let op = obj(&[
        ("action", Data::String("create".into())),
        ("path", Data::String("app.bsky.feed.post/3aaa".into())),
        ("cid", Data::Link(cid)),
    ]);
    frame(
        Some("#commit"),
        &obj(&[
            ("seq", Data::Integer(seq)),
            ("repo", Data::String("did:plc:abc".into())),
            ("ops", Data::Array(vec![op])),
            ("blocks", Data::Bytes(blocks)),
        ]),
    )
}

/// Serves one connection: sends `frames` as binary messages, then closes;
/// returns the host to connect to and the request path it saw.
async fn serve(frames: Vec<Vec<u8>>) -> (String, tokio::task::JoinHandle<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let host = format!("ws://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let (stream, _) = listener.accept().await.unwrap();
        let mut path = String::new();
        // The callback's signature is tungstenite's.
        #[allow(clippy::result_large_err)]
        let callback = |request: &Request, response: Response| {
            path = request.uri().to_string();
            Ok(response)
        };
        let mut socket = tokio_tungstenite::accept_hdr_async(stream, callback)
            .await
            .unwrap();
        for frame in frames {
            socket.send(WsMessage::Binary(frame.into())).await.unwrap();
        }
        socket.close(None).await.unwrap();
        // Until the client's close reply.
        while let Some(Ok(_)) = socket.next().await {}
        path
    });
    (host, task)
}

#[tokio::test]
async fn events_arrive_typed_with_verified_ops_and_the_cursor_follows() {
    let unknown = frame(Some("#future"), &obj(&[("seq", Data::Integer(3))]));
    let (host, server) = serve(vec![identity(1), commit(2, false), unknown]).await;
    let mut client = Client::connect(&host, Some(0)).await.unwrap();
    assert_eq!(client.cursor(), Some(0));

    let identity = client.next().await.unwrap().unwrap();
    assert_eq!((identity.t.as_str(), identity.seq), ("#identity", Some(1)));
    assert_eq!(
        identity.message.type_tag(),
        Some("com.atproto.sync.subscribeRepos#identity")
    );
    assert!(identity.ops.is_empty());

    let commit = client.next().await.unwrap().unwrap();
    assert_eq!(commit.seq, Some(2));
    let [op] = commit.ops.as_slice() else {
        panic!("{:?}", commit.ops)
    };
    assert_eq!(
        (op.collection.as_str(), op.rkey.as_str()),
        ("app.bsky.feed.post", "3aaa")
    );
    assert_eq!(
        crate::cbor::to_vec(op.record.as_ref().unwrap()).unwrap(),
        record("hello")
    );
    assert_eq!(client.cursor(), Some(2));

    // An unknown `t` is kept, typed as the subscription's `#future`.
    let future = client.next().await.unwrap().unwrap();
    assert_eq!(
        future.message.type_tag(),
        Some("com.atproto.sync.subscribeRepos#future")
    );
    assert_eq!(client.cursor(), Some(3));

    assert!(client.next().await.is_none(), "the server closed");
    assert!(client.next().await.is_none());
    let path = server.await.unwrap();
    assert_eq!(path, "/xrpc/com.atproto.sync.subscribeRepos?cursor=0");
}

#[tokio::test]
async fn an_error_frame_is_the_typed_error_and_ends_the_stream() {
    let error = frame(
        None,
        &obj(&[
            ("error", Data::String("FutureCursor".into())),
            ("message", Data::String("Cursor in the future.".into())),
        ]),
    );
    let (host, server) = serve(vec![identity(1), error, identity(2)]).await;
    let mut client = Client::connect(&host, Some(99)).await.unwrap();
    assert_eq!(client.next().await.unwrap().unwrap().seq, Some(1));
    let Some(Err(Error::Server(error))) = client.next().await else {
        panic!("no error frame")
    };
    assert_eq!(
        error,
        ReposError::FutureCursor(Some("Cursor in the future.".into()))
    );
    assert!(
        client.next().await.is_none(),
        "nothing after an error frame"
    );
    assert_eq!(client.cursor(), Some(1));
    drop(client);
    server.await.unwrap();
}

#[tokio::test]
async fn a_block_not_matching_its_cid_is_a_frame_error_and_the_stream_goes_on() {
    let (host, server) = serve(vec![commit(1, true), b"\xa0".to_vec(), commit(2, false)]).await;
    let mut client = Client::connect(&host, None).await.unwrap();
    let Some(Err(Error::Frame { seq, source })) = client.next().await else {
        panic!("tampered commit accepted")
    };
    assert_eq!(seq, Some(1));
    assert!(
        source.to_string().contains("does not hash to its CID"),
        "{source}"
    );
    assert_eq!(
        client.cursor(),
        None,
        "a bad frame does not move the cursor"
    );
    // A frame that is not a header + body: no seq.
    let Some(Err(Error::Frame { seq: None, .. })) = client.next().await else {
        panic!("a malformed frame accepted")
    };
    assert_eq!(client.next().await.unwrap().unwrap().seq, Some(2));
    assert!(client.next().await.is_none());
    assert_eq!(
        server.await.unwrap(),
        "/xrpc/com.atproto.sync.subscribeRepos"
    );
}

#[tokio::test]
async fn close_ends_the_connection_cleanly() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let host = format!("http://{}/", listener.local_addr().unwrap());
    let server = tokio::spawn(async move {
        let (stream, _) = listener.accept().await.unwrap();
        let mut socket = tokio_tungstenite::accept_async(stream).await.unwrap();
        socket
            .send(WsMessage::Binary(identity(7).into()))
            .await
            .unwrap();
        // The client's close frame, then the end of the stream.
        let mut closed = false;
        while let Some(message) = socket.next().await {
            closed |= matches!(message, Ok(WsMessage::Close(_)));
        }
        closed
    });
    let mut client = Client::connect(&host, None).await.unwrap();
    assert_eq!(client.next().await.unwrap().unwrap().seq, Some(7));
    client.close().await.unwrap();
    assert!(server.await.unwrap(), "the server saw a close frame");
}

#[test]
fn urls_map_http_to_ws_and_carry_the_cursor() {
    let nsid = "com.atproto.sync.subscribeRepos";
    assert_eq!(
        url_of("https://bsky.network/", nsid, Some(42)).unwrap(),
        "wss://bsky.network/xrpc/com.atproto.sync.subscribeRepos?cursor=42"
    );
    assert_eq!(
        url_of("ws://127.0.0.1:2583", nsid, None).unwrap(),
        "ws://127.0.0.1:2583/xrpc/com.atproto.sync.subscribeRepos"
    );
    assert!(url_of("ftp://example.com", nsid, None).is_err());
}

#[tokio::test]
async fn connecting_to_nothing_is_a_connect_error() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let host = format!("ws://{}", listener.local_addr().unwrap());
    drop(listener);
    let err = Client::connect(&host, None).await.unwrap_err();
    assert!(matches!(err, Error::Connect(_)), "{err}");
    assert!(err.to_string().contains("cannot connect"), "{err}");
}

/// `next_verified`: a commit signed by `@atproto/repo` (the crypto
/// vectors) is checked against the key of the DID document a loopback PLC
/// directory serves.
#[cfg(feature = "identity")]
mod verified {
    use super::*;
    use crate::identity::{Resolver, SigningKeys};
    use crate::types::base64_decode;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    const DID: &str = "did:plc:ewvi7nxzyoun6zhxrhs64oiz";

    fn vectors() -> serde_json::Value {
        serde_json::from_str(include_str!("../crypto/vectors.json")).unwrap()
    }

    /// The multikey of commit vector `i`'s signer.
    fn multikey(i: usize) -> String {
        let did_key = vectors()["commits"][i]["didKey"]
            .as_str()
            .unwrap()
            .to_owned();
        did_key.strip_prefix("did:key:").unwrap().to_owned()
    }

    /// A `#commit` frame carrying commit vector 0 (no ops).
    fn signed_commit(seq: i64) -> Vec<u8> {
        let commits = vectors();
        let block = base64_decode(commits["commits"][0]["commitBase64"].as_str().unwrap()).unwrap();
        let cid = cid_of_bytes(CODEC_DAG_CBOR, &block).unwrap();
        frame(
            Some("#commit"),
            &obj(&[
                ("seq", Data::Integer(seq)),
                ("repo", Data::String(DID.into())),
                ("commit", Data::Link(cid)),
                ("ops", Data::Array(Vec::new())),
                ("blocks", Data::Bytes(car(&[block]))),
            ]),
        )
    }

    /// A PLC directory answering every request with `DID`'s document
    /// naming `key`.
    async fn plc(key: String) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let doc = serde_json::json!({"id": DID, "verificationMethod": [
            {"id": "#atproto", "type": "Multikey", "publicKeyMultibase": key}]})
        .to_string();
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let mut request = [0u8; 4096];
                let _ = stream.read(&mut request).await;
                let response = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{doc}",
                    doc.len()
                );
                let _ = stream.write_all(response.as_bytes()).await;
            }
        });
        url
    }

    #[tokio::test]
    async fn a_commit_signed_by_the_accounts_key_passes() {
        let keys = SigningKeys::new(Resolver::new().with_plc(plc(multikey(0)).await));
        let (host, server) = serve(vec![signed_commit(1), identity(2)]).await;
        let mut client = Client::connect(&host, None).await.unwrap();
        let event = client.next_verified(&keys).await.unwrap().unwrap();
        assert_eq!((event.t.as_str(), event.seq), ("#commit", Some(1)));
        assert_eq!(
            client.next_verified(&keys).await.unwrap().unwrap().seq,
            Some(2)
        );
        assert!(client.next_verified(&keys).await.is_none());
        server.await.unwrap();
    }

    #[tokio::test]
    async fn a_commit_signed_by_another_key_is_a_signature_error_and_the_stream_goes_on() {
        let keys = SigningKeys::new(Resolver::new().with_plc(plc(multikey(1)).await));
        let (host, server) = serve(vec![signed_commit(1), identity(2)]).await;
        let mut client = Client::connect(&host, None).await.unwrap();
        let Some(Err(Error::Signature { seq, message })) = client.next_verified(&keys).await else {
            panic!("a commit by another key accepted")
        };
        assert_eq!(seq, Some(1));
        assert!(
            message.contains(DID) && message.contains("does not verify"),
            "{message}"
        );
        assert_eq!(client.cursor(), None, "not past a commit that failed");
        assert_eq!(
            client.next_verified(&keys).await.unwrap().unwrap().seq,
            Some(2)
        );
        assert!(client.next_verified(&keys).await.is_none());
        server.await.unwrap();
    }
}
