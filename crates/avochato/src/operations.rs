//! The one list of operations. Every host expands it with its own generator.
//!
//! ```text
//! resource Handle iter(IterParams -> IterItem) {
//!     method jsName (Params) -> shape<Item> { HTTP "/path/:ids" ["data key", ...] pages(Style) const(k = "v") "Title" }
//! }
//! ```
//! * `shape` is `one` (the object), `list` (a `Vec`) or `page` (a [`crate::Page`]).
//! * the data keys say where the result sits inside the response's `data` (first present
//!   wins; none: all of `data`).
//! * `pages(Number | AfterPage | LastKey)` marks a paginated operation and its cursor.
//! * `const(...)` are parameters the operation always sends (`user_id=unassign`).
//! * the title is the operation's title in `avochato-v1.json`.
//!
//! A host generator matches each operation as
//! `$name:ident $js:ident ($P:ident) -> $shape:ident<$T:ident> $spec:tt`.

/// Calls `$gen! { ... }` with every operation, grouped by resource (see the module docs).
#[macro_export]
macro_rules! for_each_operation {
    ($gen:ident) => {
        $gen! {
            accounts Accounts iter(ListAccountsParams -> Account) {
                fetch fetch (FetchAccountsParams) -> page<Account> { GET "/v1/accounts/:ids" ["accounts"] pages(Number) "Fetch Accounts" }
                list list (ListAccountsParams) -> page<Account> { GET "/v1/accounts" ["accounts"] pages(Number) "List Accounts" }
                whoami whoami (WhoamiAccountsParams) -> one<Whoami> { GET "/v1/whoami" [] "List Current API Credentials" }
            }
            broadcasts Broadcasts iter(ListBroadcastsParams -> Broadcast) {
                audience_count audienceCount (AudienceCountBroadcastsParams) -> one<AudienceCount> { GET "/v1/broadcasts/:id/audience_count" [] "Audience Count" }
                create create (CreateBroadcastsParams) -> one<Broadcast> { POST "/v1/broadcasts" ["broadcast"] "Create Broadcast" }
                fetch fetch (FetchBroadcastsParams) -> page<Broadcast> { GET "/v1/broadcasts/:ids" ["broadcasts"] pages(Number) "Fetch Broadcast(s)" }
                list list (ListBroadcastsParams) -> page<Broadcast> { GET "/v1/broadcasts" ["broadcasts"] pages(Number) "List Broadcasts" }
                publish publish (PublishBroadcastsParams) -> one<Broadcast> { POST "/v1/broadcasts/:id/publish" ["broadcast"] "Publish Broadcast" }
                update update (UpdateBroadcastsParams) -> one<Broadcast> { POST "/v1/broadcasts/:id" ["broadcast"] "Update Broadcast" }
            }
            calls Calls {
                create_token createToken (CreateTokenCallsParams) -> one<CallToken> { POST "/v1/calls" [] "Create Call Token" }
            }
            campaigns Campaigns {
                fetch fetch (FetchCampaignsParams) -> page<Campaign> { GET "/v1/campaigns/:ids" ["campaigns"] pages(Number) "Fetch Campaigns" }
                list list (ListCampaignsParams) -> list<Campaign> { GET "/v1/campaigns" ["campaigns"] "List Campaigns" }
                remove_contact_recursively removeContactRecursively (RemoveContactRecursivelyCampaignsParams) -> one<CampaignCancellation> { POST "/v1/campaigns/:id/cancel" [] const(recursive = "1") "Recursively remove a contact from a campaign" }
                remove_contact removeContact (RemoveContactCampaignsParams) -> one<CampaignCancellation> { POST "/v1/campaigns/:id/cancel" [] "Remove a contact from a campaign step" }
                remove_all_contacts removeAllContacts (RemoveAllContactsCampaignsParams) -> one<CampaignCancellation> { POST "/v1/campaigns/:id/cancel" [] const(all = "1") "Remove all contacts from a campaign step" }
                remove_contacts removeContacts (RemoveContactsCampaignsParams) -> one<CampaignCancellation> { POST "/v1/campaigns/:id/cancel" [] "Remove multiple contacts from a campaign step" }
            }
            contacts Contacts iter(SearchContactsParams -> Contact) {
                fetch fetch (FetchContactsParams) -> page<Contact> { GET "/v1/contacts/:ids" ["contacts"] pages(Number) "Fetch Contacts" }
                list list (ListContactsParams) -> page<Contact> { GET "/v1/contacts" ["contacts"] pages(AfterPage) "List All Contacts" }
                paginate paginate (PaginateContactsParams) -> page<Contact> { GET "/v1/contacts" ["contacts"] pages(AfterPage) "Paginate contact results" }
                remove_all removeAll (RemoveAllContactsParams) -> one<RemovedContacts> { DELETE "/v1/contacts/remove_all" [] "Remove all contacts" }
                search search (SearchContactsParams) -> page<Contact> { GET "/v1/contacts" ["contacts"] pages(AfterPage) "Search Contacts" }
                upsert_many upsertMany (UpsertManyContactsParams) -> list<Contact> { POST "/v1/contacts" ["contacts", "contact"] "Update Multiple Contacts" }
                upsert upsert (UpsertContactsParams) -> one<Contact> { POST "/v1/contacts" ["contact"] "Update Single Contact" }
            }
            events Events iter(FetchEventsParams -> Event) {
                add_to_contact addToContact (AddToContactEventsParams) -> one<CustomEvent> { POST "/v1/contacts/:id/events" ["event"] "Add Event (Contact id)" }
                add_by_phone addByPhone (AddByPhoneEventsParams) -> one<CustomEvent> { POST "/v1/events" ["event"] "Add Event (Phone)" }
                add_to_ticket addToTicket (AddToTicketEventsParams) -> one<CustomEvent> { POST "/v1/tickets/:id/events" ["event"] "Add Event (Ticket id)" }
                fetch fetch (FetchEventsParams) -> page<Event> { GET "/v1/tickets/:ids/events" ["events"] pages(Number) "Fetch Events" }
            }
            messages Messages iter(SearchMessagesParams -> Message) {
                cancel cancel (CancelMessagesParams) -> one<ScheduledMessage> { DELETE "/v1/messages/:id" ["message"] "Cancel Scheduled Message" }
                get get (GetMessagesParams) -> one<Message> { GET "/v1/messages/:id" ["message"] "Get Message" }
                list list (ListMessagesParams) -> page<Message> { GET "/v1/messages" ["messages"] pages(Number) "List All Messages" }
                search search (SearchMessagesParams) -> page<Message> { GET "/v1/messages" ["messages"] pages(Number) "Search Messages" }
                search_by_timestamp searchByTimestamp (SearchByTimestampMessagesParams) -> page<Message> { GET "/v1/messages" ["messages"] pages(Number) "Search Messages by timestamp" }
                search_scheduled searchScheduled (SearchScheduledMessagesParams) -> page<ScheduledMessage> { GET "/v1/messages/scheduled" ["messages"] pages(Number) "Search Scheduled Messages" }
                search_scheduled_by_date searchScheduledByDate (SearchScheduledByDateMessagesParams) -> page<ScheduledMessage> { GET "/v1/messages/scheduled" ["messages"] pages(Number) "Search Scheduled Messages by scheduled date" }
                search_scheduled_uncancelled searchScheduledUncancelled (SearchScheduledUncancelledMessagesParams) -> page<ScheduledMessage> { GET "/v1/messages/scheduled" ["messages"] pages(Number) const(query = "aborted: false") "Search Scheduled Uncancelled Messages" }
                send_live_chat sendLiveChat (SendLiveChatMessagesParams) -> one<Message> { POST "/v1/messages" ["message"] "Send Live Chat Message" }
                send send (SendMessagesParams) -> one<Message> { POST "/v1/messages" ["message"] "Send Message" }
                schedule schedule (ScheduleMessagesParams) -> one<ScheduledMessage> { POST "/v1/messages" ["message"] "Send a Scheduled Message" }
            }
            tags Tags iter(ListTagsParams -> Tag) {
                add_to_contacts addToContacts (AddToContactsTagsParams) -> one<TagAction> { POST "/v1/contacts/:ids/tags" [] "Add Tag (Contact id)" }
                add_by_phone addByPhone (AddByPhoneTagsParams) -> one<TagAction> { POST "/v1/tags" [] "Add Tag (Phone)" }
                list list (ListTagsParams) -> page<Tag> { GET "/v1/tags" ["tags"] pages(LastKey) "List All Tags" }
                remove_from_contacts removeFromContacts (RemoveFromContactsTagsParams) -> one<TagAction> { DELETE "/v1/contacts/:ids/tags" [] "Remove Tag (Contact id)" }
                remove_by_phone removeByPhone (RemoveByPhoneTagsParams) -> one<TagAction> { DELETE "/v1/tags" [] "Remove Tag (Phone)" }
            }
            tickets Tickets iter(SearchTicketsParams -> Ticket) {
                autoassign autoassign (AutoassignTicketsParams) -> list<Ticket> { PUT "/v1/tickets/:ids" ["tickets"] const(user_id = "autoassign") "Auto Assign" }
                unassign unassign (UnassignTicketsParams) -> list<Ticket> { PUT "/v1/tickets/:ids" ["tickets"] const(user_id = "unassign") "Unassign" }
                assign_by_email assignByEmail (AssignByEmailTicketsParams) -> list<Ticket> { PUT "/v1/tickets/:ids" ["tickets"] "Update Assignment with user_email" }
                assign assign (AssignTicketsParams) -> list<Ticket> { PUT "/v1/tickets/:ids" ["tickets"] "Update Assignment with user_id" }
                close close (CloseTicketsParams) -> list<Ticket> { PUT "/v1/tickets/:ids" ["tickets"] const(status = "Closed") "Close a Ticket" }
                update_status updateStatus (UpdateStatusTicketsParams) -> list<Ticket> { PUT "/v1/tickets/:ids" ["tickets"] "Update Status" }
                previous previous (PreviousTicketsParams) -> list<PreviousTicket> { GET "/v1/tickets/:id/previous" ["tickets"] "Fetch Previous Tickets" }
                fetch fetch (FetchTicketsParams) -> page<Ticket> { GET "/v1/tickets/:ids" ["tickets"] pages(Number) "Fetch Tickets" }
                list list (ListTicketsParams) -> page<Ticket> { GET "/v1/tickets" ["tickets"] pages(Number) "List all Tickets" }
                search search (SearchTicketsParams) -> page<Ticket> { GET "/v1/tickets" ["tickets"] pages(Number) "Search Tickets" }
                set_unaddressed setUnaddressed (SetUnaddressedTicketsParams) -> list<Ticket> { PUT "/v1/tickets/:ids" ["tickets"] "Update Unaddressed" }
            }
            users Users iter(ListUsersParams -> User) {
                add add (AddUsersParams) -> one<UserDetails> { POST "/v1/users" ["user"] "Add a User" }
                delete delete (DeleteUsersParams) -> one<UserNotice> { DELETE "/v1/users/:id" [] "Delete a User" }
                disable disable (DisableUsersParams) -> one<UserDetails> { POST "/v1/users/:id/disable" ["user"] "Disable a User" }
                get get (GetUsersParams) -> one<UserDetails> { GET "/v1/users/:id" ["user"] "Get User Details" }
                accounts accounts (AccountsUsersParams) -> list<Account> { GET "/v1/users/:id/accounts" ["accounts"] "List User Inboxes" }
                list list (ListUsersParams) -> page<User> { GET "/v1/users" ["users"] pages(Number) "List all Users" }
                enable enable (EnableUsersParams) -> one<UserDetails> { POST "/v1/users/:id/enable" ["user"] "Re-enable a User" }
                set_mfa_phone setMfaPhone (SetMfaPhoneUsersParams) -> one<MfaPhoneResult> { POST "/v1/users/:id/mfa_phone" [] "Set MFA Phone Number" }
                reset_password resetPassword (ResetPasswordUsersParams) -> one<UserNotice> { POST "/v1/users/:id/password_reset" [] "Trigger a Password Reset" }
                update_role updateRole (UpdateRoleUsersParams) -> one<UserDetails> { PUT "/v1/users/:id" ["user"] "Update a User role" }
            }
        }
    };
}
