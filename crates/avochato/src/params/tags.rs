use avochato_macros::params;

use crate::types::Ids;

/// Add Tag (Contact id): tag contacts by id.
#[params]
pub struct TagContactsParams {
    /// The contacts' ids.
    #[describe(positional)]
    pub ids: Ids,
    /// The tag to add.
    #[check(not_blank)]
    pub tag: String,
}

/// Add Tag (Phone): tag a contact by phone number.
#[params]
pub struct TagPhoneParams {
    /// Phone number of the contact.
    #[check(phone)]
    pub phone: String,
    /// The tag to add.
    #[check(not_blank)]
    pub tag: String,
}

/// Remove Tag (Contact id): untag contacts by id.
#[params]
pub struct UntagContactsParams {
    /// The contacts' ids.
    #[describe(positional)]
    pub ids: Ids,
    /// The tag to remove.
    #[check(not_blank)]
    pub tag: String,
}

/// Remove Tag (Phone): untag a contact by phone number.
#[params]
pub struct UntagPhoneParams {
    /// Phone number of the contact.
    #[check(phone)]
    pub phone: String,
    /// The tag to remove.
    #[check(not_blank)]
    pub tag: String,
}

/// List All Tags (pages follow `last_key`).
#[params]
pub struct ListTagsParams {
    /// Page to request (from 1).
    #[check(range(1, i64::MAX))]
    pub page: Option<u32>,
    /// Continue after this tag (the previous page's `last_key`).
    pub last_key: Option<String>,
}
