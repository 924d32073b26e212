//! `tests/fixtures/fault-matrix.json`, the faults every host's suite runs, is well-formed,
//! its expectations follow from the SDK's retry rules, and every fault in it, installed on
//! the mock and hit once with a plain HTTP client, answers as it says.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use avochato_mock::{Fault, FaultKind, MockConfig, MockServer};
use serde::Deserialize;
use serde_json::{Map, Value, json};

const MATRIX: &str = include_str!("../../../tests/fixtures/fault-matrix.json");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Matrix {
    about: Vec<String>,
    client: ClientSettings,
    operations: BTreeMap<String, Operation>,
    faults: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClientSettings {
    timeout_ms: u64,
    max_retries: u32,
    max_retry_wait_ms: u64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Operation {
    method: String,
    path: String,
    params: Map<String, Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    fault: Map<String, Value>,
    expect: BTreeMap<String, Expect>,
}

#[derive(Deserialize, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
struct Expect {
    outcome: String,
    requests: u32,
    #[serde(default)]
    stored: Option<u32>,
}

fn matrix() -> Matrix {
    serde_json::from_str(MATRIX).expect("fault-matrix.json parses")
}

/// The fault as the runner installs it for `op`.
fn installed(case: &Case, op: &Operation) -> Value {
    let mut f = case.fault.clone();
    f.insert("method".into(), json!(op.method));
    f.insert("path".into(), json!(op.path));
    Value::Object(f)
}

/// The error kind the SDK reports for an error envelope's status.
fn kind_of_status(status: u16) -> &'static str {
    match status {
        401 => "authentication",
        403 => "permission_denied",
        404 => "not_found",
        429 => "rate_limited",
        400..=499 => "invalid_request",
        500..=599 => "server",
        _ => "decode",
    }
}

/// What the SDK does with `fault` on a `method` request, from its retry rules.
fn derive(fault: &Fault, method: &str, client: &ClientSettings) -> Expect {
    let get = method == "GET";
    // One faulted attempt: its error kind (None: it succeeds) and whether it is resent.
    let (error, resent): (Option<&str>, bool) = match fault.kind {
        FaultKind::Status => {
            let http = fault.answered_status(200);
            match http {
                200..=299 => {
                    let envelope = fault
                        .body
                        .as_ref()
                        .and_then(|b| b["status"].as_u64())
                        .and_then(|s| u16::try_from(s).ok())
                        .unwrap_or(http);
                    match envelope {
                        200..=299 => (None, false),
                        s => (Some(kind_of_status(s)), false),
                    }
                }
                429 => {
                    let wait_ms = fault
                        .retry_after
                        .as_deref()
                        .map(|s| (s.parse::<f64>().unwrap() * 1000.0) as u64);
                    (
                        Some("rate_limited"),
                        wait_ms.is_none_or(|w| w <= client.max_retry_wait_ms),
                    )
                }
                500..=599 => (Some("server"), get),
                s => (Some(kind_of_status(s)), false),
            }
        }
        FaultKind::Html | FaultKind::Empty | FaultKind::Malformed => {
            match fault.answered_status(200) {
                s @ 500..=599 => (Some(kind_of_status(s)), get),
                s @ 400..=499 => (Some(kind_of_status(s)), false),
                _ => (Some("decode"), false),
            }
        }
        FaultKind::Reset | FaultKind::Truncate => (Some("connection"), get),
        FaultKind::Delay => {
            if fault.delay_ms.unwrap_or(1000) > client.timeout_ms {
                (Some("timeout"), get)
            } else {
                (None, false)
            }
        }
    };
    let takes_effect = fault.effect || fault.kind == FaultKind::Delay;
    let (mut requests, mut resends, mut stored) = (0, 0, 0);
    let outcome = loop {
        requests += 1;
        let faulted = requests <= fault.count;
        match (faulted, error) {
            (true, Some(kind)) => {
                stored += u32::from(takes_effect);
                if resent && resends < client.max_retries {
                    resends += 1;
                    continue;
                }
                break kind.to_string();
            }
            _ => {
                stored += 1;
                break "ok".to_string();
            }
        }
    };
    Expect {
        outcome,
        requests,
        stored: (!get).then_some(stored),
    }
}

#[test]
fn the_matrix_is_well_formed_and_follows_the_retry_rules() {
    let m = matrix();
    assert!(!m.about.is_empty());
    assert!(m.client.timeout_ms > 0 && m.client.max_retries > 0);
    assert!(m.client.max_retry_wait_ms >= m.client.timeout_ms);
    let methods: BTreeSet<&str> = m.operations.values().map(|o| o.method.as_str()).collect();
    assert_eq!(
        methods,
        BTreeSet::from(["GET", "POST"]),
        "one GET and one POST"
    );
    assert_eq!(m.operations.len(), 2);
    for (name, op) in &m.operations {
        assert!(op.path.starts_with("/v1/"), "{name}");
        assert!(
            !op.params.contains_key("auth_secret"),
            "{name}: the runner adds credentials"
        );
    }
    let post = m.operations.values().find(|o| o.method == "POST").unwrap();
    assert!(
        post.params["message"].is_string(),
        "stored counts messages by their text"
    );

    let kinds: Vec<&str> = avochato::ErrorKind::ALL
        .iter()
        .map(|k| k.as_str())
        .collect();
    let mut names = BTreeSet::new();
    for case in &m.faults {
        assert!(
            names.insert(case.name.as_str()),
            "{}: names are unique",
            case.name
        );
        for key in ["method", "path"] {
            assert!(
                !case.fault.contains_key(key),
                "{}: the runner fills in {key}",
                case.name
            );
        }
        assert_eq!(
            case.expect
                .keys()
                .map(String::as_str)
                .collect::<BTreeSet<_>>(),
            methods,
            "{}: an expectation per method",
            case.name
        );
        for op in m.operations.values() {
            let fault: Fault = serde_json::from_value(installed(case, op))
                .unwrap_or_else(|e| panic!("{}: {e}", case.name));
            assert_eq!(fault.check(), Ok(()), "{}", case.name);
            let is_429 = fault.kind == FaultKind::Status && fault.answered_status(200) == 429;
            assert!(
                !(is_429 && fault.effect),
                "{}: the API ignores a 429'd request",
                case.name
            );
            let expect = &case.expect[&op.method];
            assert!(
                expect.outcome == "ok" || kinds.contains(&expect.outcome.as_str()),
                "{}: {} is not an error kind of the core",
                case.name,
                expect.outcome
            );
            assert_eq!(
                *expect,
                derive(&fault, &op.method, &m.client),
                "{} on {}: the expectation the retry rules give",
                case.name,
                op.method
            );
        }
    }

    // The twelve faults of the shared matrix, each present once.
    let fault_of = |case: &Case| serde_json::from_value::<Fault>(installed(case, post)).unwrap();
    let faults: Vec<Fault> = m.faults.iter().map(fault_of).collect();
    let has = |what: &str, pred: &dyn Fn(&Fault) -> bool| {
        assert_eq!(faults.iter().filter(|f| pred(f)).count(), 1, "{what}");
    };
    let status = |f: &Fault, s: u16| f.kind == FaultKind::Status && f.answered_status(0) == s;
    has("429 with Retry-After", &|f| {
        status(f, 429) && f.retry_after.is_some()
    });
    has("429 without Retry-After", &|f| {
        status(f, 429) && f.retry_after.is_none()
    });
    for s in [500, 502, 503] {
        has(&s.to_string(), &|f| status(f, s) && f.body.is_none());
    }
    has("reset", &|f| f.kind == FaultKind::Reset);
    has("truncate", &|f| f.kind == FaultKind::Truncate);
    has("delay past the timeout", &|f| {
        f.kind == FaultKind::Delay && f.delay_ms.unwrap_or(1000) > m.client.timeout_ms
    });
    has("malformed", &|f| f.kind == FaultKind::Malformed);
    has("HTML 502", &|f| {
        f.kind == FaultKind::Html && f.answered_status(0) == 502
    });
    has("empty 200", &|f| {
        f.kind == FaultKind::Empty && f.answered_status(0) == 200
    });
    has("an error envelope with 200", &|f| {
        status(f, 200)
            && f.body
                .as_ref()
                .is_some_and(|b| b["status"] == 400 && b["errors"].is_array())
    });
    assert_eq!(m.faults.len(), 12);
}

struct Live {
    mock: MockServer,
    http: reqwest::Client,
}

impl Live {
    async fn control(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.mock.url()));
        if let Some(b) = body {
            req = req.json(&b);
        }
        let r = req.send().await.unwrap();
        let status = r.status();
        let v: Value = r.json().await.unwrap();
        assert!(status.is_success(), "{path}: {status} {v}");
        v
    }

    fn request(&self, op: &Operation) -> reqwest::RequestBuilder {
        let mut params = op.params.clone();
        params.insert("auth_id".into(), json!(self.mock.auth_id()));
        params.insert("auth_secret".into(), json!(self.mock.auth_secret()));
        let url = format!("{}{}", self.mock.url(), op.path);
        if op.method == "GET" {
            let pairs: Vec<(String, String)> = params
                .iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        v.as_str().map_or_else(|| v.to_string(), str::to_string),
                    )
                })
                .collect();
            self.http.get(url).query(&pairs)
        } else {
            let m = reqwest::Method::from_bytes(op.method.as_bytes()).unwrap();
            self.http.request(m, url).json(&params)
        }
    }

    async fn stored(&self, op: &Operation) -> usize {
        let text = op.params["message"].as_str().unwrap();
        let q = [
            ("auth_id", self.mock.auth_id().to_string()),
            ("auth_secret", self.mock.auth_secret().to_string()),
            ("query", format!("\"{text}\"")),
        ];
        let v: Value = self
            .http
            .get(format!("{}/v1/messages", self.mock.url()))
            .query(&q)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        v["data"]["messages"].as_array().unwrap().len()
    }
}

