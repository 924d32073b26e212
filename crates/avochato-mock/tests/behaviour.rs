//! The mock over plain HTTP: auth, inbox scoping, bad requests, faults, the rate limit,
//! CORS, the binary, and input meant to crash it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use avochato_mock::{MockConfig, MockServer, Seed};
use serde_json::{Value, json};

fn http() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

async fn start(rate_limit: Option<f64>) -> MockServer {
    avochato_mock::spawn(MockConfig {
        rate_limit,
        ..MockConfig::default()
    })
    .await
    .unwrap()
}

fn auth(m: &MockServer) -> Vec<(&'static str, String)> {
    vec![
        ("auth_id", m.auth_id().to_string()),
        ("auth_secret", m.auth_secret().to_string()),
    ]
}

fn body(m: &MockServer, extra: Value) -> Value {
    let mut b = json!({"auth_id": m.auth_id(), "auth_secret": m.auth_secret()});
    for (k, v) in extra.as_object().unwrap() {
        b[k] = v.clone();
    }
    b
}

async fn json_of(r: reqwest::Response) -> (u16, Value) {
    let s = r.status().as_u16();
    (s, r.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn credentials_are_read_where_the_reference_puts_them() {
    let m = start(None).await;
    let h = http();
    let (s, b) = json_of(
        h.get(format!("{}/v1/whoami", m.url()))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (s, b),
        (401, json!({"status": 401, "errors": ["Unauthorized"]}))
    );
    let wrong = [
        ("auth_id", m.auth_id().to_string()),
        ("auth_secret", "nope".into()),
    ];
    let (s, _) = json_of(
        h.get(format!("{}/v1/whoami", m.url()))
            .query(&wrong)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(s, 401);
    // A POST takes its credentials from the query as well as from the body.
    let url = format!("{}/v1/tags", m.url());
    let (s, _) = json_of(
        h.post(&url)
            .query(&wrong)
            .json(&json!({"phone": "+14155550100", "tag": "x"}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(s, 401);
    let (s, b) = json_of(
        h.post(&url)
            .query(&auth(&m))
            .json(&json!({"phone": "+14155550100", "tag": "x"}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((s, b["data"]["action"].clone()), (200, json!("tagged")));
    let (s, b) = json_of(
        h.post(&url)
            .json(&body(&m, json!({"phone": "+14155550100", "tag": "x"})))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((s, b["data"]["action"].clone()), (200, json!("tagged")));
    // The member credential may not manage users.
    let member = json!({"auth_id": format!("{}-member", m.auth_id()), "auth_secret": format!("{}-member", m.auth_secret()), "email": "x@example.com"});
    let (s, b) = json_of(
        h.post(format!("{}/v1/users", m.url()))
            .json(&member)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(s, 403, "{b}");
    assert_eq!(b["status"], 403);
}

#[tokio::test]
async fn every_route_is_scoped_to_an_inbox() {
    let m = start(None).await;
    let h = http();
    let contacts = format!("{}/v1/contacts", m.url());
    let (s, _) = json_of(
        h.post(&contacts)
            .json(&body(
                &m,
                json!({"phone": "+14155550100", "subdomain": "second-inbox"}),
            ))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(s, 200);
    let count = |sub: Option<&'static str>| {
        let h = h.clone();
        let mut q = auth(&m);
        if let Some(sub) = sub {
            q.push(("subdomain", sub.to_string()));
        }
        let url = contacts.clone();
        async move {
            h.get(url)
                .query(&q)
                .send()
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap()["data"]["contacts"]
                .as_array()
                .map(Vec::len)
        }
    };
    assert_eq!(count(None).await, Some(0));
    assert_eq!(count(Some("second-inbox")).await, Some(1));
    let mut q = auth(&m);
    q.push(("subdomain", "other-team".into()));
    let (s, b) = json_of(h.get(&contacts).query(&q).send().await.unwrap()).await;
    assert_eq!(s, 403);
    assert!(b["errors"][0].as_str().unwrap().contains("other-team"));
    q.pop();
    q.push(("subdomain", "no-such-inbox".into()));
    assert_eq!(
        json_of(h.get(&contacts).query(&q).send().await.unwrap())
            .await
            .0,
        403
    );
}

#[tokio::test]
async fn bad_requests_are_answered_like_an_api() {
    let m = start(None).await;
    let h = http();
    let (s, b) = json_of(
        h.get(format!("{}/v1/nothing-here", m.url()))
            .query(&auth(&m))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((s, b["status"].clone()), (404, json!(404)));
    let raw = h
        .post(format!("{}/v1/messages", m.url()))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    let (s, b) = json_of(raw).await;
    assert_eq!(s, 400);
    assert!(b["errors"][0].as_str().unwrap().contains("Malformed JSON"));
    let (s, b) = json_of(
        h.post(format!("{}/v1/messages", m.url()))
            .json(&body(&m, json!({"phone": "+14155550100"})))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(s, 400);
    assert!(
        b["errors"][0].as_str().unwrap().contains("message"),
        "names the missing parameter: {b}"
    );
    let (s, b) = json_of(
        h.get(format!("{}/v1/contacts/nope1%2Cnope2", m.url()))
            .query(&auth(&m))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (s, b["data"]["contacts"].clone()),
        (200, json!([])),
        "fetch-by-ids: 200 and an empty list"
    );
    let (s, _) = json_of(
        h.get(format!("{}/v1/messages/nope", m.url()))
            .query(&auth(&m))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(s, 404, "a single object: 404");
}

async fn fault(m: &MockServer, f: Value) {
    let r = http()
        .post(format!("{}/__mock/faults", m.url()))
        .json(&f)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());
}

#[tokio::test]
async fn every_fault_kind() {
    let m = start(None).await;
    let h = http();
    let url = format!("{}/v1/whoami", m.url());
    let get = || h.get(&url).query(&auth(&m)).send();

    fault(&m, json!({"path": "/v1/whoami", "kind": "status", "status": 503, "retry_after": "7", "errors": "down"})).await;
    let r = get().await.unwrap();
    assert_eq!(r.headers()["retry-after"], "7");
    assert_eq!(
        json_of(r).await,
        (503, json!({"status": 503, "errors": "down"}))
    );

    fault(
        &m,
        json!({"path": "/v1/whoami", "kind": "delay", "delay_ms": 300}),
    )
    .await;
    let started = Instant::now();
    assert_eq!(get().await.unwrap().status(), 200);
    assert!(started.elapsed() >= Duration::from_millis(300));

    fault(&m, json!({"path": "/v1/whoami", "kind": "reset"})).await;
    assert!(get().await.is_err(), "the connection is reset");

    fault(
        &m,
        json!({"path": "/v1/whoami", "kind": "truncate", "effect": true}),
    )
    .await;
    let r = get().await.unwrap();
    assert!(r.bytes().await.is_err(), "the body breaks off");

    fault(&m, json!({"path": "/v1/whoami", "kind": "malformed"})).await;
    let text = get().await.unwrap().text().await.unwrap();
    assert!(serde_json::from_str::<Value>(&text).is_err());

    fault(&m, json!({"path": "/v1/whoami", "kind": "html"})).await;
    let r = get().await.unwrap();
    assert_eq!(r.status(), 502);
    assert_eq!(r.headers()["content-type"], "text/html");

    fault(&m, json!({"path": "/v1/whoami", "kind": "empty"})).await;
    let r = get().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.bytes().await.unwrap().is_empty());

    assert_eq!(get().await.unwrap().status(), 200, "faults are used up");
    let recorded: Value = h
        .get(format!("{}/__mock/requests?path=/v1/whoami", m.url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let statuses: Vec<_> = recorded["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].as_u64().unwrap())
        .collect();
    assert_eq!(
        statuses,
        [503, 200, 0, 200, 200, 502, 200, 200],
        "as the client saw them"
    );
    assert!(
        recorded.to_string().contains("[REDACTED]")
            && !recorded.to_string().contains(m.auth_secret())
    );
}

#[tokio::test]
async fn faults_without_effect_leave_no_trace_and_with_effect_do() {
    let m = start(None).await;
    let h = http();
    let send = |text: &'static str| {
        h.post(format!("{}/v1/messages", m.url()))
            .json(&body(&m, json!({"phone": "+14155550100", "message": text})))
            .send()
    };
    fault(
        &m,
        json!({"method": "POST", "path": "/v1/messages", "kind": "status", "status": 500}),
    )
    .await;
    assert_eq!(send("a").await.unwrap().status(), 500);
    fault(&m, json!({"method": "POST", "path": "/v1/messages", "kind": "status", "status": 500, "effect": true})).await;
    assert_eq!(send("b").await.unwrap().status(), 500);
    let state: Value = h
        .get(format!("{}/__mock/state", m.url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        state["inboxes"][0]["messages"], 1,
        "only the request with effect was stored"
    );
}

#[tokio::test]
async fn the_rate_limit_answers_429_and_leaves_no_trace() {
    let m = start(Some(5.0)).await;
    let h = http();
    let mut tasks = Vec::new();
    for i in 0..20 {
        let h = h.clone();
        let url = format!("{}/v1/messages", m.url());
        let b = body(
            &m,
            json!({"phone": format!("+1415555{i:04}"), "message": "hi"}),
        );
        tasks.push(tokio::spawn(async move {
            h.post(url).json(&b).send().await.unwrap()
        }));
    }
    let (mut ok, mut limited) = (0, 0);
    for t in tasks {
        let r = t.await.unwrap();
        match r.status().as_u16() {
            200 => ok += 1,
            429 => {
                limited += 1;
                assert!(r.headers().contains_key("retry-after"));
                assert_eq!(r.json::<Value>().await.unwrap()["status"], 429);
            }
            s => panic!("unexpected {s}"),
        }
    }
    assert_eq!(ok + limited, 20);
    assert!(limited >= 10, "{limited} limited");
    let state: Value = h
        .get(format!("{}/__mock/state", m.url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(state["inboxes"][0]["messages"], ok, "429s stored nothing");
    assert_eq!(state["inboxes"][0]["contacts"], ok);
    // Another credential has its own budget.
    let member = [
        ("auth_id", format!("{}-member", m.auth_id())),
        ("auth_secret", format!("{}-member", m.auth_secret())),
    ];
    assert_eq!(
        h.get(format!("{}/v1/whoami", m.url()))
            .query(&member)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
}

#[tokio::test]
async fn cors_lets_a_page_from_another_origin_call_it() {
    let m = start(None).await;
    let h = http();
    let r = h
        .request(reqwest::Method::OPTIONS, format!("{}/v1/messages", m.url()))
        .header("origin", "http://127.0.0.1:9999")
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(r.headers()["access-control-allow-origin"], "*");
    assert!(
        r.headers()["access-control-allow-methods"]
            .to_str()
            .unwrap()
            .contains("POST")
    );
    assert_eq!(r.headers()["access-control-allow-headers"], "content-type");
    let r = h
        .get(format!("{}/v1/whoami", m.url()))
        .header("origin", "http://x")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["access-control-allow-origin"], "*");
    assert!(
        r.headers()["access-control-expose-headers"]
            .to_str()
            .unwrap()
            .contains("x-request-id")
    );
}

#[tokio::test]
async fn hostile_input_never_crashes_it() {
    let m = start(None).await;
    let h = http();
    let a = auth(&m);
    let long = "x".repeat(100_000);
    let paths = [
        "/v1/contacts/%FF%FE",
        "/v1/contacts/..%2F..%2Fetc",
        "/v1//contacts",
        "/v1/tickets/%00/events",
        "/%",
        "/v1/users/a%40b/accounts",
        "/v1/messages/scheduled?query=%22",
        "/v1/tags?last_key=%F0%9F%92%A9&page=-1",
        "/v1/contacts?limit=abc&visible=maybe",
        "/v1/contacts?created_at[from]=yesterday",
        "/v1/broadcasts?page=99999999999999999999",
    ];
    for p in paths {
        let r = h
            .get(format!("{}{p}", m.url()))
            .query(&a)
            .send()
            .await
            .unwrap();
        assert!(r.status().as_u16() < 500, "{p}: {}", r.status());
    }
    let bodies = [
        json!({"phone": long, "message": "x"}),
        json!({"phone": ["a"], "message": {"nested": true}}),
        json!({"contacts": "not a list"}),
        json!({"contacts": [1, 2, 3]}),
        json!({"scheduled_for": "soon", "phone": "+14155550100", "message": "x"}),
        json!({"phone": "+14155550100", "message": "x", "mark_addressed": [true]}),
    ];
    for b in bodies {
        for path in [
            "/v1/messages",
            "/v1/contacts",
            "/v1/tags",
            "/v1/events",
            "/v1/campaigns/one/cancel",
            "/v1/broadcasts",
        ] {
            let r = h
                .post(format!("{}{path}", m.url()))
                .json(&body(&m, b.clone()))
                .send()
                .await
                .unwrap();
            assert!(r.status().as_u16() < 500, "{path} {b}: {}", r.status());
        }
    }
    let r = h
        .post(format!("{}/v1/messages", m.url()))
        .body(vec![0xFFu8; 10_000])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(
        h.get(format!("{}/__mock/health", m.url()))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
}

#[test]
fn the_binary_prints_its_address_first_and_stops_on_sigterm() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_avochato-mock"))
        .args([
            "--port",
            "0",
            "--auth-id",
            "bin-id",
            "--auth-secret",
            "bin-secret-value",
            "--rate-limit",
            "50",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    out.read_line(&mut first).unwrap();
    let url = first
        .trim_end()
        .strip_prefix("listening on ")
        .unwrap()
        .to_string();
    let port: u16 = url
        .strip_prefix("http://127.0.0.1:")
        .unwrap()
        .parse()
        .unwrap();
    assert!(port > 0);
    let mut rest = String::new();
    out.read_line(&mut rest).unwrap();
    assert!(
        !rest.contains("bin-secret-value"),
        "explicit credentials are not printed"
    );
    let rt = tokio::runtime::Runtime::new().unwrap();
    let status = rt.block_on(async {
        let q = [("auth_id", "bin-id"), ("auth_secret", "bin-secret-value")];
        http()
            .get(format!("{url}/v1/whoami"))
            .query(&q)
            .send()
            .await
            .unwrap()
            .status()
    });
    assert_eq!(status, 200);
    let kill = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let started = Instant::now();
    loop {
        if let Some(code) = child.try_wait().unwrap() {
            assert!(code.success(), "exit {code:?}");
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "did not stop on SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn without_credentials_it_prints_the_defaults() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_avochato-mock"))
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let lines: Vec<String> = (0..3)
        .map(|_| {
            let mut l = String::new();
            out.read_line(&mut l).unwrap();
            l.trim_end().to_string()
        })
        .collect();
    let _ = child.kill();
    let _ = child.wait();
    assert!(lines[0].starts_with("listening on http://127.0.0.1:"));
    let defaults = Seed::default();
    assert_eq!(lines[1], format!("auth_id: {}", defaults.auth_id));
    assert_eq!(lines[2], format!("auth_secret: {}", defaults.auth_secret));
}

#[tokio::test]
async fn canned_answers_skip_auth_and_state_and_can_be_a_list_of_pages() {
    let m = start(None).await;
    let h = http();
    for body in [
        json!({"method": "POST", "path": "/v1/messages", "body": {"status": 200, "data": {"message": {"id": "x"}}}}),
        json!({"method": "GET", "path": "/v1/contacts", "pages": 3, "body": {"status": 200, "data": {"contacts": [{"id": "c"}], "next_page": null}}}),
    ] {
        let r = h
            .post(format!("{}/__mock/canned", m.url()))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
    }
    // No credentials needed, nothing stored.
    let (s, b) = json_of(
        h.post(format!("{}/v1/messages", m.url()))
            .json(&json!({}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((s, b["data"]["message"]["id"].as_str()), (200, Some("x")));
    let mut cursors = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let mut req = h.get(format!("{}/v1/contacts", m.url()));
        if let Some(a) = &after {
            req = req.query(&[("after_page", a)]);
        }
        let (_, b) = json_of(req.send().await.unwrap()).await;
        assert_eq!(b["data"]["contacts"][0]["id"], "c");
        cursors.push(b["data"]["next_page"].clone());
        match b["data"]["next_page"].as_str() {
            Some(next) => after = Some(next.to_string()),
            None => break,
        }
    }
    assert_eq!(cursors, vec![json!("p1"), json!("p2"), Value::Null]);
    let state: Value = h
        .get(format!("{}/__mock/state", m.url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(state["inboxes"][0]["messages"], 0);
}
