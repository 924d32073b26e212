//! `GET /__mock/requests` never holds a secret: not in a query, a form, a body that did
//! not parse, or a header, written as it is or encoded.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use avochato_mock::{MockConfig, MockServer, Seed};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::{Value, json};

/// Characters that every encoding writes differently.
const SECRET: &str = "sk \"live\" & <b>/ü+%9";
const AUTH_ID: &str = "AC_recorder";

async fn start() -> MockServer {
    avochato_mock::spawn(MockConfig {
        seed: Seed {
            auth_id: AUTH_ID.into(),
            auth_secret: SECRET.into(),
            subdomain: "test-account".into(),
        },
        ..MockConfig::default()
    })
    .await
    .unwrap()
}

fn http() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}

fn form(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// Ways a client or a log could write `secret`.
fn writings(secret: &str) -> Vec<String> {
    let json_escaped = serde_json::to_string(secret).unwrap();
    vec![
        secret.to_string(),
        form(secret),
        utf8_percent_encode(secret, NON_ALPHANUMERIC).to_string(),
        json_escaped.trim_matches('"').to_string(),
        secret
            .encode_utf16()
            .map(|u| format!("\\u{u:04x}"))
            .collect(),
        secret
            .replace('&', "&amp;")
            .replace('"', "&quot;")
            .replace('<', "&lt;")
            .replace('>', "&gt;"),
        secret.chars().map(|c| format!("&#{};", c as u32)).collect(),
    ]
}

/// Fails if any string or key in `v` holds a writing of a secret.
fn assert_clean(v: &Value, secrets: &[&str]) {
    match v {
        Value::String(s) => {
            for secret in secrets {
                for w in writings(secret) {
                    assert!(!s.contains(&w), "{w:?} is in {s:?}");
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| assert_clean(i, secrets)),
        Value::Object(o) => {
            for (k, member) in o {
                assert_clean(&Value::String(k.clone()), secrets);
                assert_clean(member, secrets);
            }
        }
        _ => {}
    }
}

async fn recorded(m: &MockServer) -> Vec<Value> {
    let v: Value = http()
        .get(format!("{}/__mock/requests", m.url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    v["requests"].as_array().unwrap().clone()
}

/// A text mentioning the secret in every writing.
fn mentions(secret: &str) -> String {
    writings(secret).join(" | ")
}

#[tokio::test]
async fn a_form_body_is_recorded_without_the_secret() {
    let m = start().await;
    let body = format!(
        "auth_id={AUTH_ID}&auth_secret={}&phone=%2B14155550100&message={}",
        form(SECRET),
        form(&mentions(SECRET)),
    );
    let r = http()
        .post(format!("{}/v1/messages", m.url()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "the form was read");
    let recs = recorded(&m).await;
    assert_eq!(recs.len(), 1);
    let b = &recs[0]["body"];
    assert_eq!(b["auth_id"], AUTH_ID);
    assert_eq!(b["auth_secret"], "[REDACTED]");
    assert_eq!(b["phone"], "+14155550100");
    assert_eq!(
        b["message"].as_str().unwrap().matches("[REDACTED]").count(),
        writings(SECRET).len(),
        "{b}"
    );
    assert_clean(&Value::Array(recs), &[SECRET]);
}

#[tokio::test]
async fn a_body_that_does_not_parse_is_recorded_without_the_secret() {
    let m = start().await;
    let h = http();
    let url = format!("{}/v1/messages", m.url());
    let secret_json = serde_json::to_string(SECRET).unwrap();
    // Malformed JSON: the secret as the parameter, and in every writing in a cut-off message.
    let broken = format!(
        r#"{{"auth_id": "{AUTH_ID}", "auth_secret": {secret_json}, "message": "{}"#,
        mentions(SECRET)
    );
    // A wrong secret (not a credential's) is a secret too.
    let cut = r#"{"auth_secret":"not-a-known-one"#;
    let plain = format!("auth_secret: {SECRET}\nor {}", mentions(SECRET));
    for (ct, body) in [
        ("application/json", broken),
        ("application/json", cut.to_string()),
        ("text/plain", plain),
    ] {
        let r = h
            .post(&url)
            .header("content-type", ct)
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400);
    }
    let recs = recorded(&m).await;
    assert_eq!(recs.len(), 3);
    for r in &recs {
        let text = r["body"].as_str().unwrap();
        assert!(text.contains("[REDACTED]"), "{text}");
        assert_eq!(r["status"], 400);
    }
    assert!(
        recs[0]["body"]
            .as_str()
            .unwrap()
            .starts_with(r#"{"auth_id": "AC_recorder", "auth_secret": "[REDACTED]", "message": ""#)
    );
    assert_eq!(recs[1]["body"], r#"{"auth_secret":"[REDACTED]"#);
    assert_clean(&Value::Array(recs), &[SECRET, "not-a-known-one"]);
}

#[tokio::test]
async fn queries_paths_and_headers_are_recorded_without_the_secret() {
    let m = start().await;
    let h = http();
    let member_secret = format!("{SECRET}-member");
    let query = format!(
        "auth_id={AUTH_ID}&auth_secret={}&note={}&x%5Bauth_secret%5D=nested-one",
        form(SECRET),
        form(&format!(
            "{} {}",
            mentions(SECRET),
            mentions(&member_secret)
        ))
    );
    for method in [reqwest::Method::GET, reqwest::Method::POST] {
        let r = h
            .request(method, format!("{}/v1/whoami?{query}", m.url()))
            .header("x-note", format!("echo {SECRET}"))
            .header("x-auth-secret", "anything")
            .send()
            .await
            .unwrap();
        assert!(r.status().as_u16() < 500);
    }
    let in_path = utf8_percent_encode(SECRET, NON_ALPHANUMERIC).to_string();
    h.get(format!("{}/v1/contacts/{in_path}?{query}", m.url()))
        .send()
        .await
        .unwrap();
    let recs = recorded(&m).await;
    assert_eq!(recs.len(), 3);
    assert_eq!(recs[0]["status"], 200, "the query's credentials were read");
    for r in &recs {
        assert_eq!(r["query"]["auth_id"], AUTH_ID);
        assert_eq!(r["query"]["auth_secret"], "[REDACTED]");
        assert_eq!(r["query"]["x[auth_secret]"], "[REDACTED]");
    }
    assert_eq!(recs[0]["headers"]["x-note"], "echo [REDACTED]");
    assert_eq!(recs[0]["headers"]["x-auth-secret"], "[REDACTED]");
    assert_eq!(recs[2]["path"], "/v1/contacts/[REDACTED]");
    assert_clean(&Value::Array(recs), &[SECRET, &member_secret, "nested-one"]);
    // The mock's own copy (MockServer::requests) is the same.
    assert_clean(&serde_json::to_value(m.requests()).unwrap(), &[SECRET]);
    assert_eq!(
        json!(m.requests()[0].query["auth_secret"]),
        json!("[REDACTED]")
    );
}
