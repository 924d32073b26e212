//! Moving values and errors across the JavaScript boundary.

use std::cell::RefCell;
use std::time::Duration;

use avochato::{ClientBuilder, Error, RequestOptions};
use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::prelude::*;

thread_local! {
    /// Builds an error-class instance from an error's fields (set by the package's entry).
    static ERROR_FACTORY: RefCell<Option<Function>> = const { RefCell::new(None) };
}

/// Called once by the package's entry with its `makeError(info)`.
#[wasm_bindgen(js_name = __setErrorFactory, skip_typescript)]
pub fn set_error_factory(factory: Function) {
    ERROR_FACTORY.with(|f| {
        if let Ok(mut slot) = f.try_borrow_mut() {
            *slot = Some(factory);
        }
    });
}

fn set(target: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

fn get(source: &JsValue, key: &str) -> JsValue {
    Reflect::get(source, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn opt_str(v: Option<&str>) -> JsValue {
    v.map_or(JsValue::NULL, JsValue::from_str)
}

/// An error as an instance of the package's class for its kind.
pub fn js_error(e: &Error) -> JsValue {
    let info = Object::new();
    set(&info, "kind", &JsValue::from_str(e.kind().as_str()));
    set(&info, "name", &JsValue::from_str(e.kind().class_name()));
    set(&info, "message", &JsValue::from_str(&e.to_string()));
    set(
        &info,
        "status",
        &e.status().map_or(JsValue::NULL, JsValue::from),
    );
    set(&info, "requestId", &opt_str(e.request_id()));
    let errors = Array::new();
    for m in e.errors() {
        errors.push(&JsValue::from_str(m));
    }
    set(&info, "errors", &errors);
    set(
        &info,
        "retryAfter",
        &e.retry_after()
            .map_or(JsValue::NULL, |d| JsValue::from(d.as_secs_f64())),
    );
    set(&info, "param", &opt_str(e.param()));
    set(&info, "body", &opt_str(e.body_excerpt()));
    let made = ERROR_FACTORY.with(|f| {
        f.try_borrow().ok().and_then(|slot| {
            slot.as_ref()
                .and_then(|factory| factory.call1(&JsValue::NULL, &info).ok())
        })
    });
    match made {
        Some(err) => err,
        None => {
            let err = js_sys::Error::new(&e.to_string());
            err.set_name(e.kind().class_name());
            for key in [
                "kind",
                "status",
                "requestId",
                "errors",
                "retryAfter",
                "param",
            ] {
                set(&err, key, &get(&info, key));
            }
            err.into()
        }
    }
}

/// A validation error (refused before sending).
pub fn validation(message: &str) -> JsValue {
    js_error(&Error::config(message))
}

/// Parameters as JSON (`undefined` and `null` are "no parameters"). `JSON.stringify` turns
/// a `Date` into an ISO string, which timestamps accept.
pub fn params_json(params: &JsValue) -> Result<serde_json::Value, JsValue> {
    if params.is_undefined() || params.is_null() {
        return Ok(serde_json::Value::Object(serde_json::Map::new()));
    }
    if !params.is_object() || Array::is_array(params) {
        return Err(validation("parameters must be an object"));
    }
    let text = js_sys::JSON::stringify(params)
        .map_err(|_| validation("parameters could not be read (a BigInt, or a cycle?)"))?;
    let text: String = text.into();
    serde_json::from_str(&text)
        .map_err(|e| validation(&format!("parameters could not be read: {e}")))
}

/// JSON as a plain JavaScript value (objects, arrays; never a `Map`).
pub fn to_js(value: &serde_json::Value) -> Result<JsValue, JsValue> {
    let text = serde_json::to_string(value).map_err(|e| js_error(&Error::decode(None, e, b"")))?;
    js_sys::JSON::parse(&text)
}

fn opt_string(source: &JsValue, key: &str) -> Result<Option<String>, JsValue> {
    let v = get(source, key);
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    v.as_string()
        .map(Some)
        .ok_or_else(|| validation(&format!("`{key}` must be a string")))
}

fn opt_number(source: &JsValue, key: &str) -> Result<Option<f64>, JsValue> {
    let v = get(source, key);
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    match v.as_f64() {
        Some(n) => Ok(Some(n)),
        None => Err(js_error(&Error::validation(key, "must be a number"))),
    }
}

/// A duration option in milliseconds (`timeoutMs`), checked by the core.
fn millis(key: &str, ms: f64) -> Result<Duration, JsValue> {
    avochato::config::duration_from_secs(key, ms / 1000.0).map_err(|e| js_error(&e))
}

/// A resend count (`maxRetries`): a whole number in range.
fn retries(key: &str, n: f64) -> Result<u32, JsValue> {
    avochato::config::retries_from_number(key, n).map_err(|e| js_error(&e))
}

/// Per-call options: `{ subdomain, timeoutMs, maxRetries }`.
pub fn request_options(options: &JsValue) -> Result<RequestOptions, JsValue> {
    let mut o = RequestOptions::default();
    if options.is_undefined() || options.is_null() {
        return Ok(o);
    }
    if !options.is_object() {
        return Err(validation("options must be an object"));
    }
    o.subdomain = opt_string(options, "subdomain")?;
    if let Some(ms) = opt_number(options, "timeoutMs")? {
        o.timeout = Some(millis("timeoutMs", ms)?);
    }
    if let Some(n) = opt_number(options, "maxRetries")? {
        o.max_retries = Some(retries("maxRetries", n)?);
    }
    Ok(o)
}

/// `process.env[name]`, in Node.
fn env_var(name: &str) -> Option<String> {
    let process = get(&js_sys::global(), "process");
    if !process.is_object() {
        return None;
    }
    get(&get(&process, "env"), name)
        .as_string()
        .filter(|v| !v.trim().is_empty())
}

/// A browser page or worker (not Node, Deno or Bun).
fn in_browser() -> bool {
    let global = js_sys::global();
    let node = get(&get(&get(&global, "process"), "versions"), "node");
    if !node.is_undefined() {
        return false;
    }
    let has = |k: &str| !get(&global, k).is_undefined();
    (has("window") && has("document")) || has("importScripts")
}

/// A relative base URL in a browser, resolved against the page (`/api/avochato`).
fn absolute_base_url(base: String) -> String {
    if base.contains("://") {
        return base;
    }
    let href = get(&get(&js_sys::global(), "location"), "href");
    match href.as_string().and_then(|h| web_url(&base, &h)) {
        Some(url) => url,
        None => base,
    }
}

fn web_url(relative: &str, base: &str) -> Option<String> {
    let url_class = get(&js_sys::global(), "URL").dyn_into::<Function>().ok()?;
    let args = Array::of2(&JsValue::from_str(relative), &JsValue::from_str(base));
    let url = Reflect::construct(&url_class, &args).ok()?;
    get(&url, "href").as_string()
}

/// The client configuration from `new Avochato(options)`.
pub fn builder(options: &JsValue) -> Result<ClientBuilder, JsValue> {
    let o = if options.is_undefined() || options.is_null() {
        Object::new().into()
    } else {
        options.clone()
    };
    if !o.is_object() {
        return Err(validation("options must be an object"));
    }
    let browser = in_browser();
    let pick = |key: &str, env: &str| -> Result<Option<String>, JsValue> {
        Ok(opt_string(&o, key)?.or_else(|| if browser { None } else { env_var(env) }))
    };
    let auth_id = pick("authId", "AVOCHATO_AUTH_ID")?;
    let auth_secret = pick("authSecret", "AVOCHATO_AUTH_SECRET")?;
    let base_url = pick("baseUrl", "AVOCHATO_BASE_URL")?;
    let subdomain = pick("subdomain", "AVOCHATO_SUBDOMAIN")?;
    let allow_browser = get(&o, "dangerouslyAllowBrowser")
        .as_bool()
        .unwrap_or(false);
    if browser && auth_secret.is_some() && !allow_browser {
        return Err(validation(
            "refusing to use authSecret in a browser: every visitor of the page could read it and \
             use your Avochato account. Call the API from your server, or use proxy mode (no \
             credentials; baseUrl pointing to a backend of yours that adds them). If you understand \
             the risk (an internal tool, say), pass dangerouslyAllowBrowser: true.",
        ));
    }
    let mut b =
        ClientBuilder::new().user_agent_prefix(concat!("avochato-js/", env!("CARGO_PKG_VERSION")));
    if let Some(v) = auth_id {
        b = b.auth_id(v);
    }
    if let Some(v) = auth_secret {
        b = b.auth_secret(v);
    }
    if let Some(v) = base_url {
        b = b.base_url(if browser { absolute_base_url(v) } else { v });
    }
    if let Some(v) = subdomain {
        b = b.subdomain(v);
    }
    if let Some(ms) = opt_number(&o, "timeoutMs")? {
        b = b.timeout(millis("timeoutMs", ms)?);
    }
    if let Some(n) = opt_number(&o, "maxRetries")? {
        b = b.max_retries(retries("maxRetries", n)?);
    }
    if let Some(ms) = opt_number(&o, "maxRetryWaitMs")? {
        b = b.max_retry_wait(millis("maxRetryWaitMs", ms)?);
    }
    let headers = get(&o, "headers");
    if headers.is_object() {
        let entries = Object::entries(&Object::from(headers));
        for entry in entries.iter() {
            let pair = Array::from(&entry);
            match (pair.get(0).as_string(), pair.get(1).as_string()) {
                (Some(k), Some(v)) => b = b.header(k, v),
                _ => return Err(validation("headers must map names to strings")),
            }
        }
    } else if !headers.is_undefined() && !headers.is_null() {
        return Err(validation("headers must be an object"));
    }
    Ok(b)
}
