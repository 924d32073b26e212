//! The JavaScript host's core: the sans-I/O half of every call, through wasm-bindgen.
//!
//! The npm package does the I/O itself (the host's `fetch`, `JSON.parse`, timers) and asks
//! the core, synchronously, what must be the same in every host: the parameter check and
//! request encoding of an operation ([`Core::prepare`]), whether to send again
//! ([`next_wait`]), what an answer that is not a success means ([`Core::answer_error`]),
//! where a walk through pages stands ([`Cursor`]), and phone numbers. Responses are parsed
//! once, by the host, and normalised by tables generated from the core's type descriptions
//! (`js/src/generated/schema.mjs`). Nothing here knows an operation's details, and nothing
//! panics (a panic would end the instance: the package turns one into an `InternalError`
//! and starts a fresh instance).
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod convert;
#[cfg(feature = "proxy")]
mod proxy;
mod value;

use std::time::Duration;

use avochato::retry::{self, Attempt, Next};
use avochato::{Config, Error, HttpMethod, OperationSpec, PageCursor};
use js_sys::Array;
use wasm_bindgen::prelude::*;

pub use crate::convert::set_error_factory;
use crate::convert::{config_from, js_error, request_options};

fn operation(op: u32) -> Result<&'static OperationSpec, JsValue> {
    avochato::operations()
        .get(op as usize)
        .ok_or_else(|| js_error(&Error::validation("", format!("no operation number {op}"))))
}

fn params_json(params: &JsValue) -> Result<serde_json::Value, JsValue> {
    value::to_json(params, "")
        .map(|v| v.unwrap_or(serde_json::Value::Null))
        .map_err(|e| js_error(&e))
}

/// A body the package parsed (`undefined`: it is not JSON).
fn parsed_body(parsed: &JsValue) -> serde_json::Value {
    value::to_json(parsed, "")
        .ok()
        .flatten()
        .unwrap_or(serde_json::Value::Null)
}

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// A checked client configuration (credentials, base URL, inbox, timeouts).
#[wasm_bindgen]
pub struct Core {
    config: Config,
}

