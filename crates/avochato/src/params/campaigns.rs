use avochato_macros::params;

use super::{empty_params, fetch_params};
use crate::Result;
use crate::types::Ids;
use crate::validate::{self as v, Validate};

fetch_params! {
    /// Fetch Campaigns by keyword.
    FetchCampaignsParams;
}
empty_params! {
    /// List Campaigns: every campaign step in the inbox.
    ListCampaignsParams;
    /// Create Call Token.
    CreateCallTokenParams;
}

/// Remove a contact from a campaign step, by phone.
#[params]
pub struct CampaignRemoveContactParams {
    /// The campaign keyword, or several.
    #[describe(positional)]
    pub id: Ids,
    /// Phone number of the contact.
    pub phone: String,
}

/// Recursively remove a contact from a campaign: this step and every later one.
#[params]
pub struct CampaignRemoveContactRecursivelyParams {
    /// The campaign keyword, or several.
    #[describe(positional)]
    pub id: Ids,
    /// Phone number of the contact.
    pub phone: String,
}

/// Remove multiple contacts from a campaign step, by phone.
#[params]
pub struct CampaignRemoveContactsParams {
    /// The campaign keyword, or several.
    #[describe(positional)]
    pub id: Ids,
    /// Phone numbers of the contacts.
    pub contacts: Vec<String>,
}

/// Remove all contacts from a campaign step.
#[params]
pub struct CampaignRemoveAllParams {
    /// The campaign keyword, or several.
    #[describe(positional)]
    pub id: Ids,
}

impl Validate for CampaignRemoveContactParams {
    fn validate(&self) -> Result<()> {
        v::ids("id", &self.id)?;
        v::phone_like("phone", &self.phone)
    }
}

impl Validate for CampaignRemoveContactRecursivelyParams {
    fn validate(&self) -> Result<()> {
        v::ids("id", &self.id)?;
        v::phone_like("phone", &self.phone)
    }
}

impl Validate for CampaignRemoveContactsParams {
    fn validate(&self) -> Result<()> {
        v::ids("id", &self.id)?;
        if self.contacts.is_empty() {
            return Err(crate::Error::validation(
                "contacts",
                "at least one phone number is required",
            ));
        }
        self.contacts
            .iter()
            .try_for_each(|p| v::phone_like("contacts", p))
    }
}

impl Validate for CampaignRemoveAllParams {
    fn validate(&self) -> Result<()> {
        v::ids("id", &self.id)
    }
}
