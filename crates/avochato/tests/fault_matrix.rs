//! The shared fault matrix (`tests/fixtures/fault-matrix.json`) through the Rust client: for
//! every fault and operation of the file, reset the mock, install the fault, make the call once
//! (typed parameters, the file's client settings), and compare the outcome (ok or the error's
//! kind), the requests the mock's recorder holds for the operation and, for the POST, the
//! messages stored. Prints the matrix (shown without `--nocapture`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
#[path = "common/table.rs"]
mod table;
#[path = "common/typed.rs"]
mod typed;

use std::time::{Duration, Instant};

use avochato::{Client, RequestOptions};
use common::{http, mock};
use serde_json::{Value, json};
use table::table;
use typed::{Marked, call_typed, show};

const MATRIX: &str = include_str!("../../../tests/fixtures/fault-matrix.json");

/// POSTs to a control route of the mock.
async fn control(
    http: &reqwest::Client,
    mock: &avochato_mock::MockServer,
    path: &str,
    body: Value,
) {
    let r = http
        .post(format!("{}{path}", mock.url()))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{path}: {}", r.status());
}

async fn recorded(
    http: &reqwest::Client,
    mock: &avochato_mock::MockServer,
    method: &str,
    path: &str,
) -> usize {
    let v: Value = http
        .get(format!(
            "{}/__mock/requests?method={method}&path={path}",
            mock.url()
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    v["requests"].as_array().unwrap().len()
}

async fn stored(http: &reqwest::Client, mock: &avochato_mock::MockServer, text: &str) -> u64 {
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("auth_id", mock.auth_id())
        .append_pair("auth_secret", mock.auth_secret())
        .append_pair("query", &format!("\"{text}\""))
        .finish();
    let v: Value = http
        .get(format!("{}/v1/messages?{query}", mock.url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    v["data"]["messages"].as_array().unwrap().len() as u64
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_fault_matrix_as_the_file_says() {
    let m: Value = serde_json::from_str(MATRIX).unwrap();
    let mock = mock().await;
    // One plain client for the control routes and the checks (made once: it reads the
    // system's root certificates).
    let http = http();
    let settings = &m["client"];
    let client = Client::builder()
        .auth(mock.auth_id(), mock.auth_secret())
        .base_url(mock.url())
        .timeout(Duration::from_millis(
            settings["timeout_ms"].as_u64().unwrap(),
        ))
        .max_retries(settings["max_retries"].as_u64().unwrap() as u32)
        .max_retry_wait(Duration::from_millis(
            settings["max_retry_wait_ms"].as_u64().unwrap(),
        ))
        .build()
        .unwrap();
    let operations = m["operations"].as_object().unwrap();
    let mut rows = Vec::new();
    let mut mismatches = Vec::new();
    let started = Instant::now();
    for case in m["faults"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let mut cells = Vec::new();
        for (operation, op) in operations {
            let (method, path) = (op["method"].as_str().unwrap(), op["path"].as_str().unwrap());
            control(&http, &mock, "/__mock/reset", json!({})).await;
            let mut f = case["fault"].clone();
            f["method"] = json!(method);
            f["path"] = json!(path);
            control(&http, &mock, "/__mock/faults", f).await;

            let result = call_typed(
                &client,
                operation,
                Marked::from_fixture(&op["params"]),
                &RequestOptions::default(),
            )
            .await;
            let outcome = match &result {
                Ok(()) => "ok".to_string(),
                Err(e) => common::clean(e.clone()).kind().as_str().to_string(),
            };
            let mut seen =
                json!({"outcome": outcome, "requests": recorded(&http, &mock, method, path).await});
            if method == "POST" {
                let n = stored(&http, &mock, op["params"]["message"].as_str().unwrap()).await;
                assert!(n <= 1, "{name}: a message was stored {n} times");
                seen["stored"] = json!(n);
            }
            let expected = &case["expect"][method];
            cells.push(table::cell(&seen, expected));
            if &seen != expected {
                mismatches.push(format!(
                    "{name} on {operation}: got {seen}, expected {expected}"
                ));
            }
        }
        rows.push((name.to_string(), cells));
    }
    let columns: Vec<String> = operations
        .iter()
        .map(|(n, op)| format!("rust {} {n}", op["method"].as_str().unwrap()))
        .collect();
    show(&format!(
        "{}\nrust: {} cells in {:.2} s",
        table("fault matrix: rust", &columns, &rows),
        rows.len() * columns.len(),
        started.elapsed().as_secs_f64()
    ));
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}
