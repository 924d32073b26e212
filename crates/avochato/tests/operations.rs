//! Every operation end to end, through the core, against avochato-mock on 127.0.0.1:0: a
//! test per resource (each on its own mock), and one that the manifest has no other.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::collections::BTreeSet;

use avochato::models::Event;
use avochato::params::*;
use avochato::{Client, ErrorKind, TimeRange, Timestamp, operations};
use common::{Tracker, client, control, mock};
use futures_util::TryStreamExt;
use serde_json::json;

/// The resources in the order their sections run. A resource's test runs every section up
/// to its own, on a mock of its own (later sections use what earlier ones made), and fails
/// alone if one of its operations fails or is not exercised.
const ORDER: &[&str] = &[
    "accounts",
    "contacts",
    "tags",
    "messages",
    "tickets",
    "events",
    "broadcasts",
    "campaigns",
    "users",
    "calls",
];

async fn check_resource(resource: &str) {
    let mock = mock().await;
    let c = client(&mock);
    let t = Tracker::default();
    for r in ORDER {
        match *r {
            "accounts" => accounts(&c, &t).await,
            "contacts" => contacts(&c, &t).await,
            "tags" => tags(&c, &t).await,
            "messages" => messages(&c, &t).await,
            "tickets" => tickets(&c, &t).await,
            "events" => events(&c, &t).await,
            "broadcasts" => broadcasts(&c, &t).await,
            "campaigns" => campaigns(&mock, &c, &t).await,
            "users" => users(&c, &t).await,
            _ => {
                t.run(c.calls().create_token(CreateTokenCallsParams::new()))
                    .await;
            }
        }
        if *r == resource {
            break;
        }
    }
    let seen = t.seen.lock().unwrap().clone();
    let missing: Vec<&str> = operations()
        .iter()
        .filter(|o| o.resource == resource && !seen.contains(o.title))
        .map(|o| o.title)
        .collect();
    assert!(missing.is_empty(), "{resource}: not exercised: {missing:?}");
}

#[test]
fn every_resource_of_the_manifest_has_its_test() {
    let listed: BTreeSet<&str> = ORDER.iter().copied().collect();
    let manifest: BTreeSet<&str> = operations().iter().map(|o| o.resource).collect();
    assert_eq!(listed, manifest);
}

#[tokio::test]
async fn accounts_operations() {
    check_resource("accounts").await;
}
#[tokio::test]
async fn contacts_operations() {
    check_resource("contacts").await;
}
#[tokio::test]
async fn tags_operations() {
    check_resource("tags").await;
}
#[tokio::test]
async fn messages_operations() {
    check_resource("messages").await;
}
#[tokio::test]
async fn tickets_operations() {
    check_resource("tickets").await;
}
#[tokio::test]
async fn events_operations() {
    check_resource("events").await;
}
#[tokio::test]
async fn broadcasts_operations() {
    check_resource("broadcasts").await;
}
#[tokio::test]
async fn campaigns_operations() {
    check_resource("campaigns").await;
}
#[tokio::test]
async fn users_operations() {
    check_resource("users").await;
}
#[tokio::test]
async fn calls_operations() {
    check_resource("calls").await;
}

async fn accounts(c: &Client, t: &Tracker) {
    let page = t.run(c.accounts().list(ListAccountsParams::new())).await;
    let subs: BTreeSet<_> = page.items.iter().map(|a| a.subdomain.as_str()).collect();
    assert_eq!(
        subs,
        BTreeSet::from(["test-account", "second-inbox"]),
        "other-team is not accessible"
    );
    let fetched = t
        .run(
            c.accounts()
                .fetch(FetchAccountsParams::new(["second-inbox", "nope"]).page(1)),
        )
        .await;
    assert_eq!(fetched.items.len(), 1);
    assert_eq!(fetched.page, Some(1));
    let me = t
        .run(c.accounts().whoami(WhoamiAccountsParams::new()))
        .await;
    assert_eq!(me.account.subdomain, "test-account");
    assert_eq!(me.user.email.as_deref(), Some("owner@example.com"));
    assert!(
        me.created_at.is_some_and(|t| t.as_secs() > 1.7e9),
        "ISO created_at decoded"
    );
    let second = c
        .with_subdomain("second-inbox")
        .unwrap()
        .verify()
        .await
        .unwrap();
    assert_eq!(second.account.subdomain, "second-inbox");
    let per_call = c
        .accounts()
        .whoami(WhoamiAccountsParams::new())
        .subdomain("second-inbox")
        .await
        .unwrap();
    assert_eq!(per_call.account.subdomain, "second-inbox");
    let denied = c
        .accounts()
        .whoami(WhoamiAccountsParams::new())
        .subdomain("other-team")
        .await
        .unwrap_err();
    assert_eq!(common::clean(denied).kind(), ErrorKind::PermissionDenied);
}

