//! The proxy's decision on the 64 documented example requests (as a page in proxy mode
//! sends them: without credentials):
//! * with every operation allowed, each is forwarded, and the operations it fits include
//!   the documented one;
//! * what goes upstream, sent through the proxy again, is the same request (a fixed point),
//!   and the parameters shown to the site's `authorize` hook are those sent, without the
//!   credentials;
//! * with every operation allowed but the documented one, each is refused (403): a request
//!   of an operation is never forwarded unless that operation is allowed.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use avochato::proxy::{Incoming, Policy, decide};
use avochato::{ClientBuilder, Config, OperationSpec, operations};
use serde_json::Value;

const FIXTURE: &str = include_str!("../../../tests/fixtures/avochato-v1.json");
const SECRET: &str = "sk_proxy_integration_DO_NOT_LEAK";

/// The documented example the SDK deliberately sends differently (`direction` with no value,
/// see tests/conformance.rs): the proxy refuses it as the clients do.
const DEVIATION: &str = "Search Messages by timestamp";

fn config() -> Config {
    ClientBuilder::new()
        .auth("AC_proxy_it", SECRET)
        .base_url("http://127.0.0.1:9")
        .build_config()
        .unwrap()
}

fn policy(allowed: impl Fn(&OperationSpec) -> bool) -> Policy {
    operations()
        .iter()
        .filter(|op| allowed(op))
        .fold(Policy::builder(), |b, op| b.allow(op.qualified_name()))
        .build()
        .unwrap()
}

/// A page's request: (method, path, query, body), without the credentials.
fn page_request(example: &Value) -> (String, String, String, String) {
    let route = example["route"].as_str().unwrap();
    let (method, target) = route.split_once(' ').unwrap();
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let query: Vec<&str> = query
        .split('&')
        .filter(|kv| {
            !kv.is_empty() && !kv.starts_with("auth_id=") && !kv.starts_with("auth_secret=")
        })
        .collect();
    let body = match &example["body"] {
        Value::Object(m) => {
            let mut m = m.clone();
            m.shift_remove("auth_id");
            m.shift_remove("auth_secret");
            Value::Object(m).to_string()
        }
        _ => String::new(),
    };
    (method.to_string(), path.to_string(), query.join("&"), body)
}

fn run(
    p: &Policy,
    r: &(String, String, String, String),
) -> Result<avochato::proxy::Forward, avochato::proxy::Refusal> {
    decide(
        &config(),
        p,
        &Incoming {
            method: &r.0,
            path: &r.1,
            query: &r.2,
            body: r.3.as_bytes(),
            content_type: Some("application/json"),
            header_names: &[],
            parsed_body: None,
        },
    )
}

/// The upstream request as a page would send it again (credentials taken out).
fn resend(f: &avochato::proxy::Forward) -> (String, String, String, String) {
    let url = f.request.url.strip_prefix("http://127.0.0.1:9").unwrap();
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let query: Vec<&str> = query
        .split('&')
        .filter(|kv| {
            !kv.is_empty() && !kv.starts_with("auth_id=") && !kv.starts_with("auth_secret=")
        })
        .collect();
    let body = match &f.request.body {
        Some(b) => {
            let mut m: serde_json::Map<String, Value> = serde_json::from_str(b).unwrap();
            assert_eq!(m.shift_remove("auth_secret"), Some(Value::from(SECRET)));
            assert_eq!(m.shift_remove("auth_id"), Some(Value::from("AC_proxy_it")));
            Value::Object(m).to_string()
        }
        None => {
            assert!(url.contains(&format!("auth_secret={SECRET}")));
            String::new()
        }
    };
    (
        f.request.method.as_str().to_string(),
        path.to_string(),
        query.join("&"),
        body,
    )
}

#[test]
fn every_documented_request_is_told_apart_and_forwarded_only_when_allowed() {
    let doc: Value = serde_json::from_str(FIXTURE).unwrap();
    let all = policy(|_| true);
    let mut checked = 0;
    for op in doc["operations"].as_array().unwrap() {
        let title = op["title"].as_str().unwrap();
        let spec = operations().iter().find(|s| s.title == title).unwrap();
        let request = page_request(&op["example_request"]);
        let forwarded = run(&all, &request);
        if title == DEVIATION {
            let r = forwarded.unwrap_err();
            assert_eq!(
                (r.status, r.param.as_deref()),
                (400, Some("direction")),
                "{title}"
            );
            continue;
        }
        let f = forwarded.unwrap_or_else(|r| panic!("{title}: {} {}", r.status, r.reason()));
        assert!(
            f.fits.iter().any(|o| o.title == title),
            "{title}: fits {:?}",
            f.fits
                .iter()
                .map(|o| o.qualified_name())
                .collect::<Vec<_>>()
        );
        // What the site's hook sees: the parameters sent, never the credentials.
        let shown = f.params_json();
        assert!(
            !shown.contains(SECRET) && !shown.contains("AC_proxy_it"),
            "{title}"
        );
        let resent = resend(&f);
        if let Ok(Value::Object(sent)) = serde_json::from_str::<Value>(&resent.3) {
            for (k, v) in &sent {
                assert_eq!(f.params.get(k), Some(v), "{title}: {k}");
            }
        }
        // A fixed point: what goes out, sent again, goes out the same.
        let again = run(&all, &resent).unwrap();
        assert_eq!(again.request, f.request, "{title}");

        // Allowed exactly as the operations it fits: forwarded.
        let fits: Vec<String> = f.fits.iter().map(|o| o.qualified_name()).collect();
        assert!(
            run(&policy(|o| fits.contains(&o.qualified_name())), &request).is_ok(),
            "{title}"
        );
        // Everything but this operation: refused, never forwarded.
        let without = policy(|o| o.title != spec.title);
        let r = run(&without, &request).expect_err(title);
        assert_eq!(r.status, 403, "{title}: {}", r.reason());
        assert!(!r.body().contains(SECRET));
        checked += 1;
    }
    // Every documented request but the one whose example the SDK refuses.
    assert_eq!(checked, doc["operations"].as_array().unwrap().len() - 1);
}
