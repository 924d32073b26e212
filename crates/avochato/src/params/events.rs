use avochato_macros::params;

use super::fetch_params;

/// Add Event (Contact id): append a custom event to a contact's conversation.
#[params]
pub struct AddToContactEventsParams {
    /// The contact's id.
    #[describe(positional)]
    pub id: String,
    /// The kind of event: `click`, `sale`, ...
    #[serde(rename = "type")]
    #[check(not_blank)]
    pub event_type: String,
    /// What happened.
    pub context: Option<String>,
    /// Value created for your team.
    #[serde(serialize_with = "crate::types::finite_opt")]
    pub revenue: Option<f64>,
}

/// Add Event (Phone): append a custom event to a conversation, by phone number.
#[params]
pub struct AddByPhoneEventsParams {
    /// Phone number of the contact.
    #[check(phone)]
    pub phone: String,
    /// The kind of event: `click`, `sale`, ...
    #[serde(rename = "type")]
    #[check(not_blank)]
    pub event_type: String,
    /// What happened.
    pub context: Option<String>,
    /// Value created for your team.
    #[serde(serialize_with = "crate::types::finite_opt")]
    pub revenue: Option<f64>,
}

/// Add Event (Ticket id): append a custom event to a conversation.
#[params]
pub struct AddToTicketEventsParams {
    /// The ticket's id.
    #[describe(positional)]
    pub id: String,
    /// The kind of event: `click`, `sale`, ...
    #[serde(rename = "type")]
    #[check(not_blank)]
    pub event_type: String,
    /// What happened.
    pub context: Option<String>,
    /// Value created for your team.
    #[serde(serialize_with = "crate::types::finite_opt")]
    pub revenue: Option<f64>,
}

fetch_params! {
    /// Fetch Events: the event streams of tickets.
    FetchEventsParams;
}
