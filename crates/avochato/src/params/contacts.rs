use avochato_macros::params;

use super::common::contact_fields;
use super::fetch_params;
use crate::Result;
use crate::types::TimeRange;
use crate::validate::{self as v, Validate};

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
    pub created_at: Option<TimeRange>,
    /// The cursor from the previous page's `next_page`.
    pub after_page: Option<String>,
    /// Contacts per page, 1 through 100.
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
    pub struct UpsertContactParams {
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
pub struct UpsertContactsParams {
    /// The contacts.
    pub contacts: Vec<ContactInput>,
    /// Allow custom fields to be overwritten with empty values.
    #[serde(deserialize_with = "crate::types::flag::lenient_opt")]
    pub allow_empty_fields: Option<bool>,
}

impl Validate for ListContactsParams {
    fn validate(&self) -> Result<()> {
        v::opt_limit(self.limit)
    }
}

impl Validate for PaginateContactsParams {
    fn validate(&self) -> Result<()> {
        v::opt_limit(self.limit)
    }
}

impl Validate for SearchContactsParams {
    fn validate(&self) -> Result<()> {
        v::opt_limit(self.limit)
    }
}

impl Validate for RemoveAllContactsParams {
    fn validate(&self) -> Result<()> {
        Ok(())
    }
}

impl Validate for UpsertContactParams {
    fn validate(&self) -> Result<()> {
        self.validate_contact_fields("")
    }
}

impl Validate for ContactInput {
    fn validate(&self) -> Result<()> {
        self.validate_contact_fields("")
    }
}

impl Validate for UpsertContactsParams {
    fn validate(&self) -> Result<()> {
        if self.contacts.is_empty() {
            return Err(crate::Error::validation(
                "contacts",
                "at least one contact is required",
            ));
        }
        for (i, c) in self.contacts.iter().enumerate() {
            c.validate_contact_fields(&format!("contacts[{i}]."))?;
        }
        Ok(())
    }
}

impl From<&str> for ContactInput {
    fn from(phone: &str) -> Self {
        ContactInput::new(phone)
    }
}
