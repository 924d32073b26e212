//! Walking every page: page numbers, the contacts cursor, the tags `last_key`, and
//! servers that repeat themselves.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::collections::BTreeSet;

use avochato::params::*;
use common::{client, control, mock, received};
use futures_util::{StreamExt, TryStreamExt};
use serde_json::json;

#[tokio::test]
async fn contacts_follow_the_after_page_cursor_to_the_end() {
    let mock = mock().await;
    let c = client(&mock);
    for batch in 0..3 {
        let contacts: Vec<ContactInput> = (0..25)
            .map(|i| ContactInput::new(format!("+1415555{:04}", batch * 100 + i)))
            .collect();
        c.contacts()
            .upsert_many(UpsertManyContactsParams::new(contacts))
            .await
            .unwrap();
    }
    let before = received(&mock, "GET", "/v1/contacts");
    let all: Vec<_> = c
        .contacts()
        .iter(SearchContactsParams::new().limit(20))
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 75);
    assert_eq!(
        all.iter()
            .map(|c| c.id.clone())
            .collect::<BTreeSet<_>>()
            .len(),
        75,
        "no duplicates"
    );
    assert_eq!(
        received(&mock, "GET", "/v1/contacts") - before,
        4,
        "20+20+20+15, then next_page is null"
    );
    let cursors: Vec<_> = mock
        .requests()
        .iter()
        .filter_map(|r| r.query.get("after_page").cloned())
        .collect();
    assert_eq!(cursors.len(), 3);
}

#[tokio::test]
async fn page_numbers_run_until_an_empty_page() {
    let mock = mock().await;
    let c = client(&mock);
    for i in 0..65 {
        c.messages()
            .send(SendMessagesParams::new(format!("+1415556{i:04}"), "hello"))
            .await
            .unwrap();
    }
    let tickets: Vec<_> = c
        .tickets()
        .iter(SearchTicketsParams::new())
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(tickets.len(), 65);
    let pages: Vec<_> = c
        .paginate(ListMessagesParams::new())
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        pages.iter().map(|p| p.items.len()).collect::<Vec<_>>(),
        [30, 30, 5]
    );
    let asked: Vec<_> = mock
        .requests()
        .iter()
        .filter(|r| r.method == "GET" && r.path == "/v1/messages")
        .map(|r| {
            r.query
                .get("page")
                .and_then(|p| p.as_str())
                .unwrap_or("-")
                .to_string()
        })
        .collect();
    assert_eq!(
        asked,
        ["-", "2", "3", "4"],
        "the first page as given, then 2, 3 and an empty 4"
    );
}

#[tokio::test]
async fn tags_follow_last_key() {
    let mock = mock().await;
    let c = client(&mock);
    let ids: Vec<String> = vec![
        c.contacts()
            .upsert(UpsertContactsParams::new("+14155550100"))
            .await
            .unwrap()
            .id,
    ];
    for i in 0..65 {
        c.tags()
            .add_to_contacts(AddToContactsTagsParams::new(
                ids.clone(),
                format!("tag-{i:03}"),
            ))
            .await
            .unwrap();
    }
    let names: Vec<String> = c
        .tags()
        .iter(ListTagsParams::new())
        .items()
        .map_ok(|t| t.name)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(names.len(), 65);
    assert!(names.windows(2).all(|w| w[0] < w[1]), "in order, once each");
    let keys: Vec<_> = mock
        .requests()
        .iter()
        .filter(|r| r.path == "/v1/tags")
        .filter_map(|r| r.query.get("last_key").cloned())
        .collect();
    assert_eq!(keys, [json!("tag-029"), json!("tag-059"), json!("tag-064")]);
}

