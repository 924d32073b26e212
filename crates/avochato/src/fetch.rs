//! The WebAssembly transport: the host's own `fetch` (browsers, Node 18+), called directly.
//!
//! No `AbortController` per request (in Node, making and aborting one costs more than the
//! rest of a call): a timeout stops waiting for the answer, and a request the SDK no longer
//! waits for ends on its own. Redirects are not followed (`redirect: "manual"`), as natively.

use std::time::Duration;

use bytes::Bytes;
use futures_util::future::{Either, select};
use js_sys::{Function, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::endpoint::HttpMethod;
use crate::error::Error;
use crate::rt;
use crate::transport::{Failure, RawResponse};

fn get(target: &JsValue, key: &str) -> JsValue {
    Reflect::get(target, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn set(target: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

/// Calls `target[method]()` and awaits the promise it returns.
async fn call_awaiting(target: &JsValue, method: &str) -> Result<JsValue, JsValue> {
    let f: Function = get(target, method).dyn_into()?;
    let promise: Promise = f.call0(target)?.dyn_into()?;
    JsFuture::from(promise).await
}

/// A failure to get an answer: the JavaScript error's message (never the URL), and whether
/// the host says nothing was sent (Node reports refused connections and unknown hosts).
fn fetch_failure(e: &JsValue, stage: &str) -> Failure {
    let message = get(e, "message")
        .as_string()
        .unwrap_or_else(|| "fetch failed".into());
    let code = get(&get(e, "cause"), "code").as_string();
    let nothing_sent = matches!(
        code.as_deref(),
        Some("ECONNREFUSED" | "ENOTFOUND" | "EAI_AGAIN")
    );
    let detail = match code {
        Some(code) => format!("{stage}: {message} ({code})"),
        None => format!("{stage}: {message}"),
    };
    Failure {
        error: Error::connection(detail),
        nothing_sent,
    }
}

pub(crate) async fn attempt(
    headers: &[(String, String)],
    method: HttpMethod,
    url: &str,
    body: Option<&Bytes>,
    timeout: Duration,
) -> Result<RawResponse, Failure> {
    let call = std::pin::pin!(fetch(headers, method, url, body));
    let timer = std::pin::pin!(rt::sleep(timeout));
    match select(call, timer).await {
        Either::Left((result, _)) => result,
        Either::Right(_) => Err(Failure {
            error: Error::timeout(Some(timeout)),
            nothing_sent: false,
        }),
    }
}

async fn fetch(
    headers: &[(String, String)],
    method: HttpMethod,
    url: &str,
    body: Option<&Bytes>,
) -> Result<RawResponse, Failure> {
    let init = Object::new();
    set(&init, "method", &JsValue::from_str(method.as_str()));
    set(&init, "redirect", &JsValue::from_str("manual"));
    let h = Object::new();
    for (k, v) in headers {
        set(&h, k, &JsValue::from_str(v));
    }
    if let Some(b) = body {
        set(&h, "content-type", &JsValue::from_str("application/json"));
        // A string: what `fetch` handles fastest (the body is JSON, so UTF-8).
        let text = std::str::from_utf8(b).map_err(|_| Failure {
            error: Error::validation("", "the request body is not UTF-8"),
            nothing_sent: true,
        })?;
        set(&init, "body", &JsValue::from_str(text));
    }
    set(&init, "headers", &h);
    let global = js_sys::global();
    let fetch: Function = get(&global, "fetch").dyn_into().map_err(|_| Failure {
        error: Error::config("this JavaScript host has no fetch()"),
        nothing_sent: true,
    })?;
    let started = fetch
        .call2(&global, &JsValue::from_str(url), &init)
        .and_then(|p| p.dyn_into::<Promise>());
    let promise = started.map_err(|e| fetch_failure(&e, "error sending the request"))?;
    let resp = JsFuture::from(promise)
        .await
        .map_err(|e| fetch_failure(&e, "error sending the request"))?;
    if get(&resp, "type").as_string().as_deref() == Some("opaqueredirect") {
        // A browser hides a redirect's status and target: report it as one.
        return Ok(RawResponse {
            status: 307,
            headers: Vec::new(),
            body: Bytes::new(),
        });
    }
    let status = get(&resp, "status").as_f64().unwrap_or(0.0) as u16;
    let mut out_headers = Vec::new();
    let entries = get(&resp, "headers");
    if let Ok(f) = get(&entries, "entries").dyn_into::<Function>()
        && let Ok(iter) = f.call0(&entries)
        && let Ok(Some(items)) = js_sys::try_iter(&iter)
    {
        for pair in items.flatten() {
            let (k, v) = (Reflect::get_u32(&pair, 0), Reflect::get_u32(&pair, 1));
            if let (Some(k), Some(v)) = (
                k.ok().and_then(|k| k.as_string()),
                v.ok().and_then(|v| v.as_string()),
            ) {
                out_headers.push((k.to_ascii_lowercase(), v));
            }
        }
    }
    let buffer = call_awaiting(&resp, "arrayBuffer")
        .await
        .map_err(|e| fetch_failure(&e, "the response broke off"))?;
    let body = Uint8Array::new(&buffer).to_vec();
    Ok(RawResponse {
        status,
        headers: out_headers,
        body: Bytes::from(body),
    })
}
