//! Ctrl-C (and SIGTERM) for bulk commands: the first asks the work to stop cleanly (finish
//! what is in flight, save progress); a second one exits at once.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// A flag set when the user asks to stop.
pub fn watch() -> Arc<AtomicBool> {
    let flag = Arc::new(AtomicBool::new(false));
    let set = flag.clone();
    tokio::spawn(async move {
        loop {
            wait_for_signal().await;
            if set.swap(true, Ordering::Relaxed) {
                eprintln!("stopping now");
                std::process::exit(i32::from(crate::error::EXIT_INTERRUPTED));
            }
            eprintln!("stopping after the requests in flight (press Ctrl-C again to quit at once)");
        }
    });
    flag
}

#[cfg(unix)]
async fn wait_for_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    match signal(SignalKind::terminate()) {
        Ok(mut term) => {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
        }
        Err(_) => {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

#[cfg(not(unix))]
async fn wait_for_signal() {
    let _ = tokio::signal::ctrl_c().await;
}
