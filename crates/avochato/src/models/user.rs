use crate::types::Timestamp;

/// A team member, as lists show them.
#[avochato_macros::model]
pub struct User {
    /// Email.
    pub email: Option<String>,
    /// The user's id.
    pub id: String,
    /// Name.
    pub name: Option<String>,
    /// Avatar URL.
    pub image_url: Option<String>,
    /// Last sign-in.
    pub signed_in_at: Option<Timestamp>,
    /// The user's bot id.
    pub avobot_id: Option<String>,
    /// Phone number.
    pub phone: Option<String>,
    /// Phone number, formatted.
    pub phone_formatted: Option<String>,
    /// Created.
    pub created_at: Option<Timestamp>,
    /// Two-factor authentication required.
    pub require_2fa: bool,
    /// Authenticator app set up.
    pub mfa_app_valid: bool,
    /// MFA phone verified.
    pub phone_valid: bool,
}

/// A team member with their role, status and permissions in this inbox.
#[avochato_macros::model]
pub struct UserDetails {
    /// Email.
    pub email: Option<String>,
    /// The user's id.
    pub id: String,
    /// Name.
    pub name: Option<String>,
    /// Avatar URL.
    pub image_url: Option<String>,
    /// Last sign-in.
    pub signed_in_at: Option<Timestamp>,
    /// The user's bot id.
    pub avobot_id: Option<String>,
    /// Phone number.
    pub phone: Option<String>,
    /// Phone number, formatted.
    pub phone_formatted: Option<String>,
    /// Created.
    pub created_at: Option<Timestamp>,
    /// Two-factor authentication required.
    pub require_2fa: bool,
    /// Authenticator app set up.
    pub mfa_app_valid: bool,
    /// MFA phone verified.
    pub phone_valid: bool,
    /// `member`, `manager` or `owner`.
    pub role: Option<String>,
    /// Enabled in this inbox.
    pub enabled: bool,
    /// May send messages.
    pub can_message: bool,
    /// May call.
    pub can_call: bool,
    /// May see billing.
    pub can_view_billing: bool,
    /// May see the organization.
    pub can_view_org: bool,
    /// When they were added to the inbox.
    pub added_at: Option<Timestamp>,
}

/// A confirmation message (user removed, password reset sent).
#[avochato_macros::model]
pub struct UserNotice {
    /// The API's message.
    pub message: String,
}

/// The answer to setting a user's MFA phone.
#[avochato_macros::model]
pub struct MfaPhoneResult {
    /// The API's message.
    pub message: String,
    /// The user, as it is now.
    pub user: UserDetails,
}
