//! The request recorder behind `GET /__mock/requests`. Nothing it stores holds a secret:
//! see `redact`.

use axum::http::HeaderMap;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::app::{Shared, lock};
use crate::http::ApiError;
use crate::params;
use crate::redact::{self, REDACTED, Redactor};

/// One recorded request, with the secrets replaced.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Recorded {
    /// The request's number (its `X-Request-Id` is `mock-<seq in hex>-...`).
    pub seq: u64,
    pub method: String,
    pub path: String,
    /// The query string as flat pairs (`created_at[from]` as written).
    pub query: Map<String, Value>,
    /// A JSON body's object as sent, a form's parameters (nested), the text of a body that
    /// did not parse (at most 2,000 characters), or `null` for a GET.
    pub body: Value,
    /// `user-agent`, `content-type`, `accept` and `x-*` headers.
    #[serde(default)]
    pub headers: Map<String, Value>,
    /// The status the client was answered (0: none, the connection was reset); a request
    /// being answered (a delay) has the status it will get.
    pub status: u16,
    pub time: f64,
}

/// A request as it arrived.
pub struct Arrival<'a> {
    pub seq: u64,
    pub method: &'a str,
    pub path: &'a str,
    pub query: Option<&'a str>,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
    /// The body as read: `Ok(None)` when not read (GET).
    pub parsed: &'a Result<Option<params::Body>, ApiError>,
}

/// Stores a request (status 0 until `set_status`), when recording is on.
pub fn record(shared: &Shared, a: &Arrival) {
    let text = String::from_utf8_lossy(a.body);
    let headers = recorded_headers(a.headers);
    let query = params::flat_query(a.query);
    // Every credential's secret, and whatever this request gave as `auth_secret`.
    let mut secrets: Vec<String> = lock(&shared.state)
        .credentials
        .iter()
        .map(|c| c.secret.clone())
        .collect();
    secrets.extend(redact::values_in_text(a.query.unwrap_or_default()));
    secrets.extend(redact::values_in_text(&text));
    for v in headers.values().filter_map(Value::as_str) {
        secrets.extend(redact::values_in_text(v));
    }
    let query = Value::Object(query);
    redact::values_in(&query, &mut secrets);
    if let Ok(Some(b)) = a.parsed {
        redact::values_in(&Value::Object(b.as_sent.clone()), &mut secrets);
        redact::values_in(&Value::Object(b.params.clone()), &mut secrets);
    }
    let r = Redactor::new(secrets);

    let mut query = query;
    r.value(&mut query);
    let body = match a.parsed {
        Ok(None) => Value::Null,
        Ok(Some(b)) => {
            let mut v = Value::Object(b.as_sent.clone());
            r.value(&mut v);
            v
        }
        // Redacted whole, then cut: a secret is never cut in half.
        Err(_) => Value::String(r.text(&text).chars().take(2000).collect()),
    };
    let mut headers = Value::Object(headers);
    r.value(&mut headers);
    let mut headers = match headers {
        Value::Object(h) => h,
        _ => Map::new(),
    };
    for (name, v) in headers.iter_mut() {
        if name.contains("secret") {
            *v = Value::String(REDACTED.into());
        }
    }
    lock(&shared.recorded).push(Recorded {
        seq: a.seq,
        method: a.method.to_string(),
        path: r.text(a.path),
        query: match query {
            Value::Object(q) => q,
            _ => Map::new(),
        },
        body,
        headers,
        status: 0,
        time: crate::state::now(),
    });
}

/// Sets the status a recorded request was answered.
pub fn set_status(shared: &Shared, seq: u64, status: u16) {
    let mut recorded = lock(&shared.recorded);
    if let Some(r) = recorded.iter_mut().rev().find(|r| r.seq == seq) {
        r.status = status;
    }
}

/// `user-agent`, `content-type`, `accept` and `x-*` headers.
fn recorded_headers(headers: &HeaderMap) -> Map<String, Value> {
    headers
        .iter()
        .filter(|(k, _)| {
            let k = k.as_str();
            matches!(k, "user-agent" | "content-type" | "accept") || k.starts_with("x-")
        })
        .map(|(k, v)| {
            (
                k.to_string(),
                Value::String(String::from_utf8_lossy(v.as_bytes()).into()),
            )
        })
        .collect()
}
