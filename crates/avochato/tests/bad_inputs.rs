//! The shared bad-input suite (`tests/fixtures/bad-inputs.json`) through the Rust client, by
//! both of its entries: typed parameters (`Client::execute`, the fixture deserialized into the
//! operation's parameter type, markers as Rust values) and JSON (`Client::call_json`; NaN and the
//! infinities cannot be JSON, so those inputs are typed only). Every bad input must be a
//! validation error naming the file's parameter with nothing reaching the mock; every good
//! input must be sent. Prints a summary (shown without `--nocapture`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
#[path = "common/typed.rs"]
mod typed;

use avochato::{Client, Error, ErrorKind, RequestOptions};
use avochato_mock::MockServer;
use common::{control, mock};
use serde_json::{Value, json};
use typed::{Marked, call_json, call_typed, show};

const SUITE: &str = include_str!("../../../tests/fixtures/bad-inputs.json");
const HOST: &str = "rust";

#[derive(Clone, Copy, PartialEq)]
enum Entry {
    Typed,
    Json,
}

fn client(mock: &MockServer, case: &Value) -> Result<Client, Error> {
    let mut b = Client::builder()
        .auth(mock.auth_id(), mock.auth_secret())
        .base_url(mock.url());
    for (k, v) in case["client_options"].as_object().into_iter().flatten() {
        let v = v.as_str().unwrap().to_string();
        b = match k.as_str() {
            "base_url" => b.base_url(v),
            "subdomain" => b.subdomain(v),
            other => panic!("client option {other} is not mapped"),
        };
    }
    b.build()
}

fn options(case: &Value) -> RequestOptions {
    let mut o = RequestOptions::new();
    for (k, v) in case["call_options"].as_object().into_iter().flatten() {
        o = match k.as_str() {
            "subdomain" => o.subdomain(v.as_str().unwrap()),
            other => panic!("call option {other} is not mapped"),
        };
    }
    o
}

/// The call's result; `None` when the entry cannot express the input.
async fn call(mock: &MockServer, case: &Value, entry: Entry) -> Option<Result<(), Error>> {
    let operation = case["operation"].as_str().unwrap();
    let params = Marked::from_fixture(&case["params"]);
    let json = params.to_json();
    if entry == Entry::Json && json.is_none() {
        return None;
    }
    let c = match client(mock, case) {
        Ok(c) => c,
        Err(e) => return Some(Err(e)),
    };
    Some(match entry {
        Entry::Typed => call_typed(&c, operation, params, &options(case)).await,
        Entry::Json => call_json(&c, operation, json.unwrap(), options(case)).await,
    })
}

async fn recorded(mock: &MockServer) -> usize {
    mock.requests().len()
}

async fn run(mock: &MockServer, suite: &Value, entry: Entry, label: &str) -> (String, Vec<String>) {
    let mut problems = Vec::new();
    control(mock, "/__mock/reset", json!({})).await;
    let applicable = |c: &&Value| c["not_in"].get(HOST).is_none();
    let bad: Vec<&Value> = suite["bad"]
        .as_array()
        .unwrap()
        .iter()
        .filter(applicable)
        .collect();
    let (mut refused, mut inexpressible, mut enclosing) = (0, 0, Vec::new());
    for case in &bad {
        let name = case["name"].as_str().unwrap();
        let param = case["param"].as_str().unwrap();
        match call(mock, case, entry).await {
            None => inexpressible += 1,
            Some(Ok(())) => problems.push(format!("{label}: bad input {name}: accepted")),
            Some(Err(e)) if e.kind() == ErrorKind::Validation && e.param() == Some(param) => {
                refused += 1
            }
            // Typed parameters are turned into JSON by serde, whose error path (kept by
            // serde_path_to_error) ends at an `Option`: a bad value inside an optional
            // window is named by the window (`created_at`, not `created_at.from`).
            Some(Err(e))
                if entry == Entry::Typed
                    && e.kind() == ErrorKind::Validation
                    && e.param()
                        .is_some_and(|p| param.starts_with(&format!("{p}."))) =>
            {
                refused += 1;
                enclosing.push(format!("{} for {param}", e.param().unwrap_or_default()));
            }
            Some(Err(e)) => problems.push(format!(
                "{label}: bad input {name}: {:?} param {:?}, expected {param}: {e}",
                e.kind(),
                e.param()
            )),
        }
    }
    let reached = mock.requests();
    if !reached.is_empty() {
        problems.push(format!(
            "{label}: {} requests reached the mock during the bad inputs: {}",
            reached.len(),
            reached
                .iter()
                .map(|r| format!("{} {}", r.method, r.path))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let good: Vec<&Value> = suite["good"]
        .as_array()
        .unwrap()
        .iter()
        .filter(applicable)
        .collect();
    let mut sent = 0;
    for case in &good {
        let name = case["name"].as_str().unwrap();
        let before = recorded(mock).await;
        let result = call(mock, case, entry).await.expect("good inputs are JSON");
        let count = recorded(mock).await - before;
        match result {
            Err(e) if e.kind() == ErrorKind::Validation => {
                problems.push(format!("{label}: good input {name}: refused: {e}"))
            }
            _ if count != 1 => problems.push(format!(
                "{label}: good input {name}: {count} requests reached the mock, expected 1"
            )),
            _ => sent += 1,
        }
    }
    let expressible = bad.len() - inexpressible;
    let mut line = format!(
        "{label}: {refused}/{expressible} refused, {} requests sent, {sent}/{} good sent",
        reached.len(),
        good.len()
    );
    if !enclosing.is_empty() {
        line.push_str(&format!(
            " ({} named by the enclosing parameter: {})",
            enclosing.len(),
            enclosing.join(", ")
        ));
    }
    if inexpressible > 0 {
        line.push_str(&format!(
            " ({inexpressible} not expressible: NaN and infinities are not JSON)"
        ));
    }
    (line, problems)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_inputs_are_refused_and_good_ones_sent() {
    let suite: Value = serde_json::from_str(SUITE).unwrap();
    assert!(suite["bad"].as_array().unwrap().len() >= 40);
    let mock = mock().await;
    let (typed_line, mut problems) = run(&mock, &suite, Entry::Typed, "rust typed").await;
    let (json_line, more) = run(&mock, &suite, Entry::Json, "rust json").await;
    problems.extend(more);
    show(&format!("{typed_line}\n{json_line}"));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
