//! One error type with kinds that every host maps to its own classes.

use std::fmt;
use std::time::Duration;

use serde::Serialize;

use crate::secret::redact_value;

/// What went wrong, in terms every host maps to an error class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// 401: missing or wrong credentials.
    Authentication,
    /// 403: the credential may not do this (or may not use that inbox).
    PermissionDenied,
    /// 404: the addressed object or route does not exist.
    NotFound,
    /// Any other 4xx: the API refused the request; see [`Error::errors`].
    InvalidRequest,
    /// 429: the API ignored the request; see [`Error::retry_after`].
    RateLimited,
    /// 5xx: the API failed.
    Server,
    /// No complete answer within the timeout.
    Timeout,
    /// No connection, or the connection broke.
    Connection,
    /// An answer arrived that is not the documented shape.
    Decode,
    /// The request was refused before sending: bad input.
    Validation,
    /// A bug in the SDK, caught at a host's boundary instead of crashing the host.
    Internal,
}

impl ErrorKind {
    /// Every kind, in a fixed order (hosts generate their classes from it).
    pub const ALL: [ErrorKind; 11] = [
        ErrorKind::Authentication,
        ErrorKind::PermissionDenied,
        ErrorKind::NotFound,
        ErrorKind::InvalidRequest,
        ErrorKind::RateLimited,
        ErrorKind::Server,
        ErrorKind::Timeout,
        ErrorKind::Connection,
        ErrorKind::Decode,
        ErrorKind::Validation,
        ErrorKind::Internal,
    ];

    /// The kind's wire name: `authentication`, `permission_denied`, `rate_limited`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Authentication => "authentication",
            ErrorKind::PermissionDenied => "permission_denied",
            ErrorKind::NotFound => "not_found",
            ErrorKind::InvalidRequest => "invalid_request",
            ErrorKind::RateLimited => "rate_limited",
            ErrorKind::Server => "server",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Connection => "connection",
            ErrorKind::Decode => "decode",
            ErrorKind::Validation => "validation",
            ErrorKind::Internal => "internal",
        }
    }

    /// The error class name used by the JavaScript and Python hosts.
    pub fn class_name(self) -> &'static str {
        match self {
            ErrorKind::Authentication => "AuthenticationError",
            ErrorKind::PermissionDenied => "PermissionDeniedError",
            ErrorKind::NotFound => "NotFoundError",
            ErrorKind::InvalidRequest => "InvalidRequestError",
            ErrorKind::RateLimited => "RateLimitError",
            ErrorKind::Server => "ServerError",
            ErrorKind::Timeout => "TimeoutError",
            ErrorKind::Connection => "ConnectionError",
            ErrorKind::Decode => "DecodeError",
            ErrorKind::Validation => "ValidationError",
            ErrorKind::Internal => "InternalError",
        }
    }

    /// What the kind means, for the documentation of each host's class.
    pub fn doc(self) -> &'static str {
        match self {
            ErrorKind::Authentication => "401: missing or wrong credentials.",
            ErrorKind::PermissionDenied => {
                "403: not allowed (also an inbox the credential cannot use)."
            }
            ErrorKind::NotFound => "404: the addressed object or route does not exist.",
            ErrorKind::InvalidRequest => {
                "Any other 4xx: the API refused the request (see `errors`)."
            }
            ErrorKind::RateLimited => "429: the API ignored the request; see the retry-after time.",
            ErrorKind::Server => "5xx, or an HTML error page.",
            ErrorKind::Timeout => "No complete answer within the timeout.",
            ErrorKind::Connection => "No connection, or it broke.",
            ErrorKind::Decode => "An answer that is not the documented shape.",
            ErrorKind::Validation => {
                "Refused before anything was sent: bad parameters or configuration."
            }
            ErrorKind::Internal => {
                "A bug in the SDK, caught instead of crashing: please report it."
            }
        }
    }

    /// The kind an HTTP error status maps to.
    pub fn from_status(status: u16) -> ErrorKind {
        match status {
            401 => ErrorKind::Authentication,
            403 => ErrorKind::PermissionDenied,
            404 => ErrorKind::NotFound,
            429 => ErrorKind::RateLimited,
            500..=599 => ErrorKind::Server,
            _ => ErrorKind::InvalidRequest,
        }
    }

    fn describe(self) -> &'static str {
        match self {
            ErrorKind::Authentication => "authentication failed",
            ErrorKind::PermissionDenied => "permission denied",
            ErrorKind::NotFound => "not found",
            ErrorKind::InvalidRequest => "invalid request",
            ErrorKind::RateLimited => "rate limited (the API ignored the request)",
            ErrorKind::Server => "server error",
            ErrorKind::Timeout => "timed out",
            ErrorKind::Connection => "connection failed",
            ErrorKind::Decode => "unexpected response",
            ErrorKind::Validation => "invalid parameters",
            ErrorKind::Internal => "internal error in the avochato SDK (please report it)",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.class_name())
    }
}

/// An error from the SDK: see [`Error::kind`]. Its text never contains the secret.
#[derive(Clone, PartialEq)]
pub struct Error {
    inner: Box<Inner>,
}

