//! Parameter types, one per operation (operations sharing a route have their own).
//!
//! Required parameters are required by `new(...)`; optional ones have chainable setters.
//! Field names are the wire names, which JavaScript and Python use too.

mod accounts;
mod broadcasts;
mod campaigns;
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
pub use common::{CsvList, Direction, FieldMatch, Role, TicketStatus};
pub use contacts::*;
pub use events::*;
pub use messages::*;
pub use tags::*;
pub use tickets::*;
pub use users::*;

/// `id` or `email`, exactly one, each well-formed.
fn validate_user_ref(id: Option<&str>, email: Option<&str>) -> crate::Result<()> {
    crate::validate::one_of(("id", id), ("email", email))?;
    if let Some(id) = id {
        crate::validate::path_id("id", id)?;
    }
    if let Some(email) = email {
        crate::validate::email("email", email)?;
    }
    Ok(())
}

/// Declares a parameter type that only pages (`page`), with its validation.
macro_rules! page_only_params {
    ($($(#[$meta:meta])* $name:ident;)*) => {$(
        $(#[$meta])*
        #[avochato_macros::params]
        pub struct $name {
            /// Page to request (from 1).
            pub page: Option<u32>,
        }

        impl $crate::validate::Validate for $name {
            fn validate(&self) -> $crate::Result<()> {
                $crate::validate::opt_page(self.page)
            }
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
            pub page: Option<u32>,
        }

        impl $crate::validate::Validate for $name {
            fn validate(&self) -> $crate::Result<()> {
                $crate::validate::ids("ids", &self.ids)?;
                $crate::validate::opt_page(self.page)
            }
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

        impl $crate::validate::Validate for $name {
            fn validate(&self) -> $crate::Result<()> {
                Ok(())
            }
        }
    )*};
}
pub(crate) use empty_params;

/// The wire values of a described string enum of the inputs (`Role` → member, manager,
/// owner); `None` for any other type name.
pub fn enum_variants(name: &str) -> Option<&'static [&'static str]> {
    describe_inputs()
        .into_iter()
        .find(|t| t.name == name && !t.variants.is_empty())
        .map(|t| t.variants)
}

/// The description of every input type nested in parameters (ranges, enums, ...).
pub fn describe_inputs() -> Vec<&'static crate::describe::TypeInfo> {
    use crate::describe::Describe;
    vec![
        crate::types::TimeRange::describe(),
        FieldMatch::describe(),
        ContactInput::describe(),
        Direction::describe(),
        TicketStatus::describe(),
        Role::describe(),
    ]
}
