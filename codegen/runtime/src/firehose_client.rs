//! Event streams over WebSocket: a client for `com.atproto.sync.subscribeRepos`
//! (and any subscription whose marker type implements
//! [`Subscription`]), on tokio-tungstenite with rustls.
//!
//! ```ignore
//! use atproto_types::com::atproto::sync::subscribe_repos::{Message, SubscribeRepos};
//! use atproto_types::firehose_client::Firehose;
//! use atproto_types::records::Record;
//!
//! let mut firehose = Firehose::<SubscribeRepos, Record>::connect("wss://bsky.network", None).await?;
//! while let Some(event) = firehose.next().await {
//!     let event = event?; // header `t`, `seq`, typed `Message`, `#commit` ops with typed records
//! }
//! // Later: resume after the last event seen.
//! let again = Firehose::<SubscribeRepos, Record>::connect(host, firehose.cursor()).await?;
//! ```
//!
//! Each binary message is decoded by [`super::firehose`]: the body into
//! `S::Message` (an unknown `t` kept as the union's unknown member), a
//! `#commit`'s blocks read as a CAR with every CID verified and each op
//! matched to its record `R`. An error frame ends the stream with
//! [`Error::Server`] holding the subscription's typed error.

use super::cbor::{self, FromData};
use super::firehose::{decode_event, read_frame, seq_of, Event, Frame};
use super::types::Data;
use super::xrpc::{encode_query, trim_base_url, Subscription, XrpcError};
use futures_util::{Stream, StreamExt};
use serde::de::DeserializeOwned;
use std::fmt;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::{Connector, MaybeTlsStream, WebSocketStream};

/// What a stream can fail with. `E` is the subscription's typed error
/// (e.g. `subscribe_repos::Error` with `FutureCursor`, `ConsumerTooSlow`).
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The host is not a `ws`/`wss`/`http`/`https` URL, or the connection or
    /// WebSocket handshake failed.
    Connect(String),
    /// The server's error frame; the stream ends after it.
    Server(E),
    /// A frame that does not decode, or a `#commit` whose blocks do not
    /// match their CIDs or whose records are missing or invalid. The stream
    /// goes on; `seq` is the frame's, when it could be read.
    Frame {
        /// The frame's `seq`, if known.
        seq: Option<i64>,
        /// What was wrong, with the data path.
        source: cbor::Error,
    },
    /// The connection broke; the stream ends.
    Transport(String),
    /// From [`Firehose::next_verified`]: a `#commit` that is not signed by
    /// its account's key (or whose key does not resolve). The stream goes
    /// on; the cursor does not move past it.
    Signature {
        /// The frame's `seq`, if known.
        seq: Option<i64>,
        /// Why, naming the account.
        message: String,
    },
}

impl<E: XrpcError> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Connect(e) => write!(f, "firehose: cannot connect: {e}"),
            Error::Server(e) => match e.message() {
                Some(message) => write!(f, "firehose: server error {}: {message}", e.name()),
                None => write!(f, "firehose: server error {}", e.name()),
            },
            Error::Frame {
                seq: Some(seq),
                source,
            } => write!(f, "firehose: frame seq {seq}: {source}"),
            Error::Frame { seq: None, source } => write!(f, "firehose: frame: {source}"),
            Error::Transport(e) => write!(f, "firehose: connection: {e}"),
            Error::Signature { seq, message } => match seq {
                Some(seq) => write!(f, "firehose: frame seq {seq}: commit signature: {message}"),
                None => write!(f, "firehose: commit signature: {message}"),
            },
        }
    }
}

impl<E: XrpcError + fmt::Debug> std::error::Error for Error<E> {}

/// A binary message of the stream, or why there is none.
type Message<E> = Result<Vec<u8>, Error<E>>;

/// A subscription's stream of typed events; records of `#commit` ops are
/// read as `R` (a generated crate's `records::Record`, or [`super::types::Data`]).
pub struct Firehose<S: Subscription, R> {
    socket: WebSocketStream<MaybeTlsStream<TcpStream>>,
    cursor: Option<i64>,
    done: bool,
    types: PhantomData<fn() -> (S, R)>,
}

