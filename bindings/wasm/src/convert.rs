//! Moving options and errors across the JavaScript boundary.

use std::cell::RefCell;

use avochato::{ClientBuilder, Config, Error, RequestOptions};
use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::prelude::*;

thread_local! {
    /// Builds an error-class instance from an error's fields (set by the package's entry).
    static ERROR_FACTORY: RefCell<Option<Function>> = const { RefCell::new(None) };
}

/// Called once by the package with its `makeError(info)`.
#[wasm_bindgen(js_name = __setErrorFactory)]
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

/// An error as an instance of the package's class for its kind (a plain `Error` with the
/// same fields if the package has not given its factory).
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
    made.unwrap_or_else(|| {
        let err = js_sys::Error::new(&e.to_string());
        err.set_name(e.kind().class_name());
        err.into()
    })
}

/// Reads a plain options object: each key must be one of `known`.
fn entries(
    options: &JsValue,
    what: &str,
    known: &[&str],
) -> Result<Vec<(String, JsValue)>, JsValue> {
    if options.is_undefined() || options.is_null() {
        return Ok(Vec::new());
    }
    if !options.is_object() || Array::is_array(options) {
        return Err(js_error(&Error::validation(
            "",
            format!("{what} must be an object"),
        )));
    }
    let mut out = Vec::new();
    for key in Object::keys(&Object::from(options.clone())).iter() {
        let Some(key) = key.as_string() else { continue };
        let value = get(options, &key);
        if value.is_undefined() || value.is_null() {
            continue;
        }
        if !known.contains(&key.as_str()) {
            return Err(js_error(&Error::validation(
                key.clone(),
                format!("is not one of the {what} ({})", known.join(", ")),
            )));
        }
        out.push((key, value));
    }
    Ok(out)
}

fn string(key: &str, v: &JsValue) -> Result<String, JsValue> {
    v.as_string()
        .ok_or_else(|| js_error(&Error::validation(key, "must be a string")))
}

fn number(key: &str, v: &JsValue) -> Result<f64, JsValue> {
    v.as_f64()
        .ok_or_else(|| js_error(&Error::validation(key, "must be a number")))
}

fn millis(key: &str, v: &JsValue) -> Result<std::time::Duration, JsValue> {
    avochato::config::duration_from_secs(key, number(key, v)? / 1000.0).map_err(|e| js_error(&e))
}

fn retries(key: &str, v: &JsValue) -> Result<u32, JsValue> {
    avochato::config::retries_from_number(key, number(key, v)?).map_err(|e| js_error(&e))
}

/// The client options (the package has read the environment and the host's own options).
pub fn config_from(options: &JsValue) -> Result<Config, JsValue> {
    const KNOWN: &[&str] = &[
        "authId",
        "authSecret",
        "baseUrl",
        "subdomain",
        "timeoutMs",
        "maxRetries",
        "maxRetryWaitMs",
        "headers",
        "userAgent",
    ];
    let mut b = ClientBuilder::new().camel_case_names();
    for (key, v) in entries(options, "client options", KNOWN)? {
        b = match key.as_str() {
            "authId" => b.auth_id(string(&key, &v)?),
            "authSecret" => b.auth_secret(string(&key, &v)?),
            "baseUrl" => b.base_url(string(&key, &v)?),
            "subdomain" => b.subdomain(string(&key, &v)?),
            "timeoutMs" => b.timeout(millis(&key, &v)?),
            "maxRetries" => b.max_retries(retries(&key, &v)?),
            "maxRetryWaitMs" => b.max_retry_wait(millis(&key, &v)?),
            "userAgent" => b.user_agent_prefix(string(&key, &v)?),
            _ => {
                let mut b = b;
                for (name, value) in headers(&v)? {
                    b = b.header(name, string("headers", &value)?);
                }
                b
            }
        };
    }
    b.build_config().map_err(|e| js_error(&js_option_name(e)))
}

/// An error about an option the core names in snake_case, named as JavaScript spells it
/// (the others are checked above, under their JavaScript names).
fn js_option_name(e: Error) -> Error {
    match e.param() {
        Some("base_url") => Error::validation("baseUrl", e.errors().join("; ")),
        _ => e,
    }
}

/// A headers object: any names, string values.
fn headers(v: &JsValue) -> Result<Vec<(String, JsValue)>, JsValue> {
    if !v.is_object() || Array::is_array(v) {
        return Err(js_error(&Error::validation(
            "headers",
            "must be an object of names and string values",
        )));
    }
    Ok(Object::keys(&Object::from(v.clone()))
        .iter()
        .filter_map(|k| k.as_string())
        .map(|k| {
            let value = get(v, &k);
            (k, value)
        })
        .collect())
}

/// Per-call options: `{ subdomain, timeoutMs, maxRetries }` (the package handles `signal`
/// and `headers` itself).
pub fn request_options(options: &JsValue) -> Result<RequestOptions, JsValue> {
    let mut o = RequestOptions::default();
    for (key, v) in entries(
        options,
        "per-call options",
        &["subdomain", "timeoutMs", "maxRetries"],
    )? {
        match key.as_str() {
            "subdomain" => o.subdomain = Some(string(&key, &v)?),
            "timeoutMs" => o.timeout = Some(millis(&key, &v)?),
            _ => o.max_retries = Some(retries(&key, &v)?),
        }
    }
    Ok(o)
}