#[tokio::test]
async fn a_repeated_cursor_ends_the_walk() {
    let mock = mock().await;
    let c = client(&mock);
    let contact = |id: &str| json!({"id": id, "tags": [], "tag_details": [], "opted_out": false, "double_opted_in": false, "muted": false, "blocked": false});
    let body = json!({"status": 200, "data": {"contacts": [contact("a"), contact("b")], "size": 2, "next_page": "same"}, "page": 1, "limit": 30});
    control(
        &mock,
        "/__mock/canned",
        json!({"method": "GET", "path": "/v1/contacts", "body": body}),
    )
    .await;
    let all: Vec<_> = c
        .contacts()
        .iter(SearchContactsParams::new())
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        all.len(),
        4,
        "the first page and the one its cursor named, then stop"
    );
}

#[tokio::test]
async fn a_server_ignoring_page_does_not_loop() {
    let mock = mock().await;
    let c = client(&mock);
    let ticket = |id: &str| json!({"id": id, "unaddressed": false, "helper_bot": false});
    let body = json!({"status": 200, "data": {"tickets": [ticket("t1"), ticket("t2")], "total_count": 2}, "limit": 30});
    control(
        &mock,
        "/__mock/canned",
        json!({"method": "GET", "path": "/v1/tickets", "body": body}),
    )
    .await;
    let all: Vec<_> = c
        .tickets()
        .iter(SearchTicketsParams::new())
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 2, "the same items twice means the end");
    let user =
        json!({"id": "u1", "require_2fa": true, "mfa_app_valid": false, "phone_valid": false});
    let echo = json!({"status": 200, "data": {"users": [user]}, "page": 1});
    control(
        &mock,
        "/__mock/canned",
        json!({"method": "GET", "path": "/v1/users", "body": echo}),
    )
    .await;
    let users: Vec<_> = c
        .users()
        .iter(ListUsersParams::new())
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(users.len(), 1, "page 1 answered for page 2 means the end");
}

#[tokio::test]
async fn an_error_mid_walk_is_reported_and_the_page_can_be_asked_again() {
    let mock = mock().await;
    let c = client(&mock);
    for i in 0..35 {
        c.messages()
            .send(SendMessagesParams::new(format!("+1415557{i:04}"), "hello"))
            .await
            .unwrap();
    }
    let mut pager = c.paginate(ListMessagesParams::new());
    assert_eq!(pager.next_page().await.unwrap().unwrap().items.len(), 30);
    common::fault(
        &mock,
        json!({"method": "GET", "path": "/v1/messages", "kind": "status", "status": 400}),
    )
    .await;
    let e = pager.next_page().await.unwrap_err();
    assert_eq!(e.kind(), avochato::ErrorKind::InvalidRequest);
    assert_eq!(pager.next_page().await.unwrap().unwrap().items.len(), 5);
    assert!(pager.next_page().await.unwrap().is_none());
    // The item stream ends after an error.
    common::fault(
        &mock,
        json!({"method": "GET", "path": "/v1/messages", "kind": "status", "status": 400}),
    )
    .await;
    let results: Vec<_> = c
        .paginate(ListMessagesParams::new())
        .items()
        .collect()
        .await;
    assert_eq!(results.len(), 1);
    assert!(results[0].is_err());
}

#[tokio::test]
async fn the_json_pager_walks_like_the_typed_one() {
    let mock = mock().await;
    let c = client(&mock);
    for i in 0..35 {
        c.messages()
            .send(SendMessagesParams::new(format!("+1415558{i:04}"), "hello"))
            .await
            .unwrap();
    }
    let spec = avochato::find_operation("messages", "list").unwrap();
    let mut pager = c
        .paginate_json(spec, json!({}), avochato::RequestOptions::default())
        .unwrap();
    let mut sizes = Vec::new();
    while let Some(page) = pager.next_page().await.unwrap() {
        sizes.push(page["items"].as_array().unwrap().len());
    }
    assert_eq!(sizes, [30, 5]);
    let not_paged = avochato::find_operation("messages", "send").unwrap();
    let e = c
        .paginate_json(not_paged, json!({}), avochato::RequestOptions::default())
        .err()
        .unwrap();
    assert_eq!(e.kind(), avochato::ErrorKind::Validation);
}
