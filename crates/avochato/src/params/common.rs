//! Input types shared by several operations.

use serde::{Deserialize, Serialize};

use crate::Describe;

pub use crate::types::CsvList;

/// Message direction: received (`in`) or sent (`out`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Describe)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Received messages.
    In,
    /// Sent messages.
    Out,
}

/// A ticket status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Describe)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum TicketStatus {
    /// New.
    New,
    /// Open.
    Open,
    /// Pending.
    Pending,
    /// Closed (also marks the ticket addressed).
    Closed,
}

/// A user's role in an inbox.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Describe)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Can view and respond to conversations.
    Member,
    /// Can also manage team settings.
    Manager,
    /// Full control, including billing.
    Owner,
}

/// Select contacts whose `field` equals `value` (`via_field[field]`/`via_field[value]`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Describe)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
#[describe(builder)]
pub struct FieldMatch {
    /// A contact field (`email`, `company`, ...) or a custom field's name.
    #[check(not_blank)]
    pub field: String,
    /// The value to match exactly.
    pub value: String,
}

/// Writes the shared contact fields into a parameter struct, so that the single-contact
/// upsert and each entry of the many-contacts upsert declare them once.
macro_rules! contact_fields {
    ($(#[$meta:meta])* pub struct $name:ident { $($extra:tt)* }) => {
        $(#[$meta])*
        pub struct $name {
            /// Phone number of the contact (the key contacts are matched on).
            #[check(phone)]
            pub phone: String,
            /// Name.
            pub name: Option<String>,
            /// Email (empty clears it).
            #[check(email_or_empty)]
            pub email: Option<String>,
            /// Another phone number (empty clears it).
            #[check(phone_or_empty)]
            pub other_phone: Option<String>,
            /// Company name.
            pub company: Option<String>,
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
            /// Opted out: Avochato refuses outbound messages to the contact.
            #[serde(deserialize_with = "crate::types::flag::lenient_opt")]
            pub opted_out: Option<bool>,
            /// Double opt-in status.
            #[serde(deserialize_with = "crate::types::flag::lenient_opt")]
            pub double_opted_in: Option<bool>,
            /// Mute calls and notifications from the contact.
            #[serde(deserialize_with = "crate::types::flag::lenient_opt")]
            pub muted: Option<bool>,
            /// Block all calls and texts to and from the contact.
            #[serde(deserialize_with = "crate::types::flag::lenient_opt")]
            pub blocked: Option<bool>,
            /// Priority, 0 through 5 (5 is the greatest).
            #[check(range(0, 5))]
            pub priority: Option<i64>,
            /// Visibility; false removes the contact.
            #[serde(deserialize_with = "crate::types::flag::lenient_opt")]
            pub visible: Option<bool>,
            /// Landline: true prevents SMS to the contact.
            #[serde(deserialize_with = "crate::types::flag::lenient_opt")]
            pub landline: Option<bool>,
            /// Tags to apply (a list, or one comma-separated string).
            pub tags: Option<$crate::params::CsvList>,
            /// Id or email of the user responsible for the contact.
            pub user_id: Option<String>,
            /// Salesforce record id.
            pub salesforce_object_id: Option<String>,
            /// Salesforce object type (`Lead`, `Contact`, ...).
            pub salesforce_object_type: Option<String>,
            /// Send all future messages from this inbox number (E.164; empty clears it).
            #[check(e164_or_empty)]
            pub stuck_number: Option<String>,
            /// Custom contact fields, sent at the top level by name.
            #[serde(flatten)]
            #[check(field_names)]
            pub custom_fields: $crate::types::JsonMap,
            $($extra)*
        }

        impl $name {
            /// Sets one custom contact field.
            #[must_use]
            pub fn custom_field(mut self, name: impl Into<String>, value: impl Into<serde_json::Value>) -> Self {
                self.custom_fields.insert(name.into(), value.into());
                self
            }
        }
    };
}
pub(crate) use contact_fields;

/// Declares the parameter types of the user routes addressed by `:id` or by `email`.
macro_rules! user_ref_params {
    ($($(#[$meta:meta])* $name:ident;)*) => {$(
        $(#[$meta])*
        #[avochato_macros::params]
        #[check(one_of(id, email))]
        pub struct $name {
            /// The user's id (give `id` or `email`).
            pub id: Option<String>,
            /// The user's email, instead of the id.
            #[check(email)]
            pub email: Option<String>,
        }
    )*};
}
pub(crate) use user_ref_params;
