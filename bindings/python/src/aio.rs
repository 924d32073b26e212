//! Awaiting calls on asyncio without the I/O threads ever touching Python.
//!
//! An `AsyncClient` method returns a real coroutine (`avochato._aio.run`): nothing is sent
//! until it is awaited, `asyncio.run`/`create_task`/`wait_for` take it, and Python warns
//! about one never awaited. Awaited, it creates an asyncio future and starts the request
//! on the SDK's runtime ([`PendingCall::start`]). The runtime's thread puts the finished
//! call (still Rust data) on its event loop's [`Waker`] queue and writes a byte to a pipe
//! the loop watches (`loop.add_reader`); the loop thread, holding the GIL, turns results
//! into Python objects and resolves the futures ([`Waker::drain`]). Cancelling the
//! awaiting task aborts the request.

use std::future::Future;
use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use futures_util::FutureExt;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyModule, PyString};

use crate::convert::py_err;
use crate::runtime;

/// Turns a finished call's Rust result into its Python value (needs the GIL).
pub type Convert = Box<dyn FnOnce(Python<'_>) -> PyResult<Py<PyAny>> + Send>;
/// A call with its types erased: one future type for every operation.
pub type CallFuture = Pin<Box<dyn Future<Output = Result<Convert, avochato::Error>> + Send>>;

type Outcome = std::thread::Result<Result<Convert, avochato::Error>>;

struct Shared {
    done: Mutex<Vec<(Py<PyAny>, Outcome)>>,
    notify: UnixStream,
}

impl Shared {
    /// Called by a runtime thread: queue the outcome, wake the loop (no GIL needed).
    fn push(&self, future: Py<PyAny>, outcome: Outcome) {
        let was_empty = {
            let mut done = self.done.lock().unwrap_or_else(|e| e.into_inner());
            done.push((future, outcome));
            done.len() == 1
        };
        if was_empty {
            // Full pipe (would block): a wake-up is already pending.
            let _ = (&self.notify).write(&[1]);
        }
    }
}

/// One event loop's end of the pipe: `loop.add_reader(waker.fileno(), waker.drain)`.
#[pyclass(module = "avochato", frozen)]
pub struct _Waker {
    shared: Arc<Shared>,
    wakeups: UnixStream,
    #[pyo3(get)]
    pid: u32,
}

#[pymethods]
impl _Waker {
    #[new]
    fn new() -> PyResult<Self> {
        let (wakeups, notify) = UnixStream::pair()?;
        wakeups.set_nonblocking(true)?;
        notify.set_nonblocking(true)?;
        Ok(_Waker {
            shared: Arc::new(Shared {
                done: Mutex::new(Vec::new()),
                notify,
            }),
            wakeups,
            pid: runtime::pid(),
        })
    }

    /// The descriptor the event loop watches.
    fn fileno(&self) -> i32 {
        use std::os::fd::AsRawFd;
        self.wakeups.as_raw_fd()
    }

    /// Resolves the futures of every finished call (on the loop's thread).
    fn drain(&self, py: Python<'_>) {
        // One read: a byte is written only when the queue was empty, and all of it is taken
        // below, so at most a few bytes wait (one left over makes a harmless empty wake-up).
        let mut buf = [0u8; 256];
        let _ = (&self.wakeups).read(&mut buf);
        let finished =
            std::mem::take(&mut *self.shared.done.lock().unwrap_or_else(|e| e.into_inner()));
        for (future, outcome) in finished {
            let future = future.bind(py);
            if let Err(e) = resolve(py, future, outcome) {
                e.write_unraisable(py, Some(future));
            }
        }
    }
}

fn resolve(py: Python<'_>, future: &Bound<'_, PyAny>, outcome: Outcome) -> PyResult<()> {
    if future.call_method0(intern!(py, "done"))?.is_truthy()? {
        return Ok(()); // cancelled meanwhile
    }
    let value = match outcome {
        Ok(Ok(convert)) => convert(py),
        Ok(Err(e)) => Err(py_err(py, &e)),
        Err(panic) => Err(runtime::internal_error(py, panic.as_ref())),
    };
    match value {
        Ok(v) => future.call_method1(intern!(py, "set_result"), (v,))?,
        Err(e) => future.call_method1(intern!(py, "set_exception"), (e.into_value(py),))?,
    };
    Ok(())
}

/// A call prepared (parameters checked) but not sent: what `avochato._aio.run` awaits.
#[pyclass(module = "avochato", frozen)]
pub struct _PendingCall {
    call: Mutex<Option<CallFuture>>,
    task: Mutex<Option<tokio::task::AbortHandle>>,
}

impl _PendingCall {
    pub fn new(call: CallFuture) -> Self {
        _PendingCall {
            call: Mutex::new(Some(call)),
            task: Mutex::new(None),
        }
    }
}

#[pymethods]
impl _PendingCall {
    /// Sends the request; its outcome resolves `future` through `waker`.
    fn start(&self, waker: &_Waker, future: Py<PyAny>) -> PyResult<()> {
        let call = self
            .call
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
            .ok_or_else(|| {
                pyo3::exceptions::PyRuntimeError::new_err("this call was already awaited")
            })?;
        let shared = waker.shared.clone();
        let task = runtime::handle()?.spawn(async move {
            let outcome = std::panic::AssertUnwindSafe(call).catch_unwind().await;
            shared.push(future, outcome);
        });
        *self.task.lock().unwrap_or_else(|e| e.into_inner()) = Some(task.abort_handle());
        Ok(())
    }

    /// Stops the request (the awaiting task was cancelled).
    fn cancel(&self) {
        if let Some(task) = self.task.lock().unwrap_or_else(|e| e.into_inner()).take() {
            task.abort();
        }
        self.call.lock().unwrap_or_else(|e| e.into_inner()).take();
    }
}

static AIO: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

fn aio(py: Python<'_>) -> PyResult<&Bound<'_, PyModule>> {
    AIO.get_or_try_init(py, || Ok(py.import("avochato._aio")?.unbind()))
        .map(|m| m.bind(py))
}

/// The coroutine of a call: `run(call)`, or one that raises the error it was refused with.
/// Named after the operation (`messages.send`), as Python's "never awaited" warning shows.
pub fn coroutine<'py>(
    py: Python<'py>,
    call: PyResult<CallFuture>,
    operation: Option<&avochato::OperationSpec>,
) -> PyResult<Bound<'py, PyAny>> {
    let coro = match call {
        Ok(call) => aio(py)?.call_method1(intern!(py, "run"), (_PendingCall::new(call),))?,
        Err(e) => aio(py)?.call_method1(intern!(py, "fail"), (e.into_value(py),))?,
    };
    if let Some(op) = operation {
        coro.setattr(intern!(py, "__qualname__"), qualname(py, op))?;
    }
    Ok(coro)
}

/// `messages.send`, made once per operation.
fn qualname<'py>(py: Python<'py>, op: &avochato::OperationSpec) -> Bound<'py, PyString> {
    static NAMES: PyOnceLock<Vec<(&'static str, &'static str, Py<PyString>)>> = PyOnceLock::new();
    let names = NAMES.get_or_init(py, || {
        avochato::operations()
            .iter()
            .map(|o| {
                (
                    o.resource,
                    o.name,
                    PyString::new(py, &o.qualified_name()).unbind(),
                )
            })
            .collect()
    });
    match names
        .iter()
        .find(|(r, n, _)| *r == op.resource && *n == op.name)
    {
        Some((_, _, s)) => s.bind(py).clone(),
        None => PyString::new(py, &op.qualified_name()),
    }
}

/// A coroutine that returns `value` at once (`__aenter__`, a buffered page item).
pub fn ready<'py>(py: Python<'py>, value: Py<PyAny>) -> PyResult<Bound<'py, PyAny>> {
    aio(py)?.call_method1(intern!(py, "ready"), (value,))
}
