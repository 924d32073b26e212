use crate::types::{JsonValue, Timestamp};

/// A ticket: one conversation with a contact.
#[avochato_macros::model]
pub struct Ticket {
    /// The ticket's id.
    pub id: String,
    /// UUID.
    pub uuid: Option<String>,
    /// The contact's id.
    pub contact: Option<String>,
    /// The owner's id (null when unassigned).
    pub user_id: Option<String>,
    /// Waiting for a reply from the team.
    pub unaddressed: bool,
    /// `New`, `Open`, `Pending` or `Closed`.
    pub status: Option<String>,
    /// Where it started.
    pub origin: Option<String>,
    /// Created.
    pub created_at: Option<Timestamp>,
    /// Live-chat device type.
    pub device_type: Option<String>,
    /// Live-chat device.
    pub device: Option<String>,
    /// Handled by a helper bot.
    pub helper_bot: bool,
    /// The helper bot's source inbox.
    pub helper_bot_source_account: Option<JsonValue>,
    /// Live-chat OS.
    pub os: Option<String>,
    /// Live-chat OS version.
    pub os_version: Option<String>,
    /// Live-chat browser.
    pub browser: Option<String>,
    /// Live-chat browser version.
    pub browser_version: Option<String>,
    /// Live-chat IP address.
    pub ip: Option<String>,
    /// Page the chat widget was on.
    pub widget_referrer_url: Option<String>,
    /// Survey in progress.
    pub active_survey_id: Option<JsonValue>,
    /// Conversation summary.
    pub summary: Option<String>,
    /// When the summary was written.
    pub summary_updated_at: Option<Timestamp>,
}

/// An earlier conversation with the same contact.
#[avochato_macros::model]
pub struct PreviousTicket {
    /// The ticket's id.
    pub id: String,
    /// UUID.
    pub uuid: Option<String>,
    /// `sms`, `chat`, ...
    pub channel: Option<String>,
    /// The contact's id.
    pub contact: Option<String>,
    /// Created.
    pub created_at: Option<Timestamp>,
    /// Closed.
    pub closed_at: Option<Timestamp>,
    /// Its owner.
    pub user: Option<TicketUser>,
    /// Live-chat device type.
    pub device_type: Option<String>,
    /// Extra data.
    pub option_data: Option<JsonValue>,
    /// Tags.
    pub tags: Vec<String>,
    /// The inbox it belongs to.
    pub account_subdomain: Option<String>,
}

/// The owner of a previous ticket.
#[avochato_macros::model]
pub struct TicketUser {
    /// User id.
    pub id: String,
    /// Name.
    pub name: Option<String>,
}
