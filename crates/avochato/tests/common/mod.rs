//! Shared by the integration tests: a mock server on loopback and a client for it.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeSet;
use std::sync::Mutex;

use avochato::{Call, Client, Endpoint, Error};
use avochato_mock::{MockConfig, MockServer, Seed};
use serde_json::Value;

/// A secret distinctive enough to search every text for.
pub const SECRET: &str = "sk_test_9f8e7d6c5b4a_DO_NOT_LEAK";
pub const AUTH_ID: &str = "AC_integration_1";

pub async fn mock_with(config: MockConfig) -> MockServer {
    avochato_mock::spawn(config).await.unwrap()
}

pub async fn mock() -> MockServer {
    mock_with(MockConfig {
        seed: Seed {
            auth_id: AUTH_ID.into(),
            auth_secret: SECRET.into(),
            subdomain: "test-account".into(),
        },
        ..MockConfig::default()
    })
    .await
}

pub fn client(mock: &MockServer) -> Client {
    Client::builder()
        .auth(mock.auth_id(), mock.auth_secret())
        .base_url(mock.url())
        .build()
        .unwrap()
}

/// Fails if an error's text holds the secret; returns the error for more checks.
pub fn clean(err: Error) -> Error {
    let text = format!(
        "{err} | {err:?} | {:?} | {:?}",
        err.errors(),
        err.body_excerpt()
    );
    assert!(!text.contains(SECRET), "the secret leaked: {text}");
    err
}

/// A plain HTTP client (for control routes).
pub fn http() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}

/// POSTs to a control route.
pub async fn control(mock: &MockServer, path: &str, body: Value) -> Value {
    let http = http();
    let resp = http
        .post(format!("{}{path}", mock.url()))
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = resp.status();
    let v: Value = resp.json().await.unwrap();
    assert!(status.is_success(), "{path}: {status} {v}");
    v
}

pub async fn fault(mock: &MockServer, fault: Value) {
    control(mock, "/__mock/faults", fault).await;
}

/// Requests the mock received for `method path`.
pub fn received(mock: &MockServer, method: &str, path: &str) -> usize {
    mock.requests()
        .iter()
        .filter(|r| r.method == method && r.path == path)
        .count()
}

/// Runs calls and remembers which operations ran.
#[derive(Default)]
pub struct Tracker {
    pub seen: Mutex<BTreeSet<&'static str>>,
}

impl Tracker {
    pub async fn run<P: Endpoint>(&self, call: Call<P>) -> P::Output {
        self.seen.lock().unwrap().insert(P::SPEC.title);
        match call.await {
            Ok(v) => v,
            Err(e) => panic!("{}: {e:?}", P::SPEC.title),
        }
    }

    pub async fn fail<P: Endpoint>(&self, call: Call<P>) -> Error {
        self.seen.lock().unwrap().insert(P::SPEC.title);
        match call.await {
            Ok(_) => panic!("{} should have failed", P::SPEC.title),
            Err(e) => clean(e),
        }
    }
}
