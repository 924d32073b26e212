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

mod aio;
mod convert;
mod core;
mod iter;
mod logging;
mod proxy;
mod runtime;

use std::sync::Arc;

use avochato::params::*;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::core::Core;
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
                    #[doc = concat!(stringify!($M), " ", $path)]
                    #[pyo3(signature = (**kwargs))]
                    fn $name(&self, py: Python<'_>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Py<PyAny>> {
                        runtime::guard(py, || self.core.call_blocking::<$P>(py, kwargs))
                    }
                )*
                $(
                    /// Every item of every page.
                    #[pyo3(signature = (**kwargs))]
                    fn iter(&self, py: Python<'_>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<PageIterator> {
                        runtime::guard(py, || Ok(PageIterator::new(self.core.pages::<$IP>(py, kwargs)?)))
                    }
                )?
            }

            #[doc = concat!("The `", stringify!($res), "` operations (awaitable).")]
            #[pyclass(module = "avochato", frozen)]
            pub struct [<Async $Res>] {
                core: Arc<Core>,
            }

            #[pymethods]
            impl [<Async $Res>] {
                $(
                    #[doc = concat!(stringify!($M), " ", $path)]
                    #[pyo3(signature = (**kwargs))]
                    fn $name<'py>(&self, py: Python<'py>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Bound<'py, PyAny>> {
                        runtime::guard(py, || self.core.call_async::<$P>(py, kwargs))
                    }
                )*
                $(
                    /// Every item of every page, for `async for`.
                    #[pyo3(signature = (**kwargs))]
                    fn iter(&self, py: Python<'_>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<AsyncPageIterator> {
                        runtime::guard(py, || Ok(AsyncPageIterator::new(self.core.pages::<$IP>(py, kwargs)?)))
                    }
                )?
            }
        )*

        /// The Avochato client, blocking. Options default from `AVOCHATO_*` variables.
        #[pyclass(module = "avochato", frozen)]
        pub struct Client {
            core: Arc<Core>,
        }

        #[pymethods]
        impl Client {
            /// Options: auth_id, auth_secret, base_url, subdomain, timeout, max_retries,
            /// max_retry_wait, headers (the stubs list them with their types).
            #[new]
            #[pyo3(signature = (**options))]
            fn new(py: Python<'_>, options: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
                runtime::guard(py, || Ok(Client { core: Arc::new(Core::from_options(py, options)?) }))
            }

            $(
                #[getter]
                fn $res(&self) -> $Res {
                    $Res { core: self.core.clone() }
                }
            )*

            /// Confirms the credential (`GET /v1/whoami`): its inbox and user.
            fn verify(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
                self.core.call_blocking::<WhoamiParams>(py, None)
            }

            /// A client scoped to inbox `subdomain`, with the same settings.
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

        /// The Avochato client for asyncio: every method returns an awaitable.
        #[pyclass(module = "avochato", frozen)]
        pub struct AsyncClient {
            core: Arc<Core>,
        }

        #[pymethods]
        impl AsyncClient {
            /// Options: auth_id, auth_secret, base_url, subdomain, timeout, max_retries,
            /// max_retry_wait, headers (the stubs list them with their types).
            #[new]
            #[pyo3(signature = (**options))]
            fn new(py: Python<'_>, options: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
                runtime::guard(py, || Ok(AsyncClient { core: Arc::new(Core::from_options(py, options)?) }))
            }

            $(
                #[getter]
                fn $res(&self) -> [<Async $Res>] {
                    [<Async $Res>] { core: self.core.clone() }
                }
            )*

            /// Confirms the credential (`GET /v1/whoami`): its inbox and user.
            fn verify<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                self.core.call_async::<WhoamiParams>(py, None)
            }

            /// A client scoped to inbox `subdomain`, with the same settings.
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
            $( m.add_class::<$Res>()?; m.add_class::<[<Async $Res>]>()?; )*
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
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(operations, m)?)?;
    m.add_function(wrap_pyfunction!(normalize_phone, m)?)?;
    m.add_function(wrap_pyfunction!(convert::_register_errors, m)?)?;
    m.add_function(wrap_pyfunction!(_panic_for_tests, m)?)?;
    m.add_class::<Client>()?;
    m.add_class::<AsyncClient>()?;
    m.add_class::<PageIterator>()?;
    m.add_class::<AsyncPageIterator>()?;
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
