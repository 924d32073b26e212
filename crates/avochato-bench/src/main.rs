//! The Rust side of `make bench`: the SDK against raw reqwest + serde_json on the same
//! loopback server (avochato-mock answering from prepared bodies).
//!
//! `avochato-bench calls URL ID SECRET N` prints per-call latency and throughput as JSON;
//! `avochato-bench memory URL ID SECRET` walks the canned 100,000-contact list and prints
//! its peak RSS above the baseline.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::time::{Duration, Instant};

use avochato::Client;
use avochato::params::{ListContactsParams, SearchContactsParams, SendMessagesParams};
use futures_util::TryStreamExt;
use serde_json::{Value, json};

#[derive(Clone)]
struct Target {
    url: String,
    id: String,
    secret: String,
    sdk: Client,
    raw: reqwest::Client,
}

#[derive(Clone, Copy, PartialEq)]
enum Op {
    Send,
    List,
}

#[derive(Clone, Copy, PartialEq)]
enum Side {
    Sdk,
    Raw,
}

impl Target {
    async fn call(&self, op: Op, side: Side) {
        match (op, side) {
            (Op::Send, Side::Sdk) => {
                let m = self
                    .sdk
                    .messages()
                    .send(SendMessagesParams::new("+14155550100", "Benchmark message"))
                    .await
                    .unwrap();
                std::hint::black_box(m);
            }
            (Op::List, Side::Sdk) => {
                let page = self
                    .sdk
                    .contacts()
                    .list(ListContactsParams::new().limit(100))
                    .await
                    .unwrap();
                assert_eq!(page.items.len(), 100);
                std::hint::black_box(page);
            }
            (Op::Send, Side::Raw) => {
                let body = json!({"auth_id": self.id, "auth_secret": self.secret, "phone": "+14155550100", "message": "Benchmark message"});
                let bytes = self
                    .raw
                    .post(format!("{}/v1/messages", self.url))
                    .json(&body)
                    .send()
                    .await
                    .unwrap()
                    .bytes()
                    .await
                    .unwrap();
                std::hint::black_box(serde_json::from_slice::<Value>(&bytes).unwrap());
            }
            (Op::List, Side::Raw) => {
                let q = form_urlencoded::Serializer::new(String::new())
                    .append_pair("auth_id", &self.id)
                    .append_pair("auth_secret", &self.secret)
                    .append_pair("limit", "100")
                    .finish();
                let bytes = self
                    .raw
                    .get(format!("{}/v1/contacts?{q}", self.url))
                    .send()
                    .await
                    .unwrap()
                    .bytes()
                    .await
                    .unwrap();
                let v: Value = serde_json::from_slice(&bytes).unwrap();
                assert_eq!(v["data"]["contacts"].as_array().map(Vec::len), Some(100));
                std::hint::black_box(v);
            }
        }
    }
}

fn stats(mut us: Vec<f64>) -> Value {
    us.sort_by(f64::total_cmp);
    let at = |q: f64| us[((q * us.len() as f64).ceil() as usize).clamp(1, us.len()) - 1];
    json!({"median_us": at(0.5), "p99_us": at(0.99), "n": us.len()})
}

/// Median and p99 per call over three rounds of `n` calls a side, the sides alternating
/// in blocks of 100: the median is the middle round's, the p99 over every call.
async fn latency(t: &Target, op: Op, n: usize) -> Value {
    for side in [Side::Sdk, Side::Raw] {
        for _ in 0..200 {
            t.call(op, side).await;
        }
    }
    let (mut all_sdk, mut all_raw, mut rounds) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..3 {
        let (mut sdk, mut raw) = (Vec::with_capacity(n), Vec::with_capacity(n));
        while sdk.len() < n {
            for (side, out) in [(Side::Sdk, &mut sdk), (Side::Raw, &mut raw)] {
                for _ in 0..100 {
                    let start = Instant::now();
                    t.call(op, side).await;
                    out.push(start.elapsed().as_secs_f64() * 1e6);
                }
            }
        }
        let (s, r) = (
            stats(sdk.clone())["median_us"].as_f64().unwrap(),
            stats(raw.clone())["median_us"].as_f64().unwrap(),
        );
        rounds.push((s / r, s, r));
        all_sdk.extend(sdk);
        all_raw.extend(raw);
    }
    rounds.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (ratio, sdk_median, raw_median) = rounds[1];
    let (mut sdk, mut raw) = (stats(all_sdk), stats(all_raw));
    sdk["median_us"] = json!(sdk_median);
    raw["median_us"] = json!(raw_median);
    json!({"sdk": sdk, "raw": raw, "ratio": ratio, "round_ratios": rounds.iter().map(|r| r.0).collect::<Vec<_>>()})
}

