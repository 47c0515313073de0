//! A session on a PDS: log in, keep the tokens, refresh them when the
//! server says `ExpiredToken` (once, shared by concurrent calls), persist
//! through a [`SessionStore`], resume, log out.
//!
//! The four session endpoints are called through private marker types over
//! plain JSON, so that the runtime needs no generated code.

use super::super::formats::{Did, Handle};
use super::super::xrpc::{Endpoint, Method, NoBody, NoParams, XrpcError};
use super::{Client, ClientError};
use serde_json::{json, Map, Value};
use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex as StdMutex};
use tokio::sync::{Mutex, RwLock};

/// A logged-in session: who, and the two tokens.
#[derive(Clone, PartialEq, Eq)]
pub struct Session {
    /// The account's DID.
    pub did: Did,
    /// The account's handle (`handle.invalid` when the server cannot
    /// verify it).
    pub handle: Handle,
    /// The access JWT, sent with every call.
    pub access_jwt: String,
    /// The refresh JWT, sent only to `refreshSession` and `deleteSession`.
    pub refresh_jwt: String,
    /// The account's email, when the server tells.
    pub email: Option<String>,
    /// `false` for a deactivated or taken-down account, when the server tells.
    pub active: Option<bool>,
}

// By hand, so that logging a session does not leak its tokens.
impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("did", &self.did)
            .field("handle", &self.handle)
            .field("email", &self.email)
            .field("active", &self.active)
            .finish_non_exhaustive()
    }
}

impl Session {
    /// The session as JSON, in the wire's field names (to persist it).
    pub fn to_json(&self) -> Value {
        let mut map = Map::new();
        map.insert("did".into(), json!(self.did.as_str()));
        map.insert("handle".into(), json!(self.handle.as_str()));
        map.insert("accessJwt".into(), json!(self.access_jwt));
        map.insert("refreshJwt".into(), json!(self.refresh_jwt));
        if let Some(email) = &self.email {
            map.insert("email".into(), json!(email));
        }
        if let Some(active) = self.active {
            map.insert("active".into(), json!(active));
        }
        Value::Object(map)
    }

    /// A session from JSON: what [`Session::to_json`] wrote, or a
    /// `createSession`/`refreshSession` output. `None` when a required field
    /// is missing, not a string, or (`did`, `handle`) not of its format.
    pub fn from_json(value: &Value) -> Option<Session> {
        let s = |k: &str| value.get(k).and_then(Value::as_str).map(str::to_owned);
        Some(Session {
            did: Did::new(s("did")?).ok()?,
            handle: Handle::new(s("handle")?).ok()?,
            access_jwt: s("accessJwt")?,
            refresh_jwt: s("refreshJwt")?,
            email: s("email"),
            active: value.get("active").and_then(Value::as_bool),
        })
    }
}

/// Where an [`Agent`] keeps its session, so an app can persist it and
/// resume later. Called on every change (`None`: logged out).
pub trait SessionStore: Send + Sync {
    /// The stored session, if any.
    fn load(&self) -> Option<Session>;
    /// Stores the session, or forgets it (`None`).
    fn save(&self, session: Option<&Session>);
}

/// The default store: in memory only.
#[derive(Debug, Default)]
pub struct MemorySessionStore(StdMutex<Option<Session>>);

impl SessionStore for MemorySessionStore {
    fn load(&self) -> Option<Session> {
        self.0.lock().map(|s| s.clone()).unwrap_or(None)
    }
    fn save(&self, session: Option<&Session>) {
        if let Ok(mut slot) = self.0.lock() {
            *slot = session.cloned();
        }
    }
}

/// An error of a session endpoint, by name (`AuthFactorTokenRequired`,
/// `AccountTakedown`, `ExpiredToken`, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionError {
    /// The error name.
    pub error: String,
    /// The message, if any.
    pub message: Option<String>,
}

impl XrpcError for SessionError {
    fn from_parts(error: String, message: Option<String>) -> Self {
        SessionError { error, message }
    }
    fn name(&self) -> &str {
        &self.error
    }
    fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }
}

impl fmt::Display for SessionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        super::super::xrpc::fmt_error(self, f)
    }
}

impl std::error::Error for SessionError {}

macro_rules! session_endpoint {
    ($name:ident, $nsid:literal, $method:ident, $input:ty, $input_encoding:expr, $output:ty) => {
        struct $name;
        impl Endpoint for $name {
            const NSID: &'static str = $nsid;
            const METHOD: Method = Method::$method;
            const INPUT_ENCODING: Option<&'static str> = $input_encoding;
            const OUTPUT_ENCODING: Option<&'static str> = Some("application/json");
            type Params = NoParams;
            type Input = $input;
            type Output = $output;
            type Error = SessionError;
        }
    };
}

