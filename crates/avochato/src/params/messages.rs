use avochato_macros::params;

use super::{CsvList, Direction, page_only_params};
use crate::Result;
use crate::types::{TimeRange, Timestamp};
use crate::validate::{self as v, Validate};

/// Writes the fields every way of sending a message shares.
macro_rules! send_fields {
    ($(#[$meta:meta])* pub struct $name:ident { $($head:tt)* }) => {
        $(#[$meta])*
        pub struct $name {
            $($head)*
            /// Mark the conversation addressed (sent as `"true"`/`"false"`, as documented).
            #[serde(deserialize_with = "crate::types::flag::lenient_opt", serialize_with = "crate::types::flag::as_word")]
            pub mark_addressed: Option<bool>,
            /// Media to send as MMS (500 KB limit).
            pub media_url: Option<String>,
            /// Tags to apply to the contact (a list, or one comma-separated string).
            pub tags: Option<CsvList>,
            /// URL receiving delivery status updates (HTTP POST).
            pub status_callback: Option<String>,
            /// Send on behalf of another user of this inbox, by id.
            pub send_as_user_id: Option<String>,
            /// Send on behalf of another user of this inbox, by email.
            pub send_as_user_email: Option<String>,
        }

        impl $name {
            fn validate_send_fields(&self) -> Result<()> {
                v::message("message", &self.message)?;
                v::opt_url("media_url", self.media_url.as_deref())?;
                v::opt_url("status_callback", self.status_callback.as_deref())?;
                if self.send_as_user_id.is_some() && self.send_as_user_email.is_some() {
                    return Err(crate::Error::validation(
                        "send_as_user_id",
                        "give `send_as_user_id` or `send_as_user_email`, not both",
                    ));
                }
                if let Some(e) = &self.send_as_user_email {
                    v::email("send_as_user_email", e)?;
                }
                Ok(())
            }
        }
    };
}

send_fields! {
    /// Send Message to a contact by phone number.
    #[params]
    pub struct SendMessageParams {
        /// Phone number to send to.
        #[describe(alias = "to")]
        pub phone: String,
        /// The text to send (at most 1,600 characters).
        #[describe(alias = "text")]
        pub message: String,
        /// Inbox number to send from (E.164; must belong to this inbox).
        pub from: Option<String>,
    }
}

send_fields! {
    /// Send a Scheduled Message: deliver at `scheduled_for`.
    #[params]
    pub struct ScheduleMessageParams {
        /// Phone number to send to.
        #[describe(alias = "to")]
        pub phone: String,
        /// The text to send (at most 1,600 characters).
        #[describe(alias = "text")]
        pub message: String,
        /// When to send (Unix seconds).
        pub scheduled_for: Timestamp,
        /// Inbox number to send from (E.164; must belong to this inbox).
        pub from: Option<String>,
    }
}

send_fields! {
    /// Send Live Chat Message to an active live-chat session.
    #[params]
    pub struct SendLiveChatParams {
        /// The live-chat contact identifier (`avochato:c:XXXX-YYYY-ZZZZ`).
        #[describe(alias = "to")]
        pub phone: String,
        /// The text to send (at most 1,600 characters).
        #[describe(alias = "text")]
        pub message: String,
    }
}

impl Validate for SendMessageParams {
    fn validate(&self) -> Result<()> {
        v::phone_like("phone", &self.phone)?;
        v::opt_e164("from", self.from.as_deref())?;
        self.validate_send_fields()
    }
}

impl Validate for ScheduleMessageParams {
    fn validate(&self) -> Result<()> {
        v::phone_like("phone", &self.phone)?;
        v::opt_e164("from", self.from.as_deref())?;
        if !self.scheduled_for.as_secs().is_finite() || self.scheduled_for.as_secs() <= 0.0 {
            return Err(crate::Error::validation(
                "scheduled_for",
                "must be a Unix timestamp",
            ));
        }
        self.validate_send_fields()
    }
}

impl Validate for SendLiveChatParams {
    fn validate(&self) -> Result<()> {
        v::phone_like("phone", &self.phone)?;
        if !self.phone.starts_with("avochato:") {
            return Err(crate::Error::validation(
                "phone",
                format!(
                    "{:?} is not a live-chat identifier (avochato:c:...)",
                    self.phone
                ),
            ));
        }
        self.validate_send_fields()
    }
}

/// Cancel Scheduled Message, by its event id.
#[params]
pub struct CancelScheduledMessageParams {
    /// Event id of the scheduled message.
    #[describe(positional)]
    pub id: String,
}

/// Get Message, by its event id.
#[params]
pub struct GetMessageParams {
    /// Event id of the message.
    #[describe(positional)]
    pub id: String,
}

impl Validate for CancelScheduledMessageParams {
    fn validate(&self) -> Result<()> {
        v::path_id("id", &self.id)
    }
}

impl Validate for GetMessageParams {
    fn validate(&self) -> Result<()> {
        v::path_id("id", &self.id)
    }
}

page_only_params! {
    /// List All Messages.
    ListMessagesParams;
}

/// Writes the filters shared by the message searches.
macro_rules! message_filters {
    ($(#[$meta:meta])* pub struct $name:ident { $($head:tt)* }) => {
        $(#[$meta])*
        pub struct $name {
            $($head)*
            /// Page to request (from 1).
            pub page: Option<u32>,
            /// Sent from this phone number.
            pub from: Option<String>,
            /// Sent to this phone number.
            pub to: Option<String>,
            /// Sent or received by this contact.
            pub contact_id: Option<String>,
            /// Within this ticket.
            pub ticket_id: Option<String>,
            /// Sent by this user.
            pub sender_id: Option<String>,
        }
    };
}

message_filters! {
    /// Search Messages.
    #[params]
    pub struct SearchMessagesParams {
        /// The search (default: every message).
        pub query: Option<String>,
        /// `in` (received) or `out` (sent).
        pub direction: Option<Direction>,
        /// Delivery status: `queued`, `delivered`, `undelivered`, `failed`.
        pub status: Option<String>,
        /// Only messages created in this window.
        pub created_at: Option<TimeRange>,
    }
}

message_filters! {
    /// Search Messages by timestamp: messages created in a window.
    #[params]
    pub struct SearchMessagesByTimestampParams {
        /// The window (`created_at[from]`/`created_at[to]`).
        pub created_at: TimeRange,
        /// The search (default: every message).
        pub query: Option<String>,
        /// `in` (received) or `out` (sent).
        pub direction: Option<Direction>,
        /// Delivery status: `queued`, `delivered`, `undelivered`, `failed`.
        pub status: Option<String>,
        /// `document` flag, as the documented example sends it.
        #[serde(deserialize_with = "crate::types::flag::lenient_opt")]
        pub document: Option<bool>,
    }
}

message_filters! {
    /// Search Scheduled Messages (not broadcasts).
    #[params]
    pub struct SearchScheduledParams {
        /// The search (default: every scheduled message).
        pub query: Option<String>,
        /// Scheduled to go out in this window.
        pub scheduled_for: Option<TimeRange>,
        /// Created in this window.
        pub created_at: Option<TimeRange>,
    }
}

message_filters! {
    /// Search Scheduled Messages by scheduled date.
    #[params]
    pub struct SearchScheduledByDateParams {
        /// The window (`scheduled_for[from]`/`scheduled_for[to]`).
        pub scheduled_for: TimeRange,
        /// The search (default: every scheduled message).
        pub query: Option<String>,
        /// Created in this window.
        pub created_at: Option<TimeRange>,
        /// `document` flag, as the documented example sends it.
        #[serde(deserialize_with = "crate::types::flag::lenient_opt")]
        pub document: Option<bool>,
    }
}

message_filters! {
    /// Search Scheduled Uncancelled Messages (sends `query=aborted: false`).
    #[params]
    pub struct SearchScheduledUncancelledParams {
        /// Scheduled to go out in this window.
        pub scheduled_for: Option<TimeRange>,
        /// Created in this window.
        pub created_at: Option<TimeRange>,
        /// `document` flag, as the documented example sends it.
        #[serde(deserialize_with = "crate::types::flag::lenient_opt")]
        pub document: Option<bool>,
    }
}

fn window(param: &str, r: &TimeRange) -> Result<()> {
    if r.from.is_none() && r.to.is_none() {
        return Err(crate::Error::validation(param, "give `from`, `to` or both"));
    }
    if let (Some(a), Some(b)) = (r.from, r.to)
        && a > b
    {
        return Err(crate::Error::validation(param, "`from` is after `to`"));
    }
    Ok(())
}

fn opt_window(param: &str, r: Option<&TimeRange>) -> Result<()> {
    r.map_or(Ok(()), |r| window(param, r))
}

impl Validate for SearchMessagesParams {
    fn validate(&self) -> Result<()> {
        v::opt_page(self.page)?;
        opt_window("created_at", self.created_at.as_ref())
    }
}

impl Validate for SearchMessagesByTimestampParams {
    fn validate(&self) -> Result<()> {
        v::opt_page(self.page)?;
        window("created_at", &self.created_at)
    }
}

impl Validate for SearchScheduledParams {
    fn validate(&self) -> Result<()> {
        v::opt_page(self.page)?;
        opt_window("scheduled_for", self.scheduled_for.as_ref())?;
        opt_window("created_at", self.created_at.as_ref())
    }
}

impl Validate for SearchScheduledByDateParams {
    fn validate(&self) -> Result<()> {
        v::opt_page(self.page)?;
        window("scheduled_for", &self.scheduled_for)?;
        opt_window("created_at", self.created_at.as_ref())
    }
}

impl Validate for SearchScheduledUncancelledParams {
    fn validate(&self) -> Result<()> {
        v::opt_page(self.page)?;
        opt_window("scheduled_for", self.scheduled_for.as_ref())?;
        opt_window("created_at", self.created_at.as_ref())
    }
}