#[derive(Clone, PartialEq)]
struct Inner {
    kind: ErrorKind,
    message: String,
    status: Option<u16>,
    request_id: Option<String>,
    errors: Vec<String>,
    retry_after: Option<Duration>,
    body: Option<String>,
    param: Option<String>,
}

/// The longest body excerpt an error keeps.
const EXCERPT_CHARS: usize = 200;

impl Error {
    fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            inner: Box::new(Inner {
                kind,
                message: message.into(),
                status: None,
                request_id: None,
                errors: Vec::new(),
                retry_after: None,
                body: None,
                param: None,
            }),
        }
    }

    /// Bad input, found before anything was sent. `param` names the parameter.
    pub fn validation(param: impl Into<String>, message: impl Into<String>) -> Self {
        let param = param.into();
        let message = message.into();
        let text = if param.is_empty() {
            message.clone()
        } else {
            format!("`{param}`: {message}")
        };
        let mut e = Error::new(ErrorKind::Validation, text);
        e.inner.errors = vec![message];
        if !param.is_empty() {
            e.inner.param = Some(param);
        }
        e
    }

    /// Parameters that do not fit their type. `path` is where (`status`,
    /// `contacts[0].phone`; `.` for the whole object, where serde's message names the field:
    /// "missing field `phone`", "unknown field `fone`").
    pub fn invalid_params(path: &str, message: impl fmt::Display) -> Self {
        let message = message.to_string();
        let param = if path.is_empty() || path == "." {
            message
                .split('`')
                .nth(1)
                .filter(|p| !p.is_empty() && p.len() < 64 && !p.contains(' '))
                .unwrap_or_default()
                .to_string()
        } else {
            path.to_string()
        };
        let text = if param.is_empty() {
            message.clone()
        } else {
            format!("`{param}`: {message}")
        };
        let mut e = Error::new(
            ErrorKind::Validation,
            format!("{}: {text}", ErrorKind::Validation.describe()),
        );
        e.inner.errors = vec![message];
        if !param.is_empty() {
            e.inner.param = Some(param);
        }
        e
    }

    /// Deserializes parameters of type `T` from JSON, as a validation error naming the field.
    pub fn params_from_json<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> Result<T> {
        serde_path_to_error::deserialize(value)
            .map_err(|e| Error::invalid_params(&e.path().to_string(), e.inner()))
    }

    /// A configuration problem (bad base URL, missing credentials), found before sending.
    pub fn config(message: impl Into<String>) -> Self {
        let message = message.into();
        let mut e = Error::new(ErrorKind::Validation, message.clone());
        e.inner.errors = vec![message];
        e
    }

    /// A bug in the SDK caught at a host's boundary (a panic): never the caller's fault.
    pub fn internal(detail: impl Into<String>) -> Self {
        Error::new(
            ErrorKind::Internal,
            format!("{}: {}", ErrorKind::Internal.describe(), detail.into()),
        )
    }

    /// The request did not complete in time.
    pub fn timeout(after: Option<Duration>) -> Self {
        let message = match after {
            Some(d) => format!(
                "{} after {}s",
                ErrorKind::Timeout.describe(),
                crate::text::seconds(d)
            ),
            None => ErrorKind::Timeout.describe().to_string(),
        };
        Error::new(ErrorKind::Timeout, message)
    }

    /// The connection failed or broke; `detail` must not hold a URL with credentials.
    pub fn connection(detail: impl Into<String>) -> Self {
        Error::new(
            ErrorKind::Connection,
            format!("{}: {}", ErrorKind::Connection.describe(), detail.into()),
        )
    }

    /// An API error answer: `status` with the messages of its `errors` field.
    pub fn api(status: u16, errors: Vec<String>, body: &[u8]) -> Self {
        let kind = ErrorKind::from_status(status);
        let detail = if errors.is_empty() {
            let excerpt = excerpt(body);
            if excerpt.is_empty() {
                String::from("(empty body)")
            } else {
                excerpt
            }
        } else {
            errors.join("; ")
        };
        let mut e = Error::new(
            kind,
            format!("{} (HTTP {status}): {detail}", kind.describe()),
        );
        e.inner.status = Some(status);
        e.inner.errors = errors;
        if !body.is_empty() {
            e.inner.body = Some(excerpt(body));
        }
        e
    }

    /// A response that could not be decoded into the documented shape.
    pub fn decode(status: Option<u16>, reason: impl fmt::Display, body: &[u8]) -> Self {
        let excerpt = excerpt(body);
        let shown = if excerpt.is_empty() {
            String::from("(empty body)")
        } else {
            excerpt.clone()
        };
        let status_text = status.map(|s| format!(" (HTTP {s})")).unwrap_or_default();
        let mut e = Error::new(
            ErrorKind::Decode,
            format!(
                "{}{status_text}: {reason}; body: {shown}",
                ErrorKind::Decode.describe()
            ),
        );
        e.inner.status = status;
        if !excerpt.is_empty() {
            e.inner.body = Some(excerpt);
        }
        e
    }

    pub(crate) fn with_request_id(mut self, request_id: Option<String>) -> Self {
        if request_id.is_some() {
            self.inner.request_id = request_id;
        }
        self
    }

    pub(crate) fn with_retry_after(mut self, retry_after: Option<Duration>) -> Self {
        self.inner.retry_after = retry_after;
        self
    }

    /// Removes `secret` from every text this error carries.
    pub fn redacted(mut self, secret: &str) -> Self {
        let inner = &mut *self.inner;
        inner.message = redact_value(&inner.message, secret);
        for e in &mut inner.errors {
            *e = redact_value(e, secret);
        }
        if let Some(b) = &mut inner.body {
            *b = redact_value(b, secret);
        }
        if let Some(r) = &mut inner.request_id {
            *r = redact_value(r, secret);
        }
        self
    }

    /// The kind of error.
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }
    /// The human-readable message (also what `Display` prints, without the request id).
    pub fn message(&self) -> &str {
        &self.inner.message
    }
    /// The HTTP status, where a response arrived.
    pub fn status(&self) -> Option<u16> {
        self.inner.status
    }
    /// The `X-Request-Id` header, where a response arrived.
    pub fn request_id(&self) -> Option<&str> {
        self.inner.request_id.as_deref()
    }
    /// The API's messages (its `errors` field, a string or a list), or the validation message.
    pub fn errors(&self) -> &[String] {
        &self.inner.errors
    }
    /// For rate limiting: how long the API asked to wait (`Retry-After`).
    pub fn retry_after(&self) -> Option<Duration> {
        self.inner.retry_after
    }
    /// The start of the response body (at most 200 characters), for unexpected answers.
    pub fn body_excerpt(&self) -> Option<&str> {
        self.inner.body.as_deref()
    }
    /// For validation errors: the parameter at fault.
    pub fn param(&self) -> Option<&str> {
        self.inner.param.as_deref()
    }
    /// Whether resending the same request could succeed (rate limiting, server, network).
    pub fn is_retryable(&self) -> bool {
        matches!(
            self.inner.kind,
            ErrorKind::RateLimited | ErrorKind::Server | ErrorKind::Timeout | ErrorKind::Connection
        )
    }
}

