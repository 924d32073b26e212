//! Retries, timeouts and broken answers, through the mock's fault injection.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::time::{Duration, Instant};

use avochato::params::*;
use avochato::{Client, ErrorKind};
use common::{SECRET, clean, client, fault, mock, received};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn fast_client(mock: &avochato_mock::MockServer) -> Client {
    Client::builder()
        .auth(mock.auth_id(), mock.auth_secret())
        .base_url(mock.url())
        .timeout(Duration::from_millis(400))
        .build()
        .unwrap()
}

async fn messages_stored(c: &Client) -> usize {
    c.messages()
        .list(ListMessagesParams::new())
        .await
        .unwrap()
        .items
        .len()
}

#[tokio::test]
async fn rate_limited_get_waits_for_retry_after_then_succeeds() {
    let mock = mock().await;
    let c = client(&mock);
    fault(&mock, json!({"method": "GET", "path": "/v1/whoami", "kind": "status", "status": 429, "retry_after": "1"})).await;
    let started = Instant::now();
    let r = c
        .accounts()
        .whoami(WhoamiAccountsParams::new())
        .with_response()
        .await
        .unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "waited {:?}",
        started.elapsed()
    );
    assert_eq!(r.meta.attempts, 2);
    assert_eq!(received(&mock, "GET", "/v1/whoami"), 2);
    assert_eq!(r.data.account.subdomain, "test-account");
}

#[tokio::test]
async fn rate_limited_post_is_resent_once_and_stores_one_message() {
    let mock = mock().await;
    let c = client(&mock);
    fault(&mock, json!({"method": "POST", "path": "/v1/messages", "kind": "status", "status": 429, "retry_after": "0.2"})).await;
    c.messages()
        .send(SendMessagesParams::new("+14155550100", "hi"))
        .await
        .unwrap();
    assert_eq!(received(&mock, "POST", "/v1/messages"), 2);
    assert_eq!(
        messages_stored(&c).await,
        1,
        "the API ignored the 429'd request"
    );
}

#[tokio::test]
async fn a_post_answered_500_is_not_resent() {
    let mock = mock().await;
    let c = client(&mock);
    fault(&mock, json!({"method": "POST", "path": "/v1/messages", "kind": "status", "status": 500, "effect": true})).await;
    let e = clean(
        c.messages()
            .send(SendMessagesParams::new("+14155550100", "once"))
            .await
            .unwrap_err(),
    );
    assert_eq!(e.kind(), ErrorKind::Server);
    assert_eq!(e.status(), Some(500));
    assert!(
        e.request_id().is_some_and(|id| id.starts_with("mock-")),
        "{e:?}"
    );
    assert_eq!(received(&mock, "POST", "/v1/messages"), 1);
    assert_eq!(
        messages_stored(&c).await,
        1,
        "exactly one message: no resend"
    );
}

#[tokio::test]
async fn a_get_answered_503_twice_then_200_succeeds() {
    let mock = mock().await;
    let c = client(&mock);
    fault(
        &mock,
        json!({"method": "GET", "path": "/v1/tags", "kind": "status", "status": 503, "count": 2}),
    )
    .await;
    let r = c
        .tags()
        .list(ListTagsParams::new())
        .with_response()
        .await
        .unwrap();
    assert_eq!(r.meta.attempts, 3);
    assert_eq!(received(&mock, "GET", "/v1/tags"), 3);
}

#[tokio::test]
async fn retries_stop_at_max_retries() {
    let mock = mock().await;
    let c = client(&mock);
    fault(
        &mock,
        json!({"method": "GET", "path": "/v1/tags", "kind": "status", "status": 503, "count": 10}),
    )
    .await;
    let e = clean(
        c.tags()
            .list(ListTagsParams::new())
            .max_retries(1)
            .await
            .unwrap_err(),
    );
    assert_eq!(e.kind(), ErrorKind::Server);
    assert_eq!(received(&mock, "GET", "/v1/tags"), 2);
}

#[tokio::test]
async fn a_slow_answer_past_the_timeout_is_a_timeout_error() {
    let mock = mock().await;
    let c = fast_client(&mock);
    fault(&mock, json!({"method": "GET", "path": "/v1/users", "kind": "delay", "delay_ms": 1500, "count": 5})).await;
    let started = Instant::now();
    let e = clean(
        c.users()
            .list(ListUsersParams::new())
            .max_retries(1)
            .await
            .unwrap_err(),
    );
    assert_eq!(e.kind(), ErrorKind::Timeout);
    assert!(
        started.elapsed() < Duration::from_millis(1400),
        "two attempts of 400 ms, {:?}",
        started.elapsed()
    );
    assert_eq!(
        received(&mock, "GET", "/v1/users"),
        2,
        "a GET that timed out is resent"
    );
}

