//! `for c in client.contacts.iter()` and `async for c in client.contacts.iter()`.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use avochato::{Pager, Paginated};
use futures_util::future::BoxFuture;
use pyo3::IntoPyObjectExt;
use pyo3::exceptions::PyStopAsyncIteration;
use pyo3::prelude::*;

use crate::convert::py_err;
use crate::runtime;

/// Turns a fetched page's items into Python objects (needs the GIL).
type Convert = Box<dyn FnOnce(Python<'_>) -> PyResult<Vec<Py<PyAny>>> + Send>;
type NextPage = Box<dyn FnMut() -> BoxFuture<'static, avochato::Result<Option<Convert>>> + Send>;

/// A typed pager behind a type-erased "fetch the next page".
pub struct PageSource {
    next: NextPage,
}

pub fn source<P>(pager: Pager<P>) -> PageSource
where
    P: Paginated,
    P::Item: for<'a> IntoPyObject<'a> + Send,
{
    let pager = Arc::new(tokio::sync::Mutex::new(pager));
    PageSource {
        next: Box::new(move || {
            let pager = pager.clone();
            Box::pin(async move {
                let page = pager.lock().await.next_page().await?;
                Ok(page.map(|p| {
                    Box::new(move |py: Python<'_>| {
                        p.items
                            .into_iter()
                            .map(|i| i.into_py_any(py))
                            .collect::<PyResult<Vec<_>>>()
                    }) as Convert
                }))
            })
        }),
    }
}

struct State {
    source: PageSource,
    buffer: VecDeque<Py<PyAny>>,
    done: bool,
}

fn lock(state: &Mutex<State>) -> std::sync::MutexGuard<'_, State> {
    state.lock().unwrap_or_else(|e| e.into_inner())
}

/// Every item of every page (blocking; the GIL is released while a page is fetched).
#[pyclass(module = "avochato")]
pub struct PageIterator {
    state: Arc<Mutex<State>>,
}

impl PageIterator {
    pub fn new(source: PageSource) -> Self {
        PageIterator {
            state: Arc::new(Mutex::new(State {
                source,
                buffer: VecDeque::new(),
                done: false,
            })),
        }
    }
}

#[pymethods]
impl PageIterator {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        loop {
            let fetch = {
                let mut s = lock(&self.state);
                if let Some(item) = s.buffer.pop_front() {
                    return Ok(Some(item));
                }
                if s.done {
                    return Ok(None);
                }
                (s.source.next)()
            };
            match runtime::block_on(py, fetch)? {
                Ok(Some(convert)) => {
                    let items = convert(py)?;
                    lock(&self.state).buffer.extend(items);
                }
                Ok(None) => lock(&self.state).done = true,
                Err(e) => {
                    lock(&self.state).done = true;
                    return Err(py_err(py, &e));
                }
            }
        }
    }
}

/// Every item of every page, for `async for`.
#[pyclass(module = "avochato")]
pub struct AsyncPageIterator {
    state: Arc<Mutex<State>>,
}

impl AsyncPageIterator {
    pub fn new(source: PageSource) -> Self {
        AsyncPageIterator {
            state: Arc::new(Mutex::new(State {
                source,
                buffer: VecDeque::new(),
                done: false,
            })),
        }
    }
}

#[pymethods]
impl AsyncPageIterator {
    fn __aiter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __anext__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let state = self.state.clone();
        runtime::future_into_py(py, async move {
            loop {
                let fetch = {
                    let mut s = lock(&state);
                    if let Some(item) = s.buffer.pop_front() {
                        return Ok(item);
                    }
                    if s.done {
                        return Err(PyStopAsyncIteration::new_err(()));
                    }
                    (s.source.next)()
                };
                match fetch.await {
                    Ok(Some(convert)) => {
                        let items = Python::attach(convert)?;
                        lock(&state).buffer.extend(items);
                    }
                    Ok(None) => lock(&state).done = true,
                    Err(e) => {
                        lock(&state).done = true;
                        return Err(Python::attach(|py| py_err(py, &e)));
                    }
                }
            }
        })
    }
}
