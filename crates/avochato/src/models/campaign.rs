use crate::types::JsonValue;

/// A campaign step, addressed by its keyword (`key`).
#[avochato_macros::model]
pub struct Campaign {
    /// The step's id.
    pub id: String,
    /// The campaign keyword.
    pub key: Option<String>,
    /// The first message.
    pub raw_text: Option<String>,
    /// The follow-up message.
    pub follow_up_message: Option<String>,
    /// Delay before the follow-up.
    pub follow_up_delay: Option<JsonValue>,
    /// MMS media URL.
    pub media_url: Option<String>,
    /// The step's hash id.
    pub hash_id: Option<String>,
    /// Keyboard shortcut in the inbox.
    pub hotkey: Option<JsonValue>,
}

/// The answer to removing contacts from a campaign step.
#[avochato_macros::model]
pub struct CampaignCancellation {
    /// What the API is doing ("Processing 1 cancellations.").
    pub campaigns: String,
    /// The phone numbers being removed (empty when removing all).
    pub contacts: Vec<String>,
    /// The campaign keywords concerned.
    pub ids: Vec<String>,
}
