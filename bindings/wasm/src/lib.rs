//! The JavaScript host: the core through wasm-bindgen, for Node and browsers.
//!
//! A mechanical wrapper: each resource method forwards to the operation's JSON entry point
//! in the core's manifest (`OperationSpec::call_json`); its TypeScript signature is written
//! from the same operation list. Models and parameter types come from the core's tsify
//! annotations. Nothing here knows an operation's details, and nothing panics.
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod convert;
mod iter;

use avochato::{Endpoint, OperationSpec, RequestOptions};
use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use crate::convert::{js_error, params_json, request_options, to_js, validation};
pub use crate::iter::PageIterator;

// Types every signature below refers to.
#[wasm_bindgen(typescript_custom_section)]
const TS_PRELUDE: &str = r#"
/** Options of `new Avochato(...)`. In Node, missing ones default to AVOCHATO_* variables. */
export interface AvochatoOptions {
    /** Credential id (Settings > API Access); Node default: AVOCHATO_AUTH_ID. */
    authId?: string;
    /** Credential secret; Node default: AVOCHATO_AUTH_SECRET. Refused in browsers unless `dangerouslyAllowBrowser`. */
    authSecret?: string;
    /** API base URL (default https://www.avochato.com; Node default: AVOCHATO_BASE_URL). In proxy mode, your backend (may be relative in a browser). */
    baseUrl?: string;
    /** Inbox every call is scoped to (Node default: AVOCHATO_SUBDOMAIN). */
    subdomain?: string;
    /** Total time per attempt, in milliseconds (default 30000). */
    timeoutMs?: number;
    /** How many times a request may be resent (default 2; see the retry rules). */
    maxRetries?: number;
    /** Longest Retry-After to wait for, in milliseconds (default 60000). */
    maxRetryWaitMs?: number;
    /** Extra headers for every request (for your own proxy). */
    headers?: Record<string, string>;
    /** Allow a secret in a browser, where every visitor can read it. */
    dangerouslyAllowBrowser?: boolean;
}

/** Per-call options, the last argument of every method. */
export interface RequestOptions {
    /** Scope this call to another inbox. */
    subdomain?: string;
    /** Total time per attempt, in milliseconds. */
    timeoutMs?: number;
    /** How many times this call may be resent. */
    maxRetries?: number;
}

/** One operation of the API, as `Avochato.operations()` lists it. */
export interface Operation {
    resource: string;
    /** The method name in JavaScript (`sendLiveChat`). */
    method: string;
    /** The method name in Rust and Python (`send_live_chat`). */
    rustMethod: string;
    httpMethod: "GET" | "POST" | "PUT" | "DELETE";
    path: string;
    /** The operation's title in the API reference. */
    title: string;
    paginated: boolean;
}

/** A method's arguments: parameters (optional when every field is) and per-call options. */
export type Args<P> = {} extends P ? [params?: P, options?: RequestOptions] : [params: P, options?: RequestOptions];
"#;

/// The Avochato client.
#[wasm_bindgen]
pub struct Avochato {
    client: avochato::Client,
}

#[wasm_bindgen]
impl Avochato {
    /// A client; throws a `ValidationError` for a bad configuration (and, in a browser, for
    /// a secret without `dangerouslyAllowBrowser`).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_optional_param_type = "AvochatoOptions")] options: Option<JsValue>,
    ) -> Result<Avochato, JsValue> {
        let builder = convert::builder(&options.unwrap_or(JsValue::UNDEFINED))?;
        builder
            .build()
            .map(|client| Avochato { client })
            .map_err(|e| js_error(&e))
    }

    /// A client scoped to inbox `subdomain`, sharing this one's settings.
    #[wasm_bindgen(js_name = withSubdomain)]
    pub fn with_subdomain(&self, subdomain: String) -> Result<Avochato, JsValue> {
        self.client
            .with_subdomain(subdomain)
            .map(|client| Avochato { client })
            .map_err(|e| js_error(&e))
    }

    /// Confirms the credential (`GET /v1/whoami`): its inbox and user.
    #[wasm_bindgen(unchecked_return_type = "Promise<Whoami>")]
    pub fn verify(&self) -> Promise {
        call(
            self.client.clone(),
            <avochato::params::WhoamiParams as Endpoint>::SPEC,
            JsValue::UNDEFINED,
            JsValue::UNDEFINED,
        )
    }

    /// Every operation: resource, method name, HTTP method, path, documented title.
    #[wasm_bindgen(unchecked_return_type = "Operation[]")]
    pub fn operations() -> Result<JsValue, JsValue> {
        let list: Vec<serde_json::Value> = avochato::operations()
            .iter()
            .map(|op| {
                serde_json::json!({
                    "resource": op.resource, "method": op.js_name, "rustMethod": op.name,
                    "httpMethod": op.http_method.as_str(), "path": op.path, "title": op.title,
                    "paginated": op.pages.is_some(),
                })
            })
            .collect();
        to_js(&serde_json::Value::Array(list))
    }
}

