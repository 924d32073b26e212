//! # avochato
//!
//! A typed client for the [Avochato API](https://www.avochato.com): business SMS, live
//! chat, broadcasts, contacts, tickets and users. All 64 documented operations, on
//! native targets (tokio + rustls) and on `wasm32-unknown-unknown` (the host's `fetch`).
//!
//! ```no_run
//! # async fn demo() -> avochato::Result<()> {
//! use avochato::{Client, params::SendMessageParams};
//! let client = Client::from_env()?;
//! let message = client.messages().send(SendMessageParams::new("+14155551234", "Hello!")).await?;
//! println!("sent {}", message.event_id);
//! # Ok(()) }
//! ```
//!
//! Each operation is declared once in [`for_each_operation!`]; [`operations()`] lists them.
#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]
#![warn(missing_docs)]

extern crate self as avochato;

mod client;
pub mod config;
mod decode;
pub mod describe;
pub mod endpoint;
mod error;
#[cfg(target_arch = "wasm32")]
mod fetch;
pub mod models;
mod operations;
mod pagination;
pub mod params;
mod phone;
mod resources;
mod rt;
mod secret;
mod transport;
pub mod types;
pub mod validate;
pub mod wire;

#[cfg(feature = "python")]
pub mod python;

pub use client::{Call, Client, Observer, RequestEvent, RequestOptions, Response, ResponseMeta};
pub use config::{ClientBuilder, Config};
pub use describe::{Describe, FieldInfo, TypeInfo};
pub use endpoint::{Endpoint, HttpMethod, OperationSpec, PageStyle, Paginated, Shape};
pub use error::{Error, ErrorKind, Result};
pub use pagination::{JsonPager, Page, Pager};
pub use phone::{is_e164, normalize_phone};
pub use resources::*;
pub use secret::{REDACTED, Secret};
pub use types::{Ids, JsonMap, JsonValue, TimeRange, Timestamp};
