//! The client: one pipeline from parameters to the decoded answer.
//!
//! A call checks and encodes its parameters ([`crate::wire::encode`]: typed parameters are
//! turned into JSON and go through the same [`crate::params::check`] as every host's),
//! sends them with the retry rules ([`crate::retry`]) and decodes the answer. The JSON
//! entry points (the CLI's) are thin adapters over the same steps.

use std::fmt;
use std::future::IntoFuture;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use crate::config::{ClientBuilder, Config};
use crate::endpoint::{Endpoint, OperationSpec};
use crate::error::{Error, Result};
use crate::models::Whoami;
use crate::params::WhoamiAccountsParams;
use crate::request::{Observer, RequestOptions, Response, ResponseMeta};
use crate::transport::Transport;
use crate::wire;

pub(crate) struct Inner {
    config: Config,
    transport: Transport,
    observer: Option<Arc<dyn Observer>>,
}

/// The Avochato client. Cheap to clone; clones share connections.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("config", &self.inner.config)
            .finish()
    }
}

/// A boxed future, `Send` (what [`Call`] turns into).
pub type BoxFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;

impl ClientBuilder {
    /// Validates the configuration and builds the client.
    pub fn build(self) -> Result<Client> {
        Client::from_config(self.build_config()?)
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

    fn derive(&self, config: Config, observer: Option<Arc<dyn Observer>>) -> Client {
        Client {
            inner: Arc::new(Inner {
                config,
                transport: self.inner.transport.clone(),
                observer,
            }),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// A client whose requests are scoped to inbox `subdomain`, sharing connections.
    pub fn with_subdomain(&self, subdomain: impl Into<String>) -> Result<Client> {
        let config = self.inner.config.with_subdomain(subdomain)?;
        Ok(self.derive(config, self.inner.observer.clone()))
    }

    /// A client that reports each request to `observer`, sharing connections.
    pub fn with_observer(&self, observer: Arc<dyn Observer>) -> Client {
        self.derive(self.inner.config.clone(), Some(observer))
    }

    /// Confirms the credential with `GET /v1/whoami`: its inbox and user.
    pub async fn verify(&self) -> Result<Whoami> {
        Ok(self
            .execute(&WhoamiAccountsParams::new(), &RequestOptions::default())
            .await?
            .data)
    }

    /// Runs one operation: checks and encodes, sends (with the retry rules), decodes.
    pub async fn execute<P: Endpoint>(
        &self,
        params: &P,
        options: &RequestOptions,
    ) -> Result<Response<P::Output>> {
        let request = wire::encode(params, self.subdomain_for(options)?, options.overrides())?;
        let (body, meta) = self.send(&request, options).await?;
        match P::decode_output(&body) {
            Ok(data) => Ok(Response { data, meta }),
            Err(reason) => Err(self.decode_failure(&reason, &body, &meta)),
        }
    }

    /// Runs the operation `P` with parameters given as JSON (a host's keyword arguments),
    /// checked against `P`'s type as typed ones are, and decodes its typed output.
    pub async fn execute_json<P: Endpoint>(
        &self,
        params: Value,
        options: &RequestOptions,
    ) -> Result<Response<P::Output>> {
        let subdomain = self.subdomain_for(options)?;
        let request = wire::encode_json(&P::SPEC, params, subdomain, options.overrides())?;
        let (body, meta) = self.send(&request, options).await?;
        match P::decode_output(&body) {
            Ok(data) => Ok(Response { data, meta }),
            Err(reason) => Err(self.decode_failure(&reason, &body, &meta)),
        }
    }

    /// [`Client::execute_json`] without the decoding: the body as it came, with its
    /// [`ResponseMeta`] (a host's raw-response view; decode it with
    /// [`Endpoint::decode_output`], and word a failure with [`Config::decode_failure`]).
    /// An answer that is not a success is an error, as for every call.
    pub async fn execute_json_raw<P: Endpoint>(
        &self,
        params: Value,
        options: &RequestOptions,
    ) -> Result<(bytes::Bytes, ResponseMeta)> {
        let subdomain = self.subdomain_for(options)?;
        let request = wire::encode_json(&P::SPEC, params, subdomain, options.overrides())?;
        self.send(&request, options).await
    }

    /// Runs the operation `spec` with JSON parameters (checked against its type, as typed
    /// ones are) and returns its decoded output as JSON: the entry point of dynamic hosts
    /// (the CLI).
    pub async fn call_json(
        &self,
        spec: &OperationSpec,
        params: Value,
        options: RequestOptions,
    ) -> Result<Response<Value>> {
        let checked = crate::params::check(spec, params)?;
        self.call_checked(spec, checked, options).await
    }

    /// [`Client::call_json`] with parameters already checked ([`crate::params::check`]),
    /// for a host that checks them before it has a client (the CLI, before it looks up
    /// credentials): nothing is checked twice.
    pub async fn call_checked(
        &self,
        spec: &OperationSpec,
        checked: serde_json::Map<String, Value>,
        options: RequestOptions,
    ) -> Result<Response<Value>> {
        let subdomain = self.subdomain_for(&options)?;
        let request = wire::encode_checked(spec, checked, subdomain, options.overrides())?;
        let (body, meta) = self.send(&request, &options).await?;
        match (spec.decode_json)(&body) {
            Ok(data) => Ok(Response { data, meta }),
            Err(reason) => Err(self.decode_failure(&reason, &body, &meta)),
        }
    }

    async fn send(
        &self,
        request: &wire::WireRequest,
        options: &RequestOptions,
    ) -> Result<(bytes::Bytes, ResponseMeta)> {
        let inner = &self.inner;
        inner
            .transport
            .send(&inner.config, inner.observer.as_deref(), request, options)
            .await
    }

    fn decode_failure(&self, reason: &str, body: &[u8], meta: &ResponseMeta) -> Error {
        self.inner.config.decode_failure(
            meta.status,
            reason,
            body,
            None,
            meta.request_id.as_deref(),
        )
    }

    fn subdomain_for<'a>(&'a self, options: &'a RequestOptions) -> Result<Option<&'a str>> {
        self.inner.config.subdomain_for(options)
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
