//! The client, per-call options, and what a call returns.
#![cfg_attr(target_arch = "wasm32", allow(clippy::arc_with_non_send_sync))]

use std::fmt;
use std::future::IntoFuture;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use crate::config::{ClientBuilder, Config};
use crate::endpoint::{BoxFuture, Endpoint, Paginated};
use crate::error::{Error, Result};
use crate::models::Whoami;
use crate::pagination::Pager;
use crate::params::WhoamiParams;
use crate::transport::Transport;
use crate::wire;

/// Options for one call, overriding the client's configuration.
#[derive(Clone, Debug, Default)]
pub struct RequestOptions {
    /// Scope this call to another inbox.
    pub subdomain: Option<String>,
    /// Total time allowed per attempt.
    pub timeout: Option<Duration>,
    /// How many times this call may be resent.
    pub max_retries: Option<u32>,
    /// Wire parameters set last (pagination cursors).
    pub(crate) overrides: Vec<(String, Value)>,
}

impl RequestOptions {
    /// No overrides.
    pub fn new() -> Self {
        Self::default()
    }
    /// Scope this call to another inbox.
    #[must_use]
    pub fn subdomain(mut self, subdomain: impl Into<String>) -> Self {
        self.subdomain = Some(subdomain.into());
        self
    }
    /// Total time allowed per attempt.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }
    /// How many times this call may be resent.
    #[must_use]
    pub fn max_retries(mut self, n: u32) -> Self {
        self.max_retries = Some(n);
        self
    }
}

/// What came back besides the data: status, headers, request id, attempts.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ResponseMeta {
    /// HTTP status.
    pub status: u16,
    /// Response headers (names in lower case).
    pub headers: Vec<(String, String)>,
    /// The `X-Request-Id` header.
    pub request_id: Option<String>,
    /// How many times the request was sent.
    pub attempts: u32,
}

impl ResponseMeta {
    /// A header's value, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Data with its [`ResponseMeta`].
#[derive(Clone, Debug, PartialEq)]
pub struct Response<T> {
    /// What the operation returns.
    pub data: T,
    /// Status, headers, request id.
    pub meta: ResponseMeta,
}

/// Something told about each request: for logging bridges (Python's `logging`).
#[derive(Clone, Debug, PartialEq)]
pub enum RequestEvent {
    /// A request is being sent.
    Sending {
        /// HTTP method.
        method: &'static str,
        /// Path and query, without credentials.
        target: String,
        /// 1 for the first attempt.
        attempt: u32,
    },
    /// A request will be sent again.
    Retrying {
        /// HTTP method.
        method: &'static str,
        /// Path and query, without credentials.
        target: String,
        /// The attempt that failed.
        attempt: u32,
        /// Why (status or error kind).
        reason: String,
        /// How long before the next attempt.
        wait: Duration,
    },
    /// A response arrived.
    Received {
        /// HTTP method.
        method: &'static str,
        /// Path and query, without credentials.
        target: String,
        /// HTTP status.
        status: u16,
        /// The `X-Request-Id` header.
        request_id: Option<String>,
        /// Milliseconds since the attempt started.
        elapsed_ms: f64,
    },
    /// An attempt failed without a response.
    Failed {
        /// HTTP method.
        method: &'static str,
        /// Path and query, without credentials.
        target: String,
        /// What went wrong (no credentials in it).
        error: String,
    },
}

/// Receives [`RequestEvent`]s (see [`ClientBuilder`] and [`Client::with_observer`]).
pub trait Observer: crate::endpoint::MaybeSend {
    /// Called for every event; must be quick.
    fn on_event(&self, event: &RequestEvent);
}

pub(crate) struct Inner {
    pub(crate) config: Config,
    pub(crate) transport: Transport,
    pub(crate) observer: Option<Arc<dyn Observer>>,
}

/// The Avochato client. Cheap to clone; clones share connections.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("config", &self.inner.config)
            .finish()
    }
}

