//! Response objects, one per documented shape.
//!
//! Every model accepts unknown extra fields and missing optional fields. Fields the
//! reference only ever shows as `null` are typed [`JsonValue`] (their type is unknown).

/// Declares a model with its host annotations in place: serde, `Describe`, tsify
/// (`null` for absent values, plain objects for maps) and a frozen pyo3 class.
macro_rules! model {
    ($(#[$meta:meta])* pub struct $name:ident { $($body:tt)* }) => {
        $(#[$meta])*
        #[cfg_attr(feature = "python", pyo3::pyclass(get_all, frozen, eq, module = "avochato"))]
        #[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize, avochato_macros::Describe)]
        #[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(missing_as_null, hashmap_as_object))]
        pub struct $name { $($body)* }
    };
}

mod account;
mod broadcast;
mod campaign;
mod contact;
mod event;
mod message;
mod tag;
mod ticket;
mod user;

pub use account::{Account, RemovedContacts, Whoami};
pub use broadcast::{AudienceCount, Broadcast, CallToken};
pub use campaign::{Campaign, CampaignCancellation};
pub use contact::{Contact, TagDetail};
pub use event::{CallEvent, CustomEvent, Event, OwnerChange, StatusChange};
pub use message::{Message, ScheduledMessage, SentRef};
pub use tag::{Tag, TagAction};
pub use ticket::{PreviousTicket, Ticket, TicketUser};
pub use user::{MfaPhoneResult, User, UserDetails, UserNotice};

#[allow(unused_imports)]
use crate::types::{JsonMap, JsonValue, Timestamp};

/// The description of every response model, for hosts that generate from them.
pub fn describe_all() -> Vec<&'static crate::describe::TypeInfo> {
    use crate::describe::Describe;
    vec![
        Account::describe(),
        Whoami::describe(),
        RemovedContacts::describe(),
        Broadcast::describe(),
        AudienceCount::describe(),
        CallToken::describe(),
        Campaign::describe(),
        CampaignCancellation::describe(),
        Contact::describe(),
        TagDetail::describe(),
        CustomEvent::describe(),
        StatusChange::describe(),
        OwnerChange::describe(),
        CallEvent::describe(),
        Event::describe(),
        Message::describe(),
        ScheduledMessage::describe(),
        SentRef::describe(),
        Tag::describe(),
        TagAction::describe(),
        Ticket::describe(),
        PreviousTicket::describe(),
        TicketUser::describe(),
        User::describe(),
        UserDetails::describe(),
        UserNotice::describe(),
        MfaPhoneResult::describe(),
    ]
}