/// Whether an error came from the connection being reset.
fn is_reset(e: &reqwest::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>()
            && io.kind() == std::io::ErrorKind::ConnectionReset
        {
            return true;
        }
        if s.to_string()
            .contains("connection closed before message completed")
        {
            return true;
        }
        source = s.source();
    }
    false
}

#[tokio::test]
async fn every_fault_answers_as_the_matrix_says() {
    let m = matrix();
    let _ = rustls::crypto::ring::default_provider().install_default();
    let live = Live {
        mock: avochato_mock::spawn(MockConfig::default()).await.unwrap(),
        http: reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap(),
    };
    for case in &m.faults {
        for op in m.operations.values() {
            let what = format!("{} on {} {}", case.name, op.method, op.path);
            live.control(reqwest::Method::POST, "/__mock/reset", None)
                .await;
            let body = installed(case, op);
            let fault: Fault = serde_json::from_value(body.clone()).unwrap();
            live.control(reqwest::Method::POST, "/__mock/faults", Some(body))
                .await;

            let started = Instant::now();
            let sent = live.request(op).send().await;
            // The status the client saw (0: none).
            let seen: u16 = match fault.kind {
                FaultKind::Reset => {
                    let e = sent.expect_err(&what);
                    assert!(is_reset(&e), "{what}: {e:?}");
                    0
                }
                FaultKind::Truncate => {
                    let r = sent.unwrap();
                    let status = r.status().as_u16();
                    let declared = r.content_length().unwrap_or(0);
                    assert!(declared > 0, "{what}: a length is declared");
                    assert!(r.bytes().await.is_err(), "{what}: the body breaks off");
                    status
                }
                FaultKind::Delay => {
                    let r = sent.unwrap();
                    let delay = fault.delay_ms.unwrap_or(1000);
                    assert!(delay > m.client.timeout_ms, "{what}");
                    assert!(started.elapsed() >= Duration::from_millis(delay), "{what}");
                    let status = r.status().as_u16();
                    let v: Value = r.json().await.unwrap();
                    assert_eq!((status, &v["status"]), (200, &json!(200)), "{what}: {v}");
                    status
                }
                FaultKind::Status => {
                    let r = sent.unwrap();
                    let status = r.status().as_u16();
                    assert_eq!(status, fault.answered_status(0), "{what}");
                    assert_eq!(
                        r.headers()
                            .get("retry-after")
                            .map(|v| v.to_str().unwrap().to_string()),
                        fault.retry_after,
                        "{what}"
                    );
                    let v: Value = r.json().await.unwrap();
                    let expected = match (&fault.body, &fault.errors) {
                        (Some(b), _) => b.clone(),
                        (None, Some(errors)) => json!({"status": status, "errors": errors}),
                        (None, None) => {
                            json!({"status": status, "errors": [format!("Injected error {status}")]})
                        }
                    };
                    assert_eq!(v, expected, "{what}");
                    status
                }
                FaultKind::Malformed | FaultKind::Html | FaultKind::Empty => {
                    let r = sent.unwrap();
                    let status = r.status().as_u16();
                    assert_eq!(status, fault.answered_status(0), "{what}");
                    let ct = r
                        .headers()
                        .get("content-type")
                        .map(|v| v.to_str().unwrap().to_string())
                        .unwrap_or_default();
                    let text = r.text().await.unwrap();
                    match fault.kind {
                        FaultKind::Malformed => {
                            assert!(ct.starts_with("application/json"), "{what}: {ct}");
                            assert!(!text.is_empty(), "{what}");
                            assert!(serde_json::from_str::<Value>(&text).is_err(), "{what}");
                        }
                        FaultKind::Html => {
                            assert_eq!(ct, "text/html", "{what}");
                            assert!(
                                text.starts_with("<html>") && text.contains("Bad Gateway"),
                                "{what}: {text}"
                            );
                        }
                        _ => assert_eq!(text, "", "{what}"),
                    }
                    status
                }
            };

            // Recorded once, with the status the client saw.
            let rec = live
                .control(
                    reqwest::Method::GET,
                    &format!("/__mock/requests?method={}&path={}", op.method, op.path),
                    None,
                )
                .await;
            let statuses: Vec<&Value> = rec["requests"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| &r["status"])
                .collect();
            assert_eq!(statuses, [&json!(seen)], "{what}");

            if op.method == "POST" {
                let effect = fault.effect || fault.kind == FaultKind::Delay;
                assert_eq!(live.stored(op).await, usize::from(effect), "{what}: effect");
            }
            // count 1: the next request is answered normally.
            let next = live.request(op).send().await.unwrap();
            assert_eq!(next.status(), 200, "{what}: the fault is used up");
        }
    }
}

