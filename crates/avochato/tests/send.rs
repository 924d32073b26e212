//! The core's futures and streams are `Send` natively (so they run on any tokio worker).
#![allow(clippy::unwrap_used)]

use std::future::IntoFuture;

use avochato::params::{ListMessagesParams, SearchContactsParams, SendMessagesParams};
use avochato::{Client, RequestOptions};

fn assert_send<T: Send>(_: &T) {}

#[test]
fn futures_and_streams_are_send() {
    let c = Client::builder()
        .auth("id", "secret-value")
        .base_url("http://127.0.0.1:9")
        .build()
        .unwrap();
    assert_send(
        &c.messages()
            .send(SendMessagesParams::new("+14155550100", "hi"))
            .into_future(),
    );
    assert_send(
        &c.messages()
            .send(SendMessagesParams::new("+14155550100", "hi"))
            .with_response(),
    );
    let p = ListMessagesParams::new();
    let o = RequestOptions::default();
    assert_send(&c.execute(&p, &o));
    assert_send(&c.verify());
    assert_send(&c.contacts().iter(SearchContactsParams::new()).items());
    assert_send(&c.paginate(ListMessagesParams::new()).pages());
    let spec = avochato::find_operation("messages", "list").unwrap();
    assert_send(&c.call_json(spec, serde_json::json!({}), RequestOptions::default()));
    let mut pager = c
        .paginate_json(spec, serde_json::json!({}), RequestOptions::default())
        .unwrap();
    assert_send(&pager.next_page());
}
