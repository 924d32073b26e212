//! The Python host: `avochato._avochato`, the core through pyo3.
//!
//! A mechanical wrapper: the resource classes of both clients are expanded from the core's
//! operation list; each method turns its keyword arguments into the operation's parameter
//! type and runs it (blocking with the GIL released, or on the event loop). Models are the
//! core's own types, annotated in place.
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[macro_use]
mod docs;

mod aio;
mod convert;
mod core;
mod iter;
mod logging;
mod options;
mod proxy;
mod raw;
mod runtime;

use std::sync::Arc;

use avochato::params::*;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::core::{Core, Options};
use crate::iter::{AsyncPageIterator, PageIterator};

macro_rules! python_resources {
    ($(
        $res:ident $Res:ident $(iter($IP:ident -> $IT:ident))? {
            $( $name:ident $js:ident ($P:ident) -> $shape:ident<$T:ident> { $M:ident $path:literal $($spec:tt)* } )*
        }
    )*) => { pastey::paste! {
        $(
            #[doc = concat!("The `", stringify!($res), "` operations (blocking).")]
            #[pyclass(module = "avochato", frozen)]
            pub struct $Res {
                core: Arc<Core>,
            }

            #[pymethods]
            impl $Res {
                $(
                    #[doc = method_doc!($res $name)]
                    #[pyo3(signature = (**kwargs), text_signature = None)]
                    fn $name(&self, py: Python<'_>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Py<PyAny>> {
                        runtime::guard(py, || self.core.call_blocking::<$P>(py, kwargs))
                    }
                )*
                $(
                    #[doc = method_doc!($res iter)]
                    #[pyo3(signature = (**kwargs), text_signature = None)]
                    fn iter(&self, py: Python<'_>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<PageIterator> {
                        runtime::guard(py, || Ok(PageIterator::new(self.core.pages::<$IP>(py, kwargs)?)))
                    }
                )?

                /// The same operations, answered with the raw response (`RawResponse`).
                #[getter]
                fn with_raw_response(&self) -> [<$Res WithRawResponse>] {
                    [<$Res WithRawResponse>] { core: self.core.clone() }
                }
            }

            #[doc = concat!("The `", stringify!($res), "` operations (blocking), each answered with a `RawResponse`.")]
            #[pyclass(module = "avochato", frozen)]
            pub struct [<$Res WithRawResponse>] {
                core: Arc<Core>,
            }

            #[pymethods]
            impl [<$Res WithRawResponse>] {
                $(
                    #[doc = raw_method_doc!($res $name)]
                    #[pyo3(signature = (**kwargs), text_signature = None)]
                    fn $name(&self, py: Python<'_>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Py<PyAny>> {
                        runtime::guard(py, || self.core.call_raw_blocking::<$P>(py, kwargs))
                    }
                )*
            }

            #[doc = concat!("The `", stringify!($res), "` operations (coroutines).")]
            #[pyclass(module = "avochato", frozen)]
            pub struct [<Async $Res>] {
                core: Arc<Core>,
            }

            #[pymethods]
            impl [<Async $Res>] {
                $(
                    #[doc = method_doc!($res $name)]
                    #[pyo3(signature = (**kwargs), text_signature = None)]
                    fn $name<'py>(&self, py: Python<'py>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Bound<'py, PyAny>> {
                        runtime::guard(py, || self.core.call_async::<$P>(py, kwargs))
                    }
                )*
                $(
                    #[doc = method_doc!($res iter)]
                    #[pyo3(signature = (**kwargs), text_signature = None)]
                    fn iter(&self, py: Python<'_>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<AsyncPageIterator> {
                        runtime::guard(py, || Ok(AsyncPageIterator::new(self.core.pages::<$IP>(py, kwargs)?)))
                    }
                )?

                /// The same operations, answered with the raw response (`RawResponse`).
                #[getter]
                fn with_raw_response(&self) -> [<Async $Res WithRawResponse>] {
                    [<Async $Res WithRawResponse>] { core: self.core.clone() }
                }
            }

            #[doc = concat!("The `", stringify!($res), "` operations (coroutines), each answered with a `RawResponse`.")]
            #[pyclass(module = "avochato", frozen)]
            pub struct [<Async $Res WithRawResponse>] {
                core: Arc<Core>,
            }

            #[pymethods]
            impl [<Async $Res WithRawResponse>] {
                $(
                    #[doc = raw_method_doc!($res $name)]
                    #[pyo3(signature = (**kwargs), text_signature = None)]
                    fn $name<'py>(&self, py: Python<'py>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Bound<'py, PyAny>> {
                        runtime::guard(py, || self.core.call_raw_async::<$P>(py, kwargs))
                    }
                )*
            }
        )*

        #[doc = client_doc!(sync)]
        #[pyclass(module = "avochato", frozen)]
        pub struct Client {
            core: Arc<Core>,
        }

        #[pymethods]
        impl Client {
            #[new]
            #[pyo3(signature = (*, auth_id=None, auth_secret=None, base_url=None, subdomain=None, timeout=None, max_retries=None, max_retry_wait=None, headers=None))]
            #[allow(clippy::too_many_arguments)]
            fn new<'py>(
                py: Python<'py>,
                auth_id: Option<String>,
                auth_secret: Option<String>,
                base_url: Option<String>,
                subdomain: Option<String>,
                timeout: Option<f64>,
                max_retries: Option<u32>,
                max_retry_wait: Option<f64>,
                headers: Option<Bound<'py, PyAny>>,
            ) -> PyResult<Self> {
                let o = Options { auth_id, auth_secret, base_url, subdomain, timeout, max_retries, max_retry_wait, headers };
                runtime::guard(py, || Ok(Client { core: Arc::new(Core::from_options(py, o)?) }))
            }

            $(
                #[doc = concat!("The `", stringify!($res), "` operations.")]
                #[getter]
                fn $res(&self) -> $Res {
                    $Res { core: self.core.clone() }
                }
            )*

            #[doc = verify_doc!()]
            #[pyo3(signature = (**kwargs), text_signature = None)]
            fn verify(&self, py: Python<'_>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Py<PyAny>> {
                runtime::guard(py, || self.core.call_blocking::<WhoamiAccountsParams>(py, kwargs))
            }

            /// The same client scoped to inbox `subdomain`, sharing its connections.
            fn with_subdomain(&self, py: Python<'_>, subdomain: String) -> PyResult<Client> {
                Ok(Client { core: Arc::new(self.core.with_subdomain(py, subdomain)?) })
            }

            /// Closes the connections; the client cannot be used afterwards.
            fn close(&self) {
                self.core.close();
            }

            fn __enter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
                slf
            }

            #[pyo3(signature = (*_args))]
            fn __exit__(&self, _args: &Bound<'_, pyo3::types::PyTuple>) -> bool {
                self.core.close();
                false
            }

            fn __repr__(&self) -> String {
                self.core.repr("Client")
            }
        }

        #[doc = client_doc!(async)]
        #[pyclass(module = "avochato", frozen)]
        pub struct AsyncClient {
            core: Arc<Core>,
        }

        #[pymethods]
        impl AsyncClient {
            #[new]
            #[pyo3(signature = (*, auth_id=None, auth_secret=None, base_url=None, subdomain=None, timeout=None, max_retries=None, max_retry_wait=None, headers=None))]
            #[allow(clippy::too_many_arguments)]
            fn new<'py>(
                py: Python<'py>,
                auth_id: Option<String>,
                auth_secret: Option<String>,
                base_url: Option<String>,
                subdomain: Option<String>,
                timeout: Option<f64>,
                max_retries: Option<u32>,
                max_retry_wait: Option<f64>,
                headers: Option<Bound<'py, PyAny>>,
            ) -> PyResult<Self> {
                let o = Options { auth_id, auth_secret, base_url, subdomain, timeout, max_retries, max_retry_wait, headers };
                runtime::guard(py, || Ok(AsyncClient { core: Arc::new(Core::from_options(py, o)?) }))
            }

            $(
                #[doc = concat!("The `", stringify!($res), "` operations.")]
                #[getter]
                fn $res(&self) -> [<Async $Res>] {
                    [<Async $Res>] { core: self.core.clone() }
                }
            )*

            #[doc = verify_doc!()]
            #[pyo3(signature = (**kwargs), text_signature = None)]
            fn verify<'py>(&self, py: Python<'py>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Bound<'py, PyAny>> {
                runtime::guard(py, || self.core.call_async::<WhoamiAccountsParams>(py, kwargs))
            }

            /// The same client scoped to inbox `subdomain`, sharing its connections.
            fn with_subdomain(&self, py: Python<'_>, subdomain: String) -> PyResult<AsyncClient> {
                Ok(AsyncClient { core: Arc::new(self.core.with_subdomain(py, subdomain)?) })
            }

            /// Closes the connections; the client cannot be used afterwards.
            fn close<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                self.core.close();
                aio::ready(py, py.None())
            }

            fn __aenter__<'py>(slf: PyRef<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
                let py = slf.py();
                let me: Py<PyAny> = Py::<AsyncClient>::from(slf).into_any();
                aio::ready(py, me)
            }

            #[pyo3(signature = (*_args))]
            fn __aexit__<'py>(&self, py: Python<'py>, _args: &Bound<'_, pyo3::types::PyTuple>) -> PyResult<Bound<'py, PyAny>> {
                self.core.close();
                aio::ready(py, pyo3::types::PyBool::new(py, false).to_owned().into_any().unbind())
            }

            fn __repr__(&self) -> String {
                self.core.repr("AsyncClient")
            }
        }

        fn add_resource_classes(m: &Bound<'_, PyModule>) -> PyResult<()> {
            $(
                m.add_class::<$Res>()?;
                m.add_class::<[<Async $Res>]>()?;
                m.add_class::<[<$Res WithRawResponse>]>()?;
                m.add_class::<[<Async $Res WithRawResponse>]>()?;
            )*
            Ok(())
        }
    } };
}

