//! One tokio runtime per process, made again in a child after `os.fork()`.
//!
//! A runtime started in a parent process has no worker threads in a forked child, so
//! using (or even dropping) it there hangs. Each use checks the process id: a child gets a
//! fresh runtime, and the parent's is leaked, never dropped.

use std::cell::OnceCell;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use pyo3::prelude::*;
use pyo3_async_runtimes::TaskLocals;
use pyo3_async_runtimes::generic::{ContextExt, Runtime as GenericRuntime};
use tokio::runtime::{Builder, Runtime};

static RUNTIME: Mutex<Option<(u32, Arc<Runtime>)>> = Mutex::new(None);

/// This process's runtime.
pub fn runtime() -> PyResult<Arc<Runtime>> {
    let pid = std::process::id();
    let mut slot = RUNTIME.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((owner, rt)) = slot.as_ref()
        && *owner == pid
    {
        return Ok(rt.clone());
    }
    if let Some(inherited) = slot.take() {
        // A fork's copy of the parent's runtime: its threads do not exist here.
        std::mem::forget(inherited);
    }
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .clamp(1, 4);
    let rt = Builder::new_multi_thread()
        .worker_threads(workers)
        .thread_name("avochato")
        .enable_all()
        .build()
        .map_err(|e| {
            pyo3::exceptions::PyRuntimeError::new_err(format!(
                "could not start the I/O runtime: {e}"
            ))
        })?;
    let rt = Arc::new(rt);
    *slot = Some((pid, rt.clone()));
    Ok(rt)
}

/// Runs `fut` to completion on this process's runtime with the GIL released.
pub fn block_on<F>(py: Python<'_>, fut: F) -> PyResult<F::Output>
where
    F: Future + Send,
    F::Output: Send,
{
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(pyo3::exceptions::PyRuntimeError::new_err(
            "the blocking avochato.Client cannot be used from inside an async task of this SDK; use AsyncClient",
        ));
    }
    let rt = runtime()?;
    Ok(py.detach(|| rt.block_on(fut)))
}

tokio::task_local! {
    static TASK_LOCALS: OnceCell<TaskLocals>;
}

/// pyo3-async-runtimes' view of [`runtime`].
pub struct ProcessRuntime;

/// Why a spawned task ended badly (a panic's payload, or no runtime to run it).
pub struct TaskError(Option<Box<dyn std::any::Any + Send + 'static>>);

impl pyo3_async_runtimes::generic::JoinError for TaskError {
    fn is_panic(&self) -> bool {
        self.0.is_some()
    }
    fn into_panic(self) -> Box<dyn std::any::Any + Send + 'static> {
        self.0
            .unwrap_or_else(|| Box::new("the I/O runtime could not be started"))
    }
}

/// A spawned task.
pub enum TaskHandle {
    Running(tokio::task::JoinHandle<()>),
    NotStarted,
}

impl Future for TaskHandle {
    type Output = Result<(), TaskError>;
    fn poll(
        self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Self::Output> {
        match self.get_mut() {
            TaskHandle::Running(h) => Pin::new(h)
                .poll(cx)
                .map(|r| r.map_err(|e| TaskError(e.try_into_panic().ok()))),
            TaskHandle::NotStarted => std::task::Poll::Ready(Err(TaskError(None))),
        }
    }
}

impl GenericRuntime for ProcessRuntime {
    type JoinError = TaskError;
    type JoinHandle = TaskHandle;

    fn spawn<F>(fut: F) -> Self::JoinHandle
    where
        F: Future<Output = ()> + Send + 'static,
    {
        // future_into_py (below) starts the runtime before anything is spawned.
        match runtime() {
            Ok(rt) => TaskHandle::Running(rt.spawn(fut)),
            Err(_) => TaskHandle::NotStarted,
        }
    }

    fn spawn_blocking<F>(f: F) -> Self::JoinHandle
    where
        F: FnOnce() + Send + 'static,
    {
        match runtime() {
            Ok(rt) => TaskHandle::Running(rt.spawn_blocking(f)),
            Err(_) => TaskHandle::NotStarted,
        }
    }
}

impl ContextExt for ProcessRuntime {
    fn scope<F, R>(locals: TaskLocals, fut: F) -> Pin<Box<dyn Future<Output = R> + Send>>
    where
        F: Future<Output = R> + Send + 'static,
    {
        let cell = OnceCell::new();
        let _ = cell.set(locals);
        Box::pin(TASK_LOCALS.scope(cell, fut))
    }

    fn get_task_locals() -> Option<TaskLocals> {
        TASK_LOCALS
            .try_with(|c| c.get().cloned())
            .unwrap_or_default()
    }
}

/// `future_into_py` on this process's runtime.
pub fn future_into_py<'py, F, T>(py: Python<'py>, fut: F) -> PyResult<Bound<'py, PyAny>>
where
    F: Future<Output = PyResult<T>> + Send + 'static,
    T: for<'a> IntoPyObject<'a> + Send + 'static,
{
    runtime()?;
    pyo3_async_runtimes::generic::future_into_py::<ProcessRuntime, F, T>(py, fut)
}
