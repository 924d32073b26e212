use avochato_macros::params;

use crate::types::Ids;

/// Add Tag (Contact id): tag contacts by id.
#[params]
pub struct AddToContactsTagsParams {
    /// The contacts' ids.
    #[describe(positional)]
    pub ids: Ids,
    /// The tag to add.
    #[check(not_blank)]
    pub tag: String,
}

/// Add Tag (Phone): tag a contact by phone number.
#[params]
pub struct AddByPhoneTagsParams {
    /// Phone number of the contact.
    #[check(phone)]
    pub phone: String,
    /// The tag to add.
    #[check(not_blank)]
    pub tag: String,
}

/// Remove Tag (Contact id): untag contacts by id.
#[params]
pub struct RemoveFromContactsTagsParams {
    /// The contacts' ids.
    #[describe(positional)]
    pub ids: Ids,
    /// The tag to remove.
    #[check(not_blank)]
    pub tag: String,
}

/// Remove Tag (Phone): untag a contact by phone number.
#[params]
pub struct RemoveByPhoneTagsParams {
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
