//! Answering requests: the API routes (auth, scoping, rate limit, faults, recording) and
//! the `/__mock/` control routes.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Query, State as AxState};
use axum::http::{HeaderMap, HeaderValue, Method, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use tokio::sync::Notify;

use crate::faults::{self, Fault, FaultKind, RateLimiter};
use crate::http::{self, ApiError, Params};
use crate::routes::{self, Ctx};
use crate::state::{EventKind, Seed, State};

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

/// A prepared answer (benchmarks): no auth, no state, no recording.
///
/// With `pages: N`, the body is a cursor page: its `data.next_page` is `"p1"`, `"p2"`, ...
/// following the request's `after_page`, and `null` on the N-th page (a list of N pages
/// of the same items, for walking large lists without storing them).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Canned {
    pub method: String,
    pub path: String,
    #[serde(default = "ok_status")]
    pub status: u16,
    pub body: Value,
    #[serde(default)]
    pub pages: Option<u64>,
    /// The body, serialized once (split around the cursor with `pages`).
    #[serde(skip)]
    pub bytes: (Bytes, Bytes),
}

const NEXT_PAGE_MARK: &str = "\"__avochato_mock_next_page__\"";

impl Canned {
    fn prepare(&mut self) {
        if self.pages.is_some()
            && let Some(data) = self.body.get_mut("data").and_then(Value::as_object_mut)
        {
            data.insert(
                "next_page".into(),
                Value::String(NEXT_PAGE_MARK.trim_matches('"').into()),
            );
        }
        let bytes = serde_json::to_vec(&self.body).unwrap_or_default();
        self.body = Value::Null;
        let split = bytes
            .windows(NEXT_PAGE_MARK.len())
            .position(|w| w == NEXT_PAGE_MARK.as_bytes());
        self.bytes = match split {
            Some(at) => (
                Bytes::copy_from_slice(bytes.get(..at).unwrap_or_default()),
                Bytes::copy_from_slice(bytes.get(at + NEXT_PAGE_MARK.len()..).unwrap_or_default()),
            ),
            None => (Bytes::from(bytes), Bytes::new()),
        };
    }

    fn answer(&self, query: Option<&str>) -> Body {
        let Some(pages) = self.pages else {
            return Body::from(self.bytes.0.clone());
        };
        let page = form_urlencoded::parse(query.unwrap_or("").as_bytes())
            .find(|(k, _)| k == "after_page")
            .and_then(|(_, v)| v.strip_prefix('p').and_then(|n| n.parse::<u64>().ok()))
            .unwrap_or(0);
        let next = if page + 1 < pages {
            format!("\"p{}\"", page + 1)
        } else {
            "null".into()
        };
        let mut out = Vec::with_capacity(self.bytes.0.len() + self.bytes.1.len() + next.len());
        out.extend_from_slice(&self.bytes.0);
        out.extend_from_slice(next.as_bytes());
        out.extend_from_slice(&self.bytes.1);
        Body::from(out)
    }
}

fn ok_status() -> u16 {
    200
}

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

    fn request_id(&self) -> String {
        let n = self.seq.fetch_add(1, Ordering::Relaxed) + 1;
        format!("mock-{n:08x}-{:08x}", (n.wrapping_mul(0x9E37_79B9)) as u32)
    }
}

/// Signals the connection task to reset the connection.
#[derive(Clone)]
pub struct Kill(pub Arc<Notify>);

/// The axum router: control routes, and the API for everything else.
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(
            "/__mock/health",
            get(|| async { axum::Json(json!({"ok": true})) }),
        )
        .route(
            "/__mock/faults",
            post(add_faults).get(list_faults).delete(clear_faults),
        )
        .route(
            "/__mock/requests",
            get(list_requests).delete(clear_requests),
        )
        .route("/__mock/reset", post(reset))
        .route("/__mock/state", get(summary))
        .route("/__mock/inbound", post(inbound))
        .route("/__mock/calls", post(call))
        .route("/__mock/campaigns/enroll", post(enroll))
        .route("/__mock/canned", post(add_canned).delete(clear_canned))
        .route("/__mock/config", post(configure))
        .fallback(api)
        .with_state(shared)
}

