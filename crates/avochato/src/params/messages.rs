use avochato_macros::params;

use super::{CsvList, Direction, page_only_params};
use crate::types::{TimeRange, Timestamp};

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
            #[check(url)]
            pub media_url: Option<String>,
            /// Tags to apply to the contact (a list, or one comma-separated string).
            pub tags: Option<CsvList>,
            /// URL receiving delivery status updates (HTTP POST).
            #[check(url)]
            pub status_callback: Option<String>,
            /// Send on behalf of another user of this inbox, by id.
            pub send_as_user_id: Option<String>,
            /// Send on behalf of another user of this inbox, by email.
            #[check(email)]
            pub send_as_user_email: Option<String>,
        }

    };
}

send_fields! {
    /// Send Message to a contact by phone number.
    #[params]
    #[check(not_both(send_as_user_id, send_as_user_email))]
    pub struct SendMessagesParams {
        /// Phone number to send to.
        #[describe(alias = "to")]
        #[check(phone)]
        pub phone: String,
        /// The text to send (at most 1,600 characters).
        #[describe(alias = "text")]
        #[check(message)]
        pub message: String,
        /// Inbox number to send from (E.164; must belong to this inbox).
        #[check(e164)]
        pub from: Option<String>,
    }
}

send_fields! {
    /// Send a Scheduled Message: deliver at `scheduled_for`.
    #[params]
    #[check(not_both(send_as_user_id, send_as_user_email))]
    pub struct ScheduleMessagesParams {
        /// Phone number to send to.
        #[describe(alias = "to")]
        #[check(phone)]
        pub phone: String,
        /// The text to send (at most 1,600 characters).
        #[describe(alias = "text")]
        #[check(message)]
        pub message: String,
        /// When to send (Unix seconds).
        #[check(range(1, i64::MAX))]
        pub scheduled_for: Timestamp,
        /// Inbox number to send from (E.164; must belong to this inbox).
        #[check(e164)]
        pub from: Option<String>,
    }
}

send_fields! {
    /// Send Live Chat Message to an active live-chat session.
    #[params]
    #[check(not_both(send_as_user_id, send_as_user_email))]
    pub struct SendLiveChatMessagesParams {
        /// The live-chat contact identifier (`avochato:c:XXXX-YYYY-ZZZZ`).
        #[describe(alias = "to")]
        #[check(not_blank, live_chat)]
        pub phone: String,
        /// The text to send (at most 1,600 characters).
        #[describe(alias = "text")]
        #[check(message)]
        pub message: String,
    }
}

/// Cancel Scheduled Message, by its event id.
#[params]
pub struct CancelMessagesParams {
    /// Event id of the scheduled message.
    #[describe(positional)]
    pub id: String,
}

/// Get Message, by its event id.
#[params]
pub struct GetMessagesParams {
    /// Event id of the message.
    #[describe(positional)]
    pub id: String,
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
            #[check(range(1, i64::MAX))]
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
        #[check(window)]
        pub created_at: Option<TimeRange>,
    }
}

message_filters! {
    /// Search Messages by timestamp: messages created in a window.
    #[params]
    pub struct SearchByTimestampMessagesParams {
        /// The window (`created_at[from]`/`created_at[to]`).
        #[check(window)]
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
    pub struct SearchScheduledMessagesParams {
        /// The search (default: every scheduled message).
        pub query: Option<String>,
        /// Scheduled to go out in this window.
        #[check(window)]
        pub scheduled_for: Option<TimeRange>,
        /// Created in this window.
        #[check(window)]
        pub created_at: Option<TimeRange>,
    }
}

message_filters! {
    /// Search Scheduled Messages by scheduled date.
    #[params]
    pub struct SearchScheduledByDateMessagesParams {
        /// The window (`scheduled_for[from]`/`scheduled_for[to]`).
        #[check(window)]
        pub scheduled_for: TimeRange,
        /// The search (default: every scheduled message).
        pub query: Option<String>,
        /// Created in this window.
        #[check(window)]
        pub created_at: Option<TimeRange>,
        /// `document` flag, as the documented example sends it.
        #[serde(deserialize_with = "crate::types::flag::lenient_opt")]
        pub document: Option<bool>,
    }
}

message_filters! {
    /// Search Scheduled Uncancelled Messages (sends `query=aborted: false`).
    #[params]
    pub struct SearchScheduledUncancelledMessagesParams {
        /// Scheduled to go out in this window.
        #[check(window)]
        pub scheduled_for: Option<TimeRange>,
        /// Created in this window.
        #[check(window)]
        pub created_at: Option<TimeRange>,
        /// `document` flag, as the documented example sends it.
        #[serde(deserialize_with = "crate::types::flag::lenient_opt")]
        pub document: Option<bool>,
    }
}
