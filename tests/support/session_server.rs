//! A small PDS-like session server on the runtime's `server` feature:
//! `describeServer`, `createSession`, `getSession`, `refreshSession`,
//! `deleteSession`, with tokens kept in memory. Tests (and the TypeScript
//! `AtpAgent` scenario) drive it: `expire_access_tokens` makes every current
//! access token answer `ExpiredToken`, as a real PDS does when one runs out.
//!
//! Accounts: `alice.test` / `hunter22`; `twofa.test` / `hunter22` needs the
//! auth factor token `123456`; `banned.test` is taken down.

use atproto_types::com::atproto::server::{
    create_session, delete_session, describe_server, get_session, refresh_session,
};
use atproto_types::server::{Auth, XrpcRouter};
use atproto_types::xrpc::{NoBody, NoParams};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// The accounts' DIDs.
pub const ALICE_DID: &str = "did:plc:alice0000000000000000000";
pub const TWOFA_DID: &str = "did:plc:twofa0000000000000000000";

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Access { did: String, expired: bool },
    Refresh { did: String },
}

/// The server's state, shared by its handlers and the test.
#[derive(Debug, Default)]
pub struct State {
    tokens: Mutex<HashMap<String, Token>>,
    next: AtomicU64,
    /// `refreshSession` calls answered.
    pub refreshes: AtomicU64,
    /// The `atproto-proxy` and `atproto-accept-labelers` headers last seen.
    pub last_headers: Mutex<(Option<String>, Option<String>)>,
}

impl State {
    /// Marks every access token issued so far as expired.
    pub fn expire_access_tokens(&self) {
        for token in self.tokens.lock().unwrap().values_mut() {
            if let Token::Access { expired, .. } = token {
                *expired = true;
            }
        }
    }

    fn issue(&self, did: &str) -> (String, String) {
        let n = self.next.fetch_add(1, Ordering::SeqCst);
        let (access, refresh) = (format!("access-{n}"), format!("refresh-{n}"));
        let mut tokens = self.tokens.lock().unwrap();
        tokens.insert(
            access.clone(),
            Token::Access {
                did: did.into(),
                expired: false,
            },
        );
        tokens.insert(refresh.clone(), Token::Refresh { did: did.into() });
        (access, refresh)
    }

    /// The DID of a valid access token, or the error name to answer.
    fn access(&self, auth: &Auth) -> Result<String, &'static str> {
        let mut seen = self.last_headers.lock().unwrap();
        let header = |n: &str| {
            auth.headers()
                .get(n)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        *seen = (header("atproto-proxy"), header("atproto-accept-labelers"));
        let token = auth.bearer().ok_or("AuthenticationRequired")?;
        match self.tokens.lock().unwrap().get(token) {
            Some(Token::Access { expired: true, .. }) => Err("ExpiredToken"),
            Some(Token::Access { did, .. }) => Ok(did.clone()),
            _ => Err("InvalidToken"),
        }
    }

    /// Takes a valid refresh token out of the table (tokens rotate).
    fn take_refresh(&self, auth: &Auth) -> Option<String> {
        let mut tokens = self.tokens.lock().unwrap();
        match tokens.remove(auth.bearer()?) {
            Some(Token::Refresh { did }) => Some(did),
            _ => None,
        }
    }
}

fn handle_of(did: &str) -> &'static str {
    match did {
        TWOFA_DID => "twofa.test",
        _ => "alice.test",
    }
}

fn other<E: atproto_types::xrpc::XrpcError>(name: &str, message: &str) -> E {
    E::from_parts(name.into(), Some(message.into()))
}