impl<S: Subscription, R> fmt::Debug for Firehose<S, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Firehose")
            .field("nsid", &S::NSID)
            .field("cursor", &self.cursor)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

/// The subscription's URL on `host`: `ws`/`wss` kept, `http`/`https`
/// mapped to them, then `/xrpc/<NSID>` and the cursor, if any.
fn url_of(host: &str, nsid: &str, cursor: Option<i64>) -> Result<String, String> {
    let host = trim_base_url(host);
    let base = if let Some(rest) = host.strip_prefix("https://") {
        format!("wss://{rest}")
    } else if let Some(rest) = host.strip_prefix("http://") {
        format!("ws://{rest}")
    } else if host.starts_with("wss://") || host.starts_with("ws://") {
        host
    } else {
        return Err(format!(
            "{host:?} is not a ws://, wss://, http:// or https:// URL"
        ));
    };
    let query = cursor
        .map(|c| format!("?{}", encode_query(&[("cursor", c.to_string())])))
        .unwrap_or_default();
    Ok(format!("{base}/xrpc/{nsid}{query}"))
}

/// rustls with the ring provider and the webpki roots, as the XRPC client
/// uses (independent of which provider other crates enable).
fn tls() -> Result<Connector, String> {
    let roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| e.to_string())?
    .with_root_certificates(roots)
    .with_no_client_auth();
    Ok(Connector::Rustls(Arc::new(config)))
}