impl Client {
    /// A builder (nothing read from the environment).
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// A client configured from `AVOCHATO_AUTH_ID`, `AVOCHATO_AUTH_SECRET`,
    /// `AVOCHATO_BASE_URL` and `AVOCHATO_SUBDOMAIN`.
    pub fn from_env() -> Result<Client> {
        ClientBuilder::from_env().build()
    }

    /// A client for a validated configuration.
    pub fn from_config(config: Config) -> Result<Client> {
        let transport = Transport::new(&config)?;
        Ok(Client {
            inner: Arc::new(Inner {
                config,
                transport,
                observer: None,
            }),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// A client whose requests are scoped to inbox `subdomain`, sharing connections.
    pub fn with_subdomain(&self, subdomain: impl Into<String>) -> Result<Client> {
        let subdomain = subdomain.into();
        crate::validate::subdomain(&subdomain)?;
        let mut config = self.inner.config.clone();
        config.subdomain = Some(subdomain);
        Ok(Client {
            inner: Arc::new(Inner {
                config,
                transport: self.inner.transport.clone(),
                observer: self.inner.observer.clone(),
            }),
        })
    }

    /// A client that reports each request to `observer`, sharing connections.
    pub fn with_observer(&self, observer: Arc<dyn Observer>) -> Client {
        Client {
            inner: Arc::new(Inner {
                config: self.inner.config.clone(),
                transport: self.inner.transport.clone(),
                observer: Some(observer),
            }),
        }
    }

    /// Confirms the credential with `GET /v1/whoami`: its inbox and user.
    pub async fn verify(&self) -> Result<Whoami> {
        Ok(self
            .execute(&WhoamiParams::new(), &RequestOptions::default())
            .await?
            .data)
    }

    /// Runs one operation: validates, encodes, sends (with the retry rules), decodes.
    pub async fn execute<P: Endpoint>(
        &self,
        params: &P,
        options: &RequestOptions,
    ) -> Result<Response<P::Output>> {
        params.validate()?;
        let subdomain = self.subdomain_for(options)?;
        let request = wire::encode(params, subdomain, &options.overrides)?;
        let (body, meta) = self.inner.transport.send(self, &request, options).await?;
        match P::decode_output(&body) {
            Ok(data) => Ok(Response { data, meta }),
            Err(reason) => Err(self.decode_failure(reason, &body, &meta)),
        }
    }

    fn decode_failure(&self, reason: String, body: &[u8], meta: &ResponseMeta) -> Error {
        let err = match crate::decode::embedded_error(body) {
            Some((status, messages)) => Error::api(status, messages, body),
            None => Error::decode(Some(meta.status), reason, body),
        };
        let err = err.with_request_id(meta.request_id.clone());
        match self.inner.config.secret() {
            Some(s) => err.redacted(s.expose()),
            None => err,
        }
    }

    pub(crate) fn subdomain_for<'a>(
        &'a self,
        options: &'a RequestOptions,
    ) -> Result<Option<&'a str>> {
        match options.subdomain.as_deref() {
            Some(s) => {
                crate::validate::subdomain(s)?;
                Ok(Some(s))
            }
            None => Ok(self.inner.config.subdomain.as_deref()),
        }
    }

    /// Walks every page of a paginated operation (see [`Pager`]).
    pub fn paginate<P: Paginated>(&self, params: P) -> Pager<P> {
        Pager::new(self.clone(), params, RequestOptions::default())
    }

    /// [`Client::paginate`] with per-call options.
    pub fn paginate_with<P: Paginated>(&self, params: P, options: RequestOptions) -> Pager<P> {
        Pager::new(self.clone(), params, options)
    }

    /// Walks every page of the paginated operation `spec`, with JSON parameters.
    pub fn paginate_json(
        &self,
        spec: &'static crate::OperationSpec,
        params: Value,
        options: RequestOptions,
    ) -> Result<crate::pagination::JsonPager> {
        crate::pagination::JsonPager::new(self.clone(), spec, params, options)
    }

    /// Runs the operation `spec` with JSON parameters (checked against its type) and
    /// returns JSON: the entry point of dynamic hosts (the CLI). One function for every
    /// operation: only encoding and decoding are per operation.
    pub async fn call_json(
        &self,
        spec: &crate::OperationSpec,
        params: Value,
        options: RequestOptions,
    ) -> Result<Response<Value>> {
        let r = self.call_json_text(spec, params, options).await?;
        let data = serde_json::from_str(&r.data)
            .map_err(|e| Error::decode(Some(r.meta.status), e, r.data.as_bytes()))?;
        Ok(Response { data, meta: r.meta })
    }

    /// [`Client::call_json`], returning the decoded output as JSON text (the wasm layer
    /// hands it to `JSON.parse`).
    pub async fn call_json_text(
        &self,
        spec: &crate::OperationSpec,
        params: Value,
        options: RequestOptions,
    ) -> Result<Response<String>> {
        let subdomain = self.subdomain_for(&options)?;
        let request = (spec.encode_json)(params, subdomain, &options.overrides)?;
        let (body, meta) = self.inner.transport.send(self, &request, &options).await?;
        match (spec.decode_json)(&body) {
            Ok(data) => Ok(Response { data, meta }),
            Err(reason) => Err(self.decode_failure(reason, &body, &meta)),
        }
    }
}

/// One call being set up: add options, then `.await` it (or [`Call::with_response`]).
#[must_use = "a call does nothing until it is awaited"]
pub struct Call<P: Endpoint> {
    client: Client,
    params: P,
    options: RequestOptions,
}

impl<P: Endpoint> Call<P> {
    pub(crate) fn new(client: Client, params: P) -> Self {
        Call {
            client,
            params,
            options: RequestOptions::default(),
        }
    }
    /// Scope this call to another inbox.
    pub fn subdomain(mut self, subdomain: impl Into<String>) -> Self {
        self.options.subdomain = Some(subdomain.into());
        self
    }
    /// Total time allowed per attempt.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options.timeout = Some(timeout);
        self
    }
    /// How many times this call may be resent.
    pub fn max_retries(mut self, n: u32) -> Self {
        self.options.max_retries = Some(n);
        self
    }
    /// All options at once.
    pub fn options(mut self, options: RequestOptions) -> Self {
        self.options = options;
        self
    }
    /// The data with the status, headers and request id.
    pub async fn with_response(self) -> Result<Response<P::Output>> {
        self.client.execute(&self.params, &self.options).await
    }
}

