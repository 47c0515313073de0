//! JSON over HTTP for the resolution chain and publishing, on `ureq` (the
//! generated client's HTTP crate). Like that client, it is built without
//! TLS unless the `https` feature is on: then plain `http://` only.

use super::error::StepError;
use serde_json::Value;
use std::time::Duration;

/// Bodies larger than this are refused (a lexicon is a few kilobytes).
const MAX_BODY: u64 = 16 * 1024 * 1024;

/// A blocking JSON client.
#[derive(Debug, Clone)]
pub struct Http {
    agent: ureq::Agent,
}

impl Default for Http {
    fn default() -> Self {
        Http::new(Duration::from_secs(30))
    }
}

impl Http {
    /// A client whose every request gives up after `timeout`.
    pub fn new(timeout: Duration) -> Self {
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .http_status_as_error(false)
            .build();
        Http {
            agent: config.into(),
        }
    }

    /// `GET url`, expecting a JSON object.
    pub fn get_json(&self, url: &str) -> Result<Value, StepError> {
        supported("GET", url)?;
        let response = self
            .agent
            .get(url)
            .header("Accept", "application/json")
            .call();
        read_json("GET", url, response)
    }

    /// `GET url`, expecting bytes (a CAR file).
    pub fn get_bytes(&self, url: &str) -> Result<Vec<u8>, StepError> {
        supported("GET", url)?;
        let fail = |message: String| StepError::Http {
            method: "GET",
            url: url.to_owned(),
            message,
        };
        let mut response = self
            .agent
            .get(url)
            .call()
            .map_err(|e| fail(e.to_string()))?;
        let status = response.status().as_u16();
        let body = response
            .body_mut()
            .with_config()
            .limit(MAX_BODY)
            .read_to_vec()
            .map_err(|e| fail(format!("HTTP {status}, reading the body: {e}")))?;
        if !(200..300).contains(&status) {
            let text = String::from_utf8_lossy(&body);
            return Err(fail(format!(
                "HTTP {status} {}",
                text.chars().take(200).collect::<String>()
            )));
        }
        Ok(body)
    }

    /// `POST url` with a JSON body and an optional bearer token.
    pub fn post_json(
        &self,
        url: &str,
        bearer: Option<&str>,
        body: &Value,
    ) -> Result<Value, StepError> {
        let mut request = self
            .agent
            .post(url)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json");
        if let Some(token) = bearer {
            request = request.header("Authorization", &format!("Bearer {token}"));
        }
        let response = request.send(body.to_string().as_bytes());
        read_json("POST", url, response)
    }
}

/// Without the `https` feature, an `https://` URL fails with a hint
/// rather than ureq's generic TLS error.
fn supported(method: &'static str, url: &str) -> Result<(), StepError> {
    if cfg!(feature = "https") || !url.starts_with("https://") {
        return Ok(());
    }
    Err(StepError::Http {
        method,
        url: url.to_owned(),
        message: "this lexgen was built without TLS; build it with `--features https`, \
                  or point --plc (and the DID document) at an http:// service"
            .into(),
    })
}

fn read_json(
    method: &'static str,
    url: &str,
    response: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
) -> Result<Value, StepError> {
    let fail = |message: String| StepError::Http {
        method,
        url: url.to_owned(),
        message,
    };
    let mut response = response.map_err(|e| fail(e.to_string()))?;
    let status = response.status().as_u16();
    let text = response
        .body_mut()
        .with_config()
        .limit(MAX_BODY)
        .read_to_string()
        .map_err(|e| fail(format!("HTTP {status}, reading the body: {e}")))?;
    let json: Result<Value, _> = serde_json::from_str(&text);
    if !(200..300).contains(&status) {
        // XRPC errors are `{"error": NAME, "message": TEXT}`.
        let detail = match &json {
            Ok(v) => [v.get("error"), v.get("message")]
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(": "),
            Err(_) => text.chars().take(200).collect(),
        };
        return Err(fail(
            format!("HTTP {status} {detail}").trim_end().to_owned(),
        ));
    }
    json.map_err(|e| fail(format!("HTTP {status}, but the body is not JSON: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(not(feature = "https"))]
    fn https_without_the_feature_says_how_to_get_it() {
        let err = Http::default()
            .get_json("https://plc.directory/did:plc:x")
            .unwrap_err();
        assert!(err.to_string().contains("--features https"), "{err}");
    }
}
