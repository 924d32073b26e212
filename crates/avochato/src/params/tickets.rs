use avochato_macros::params;

use super::{TicketStatus, fetch_params, page_only_params};
use crate::types::Ids;

/// Declares a parameter type that only names tickets (`ids`).
macro_rules! ticket_ids_params {
    ($($(#[$meta:meta])* $name:ident;)*) => {$(
        $(#[$meta])*
        #[params]
        pub struct $name {
            /// The tickets' ids.
            #[describe(positional)]
            pub ids: Ids,
        }

    )*};
}

ticket_ids_params! {
    /// Auto Assign: reassign tickets to someone on the Auto Assignment Roster
    /// (sends `user_id=autoassign`).
    AutoassignTicketsParams;
    /// Unassign tickets (sends `user_id=unassign`).
    UnassignTicketsParams;
    /// Close a Ticket (sends `status=Closed`; also marks it addressed).
    CloseTicketsParams;
}

/// Update Assignment with user_id.
#[params]
pub struct AssignTicketsParams {
    /// The tickets' ids.
    #[describe(positional)]
    pub ids: Ids,
    /// The new owner's user id.
    #[check(not_blank, reserved("autoassign", "unassign"))]
    pub user_id: String,
}

/// Update Assignment with user_email.
#[params]
pub struct AssignByEmailTicketsParams {
    /// The tickets' ids.
    #[describe(positional)]
    pub ids: Ids,
    /// The new owner's email.
    #[check(email)]
    pub user_email: String,
}

/// Update Status of tickets.
#[params]
pub struct UpdateStatusTicketsParams {
    /// The tickets' ids.
    #[describe(positional)]
    pub ids: Ids,
    /// `New`, `Open`, `Pending` or `Closed`.
    pub status: TicketStatus,
}

/// Update Unaddressed: mark tickets addressed (`false`) or unaddressed (`true`).
#[params]
pub struct SetUnaddressedTicketsParams {
    /// The tickets' ids.
    #[describe(positional)]
    pub ids: Ids,
    /// Whether the tickets remain unaddressed.
    #[serde(deserialize_with = "crate::types::flag::lenient")]
    pub unaddressed: bool,
}

/// Fetch Previous Tickets of a ticket's contact.
#[params]
pub struct PreviousTicketsParams {
    /// The source ticket's id.
    #[describe(positional)]
    pub id: String,
}

fetch_params! {
    /// Fetch Tickets by id.
    FetchTicketsParams;
}

page_only_params! {
    /// List all Tickets.
    ListTicketsParams;
}

/// Search Tickets (`status:Open`, ...).
#[params]
pub struct SearchTicketsParams {
    /// The search (default: every ticket).
    pub query: Option<String>,
    /// Page to request (from 1).
    #[check(range(1, i64::MAX))]
    pub page: Option<u32>,
}