#[wasm_bindgen]
impl Core {
    /// Checks the options (`authId`, `authSecret`, `baseUrl`, `subdomain`, `timeoutMs`,
    /// `maxRetries`, `maxRetryWaitMs`, `headers`, `userAgent`); throws a `ValidationError`.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<Core, JsValue> {
        Ok(Core {
            config: config_from(&options)?,
        })
    }

    /// The same configuration scoped to inbox `subdomain`.
    #[wasm_bindgen(js_name = withSubdomain)]
    pub fn with_subdomain(&self, subdomain: String) -> Result<Core, JsValue> {
        self.config
            .with_subdomain(subdomain)
            .map(|config| Core { config })
            .map_err(|e| js_error(&e))
    }

    /// The SDK's identity (`avochato-js/0.1.0 node/20 ... avochato-rust/0.1.0`).
    #[wasm_bindgen(getter, js_name = userAgent)]
    pub fn user_agent(&self) -> String {
        self.config.user_agent().to_string()
    }

    /// Whether requests go out without credentials (to a backend that adds them).
    #[wasm_bindgen(getter, js_name = proxyMode)]
    pub fn proxy_mode(&self) -> bool {
        self.config.is_proxy_mode()
    }

    /// The extra headers, as `[name, value, name, value, ...]`.
    #[wasm_bindgen(getter)]
    pub fn headers(&self) -> Vec<String> {
        self.config
            .headers()
            .iter()
            .flat_map(|(k, v)| [k.clone(), v.clone()])
            .collect()
    }

    /// Checks and encodes a call of operation number `op` with `params` (an object) and
    /// per-call `options` (`subdomain`, `timeoutMs`, `maxRetries`): `[method, url, body or
    /// undefined, timeoutMs, maxRetries, maxRetryWaitMs]`. Throws a `ValidationError`;
    /// nothing is sent.
    pub fn prepare(&self, op: u32, params: JsValue, options: JsValue) -> Result<Array, JsValue> {
        let spec = operation(op)?;
        let checked =
            avochato::params::check(spec, params_json(&params)?).map_err(|e| js_error(&e))?;
        self.encode(spec, checked, &options, None)
    }

    /// The error for an answer that is not a success. `headers` is `[name, value, ...]`;
    /// `parsed` the body as the package parsed it (`undefined`: not JSON).
    #[wasm_bindgen(js_name = answerError)]
    pub fn answer_error(
        &self,
        status: u16,
        headers: Vec<String>,
        body: &str,
        parsed: JsValue,
    ) -> JsValue {
        let pairs: Vec<(String, String)> = headers
            .chunks(2)
            .filter_map(|kv| match kv {
                [k, v] => Some((k.to_ascii_lowercase(), v.clone())),
                _ => None,
            })
            .collect();
        let parsed = parsed_body(&parsed);
        js_error(
            &self
                .config
                .answer_error(status, &pairs, body.as_bytes(), Some(&parsed)),
        )
    }

    /// The error for a success whose body is not the documented shape (`reason` from the
    /// package's normaliser): an embedded error envelope's error, or a `DecodeError`.
    #[wasm_bindgen(js_name = decodeFailure)]
    pub fn decode_failure(
        &self,
        status: u16,
        reason: &str,
        body: &str,
        parsed: JsValue,
        request_id: Option<String>,
    ) -> JsValue {
        let parsed = parsed_body(&parsed);
        js_error(&self.config.decode_failure(
            status,
            reason,
            body.as_bytes(),
            Some(&parsed),
            request_id.as_deref(),
        ))
    }

    /// The error for an attempt without an answer: `kind` is `timeout` (after
    /// `timeout_ms`) or `connection` (with the host's `detail`, the secret removed).
    pub fn failure(&self, kind: &str, detail: &str, timeout_ms: f64) -> JsValue {
        let error = match kind {
            "timeout" => Error::timeout(Duration::try_from_secs_f64(timeout_ms / 1000.0).ok()),
            _ => Error::connection(self.config.redact(detail)),
        };
        js_error(&error)
    }

    fn encode(
        &self,
        spec: &OperationSpec,
        checked: serde_json::Map<String, serde_json::Value>,
        options: &JsValue,
        cursor: Option<(String, serde_json::Value)>,
    ) -> Result<Array, JsValue> {
        let mut options = request_options(options)?;
        if let Some(c) = cursor {
            options = options.page_cursor(c);
        }
        let config = &self.config;
        let (timeout, max_retries) = config.attempts_for(&options).map_err(|e| js_error(&e))?;
        let http = config
            .subdomain_for(&options)
            .and_then(|sub| avochato::wire::encode_checked(spec, checked, sub, options.overrides()))
            .and_then(|w| w.to_http(config))
            .map_err(|e| js_error(&e))?;
        let out = Array::new();
        out.push(&JsValue::from_str(http.method.as_str()));
        out.push(&JsValue::from_str(&http.url));
        out.push(
            &http
                .body
                .map_or(JsValue::UNDEFINED, |b| JsValue::from_str(&b)),
        );
        out.push(&JsValue::from_f64(millis(timeout)));
        out.push(&JsValue::from(max_retries));
        out.push(&JsValue::from_f64(millis(self.config.max_retry_wait())));
        Ok(out)
    }
}

/// After attempt number `attempt` of a `method` request ended (`status` 0: no answer,
/// then `nothing_sent` says whether it certainly never left), how many milliseconds to
/// wait before sending again; `-1`: do not send again.
#[wasm_bindgen(js_name = nextWait)]
pub fn next_wait(
    method: &str,
    attempt: u32,
    status: u16,
    nothing_sent: bool,
    retry_after: Option<String>,
    max_retries: u32,
    max_retry_wait_ms: f64,
) -> f64 {
    let method = match method {
        "GET" => HttpMethod::Get,
        "PUT" => HttpMethod::Put,
        "DELETE" => HttpMethod::Delete,
        _ => HttpMethod::Post,
    };
    let how = if status == 0 {
        Attempt::Failed { nothing_sent }
    } else {
        Attempt::Answered {
            status,
            retry_after: retry_after.as_deref(),
        }
    };
    let cap =
        Duration::try_from_secs_f64(max_retry_wait_ms.max(0.0) / 1000.0).unwrap_or(Duration::MAX);
    match retry::next(method, attempt, how, max_retries, cap) {
        Next::Resend(wait) => millis(wait),
        Next::Stop => -1.0,
    }
}

