use crate::types::Timestamp;

use super::User;

/// An inbox (the API calls it an Account), addressed by its `subdomain`.
#[avochato_macros::model]
pub struct Account {
    /// The account's id.
    pub id: String,
    /// The inbox subdomain, used to scope requests (`subdomain` parameter).
    pub subdomain: String,
    /// Display name.
    pub name: Option<String>,
    /// The inbox phone number.
    pub phone: Option<String>,
    /// When the inbox was created.
    pub created_at: Option<Timestamp>,
    /// The 10DLC campaign id, if registered.
    pub tcr_campaign_id: Option<String>,
}

/// What `/v1/whoami` says of the credential: its inbox and user.
#[avochato_macros::model]
pub struct Whoami {
    /// The inbox the credential is scoped to.
    pub account: Account,
    /// The user the credential belongs to.
    pub user: User,
    /// Where the credential came from (`api`).
    pub origin: Option<String>,
    /// When the credential was created (the API sends an ISO-8601 string here).
    pub created_at: Option<Timestamp>,
}

/// The answer to removing contacts: the inbox and the query used (`*` for all).
#[avochato_macros::model]
pub struct RemovedContacts {
    /// The inbox subdomain.
    pub account: String,
    /// The query whose matches were removed.
    pub query: Option<String>,
}