avochato::for_each_operation!(python_resources);

/// Every operation: resource, method name, HTTP method, path, documented title.
#[pyfunction]
fn operations(py: Python<'_>) -> PyResult<Bound<'_, PyList>> {
    let list = PyList::empty(py);
    for op in avochato::operations() {
        let d = PyDict::new(py);
        d.set_item("resource", op.resource)?;
        d.set_item("method", op.name)?;
        d.set_item("js_method", op.js_name)?;
        d.set_item("http_method", op.http_method.as_str())?;
        d.set_item("path", op.path)?;
        d.set_item("title", op.title)?;
        d.set_item("paginated", op.pages.is_some())?;
        list.append(d)?;
    }
    Ok(list)
}

/// Normalizes a phone number to E.164 (`(415) 555-1234` → `+14155551234`).
#[pyfunction]
#[pyo3(signature = (phone, default_country = "US"))]
fn normalize_phone(py: Python<'_>, phone: &str, default_country: &str) -> PyResult<String> {
    avochato::normalize_phone(phone, default_country).map_err(|e| convert::py_err(py, &e))
}

/// Panics inside the SDK's boundary, for the tests that prove a panic reaches Python as
/// `avochato.InternalError` (`where_`: `call`, `blocking` or `async`), never as a crash.
#[pyfunction]
#[allow(clippy::panic)]
fn _panic_for_tests<'py>(py: Python<'py>, where_: &str) -> PyResult<Bound<'py, PyAny>> {
    match where_ {
        "blocking" => runtime::block_on(py, async { panic!("a test panic on the runtime") })
            .map(|()| py.None().into_bound(py)),
        "async" => aio::coroutine(
            py,
            Ok(Box::pin(async { panic!("a test panic in a coroutine") })),
            None,
        ),
        _ => runtime::guard(py, || panic!("a test panic in a call")),
    }
}

#[pymodule]
fn _avochato(m: &Bound<'_, PyModule>) -> PyResult<()> {
    runtime::track_forks();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(operations, m)?)?;
    m.add_function(wrap_pyfunction!(normalize_phone, m)?)?;
    m.add_function(wrap_pyfunction!(convert::_register_errors, m)?)?;
    m.add_function(wrap_pyfunction!(_panic_for_tests, m)?)?;
    m.add_class::<Client>()?;
    m.add_class::<AsyncClient>()?;
    m.add_class::<PageIterator>()?;
    m.add_class::<AsyncPageIterator>()?;
    m.add_class::<raw::RawResponse>()?;
    m.add_class::<aio::_Waker>()?;
    m.add_class::<aio::_PendingCall>()?;
    let shutdown = wrap_pyfunction!(runtime::_shutdown, m)?;
    m.py()
        .import("atexit")?
        .call_method1("register", (&shutdown,))?;
    m.add_function(shutdown)?;
    add_resource_classes(m)?;
    avochato::python::add_classes(m)?;
    // Set, not added: private, so neither `__all__` nor the generated stubs list it.
    m.setattr("_ProxyCore", m.py().get_type::<proxy::ProxyCore>())?;
    Ok(())
}
