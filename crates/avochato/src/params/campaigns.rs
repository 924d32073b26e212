use avochato_macros::params;

use super::{empty_params, fetch_params};
use crate::types::Ids;

fetch_params! {
    /// Fetch Campaigns by keyword.
    FetchCampaignsParams;
}
empty_params! {
    /// List Campaigns: every campaign step in the inbox.
    ListCampaignsParams;
    /// Create Call Token.
    CreateTokenCallsParams;
}

/// Remove a contact from a campaign step, by phone.
#[params]
pub struct RemoveContactCampaignsParams {
    /// The campaign keyword, or several.
    #[describe(positional)]
    pub id: Ids,
    /// Phone number of the contact.
    #[check(phone)]
    pub phone: String,
}

/// Recursively remove a contact from a campaign: this step and every later one.
#[params]
pub struct RemoveContactRecursivelyCampaignsParams {
    /// The campaign keyword, or several.
    #[describe(positional)]
    pub id: Ids,
    /// Phone number of the contact.
    #[check(phone)]
    pub phone: String,
}

/// Remove multiple contacts from a campaign step, by phone.
#[params]
pub struct RemoveContactsCampaignsParams {
    /// The campaign keyword, or several.
    #[describe(positional)]
    pub id: Ids,
    /// Phone numbers of the contacts.
    #[check(not_empty = "at least one phone number is required", phone)]
    pub contacts: Vec<String>,
}

/// Remove all contacts from a campaign step.
#[params]
pub struct RemoveAllContactsCampaignsParams {
    /// The campaign keyword, or several.
    #[describe(positional)]
    pub id: Ids,
}