impl<P: Endpoint> IntoFuture for Call<P> {
    type Output = Result<P::Output>;
    type IntoFuture = BoxFuture<'static, Result<P::Output>>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move { Ok(self.client.execute(&self.params, &self.options).await?.data) })
    }
}

/// The JSON entry points stored in each [`crate::OperationSpec`].
pub(crate) mod dynamic {
    use super::*;

    fn typed<P: Endpoint>(params: Value) -> Result<P> {
        let params = if params.is_null() {
            Value::Object(Default::default())
        } else {
            params
        };
        Error::params_from_json(params)
    }

    /// Typed parameters from JSON, checked and encoded (the one generic step before
    /// sending).
    pub(crate) fn encode_json<P: Endpoint>(
        params: Value,
        subdomain: Option<&str>,
        overrides: &[(String, Value)],
    ) -> Result<wire::WireRequest> {
        let p: P = typed(params)?;
        p.validate()?;
        wire::encode(&p, subdomain, overrides)
    }

    /// A response body decoded into the output type, as JSON text (the one generic step
    /// after receiving).
    pub(crate) fn decode_json<P: Endpoint>(body: &[u8]) -> std::result::Result<String, String> {
        let out = P::decode_output(body)?;
        serde_json::to_string(&out).map_err(|e| e.to_string())
    }
}
