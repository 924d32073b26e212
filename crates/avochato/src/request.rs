//! What one call takes besides its parameters, and what comes back besides the data: the
//! leaf types the client, the transport and every host share.

use std::time::Duration;

use serde_json::Value;

/// Options for one call, overriding the client's configuration.
#[derive(Clone, Debug, Default)]
pub struct RequestOptions {
    /// Scope this call to another inbox.
    pub subdomain: Option<String>,
    /// Total time allowed per attempt.
    pub timeout: Option<Duration>,
    /// How many times this call may be resent.
    pub max_retries: Option<u32>,
    /// Headers added to this call's requests (replacing the client's of the same name);
    /// checked with [`crate::config::check_header`] when the call is sent.
    pub headers: Vec<(String, String)>,
    /// Wire parameters set last (pagination cursors).
    pub(crate) overrides: Vec<(String, Value)>,
}

impl RequestOptions {
    /// No overrides.
    pub fn new() -> Self {
        Self::default()
    }
    /// Scope this call to another inbox.
    #[must_use]
    pub fn subdomain(mut self, subdomain: impl Into<String>) -> Self {
        self.subdomain = Some(subdomain.into());
        self
    }
    /// Total time allowed per attempt.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }
    /// How many times this call may be resent.
    #[must_use]
    pub fn max_retries(mut self, n: u32) -> Self {
        self.max_retries = Some(n);
        self
    }
    /// A header added to this call's requests (replacing the client's of the same name).
    #[must_use]
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }
    /// A wire parameter set after the parameters are checked: the cursor of the page to
    /// fetch (given by [`crate::PageCursor::next_param`]).
    #[must_use]
    pub fn page_cursor(mut self, cursor: (String, Value)) -> Self {
        self.overrides.push(cursor);
        self
    }
    /// The wire parameters set after the check (page cursors).
    pub fn overrides(&self) -> &[(String, Value)] {
        &self.overrides
    }
}

/// What came back besides the data: status, headers, request id, attempts.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ResponseMeta {
    /// HTTP status.
    pub status: u16,
    /// Response headers (names in lower case).
    pub headers: Vec<(String, String)>,
    /// The `X-Request-Id` header.
    pub request_id: Option<String>,
    /// How many times the request was sent.
    pub attempts: u32,
}

impl ResponseMeta {
    /// A header's value, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Data with its [`ResponseMeta`].
#[derive(Clone, Debug, PartialEq)]
pub struct Response<T> {
    /// What the operation returns.
    pub data: T,
    /// Status, headers, request id.
    pub meta: ResponseMeta,
}

/// Something told about each request: for logging bridges (Python's `logging`).
#[derive(Clone, Debug, PartialEq)]
pub enum RequestEvent {
    /// A request is being sent.
    Sending {
        /// HTTP method.
        method: &'static str,
        /// Path and query, without credentials.
        target: String,
        /// 1 for the first attempt.
        attempt: u32,
    },
    /// A request will be sent again.
    Retrying {
        /// HTTP method.
        method: &'static str,
        /// Path and query, without credentials.
        target: String,
        /// The attempt that failed.
        attempt: u32,
        /// Why (status or error kind).
        reason: String,
        /// How long before the next attempt.
        wait: Duration,
    },
    /// A response arrived.
    Received {
        /// HTTP method.
        method: &'static str,
        /// Path and query, without credentials.
        target: String,
        /// HTTP status.
        status: u16,
        /// The `X-Request-Id` header.
        request_id: Option<String>,
        /// Milliseconds since the attempt started.
        elapsed_ms: f64,
    },
    /// An attempt failed without a response.
    Failed {
        /// HTTP method.
        method: &'static str,
        /// Path and query, without credentials.
        target: String,
        /// What went wrong (no credentials in it).
        error: String,
    },
}

/// Receives [`RequestEvent`]s (see `Client::with_observer`).
pub trait Observer: Send + Sync {
    /// Called for every event; must be quick.
    fn on_event(&self, event: &RequestEvent);
}
