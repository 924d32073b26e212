//! The API: everything that is not a control route. Auth, inbox scoping, the rate limit,
//! faults and recording around the operations in `routes`.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use axum::body::Body;
use axum::extract::State as AxState;
use axum::http::{HeaderMap, HeaderValue, Method, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use crate::app::{Kill, Shared, cors, json_response, lock};
use crate::faults::{self, Fault, FaultKind};
use crate::http::{self, ApiError, Params};
use crate::params;
use crate::recorder::{self, Arrival};
use crate::routes::{self, Ctx};

/// What processing decided, before faults that need the connection are applied.
struct Outcome {
    status: u16,
    body: Value,
    fault: Option<Fault>,
}

/// Parses, records, authenticates, rate-limits, picks a fault, runs the operation.
fn process(
    shared: &Shared,
    seq: u64,
    method: &str,
    path: &str,
    query: Option<&str>,
    headers: &HeaderMap,
    body: &[u8],
) -> Outcome {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    // A GET's body is not read (its parameters are in the query).
    let parsed_body = if method == "GET" {
        Ok(None)
    } else {
        params::body(content_type, body).map(Some)
    };
    let recording = shared.record.load(Ordering::Relaxed);
    if recording {
        let arrival = Arrival {
            seq,
            method,
            path,
            query,
            headers,
            body,
            parsed: &parsed_body,
        };
        recorder::record(shared, &arrival);
    }
    let params = parsed_body.and_then(|b| {
        let q = params::query(query)?;
        Ok(match b {
            Some(b) => params::merge(q, b.params),
            None => q,
        })
    });
    let outcome = decide(shared, method, path, params);
    if recording {
        let status = match &outcome.fault {
            Some(f) => f.answered_status(outcome.status),
            None => outcome.status,
        };
        recorder::set_status(shared, seq, status);
    }
    outcome
}

fn decide(
    shared: &Shared,
    method: &str,
    path: &str,
    params: Result<Map<String, Value>, ApiError>,
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
    let params = match params {
        Ok(p) => p,
        Err(e) => return fail(e),
    };
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
            body: None,
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
    // Which inbox: the `subdomain` parameter or the credential's own.
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
pub async fn api(AxState(shared): AxState<Arc<Shared>>, req: Request<Body>) -> Response {
    let kill = req.extensions().get::<Kill>().cloned();
    let (parts, body) = req.into_parts();
    let acrh = parts
        .headers
        .get(header::ACCESS_CONTROL_REQUEST_HEADERS)
        .cloned();
    let (seq, request_id) = shared.next_request();
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
        seq,
        &method,
        &path,
        parts.uri.query(),
        &parts.headers,
        &bytes,
    );
    let mut resp = match &outcome.fault {
        None => json_response(outcome.status, &outcome.body, &request_id),
        Some(f) => faults::answer(f, outcome.status, &outcome.body, &request_id, kill).await,
    };
    cors(resp.headers_mut(), acrh.as_ref());
    resp
}
