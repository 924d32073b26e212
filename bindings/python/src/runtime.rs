//! One tokio runtime per process, shut down before the interpreter finalizes.
//!
//! * The runtime's threads never hold Python objects' fate at exit: a Python `atexit`
//!   callback ([`shutdown`]) stops the runtime while the interpreter is still whole, with a
//!   bounded wait and the GIL released. After that no SDK thread touches Python again.
//! * Threads that are not Python's own (tokio workers) attach to the interpreter only
//!   through [`attach`], which refuses once shutdown has started, and which the shutdown
//!   waits for. A Python thread blocked in a call (a daemon thread still running at exit)
//!   never re-enters the interpreter after shutdown started: it parks until the process
//!   ends (re-entering a finalizing interpreter ends the thread by unwinding through Rust,
//!   which aborts the process).
//! * A runtime started in a parent process has no worker threads in a forked child, so
//!   using (or even dropping) it there hangs: each use checks the process id, a child gets
//!   a fresh runtime, and the parent's is leaked, never dropped.

use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use futures_util::FutureExt;
use pyo3::prelude::*;
use tokio::runtime::{Builder, Handle, Runtime};

use crate::convert::py_err;

static RUNTIME: Mutex<Option<(u32, Runtime)>> = Mutex::new(None);
/// This process's id, kept current across `fork` by [`track_forks`] (a `getpid` system call
/// on every call costs about 0.4 µs here, and a call asked for it several times).
static PID: AtomicU32 = AtomicU32::new(0);
/// Set by [`shutdown`]: nothing of the SDK enters the interpreter any more.
static FINALIZING: AtomicBool = AtomicBool::new(false);
/// Threads between "may I attach?" and having left the interpreter again.
static ATTACHING: AtomicUsize = AtomicUsize::new(0);

/// How often a blocking call wakes to let Python run signal handlers (Ctrl-C).
const SIGNAL_POLL: Duration = Duration::from_millis(50);
/// The longest [`shutdown`] waits for calls still running at exit.
const SHUTDOWN_WAIT: Duration = Duration::from_millis(1500);

/// The id of this process (see [`PID`]).
pub fn pid() -> u32 {
    match PID.load(Ordering::Relaxed) {
        0 => std::process::id(),
        pid => pid,
    }
}

extern "C" fn forked_child() {
    PID.store(std::process::id(), Ordering::Relaxed);
}

/// Keeps [`pid`] current: the child of any `fork` (Python's or a C library's) records its
/// own id before it runs anything else.
pub fn track_forks() {
    PID.store(std::process::id(), Ordering::Relaxed);
    // SAFETY: registers a handler that only stores the child's id in an atomic.
    let registered = unsafe { libc::pthread_atfork(None, None, Some(forked_child)) };
    if registered != 0 {
        PID.store(0, Ordering::Relaxed); // fall back to asking every time
    }
}

fn shutting_down() -> PyErr {
    pyo3::exceptions::PyRuntimeError::new_err("avochato: the interpreter is shutting down")
}

/// A handle on this process's runtime (started on first use).
pub fn handle() -> PyResult<Handle> {
    if FINALIZING.load(Ordering::SeqCst) {
        return Err(shutting_down());
    }
    let pid = pid();
    let mut slot = RUNTIME.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((owner, rt)) = slot.as_ref()
        && *owner == pid
    {
        return Ok(rt.handle().clone());
    }
    if let Some(inherited) = slot.take() {
        // A fork's copy of the parent's runtime: its threads do not exist here.
        std::mem::forget(inherited);
        ATTACHING.store(0, Ordering::SeqCst);
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
    let handle = rt.handle().clone();
    *slot = Some((pid, rt));
    Ok(handle)
}

/// Runs `f` attached to the interpreter from a thread Python did not start (a runtime
/// worker); `None` once shutdown has started (then nothing may enter the interpreter).
pub fn attach<R>(f: impl for<'py> FnOnce(Python<'py>) -> R) -> Option<R> {
    ATTACHING.fetch_add(1, Ordering::SeqCst);
    let out = if FINALIZING.load(Ordering::SeqCst) {
        None
    } else {
        Python::try_attach(f)
    };
    ATTACHING.fetch_sub(1, Ordering::SeqCst);
    out
}

