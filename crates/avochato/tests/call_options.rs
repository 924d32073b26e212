//! One call's own options: headers added to its requests (replacing the client's of the
//! same name, checked before anything is sent), and its raw answer.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use avochato::{Client, ErrorKind, RequestOptions, params::WhoamiAccountsParams};
use common::{client, mock};
use serde_json::json;

#[tokio::test]
async fn per_call_headers_are_sent_with_that_call_only() {
    let mock = mock().await;
    let c: Client = Client::builder()
        .auth(mock.auth_id(), mock.auth_secret())
        .base_url(mock.url())
        .header("x-app", "rust")
        .header("x-per-call", "client")
        .build()
        .unwrap();
    let options = RequestOptions::new().header("x-per-call", "call");
    c.execute_json::<WhoamiAccountsParams>(json!({}), &options)
        .await
        .unwrap();
    c.verify().await.unwrap();
    let recorded = mock.requests();
    let headers: Vec<_> = recorded.iter().map(|r| r.headers.clone()).collect();
    assert_eq!(headers[0]["x-per-call"], "call");
    assert_eq!(headers[0]["x-app"], "rust");
    assert_eq!(headers[1]["x-per-call"], "client");
}

#[tokio::test]
async fn bad_per_call_headers_are_refused_before_sending() {
    let mock = mock().await;
    let c = client(&mock);
    for (name, value) in [("bad name", "x"), ("x-a", "line\nbreak"), ("", "x")] {
        let options = RequestOptions::new().header(name, value);
        let e = c
            .execute_json::<WhoamiAccountsParams>(json!({}), &options)
            .await
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Validation, "{name:?}");
    }
    assert!(mock.requests().is_empty());
}

#[tokio::test]
async fn the_raw_answer_is_the_body_as_it_came() {
    let mock = mock().await;
    let c = client(&mock);
    let (body, meta) = c
        .execute_json_raw::<WhoamiAccountsParams>(json!({}), &RequestOptions::new())
        .await
        .unwrap();
    assert_eq!(meta.status, 200);
    let value: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(value["data"]["account"]["subdomain"], "test-account");
    let e = c
        .execute_json_raw::<avochato::params::GetMessagesParams>(
            json!({"id": "nope"}),
            &RequestOptions::new(),
        )
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
}
