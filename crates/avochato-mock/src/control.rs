//! The `/__mock/` control routes: faults, the recorder, reset, state counts, simulated
//! inbound traffic, canned answers and configuration.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, State as AxState};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::app::{Shared, cors, lock};
use crate::canned::Canned;
use crate::faults::Fault;
use crate::http::{self, ApiError, Params};
use crate::limiter::RateLimiter;
use crate::recorder::Recorded;
use crate::state::{EventKind, State};

/// The `/__mock/` routes.
pub fn routes() -> Router<Arc<Shared>> {
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
            let new = match f {
                OneOrMany::One(f) => vec![f],
                OneOrMany::Many(v) => v,
            };
            if let Some(e) = new.iter().find_map(|f| f.check().err()) {
                return control_json(StatusCode::BAD_REQUEST, json!({"error": e}));
            }
            let mut faults = lock(&shared.faults);
            faults.extend(new);
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
