use avochato_macros::params;

use super::{CsvList, FieldMatch, fetch_params};
use crate::types::{TimeRange, Timestamp};

/// Audience Count: how many contacts a broadcast reaches.
#[params]
pub struct AudienceCountBroadcastsParams {
    /// The broadcast's id.
    #[describe(positional)]
    pub id: String,
}

/// Create Broadcast: a draft, with its audience.
#[params]
pub struct CreateBroadcastsParams {
    /// The message (at most 1,600 characters; `$first_name` and similar are filled in).
    #[check(message)]
    pub message: String,
    /// URL of media to send as MMS (500 KB limit).
    #[check(url)]
    pub media_url: Option<String>,
    /// URL receiving status updates for each message the broadcast sends.
    #[check(url)]
    pub status_callback: Option<String>,
    /// Name of the broadcast.
    pub name: Option<String>,
    /// Add contacts with these tags.
    pub via_tags: Option<CsvList>,
    /// Add these contacts by id.
    pub via_contact_ids: Option<CsvList>,
    /// Add these phone numbers.
    #[check(phone)]
    pub via_phone_numbers: Option<CsvList>,
    /// Add contacts whose field equals a value.
    pub via_field: Option<FieldMatch>,
}

fetch_params! {
    /// Fetch Broadcast(s) by id.
    FetchBroadcastsParams;
}

/// List Broadcasts, optionally by creation time.
#[params]
pub struct ListBroadcastsParams {
    /// Page to request (from 1).
    #[check(range(1, i64::MAX))]
    pub page: Option<u32>,
    /// Only broadcasts created in this window (`created_at[from]`/`created_at[to]`).
    #[check(window)]
    pub created_at: Option<TimeRange>,
}

/// Publish Broadcast: now (`asap`) or at `scheduled_for`.
#[params]
pub struct PublishBroadcastsParams {
    /// The broadcast's id.
    #[describe(positional)]
    pub id: String,
    /// Deliver at this time (Unix seconds).
    #[check(range(1, i64::MAX))]
    pub scheduled_for: Option<Timestamp>,
    /// Ignore `scheduled_for` and send as soon as possible.
    #[serde(deserialize_with = "crate::types::flag::lenient_opt")]
    pub asap: Option<bool>,
}

/// Update Broadcast: change it or add more contacts.
#[params]
pub struct UpdateBroadcastsParams {
    /// The broadcast's id.
    #[describe(positional)]
    pub id: String,
    /// The message (at most 1,600 characters).
    #[check(message)]
    pub message: Option<String>,
    /// URL of media to send as MMS (500 KB limit).
    #[check(url)]
    pub media_url: Option<String>,
    /// Name of the broadcast.
    pub name: Option<String>,
    /// Add contacts with these tags.
    pub via_tags: Option<CsvList>,
    /// Add these contacts by id.
    pub via_contact_ids: Option<CsvList>,
    /// Add these phone numbers.
    #[check(phone)]
    pub via_phone_numbers: Option<CsvList>,
    /// Add contacts whose field equals a value.
    pub via_field: Option<FieldMatch>,
}