async fn contacts(c: &Client, t: &Tracker) {
    let bob = t
        .run(
            c.contacts().upsert(
                UpsertContactsParams::new("(415) 555-3333")
                    .name("Bob McTest")
                    .city("SF")
                    .tags(["red", "green"])
                    .user_id("teammate@example.com")
                    .custom_field("favorite_color", "blue"),
            ),
        )
        .await;
    assert_eq!(bob.phone.as_deref(), Some("+14155553333"));
    assert_eq!(bob.tags, ["red", "green"]);
    assert_eq!(
        bob.custom_fields.get("favorite_color"),
        Some(&json!("blue"))
    );
    assert!(bob.user_id.is_some());

    let many = t
        .run(c.contacts().upsert_many(UpsertManyContactsParams::new(vec![
            ContactInput::new("+14155550001").name("Alice Example").country("US"),
            ContactInput::new("+14155550002").name("Carol Example").country("USA"),
        ])))
        .await;
    assert_eq!(many.len(), 1, "the API answers with one contact (the last)");
    assert_eq!(many[0].name.as_deref(), Some("Carol Example"));
    // Updating the same phone updates, not duplicates; the custom field is kept.
    let again = t
        .run(
            c.contacts()
                .upsert(UpsertContactsParams::new("+14155553333").company("McTest Inc")),
        )
        .await;
    assert_eq!(again.id, bob.id);
    assert_eq!(
        again.custom_fields.get("favorite_color"),
        Some(&json!("blue"))
    );

    let fetched = t
        .run(
            c.contacts()
                .fetch(FetchContactsParams::new(vec![bob.id.as_str(), "missing"])),
        )
        .await;
    assert_eq!(
        fetched.items.len(),
        1,
        "an unknown id is left out, not an error"
    );

    let first = t
        .run(c.contacts().list(ListContactsParams::new().limit(2)))
        .await;
    assert_eq!(first.items.len(), 2);
    let cursor = first.next_page.clone().expect("a cursor to a second page");
    let rest = t
        .run(
            c.contacts().paginate(
                PaginateContactsParams::new()
                    .after_page(cursor.clone())
                    .limit(2),
            ),
        )
        .await;
    assert_eq!(rest.items.len(), 1);
    assert_eq!(rest.next_page, None);
    assert_eq!(rest.after_page.as_deref(), Some(cursor.as_str()));

    let found = t
        .run(
            c.contacts()
                .search(SearchContactsParams::new().query("country:US OR name:Bob")),
        )
        .await;
    let names: BTreeSet<_> = found.items.iter().filter_map(|c| c.name.clone()).collect();
    assert_eq!(
        names,
        BTreeSet::from(["Alice Example".to_string(), "Bob McTest".to_string()])
    );
    let windowed = c
        .contacts()
        .search(
            SearchContactsParams::new()
                .created_at(TimeRange::since(Timestamp::now().as_secs() + 3600.0)),
        )
        .await
        .unwrap();
    assert!(windowed.items.is_empty());

    let removed = t
        .run(
            c.contacts()
                .remove_all(RemoveAllContactsParams::new().query("name:Carol")),
        )
        .await;
    assert_eq!(removed.query.as_deref(), Some("name:Carol"));
    let visible: Vec<_> = c
        .contacts()
        .iter(SearchContactsParams::new())
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(visible.len(), 2);
    let everyone = c
        .contacts()
        .search(SearchContactsParams::new().visible(false))
        .await
        .unwrap();
    assert_eq!(everyone.items.len(), 3);
}