/// Requests per second with `c` tasks sharing `n` requests.
async fn throughput(t: &Target, op: Op, side: Side, c: usize, n: usize) -> f64 {
    let start = Instant::now();
    let tasks: Vec<_> = (0..c)
        .map(|i| {
            let t = t.clone();
            let share = n / c + usize::from(i < n % c);
            tokio::spawn(async move {
                for _ in 0..share {
                    t.call(op, side).await;
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    n as f64 / start.elapsed().as_secs_f64()
}

/// Every contact of the canned 1,000-page list with reqwest + serde_json.
async fn raw_walk(http: &reqwest::Client, url: &str, id: &str, secret: &str) -> u64 {
    let (mut count, mut after): (u64, Option<String>) = (0, None);
    loop {
        let mut q = form_urlencoded::Serializer::new(String::new());
        q.append_pair("auth_id", id)
            .append_pair("auth_secret", secret)
            .append_pair("limit", "100");
        if let Some(a) = &after {
            q.append_pair("after_page", a);
        }
        let bytes = http
            .get(format!("{url}/v1/contacts?{}", q.finish()))
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        let v: Value = serde_json::from_slice(&bytes).unwrap();
        count += v["data"]["contacts"]
            .as_array()
            .map_or(0, |c| c.len() as u64);
        match v["data"]["next_page"].as_str() {
            Some(next) => after = Some(next.to_string()),
            None => return count,
        }
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn status_kib(key: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn client(url: &str, id: &str, secret: &str) -> Client {
    Client::builder()
        .auth(id, secret)
        .base_url(url)
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    // The raw client is this program's own reqwest (built without a default TLS provider, as
    // the SDK's is): an application picks the process-wide provider; the SDK never does.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [mode, url, id, secret, rest @ ..] = args.as_slice() else {
        eprintln!("usage: avochato-bench calls|memory URL AUTH_ID AUTH_SECRET [N]");
        std::process::exit(2);
    };
    let sdk = client(url, id, secret);
    match mode.as_str() {
        "memory" | "memory-raw" => {
            // Peak RSS while walking every page, above the RSS before the walk.
            sdk.verify().await.ok();
            let raw = reqwest::Client::new();
            raw.get(format!("{url}/v1/whoami")).send().await.ok();
            let baseline = status_kib("VmRSS:");
            let _ = std::fs::write("/proc/self/clear_refs", "5");
            let start = Instant::now();
            let count = if mode == "memory" {
                sdk.contacts()
                    .iter(SearchContactsParams::new().limit(100))
                    .items()
                    .try_fold(0u64, |n, c| {
                        std::hint::black_box(c);
                        async move { Ok(n + 1) }
                    })
                    .await
                    .unwrap()
            } else {
                raw_walk(&raw, url, id, secret).await
            };
            let peak = status_kib("VmHWM:").max(status_kib("VmRSS:"));
            println!(
                "{}",
                json!({"items": count, "baseline_kib": baseline, "peak_kib": peak, "delta_kib": peak.saturating_sub(baseline), "seconds": start.elapsed().as_secs_f64()})
            );
        }
        "calls" => {
            let n: usize = rest.first().and_then(|s| s.parse().ok()).unwrap_or(2000);
            let t = Target {
                url: url.clone(),
                id: id.clone(),
                secret: secret.clone(),
                sdk,
                raw: reqwest::Client::new(),
            };
            let mut out = json!({"latency": {}, "throughput": {}});
            let only = rest.get(1).map(String::as_str);
            for (op, name) in [(Op::Send, "messages.send"), (Op::List, "contacts.list")] {
                if only.is_some_and(|o| o != name) {
                    continue;
                }
                out["latency"][name] = latency(&t, op, n).await;
                for c in [1usize, 8, 64] {
                    // The median of three runs, the sides alternating.
                    let (mut sdk, mut raw) = (Vec::new(), Vec::new());
                    for _ in 0..3 {
                        sdk.push(throughput(&t, op, Side::Sdk, c, n / 2).await);
                        raw.push(throughput(&t, op, Side::Raw, c, n / 2).await);
                    }
                    let (sdk, raw) = (median(sdk), median(raw));
                    out["throughput"][name][c.to_string()] =
                        json!({"sdk": sdk, "raw": raw, "ratio": sdk / raw});
                }
            }
            println!("{out}");
        }
        other => {
            eprintln!("unknown mode {other}");
            std::process::exit(2);
        }
    }
}
