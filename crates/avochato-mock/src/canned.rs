//! Prepared answers for benchmarks (`POST /__mock/canned`): no auth, no state, no recording.

use axum::body::{Body, Bytes};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A prepared answer (benchmarks): no auth, no state, no recording.
///
/// With `pages: N`, the body is a cursor page: its `data.next_page` is `"p1"`, `"p2"`, ...
/// following the request's `after_page`, and `null` on the N-th page (a list of N pages
/// of the same items, for walking large lists without storing them).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Canned {
    pub method: String,
    pub path: String,
    #[serde(default = "ok_status")]
    pub status: u16,
    pub body: Value,
    #[serde(default)]
    pub pages: Option<u64>,
    /// The body, serialized once (split around the cursor with `pages`).
    #[serde(skip)]
    pub bytes: (Bytes, Bytes),
}

const NEXT_PAGE_MARK: &str = "\"__avochato_mock_next_page__\"";

impl Canned {
    pub fn prepare(&mut self) {
        if self.pages.is_some()
            && let Some(data) = self.body.get_mut("data").and_then(Value::as_object_mut)
        {
            data.insert(
                "next_page".into(),
                Value::String(NEXT_PAGE_MARK.trim_matches('"').into()),
            );
        }
        let bytes = serde_json::to_vec(&self.body).unwrap_or_default();
        self.body = Value::Null;
        let split = bytes
            .windows(NEXT_PAGE_MARK.len())
            .position(|w| w == NEXT_PAGE_MARK.as_bytes());
        self.bytes = match split {
            Some(at) => (
                Bytes::copy_from_slice(bytes.get(..at).unwrap_or_default()),
                Bytes::copy_from_slice(bytes.get(at + NEXT_PAGE_MARK.len()..).unwrap_or_default()),
            ),
            None => (Bytes::from(bytes), Bytes::new()),
        };
    }

    pub fn answer(&self, query: Option<&str>) -> Body {
        let Some(pages) = self.pages else {
            return Body::from(self.bytes.0.clone());
        };
        let page = form_urlencoded::parse(query.unwrap_or("").as_bytes())
            .find(|(k, _)| k == "after_page")
            .and_then(|(_, v)| v.strip_prefix('p').and_then(|n| n.parse::<u64>().ok()))
            .unwrap_or(0);
        let next = if page + 1 < pages {
            format!("\"p{}\"", page + 1)
        } else {
            "null".into()
        };
        let mut out = Vec::with_capacity(self.bytes.0.len() + self.bytes.1.len() + next.len());
        out.extend_from_slice(&self.bytes.0);
        out.extend_from_slice(next.as_bytes());
        out.extend_from_slice(&self.bytes.1);
        Body::from(out)
    }
}

fn ok_status() -> u16 {
    200
}
