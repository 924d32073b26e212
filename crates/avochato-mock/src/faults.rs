//! Faults for the next N requests matching a method and path, and the rate limiter.

use std::collections::HashMap;
use std::time::Instant;

use serde::{Deserialize, Serialize};
use serde_json::Value;

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

/// Requests per second per credential, as a token bucket (one second of burst).
#[derive(Debug, Default)]
pub struct RateLimiter {
    pub per_second: Option<f64>,
    buckets: HashMap<String, (f64, Instant)>,
}

impl RateLimiter {
    pub fn new(per_second: Option<f64>) -> Self {
        RateLimiter {
            per_second: per_second.filter(|r| *r > 0.0),
            buckets: HashMap::new(),
        }
    }

    /// `Ok` to go ahead, or `Err(seconds to wait)`.
    pub fn check(&mut self, key: &str) -> Result<(), u64> {
        let Some(rate) = self.per_second else {
            return Ok(());
        };
        let now = Instant::now();
        let (tokens, last) = self
            .buckets
            .entry(key.to_string())
            .or_insert((rate.max(1.0), now));
        let elapsed = now.duration_since(*last).as_secs_f64();
        *tokens = (*tokens + elapsed * rate).min(rate.max(1.0));
        *last = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err((((1.0 - *tokens) / rate).ceil() as u64).max(1))
        }
    }

    pub fn reset(&mut self) {
        self.buckets.clear();
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

    #[test]
    fn limiter_allows_the_rate_then_refuses() {
        let mut l = RateLimiter::new(Some(5.0));
        let allowed = (0..10).filter(|_| l.check("a").is_ok()).count();
        assert_eq!(allowed, 5);
        assert_eq!(l.check("a"), Err(1));
        assert!(l.check("b").is_ok());
    }
}
