//! The shared bad-input suite (`tests/fixtures/bad-inputs.json`) through the `avochato` binary:
//! every bad input, given as flags and arguments (client options from `AVOCHATO_BASE_URL` and
//! `AVOCHATO_SUBDOMAIN`, call options as the global flags), must end with exit code 2 and the
//! parameter named on stderr, with no request reaching the mock; every good input must be
//! sent. Prints a summary (shown without `--nocapture`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
#[path = "common/flags.rs"]
mod flags;

use std::io::Write;

use common::{Cli, Mock, Run};
use serde_json::Value;

const SUITE: &str = include_str!("../../../tests/fixtures/bad-inputs.json");
const HOST: &str = "cli";

fn run(mock: &Mock, case: &Value) -> Run {
    let mut cli = Cli::with_env(mock);
    let mut env = Vec::new();
    for (k, v) in case["client_options"].as_object().into_iter().flatten() {
        let var = match k.as_str() {
            "base_url" => "AVOCHATO_BASE_URL",
            "subdomain" => "AVOCHATO_SUBDOMAIN",
            other => panic!("client option {other} is not mapped"),
        };
        env.push((var.to_string(), v.as_str().unwrap().to_string()));
    }
    cli.set_env(env);
    let mut args = vec!["--json".to_string()];
    for (k, v) in case["call_options"].as_object().into_iter().flatten() {
        match k.as_str() {
            "subdomain" => args.push(format!("--subdomain={}", v.as_str().unwrap())),
            other => panic!("call option {other} is not mapped"),
        }
    }
    args.extend(flags::argv(
        case["operation"].as_str().unwrap(),
        &case["params"],
    ));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    cli.run(&args).no_secret()
}

#[test]
fn bad_inputs_are_refused_and_good_ones_sent() {
    let suite: Value = serde_json::from_str(SUITE).unwrap();
    let mock = Mock::start(&[]);
    let applicable = |c: &&Value| c["not_in"].get(HOST).is_none();
    let all_bad = suite["bad"].as_array().unwrap();
    assert!(all_bad.len() >= 40);
    let bad: Vec<&Value> = all_bad.iter().filter(applicable).collect();
    let mut problems = Vec::new();
    mock.control("POST", "/__mock/reset", None);
    let mut refused = 0;
    for case in &bad {
        let name = case["name"].as_str().unwrap();
        let param = case["param"].as_str().unwrap();
        let r = run(&mock, case);
        let stderr = r.stderr();
        if r.code() != 2 {
            problems.push(format!(
                "bad input {name}: exit code {}: {}",
                r.code(),
                stderr.trim()
            ));
        } else if !flags::names(&stderr, param) {
            problems.push(format!(
                "bad input {name}: stderr does not name {param}: {}",
                stderr.trim()
            ));
        } else {
            refused += 1;
        }
    }
    let reached = mock.control("GET", "/__mock/requests", None)["requests"]
        .as_array()
        .unwrap()
        .clone();
    if !reached.is_empty() {
        problems.push(format!(
            "{} requests reached the mock during the bad inputs: {}",
            reached.len(),
            reached
                .iter()
                .map(|r| format!("{} {}", r["method"], r["path"]))
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
    let count = |mock: &Mock| {
        mock.control("GET", "/__mock/requests", None)["requests"]
            .as_array()
            .unwrap()
            .len()
    };
    for case in &good {
        let name = case["name"].as_str().unwrap();
        let before = count(&mock);
        let r = run(&mock, case);
        let n = count(&mock) - before;
        if r.code() == 2 || !(r.code() == 0 || r.code() == 1) {
            problems.push(format!(
                "good input {name}: exit code {}: {}",
                r.code(),
                r.stderr().trim()
            ));
        } else if n != 1 {
            problems.push(format!(
                "good input {name}: {n} requests reached the mock, expected 1: {}",
                r.stderr().trim()
            ));
        } else {
            sent += 1;
        }
    }
    let skipped = all_bad.len() - bad.len();
    let mut line = format!(
        "cli: {refused}/{} refused, {} requests sent, {sent}/{} good sent",
        bad.len(),
        reached.len(),
        good.len()
    );
    if skipped > 0 {
        line.push_str(&format!(
            " ({skipped} not applicable: not expressible on a command line)"
        ));
    }
    let _ = writeln!(std::io::stderr().lock(), "\n{line}\n");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
