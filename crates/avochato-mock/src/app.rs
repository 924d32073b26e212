//! Wiring: what the server shares between connections, the router (the `/__mock/` control
//! routes in `control`, the API in `api` for everything else), CORS and JSON answers.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use serde_json::Value;
use tokio::sync::Notify;

use crate::canned::Canned;
use crate::control;
use crate::faults::Fault;
use crate::limiter::RateLimiter;
use crate::recorder::Recorded;
use crate::state::{Seed, State};

/// Everything the server shares between connections.
pub struct Shared {
    pub seed: Seed,
    pub state: Mutex<State>,
    pub faults: Mutex<Vec<Fault>>,
    pub recorded: Mutex<Vec<Recorded>>,
    pub record: AtomicBool,
    pub limiter: Mutex<RateLimiter>,
    pub canned: Mutex<Vec<Canned>>,
    pub seq: AtomicU64,
}

/// Locks a mutex, recovering the data if a thread panicked while holding it.
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Shared {
    pub fn new(seed: Seed, rate_limit: Option<f64>, record: bool) -> Shared {
        Shared {
            state: Mutex::new(State::seeded(&seed)),
            seed,
            faults: Mutex::new(Vec::new()),
            recorded: Mutex::new(Vec::new()),
            record: AtomicBool::new(record),
            limiter: Mutex::new(RateLimiter::new(rate_limit)),
            canned: Mutex::new(Vec::new()),
            seq: AtomicU64::new(0),
        }
    }

    /// Back to the seeded state: data, faults, recorder, rate-limit buckets, canned answers.
    pub fn reset(&self) {
        *lock(&self.state) = State::seeded(&self.seed);
        lock(&self.faults).clear();
        lock(&self.recorded).clear();
        lock(&self.limiter).reset();
        lock(&self.canned).clear();
    }

    /// The next request's number and `X-Request-Id`.
    pub fn next_request(&self) -> (u64, String) {
        let n = self.seq.fetch_add(1, Ordering::Relaxed) + 1;
        let id = format!("mock-{n:08x}-{:08x}", (n.wrapping_mul(0x9E37_79B9)) as u32);
        (n, id)
    }
}

/// Signals the connection task to reset the connection.
#[derive(Clone)]
pub struct Kill(pub Arc<Notify>);

/// The axum router: control routes, and the API for everything else.
pub fn router(shared: Arc<Shared>) -> Router {
    control::routes()
        .fallback(crate::api::api)
        .with_state(shared)
}

pub fn cors(headers: &mut HeaderMap, request_headers: Option<&HeaderValue>) {
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("GET, POST, PUT, DELETE, OPTIONS"),
    );
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        request_headers
            .cloned()
            .unwrap_or_else(|| HeaderValue::from_static("content-type")),
    );
    headers.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static("x-request-id, retry-after"),
    );
    headers.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static("600"),
    );
}

pub fn json_response(status: u16, body: &Value, request_id: &str) -> Response {
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    let mut resp = Response::new(Body::from(bytes));
    *resp.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(request_id) {
        h.insert("x-request-id", v);
    }
    resp
}