#[tokio::test]
async fn a_post_that_timed_out_is_not_resent() {
    let mock = mock().await;
    let c = fast_client(&mock);
    fault(
        &mock,
        json!({"method": "POST", "path": "/v1/messages", "kind": "delay", "delay_ms": 1200}),
    )
    .await;
    let e = clean(
        c.messages()
            .send(SendMessagesParams::new("+14155550100", "slow"))
            .await
            .unwrap_err(),
    );
    assert_eq!(e.kind(), ErrorKind::Timeout);
    tokio::time::sleep(Duration::from_millis(1000)).await;
    assert_eq!(received(&mock, "POST", "/v1/messages"), 1);
    assert_eq!(messages_stored(&c).await, 1, "it reached the server once");
}

#[tokio::test]
async fn malformed_json_is_a_decode_error_with_an_excerpt() {
    let mock = mock().await;
    let c = client(&mock);
    fault(
        &mock,
        json!({"method": "GET", "path": "/v1/messages/x1", "kind": "malformed"}),
    )
    .await;
    let e = clean(
        c.messages()
            .get(GetMessagesParams::new("x1"))
            .await
            .unwrap_err(),
    );
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert_eq!(e.status(), Some(200));
    assert!(
        e.body_excerpt().unwrap().starts_with("{\"status\":200"),
        "{e:?}"
    );
}

#[tokio::test]
async fn an_html_502_page_is_a_server_error() {
    let mock = mock().await;
    let c = client(&mock);
    fault(
        &mock,
        json!({"method": "POST", "path": "/v1/messages", "kind": "html", "status": 502}),
    )
    .await;
    let e = clean(
        c.messages()
            .send(SendMessagesParams::new("+14155550100", "x"))
            .await
            .unwrap_err(),
    );
    assert_eq!(e.kind(), ErrorKind::Server);
    assert_eq!(e.status(), Some(502));
    assert!(e.to_string().contains("Bad Gateway"), "{e}");
    assert_eq!(received(&mock, "POST", "/v1/messages"), 1);
}

#[tokio::test]
async fn an_empty_body_is_a_decode_error() {
    let mock = mock().await;
    let c = client(&mock);
    fault(
        &mock,
        json!({"method": "GET", "path": "/v1/whoami", "kind": "empty"}),
    )
    .await;
    let e = clean(c.verify().await.unwrap_err());
    assert_eq!(e.kind(), ErrorKind::Decode);
}

#[tokio::test]
async fn a_reset_connection_is_resent_for_get_but_not_for_post() {
    let mock = mock().await;
    let c = client(&mock);
    fault(
        &mock,
        json!({"method": "GET", "path": "/v1/whoami", "kind": "reset"}),
    )
    .await;
    c.verify().await.unwrap();
    assert_eq!(received(&mock, "GET", "/v1/whoami"), 2);

    fault(
        &mock,
        json!({"method": "POST", "path": "/v1/messages", "kind": "reset", "effect": true}),
    )
    .await;
    let e = clean(
        c.messages()
            .send(SendMessagesParams::new("+14155550100", "x"))
            .await
            .unwrap_err(),
    );
    assert_eq!(e.kind(), ErrorKind::Connection);
    assert_eq!(received(&mock, "POST", "/v1/messages"), 1);
    assert_eq!(messages_stored(&c).await, 1);
}

#[tokio::test]
async fn a_truncated_body_is_a_connection_error() {
    let mock = mock().await;
    let c = client(&mock);
    fault(
        &mock,
        json!({"method": "POST", "path": "/v1/tags", "kind": "truncate", "effect": true}),
    )
    .await;
    let e = clean(
        c.tags()
            .add_by_phone(AddByPhoneTagsParams::new("+14155550100", "t"))
            .await
            .unwrap_err(),
    );
    assert_eq!(e.kind(), ErrorKind::Connection);
    assert!(e.to_string().contains("broke off"), "{e}");
}

