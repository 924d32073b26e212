//! What both Python clients share: the configuration, and a core client per process.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use avochato::{ClientBuilder, Config, Endpoint, Paginated};
use pyo3::IntoPyObjectExt;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::aio::{self, CallFuture, Convert};
use crate::convert::{prepare, py_err};
use crate::iter::{PageSource, source};
use crate::logging::PyLogging;
use crate::{raw, runtime};

/// Waits for a call on the runtime (the GIL released) and makes its Python value.
fn finish_blocking(py: Python<'_>, call: CallFuture) -> PyResult<Py<PyAny>> {
    match runtime::block_on(py, call)? {
        Ok(convert) => convert(py),
        Err(e) => Err(py_err(py, &e)),
    }
}

/// The clients' options, as `Client(...)` takes them (`None`: not given).
#[derive(Default)]
pub struct Options<'py> {
    pub auth_id: Option<String>,
    pub auth_secret: Option<String>,
    pub base_url: Option<String>,
    pub subdomain: Option<String>,
    pub timeout: Option<f64>,
    pub max_retries: Option<u32>,
    pub max_retry_wait: Option<f64>,
    pub headers: Option<Bound<'py, PyAny>>,
}

pub struct Core {
    config: Config,
    logging: Arc<PyLogging>,
    /// The core client of the process that made it; a forked child makes its own.
    client: Mutex<Option<(u32, avochato::Client)>>,
    closed: AtomicBool,
}

impl Core {
    /// A client's core from its options (the rest from `AVOCHATO_*` variables).
    pub fn from_options(py: Python<'_>, o: Options<'_>) -> PyResult<Core> {
        let Options {
            auth_id,
            auth_secret,
            base_url,
            subdomain,
            timeout,
            max_retries,
            max_retry_wait,
            headers,
        } = o;
        let v = py.version_info();
        let mut b = ClientBuilder::from_env().user_agent_prefix(format!(
            "avochato-python/{} python/{}.{}.{} ({} {})",
            env!("CARGO_PKG_VERSION"),
            v.major,
            v.minor,
            v.patch,
            std::env::consts::OS,
            std::env::consts::ARCH
        ));
        b = b.connection(avochato::config::ConnectionOptions {
            auth_id,
            auth_secret,
            base_url,
            subdomain,
        });
        let seconds = |name: &str, v: f64| -> PyResult<Duration> {
            avochato::config::duration_from_secs(name, v).map_err(|e| py_err(py, &e))
        };
        if let Some(v) = timeout {
            b = b.timeout(seconds("timeout", v)?);
        }
        if let Some(v) = max_retries {
            b = b.max_retries(v);
        }
        if let Some(v) = max_retry_wait {
            b = b.max_retry_wait(seconds("max_retry_wait", v)?);
        }
        if let Some(h) = headers {
            let h = h.cast_into::<PyDict>().map_err(|_| {
                py_err(
                    py,
                    &avochato::Error::validation("headers", "must map names to strings"),
                )
            })?;
            for (k, v) in h.iter() {
                let (Ok(k), Ok(v)) = (k.extract::<String>(), v.extract::<String>()) else {
                    return Err(py_err(
                        py,
                        &avochato::Error::validation("headers", "must map names to strings"),
                    ));
                };
                b = b.header(k, v);
            }
        }
        let config = b.build_config().map_err(|e| py_err(py, &e))?;
        Ok(Core::new(config, Arc::new(PyLogging::new(py)?)))
    }

    fn new(config: Config, logging: Arc<PyLogging>) -> Core {
        Core {
            config,
            logging,
            client: Mutex::new(None),
            closed: AtomicBool::new(false),
        }
    }

    /// The core client for this process (a fresh one after `fork`).
    pub fn client(&self, py: Python<'_>) -> PyResult<avochato::Client> {
        if self.closed.load(Ordering::Relaxed) {
            return Err(py_err(
                py,
                &avochato::Error::config("this client has been closed; make a new one"),
            ));
        }
        let pid = runtime::pid();
        let mut slot = self.client.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((owner, c)) = slot.as_ref()
            && *owner == pid
        {
            return Ok(c.clone());
        }
        if let Some(inherited) = slot.take() {
            // Its connections belong to the parent's runtime.
            std::mem::forget(inherited);
        }
        let c = avochato::Client::from_config(self.config.clone())
            .map_err(|e| py_err(py, &e))?
            .with_observer(self.logging.clone());
        *slot = Some((pid, c.clone()));
        Ok(c)
    }

    pub fn with_subdomain(&self, py: Python<'_>, subdomain: String) -> PyResult<Core> {
        let config = self
            .config
            .with_subdomain(subdomain)
            .map_err(|e| py_err(py, &e))?;
        Ok(Core::new(config, self.logging.clone()))
    }

