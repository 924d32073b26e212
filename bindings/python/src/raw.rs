//! `client.messages.with_raw_response.send(...)`: the answer as it came, decoded on demand.

use std::sync::OnceLock;

use avochato::{Endpoint, ResponseMeta};
use pyo3::IntoPyObjectExt;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString, PyType};

use crate::aio::Convert;
use crate::convert::py_err;

/// Decodes a body as an operation's output (`Err`: why it is not the documented shape).
pub type Decode = fn(&[u8]) -> Result<Convert, String>;

/// The typed decode of operation `P`, as a plain function pointer.
pub fn decoder<P>(body: &[u8]) -> Result<Convert, String>
where
    P: Endpoint,
    P::Output: for<'py> IntoPyObject<'py>,
{
    let data = P::decode_output(body)?;
    Ok(Box::new(move |py: Python<'_>| data.into_py_any(py)))
}

/// A call's answer as it came: status, headers, request id, body; `parse()` decodes it.
#[pyclass(module = "avochato", frozen, name = "RawResponse")]
pub struct RawResponse {
    meta: ResponseMeta,
    body: bytes::Bytes,
    operation: &'static avochato::OperationSpec,
    decode: Decode,
    /// Words a decode failure (the client's secret removed).
    client: avochato::Client,
    parsed: OnceLock<Py<PyAny>>,
}

impl RawResponse {
    pub fn new(
        meta: ResponseMeta,
        body: bytes::Bytes,
        operation: &'static avochato::OperationSpec,
        decode: Decode,
        client: avochato::Client,
    ) -> Self {
        RawResponse {
            meta,
            body,
            operation,
            decode,
            client,
            parsed: OnceLock::new(),
        }
    }
}

#[pymethods]
impl RawResponse {
    /// The HTTP status (a success: other answers are raised as errors).
    #[getter]
    fn status_code(&self) -> u16 {
        self.meta.status
    }

    /// The response headers, names in lower case (repeated headers joined by `, `).
    #[getter]
    fn headers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for (k, v) in &self.meta.headers {
            let name = k.to_ascii_lowercase();
            match d.get_item(&name)? {
                Some(prev) => d.set_item(&name, format!("{}, {v}", prev.extract::<String>()?))?,
                None => d.set_item(&name, v)?,
            }
        }
        Ok(d)
    }

    /// The `X-Request-Id` header.
    #[getter]
    fn request_id(&self) -> Option<&str> {
        self.meta.request_id.as_deref()
    }

    /// How many times the request was sent (resends included).
    #[getter]
    fn attempts(&self) -> u32 {
        self.meta.attempts
    }

    /// The operation (`messages.send`).
    #[getter]
    fn operation(&self) -> String {
        self.operation.qualified_name()
    }

    /// The body, as it came.
    #[getter]
    fn content<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.body)
    }

    /// The body as text (UTF-8).
    #[getter]
    fn text<'py>(&self, py: Python<'py>) -> Bound<'py, PyString> {
        PyString::new(py, &String::from_utf8_lossy(&self.body))
    }

    /// The body parsed as JSON, into plain Python values.
    fn json<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let value: serde_json::Value = serde_json::from_slice(&self.body).map_err(|e| {
            py_err(
                py,
                &self.client.config().decode_failure(
                    self.meta.status,
                    &format!("the body is not JSON: {e}"),
                    &self.body,
                    None,
                    self.meta.request_id.as_deref(),
                ),
            )
        })?;
        avochato::python::json_to_py(py, &value)
    }

    /// The body decoded as the operation's result (what the call returns without
    /// `with_raw_response`); `DecodeError` if it is not the documented shape. Decoded once.
    fn parse(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        if let Some(v) = self.parsed.get() {
            return Ok(v.clone_ref(py));
        }
        let value = match (self.decode)(&self.body) {
            Ok(convert) => convert(py)?,
            Err(reason) => {
                return Err(py_err(
                    py,
                    &self.client.config().decode_failure(
                        self.meta.status,
                        &reason,
                        &self.body,
                        None,
                        self.meta.request_id.as_deref(),
                    ),
                ));
            }
        };
        Ok(self.parsed.get_or_init(|| value).clone_ref(py))
    }

    /// Makes `RawResponse[Message]` valid at runtime (the stubs declare the class generic).
    #[classmethod]
    fn __class_getitem__(cls: &Bound<'_, PyType>, item: &Bound<'_, PyAny>) -> Py<PyType> {
        let _ = item;
        cls.clone().unbind()
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let request_id = match &self.meta.request_id {
            Some(r) => PyString::new(py, r).repr()?.to_string(),
            None => "None".into(),
        };
        Ok(format!(
            "RawResponse({}, status_code={}, request_id={request_id}, {} bytes)",
            self.operation.qualified_name(),
            self.meta.status,
            self.body.len()
        ))
    }
}
