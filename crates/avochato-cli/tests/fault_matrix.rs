//! The shared fault matrix (`tests/fixtures/fault-matrix.json`) through the `avochato` binary:
//! for every fault and operation of the file, reset the mock, install the fault, run the
//! command once (credentials from the environment, `--timeout` and `--max-retries` from the
//! file), and compare the outcome as the CLI reports it (exit code 0: ok; otherwise the kind its
//! error line words), the requests the mock's recorder holds and, for the POST, the messages
//! stored. Prints the matrix (shown without `--nocapture`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
#[path = "common/flags.rs"]
mod flags;
#[path = "../../avochato/tests/common/table.rs"]
mod table;

use std::io::Write;
use std::time::Instant;

use common::{Cli, Mock, SECRET};
use serde_json::{Value, json};

const MATRIX: &str = include_str!("../../../tests/fixtures/fault-matrix.json");

fn stored(mock: &Mock, text: &str) -> u64 {
    let query = format!(
        "auth_id={}&auth_secret={SECRET}&query=%22{}%22",
        common::AUTH_ID,
        text.replace(' ', "%20")
    );
    let v = mock.control("GET", &format!("/v1/messages?{query}"), None);
    v["data"]["messages"].as_array().unwrap().len() as u64
}

#[test]
fn the_fault_matrix_as_the_file_says() {
    let m: Value = serde_json::from_str(MATRIX).unwrap();
    let mock = Mock::start(&[]);
    let cli = Cli::with_env(&mock);
    let settings = &m["client"];
    let timeout = format!("{}", settings["timeout_ms"].as_f64().unwrap() / 1000.0);
    let retries = settings["max_retries"].to_string();
    // The CLI has no option for the longest Retry-After it waits (its default, 60 s, is above
    // the file's): the matrix's 429s ask for 0 s or none.
    let operations = m["operations"].as_object().unwrap();
    let mut rows = Vec::new();
    let mut mismatches = Vec::new();
    let started = Instant::now();
    for case in m["faults"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let mut cells = Vec::new();
        for (operation, op) in operations {
            let (method, path) = (op["method"].as_str().unwrap(), op["path"].as_str().unwrap());
            mock.control("POST", "/__mock/reset", None);
            let mut f = case["fault"].clone();
            f["method"] = json!(method);
            f["path"] = json!(path);
            mock.fault(f);

            let mut args: Vec<String> =
                ["--json", "--timeout", &timeout, "--max-retries", &retries]
                    .map(String::from)
                    .to_vec();
            args.extend(flags::argv(operation, &op["params"]));
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let run = cli.run(&args).no_secret();
            let outcome = match run.code() {
                0 => "ok".to_string(),
                1 | 2 => flags::kind_of(&run.stderr()).to_string(),
                n => format!("exit {n}"),
            };
            let mut seen =
                json!({"outcome": outcome, "requests": mock.requests(method, path).len()});
            if method == "POST" {
                let n = stored(&mock, op["params"]["message"].as_str().unwrap());
                assert!(n <= 1, "{name}: a message was stored {n} times");
                seen["stored"] = json!(n);
            }
            let expected = &case["expect"][method];
            cells.push(table::cell(&seen, expected));
            if &seen != expected {
                mismatches.push(format!(
                    "{name} on {operation}: got {seen}, expected {expected}; stderr: {}",
                    run.stderr().trim()
                ));
            }
        }
        rows.push((name.to_string(), cells));
    }
    let columns: Vec<String> = operations
        .iter()
        .map(|(n, op)| format!("cli {} {n}", op["method"].as_str().unwrap()))
        .collect();
    let mut out = std::io::stderr().lock();
    let _ = writeln!(
        out,
        "\n{}\ncli: {} cells in {:.2} s\n",
        table::table("fault matrix: cli", &columns, &rows),
        rows.len() * columns.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}
