//! Helpers for the end-to-end tests against the official PDS started by
//! `tests/e2e/pds.sh`.

use atproto_types::client::Client;
use atproto_types::com::atproto::server::{create_account, describe_server};
use atproto_types::formats::{Did, Handle};
use atproto_types::xrpc::{NoBody, NoParams};
use std::time::{SystemTime, UNIX_EPOCH};

/// The PDS's base URL, or `None` (the test then skips itself, saying so)
/// when `LEXGEN_PDS_URL` is not set.
pub fn pds_url(test: &str) -> Option<String> {
    let url = std::env::var("LEXGEN_PDS_URL")
        .ok()
        .filter(|u| !u.is_empty());
    if url.is_none() {
        println!("{test}: SKIPPED (LEXGEN_PDS_URL is not set; run tests/e2e/pds.sh)");
    }
    url
}

/// A new account on the PDS at `url`, with a handle and email unique to
/// this run starting with `prefix`: (handle, DID, email).
pub async fn new_account(url: &str, prefix: &str, password: &str) -> (Handle, Did, String) {
    let anon = Client::new(url);
    let server = anon
        .call::<describe_server::DescribeServer>(&NoParams, &NoBody)
        .await
        .expect("describeServer");
    let domain = server.available_user_domains[0].clone();
    let n = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_millis()
        % 1_000_000_000;
    let handle = Handle::new(format!("{prefix}{n}{domain}")).expect("a valid handle");
    let email = format!("{prefix}{n}@example.com");
    let input = create_account::Input::new(handle.clone())
        .with_email(email.clone())
        .with_password(password);
    let account = anon
        .call::<create_account::CreateAccount>(&NoParams, &input)
        .await
        .expect("createAccount");
    (handle, account.did, email)
}
