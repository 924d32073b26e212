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
    /// Answer `status` (default 500) with the vendor envelope `{"status", "errors"}`, or
    /// with `body` when given (an error envelope under HTTP 200), and `retry_after` as
    /// `Retry-After`.
    Status,
    /// Answer normally after `delay_ms` (default 1000). A delayed request always takes
    /// effect.
    Delay,
    /// Reset the connection (TCP RST) instead of answering.
    Reset,
    /// Declare the whole body's length, send half of it, close the connection.
    Truncate,
    /// Answer `status` (default 200) with a JSON content type and a body that is not JSON.
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
    /// `status` only: the JSON body to answer instead of the envelope.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Value>,
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
    /// Why the fault cannot be answered as described, if it cannot.
    pub fn check(&self) -> Result<(), String> {
        if self.count == 0 {
            return Err("count must be 1 or more".into());
        }
        if let Some(s) = self.status
            && !(100..=599).contains(&s)
        {
            return Err(format!("status {s} is not an HTTP status"));
        }
        if let Some(v) = &self.retry_after
            && HeaderValue::from_str(v).is_err()
        {
            return Err("retry_after must be a header value".into());
        }
        if self.body.is_some() && self.kind != FaultKind::Status {
            return Err("body goes with kind status".into());
        }
        Ok(())
    }

    /// The status a client gets when the fault answers a request that came to `status`
    /// (0: none, the connection is reset).
    pub fn answered_status(&self, status: u16) -> u16 {
        match self.kind {
            FaultKind::Status => self.status.unwrap_or(500),
            FaultKind::Html => self.status.unwrap_or(502),
            FaultKind::Malformed | FaultKind::Empty => self.status.unwrap_or(200),
            FaultKind::Reset => 0,
            FaultKind::Delay | FaultKind::Truncate => status,
        }
    }

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
    let answered = StatusCode::from_u16(f.answered_status(status)).unwrap_or(StatusCode::OK);
    match f.kind {
        FaultKind::Status => {
            let status = answered.as_u16();
            let errors = f
                .errors
                .clone()
                .unwrap_or_else(|| json!([format!("Injected error {status}")]));
            let body = f
                .body
                .clone()
                .unwrap_or_else(|| json!({"status": status, "errors": errors}));
            let mut r = json_response(status, &body, request_id);
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
            *r.status_mut() = answered;
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
            let title = format!(
                "{} {}",
                answered.as_u16(),
                answered.canonical_reason().unwrap_or("Error")
            );
            let page = format!(
                "<html><head><title>{title}</title></head><body><h1>{title}</h1></body></html>"
            );
            let mut r = Response::new(Body::from(page));
            *r.status_mut() = answered;
            r.headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
            r
        }
        FaultKind::Empty => {
            let mut r = Response::new(Body::empty());
            *r.status_mut() = answered;
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
            body: None,
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

    #[test]
    fn what_a_fault_answers_is_checked_when_it_is_set() {
        let fault = |v: Value| serde_json::from_value::<Fault>(v).map_err(|e| e.to_string());
        let ok = fault(
            json!({"path": "/x", "kind": "status", "status": 200, "body": {"status": 400, "errors": "no"}}),
        );
        assert_eq!(ok.as_ref().map(Fault::check), Ok(Ok(())));
        assert_eq!(ok.map(|f| f.answered_status(201)), Ok(200));
        for bad in [
            json!({"path": "/x", "kind": "status", "status": 1000}),
            json!({"path": "/x", "kind": "status", "status": 99}),
            json!({"path": "/x", "kind": "status", "count": 0}),
            json!({"path": "/x", "kind": "status", "retry_after": "1\n2"}),
            json!({"path": "/x", "kind": "html", "body": {}}),
        ] {
            assert!(
                fault(bad.clone())
                    .map(|f| f.check())
                    .is_ok_and(|c| c.is_err()),
                "{bad}"
            );
        }
        let answered =
            |kind: &str| fault(json!({"path": "/x", "kind": kind})).map(|f| f.answered_status(201));
        assert_eq!(answered("status"), Ok(500));
        assert_eq!(answered("html"), Ok(502));
        assert_eq!(answered("empty"), Ok(200));
        assert_eq!(answered("malformed"), Ok(200));
        assert_eq!(answered("reset"), Ok(0));
        assert_eq!(answered("delay"), Ok(201));
        assert_eq!(answered("truncate"), Ok(201));
    }
}
