use crate::types::{JsonValue, Timestamp};

use super::User;

/// A broadcast: one message delivered to an audience of contacts.
#[avochato_macros::model]
pub struct Broadcast {
    /// The broadcast's id.
    pub id: String,
    /// Name.
    pub name: Option<String>,
    /// The message text (at most 1,600 characters).
    pub message: Option<String>,
    /// MMS media URL.
    pub media_url: Option<String>,
    /// Estimated SMS segments per recipient.
    pub estimated_segments_sms: Option<i64>,
    /// Estimated MMS segments per recipient.
    pub estimated_segments_mms: Option<i64>,
    /// URL receiving delivery updates.
    pub status_callback: Option<String>,
    /// `draft`, `scheduled`, `sending`, `completed`...
    pub status: Option<String>,
    /// Created.
    pub created_at: Option<Timestamp>,
    /// Last updated.
    pub updated_at: Option<Timestamp>,
    /// When it is scheduled to go out (0 when unscheduled).
    pub scheduled_for: Option<Timestamp>,
    /// When delivery finished.
    pub completed_at: Option<Timestamp>,
    /// The user who created it.
    pub user: Option<User>,
    /// The user replies are assigned to.
    pub assign_to_user_id: Option<JsonValue>,
    /// Delivery speed multiplier.
    pub boost_multiplier: Option<f64>,
    /// SMS errors by code.
    pub sms_errors: Option<JsonValue>,
    /// MMS errors by code.
    pub mms_errors: Option<JsonValue>,
    /// Audience size (absent in lists).
    pub audience: Option<i64>,
    /// Contacts added.
    pub contacts_count: Option<i64>,
    /// Messages attempted.
    pub attempted: Option<i64>,
    /// Messages delivered.
    pub delivered: Option<i64>,
    /// Messages not delivered.
    pub undelivered: Option<i64>,
    /// Recipients who responded.
    pub responded: Option<i64>,
    /// Recipients who replied STOP.
    pub replied_stop: Option<i64>,
    /// Contacts still being added to the audience.
    pub pending_contacts_count: Option<i64>,
}

/// A broadcast's audience size.
#[avochato_macros::model]
pub struct AudienceCount {
    /// Contacts in the audience.
    pub count: i64,
}

/// A token for placing a call from a client.
#[avochato_macros::model]
pub struct CallToken {
    /// The Twilio access token (null when calling is not set up).
    pub twilio_token: Option<String>,
    /// Data to pass with the call.
    pub twilio_payload: Option<JsonValue>,
}
