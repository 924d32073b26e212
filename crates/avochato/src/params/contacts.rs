use avochato_macros::params;

use super::common::contact_fields;
use super::fetch_params;
use crate::types::TimeRange;

fetch_params! {
    /// Fetch Contacts by id.
    FetchContactsParams;
}

/// List All Contacts, a page at a time (`after_page` cursor).
#[params]
pub struct ListContactsParams {
    /// The cursor from the previous page's `next_page`.
    pub after_page: Option<String>,
    /// Contacts per page, 1 through 100.
    #[check(range(1, 100))]
    pub limit: Option<u32>,
}

/// Paginate contact results: the next page of a search.
#[params]
pub struct PaginateContactsParams {
    /// The search (default: every contact).
    pub query: Option<String>,
    /// The cursor from the previous page's `next_page`.
    pub after_page: Option<String>,
    /// Contacts per page, 1 through 100.
    #[check(range(1, 100))]
    pub limit: Option<u32>,
    /// Only visible contacts (default true; false includes removed contacts).
    #[serde(deserialize_with = "crate::types::flag::lenient_opt")]
    pub visible: Option<bool>,
}

/// Search Contacts with a query and a creation window.
#[params]
pub struct SearchContactsParams {
    /// The search: `field:value`, `"quoted values"`, `OR`, free text (default: all).
    pub query: Option<String>,
    /// Only contacts created in this window.
    #[check(window)]
    pub created_at: Option<TimeRange>,
    /// The cursor from the previous page's `next_page`.
    pub after_page: Option<String>,
    /// Contacts per page, 1 through 100.
    #[check(range(1, 100))]
    pub limit: Option<u32>,
    /// Only visible contacts (default true; false includes removed contacts).
    #[serde(deserialize_with = "crate::types::flag::lenient_opt")]
    pub visible: Option<bool>,
}

/// Remove all contacts from the inbox, or those matching `query`.
#[params]
pub struct RemoveAllContactsParams {
    /// Only remove contacts matching this search (empty or absent: all of them).
    /// Sent as `null` when absent, as the documented example does.
    #[describe(send_null)]
    pub query: Option<String>,
}

contact_fields! {
    /// Update Single Contact: create or update one contact, matched by phone number.
    #[params]
    pub struct UpsertContactsParams {
        /// Allow custom fields to be overwritten with empty values.
        #[serde(deserialize_with = "crate::types::flag::lenient_opt")]
        pub allow_empty_fields: Option<bool>,
    }
}

contact_fields! {
    /// One contact of a many-contacts upsert.
    #[params]
    pub struct ContactInput {}
}

/// Update Multiple Contacts: create or update each contact, matched by phone number.
#[params]
pub struct UpsertManyContactsParams {
    /// The contacts.
    #[check(not_empty = "at least one contact is required")]
    pub contacts: Vec<ContactInput>,
    /// Allow custom fields to be overwritten with empty values.
    #[serde(deserialize_with = "crate::types::flag::lenient_opt")]
    pub allow_empty_fields: Option<bool>,
}

impl From<&str> for ContactInput {
    fn from(phone: &str) -> Self {
        ContactInput::new(phone)
    }
}
