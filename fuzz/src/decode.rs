//! Response decoding, for every operation: the typed decode the Rust client (and the CLI and
//! Python, through `decode_json`) uses, the description-driven walk (`explain::reason`, which
//! the JavaScript package's normaliser mirrors), the page cursor fed from a decoded page, and
//! the error paths a failed answer takes in every host (`answer_error`, `decode_failure`).
//!
//! Invariants: nothing panics; the typed decode and the walk agree on whether the body is
//! the documented shape, except for two kinds of bodies no conforming server sends, where the
//! hosts differ: a key twice in one object (the typed decode refuses it; the walk, like
//! `JSON.parse`, takes the last value) and bytes that are not UTF-8 (the typed decode reads
//! the bytes: it skips them in values it ignores and refuses them in strings it reads; the
//! JavaScript package reads them as U+FFFD); no error text shows the secret.

use std::borrow::Cow;

use avochato::{Error, PageCursor, explain, operations, retry};
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use crate::SECRET;

pub(crate) fn run(data: &[u8]) {
    let Some((&sel, body)) = data.split_first() else {
        return;
    };
    let ops = operations();
    let Some(spec) = ops.get(usize::from(sel) % ops.len()) else {
        return;
    };
    let typed = (spec.decode_json)(body);
    // The walk as the JavaScript package runs it: on the body's text, which the platform
    // decodes with U+FFFD for bytes that are not UTF-8.
    let text = String::from_utf8_lossy(body);
    let walked = explain::reason(spec, text.as_bytes());
    let comparable = || matches!(text, Cow::Borrowed(_)) && !duplicate_keys(body);
    match (&typed, &walked) {
        (Ok(_), None) | (Err(_), Some(_)) => {}
        _ if !comparable() => {}
        (Ok(_), Some(reason)) => panic!(
            "{}: the typed decode accepts what the walk refuses: {reason}",
            spec.qualified_name()
        ),
        (Err(reason), None) => panic!(
            "{}: the walk accepts what the typed decode refuses: {reason}",
            spec.qualified_name()
        ),
    }
    if let (Ok(decoded), Some(style)) = (&typed, spec.pages) {
        follow_page(style, decoded);
    }

    // The answer's error paths, with the body as the host has it (the first byte's high
    // bits): parsed by the host (JavaScript) or not (Rust, Python); and the status.
    let parsed: Option<Value> = serde_json::from_slice(body).ok();
    let variant = usize::from(sel) / ops.len();
    let status = if variant & 1 == 0 { 400 } else { 302 };
    let host_parsed = if variant & 2 == 0 {
        None
    } else {
        parsed.as_ref()
    };
    let header = first_line(body);
    let headers: Vec<(String, String)> = ["retry-after", "location", "x-request-id"]
        .iter()
        .map(|k| ((*k).to_string(), header.to_string()))
        .collect();
    let reason = match &typed {
        Ok(_) => "fuzz".to_string(),
        Err(r) => r.clone(),
    };
    let e = retry::answer_error(status, &headers, body, host_parsed, Some(SECRET));
    no_secret(&e);
    let e = retry::decode_failure(200, &reason, body, host_parsed, Some(header), Some(SECRET));
    no_secret(&e);
    assert_eq!(
        avochato::decode::error_messages(body),
        parsed
            .as_ref()
            .map(avochato::decode::error_messages_of)
            .unwrap_or_default(),
        "error messages differ when the host parsed the body"
    );
    let _ = retry::parse_retry_after(header);
}

/// A page as a host's pager takes it in, then what it asks for next.
fn follow_page(style: avochato::PageStyle, page: &Value) {
    let text = |k: &str| page.get(k).and_then(Value::as_str).map(str::to_string);
    let number = page
        .get("page")
        .and_then(Value::as_u64)
        .and_then(|p| u32::try_from(p).ok());
    let items = page
        .get("items")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    let mut cursor = PageCursor::new(style, &Value::Null);
    let handed_out = cursor.advance(items, number, text("next_page"), text("last_key"), || {
        page.get("items").map(Value::to_string).unwrap_or_default()
    });
    if items == 0 {
        assert!(
            !handed_out && cursor.is_done(),
            "an empty page ends the walk"
        );
    }
    if let Some((name, value)) = cursor.next_param() {
        assert!(!cursor.is_done(), "a finished walk asks for {name}={value}");
    }
}

/// Whether an object in the JSON `body` has a key twice.
fn duplicate_keys(body: &[u8]) -> bool {
    struct Walk;
    impl<'de> Deserialize<'de> for Walk {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_any(Walk)
        }
    }
    impl<'de> Visitor<'de> for Walk {
        type Value = Walk;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("JSON")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Walk, A::Error> {
            let mut keys = std::collections::HashSet::new();
            while let Some(k) = map.next_key::<String>()? {
                if !keys.insert(k) {
                    return Err(de::Error::custom(DUPLICATE));
                }
                map.next_value::<Walk>()?;
            }
            Ok(Walk)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Walk, A::Error> {
            while seq.next_element::<Walk>()?.is_some() {}
            Ok(Walk)
        }
        fn visit_bool<E>(self, _: bool) -> Result<Walk, E> {
            Ok(Walk)
        }
        fn visit_i64<E>(self, _: i64) -> Result<Walk, E> {
            Ok(Walk)
        }
        fn visit_u64<E>(self, _: u64) -> Result<Walk, E> {
            Ok(Walk)
        }
        fn visit_f64<E>(self, _: f64) -> Result<Walk, E> {
            Ok(Walk)
        }
        fn visit_str<E>(self, _: &str) -> Result<Walk, E> {
            Ok(Walk)
        }
        fn visit_unit<E>(self) -> Result<Walk, E> {
            Ok(Walk)
        }
    }
    const DUPLICATE: &str = "duplicate key";
    matches!(serde_json::from_slice::<Walk>(body), Err(e) if e.to_string().starts_with(DUPLICATE))
}

/// The body's first line (at most 200 bytes), as a header value would come.
fn first_line(body: &[u8]) -> &str {
    let end = body
        .iter()
        .take(200)
        .position(|&b| b == b'\n')
        .unwrap_or(body.len().min(200));
    let head = body.get(..end).unwrap_or_default();
    match std::str::from_utf8(head) {
        Ok(s) => s,
        Err(e) => {
            std::str::from_utf8(head.get(..e.valid_up_to()).unwrap_or_default()).unwrap_or_default()
        }
    }
}

/// No text of the error holds the secret as it is.
fn no_secret(e: &Error) {
    let mut texts = vec![e.to_string(), format!("{e:?}"), e.message().to_string()];
    texts.extend(e.errors().iter().cloned());
    texts.extend(e.body_excerpt().map(str::to_string));
    texts.extend(e.request_id().map(str::to_string));
    for t in texts {
        assert!(!t.contains(SECRET), "the secret shows in an error: {t}");
    }
}
