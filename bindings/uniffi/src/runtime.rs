//! Where calls run: one tokio runtime for the process, and the guards that turn a panic
//! into `AvochatoException.InternalException` instead of letting it reach the JVM.
//!
//! Every call is spawned onto the runtime. A `suspend fun` awaits the task (the coroutine's
//! thread is never blocked; cancelling the coroutine aborts the task); a `...Blocking`
//! method waits for it on the caller's thread. A panic inside the task ends the task, not
//! the process, and comes back as the internal error.

use std::any::Any;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::sync::OnceLock;
use std::sync::mpsc::sync_channel;
use std::task::{Context, Poll};

use tokio::runtime::Runtime;
use tokio::task::{JoinError, JoinHandle};

use crate::error::AvochatoError;

/// Worker threads of the runtime: the calls are I/O-bound.
const WORKERS: usize = 2;

static RUNTIME: OnceLock<Result<Runtime, String>> = OnceLock::new();

fn runtime() -> Result<&'static Runtime, AvochatoError> {
    RUNTIME
        .get_or_init(|| {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(WORKERS)
                .thread_name("avochato-io")
                .enable_all()
                .build()
                .map_err(|e| format!("could not start the I/O runtime: {e}"))
        })
        .as_ref()
        .map_err(|e| AvochatoError::internal(e.clone()))
}

/// The text of a panic's payload.
fn panic_text(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic".to_string()
    }
}

fn joined<T>(result: Result<avochato::Result<T>, JoinError>) -> Result<T, AvochatoError> {
    match result {
        Ok(r) => r.map_err(AvochatoError::from),
        Err(e) if e.is_panic() => Err(AvochatoError::internal(panic_text(&*e.into_panic()))),
        Err(_) => Err(AvochatoError::internal("the call was cancelled")),
    }
}

/// Runs `f`, turning a panic into the internal error.
pub fn guard<T>(f: impl FnOnce() -> Result<T, AvochatoError>) -> Result<T, AvochatoError> {
    catch_unwind(AssertUnwindSafe(f))
        .unwrap_or_else(|payload| Err(AvochatoError::internal(panic_text(&*payload))))
}

/// A task that is aborted when its handle is dropped (a cancelled coroutine).
struct AbortOnDrop<T>(JoinHandle<T>);

impl<T> Future for AbortOnDrop<T> {
    type Output = Result<T, JoinError>;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut self.0).poll(cx)
    }
}

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// One call: every operation's future has this type, its result boxed (see
/// [`downcast`]), so the spawning and waiting code exists once in the library.
pub type Task =
    Pin<Box<dyn Future<Output = avochato::Result<Box<dyn Any + Send>>> + Send + 'static>>;

/// A task's result as the type the method returns.
pub fn downcast<T: 'static>(result: Box<dyn Any + Send>) -> Result<T, AvochatoError> {
    result
        .downcast::<T>()
        .map(|b| *b)
        .map_err(|_| AvochatoError::internal("a call returned an unexpected type"))
}

/// Runs `task` on the runtime and awaits it (for a `suspend fun`).
pub async fn run(task: Task) -> Result<Box<dyn Any + Send>, AvochatoError> {
    let handle = AbortOnDrop(runtime()?.spawn(task));
    joined(handle.await)
}

/// Runs `task` on the runtime and waits for it on this thread (for Java's blocking
/// methods). Safe from any thread, also one the runtime woke a coroutine on.
pub fn block(task: Task) -> Result<Box<dyn Any + Send>, AvochatoError> {
    let rt = runtime()?;
    let handle = rt.spawn(task);
    let (tx, rx) = sync_channel(1);
    rt.spawn(async move {
        let _ = tx.send(handle.await);
    });
    match rx.recv() {
        Ok(result) => joined(result),
        Err(_) => Err(AvochatoError::internal("the I/O runtime stopped")),
    }
}