#[tokio::test]
async fn errors_may_be_a_list_or_a_string_and_bad_faults_are_refused() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mock = avochato_mock::spawn(MockConfig::default()).await.unwrap();
    let http = reqwest::Client::new();
    let faults = format!("{}/__mock/faults", mock.url());
    let whoami = format!(
        "{}/v1/whoami?auth_id={}&auth_secret={}",
        mock.url(),
        mock.auth_id(),
        mock.auth_secret()
    );
    for errors in [json!("one string"), json!(["a", "list"])] {
        let f = json!({"path": "/v1/whoami", "kind": "status", "status": 422, "errors": errors});
        assert_eq!(
            http.post(&faults).json(&f).send().await.unwrap().status(),
            200
        );
        let r = http.get(&whoami).send().await.unwrap();
        assert_eq!(r.status(), 422);
        assert_eq!(
            r.json::<Value>().await.unwrap(),
            json!({"status": 422, "errors": errors})
        );
    }
    for bad in [
        json!({"path": "/v1/whoami", "kind": "status", "status": 1000}),
        json!({"path": "/v1/whoami", "kind": "empty", "body": {"status": 400}}),
        json!({"path": "/v1/whoami", "kind": "sometimes"}),
    ] {
        let r = http.post(&faults).json(&bad).send().await.unwrap();
        assert_eq!(r.status(), 400, "{bad}");
    }
    let listed: Value = http
        .get(&faults)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed["faults"], json!([]), "nothing was added");
}
