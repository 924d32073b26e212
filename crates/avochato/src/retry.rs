//! When to send a request again, and what an answer that is not a success means: the
//! policy every host's transport follows (natively the Rust transport; in JavaScript the
//! package's `fetch` loop asks the core through the wasm layer).
//!
//! | what happened                    | GET    | POST / PUT / DELETE |
//! |----------------------------------|--------|---------------------|
//! | 429 (the API ignored it)         | resend | resend              |
//! | could not connect (nothing sent) | resend | resend              |
//! | 5xx, timeout, broken connection  | resend | never               |
//!
//! Waits: `Retry-After` (seconds or an HTTP date) when given, up to the configured cap
//! (a longer one is returned as the error); otherwise exponential backoff with full jitter.

use std::time::Duration;

use crate::endpoint::HttpMethod;
use crate::error::Error;
use crate::rt;

/// First backoff step.
pub const BACKOFF_BASE: Duration = Duration::from_millis(500);
/// Largest backoff step.
pub const BACKOFF_CAP: Duration = Duration::from_secs(8);

/// How an attempt ended.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Attempt<'a> {
    /// An answer that is not a success, with its `Retry-After` header.
    Answered {
        /// HTTP status.
        status: u16,
        /// The `Retry-After` header, if any.
        retry_after: Option<&'a str>,
    },
    /// No answer.
    Failed {
        /// Whether the request certainly did not reach the server (connecting failed).
        nothing_sent: bool,
    },
}

/// What the transport does after a failed attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Next {
    /// Send again after this wait.
    Resend(Duration),
    /// Give up: return the attempt's error.
    Stop,
}

/// Whether (and after how long) to send again after attempt number `attempt` (1 for the
/// first) of a `method` request ended as `how`.
pub fn next(
    method: HttpMethod,
    attempt: u32,
    how: Attempt<'_>,
    max_retries: u32,
    max_retry_wait: Duration,
) -> Next {
    if attempt > max_retries {
        return Next::Stop;
    }
    let wait = match how {
        Attempt::Answered {
            status: 429,
            retry_after,
        } => retry_after
            .and_then(parse_retry_after)
            .unwrap_or_else(|| backoff(attempt)),
        Attempt::Answered {
            status: 500..=599, ..
        } if method.may_resend_after_sending() => backoff(attempt),
        Attempt::Answered { .. } => return Next::Stop,
        // No answer: the backoff (at most 8 s) is not held against the Retry-After cap.
        Attempt::Failed { nothing_sent } if nothing_sent || method.may_resend_after_sending() => {
            return Next::Resend(backoff(attempt));
        }
        Attempt::Failed { .. } => return Next::Stop,
    };
    if wait > max_retry_wait {
        return Next::Stop;
    }
    Next::Resend(wait)
}

/// Exponential backoff with full jitter: uniform in `[0, min(cap, base * 2^(attempt-1))]`.
pub fn backoff(attempt: u32) -> Duration {
    let exp = BACKOFF_BASE.as_secs_f64() * 2f64.powi(attempt.saturating_sub(1).min(16) as i32);
    let ceiling = exp.min(BACKOFF_CAP.as_secs_f64());
    Duration::from_secs_f64(ceiling * rt::random_unit())
}

/// `Retry-After`: seconds (integer or decimal) or an HTTP date.
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    let v = value.trim();
    if let Some(secs) = crate::text::decimal(v) {
        return (secs.is_finite() && secs >= 0.0)
            .then(|| Duration::from_secs_f64(secs.min(86_400.0)));
    }
    let when = httpdate::parse_http_date(v).ok()?;
    let when = when
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_secs_f64();
    Some(Duration::from_secs_f64(
        (when - rt::now_secs()).clamp(0.0, 86_400.0),
    ))
}

/// A header of an answer, by case-insensitive name.
pub fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// The error for an answer that is not a success (redacted of `secret`). `parsed` is the
/// body as JSON when the host has parsed it already (`None`: it is parsed here).
pub fn answer_error(
    status: u16,
    headers: &[(String, String)],
    body: &[u8],
    parsed: Option<&serde_json::Value>,
    secret: Option<&str>,
) -> Error {
    let body = redacted_body(body, secret);
    let body = body.as_ref();
    let error = if (300..400).contains(&status) {
        let location = header(headers, "location")
            .map(|l| l.split(['?', '#']).next().unwrap_or_default().to_string())
            .unwrap_or_default();
        Error::api(
            status,
            vec![format!(
                "the server answered with a redirect to {}; redirects are not followed \
                 (they would send the credentials on): check base_url",
                crate::text::quoted(&location)
            )],
            &[],
        )
    } else {
        let messages = match parsed {
            Some(v) => crate::decode::error_messages_of(v),
            None => crate::decode::error_messages(body),
        };
        Error::api(status, messages, body)
    };
    finish(
        error
            .with_request_id(header(headers, "x-request-id").map(str::to_string))
            .with_retry_after(header(headers, "retry-after").and_then(parse_retry_after)),
        secret,
    )
}

