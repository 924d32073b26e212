//! Parameter types, one per operation (operations sharing a route have their own).
//!
//! Required parameters are required by `new(...)`; optional ones have chainable setters.
//! Field names are the wire names, which JavaScript and Python use too.

mod accounts;
mod broadcasts;
mod campaigns;
pub mod check;
mod common;
mod contacts;
mod events;
mod messages;
mod tags;
mod tickets;
mod users;

pub use accounts::*;
pub use broadcasts::*;
pub use campaigns::*;
pub use check::{check, check_field, check_type};
pub use common::{CsvList, Direction, FieldMatch, Role, TicketStatus};
pub use contacts::*;
pub use events::*;
pub use messages::*;
pub use tags::*;
pub use tickets::*;
pub use users::*;

/// Declares a parameter type that only pages (`page`), with its validation.
macro_rules! page_only_params {
    ($($(#[$meta:meta])* $name:ident;)*) => {$(
        $(#[$meta])*
        #[avochato_macros::params]
        pub struct $name {
            /// Page to request (from 1).
            #[check(range(1, i64::MAX))]
            pub page: Option<u32>,
        }
    )*};
}
pub(crate) use page_only_params;

/// Declares a fetch-by-ids parameter type (`ids`, `page`), with its validation.
macro_rules! fetch_params {
    ($($(#[$meta:meta])* $name:ident;)*) => {$(
        $(#[$meta])*
        #[avochato_macros::params]
        pub struct $name {
            /// The ids to fetch (one, or several: sent comma-separated).
            #[describe(positional)]
            pub ids: $crate::types::Ids,
            /// Page to request (from 1).
            #[check(range(1, i64::MAX))]
            pub page: Option<u32>,
        }
    )*};
}
pub(crate) use fetch_params;

/// Declares a parameter type with no parameters.
macro_rules! empty_params {
    ($($(#[$meta:meta])* $name:ident;)*) => {$(
        $(#[$meta])*
        #[avochato_macros::params]
        #[derive(Default)]
        pub struct $name {}
    )*};
}
pub(crate) use empty_params;

/// The description of every input type nested in parameters (enums, nested structs),
/// for hosts that generate from them.
pub const INPUTS: &[&crate::describe::TypeInfo] = {
    use crate::describe::Describe;
    &[
        FieldMatch::INFO,
        ContactInput::INFO,
        Direction::INFO,
        TicketStatus::INFO,
        Role::INFO,
    ]
};
