//! The secret never appears in an error's text, a log line, an observer event or a Debug.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::collections::BTreeSet;
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use avochato::params::*;
use avochato::{Client, ErrorKind, Observer, RequestEvent};
use common::{SECRET, fault, mock};
use serde_json::json;

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[derive(Default)]
struct Events(Mutex<Vec<String>>);

impl Observer for Events {
    fn on_event(&self, event: &RequestEvent) {
        self.0.lock().unwrap().push(format!("{event:?}"));
    }
}

#[tokio::test]
async fn no_error_log_line_or_event_contains_the_secret() {
    let capture = Capture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let mock = mock().await;
    let events = Arc::new(Events::default());
    let c = Client::builder()
        .auth(mock.auth_id(), mock.auth_secret())
        .base_url(mock.url())
        .timeout(Duration::from_millis(300))
        .max_retry_wait(Duration::from_millis(100))
        .build()
        .unwrap()
        .with_observer(events.clone());
    // A server that echoes the secret back, in its messages and in an HTML page.
    let echo = json!([format!("bad credential auth_secret={SECRET}")]);
    fault(&mock, json!({"method": "GET", "path": "/v1/whoami", "kind": "status", "status": 401, "errors": echo})).await;
    fault(&mock, json!({"method": "POST", "path": "/v1/tags", "kind": "status", "status": 429, "retry_after": "60"})).await;
    fault(&mock, json!({"method": "POST", "path": "/v1/messages", "kind": "status", "status": 500, "errors": format!("crash {SECRET}")})).await;
    fault(
        &mock,
        json!({"method": "POST", "path": "/v1/events", "kind": "delay", "delay_ms": 800}),
    )
    .await;
    fault(
        &mock,
        json!({"method": "DELETE", "path": "/v1/tags", "kind": "reset"}),
    )
    .await;
    fault(
        &mock,
        json!({"method": "GET", "path": "/v1/messages/m1", "kind": "malformed"}),
    )
    .await;

    let mut errors = vec![
        c.verify().await.unwrap_err(),
        c.accounts()
            .list(ListAccountsParams::new())
            .subdomain("other-team")
            .await
            .unwrap_err(),
        c.messages()
            .get(GetMessagesParams::new("nope"))
            .await
            .unwrap_err(),
        c.contacts()
            .upsert(UpsertContactsParams::new("+14155550100").stuck_number("+19995550000"))
            .await
            .unwrap_err(),
        c.tags()
            .add_by_phone(AddByPhoneTagsParams::new("+14155550100", "t"))
            .await
            .unwrap_err(),
        c.messages()
            .send(SendMessagesParams::new("+14155550100", "x"))
            .await
            .unwrap_err(),
        c.events()
            .add_by_phone(AddByPhoneEventsParams::new("+14155550100", "sale"))
            .await
            .unwrap_err(),
        c.tags()
            .remove_by_phone(RemoveByPhoneTagsParams::new("+14155550100", "t"))
            .await
            .unwrap_err(),
        c.messages()
            .get(GetMessagesParams::new("m1"))
            .await
            .unwrap_err(),
        c.messages()
            .send(SendMessagesParams::new("", "x"))
            .await
            .unwrap_err(),
    ];
    // Configuration errors too.
    errors.push(
        Client::builder()
            .auth("id", SECRET)
            .base_url("http://example.com")
            .build()
            .unwrap_err(),
    );
    let kinds: BTreeSet<_> = errors.iter().map(|e| format!("{:?}", e.kind())).collect();
    // Internal errors come only from a host's boundary (a caught panic), not from the core.
    let all: BTreeSet<_> = ErrorKind::ALL
        .iter()
        .filter(|k| **k != ErrorKind::Internal)
        .map(|k| format!("{k:?}"))
        .collect();
    assert_eq!(kinds, all, "one error of every kind");

    let mut texts: Vec<String> = errors
        .iter()
        .map(|e| format!("{e}\n{e:?}\n{:?}\n{:?}", e.errors(), e.body_excerpt()))
        .collect();
    texts.push(format!("{c:?}\n{:?}", c.config()));
    texts.push(format!("{:?}", Client::builder().auth("id", SECRET)));
    texts.extend(events.0.lock().unwrap().iter().cloned());
    texts.push(String::from_utf8_lossy(&capture.0.lock().unwrap()).into_owned());
    for t in &texts {
        assert!(!t.contains(SECRET), "the secret leaked: {t}");
    }
    // The echoed messages were kept, with the secret replaced.
    assert!(
        errors[0].to_string().contains("auth_secret=[REDACTED]"),
        "{}",
        errors[0]
    );
    assert!(!events.0.lock().unwrap().is_empty(), "events were observed");
    assert!(
        String::from_utf8_lossy(&capture.0.lock().unwrap()).contains("avochato request"),
        "log lines were written"
    );
}