async fn tags(c: &Client, t: &Tracker) {
    let tagged = t
        .run(
            c.tags()
                .add_by_phone(AddByPhoneTagsParams::new("+14155550001", "vip")),
        )
        .await;
    assert_eq!(tagged.action, "tagged");
    let ids: Vec<String> = c
        .contacts()
        .search(SearchContactsParams::new())
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|c| c.id)
        .collect();
    let all = t
        .run(
            c.tags()
                .add_to_contacts(AddToContactsTagsParams::new(ids.clone(), "newsletter")),
        )
        .await;
    assert_eq!(all.ids.len(), ids.len());
    let listed = t.run(c.tags().list(ListTagsParams::new())).await;
    let names: Vec<_> = listed.items.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["green", "newsletter", "red", "vip"]);
    assert_eq!(listed.last_key.as_deref(), Some("vip"));
    let untagged = t
        .run(
            c.tags()
                .remove_from_contacts(RemoveFromContactsTagsParams::new(ids, "newsletter")),
        )
        .await;
    assert_eq!(untagged.action, "untagged");
    t.run(
        c.tags()
            .remove_by_phone(RemoveByPhoneTagsParams::new("+14155550001", "vip")),
    )
    .await;
    let alice = c
        .contacts()
        .search(SearchContactsParams::new().query("name:Alice"))
        .await
        .unwrap();
    assert!(alice.items[0].tags.is_empty());
}

async fn messages(c: &Client, t: &Tracker) {
    let sent = t
        .run(
            c.messages().send(
                SendMessagesParams::new("415.555.7777", "Hello from the SDK")
                    .from("+15105551234")
                    .mark_addressed(true)
                    .tags("api"),
            ),
        )
        .await;
    assert_eq!(sent.direction.as_deref(), Some("out"));
    assert_eq!(sent.to.as_deref(), Some("+14155557777"));
    assert!(
        sent.message
            .as_deref()
            .unwrap_or("")
            .starts_with("Hello from the SDK")
    );
    let got = t
        .run(
            c.messages()
                .get(GetMessagesParams::new(sent.event_id.clone())),
        )
        .await;
    assert_eq!(got.event_id, sent.event_id);

    let later = Timestamp::now().as_secs() + 7200.0;
    let scheduled = t
        .run(c.messages().schedule(ScheduleMessagesParams::new(
            "+14155557777",
            "Reminder",
            later,
        )))
        .await;
    assert!(!scheduled.aborted);
    assert_eq!(
        scheduled.scheduled_for.map(|t| t.as_secs()),
        Some(later.floor())
    );
    let other = t
        .run(c.messages().schedule(ScheduleMessagesParams::new(
            "+14155557777",
            "Second reminder",
            later + 60.0,
        )))
        .await;

    let pending = t
        .run(
            c.messages()
                .search_scheduled(SearchScheduledMessagesParams::new()),
        )
        .await;
    assert_eq!(pending.items.len(), 2);
    let cancelled = t
        .run(
            c.messages()
                .cancel(CancelMessagesParams::new(other.event_id.clone())),
        )
        .await;
    assert!(cancelled.aborted);
    assert_eq!(
        cancelled.abort_reason.as_deref(),
        Some("manually cancelled")
    );
    let uncancelled = t
        .run(
            c.messages()
                .search_scheduled_uncancelled(SearchScheduledUncancelledMessagesParams::new()),
        )
        .await;
    assert_eq!(uncancelled.items.len(), 1);
    assert_eq!(uncancelled.items[0].event_id, scheduled.event_id);
    let window = TimeRange::between(later - 1.0, later + 1.0);
    let by_date = t
        .run(c.messages().search_scheduled_by_date(
            SearchScheduledByDateMessagesParams::new(window).document(false),
        ))
        .await;
    assert_eq!(by_date.items.len(), 1);
    let again = c
        .messages()
        .cancel(CancelMessagesParams::new(other.event_id))
        .await
        .unwrap_err();
    assert_eq!(common::clean(again).kind(), ErrorKind::InvalidRequest);

    let chat = t
        .run(c.messages().send_live_chat(SendLiveChatMessagesParams::new(
            "avochato:c:XXXX-YYYY-ZZZZ",
            "Hi from chat",
        )))
        .await;
    assert_eq!(chat.carrier.as_deref(), Some("avochato"));
    assert!(
        chat.from
            .as_deref()
            .unwrap_or("")
            .starts_with("avochato:a:")
    );

    let listed = t.run(c.messages().list(ListMessagesParams::new())).await;
    assert_eq!(listed.items.len(), 2);
    let found = t
        .run(
            c.messages().search(
                SearchMessagesParams::new()
                    .query("sdk")
                    .direction(Direction::Out),
            ),
        )
        .await;
    assert_eq!(found.items.len(), 1);
    let none = c
        .messages()
        .search(SearchMessagesParams::new().direction(Direction::In))
        .await
        .unwrap();
    assert!(none.items.is_empty());
    let recent = TimeRange::between(
        Timestamp::now().as_secs() - 60.0,
        Timestamp::now().as_secs() + 60.0,
    );
    let by_time = t
        .run(
            c.messages().search_by_timestamp(
                SearchByTimestampMessagesParams::new(recent).to("+14155557777"),
            ),
        )
        .await;
    assert_eq!(by_time.items.len(), 1);
}

