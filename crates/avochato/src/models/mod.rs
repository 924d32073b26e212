//! Response objects, one per documented shape.
//!
//! Each model is declared with `#[avochato_macros::model]`: serde, `Describe` and a frozen
//! pyo3 class in place. Every model accepts missing optional fields and keeps the fields
//! the API sends that it does not list (in `extra`, or, for contacts, `custom_fields`),
//! writing them back at the top level; whole numbers may come as `2` or `2.0`. Fields the
//! reference only ever shows as `null` are typed [`JsonValue`] (their type is unknown).

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

/// Calls `$m!(Account, Whoami, ...)` with every response model that is a record, once: the
/// description list below and each host's model classes (Python's) expand it. (The one model
/// that is not a record, the [`Event`] union, is added where a list needs it.)
macro_rules! for_each_record_model {
    ($m:ident) => {
        $m! {
            Account,
            Whoami,
            RemovedContacts,
            Broadcast,
            AudienceCount,
            CallToken,
            Campaign,
            CampaignCancellation,
            Contact,
            TagDetail,
            CustomEvent,
            StatusChange,
            OwnerChange,
            CallEvent,
            Message,
            ScheduledMessage,
            SentRef,
            Tag,
            TagAction,
            Ticket,
            PreviousTicket,
            TicketUser,
            User,
            UserDetails,
            UserNotice,
            MfaPhoneResult,
        }
    };
}
#[cfg(feature = "python")]
pub(crate) use for_each_record_model;

macro_rules! model_infos {
    ($($T:ident),* $(,)?) => {
        &[$($T::INFO,)* Event::INFO]
    };
}

/// The description of every response model, for hosts that generate from them.
pub const MODELS: &[&crate::describe::TypeInfo] = {
    use crate::describe::Describe;
    for_each_record_model!(model_infos)
};

/// Every response model's description (see [`MODELS`]).
pub fn describe_all() -> &'static [&'static crate::describe::TypeInfo] {
    MODELS
}