/// The error for a success answer whose body is not the documented shape: the error of an
/// embedded envelope (`{"status": 400, "errors": ...}` with HTTP 200), or a decode error.
/// `parsed` as for [`answer_error`].
pub fn decode_failure(
    status: u16,
    reason: &str,
    body: &[u8],
    parsed: Option<&serde_json::Value>,
    request_id: Option<&str>,
    secret: Option<&str>,
) -> Error {
    let body = redacted_body(body, secret);
    let body = body.as_ref();
    let embedded = match parsed {
        Some(v) => crate::decode::embedded_error_of(v),
        None => crate::decode::embedded_error(body),
    };
    let error = match embedded {
        Some((status, messages)) => Error::api(status, messages, body),
        None => Error::decode(Some(status), reason, body),
    };
    finish(
        error.with_request_id(request_id.map(str::to_string)),
        secret,
    )
}

impl crate::config::Config {
    /// The error for an answer that is not a success, without this client's secret
    /// (`parsed`: the body as JSON, if the host parsed it).
    pub fn answer_error(
        &self,
        status: u16,
        headers: &[(String, String)],
        body: &[u8],
        parsed: Option<&serde_json::Value>,
    ) -> Error {
        answer_error(
            status,
            headers,
            body,
            parsed,
            self.secret().map(|s| s.expose()),
        )
    }

    /// The error for a success answer whose body is not the documented shape, without this
    /// client's secret (`parsed`: the body as JSON, if the host parsed it).
    pub fn decode_failure(
        &self,
        status: u16,
        reason: &str,
        body: &[u8],
        parsed: Option<&serde_json::Value>,
        request_id: Option<&str>,
    ) -> Error {
        decode_failure(
            status,
            reason,
            body,
            parsed,
            request_id,
            self.secret().map(|s| s.expose()),
        )
    }

    /// Removes this client's secret from a text (an error raised by the host, say).
    pub fn redact(&self, text: &str) -> String {
        match self.secret() {
            Some(s) => s.redact(text),
            None => text.to_string(),
        }
    }
}

/// The body without the secret, before any of it is cut into an excerpt (a secret across
/// the cut would otherwise survive in part).
fn redacted_body<'a>(body: &'a [u8], secret: Option<&str>) -> std::borrow::Cow<'a, [u8]> {
    match secret {
        Some(s) if !s.is_empty() => std::borrow::Cow::Owned(
            crate::secret::redact_value(&String::from_utf8_lossy(body), s).into_bytes(),
        ),
        _ => std::borrow::Cow::Borrowed(body),
    }
}

fn finish(error: Error, secret: Option<&str>) -> Error {
    match secret {
        Some(s) if !s.is_empty() => error.redacted(s),
        _ => error,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_forms() {
        assert_eq!(parse_retry_after("2"), Some(Duration::from_secs(2)));
        assert_eq!(parse_retry_after("0.25"), Some(Duration::from_millis(250)));
        assert_eq!(parse_retry_after("-1"), None);
        assert_eq!(parse_retry_after("soon"), None);
        let future =
            httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(30));
        let d = parse_retry_after(&future).unwrap();
        assert!(
            d <= Duration::from_secs(30) && d >= Duration::from_secs(28),
            "{d:?}"
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
    }

    #[test]
    fn backoff_is_jittered_and_capped() {
        for attempt in 1..40 {
            let d = backoff(attempt);
            assert!(d <= BACKOFF_CAP, "{attempt}: {d:?}");
        }
        let first: Vec<Duration> = (0..200).map(|_| backoff(1)).collect();
        assert!(first.iter().all(|d| *d <= BACKOFF_BASE));
        assert!(
            first.iter().any(|d| *d < BACKOFF_BASE / 2)
                && first.iter().any(|d| *d > BACKOFF_BASE / 2)
        );
    }

    #[test]
    fn the_rules_by_method() {
        let cap = Duration::from_secs(60);
        let rate = Attempt::Answered {
            status: 429,
            retry_after: Some("1"),
        };
        let five = Attempt::Answered {
            status: 503,
            retry_after: None,
        };
        let broke = Attempt::Failed {
            nothing_sent: false,
        };
        let refused = Attempt::Failed { nothing_sent: true };
        for m in [HttpMethod::Get, HttpMethod::Post] {
            assert_eq!(
                next(m, 1, rate, 2, cap),
                Next::Resend(Duration::from_secs(1))
            );
            assert!(matches!(next(m, 1, refused, 2, cap), Next::Resend(_)));
            assert_eq!(next(m, 3, rate, 2, cap), Next::Stop, "out of resends");
            assert_eq!(
                next(m, 1, rate, 2, Duration::from_millis(10)),
                Next::Stop,
                "Retry-After over the cap"
            );
        }
        assert!(matches!(
            next(HttpMethod::Get, 1, five, 2, cap),
            Next::Resend(_)
        ));
        assert!(matches!(
            next(HttpMethod::Get, 1, broke, 2, cap),
            Next::Resend(_)
        ));
        assert_eq!(next(HttpMethod::Post, 1, five, 2, cap), Next::Stop);
        assert_eq!(next(HttpMethod::Post, 1, broke, 2, cap), Next::Stop);
        let bad = Attempt::Answered {
            status: 400,
            retry_after: None,
        };
        assert_eq!(next(HttpMethod::Get, 1, bad, 2, cap), Next::Stop);
    }
}