const JSON: Option<&str> = Some("application/json");
session_endpoint!(
    CreateSession,
    "com.atproto.server.createSession",
    Post,
    Value,
    JSON,
    Value
);
session_endpoint!(
    RefreshSession,
    "com.atproto.server.refreshSession",
    Post,
    NoBody,
    None,
    Value
);
session_endpoint!(
    GetSession,
    "com.atproto.server.getSession",
    Get,
    NoBody,
    None,
    Value
);
// No output: whatever the server sends (nothing, or `{}`) is ignored.
session_endpoint!(
    DeleteSession,
    "com.atproto.server.deleteSession",
    Post,
    NoBody,
    None,
    NoBody
);

/// A result of a session endpoint.
pub type SessionResult<T> = Result<T, ClientError<SessionError>>;

/// A client with a session. Cloning is cheap; clones share the session.
#[derive(Clone)]
pub struct Agent {
    client: Client,
    session: Arc<RwLock<Option<Session>>>,
    /// Held while refreshing, so concurrent expired calls refresh once.
    refreshing: Arc<Mutex<()>>,
    store: Arc<dyn SessionStore>,
}

impl fmt::Debug for Agent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Agent")
            .field("client", &self.client)
            .finish_non_exhaustive()
    }
}

impl Agent {
    /// An agent for the PDS at `base_url`, with an in-memory store.
    pub fn new(base_url: impl Into<String>) -> Self {
        Self::with_client(Client::new(base_url))
    }

    /// An agent over a configured client (proxy, labelers, retries); its
    /// bearer token, if any, is replaced by the session's.
    pub fn with_client(client: Client) -> Self {
        Agent {
            client,
            session: Arc::default(),
            refreshing: Arc::default(),
            store: Arc::new(MemorySessionStore::default()),
        }
    }

    /// The same agent, keeping its session in `store` (not loaded yet: see
    /// [`Agent::resume_from_store`]).
    pub fn with_store(mut self, store: Arc<dyn SessionStore>) -> Self {
        self.store = store;
        self
    }

    /// The client without session (for calls that need no auth).
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The current session, if logged in.
    pub async fn session(&self) -> Option<Session> {
        self.session.read().await.clone()
    }

    /// The session's DID, if logged in.
    pub async fn did(&self) -> Option<Did> {
        self.session.read().await.as_ref().map(|s| s.did.clone())
    }

    async fn set_session(&self, session: Option<Session>) {
        self.store.save(session.as_ref());
        *self.session.write().await = session;
    }

    /// Logs in with a handle or an email and a password (and the code sent
    /// by email, when the server asks with `AuthFactorTokenRequired`).
    pub async fn login(
        &self,
        identifier: &str,
        password: &str,
        auth_factor_token: Option<&str>,
    ) -> SessionResult<Session> {
        let mut input = json!({ "identifier": identifier, "password": password });
        if let Some(token) = auth_factor_token {
            input["authFactorToken"] = json!(token);
        }
        let out = self.client.call::<CreateSession>(&NoParams, &input).await?;
        let session = session_from(out, None)?;
        self.set_session(Some(session.clone())).await;
        Ok(session)
    }

    /// Resumes `session` (from an earlier run): checks it with
    /// `getSession`, refreshing the tokens if the access token expired.
    pub async fn resume(&self, session: Session) -> SessionResult<Session> {
        self.set_session(Some(session)).await;
        let out = self
            .with_session(|c| async move { c.call::<GetSession>(&NoParams, &NoBody).await })
            .await;
        let out = match out {
            Ok(out) => out,
            Err(e) => {
                self.set_session(None).await;
                return Err(e);
            }
        };
        let mut guard = self.session.write().await;
        let current = guard.as_mut().ok_or_else(not_logged_in)?;
        if let Some(handle) = out.get("handle").and_then(Value::as_str) {
            current.handle = Handle::new(handle).unwrap_or(current.handle.clone());
        }
        if let Some(email) = out.get("email").and_then(Value::as_str) {
            current.email = Some(email.to_owned());
        }
        current.active = out
            .get("active")
            .and_then(Value::as_bool)
            .or(current.active);
        let session = current.clone();
        drop(guard);
        self.store.save(Some(&session));
        Ok(session)
    }

    /// Resumes the session the store holds, if any.
    pub async fn resume_from_store(&self) -> SessionResult<Option<Session>> {
        match self.store.load() {
            Some(session) => self.resume(session).await.map(Some),
            None => Ok(None),
        }
    }