impl<S, R> Firehose<S, R>
where
    S: Subscription,
    S::Message: DeserializeOwned,
    R: FromData,
{
    /// Subscribes on `host` (`wss://bsky.network`, `http://127.0.0.1:2583`,
    /// ...), from `cursor` if given (the events after that `seq`), else
    /// from now.
    ///
    /// # Errors
    ///
    /// [`Error::Connect`] for a bad URL or a failed connection or handshake.
    pub async fn connect(host: &str, cursor: Option<i64>) -> Result<Self, Error<S::Error>> {
        let url = url_of(host, S::NSID, cursor).map_err(Error::Connect)?;
        let connector = url.starts_with("wss://").then(tls).transpose();
        let connector = connector.map_err(Error::Connect)?;
        let (socket, _) =
            tokio_tungstenite::connect_async_tls_with_config(url.as_str(), None, false, connector)
                .await
                .map_err(|e| Error::Connect(format!("{url}: {e}")))?;
        Ok(Firehose {
            socket,
            cursor,
            done: false,
            types: PhantomData,
        })
    }

    /// The `seq` of the last event handed out (or the cursor connected
    /// with): pass it to [`Firehose::connect`] to resume after it.
    pub fn cursor(&self) -> Option<i64> {
        self.cursor
    }

    /// The next event; `None` once the stream has ended (closed by either
    /// side, after an error frame, or after a transport error).
    pub async fn next(&mut self) -> Option<Result<Event<S::Message, R>, Error<S::Error>>> {
        StreamExt::next(self).await
    }

    /// The next event, as [`Firehose::next`], with every `#commit` checked
    /// against its account's signing key first (feature `identity`): keys
    /// are kept in `keys`, resolved when missing or when a check fails (a
    /// rotated key), and an `#identity` event drops its account's key. A
    /// commit that fails is [`Error::Signature`], and the stream goes on.
    #[cfg(feature = "identity")]
    pub async fn next_verified(
        &mut self,
        keys: &super::identity::SigningKeys,
    ) -> Option<Result<Event<S::Message, R>, Error<S::Error>>> {
        let bytes = match std::future::poll_fn(|cx| self.poll_binary(cx)).await? {
            Ok(bytes) => bytes,
            Err(e) => return Some(Err(e)),
        };
        let (t, body) = match self.frame(&bytes) {
            Ok(frame) => frame,
            Err(e) => return Some(Err(e)),
        };
        let did = |key: &str| match super::firehose::get(&body, key) {
            Some(Data::String(did)) => super::formats::Did::new(did.as_str()).ok(),
            _ => None,
        };
        match t.as_str() {
            "#commit" => {
                let seq = seq_of(&body);
                let Some(repo) = did("repo") else {
                    let message = "a #commit without a `repo` DID".to_owned();
                    return Some(Err(Error::Signature { seq, message }));
                };
                let check =
                    |key: &super::crypto::PublicKey| super::firehose::verify_commit(&body, key);
                if let Err(e) = keys.verify(&repo, check).await {
                    return Some(Err(Error::Signature {
                        seq,
                        message: e.to_string(),
                    }));
                }
            }
            "#identity" => {
                if let Some(did) = did("did") {
                    keys.forget(did.as_str());
                }
            }
            _ => {}
        }
        Some(self.event(t, &body))
    }

    /// Closes the connection cleanly (a close frame, then the server's
    /// reply).
    ///
    /// # Errors
    ///
    /// [`Error::Transport`] if the connection broke meanwhile.
    pub async fn close(mut self) -> Result<(), Error<S::Error>> {
        if self.done {
            return Ok(());
        }
        match self.socket.close(None).await {
            Ok(()) => {}
            Err(tokio_tungstenite::tungstenite::Error::ConnectionClosed) => return Ok(()),
            Err(e) => return Err(Error::Transport(e.to_string())),
        }
        // Drain until the server's close frame ends the stream.
        while let Some(message) = self.socket.next().await {
            if let Err(e) = message {
                return match e {
                    tokio_tungstenite::tungstenite::Error::ConnectionClosed => Ok(()),
                    e => Err(Error::Transport(e.to_string())),
                };
            }
        }
        Ok(())
    }

    /// Decodes one binary message; advances the cursor on success.
    fn decode(&mut self, bytes: &[u8]) -> Result<Event<S::Message, R>, Error<S::Error>> {
        let (t, body) = self.frame(bytes)?;
        self.event(t, &body)
    }

    /// The header `t` and body of a message frame; an error frame is the
    /// subscription's typed error, and ends the stream.
    fn frame(&mut self, bytes: &[u8]) -> Result<(String, Data), Error<S::Error>> {
        let frame = |source| Error::Frame { seq: None, source };
        match read_frame(bytes, S::NSID).map_err(frame)? {
            Frame::Error { error, message } => {
                self.done = true;
                Err(Error::Server(S::Error::from_parts(error, message)))
            }
            Frame::Message { t, body } => Ok((t, body)),
        }
    }

    /// The typed event of a message frame; advances the cursor.
    fn event(&mut self, t: String, body: &Data) -> Result<Event<S::Message, R>, Error<S::Error>> {
        let seq = seq_of(body);
        let event = decode_event(t, body).map_err(|source| Error::Frame { seq, source })?;
        if seq.is_some() {
            self.cursor = seq;
        }
        Ok(event)
    }

    /// The next binary message (pings and text skipped); `None` once the
    /// stream has ended.
    fn poll_binary(&mut self, cx: &mut Context<'_>) -> Poll<Option<Message<S::Error>>> {
        loop {
            if self.done {
                return Poll::Ready(None);
            }
            let message = match self.socket.poll_next_unpin(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(message) => message,
            };
            match message {
                Some(Ok(WsMessage::Binary(bytes))) => return Poll::Ready(Some(Ok(bytes.to_vec()))),
                // Pings are answered by tungstenite; text frames are not
                // part of event streams.
                Some(Ok(WsMessage::Text(_) | WsMessage::Ping(_) | WsMessage::Pong(_)))
                | Some(Ok(WsMessage::Frame(_))) => {}
                // Keep reading after a close frame: tungstenite then sends
                // the reply and ends the stream.
                Some(Ok(WsMessage::Close(_))) => {}
                None | Some(Err(tokio_tungstenite::tungstenite::Error::ConnectionClosed)) => {
                    self.done = true;
                }
                Some(Err(e)) => {
                    self.done = true;
                    return Poll::Ready(Some(Err(Error::Transport(e.to_string()))));
                }
            }
        }
    }
}

impl<S, R> Stream for Firehose<S, R>
where
    S: Subscription,
    S::Message: DeserializeOwned,
    R: FromData,
{
    type Item = Result<Event<S::Message, R>, Error<S::Error>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        this.poll_binary(cx)
            .map(|message| message.map(|bytes| bytes.and_then(|bytes| this.decode(&bytes))))
    }
}

#[cfg(test)]
mod tests;