/// Called by Python's `atexit` (registered when the module loads): stops the runtime while
/// the interpreter is still valid. Calls still in flight fail; later calls are refused.
#[pyfunction]
pub fn _shutdown(py: Python<'_>) {
    FINALIZING.store(true, Ordering::SeqCst);
    let runtime = {
        let mut slot = RUNTIME.lock().unwrap_or_else(|e| e.into_inner());
        match slot.take() {
            Some((owner, rt)) if owner == pid() => Some(rt),
            Some(inherited) => {
                std::mem::forget(inherited);
                None
            }
            None => None,
        }
    };
    py.detach(|| {
        if let Some(rt) = runtime {
            rt.shutdown_timeout(SHUTDOWN_WAIT);
        }
        // Threads that were already entering the interpreter finish (the GIL is free).
        let deadline = Instant::now() + SHUTDOWN_WAIT;
        while ATTACHING.load(Ordering::SeqCst) > 0 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(1));
        }
    });
}

/// Leaves the interpreter for `wait`, and comes back only if it is not shutting down
/// (a daemon thread still waiting at exit parks instead, until the process ends).
fn detached<T: Send>(py: Python<'_>, wait: impl FnOnce() -> T + Send) -> T {
    let out = py.detach(|| {
        let out = wait();
        ATTACHING.fetch_add(1, Ordering::SeqCst);
        if FINALIZING.load(Ordering::SeqCst) {
            ATTACHING.fetch_sub(1, Ordering::SeqCst);
            loop {
                std::thread::park();
            }
        }
        out
    });
    ATTACHING.fetch_sub(1, Ordering::SeqCst);
    out
}

/// Runs `fut` on this process's runtime and waits for it with the GIL released. Every
/// [`SIGNAL_POLL`] the thread takes the GIL to run Python's signal handlers: an exception
/// they raise (`KeyboardInterrupt` after Ctrl-C) cancels the request and is raised.
pub fn block_on<F>(py: Python<'_>, fut: F) -> PyResult<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    if Handle::try_current().is_ok() {
        return Err(pyo3::exceptions::PyRuntimeError::new_err(
            "the blocking avochato.Client cannot be used from inside an async task of this SDK; use AsyncClient",
        ));
    }
    let slot = Arc::new(Slot::default());
    let filled = Filler(slot.clone());
    let task = handle()?.spawn(async move {
        let out = std::panic::AssertUnwindSafe(fut).catch_unwind().await;
        filled.fill(Some(out));
    });
    loop {
        match detached(py, || slot.wait(SIGNAL_POLL)) {
            Waited::Done(Ok(out)) => return Ok(out),
            Waited::Done(Err(panic)) => return Err(internal_error(py, panic.as_ref())),
            Waited::Pending => {
                if let Err(e) = py.check_signals() {
                    task.abort();
                    return Err(e);
                }
            }
            // The runtime dropped the task: it is shutting down.
            Waited::Dropped => return Err(shutting_down()),
        }
    }
}

/// Where a spawned call leaves its outcome for the thread waiting on it.
struct Slot<T> {
    value: Mutex<Option<Option<T>>>,
    ready: Condvar,
}

impl<T> Default for Slot<T> {
    fn default() -> Self {
        Slot {
            value: Mutex::new(None),
            ready: Condvar::new(),
        }
    }
}

enum Waited<T> {
    Done(T),
    Pending,
    Dropped,
}

impl<T> Slot<T> {
    fn wait(&self, at_most: std::time::Duration) -> Waited<T> {
        let guard = self.value.lock().unwrap_or_else(|e| e.into_inner());
        let (mut guard, _) = self
            .ready
            .wait_timeout_while(guard, at_most, |v| v.is_none())
            .unwrap_or_else(|e| e.into_inner());
        match guard.take() {
            Some(Some(v)) => Waited::Done(v),
            Some(None) => Waited::Dropped,
            None => Waited::Pending,
        }
    }
}

/// Fills the slot once; if the task is dropped unfinished, marks it dropped.
struct Filler<T>(Arc<Slot<T>>);

impl<T> Filler<T> {
    fn fill(&self, value: Option<T>) {
        let mut guard = self.0.value.lock().unwrap_or_else(|e| e.into_inner());
        if guard.is_none() {
            *guard = Some(value);
            self.0.ready.notify_all();
        }
    }
}

impl<T> Drop for Filler<T> {
    fn drop(&mut self) {
        self.fill(None);
    }
}

/// Runs the body of a Python-facing method: a panic becomes the package's `InternalError`
/// (pyo3 would raise `PanicException`, which `except Exception` does not catch).
pub fn guard<T>(py: Python<'_>, body: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(body)) {
        Ok(out) => out,
        Err(panic) => Err(internal_error(py, panic.as_ref())),
    }
}

/// A panic caught at the boundary, as the package's `InternalError`.
pub fn internal_error(py: Python<'_>, panic: &(dyn std::any::Any + Send)) -> PyErr {
    let what = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".to_string());
    py_err(py, &avochato::Error::internal(what))
}
