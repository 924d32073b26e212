//! A bounded load test: 10,000 requests at concurrency 64 against the binary complete with
//! no error. Prints the throughput and the server's memory (figures, not assertions).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use serde_json::json;

fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

#[test]
fn ten_thousand_requests_at_concurrency_64() {
    const TOTAL: usize = 10_000;
    const CONCURRENCY: usize = 64;
    let mut child = Command::new(env!("CARGO_BIN_EXE_avochato-mock"))
        .args(["--port", "0"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let url = first
        .trim_end()
        .strip_prefix("listening on ")
        .unwrap()
        .to_string();
    let pid = child.id();
    let before = rss_kib(pid);

    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let (elapsed, errors) = rt.block_on(async {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::new();
        let next = Arc::new(AtomicUsize::new(0));
        let errors = Arc::new(AtomicUsize::new(0));
        let started = Instant::now();
        let workers: Vec<_> = (0..CONCURRENCY)
            .map(|_| {
                let (http, url, next, errors) = (http.clone(), url.clone(), next.clone(), errors.clone());
                tokio::spawn(async move {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= TOTAL {
                            break;
                        }
                        let auth = [("auth_id", "test-auth-id"), ("auth_secret", "test-auth-secret")];
                        let result = match i % 4 {
                            0 => {
                                let body = json!({"auth_id": "test-auth-id", "auth_secret": "test-auth-secret",
                                    "phone": format!("+1415{:07}", i % 2000), "message": "load"});
                                http.post(format!("{url}/v1/messages")).json(&body).send().await
                            }
                            1 => http.get(format!("{url}/v1/contacts")).query(&auth).query(&[("limit", "20")]).send().await,
                            2 => http.get(format!("{url}/v1/tickets")).query(&auth).send().await,
                            _ => http.get(format!("{url}/v1/whoami")).query(&auth).send().await,
                        };
                        let ok = match result {
                            Ok(r) => r.status().is_success() && r.bytes().await.is_ok(),
                            Err(_) => false,
                        };
                        if !ok {
                            errors.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                })
            })
            .collect();
        for w in workers {
            w.await.unwrap();
        }
        (started.elapsed(), errors.load(Ordering::Relaxed))
    });
    let after = rss_kib(pid);
    let _ = child.kill();
    let _ = child.wait();
    eprintln!(
        "load: {TOTAL} requests at concurrency {CONCURRENCY} in {:.2} s = {:.0} req/s; errors {errors}; \
         server RSS {:.1} MiB before, {:.1} MiB after (state: 2,500 messages, 2,000 contacts, 10,000 recorded requests)",
        elapsed.as_secs_f64(),
        TOTAL as f64 / elapsed.as_secs_f64(),
        before as f64 / 1024.0,
        after as f64 / 1024.0
    );
    assert_eq!(errors, 0);
}
