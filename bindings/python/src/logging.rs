//! Requests and retries reported through Python's `logging` (logger `avochato`).
//!
//! Events come from I/O threads; the GIL is taken only when the logger is enabled for the
//! event's level, which is looked up at most once a second.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use avochato::{Observer, RequestEvent};
use pyo3::prelude::*;

const DEBUG: i32 = 10;
const INFO: i32 = 20;
const WARNING: i32 = 30;

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
        let logger = py
            .import("logging")?
            .call_method1("getLogger", ("avochato",))?
            .unbind();
        Ok(PyLogging {
            logger,
            debug: AtomicBool::new(false),
            info: AtomicBool::new(true),
            checked_ms: AtomicU64::new(0),
        })
    }

    fn enabled(&self, level: i32) -> bool {
        let now = now_ms();
        if now.saturating_sub(self.checked_ms.load(Ordering::Relaxed)) > 1000 {
            self.checked_ms.store(now, Ordering::Relaxed);
            Python::attach(|py| {
                let check = |lvl: i32| {
                    self.logger
                        .call_method1(py, "isEnabledFor", (lvl,))
                        .and_then(|r| r.extract::<bool>(py))
                        .unwrap_or(false)
                };
                self.debug.store(check(DEBUG), Ordering::Relaxed);
                self.info.store(check(INFO), Ordering::Relaxed);
            });
        }
        match level {
            DEBUG => self.debug.load(Ordering::Relaxed),
            INFO => self.info.load(Ordering::Relaxed),
            _ => true,
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
            } => (WARNING, format!("{method} {target} failed: {error}")),
        };
        if self.enabled(level) {
            Python::attach(|py| {
                let _ = self.logger.call_method1(py, "log", (level, message));
            });
        }
    }
}
