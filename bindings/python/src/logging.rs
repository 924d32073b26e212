//! Requests and retries reported through Python's `logging` (logger `avochato`).
//!
//! Events come from the runtime's threads. Which levels the logger is enabled for is looked
//! up on Python threads (when a call starts, at most once a second); an I/O thread takes
//! the GIL only to log a record at an enabled level, and never once the interpreter is
//! shutting down. A failed attempt is DEBUG (the error is raised to the caller, or the
//! attempt is retried, which is INFO): nothing reaches stderr unless logging is set up.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use avochato::{Observer, RequestEvent};
use pyo3::prelude::*;

const DEBUG: i32 = 10;
const INFO: i32 = 20;

pub struct PyLogging {
    logger: Py<PyAny>,
    debug: AtomicBool,
    info: AtomicBool,
    checked_ms: AtomicU64,
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

impl PyLogging {
    pub fn new(py: Python<'_>) -> PyResult<PyLogging> {
        let logger = py.import("avochato._log")?.call_method0("setup")?.unbind();
        Ok(PyLogging {
            logger,
            debug: AtomicBool::new(false),
            info: AtomicBool::new(false),
            checked_ms: AtomicU64::new(0),
        })
    }

    /// Reads the logger's levels again (on a Python thread, at most once a second). An
    /// error from `isEnabledFor` (a signal handler's exception, say) is raised.
    pub fn refresh(&self, py: Python<'_>) -> PyResult<()> {
        let now = now_ms();
        if now.saturating_sub(self.checked_ms.load(Ordering::Relaxed)) < 1000 {
            return Ok(());
        }
        let check = |lvl: i32| -> PyResult<bool> {
            self.logger
                .call_method1(py, "isEnabledFor", (lvl,))?
                .extract::<bool>(py)
        };
        self.debug.store(check(DEBUG)?, Ordering::Relaxed);
        self.info.store(check(INFO)?, Ordering::Relaxed);
        self.checked_ms.store(now, Ordering::Relaxed);
        Ok(())
    }

    fn enabled(&self, level: i32) -> bool {
        match level {
            DEBUG => self.debug.load(Ordering::Relaxed),
            _ => self.info.load(Ordering::Relaxed),
        }
    }
}

impl Observer for PyLogging {
    fn on_event(&self, event: &RequestEvent) {
        let (level, message) = match event {
            RequestEvent::Sending {
                method,
                target,
                attempt,
            } => (DEBUG, format!("{method} {target} (attempt {attempt})")),
            RequestEvent::Received {
                method,
                target,
                status,
                request_id,
                elapsed_ms,
            } => (
                DEBUG,
                format!(
                    "{method} {target} -> {status} in {elapsed_ms:.1} ms [request id {}]",
                    request_id.as_deref().unwrap_or("-")
                ),
            ),
            RequestEvent::Retrying {
                method,
                target,
                attempt,
                reason,
                wait,
            } => (
                INFO,
                format!(
                    "retrying {method} {target} after {reason} in {:.2} s (attempt {attempt} failed)",
                    wait.as_secs_f64()
                ),
            ),
            RequestEvent::Failed {
                method,
                target,
                error,
            } => (DEBUG, format!("{method} {target} failed: {error}")),
        };
        if self.enabled(level) {
            crate::runtime::attach(|py| {
                if let Err(e) = self.logger.call_method1(py, "log", (level, message)) {
                    e.write_unraisable(py, Some(self.logger.bind(py)));
                }
            });
        }
    }
}