/// The router serving the five session endpoints over `state`.
pub fn router(state: Arc<State>) -> atproto_types::server::axum::Router {
    let (s1, s2, s3, s4) = (state.clone(), state.clone(), state.clone(), state);
    XrpcRouter::new()
        .query::<describe_server::DescribeServer, _>(|_: NoParams, _: NoBody, _: Auth| async move {
            Ok(describe_server::Output::new(
                vec![".test".to_owned()],
                "did:web:localhost"
                    .parse::<atproto_types::formats::Did>()
                    .unwrap(),
            )
            .with_invite_code_required(false))
        })
        .procedure::<create_session::CreateSession, _>(
            move |_: NoParams, input: create_session::Input, _: Auth| {
                let state = s1.clone();
                async move {
                    let id = input.identifier.as_str();
                    let did = match (id, input.password.as_str()) {
                        ("banned.test", _) => {
                            return Err(create_session::Error::AccountTakedown {
                                message: Some("Account has been taken down".into()),
                            })
                        }
                        ("alice.test" | "alice@example.com", "hunter22") => ALICE_DID,
                        ("twofa.test", "hunter22") => {
                            if input.auth_factor_token.as_deref() != Some("123456") {
                                return Err(create_session::Error::AuthFactorTokenRequired {
                                    message: Some("A sign in code has been sent".into()),
                                });
                            }
                            TWOFA_DID
                        }
                        _ => {
                            return Err(other(
                                "AuthenticationRequired",
                                "Invalid identifier or password",
                            ))
                        }
                    };
                    let (access_jwt, refresh_jwt) = state.issue(did);
                    Ok(create_session::Output::new(
                        access_jwt,
                        refresh_jwt,
                        handle_of(did)
                            .parse::<atproto_types::formats::Handle>()
                            .unwrap(),
                        did.parse::<atproto_types::formats::Did>().unwrap(),
                    )
                    .with_email("alice@example.com")
                    .with_email_confirmed(true)
                    .with_email_auth_factor(did == TWOFA_DID)
                    .with_active(true))
                }
            },
        )
        .query::<get_session::GetSession, _>(move |_: NoParams, _: NoBody, auth: Auth| {
            let state = s2.clone();
            async move {
                let did = state
                    .access(&auth)
                    .map_err(|e| other(e, "bad access token"))?;
                Ok(get_session::Output::new(
                    handle_of(&did)
                        .parse::<atproto_types::formats::Handle>()
                        .unwrap(),
                    did.parse::<atproto_types::formats::Did>().unwrap(),
                )
                .with_email("alice@example.com")
                .with_email_confirmed(true)
                .with_email_auth_factor(false)
                .with_active(true))
            }
        })
        .procedure::<refresh_session::RefreshSession, _>(
            move |_: NoParams, _: NoBody, auth: Auth| {
                let state = s3.clone();
                async move {
                    state.refreshes.fetch_add(1, Ordering::SeqCst);
                    let Some(did) = state.take_refresh(&auth) else {
                        return Err(refresh_session::Error::InvalidToken {
                            message: Some("bad refresh token".into()),
                        });
                    };
                    let (access_jwt, refresh_jwt) = state.issue(&did);
                    Ok(refresh_session::Output::new(
                        access_jwt,
                        refresh_jwt,
                        handle_of(&did)
                            .parse::<atproto_types::formats::Handle>()
                            .unwrap(),
                        did.parse::<atproto_types::formats::Did>().unwrap(),
                    )
                    .with_active(true))
                }
            },
        )
        .procedure::<delete_session::DeleteSession, _>(move |_: NoParams, _: NoBody, auth: Auth| {
            let state = s4.clone();
            async move {
                match state.take_refresh(&auth) {
                    Some(_) => Ok(NoBody),
                    None => Err(delete_session::Error::InvalidToken {
                        message: Some("bad refresh token".into()),
                    }),
                }
            }
        })
        .into_router()
}

/// Serves `router(state)` on a free loopback port; returns the base URL.
pub async fn spawn(state: Arc<State>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        atproto_types::server::axum::serve(listener, router(state))
            .await
            .unwrap()
    });
    format!("http://{addr}")
}