    /// Logs out: `deleteSession` with the refresh token, then forgets the
    /// session (also when the server refuses: the tokens are dropped anyway).
    pub async fn logout(&self) -> SessionResult<()> {
        let Some(session) = self.session().await else {
            return Ok(());
        };
        let client = self.client.clone().with_bearer(session.refresh_jwt);
        let result = client.call::<DeleteSession>(&NoParams, &NoBody).await;
        self.set_session(None).await;
        result.map(|_| ())
    }

    /// Refreshes the tokens now with `refreshSession`.
    pub async fn refresh(&self) -> SessionResult<Session> {
        let access = self.session().await.map(|s| s.access_jwt);
        self.refresh_after(access.as_deref()).await
    }

    /// Refreshes the tokens unless another call already replaced
    /// `expired_access` while this one waited for the lock.
    async fn refresh_after(&self, expired_access: Option<&str>) -> SessionResult<Session> {
        let _guard = self.refreshing.lock().await;
        let current = self.session().await.ok_or_else(not_logged_in)?;
        if Some(current.access_jwt.as_str()) != expired_access {
            return Ok(current);
        }
        let client = self.client.clone().with_bearer(current.refresh_jwt.clone());
        let out = client.call::<RefreshSession>(&NoParams, &NoBody).await?;
        let session = session_from(out, Some(&current))?;
        self.set_session(Some(session.clone())).await;
        Ok(session)
    }

    /// Calls endpoint `E` with the session's access token; on `ExpiredToken`
    /// refreshes the tokens once and calls again.
    pub async fn call<E: Endpoint>(
        &self,
        params: &E::Params,
        input: &E::Input,
    ) -> Result<E::Output, ClientError<E::Error>> {
        self.with_session(|c| async move { c.call::<E>(params, input).await })
            .await
    }

    /// Calls procedure `E` with a body built by `body` (called again for the
    /// retry after a refresh), e.g. a blob streamed from a file.
    pub async fn call_with_body<E: Endpoint>(
        &self,
        params: &E::Params,
        mut body: impl FnMut() -> super::reqwest::Body,
        content_type: &str,
    ) -> Result<E::Output, ClientError<E::Error>> {
        self.with_session(|c| {
            let body = body();
            async move { c.call_with_body::<E>(params, body, content_type).await }
        })
        .await
    }

    /// Runs `call` with a client carrying the access token, refreshing and
    /// running it again once when the server answers `ExpiredToken`.
    async fn with_session<T, E, F, Fut>(&self, mut call: F) -> Result<T, ClientError<E>>
    where
        E: XrpcError,
        F: FnMut(Client) -> Fut,
        Fut: Future<Output = Result<T, ClientError<E>>>,
    {
        let access = self.session().await.map(|s| s.access_jwt);
        let mut client = self.client.clone();
        client.set_auth(access.clone());
        let first = call(client.clone()).await;
        let expired = matches!(&first, Err(ClientError::Xrpc { error, .. }) if error.name() == "ExpiredToken");
        if !expired || access.is_none() {
            return first;
        }
        match self.refresh_after(access.as_deref()).await {
            Ok(session) => {
                client.set_auth(Some(session.access_jwt));
                call(client).await
            }
            // The refresh token is no good either: the caller sees the expiry.
            Err(_) => first,
        }
    }
}

fn not_logged_in() -> ClientError<SessionError> {
    ClientError::Xrpc {
        status: 401,
        error: SessionError {
            error: "AuthenticationRequired".into(),
            message: Some("not logged in".into()),
        },
        rate_limit: None,
    }
}

/// The session in a `createSession`/`refreshSession` output; fields the
/// refresh output may leave out are kept from `previous`.
fn session_from(out: Value, previous: Option<&Session>) -> SessionResult<Session> {
    let mut out = out;
    if let (Some(prev), Value::Object(map)) = (previous, &mut out) {
        for (key, value) in [("did", prev.did.as_str()), ("handle", prev.handle.as_str())] {
            map.entry(key).or_insert_with(|| json!(value));
        }
    }
    let mut session = Session::from_json(&out).ok_or_else(|| ClientError::Decode {
        status: 200,
        error: super::super::xrpc::BodyError::new(
            "the session output lacks did, handle, accessJwt or refreshJwt, or has a bad did or handle",
        ),
        body: out.to_string().into_bytes(),
    })?;
    if let Some(prev) = previous {
        session.email = session.email.or(prev.email.clone());
    }
    Ok(session)
}
