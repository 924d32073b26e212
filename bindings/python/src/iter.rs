//! `for c in client.contacts.iter()` and `async for c in client.contacts.iter()`.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use avochato::{Pager, Paginated};
use futures_util::future::BoxFuture;
use pyo3::IntoPyObjectExt;
use pyo3::exceptions::PyStopAsyncIteration;
use pyo3::prelude::*;

use crate::aio::{self, Convert};
use crate::convert::py_err;
use crate::runtime;

/// Turns a page's items into Python objects (needs the GIL).
type ConvertItems = Box<dyn FnOnce(Python<'_>) -> PyResult<Vec<Py<PyAny>>> + Send>;

/// A fetched page's items, still Rust data.
pub struct Batch {
    len: usize,
    convert: ConvertItems,
}

type NextPage = Box<dyn FnMut() -> BoxFuture<'static, avochato::Result<Option<Batch>>> + Send>;

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
                Ok(page.map(|p| Batch {
                    len: p.items.len(),
                    convert: Box::new(move |py: Python<'_>| {
                        p.items
                            .into_iter()
                            .map(|i| i.into_py_any(py))
                            .collect::<PyResult<Vec<_>>>()
                    }),
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

type Shared = Arc<Mutex<State>>;

fn lock(state: &Mutex<State>) -> std::sync::MutexGuard<'_, State> {
    state.lock().unwrap_or_else(|e| e.into_inner())
}

fn shared(source: PageSource) -> Shared {
    Arc::new(Mutex::new(State {
        source,
        buffer: VecDeque::new(),
        done: false,
    }))
}

/// The next non-empty page, or `None` at the end (needs no GIL).
async fn next_batch(state: Shared) -> avochato::Result<Option<Batch>> {
    loop {
        let fetch = (lock(&state).source.next)();
        match fetch.await {
            Ok(Some(batch)) if batch.len == 0 => continue,
            Ok(Some(batch)) => return Ok(Some(batch)),
            Ok(None) => {
                lock(&state).done = true;
                return Ok(None);
            }
            Err(e) => {
                lock(&state).done = true;
                return Err(e);
            }
        }
    }
}

/// Puts a batch's items in the buffer and takes the first (`None`: the walk is over).
fn take_first(py: Python<'_>, state: &Shared, batch: Option<Batch>) -> PyResult<Option<Py<PyAny>>> {
    let Some(batch) = batch else { return Ok(None) };
    let items = (batch.convert)(py)?;
    let mut s = lock(state);
    s.buffer.extend(items);
    Ok(s.buffer.pop_front())
}

/// Every item of every page (blocking; the GIL is released while a page is fetched).
#[pyclass(module = "avochato")]
pub struct PageIterator {
    state: Shared,
}

impl PageIterator {
    pub fn new(source: PageSource) -> Self {
        PageIterator {
            state: shared(source),
        }
    }
}

#[pymethods]
impl PageIterator {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        {
            let mut s = lock(&self.state);
            if let Some(item) = s.buffer.pop_front() {
                return Ok(Some(item));
            }
            if s.done {
                return Ok(None);
            }
        }
        match runtime::block_on(py, next_batch(self.state.clone()))? {
            Ok(batch) => take_first(py, &self.state, batch),
            Err(e) => Err(py_err(py, &e)),
        }
    }
}

/// Every item of every page, for `async for`.
#[pyclass(module = "avochato")]
pub struct AsyncPageIterator {
    state: Shared,
}

impl AsyncPageIterator {
    pub fn new(source: PageSource) -> Self {
        AsyncPageIterator {
            state: shared(source),
        }
    }
}

#[pymethods]
impl AsyncPageIterator {
    fn __aiter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __anext__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        {
            let mut s = lock(&self.state);
            if let Some(item) = s.buffer.pop_front() {
                return aio::ready(py, item);
            }
            if s.done {
                return aio::coroutine(py, Err(PyStopAsyncIteration::new_err(())), None);
            }
        }
        let state = self.state.clone();
        aio::coroutine(
            py,
            Ok(Box::pin(async move {
                let batch = next_batch(state.clone()).await?;
                Ok(
                    Box::new(move |py: Python<'_>| match take_first(py, &state, batch)? {
                        Some(item) => Ok(item),
                        None => Err(PyStopAsyncIteration::new_err(())),
                    }) as Convert,
                )
            })),
            None,
        )
    }
}
