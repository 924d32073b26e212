use crate::types::{JsonMap, JsonValue, Timestamp};

/// A contact: a unique external phone number (or live-chat visitor) in an inbox.
///
/// Custom contact fields (any field the API sends that is not listed here) are kept in
/// `custom_fields` and written back at the top level when encoded.
#[avochato_macros::model(custom_fields)]
pub struct Contact {
    /// The contact's id.
    pub id: String,
    /// Name.
    pub name: Option<String>,
    /// Phone number (E.164), the key matched against Salesforce Phone/MobilePhone.
    pub phone: Option<String>,
    /// Email.
    pub email: Option<String>,
    /// Street.
    pub street: Option<String>,
    /// City.
    pub city: Option<String>,
    /// State.
    pub state: Option<String>,
    /// Zip code.
    pub zip: Option<String>,
    /// Country.
    pub country: Option<String>,
    /// The address as one line.
    pub address: Option<String>,
    /// Notes.
    pub notes: Option<String>,
    /// Company.
    pub company: Option<String>,
    /// Another phone number.
    pub other_phone: Option<String>,
    /// Created.
    pub created_at: Option<Timestamp>,
    /// Tag names.
    pub tags: Vec<String>,
    /// Tags with their settings.
    pub tag_details: Vec<TagDetail>,
    /// Opted out: no outbound messages.
    pub opted_out: bool,
    /// Double opt-in confirmed.
    pub double_opted_in: bool,
    /// Calls and notifications suppressed.
    pub muted: bool,
    /// All calls and texts blocked.
    pub blocked: bool,
    /// Salesforce object type (Lead, Contact, ...).
    pub salesforce_object_type: Option<String>,
    /// Salesforce record id.
    pub salesforce_object_id: Option<String>,
    /// Priority, 0 through 5.
    pub priority: Option<i64>,
    /// The responsible user's id.
    pub user_id: Option<String>,
    /// Visible (false once removed).
    pub visible: Option<bool>,
    /// The current conversation owner's id.
    pub current_owner: Option<String>,
    /// Whether compliance messaging is due.
    pub due_for_compliance: Option<bool>,
    /// Custom contact fields, by name.
    #[serde(flatten)]
    pub custom_fields: JsonMap,
}

/// A tag on a contact, with its settings.
#[avochato_macros::model]
pub struct TagDetail {
    /// Tag name.
    pub name: String,
    /// Display color.
    pub color: Option<String>,
    /// How long the tag lasts.
    pub duration: Option<JsonValue>,
    /// Whether the tag routes conversations.
    pub routable: Option<bool>,
}
