//! The proxy's decision for the package's `avochato/proxy` handlers (see
//! `avochato::proxy`): the handler does the I/O; the core says what to send, if anything.

use avochato::proxy::{self, Incoming, Policy};
use avochato::{Config, Error};
use js_sys::Array;
use wasm_bindgen::prelude::*;

use crate::convert::{config_from, js_error};

/// A credential and a policy: what the page's requests may do.
#[wasm_bindgen]
pub struct ProxyCore {
    config: Config,
    policy: Policy,
}

fn pairs(flat: &[String]) -> Vec<(String, String)> {
    flat.chunks(2)
        .filter_map(|kv| match kv {
            [k, v] => Some((k.clone(), v.clone())),
            _ => None,
        })
        .collect()
}

#[wasm_bindgen]
impl ProxyCore {
    /// `options`: the client options (`authId`, `authSecret`, `baseUrl`, `subdomain`,
    /// `timeoutMs`, `userAgent`); `allow`: operation names; `pin`: an object of pinned
    /// parameters; `max_body_bytes`: the size limit. Throws a `ValidationError`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        options: JsValue,
        allow: Vec<String>,
        pin: JsValue,
        max_body_bytes: Option<f64>,
    ) -> Result<ProxyCore, JsValue> {
        let config = config_from(&options)?;
        if config.auth_id().is_none() {
            return Err(js_error(&Error::config(
                "the proxy needs the credential: pass authId and authSecret, or set \
                 AVOCHATO_AUTH_ID and AVOCHATO_AUTH_SECRET",
            )));
        }
        let mut b = Policy::builder().js_names();
        for name in allow {
            b = b.allow(name);
        }
        match crate::value::to_json(&pin, "pin").map_err(|e| js_error(&e))? {
            None | Some(serde_json::Value::Null) => {}
            Some(serde_json::Value::Object(m)) => {
                for (k, v) in m {
                    b = b.pin(k, v);
                }
            }
            Some(_) => {
                return Err(js_error(&Error::validation(
                    "pin",
                    "must be an object of parameter names and values",
                )));
            }
        }
        if let Some(n) = max_body_bytes {
            if !(n.is_finite() && n >= 1.0 && n.fract() == 0.0 && n <= 1e9) {
                return Err(js_error(&Error::validation(
                    "maxBodyBytes",
                    "must be a whole number of bytes from 1 to 1,000,000,000",
                )));
            }
            b = b.max_body_bytes(n as usize);
        }
        let policy = b.build().map_err(|e| js_error(&e))?;
        Ok(ProxyCore { config, policy })
    }

    /// The size limit, in bytes.
    #[wasm_bindgen(getter, js_name = maxBodyBytes)]
    pub fn max_body_bytes(&self) -> f64 {
        self.policy.max_body_bytes() as f64
    }

    /// The time allowed for the API's answer, in milliseconds.
    #[wasm_bindgen(getter, js_name = timeoutMs)]
    pub fn timeout_ms(&self) -> f64 {
        self.config.timeout().as_secs_f64() * 1000.0
    }

    /// The SDK's identity, for the upstream request's headers.
    #[wasm_bindgen(getter, js_name = userAgent)]
    pub fn user_agent(&self) -> String {
        self.config.user_agent().to_string()
    }

    /// The decision on a page's request. `parsed` is the body as the package parsed it
    /// (`undefined`: not parsed, a GET or a blank body), `parse_error` why it is not JSON.
    /// Forwarded: `[0, operation, method, url, body or undefined, target, operations,
    /// params]` (`target`: path and query without credentials, for logs; `operations`: every
    /// operation the request fits; `params`: JSON text of the parameters sent, without the
    /// credentials, for the `authorize` hook); refused: `[status, body, reason]`.
    #[allow(clippy::too_many_arguments)]
    pub fn decide(
        &self,
        method: &str,
        path: &str,
        query: &str,
        body: &[u8],
        parsed: JsValue,
        parse_error: Option<String>,
        content_type: Option<String>,
        header_names: Vec<String>,
    ) -> Array {
        let names: Vec<&str> = header_names.iter().map(String::as_str).collect();
        let parsed_body = match parse_error {
            Some(e) => Some(Err(e)),
            None if parsed.is_undefined() => None,
            None => Some(
                crate::value::to_json(&parsed, "")
                    .map(|v| v.unwrap_or(serde_json::Value::Null))
                    .map_err(|e| e.message().to_string()),
            ),
        };
        let incoming = Incoming {
            method,
            path,
            query,
            body,
            content_type: content_type.as_deref(),
            header_names: &names,
            parsed_body,
        };
        let out = Array::new();
        match proxy::decide(&self.config, &self.policy, &incoming) {
            Ok(f) => {
                out.push(&JsValue::from(0));
                out.push(&JsValue::from_str(&self.policy.name_of(f.operation)));
                out.push(&JsValue::from_str(f.request.method.as_str()));
                out.push(&JsValue::from_str(&f.request.url));
                out.push(
                    &f.request
                        .body
                        .as_deref()
                        .map_or(JsValue::UNDEFINED, JsValue::from_str),
                );
                out.push(&JsValue::from_str(&f.target));
                let operations: Array = f
                    .fits
                    .iter()
                    .map(|op| JsValue::from_str(&self.policy.name_of(op)))
                    .collect();
                out.push(&operations);
                out.push(&JsValue::from_str(&f.params_json()));
            }
            Err(r) => {
                out.push(&JsValue::from(r.status));
                out.push(&JsValue::from_str(&r.body()));
                out.push(&JsValue::from_str(r.reason()));
            }
        }
        out
    }

    /// The API's answer as the page gets it: `[status, [name, value, ...], body or
    /// undefined]` (`undefined`: the API's body, unchanged).
    pub fn answer(&self, status: u16, headers: Vec<String>, body: &str) -> Array {
        let a = proxy::answer(&self.config, status, &pairs(&headers), body);
        let out = Array::new();
        out.push(&JsValue::from(a.status));
        let flat = Array::new();
        for (k, v) in a.headers {
            flat.push(&JsValue::from_str(&k));
            flat.push(&JsValue::from_str(&v));
        }
        out.push(&flat);
        out.push(&a.body.map_or(JsValue::UNDEFINED, |b| JsValue::from_str(&b)));
        out
    }

    /// The page's answer when the API gave none: `[status, body, reason]` (504 after a
    /// timeout, else 502 with the host's `detail`, the secret removed).
    pub fn failure(&self, timeout: bool, detail: &str) -> Array {
        let r = proxy::failure(&self.config, timeout, detail);
        let out = Array::new();
        out.push(&JsValue::from(r.status));
        out.push(&JsValue::from_str(&r.body()));
        out.push(&JsValue::from_str(r.reason()));
        out
    }

    /// Removes the secret from a text (a log line, an error of the host).
    pub fn redact(&self, text: &str) -> String {
        self.config.redact(text)
    }
}