async fn tickets(c: &Client, t: &Tracker) {
    let all = t.run(c.tickets().list(ListTicketsParams::new())).await;
    assert!(all.total_count.unwrap_or(0) >= 2);
    let sms = c
        .messages()
        .search(SearchMessagesParams::new().to("+14155557777"))
        .await
        .unwrap();
    let ticket_id = sms.items[0].ticket_id.clone().unwrap();
    let fetched = t
        .run(
            c.tickets()
                .fetch(FetchTicketsParams::new(vec![ticket_id.as_str(), "nope"])),
        )
        .await;
    assert_eq!(fetched.items.len(), 1);

    let pending = t
        .run(c.tickets().update_status(UpdateStatusTicketsParams::new(
            vec![ticket_id.clone()],
            TicketStatus::Pending,
        )))
        .await;
    assert_eq!(pending[0].status.as_deref(), Some("Pending"));
    let users = c.users().list(ListUsersParams::new()).await.unwrap();
    let teammate = users
        .items
        .iter()
        .find(|u| u.email.as_deref() == Some("teammate@example.com"))
        .unwrap();
    let assigned = t
        .run(c.tickets().assign(AssignTicketsParams::new(
            vec![ticket_id.clone()],
            teammate.id.clone(),
        )))
        .await;
    assert_eq!(assigned[0].user_id.as_deref(), Some(teammate.id.as_str()));
    let by_email = t
        .run(c.tickets().assign_by_email(AssignByEmailTicketsParams::new(
            vec![ticket_id.clone()],
            "alice@example.com",
        )))
        .await;
    assert_ne!(by_email[0].user_id, assigned[0].user_id);
    let unassigned = t
        .run(
            c.tickets()
                .unassign(UnassignTicketsParams::new(vec![ticket_id.clone()])),
        )
        .await;
    assert_eq!(unassigned[0].user_id, None);
    let auto = t
        .run(
            c.tickets()
                .autoassign(AutoassignTicketsParams::new(vec![ticket_id.clone()])),
        )
        .await;
    assert!(auto[0].user_id.is_some());
    let flagged = t
        .run(
            c.tickets()
                .set_unaddressed(SetUnaddressedTicketsParams::new(
                    vec![ticket_id.clone()],
                    true,
                )),
        )
        .await;
    assert!(flagged[0].unaddressed);
    let closed = t
        .run(
            c.tickets()
                .close(CloseTicketsParams::new(vec![ticket_id.clone()])),
        )
        .await;
    assert_eq!(closed[0].status.as_deref(), Some("Closed"));
    assert!(!closed[0].unaddressed, "closing marks it addressed");
    let open = t
        .run(
            c.tickets()
                .search(SearchTicketsParams::new().query("status:Closed")),
        )
        .await;
    assert_eq!(open.items.len(), 1);

    // A new message opens a new conversation; the closed one becomes its previous ticket.
    let next = c
        .messages()
        .send(SendMessagesParams::new("+14155557777", "Back again"))
        .await
        .unwrap();
    let new_ticket = next.ticket_id.unwrap();
    assert_ne!(new_ticket, ticket_id);
    let previous = t
        .run(c.tickets().previous(PreviousTicketsParams::new(new_ticket)))
        .await;
    assert_eq!(previous.len(), 1);
    assert_eq!(previous[0].id, ticket_id);
    assert_eq!(
        previous[0].account_subdomain.as_deref(),
        Some("test-account")
    );
}