/// At most [`EXCERPT_CHARS`] characters of a body, control characters replaced.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut out: String = text
        .trim()
        .chars()
        .take(EXCERPT_CHARS)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.trim().chars().count() > EXCERPT_CHARS {
        out.push('…');
    }
    out
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.inner.message)?;
        if let Some(id) = &self.inner.request_id {
            write!(f, " [request id: {id}]")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        let mut d = f.debug_struct("Error");
        d.field("kind", &i.kind).field("message", &i.message);
        if let Some(s) = i.status {
            d.field("status", &s);
        }
        if let Some(r) = &i.request_id {
            d.field("request_id", r);
        }
        if !i.errors.is_empty() {
            d.field("errors", &i.errors);
        }
        if let Some(r) = i.retry_after {
            d.field("retry_after", &r);
        }
        if let Some(p) = &i.param {
            d.field("param", p);
        }
        d.finish()
    }
}

impl std::error::Error for Error {}

/// The SDK's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_names_match_their_serde_names() {
        for k in ErrorKind::ALL {
            assert_eq!(
                serde_json::to_value(k).unwrap(),
                serde_json::Value::from(k.as_str())
            );
        }
    }

    #[test]
    fn status_maps_to_kind() {
        assert_eq!(ErrorKind::from_status(401), ErrorKind::Authentication);
        assert_eq!(ErrorKind::from_status(403), ErrorKind::PermissionDenied);
        assert_eq!(ErrorKind::from_status(404), ErrorKind::NotFound);
        assert_eq!(ErrorKind::from_status(422), ErrorKind::InvalidRequest);
        assert_eq!(ErrorKind::from_status(429), ErrorKind::RateLimited);
        assert_eq!(ErrorKind::from_status(503), ErrorKind::Server);
    }

    #[test]
    fn api_error_text_carries_messages_and_request_id() {
        let e = Error::api(400, vec!["+16505551234 is already opted out".into()], b"{}")
            .with_request_id(Some("req-1".into()));
        assert_eq!(e.kind(), ErrorKind::InvalidRequest);
        let text = e.to_string();
        assert!(text.contains("HTTP 400"), "{text}");
        assert!(text.contains("already opted out"), "{text}");
        assert!(text.contains("req-1"), "{text}");
    }

    #[test]
    fn redacted_removes_the_secret_everywhere() {
        let e = Error::api(
            500,
            vec!["echo s3cr3t-value".into()],
            b"<html>s3cr3t-value</html>",
        )
        .redacted("s3cr3t-value");
        assert!(!format!("{e} {e:?} {:?}", e.body_excerpt()).contains("s3cr3t-value"));
    }

    #[test]
    fn excerpt_is_bounded() {
        let long = "x".repeat(1000);
        let e = Error::decode(Some(200), "bad", long.as_bytes());
        assert!(e.body_excerpt().map(|b| b.chars().count()).unwrap_or(0) <= EXCERPT_CHARS + 1);
    }
}
