//! # avochato-mock
//!
//! A stateful local stand-in of the Avochato API: all 64 documented operations with the
//! documented response shapes, inboxes, auth, per-credential rate limiting, fault
//! injection and a request recorder, on loopback. Every test and the demo run against it.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let mock = avochato_mock::spawn(avochato_mock::MockConfig::default()).await?;
//! println!("{} (auth {} / {})", mock.url(), mock.auth_id(), mock.auth_secret());
//! mock.stop().await;
//! # Ok(()) }
//! ```

mod api;
mod app;
mod canned;
mod control;
mod faults;
mod http;
mod limiter;
mod nest;
mod params;
mod recorder;
mod redact;
mod routes;
mod search;
mod server;
mod state;

pub use canned::Canned;
pub use faults::{Fault, FaultKind};
pub use recorder::Recorded;
pub use server::{BackgroundMock, MockConfig, MockServer, spawn, spawn_background};
pub use state::{FOREIGN_INBOX, INBOX_NUMBER, SECOND_INBOX, Seed};