fn cors(headers: &mut HeaderMap, request_headers: Option<&HeaderValue>) {
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

fn json_response(status: u16, body: &Value, request_id: &str) -> Response {
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

/// What processing decided, before faults that need the connection are applied.
struct Outcome {
    status: u16,
    body: Value,
    fault: Option<Fault>,
}

fn redact(map: &mut Map<String, Value>) {
    if let Some(v) = map.get_mut("auth_secret") {
        *v = Value::String("[REDACTED]".into());
    }
}

/// Parses, records, authenticates, rate-limits, picks a fault, runs the operation.
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

fn process(
    shared: &Shared,
    method: &str,
    path: &str,
    query: Option<&str>,
    headers: &HeaderMap,
    body: &[u8],
) -> Outcome {
    let flat_query = http::parse_query(query);
    let parsed_body: Result<Map<String, Value>, ApiError> =
        if method == "GET" || body.iter().all(u8::is_ascii_whitespace) {
            Ok(Map::new())
        } else {
            match serde_json::from_slice::<Value>(body) {
                Ok(Value::Object(m)) => Ok(m),
                Ok(_) => Err(ApiError::bad("The request body must be a JSON object")),
                Err(e) => Err(ApiError::bad(format!(
                    "Malformed JSON in the request body: {e}"
                ))),
            }
        };
    let seq = shared.seq.load(Ordering::Relaxed);
    let recorded_index = if shared.record.load(Ordering::Relaxed) {
        let mut q = flat_query.clone();
        redact(&mut q);
        let body_value = match &parsed_body {
            Ok(m) => {
                let mut m = m.clone();
                redact(&mut m);
                if method == "GET" {
                    Value::Null
                } else {
                    Value::Object(m)
                }
            }
            Err(_) => Value::String(String::from_utf8_lossy(body).chars().take(2000).collect()),
        };
        let mut rec = lock(&shared.recorded);
        rec.push(Recorded {
            seq,
            method: method.to_string(),
            path: path.to_string(),
            query: q,
            body: body_value,
            headers: recorded_headers(headers),
            status: 0,
            time: crate::state::now(),
        });
        Some(rec.len() - 1)
    } else {
        None
    };
    let outcome = decide(shared, method, path, flat_query, parsed_body);
    if let Some(i) = recorded_index
        && let Some(r) = lock(&shared.recorded).get_mut(i)
    {
        r.status = match &outcome.fault {
            Some(f) if f.kind == FaultKind::Reset => 0,
            Some(f) if f.kind == FaultKind::Status => f.status.unwrap_or(500),
            _ => outcome.status,
        };
    }
    outcome
}

fn decide(
    shared: &Shared,
    method: &str,
    path: &str,
    flat_query: Map<String, Value>,
    parsed_body: Result<Map<String, Value>, ApiError>,
) -> Outcome {
    let fail = |e: ApiError| Outcome {
        status: e.status,
        body: e.body(),
        fault: None,
    };
    let segments = http::segments(path);
    let Some(handler) = routes::route(method, &segments) else {
        return fail(ApiError::new(404, format!("No route for {method} {path}")));
    };
    let body = match parsed_body {
        Ok(b) => b,
        Err(e) => return fail(e),
    };
    let params = http::nest(if method == "GET" { flat_query } else { body });
    let p = Params(&params);
    let (auth_id, secret) = (
        p.str("auth_id").unwrap_or_default(),
        p.str("auth_secret").unwrap_or_default(),
    );
    let credential = {
        let state = lock(&shared.state);
        state
            .credentials
            .iter()
            .find(|c| c.auth_id == auth_id && c.secret == secret && !secret.is_empty())
            .cloned()
    };
    let Some(credential) = credential else {
        return fail(ApiError::unauthorized());
    };
    if let Err(wait) = lock(&shared.limiter).check(&credential.auth_id) {
        let mut o = fail(ApiError::new(429, "Rate limit exceeded. Slow down."));
        o.fault = Some(Fault {
            method: None,
            path: String::new(),
            count: 0,
            kind: FaultKind::Status,
            status: Some(429),
            errors: Some(json!(["Rate limit exceeded. Slow down."])),
            retry_after: Some(wait.to_string()),
            delay_ms: None,
            effect: false,
        });
        return o;
    }
    let fault = faults::take(&mut lock(&shared.faults), method, path);
    if let Some(f) = &fault {
        // Without `effect` the request leaves no trace; a delay always lets it through.
        if !f.effect && f.kind != FaultKind::Delay {
            let body = json!({"status": 200, "data": {"note": "this request had no effect"}});
            return Outcome {
                status: f.status.unwrap_or(200),
                body,
                fault: fault.clone(),
            };
        }
    }
    let mut state = lock(&shared.state);
    let now = crate::state::now();
    // Which inbox: `subdomain` (query for GET, body otherwise) or the credential's own.
    let inbox_id = match p.str("subdomain") {
        Some(sub) => match state.inboxes.iter().find(|i| i.subdomain == sub) {
            Some(i) if i.member(&credential.user_id).is_some_and(|m| m.enabled) => i.id.clone(),
            _ => {
                let e = ApiError::forbidden(format!("You do not have access to the inbox {sub:?}"));
                return Outcome {
                    status: e.status,
                    body: e.body(),
                    fault,
                };
            }
        },
        None => {
            let allowed = state
                .inbox(&credential.account_id)
                .and_then(|i| i.member(&credential.user_id))
                .is_some_and(|m| m.enabled);
            if !allowed {
                return Outcome {
                    status: 401,
                    body: ApiError::unauthorized().body(),
                    fault,
                };
            }
            credential.account_id.clone()
        }
    };
    routes::deliver_due(&mut state, now);
    let ctx = Ctx {
        params: Params(&params),
        segments: &segments,
        user_id: credential.user_id.clone(),
        inbox_id,
        now,
    };
    let result =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| handler(&mut state, &ctx)));
    match result {
        Ok(Ok(body)) => Outcome {
            status: 200,
            body,
            fault,
        },
        Ok(Err(e)) => Outcome {
            status: e.status,
            body: e.body(),
            fault,
        },
        Err(_) => Outcome {
            status: 500,
            body: ApiError::new(500, "Internal error in the mock").body(),
            fault,
        },
    }
}

