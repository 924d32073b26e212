use avochato_macros::params;

use super::fetch_params;
use crate::Result;
use crate::validate::{self as v, Validate};

/// Add Event (Contact id): append a custom event to a contact's conversation.
#[params]
pub struct AddContactEventParams {
    /// The contact's id.
    #[describe(positional)]
    pub id: String,
    /// The kind of event: `click`, `sale`, ...
    #[serde(rename = "type")]
    pub event_type: String,
    /// What happened.
    pub context: Option<String>,
    /// Value created for your team.
    pub revenue: Option<f64>,
}

/// Add Event (Phone): append a custom event to a conversation, by phone number.
#[params]
pub struct AddPhoneEventParams {
    /// Phone number of the contact.
    pub phone: String,
    /// The kind of event: `click`, `sale`, ...
    #[serde(rename = "type")]
    pub event_type: String,
    /// What happened.
    pub context: Option<String>,
    /// Value created for your team.
    pub revenue: Option<f64>,
}

/// Add Event (Ticket id): append a custom event to a conversation.
#[params]
pub struct AddTicketEventParams {
    /// The ticket's id.
    #[describe(positional)]
    pub id: String,
    /// The kind of event: `click`, `sale`, ...
    #[serde(rename = "type")]
    pub event_type: String,
    /// What happened.
    pub context: Option<String>,
    /// Value created for your team.
    pub revenue: Option<f64>,
}

fetch_params! {
    /// Fetch Events: the event streams of tickets.
    FetchEventsParams;
}

fn event_fields(event_type: &str, revenue: Option<f64>) -> Result<()> {
    v::required("type", event_type)?;
    if revenue.is_some_and(|r| !r.is_finite()) {
        return Err(crate::Error::validation(
            "revenue",
            "must be a finite number",
        ));
    }
    Ok(())
}

impl Validate for AddContactEventParams {
    fn validate(&self) -> Result<()> {
        v::path_id("id", &self.id)?;
        event_fields(&self.event_type, self.revenue)
    }
}

impl Validate for AddPhoneEventParams {
    fn validate(&self) -> Result<()> {
        v::phone_like("phone", &self.phone)?;
        event_fields(&self.event_type, self.revenue)
    }
}

impl Validate for AddTicketEventParams {
    fn validate(&self) -> Result<()> {
        v::path_id("id", &self.id)?;
        event_fields(&self.event_type, self.revenue)
    }
}
