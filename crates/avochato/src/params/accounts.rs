use super::{empty_params, fetch_params, page_only_params};

fetch_params! {
    /// Fetch Accounts: inboxes by subdomain.
    FetchAccountsParams;
}
page_only_params! {
    /// List Accounts: the inboxes this credential can use.
    ListAccountsParams;
}
empty_params! {
    /// List Current API Credentials (`/v1/whoami`).
    WhoamiAccountsParams;
}
