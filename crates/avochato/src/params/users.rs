use avochato_macros::params;

use super::common::user_ref_params;
use super::{Role, page_only_params};

/// Add a User to this inbox (invited by email if new).
#[params]
pub struct AddUsersParams {
    /// Email of the user to add.
    #[describe(positional)]
    #[check(email)]
    pub email: String,
    /// `member` (default), `manager` or `owner`.
    pub role: Option<Role>,
    /// Display name (for a new user).
    pub name: Option<String>,
    /// Phone number (E.164); starts MFA phone setup.
    #[check(e164)]
    pub phone: Option<String>,
}

user_ref_params! {
    /// Delete a User from this inbox (their tickets are unassigned).
    DeleteUsersParams;
    /// Disable a User in this inbox (history is kept).
    DisableUsersParams;
    /// Get User Details: role, status, permissions.
    GetUsersParams;
    /// List User Inboxes: the inboxes a user can access.
    AccountsUsersParams;
    /// Re-enable a User.
    EnableUsersParams;
    /// Trigger a Password Reset email.
    ResetPasswordUsersParams;
}

/// Set MFA Phone Number (pending until the user confirms the SMS code).
#[params]
#[check(one_of(id, email))]
pub struct SetMfaPhoneUsersParams {
    /// The user's id (give `id` or `email`).
    pub id: Option<String>,
    /// The user's email, instead of the id.
    #[check(email)]
    pub email: Option<String>,
    /// The MFA phone number (E.164).
    #[check(e164)]
    pub phone: String,
    /// `private` flag, as the documented example sends it.
    #[serde(deserialize_with = "crate::types::flag::lenient_opt")]
    pub private: Option<bool>,
}

/// Update a User role.
#[params]
#[check(one_of(id, email))]
pub struct UpdateRoleUsersParams {
    /// The user's id (give `id` or `email`).
    pub id: Option<String>,
    /// The user's email, instead of the id.
    #[check(email)]
    pub email: Option<String>,
    /// `member`, `manager` or `owner`.
    pub role: Role,
}

page_only_params! {
    /// List all Users.
    ListUsersParams;
}