/// The API: everything that is not a control route.
async fn api(AxState(shared): AxState<Arc<Shared>>, req: Request<Body>) -> Response {
    let kill = req.extensions().get::<Kill>().cloned();
    let (parts, body) = req.into_parts();
    let acrh = parts
        .headers
        .get(header::ACCESS_CONTROL_REQUEST_HEADERS)
        .cloned();
    let request_id = shared.request_id();
    if parts.method == Method::OPTIONS {
        let mut resp = StatusCode::NO_CONTENT.into_response();
        cors(resp.headers_mut(), acrh.as_ref());
        return resp;
    }
    let method = parts.method.as_str().to_string();
    let path = parts.uri.path().to_string();
    let canned = lock(&shared.canned)
        .iter()
        .find(|c| c.method.eq_ignore_ascii_case(&method) && c.path == path)
        .cloned();
    if let Some(c) = canned {
        let _ = axum::body::to_bytes(body, 16 << 20).await;
        let mut resp = Response::new(c.answer(parts.uri.query()));
        *resp.status_mut() = StatusCode::from_u16(c.status).unwrap_or(StatusCode::OK);
        resp.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=utf-8"),
        );
        cors(resp.headers_mut(), acrh.as_ref());
        return resp;
    }
    let bytes = match axum::body::to_bytes(body, 16 << 20).await {
        Ok(b) => b,
        Err(_) => {
            let mut r = json_response(
                400,
                &ApiError::bad("Request body too large or unreadable").body(),
                &request_id,
            );
            cors(r.headers_mut(), acrh.as_ref());
            return r;
        }
    };
    let outcome = process(
        &shared,
        &method,
        &path,
        parts.uri.query(),
        &parts.headers,
        &bytes,
    );
    let mut resp = match &outcome.fault {
        None => json_response(outcome.status, &outcome.body, &request_id),
        Some(f) => apply_fault(f, &outcome, &request_id, kill).await,
    };
    cors(resp.headers_mut(), acrh.as_ref());
    resp
}