/// Where a walk through the pages of one call stands (the core's pagination rules).
#[wasm_bindgen]
pub struct Cursor {
    spec: &'static OperationSpec,
    params: serde_json::Map<String, serde_json::Value>,
    inner: PageCursor,
}

#[wasm_bindgen]
impl Cursor {
    /// A walk through operation number `op` with `params` (an object), checked now.
    #[wasm_bindgen(constructor)]
    pub fn new(op: u32, params: JsValue) -> Result<Cursor, JsValue> {
        let spec = operation(op)?;
        let Some(style) = spec.pages else {
            return Err(js_error(&Error::validation(
                "",
                format!("{} is not a paginated operation", spec.qualified_name()),
            )));
        };
        let params =
            avochato::params::check(spec, params_json(&params)?).map_err(|e| js_error(&e))?;
        let inner = PageCursor::new(style, &serde_json::Value::Object(params.clone()));
        Ok(Cursor {
            spec,
            params,
            inner,
        })
    }

    /// Whether the walk is over.
    #[wasm_bindgen(getter)]
    pub fn done(&self) -> bool {
        self.inner.is_done()
    }

    /// The next page's request, as [`Core::prepare`] gives it.
    pub fn prepare(&self, core: &Core, options: JsValue) -> Result<Array, JsValue> {
        core.encode(
            self.spec,
            self.params.clone(),
            &options,
            self.inner.next_param(),
        )
    }

    /// Takes in a page; returns whether to hand its items out.
    pub fn advance(
        &mut self,
        len: u32,
        page: Option<u32>,
        next_page: Option<String>,
        last_key: Option<String>,
        fingerprint: String,
    ) -> bool {
        self.inner
            .advance(len as usize, page, next_page, last_key, || fingerprint)
    }
}

/// Every operation: resource, method names, HTTP method, path, documented title.
#[wasm_bindgen]
pub fn operations() -> Array {
    let out = Array::new();
    for op in avochato::operations() {
        let o = js_sys::Object::new();
        let set = |k: &str, v: JsValue| {
            let _ = js_sys::Reflect::set(&o, &JsValue::from_str(k), &v);
        };
        set("resource", op.resource.into());
        set("method", op.js_name.into());
        set("rustMethod", op.name.into());
        set("httpMethod", op.http_method.as_str().into());
        set("path", op.path.into());
        set("title", op.title.into());
        set("paginated", op.pages.is_some().into());
        out.push(&o);
    }
    out
}

/// A phone number in E.164 (`(415) 555-1234` → `+14155551234`); throws a `ValidationError`.
#[wasm_bindgen(js_name = normalizePhone)]
pub fn normalize_phone(phone: &str, country: Option<String>) -> Result<String, JsValue> {
    avochato::normalize_phone(phone, country.as_deref().unwrap_or("US")).map_err(|e| js_error(&e))
}

/// A `ValidationError` for bad input the package finds itself (a NaN, a BigInt).
#[wasm_bindgen(js_name = invalidParam)]
pub fn invalid_param(param: &str, message: &str) -> JsValue {
    js_error(&Error::validation(param, message))
}

/// Checks an extra header (per call); throws a `ValidationError`.
#[wasm_bindgen(js_name = checkHeader)]
pub fn check_header(name: &str, value: &str) -> Result<(), JsValue> {
    avochato::config::check_header(name, value).map_err(|e| js_error(&e))
}

/// Panics, for the test that proves the package turns a panic into an `InternalError`.
#[wasm_bindgen(js_name = __panicForTests)]
#[allow(clippy::panic)]
pub fn panic_for_tests() {
    panic!("a test panic");
}