    pub fn close(&self) {
        self.closed.store(true, Ordering::Relaxed);
        let mut slot = self.client.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((owner, c)) = slot.take()
            && owner != runtime::pid()
        {
            std::mem::forget(c);
        }
    }

    pub fn repr(&self, class: &str) -> String {
        let quote = |v: Option<&str>| match v {
            Some(s) => format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'")),
            None => "None".to_string(),
        };
        let secret = if self.config.is_proxy_mode() {
            None
        } else {
            Some(avochato::REDACTED)
        };
        format!(
            "{class}(auth_id={}, auth_secret={}, base_url={}, subdomain={})",
            quote(self.config.auth_id()),
            quote(secret),
            quote(Some(self.config.base_url())),
            quote(self.config.subdomain()),
        )
    }

    /// Runs an operation, blocking, with the GIL released during I/O (Ctrl-C cancels it).
    pub fn call_blocking<P>(
        &self,
        py: Python<'_>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Py<PyAny>>
    where
        P: Endpoint,
        P::Output: for<'py> IntoPyObject<'py>,
    {
        let call = self.call::<P>(py, kwargs)?;
        finish_blocking(py, call)
    }

    /// [`Core::call_blocking`], answered with a `RawResponse`.
    pub fn call_raw_blocking<P>(
        &self,
        py: Python<'_>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Py<PyAny>>
    where
        P: Endpoint,
        P::Output: for<'py> IntoPyObject<'py>,
    {
        let call = self.call_raw::<P>(py, kwargs)?;
        finish_blocking(py, call)
    }

    /// [`Core::call_async`], answered with a `RawResponse`.
    pub fn call_raw_async<'py, P>(
        &self,
        py: Python<'py>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>>
    where
        P: Endpoint,
        P::Output: for<'a> IntoPyObject<'a>,
    {
        aio::coroutine(py, self.call_raw::<P>(py, kwargs), Some(&P::SPEC))
    }

    /// One call answered with its raw response; the typed decode runs when `parse()` is
    /// called (on a Python thread), through one function pointer per operation.
    fn call_raw<P>(
        &self,
        py: Python<'_>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<CallFuture>
    where
        P: Endpoint,
        P::Output: for<'a> IntoPyObject<'a>,
    {
        let (params, options) = prepare(kwargs).map_err(|e| py_err(py, &e))?;
        let client = self.client(py)?;
        self.logging.refresh(py)?;
        let spec: &'static avochato::OperationSpec = &P::SPEC;
        let decode: raw::Decode = raw::decoder::<P>;
        Ok(Box::pin(async move {
            let (body, meta) = client.execute_json_raw::<P>(params, &options).await?;
            Ok(Box::new(move |py: Python<'_>| {
                raw::RawResponse::new(meta, body, spec, decode, client).into_py_any(py)
            }) as Convert)
        }))
    }

    /// An operation as a coroutine: nothing is sent until it is awaited; bad parameters
    /// are raised when it is.
    pub fn call_async<'py, P>(
        &self,
        py: Python<'py>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>>
    where
        P: Endpoint,
        P::Output: for<'a> IntoPyObject<'a>,
    {
        aio::coroutine(py, self.call::<P>(py, kwargs), Some(&P::SPEC))
    }

    /// One call as a boxed future of its (still Rust) result: every operation shares one
    /// future type, so the runtime's spawning and waiting code exists once in the module,
    /// not once per operation (this keeps the wheel small). Python objects are made from
    /// the result later, on a Python thread.
    fn call<P>(&self, py: Python<'_>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<CallFuture>
    where
        P: Endpoint,
        P::Output: for<'a> IntoPyObject<'a>,
    {
        let (params, options) = prepare(kwargs).map_err(|e| py_err(py, &e))?;
        let client = self.client(py)?;
        self.logging.refresh(py)?;
        Ok(Box::pin(async move {
            let response = client.execute_json::<P>(params, &options).await?;
            Ok(Box::new(move |py: Python<'_>| response.data.into_py_any(py)) as Convert)
        }))
    }

    /// Starts walking every item of a paginated operation.
    pub fn pages<P>(
        &self,
        py: Python<'_>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<PageSource>
    where
        P: Paginated,
        P::Item: for<'a> IntoPyObject<'a> + Send,
    {
        let (params, options) = prepare(kwargs).map_err(|e| py_err(py, &e))?;
        let client = self.client(py)?;
        self.logging.refresh(py)?;
        Ok(source(client.paginate_json_typed::<P>(params, options)))
    }
}
