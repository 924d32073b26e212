//! Faults for the next N requests matching a method and path, and how they answer.

use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::app::{Kill, json_response};

/// What a fault does to a matching request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// Answer `status` in the vendor envelope (with `retry_after` as `Retry-After`).
    Status,
    /// Answer normally after `delay_ms`.
    Delay,
    /// Reset the connection (TCP RST) instead of answering.
    Reset,
    /// Declare the whole body's length, send half of it, close the connection.
    Truncate,
    /// Answer 200 with a body that is not valid JSON.
    Malformed,
    /// Answer with an HTML error page (`status`, default 502).
    Html,
    /// Answer with an empty body (`status`, default 200).
    Empty,
}

/// A fault for the next `count` requests matching `method` (any when absent) and `path`
/// (exact, or a prefix ending in `*`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Fault {
    #[serde(default)]
    pub method: Option<String>,
    pub path: String,
    #[serde(default = "one")]
    pub count: u32,
    pub kind: FaultKind,
    #[serde(default)]
    pub status: Option<u16>,
    /// The envelope's `errors` (a string or a list).
    #[serde(default)]
    pub errors: Option<Value>,
    /// `Retry-After` header value.
    #[serde(default)]
    pub retry_after: Option<String>,
    #[serde(default)]
    pub delay_ms: Option<u64>,
    /// Whether the request takes effect before the fault (a 500 after the message was
    /// stored). Faults without effect leave the state untouched.
    #[serde(default)]
    pub effect: bool,
}

fn one() -> u32 {
    1
}

impl Fault {
    pub fn matches(&self, method: &str, path: &str) -> bool {
        let method_ok = self
            .method
            .as_deref()
            .is_none_or(|m| m.eq_ignore_ascii_case(method));
        let path_ok = match self.path.strip_suffix('*') {
            Some(prefix) => path.starts_with(prefix),
            None => self.path == path,
        };
        method_ok && path_ok && self.count > 0
    }
}

/// Takes the first fault matching the request (one use of it).
pub fn take(faults: &mut Vec<Fault>, method: &str, path: &str) -> Option<Fault> {
    let i = faults.iter().position(|f| f.matches(method, path))?;
    let f = faults.get_mut(i)?;
    f.count -= 1;
    let taken = f.clone();
    if f.count == 0 {
        faults.remove(i);
    }
    Some(taken)
}

/// The answer a fault gives instead of (`status`, `body`), what the request came to.
pub async fn answer(
    f: &Fault,
    status: u16,
    body: &Value,
    request_id: &str,
    kill: Option<Kill>,
) -> Response {
    match f.kind {
        FaultKind::Status => {
            let status = f.status.unwrap_or(500);
            let errors = f
                .errors
                .clone()
                .unwrap_or_else(|| json!([format!("Injected error {status}")]));
            let mut r = json_response(
                status,
                &json!({"status": status, "errors": errors}),
                request_id,
            );
            if let Some(v) = f
                .retry_after
                .as_deref()
                .and_then(|v| HeaderValue::from_str(v).ok())
            {
                r.headers_mut().insert(header::RETRY_AFTER, v);
            }
            r
        }
        FaultKind::Delay => {
            tokio::time::sleep(Duration::from_millis(f.delay_ms.unwrap_or(1000))).await;
            json_response(status, body, request_id)
        }
        FaultKind::Reset => {
            if let Some(k) = kill {
                k.0.notify_one();
            }
            // The connection task drops the connection; this answer is never sent.
            tokio::time::sleep(Duration::from_secs(30)).await;
            json_response(500, &json!({}), request_id)
        }
        FaultKind::Truncate => {
            let full = serde_json::to_vec(body).unwrap_or_default();
            let half = Bytes::from(full.get(..full.len() / 2).unwrap_or_default().to_vec());
            // Headers and the first half go out; then the connection is dropped mid-body.
            let stream = futures_util::stream::unfold((0u8, half), |(step, half)| async move {
                match step {
                    0 => Some((Ok::<Bytes, std::io::Error>(half), (1, Bytes::new()))),
                    1 => {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        Some((
                            Err(std::io::Error::other("truncated by the mock")),
                            (2, half),
                        ))
                    }
                    _ => None,
                }
            });
            let mut r = Response::new(Body::from_stream(stream));
            *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
            let h = r.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json; charset=utf-8"),
            );
            if let Ok(v) = HeaderValue::from_str(&full.len().to_string()) {
                h.insert(header::CONTENT_LENGTH, v);
            }
            r
        }
        FaultKind::Malformed => {
            let mut r = Response::new(Body::from(r#"{"status":200,"data":{"message":{"uuid":"#));
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json; charset=utf-8"),
            );
            if let Ok(v) = HeaderValue::from_str(request_id) {
                r.headers_mut().insert("x-request-id", v);
            }
            r
        }
        FaultKind::Html => {
            let status = f.status.unwrap_or(502);
            let page = format!(
                "<html><head><title>{status}</title></head><body><h1>{status} Bad Gateway</h1></body></html>"
            );
            let mut r = Response::new(Body::from(page));
            *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
            r.headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
            r
        }
        FaultKind::Empty => {
            let mut r = Response::new(Body::empty());
            *r.status_mut() =
                StatusCode::from_u16(f.status.unwrap_or(200)).unwrap_or(StatusCode::OK);
            r
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_are_used_up() {
        let mut faults = vec![Fault {
            method: Some("GET".into()),
            path: "/v1/messages*".into(),
            count: 2,
            kind: FaultKind::Status,
            status: Some(503),
            errors: None,
            retry_after: None,
            delay_ms: None,
            effect: false,
        }];
        assert!(take(&mut faults, "POST", "/v1/messages").is_none());
        assert!(take(&mut faults, "GET", "/v1/messages/x").is_some());
        assert!(take(&mut faults, "get", "/v1/messages").is_some());
        assert!(take(&mut faults, "GET", "/v1/messages").is_none());
        assert!(faults.is_empty());
    }
}