#[tokio::test]
async fn a_refused_connection_is_resent_even_for_post_then_reported() {
    // Nothing listens on this port: nothing can have been sent.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let c = Client::builder()
        .auth("id", SECRET)
        .base_url(format!("http://127.0.0.1:{port}"))
        .max_retries(2)
        .build()
        .unwrap();
    let started = Instant::now();
    let e = clean(
        c.messages()
            .send(SendMessagesParams::new("+14155550100", "x"))
            .await
            .unwrap_err(),
    );
    assert_eq!(e.kind(), ErrorKind::Connection);
    assert!(e.to_string().contains(&format!("127.0.0.1:{port}")), "{e}");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn redirects_are_not_followed() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = tokio::spawn(async move {
        let mut hits = 0;
        while let Ok(Ok((mut s, _))) =
            tokio::time::timeout(Duration::from_millis(800), listener.accept()).await
        {
            hits += 1;
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf).await;
            let _ = s
                .write_all(b"HTTP/1.1 302 Found\r\nLocation: https://evil.example.com/steal?x=1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                .await;
        }
        hits
    });
    let c = Client::builder()
        .auth("id", SECRET)
        .base_url(format!("http://127.0.0.1:{port}"))
        .build()
        .unwrap();
    let e = clean(c.verify().await.unwrap_err());
    assert_eq!(e.kind(), ErrorKind::InvalidRequest);
    assert!(e.to_string().contains("redirect"), "{e}");
    assert!(
        !e.to_string().contains("x=1"),
        "the query of the location is not shown"
    );
    assert_eq!(server.await.unwrap(), 1);
}

#[tokio::test]
async fn a_retry_after_longer_than_the_cap_is_returned_at_once() {
    let mock = mock().await;
    let c = Client::builder()
        .auth(mock.auth_id(), mock.auth_secret())
        .base_url(mock.url())
        .max_retry_wait(Duration::from_secs(2))
        .build()
        .unwrap();
    fault(&mock, json!({"method": "GET", "path": "/v1/whoami", "kind": "status", "status": 429, "retry_after": "120"})).await;
    let started = Instant::now();
    let e = clean(c.verify().await.unwrap_err());
    assert_eq!(e.kind(), ErrorKind::RateLimited);
    assert_eq!(e.retry_after(), Some(Duration::from_secs(120)));
    assert!(started.elapsed() < Duration::from_secs(1));
}

#[tokio::test]
async fn api_errors_carry_status_request_id_and_messages() {
    let mock = mock().await;
    let c = client(&mock);
    let wrong = Client::builder()
        .auth(mock.auth_id(), "wrong-secret-value")
        .base_url(mock.url())
        .build()
        .unwrap();
    let e = clean(wrong.verify().await.unwrap_err());
    assert_eq!(
        (e.kind(), e.status()),
        (ErrorKind::Authentication, Some(401))
    );
    assert_eq!(e.errors(), ["Unauthorized"]);
    assert!(e.request_id().is_some());

    let e = clean(
        c.messages()
            .get(GetMessagesParams::new("nope"))
            .await
            .unwrap_err(),
    );
    assert_eq!(e.kind(), ErrorKind::NotFound);

    c.contacts()
        .upsert(UpsertContactsParams::new("+16505551234").opted_out(true))
        .await
        .unwrap();
    let e = clean(
        c.messages()
            .send(SendMessagesParams::new("+16505551234", "hi"))
            .await
            .unwrap_err(),
    );
    assert_eq!(e.kind(), ErrorKind::InvalidRequest);
    assert_eq!(
        e.errors(),
        ["+16505551234 is already opted out"],
        "a single-string `errors`"
    );

    let e = clean(
        c.users()
            .add(AddUsersParams::new("x@example.com"))
            .subdomain("other-team")
            .await
            .unwrap_err(),
    );
    assert_eq!(e.kind(), ErrorKind::PermissionDenied);
}

