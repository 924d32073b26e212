//! The request recorder behind `GET /__mock/requests`.

use axum::http::HeaderMap;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// One recorded request, with the secret replaced.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Recorded {
    pub seq: u64,
    pub method: String,
    pub path: String,
    pub query: Map<String, Value>,
    pub body: Value,
    /// `user-agent`, `content-type`, `accept` and `x-*` headers (the API takes no secret in
    /// a header).
    #[serde(default)]
    pub headers: Map<String, Value>,
    pub status: u16,
    pub time: f64,
}

/// Replaces the `auth_secret` parameter's value.
pub fn redact(map: &mut Map<String, Value>) {
    if let Some(v) = map.get_mut("auth_secret") {
        *v = Value::String("[REDACTED]".into());
    }
}

/// `user-agent`, `content-type`, `accept` and `x-*` headers.
pub fn recorded_headers(headers: &HeaderMap) -> Map<String, Value> {
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