async fn events(c: &Client, t: &Tracker) {
    let contact = c
        .contacts()
        .search(SearchContactsParams::new().query("name:Bob"))
        .await
        .unwrap()
        .items
        .remove(0);
    let e1 = t
        .run(
            c.events().add_to_contact(
                AddToContactEventsParams::new(contact.id.clone(), "sale")
                    .revenue(99.99)
                    .context("watch"),
            ),
        )
        .await;
    assert_eq!(e1.event_type.as_deref(), Some("sale"));
    assert_eq!(e1.revenue, Some(99.99));
    let e2 = t
        .run(
            c.events()
                .add_by_phone(AddByPhoneEventsParams::new("+14155553333", "click")),
        )
        .await;
    assert_eq!(e2.ticket_id, e1.ticket_id, "same conversation");
    let ticket = e1.ticket_id.clone().unwrap();
    let e3 = t
        .run(
            c.events()
                .add_to_ticket(AddToTicketEventsParams::new(ticket.clone(), "visit")),
        )
        .await;
    assert_eq!(e3.contact_id.as_deref(), Some(contact.id.as_str()));

    // The ticket closed in tickets() has status and owner changes and messages.
    let sms = c
        .messages()
        .search(SearchMessagesParams::new().to("+14155557777"))
        .await
        .unwrap();
    let old_ticket = sms.items.last().unwrap().ticket_id.clone().unwrap();
    let stream = t
        .run(
            c.events()
                .fetch(FetchEventsParams::new(vec![old_ticket.clone(), ticket])),
        )
        .await;
    let kinds: BTreeSet<&str> = stream.items.iter().map(Event::element_type).collect();
    for kind in [
        "CustomEvent",
        "StatusChange",
        "OwnerChange",
        "SmsMessage",
        "PendingMessage",
    ] {
        assert!(kinds.contains(kind), "{kind} missing from {kinds:?}");
    }
}

async fn broadcasts(c: &Client, t: &Tracker) {
    let draft = t
        .run(
            c.broadcasts().create(
                CreateBroadcastsParams::new("Sale today, $first_name!")
                    .name("Promo")
                    .via_tags("red")
                    .via_phone_numbers(vec!["5105550009"]),
            ),
        )
        .await;
    assert_eq!(draft.status.as_deref(), Some("draft"));
    assert_eq!(draft.audience, Some(2));
    let updated = t
        .run(
            c.broadcasts().update(
                UpdateBroadcastsParams::new(draft.id.clone())
                    .name("Promo 2")
                    .via_field(FieldMatch::new("email", "nobody@example.com"))
                    .via_contact_ids(vec![
                        c.contacts()
                            .search(SearchContactsParams::new().query("name:Alice"))
                            .await
                            .unwrap()
                            .items[0]
                            .id
                            .clone(),
                    ]),
            ),
        )
        .await;
    assert_eq!(updated.name.as_deref(), Some("Promo 2"));
    let count = t
        .run(
            c.broadcasts()
                .audience_count(AudienceCountBroadcastsParams::new(draft.id.clone())),
        )
        .await;
    assert_eq!(count.count, 3);
    let published = t
        .run(
            c.broadcasts()
                .publish(PublishBroadcastsParams::new(draft.id.clone()).asap(true)),
        )
        .await;
    assert_eq!(published.status.as_deref(), Some("completed"));
    assert_eq!(published.delivered, Some(3));
    let fetched = t
        .run(
            c.broadcasts()
                .fetch(FetchBroadcastsParams::new(vec![draft.id.clone()])),
        )
        .await;
    assert_eq!(fetched.items[0].delivered, Some(3));
    let listed = t
        .run(c.broadcasts().list(ListBroadcastsParams::new()))
        .await;
    assert_eq!(listed.items.len(), 1);
    assert_eq!(
        listed.items[0].audience, None,
        "lists leave out the statistics"
    );
    let republish = c
        .broadcasts()
        .publish(PublishBroadcastsParams::new(draft.id).asap(true))
        .await
        .unwrap_err();
    assert_eq!(common::clean(republish).kind(), ErrorKind::InvalidRequest);
    let sent = c
        .messages()
        .search(SearchMessagesParams::new().query("Sale today"))
        .await
        .unwrap();
    assert_eq!(sent.items.len(), 3);
}

