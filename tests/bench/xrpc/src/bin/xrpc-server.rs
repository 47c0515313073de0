//! The Rust side of the XRPC benchmark: the runtime's axum `XrpcRouter`
//! (feature `server`) answering `com.atproto.server.getSession` on
//! 127.0.0.1 with a fixed session after a bearer-token check, as
//! `server.mjs` does with `@atproto/xrpc-server`. Prints `PORT=<port>` once
//! listening. Argument: worker threads (default: tokio's, one per core).

use atproto_types::com::atproto::server::get_session::{self, GetSession};
use atproto_types::formats::{Did, Handle};
use atproto_types::server::{axum, Auth, XrpcRouter};
use atproto_types::xrpc::{NoBody, NoParams, XrpcError};
use std::io::Write;

const TOKEN: &str = "bench-token";

fn main() {
    let threads: usize = match std::env::args().nth(1) {
        Some(n) => n.parse().expect("the number of worker threads"),
        None => 0,
    };
    let mut runtime = tokio::runtime::Builder::new_multi_thread();
    runtime.enable_all();
    if threads > 0 {
        runtime.worker_threads(threads);
    }
    runtime.build().expect("tokio runtime").block_on(serve());
}

async fn serve() {
    let session = get_session::Output::new(
        Handle::new("bench.test").expect("handle"),
        Did::new("did:plc:ewvi7nxzyoun6zhxrhs64oiz").expect("did"),
    )
    .with_email("bench@example.com")
    .with_email_confirmed(true)
    .with_active(true);
    let handler = move |_: NoParams, _: NoBody, auth: Auth| {
        let result = match auth.bearer() {
            Some(TOKEN) => Ok(session.clone()),
            _ => Err(get_session::Error::from_parts(
                "AuthenticationRequired".into(),
                Some("Invalid bearer token".into()),
            )),
        };
        async move { result }
    };
    let router = XrpcRouter::new()
        .query::<GetSession, _>(handler)
        .into_router();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1:0");
    let port = listener.local_addr().expect("local address").port();
    println!("PORT={port}");
    std::io::stdout().flush().expect("stdout");
    axum::serve(listener, router).await.expect("serve");
}