#[tokio::test]
async fn bad_input_is_refused_before_anything_is_sent() {
    let mock = mock().await;
    let c = client(&mock);
    let too_long = "x".repeat(1601);
    let cases: Vec<(avochato::Error, &str)> = vec![
        (
            c.messages()
                .send(SendMessagesParams::new("+14155550100", too_long))
                .await
                .unwrap_err(),
            "message",
        ),
        (
            c.messages()
                .send(SendMessagesParams::new("+14155550100", "hi").from("510-555-1234"))
                .await
                .unwrap_err(),
            "from",
        ),
        (
            c.messages()
                .send(SendMessagesParams::new("", "hi"))
                .await
                .unwrap_err(),
            "phone",
        ),
        (
            c.contacts()
                .upsert(UpsertContactsParams::new("+14155550100").priority(9))
                .await
                .unwrap_err(),
            "priority",
        ),
        (
            c.contacts()
                .upsert(UpsertContactsParams::new("+14155550100").stuck_number("5105551234"))
                .await
                .unwrap_err(),
            "stuck_number",
        ),
        (
            c.contacts()
                .fetch(FetchContactsParams::new(Vec::<String>::new()))
                .await
                .unwrap_err(),
            "ids",
        ),
        (
            c.contacts()
                .fetch(FetchContactsParams::new(["../etc"]))
                .await
                .unwrap_err(),
            "ids",
        ),
        (
            c.contacts()
                .list(ListContactsParams::new().limit(500))
                .await
                .unwrap_err(),
            "limit",
        ),
        (
            c.users()
                .add(AddUsersParams::new("not-an-email"))
                .await
                .unwrap_err(),
            "email",
        ),
        (
            c.users()
                .add(AddUsersParams::new("a@b.co").phone("4155551234"))
                .await
                .unwrap_err(),
            "phone",
        ),
        (
            c.users()
                .set_mfa_phone(SetMfaPhoneUsersParams::new("+1415").id("u1"))
                .await
                .unwrap_err(),
            "phone",
        ),
        (
            c.users().get(GetUsersParams::new()).await.unwrap_err(),
            "id",
        ),
        (
            c.tickets()
                .assign(AssignTicketsParams::new(["t1"], "unassign"))
                .await
                .unwrap_err(),
            "user_id",
        ),
        (
            c.campaigns()
                .remove_contacts(RemoveContactsCampaignsParams::new(
                    "one",
                    Vec::<String>::new(),
                ))
                .await
                .unwrap_err(),
            "contacts",
        ),
        (
            c.messages()
                .send_live_chat(SendLiveChatMessagesParams::new("+14155550100", "hi"))
                .await
                .unwrap_err(),
            "phone",
        ),
        (
            c.accounts()
                .whoami(WhoamiAccountsParams::new())
                .subdomain("bad subdomain!")
                .await
                .unwrap_err(),
            "subdomain",
        ),
    ];
    for (e, param) in cases {
        let e = clean(e);
        assert_eq!(e.kind(), ErrorKind::Validation, "{e:?}");
        assert_eq!(e.param(), Some(param), "{e:?}");
    }
    assert!(
        mock.requests().is_empty(),
        "nothing reached the server: {:?}",
        mock.requests()
    );
}

#[tokio::test]
async fn the_response_meta_gives_status_headers_and_request_id() {
    let mock = mock().await;
    let c = client(&mock);
    let r = c
        .accounts()
        .whoami(WhoamiAccountsParams::new())
        .with_response()
        .await
        .unwrap();
    assert_eq!(r.meta.status, 200);
    assert_eq!(r.meta.attempts, 1);
    let id = r.meta.request_id.clone().unwrap();
    assert_eq!(r.meta.header("X-Request-Id"), Some(id.as_str()));
    assert!(
        r.meta
            .header("content-type")
            .unwrap()
            .starts_with("application/json")
    );
}

#[tokio::test]
async fn credentials_go_where_the_reference_puts_them() {
    let mock = mock().await;
    let c = client(&mock);
    c.verify().await.unwrap();
    c.tags()
        .add_by_phone(AddByPhoneTagsParams::new("+14155550100", "t"))
        .await
        .unwrap();
    let reqs = mock.requests();
    let get = reqs.iter().find(|r| r.method == "GET").unwrap();
    assert_eq!(get.query.get("auth_id"), Some(&json!(common::AUTH_ID)));
    assert_eq!(get.query.get("auth_secret"), Some(&json!("[REDACTED]")));
    let post = reqs.iter().find(|r| r.method == "POST").unwrap();
    assert!(post.query.is_empty(), "no credentials in a POST's URL");
    assert_eq!(post.body["auth_id"], json!(common::AUTH_ID));
    let keys: Vec<&String> = post.body.as_object().unwrap().keys().collect();
    assert_eq!(
        keys[..2],
        ["auth_id", "auth_secret"],
        "credentials first, as in the examples"
    );
}