async fn campaigns(mock: &avochato_mock::MockServer, c: &Client, t: &Tracker) {
    let all = t.run(c.campaigns().list(ListCampaignsParams::new())).await;
    assert_eq!(
        all.iter()
            .map(|c| c.key.clone().unwrap_or_default())
            .collect::<Vec<_>>(),
        ["one", "two"]
    );
    let one = t
        .run(c.campaigns().fetch(FetchCampaignsParams::new("one")))
        .await;
    assert_eq!(one.items.len(), 1);
    let phones = [
        "+15555550101",
        "+15555550102",
        "+15555550103",
        "+15555550104",
    ];
    control(
        mock,
        "/__mock/campaigns/enroll",
        json!({"key": "one", "phones": phones}),
    )
    .await;
    control(
        mock,
        "/__mock/campaigns/enroll",
        json!({"key": "two", "phones": phones}),
    )
    .await;
    let follow_ups = || async {
        c.messages()
            .search_scheduled_uncancelled(SearchScheduledUncancelledMessagesParams::new())
            .await
            .unwrap()
            .items
            .len()
    };
    let before = follow_ups().await;
    let r = t
        .run(
            c.campaigns()
                .remove_contact(RemoveContactCampaignsParams::new("one", phones[0])),
        )
        .await;
    assert_eq!(r.contacts, [phones[0]]);
    assert_eq!(follow_ups().await, before - 1);
    let r = t
        .run(c.campaigns().remove_contact_recursively(
            RemoveContactRecursivelyCampaignsParams::new("one", phones[1]),
        ))
        .await;
    assert_eq!(r.ids, ["one"]);
    assert_eq!(
        follow_ups().await,
        before - 3,
        "step one and the next step two"
    );
    let r = t
        .run(
            c.campaigns()
                .remove_contacts(RemoveContactsCampaignsParams::new(
                    "two",
                    vec![phones[2].to_string(), phones[3].to_string()],
                )),
        )
        .await;
    assert_eq!(r.campaigns, "Processing up to 2 cancellations.");
    let r = t
        .run(
            c.campaigns()
                .remove_all_contacts(RemoveAllContactsCampaignsParams::new("one")),
        )
        .await;
    assert!(r.contacts.is_empty());
    assert_eq!(follow_ups().await, before - 7);
}

async fn users(c: &Client, t: &Tracker) {
    let added = t
        .run(
            c.users().add(
                AddUsersParams::new("newuser@sunrisedental.com")
                    .role(Role::Member)
                    .name("Sarah Johnson")
                    .phone("+14155550123"),
            ),
        )
        .await;
    assert_eq!(added.role.as_deref(), Some("member"));
    assert!(added.enabled);
    let got = t
        .run(
            c.users()
                .get(GetUsersParams::new().email("newuser@sunrisedental.com")),
        )
        .await;
    assert_eq!(got.id, added.id);
    let by_id = c
        .users()
        .get(GetUsersParams::new().id(added.id.clone()))
        .await
        .unwrap();
    assert_eq!(by_id.email, got.email);
    let listed = t.run(c.users().list(ListUsersParams::new())).await;
    assert!(listed.items.iter().any(|u| u.id == added.id));
    let inboxes = t
        .run(
            c.users()
                .accounts(AccountsUsersParams::new().id(added.id.clone())),
        )
        .await;
    assert_eq!(inboxes.len(), 1);
    let promoted = t
        .run(
            c.users()
                .update_role(UpdateRoleUsersParams::new(Role::Manager).id(added.id.clone())),
        )
        .await;
    assert_eq!(promoted.role.as_deref(), Some("manager"));
    let disabled = t
        .run(
            c.users()
                .disable(DisableUsersParams::new().id(added.id.clone())),
        )
        .await;
    assert!(!disabled.enabled);
    let enabled = t
        .run(
            c.users()
                .enable(EnableUsersParams::new().email("newuser@sunrisedental.com")),
        )
        .await;
    assert!(enabled.enabled);
    let mfa = t
        .run(
            c.users().set_mfa_phone(
                SetMfaPhoneUsersParams::new("+14155559876")
                    .id(added.id.clone())
                    .private(true),
            ),
        )
        .await;
    assert_eq!(mfa.user.id, added.id);
    let reset = t
        .run(
            c.users()
                .reset_password(ResetPasswordUsersParams::new().id(added.id.clone())),
        )
        .await;
    assert_eq!(
        reset.message,
        "Password reset email sent to newuser@sunrisedental.com"
    );
    let gone = t
        .run(
            c.users()
                .delete(DeleteUsersParams::new().id(added.id.clone())),
        )
        .await;
    assert!(gone.message.contains("removed"));
    let missing = t
        .fail(c.users().get(GetUsersParams::new().id(added.id)))
        .await;
    assert_eq!(missing.kind(), ErrorKind::NotFound);
}
