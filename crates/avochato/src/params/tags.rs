use avochato_macros::params;

use crate::Result;
use crate::types::Ids;
use crate::validate::{self as v, Validate};

/// Add Tag (Contact id): tag contacts by id.
#[params]
pub struct TagContactsParams {
    /// The contacts' ids.
    #[describe(positional)]
    pub ids: Ids,
    /// The tag to add.
    pub tag: String,
}

/// Add Tag (Phone): tag a contact by phone number.
#[params]
pub struct TagPhoneParams {
    /// Phone number of the contact.
    pub phone: String,
    /// The tag to add.
    pub tag: String,
}

/// Remove Tag (Contact id): untag contacts by id.
#[params]
pub struct UntagContactsParams {
    /// The contacts' ids.
    #[describe(positional)]
    pub ids: Ids,
    /// The tag to remove.
    pub tag: String,
}

/// Remove Tag (Phone): untag a contact by phone number.
#[params]
pub struct UntagPhoneParams {
    /// Phone number of the contact.
    pub phone: String,
    /// The tag to remove.
    pub tag: String,
}

/// List All Tags (pages follow `last_key`).
#[params]
pub struct ListTagsParams {
    /// Page to request (from 1).
    pub page: Option<u32>,
    /// Continue after this tag (the previous page's `last_key`).
    pub last_key: Option<String>,
}

impl Validate for TagContactsParams {
    fn validate(&self) -> Result<()> {
        v::ids("ids", &self.ids)?;
        v::required("tag", &self.tag)
    }
}

impl Validate for TagPhoneParams {
    fn validate(&self) -> Result<()> {
        v::phone_like("phone", &self.phone)?;
        v::required("tag", &self.tag)
    }
}

impl Validate for UntagContactsParams {
    fn validate(&self) -> Result<()> {
        v::ids("ids", &self.ids)?;
        v::required("tag", &self.tag)
    }
}

impl Validate for UntagPhoneParams {
    fn validate(&self) -> Result<()> {
        v::phone_like("phone", &self.phone)?;
        v::required("tag", &self.tag)
    }
}

impl Validate for ListTagsParams {
    fn validate(&self) -> Result<()> {
        v::opt_page(self.page)
    }
}
