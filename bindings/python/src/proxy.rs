//! The proxy's decision for `avochato.proxy` (the ASGI and WSGI apps): the app does the
//! I/O; the core says what to send, if anything (see `avochato::proxy`).

use avochato::proxy::{self, Incoming, Policy};
use avochato::{ClientBuilder, Config};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};

use crate::convert::{py_err, py_to_json};

/// A credential and a policy (`avochato._avochato._ProxyCore`; use `avochato.proxy`).
#[pyclass(module = "avochato._avochato", name = "_ProxyCore", frozen)]
pub struct ProxyCore {
    config: Config,
    policy: Policy,
}

#[pymethods]
impl ProxyCore {
    /// The credential and API address (defaults from the `AVOCHATO_*` variables), the
    /// operations allowed, the parameters pinned and the size limit.
    #[new]
    #[pyo3(signature = (*, allow, auth_id=None, auth_secret=None, base_url=None, subdomain=None, timeout=None, pin=None, max_body_bytes=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        allow: Vec<String>,
        auth_id: Option<String>,
        auth_secret: Option<String>,
        base_url: Option<String>,
        subdomain: Option<String>,
        timeout: Option<f64>,
        pin: Option<Bound<'_, PyDict>>,
        max_body_bytes: Option<usize>,
    ) -> PyResult<Self> {
        let err = |e: avochato::Error| py_err(py, &e);
        let mut b = ClientBuilder::from_env().user_agent_prefix(format!(
            "avochato-python-proxy/{}",
            env!("CARGO_PKG_VERSION")
        ));
        b = b.connection(avochato::config::ConnectionOptions {
            auth_id,
            auth_secret,
            base_url,
            subdomain,
        });
        if let Some(v) = timeout {
            b = b.timeout(avochato::config::duration_from_secs("timeout", v).map_err(err)?);
        }
        let config = b.build_config().map_err(err)?;
        if config.auth_id().is_none() {
            return Err(err(avochato::Error::config(
                "the proxy needs the credential: pass auth_id and auth_secret, or set \
                 AVOCHATO_AUTH_ID and AVOCHATO_AUTH_SECRET",
            )));
        }
        let mut p = Policy::builder();
        for name in allow {
            p = p.allow(name);
        }
        for (k, v) in pin.iter().flat_map(|d| d.iter()) {
            let name: String = k.extract()?;
            let value = py_to_json(&v, &format!("pin.{name}")).map_err(err)?;
            p = p.pin(name, value);
        }
        if let Some(n) = max_body_bytes {
            p = p.max_body_bytes(n);
        }
        let policy = p.build().map_err(err)?;
        Ok(ProxyCore { config, policy })
    }

    /// The size limit, in bytes.
    #[getter]
    fn max_body_bytes(&self) -> usize {
        self.policy.max_body_bytes()
    }

    /// The time allowed for the API's answer, in seconds.
    #[getter]
    fn timeout(&self) -> f64 {
        self.config.timeout().as_secs_f64()
    }

    /// The SDK's identity, for the upstream request's headers.
    #[getter]
    fn user_agent(&self) -> String {
        self.config.user_agent().to_string()
    }

    /// The decision on a page's request. Forwarded: `(0, operation, method, url, body or
    /// None, target, operations, params)` (`operations`: every operation the request fits;
    /// `params`: JSON text of the parameters sent, without the credentials, for the
    /// `authorize` hook); refused: `(status, body, reason)`.
    #[pyo3(signature = (method, path, query, body, content_type, header_names))]
    #[allow(clippy::too_many_arguments)]
    fn decide<'py>(
        &self,
        py: Python<'py>,
        method: &str,
        path: &str,
        query: &str,
        body: &[u8],
        content_type: Option<&str>,
        header_names: Vec<String>,
    ) -> PyResult<Bound<'py, PyTuple>> {
        let names: Vec<&str> = header_names.iter().map(String::as_str).collect();
        let incoming = Incoming {
            method,
            path,
            query,
            body,
            content_type,
            header_names: &names,
            parsed_body: None,
        };
        let decided = py.detach(|| proxy::decide(&self.config, &self.policy, &incoming));
        match decided {
            Ok(f) => {
                let operations: Vec<String> =
                    f.fits.iter().map(|op| self.policy.name_of(op)).collect();
                let params = f.params_json();
                (
                    0u16,
                    self.policy.name_of(f.operation),
                    f.request.method.as_str(),
                    f.request.url,
                    f.request.body,
                    f.target,
                    operations,
                    params,
                )
                    .into_pyobject(py)
            }
            Err(r) => (r.status, r.body(), r.reason().to_string()).into_pyobject(py),
        }
    }

    /// The API's answer as the page gets it: `(status, [(name, value)], body or None)`
    /// (`None`: the API's body, unchanged).
    fn answer(
        &self,
        status: u16,
        headers: Vec<(String, String)>,
        body: &str,
    ) -> (u16, Vec<(String, String)>, Option<String>) {
        let a = proxy::answer(&self.config, status, &headers, body);
        (a.status, a.headers, a.body)
    }

    /// The page's answer when the API gave none: `(status, body, reason)`.
    fn failure(&self, timeout: bool, detail: &str) -> (u16, String, String) {
        let r = proxy::failure(&self.config, timeout, detail);
        (r.status, r.body(), r.reason().to_string())
    }

    /// Removes the secret from a text.
    fn redact(&self, text: &str) -> String {
        self.config.redact(text)
    }

    fn __repr__(&self) -> String {
        "<avochato proxy>".to_string()
    }
}