async fn apply_fault(
    f: &Fault,
    outcome: &Outcome,
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
            json_response(outcome.status, &outcome.body, request_id)
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
            let full = serde_json::to_vec(&outcome.body).unwrap_or_default();
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
            *r.status_mut() = StatusCode::from_u16(outcome.status).unwrap_or(StatusCode::OK);
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

fn with_cors(mut resp: Response) -> Response {
    cors(resp.headers_mut(), None);
    resp
}

fn control_json(status: StatusCode, body: Value) -> Response {
    with_cors((status, axum::Json(body)).into_response())
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany<T> {
    Many(Vec<T>),
    One(T),
}

async fn add_faults(AxState(shared): AxState<Arc<Shared>>, body: Bytes) -> Response {
    match serde_json::from_slice::<OneOrMany<Fault>>(&body) {
        Ok(f) => {
            let mut faults = lock(&shared.faults);
            match f {
                OneOrMany::One(f) => faults.push(f),
                OneOrMany::Many(v) => faults.extend(v),
            }
            control_json(StatusCode::OK, json!({"faults": faults.len()}))
        }
        Err(e) => control_json(StatusCode::BAD_REQUEST, json!({"error": e.to_string()})),
    }
}

async fn list_faults(AxState(shared): AxState<Arc<Shared>>) -> Response {
    control_json(StatusCode::OK, json!({"faults": *lock(&shared.faults)}))
}

async fn clear_faults(AxState(shared): AxState<Arc<Shared>>) -> Response {
    lock(&shared.faults).clear();
    control_json(StatusCode::OK, json!({"faults": 0}))
}

#[derive(Deserialize)]
struct RequestFilter {
    method: Option<String>,
    path: Option<String>,
}

async fn list_requests(
    AxState(shared): AxState<Arc<Shared>>,
    Query(f): Query<RequestFilter>,
) -> Response {
    let recorded = lock(&shared.recorded);
    let matching: Vec<&Recorded> = recorded
        .iter()
        .filter(|r| {
            f.method
                .as_ref()
                .is_none_or(|m| m.eq_ignore_ascii_case(&r.method))
        })
        .filter(|r| {
            f.path.as_ref().is_none_or(|p| match p.strip_suffix('*') {
                Some(prefix) => r.path.starts_with(prefix),
                None => r.path == *p,
            })
        })
        .collect();
    control_json(StatusCode::OK, json!({"requests": matching}))
}

async fn clear_requests(AxState(shared): AxState<Arc<Shared>>) -> Response {
    lock(&shared.recorded).clear();
    control_json(StatusCode::OK, json!({"requests": []}))
}

async fn reset(AxState(shared): AxState<Arc<Shared>>) -> Response {
    shared.reset();
    control_json(StatusCode::OK, json!({"reset": true}))
}

async fn summary(AxState(shared): AxState<Arc<Shared>>) -> Response {
    let state = lock(&shared.state);
    let inboxes: Vec<Value> = state
        .inboxes
        .iter()
        .map(|i| {
            let messages = i
                .events
                .iter()
                .filter(|e| matches!(e.kind, EventKind::Sms(_)))
                .count();
            let scheduled = i
                .events
                .iter()
                .filter(|e| matches!(e.kind, EventKind::Pending(_)))
                .count();
            json!({
                "subdomain": i.subdomain, "contacts": i.contacts.len(),
                "visible_contacts": i.contacts.iter().filter(|c| c.visible).count(),
                "tickets": i.tickets.len(), "messages": messages, "scheduled": scheduled,
                "events": i.events.len(), "broadcasts": i.broadcasts.len(), "tags": i.tags.len(),
                "members": i.members.len(),
            })
        })
        .collect();
    control_json(
        StatusCode::OK,
        json!({"inboxes": inboxes, "users": state.users.len()}),
    )
}

fn inbox_for(state: &State, shared: &Shared, sub: Option<&str>) -> Option<String> {
    let sub = sub.unwrap_or(&shared.seed.subdomain);
    state
        .inboxes
        .iter()
        .find(|i| i.subdomain == sub)
        .map(|i| i.id.clone())
}

fn control_error(e: ApiError) -> Response {
    control_json(
        StatusCode::from_u16(e.status).unwrap_or(StatusCode::BAD_REQUEST),
        e.body(),
    )
}

async fn inbound(AxState(shared): AxState<Arc<Shared>>, body: Bytes) -> Response {
    let Ok(Value::Object(m)) = serde_json::from_slice::<Value>(&body) else {
        return control_error(ApiError::bad("expected {\"from\": ..., \"message\": ...}"));
    };
    let p = Params(&m);
    let (Some(from), Some(text)) = (p.str("from"), p.str("message")) else {
        return control_error(ApiError::missing("from and message"));
    };
    let mut state = lock(&shared.state);
    let Some(inbox) = inbox_for(&state, &shared, p.str("subdomain").as_deref()) else {
        return control_error(ApiError::not_found("Inbox"));
    };
    match crate::routes::inbound_message(&mut state, &inbox, &from, &text) {
        Ok(v) => control_json(StatusCode::OK, json!({"message": v})),
        Err(e) => control_error(e),
    }
}

async fn call(AxState(shared): AxState<Arc<Shared>>, body: Bytes) -> Response {
    let Ok(Value::Object(m)) = serde_json::from_slice::<Value>(&body) else {
        return control_error(ApiError::bad("expected {\"phone\": ...}"));
    };
    let p = Params(&m);
    let Some(phone) = p.str("phone").and_then(|p| http::normalize_phone(&p)) else {
        return control_error(ApiError::missing("phone"));
    };
    let direction = p.str("direction").unwrap_or_else(|| "in".into());
    let duration = p.i64("duration").ok().flatten().unwrap_or(60);
    let mut state = lock(&shared.state);
    let Some(inbox) = inbox_for(&state, &shared, p.str("subdomain").as_deref()) else {
        return control_error(ApiError::not_found("Inbox"));
    };
    match crate::routes::record_call(&mut state, &inbox, &phone, &direction, duration) {
        Ok(ticket) => control_json(StatusCode::OK, json!({"ticket_id": ticket})),
        Err(e) => control_error(e),
    }
}

async fn enroll(AxState(shared): AxState<Arc<Shared>>, body: Bytes) -> Response {
    let Ok(Value::Object(m)) = serde_json::from_slice::<Value>(&body) else {
        return control_error(ApiError::bad("expected {\"key\": ..., \"phones\": [...]}"));
    };
    let p = Params(&m);
    let Some(key) = p.str("key") else {
        return control_error(ApiError::missing("key"));
    };
    let phones = p.list("phones");
    let mut state = lock(&shared.state);
    let Some(inbox) = inbox_for(&state, &shared, p.str("subdomain").as_deref()) else {
        return control_error(ApiError::not_found("Inbox"));
    };
    match crate::routes::enroll(&mut state, &inbox, &key, &phones) {
        Ok(n) => control_json(StatusCode::OK, json!({"enrolled": n})),
        Err(e) => control_error(e),
    }
}

async fn add_canned(AxState(shared): AxState<Arc<Shared>>, body: Bytes) -> Response {
    match serde_json::from_slice::<Canned>(&body) {
        Ok(mut c) => {
            c.prepare();
            let mut canned = lock(&shared.canned);
            canned.retain(|x| !(x.method.eq_ignore_ascii_case(&c.method) && x.path == c.path));
            canned.push(c);
            control_json(StatusCode::OK, json!({"canned": canned.len()}))
        }
        Err(e) => control_json(StatusCode::BAD_REQUEST, json!({"error": e.to_string()})),
    }
}

async fn clear_canned(AxState(shared): AxState<Arc<Shared>>) -> Response {
    lock(&shared.canned).clear();
    control_json(StatusCode::OK, json!({"canned": 0}))
}

#[derive(Deserialize)]
struct ConfigChange {
    rate_limit: Option<f64>,
    #[serde(default)]
    no_rate_limit: bool,
    record: Option<bool>,
}

async fn configure(AxState(shared): AxState<Arc<Shared>>, body: Bytes) -> Response {
    match serde_json::from_slice::<ConfigChange>(&body) {
        Ok(c) => {
            if c.no_rate_limit {
                *lock(&shared.limiter) = RateLimiter::new(None);
            } else if let Some(r) = c.rate_limit {
                *lock(&shared.limiter) = RateLimiter::new(Some(r));
            }
            if let Some(r) = c.record {
                shared.record.store(r, Ordering::Relaxed);
            }
            control_json(
                StatusCode::OK,
                json!({"rate_limit": lock(&shared.limiter).per_second, "record": shared.record.load(Ordering::Relaxed)}),
            )
        }
        Err(e) => control_json(StatusCode::BAD_REQUEST, json!({"error": e.to_string()})),
    }
}
