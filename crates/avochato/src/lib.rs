//! # avochato
//!
//! A typed client for the [Avochato API](https://www.avochato.com): business SMS, live
//! chat, broadcasts, contacts, tickets and users. All 64 documented operations, natively
//! (tokio + rustls). On `wasm32-unknown-unknown` the core is the JavaScript package's
//! sans-I/O half: parameter checks, request encoding, the retry and pagination rules,
//! errors and phone numbers; the package does the I/O with the host's `fetch`.
//!
//! ```no_run
//! # async fn demo() -> avochato::Result<()> {
//! use avochato::{Client, params::SendMessagesParams};
//! let client = Client::from_env()?;
//! let message = client.messages().send(SendMessagesParams::new("+14155551234", "Hello!")).await?;
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

#[cfg(not(target_arch = "wasm32"))]
mod client;
pub mod config;
mod cursor;
pub mod decode;
pub mod describe;
pub mod endpoint;
mod error;
#[cfg(not(target_arch = "wasm32"))]
pub mod explain;
pub mod models;
mod operations;
mod page;
#[cfg(not(target_arch = "wasm32"))]
mod pagination;
pub mod params;
mod phone;
pub mod proxy;
mod request;
mod resources;
pub mod retry;
mod rt;
mod secret;
mod text;
#[cfg(not(target_arch = "wasm32"))]
mod transport;
pub mod types;
pub mod validate;
pub mod wire;

#[cfg(feature = "python")]
pub mod python;

#[cfg(feature = "uniffi")]
mod uniffi_types;
#[cfg(feature = "uniffi")]
uniffi::setup_scaffolding!("avochato");

#[cfg(not(target_arch = "wasm32"))]
pub use client::{Call, Client};
pub use config::{ClientBuilder, Config};
pub use cursor::PageCursor;
pub use describe::{Check, Describe, DescribeType, FieldInfo, TypeInfo, TypeRef};
pub use endpoint::{Endpoint, HttpMethod, OperationSpec, PageStyle, Paginated, Shape};
pub use error::{Error, ErrorKind, Result};
pub use page::Page;
#[cfg(not(target_arch = "wasm32"))]
pub use pagination::{JsonPager, Pager};
pub use phone::{is_e164, normalize_phone};
pub use request::{Observer, RequestEvent, RequestOptions, Response, ResponseMeta};
pub use resources::*;
pub use secret::{REDACTED, Secret};
pub use types::{Ids, JsonMap, JsonValue, TimeRange, Timestamp};