/// Runs an operation: JSON parameters in, JSON out, errors as error-class instances.
fn call(
    client: avochato::Client,
    spec: OperationSpec,
    params: JsValue,
    options: JsValue,
) -> Promise {
    let prepared = params_json(&params).and_then(|p| Ok((p, request_options(&options)?)));
    future_to_promise(async move {
        let (params, options) = prepared?;
        let response = client
            .call_json_text(&spec, params, options)
            .await
            .map_err(|e| js_error(&e))?;
        js_sys::JSON::parse(&response.data)
    })
}

/// Starts walking every item of a paginated operation.
fn iterate(
    client: &avochato::Client,
    spec: &'static OperationSpec,
    params: JsValue,
    options: JsValue,
) -> Result<PageIterator, JsValue> {
    let params = params_json(&params)?;
    let options: RequestOptions = request_options(&options)?;
    let pager = client
        .paginate_json(spec, params, options)
        .map_err(|e| js_error(&e))?;
    Ok(PageIterator::new(pager))
}

fn spec_of(params_type: &str) -> Result<&'static OperationSpec, JsValue> {
    avochato::operations()
        .iter()
        .find(|op| op.params == params_type)
        .ok_or_else(|| validation(&format!("no operation takes {params_type}")))
}

/// The TypeScript result of an operation of a shape (`one`, `list`, `page`).
macro_rules! ts_output {
    (one $T:ident) => {
        stringify!($T)
    };
    (list $T:ident) => {
        concat!(stringify!($T), "[]")
    };
    (page $T:ident) => {
        concat!("Page<", stringify!($T), ">")
    };
}

/// The TypeScript declaration of one resource method.
macro_rules! ts_method {
    ($Res:ident $js:ident $P:ident $shape:ident $T:ident) => {
        concat!(
            "export interface ",
            stringify!($Res),
            " {\n    ",
            stringify!($js),
            "(...args: Args<",
            stringify!($P),
            ">): Promise<",
            ts_output!($shape $T),
            ">;\n}\n"
        )
    };
}

macro_rules! wasm_resources {
    ($(
        $res:ident $Res:ident $(iter($IP:ident -> $IT:ident))? {
            $( $name:ident $js:ident ($P:ident) -> $shape:ident<$T:ident> $spec:tt )*
        }
    )*) => {
        $(
            #[doc = concat!("The `", stringify!($res), "` operations.")]
            #[wasm_bindgen]
            pub struct $Res {
                client: avochato::Client,
            }

            #[wasm_bindgen]
            impl $Res {
                $(
                    #[wasm_bindgen(js_name = $js, skip_typescript)]
                    pub fn $name(&self, params: JsValue, options: JsValue) -> Promise {
                        call(self.client.clone(), <avochato::params::$P as Endpoint>::SPEC, params, options)
                    }
                )*
                $(
                    /// Every item of every page: `for await (const x of resource.iter(params))`.
                    #[wasm_bindgen(skip_typescript)]
                    pub fn iter(&self, params: JsValue, options: JsValue) -> Result<PageIterator, JsValue> {
                        iterate(&self.client, spec_of(stringify!($IP))?, params, options)
                    }
                )?
            }

            $(
                #[wasm_bindgen(typescript_custom_section)]
                const _: &str = ts_method!($Res $js $P $shape $T);
            )*
            $(
                #[wasm_bindgen(typescript_custom_section)]
                const _: &str = concat!(
                    "export interface ", stringify!($Res), " {\n    /** Every item of every page. */\n    iter(...args: Args<",
                    stringify!($IP), ">): AsyncIterableIterator<", stringify!($IT), ">;\n}\n"
                );
            )?
        )*

        #[wasm_bindgen]
        impl Avochato {
            $(
                #[doc = concat!("The `", stringify!($res), "` operations.")]
                #[wasm_bindgen(getter)]
                pub fn $res(&self) -> $Res {
                    $Res { client: self.client.clone() }
                }
            )*
        }
    };
}

avochato::for_each_operation!(wasm_resources);
