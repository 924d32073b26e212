//! The Rust quickstart: `cargo run -p avochato --example quickstart`.
//!
//! Reads `AVOCHATO_AUTH_ID`, `AVOCHATO_AUTH_SECRET` and `AVOCHATO_BASE_URL` (`make demo`
//! points them at avochato-mock).

use avochato::params::{SearchContactsParams, SendMessagesParams, UpsertContactsParams};
use avochato::{Client, ErrorKind, normalize_phone};
use futures_util::TryStreamExt;

#[tokio::main]
async fn main() -> Result<(), avochato::Error> {
    let client = Client::from_env()?;

    // Who am I? (GET /v1/whoami)
    let me = client.verify().await?;
    println!(
        "rust: signed in to inbox {} as {}",
        me.account.subdomain,
        me.user.name.unwrap_or_default()
    );

    // Phone numbers as people type them become E.164, the key contacts are matched on.
    let phone = normalize_phone("(415) 555-0123", "US")?;
    let contact = client
        .contacts()
        .upsert(
            UpsertContactsParams::new(phone.clone())
                .name("Ada Lovelace")
                .custom_field("plan", "gold"),
        )
        .await?;
    println!(
        "rust: contact {} ({}) plan={:?}",
        contact.id,
        phone,
        contact.custom_fields.get("plan")
    );

    // Send a text; the response carries the request id.
    let sent = client
        .messages()
        .send(SendMessagesParams::new(phone, "Hello from Rust!"))
        .with_response()
        .await?;
    println!(
        "rust: sent message {} (request {})",
        sent.data.event_id,
        sent.meta.request_id.unwrap_or_default()
    );

    // Every contact, across pages.
    let everyone: Vec<_> = client
        .contacts()
        .iter(SearchContactsParams::new())
        .items()
        .try_collect()
        .await?;
    println!("rust: {} contact(s) in the inbox", everyone.len());

    // Errors have kinds: bad input is refused before anything is sent.
    match client
        .messages()
        .send(SendMessagesParams::new("+14155550123", ""))
        .await
    {
        Err(e) if e.kind() == ErrorKind::Validation => {
            println!("rust: refused before sending: {e}")
        }
        other => println!("rust: unexpected: {other:?}"),
    }
    Ok(())
}
