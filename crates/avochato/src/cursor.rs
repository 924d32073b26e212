//! Where a walk through pages stands: the pagination rules every host follows.

use serde_json::Value;

use crate::endpoint::PageStyle;

/// Where a walk through the pages of one operation stands, whatever the host: the Rust
/// pagers and the JavaScript iterators ask it which cursor to send next.
///
/// It stops at an empty page, at a missing cursor, at a cursor it has seen before, and
/// when a page-numbered list answers with another page than the one asked for or with
/// the same items twice (a server ignoring `page`): it never loops.
#[derive(Debug, Clone)]
pub struct PageCursor {
    style: PageStyle,
    next: Option<(String, Value)>,
    page_number: u32,
    /// Cursors already followed (a handful per walk: a list is enough).
    seen: Vec<String>,
    last_fingerprint: Option<String>,
    done: bool,
}

impl PageCursor {
    /// A walk from the page the parameters ask for (`page`, default 1).
    pub fn new(style: PageStyle, params: &Value) -> PageCursor {
        let page_number = params
            .get("page")
            .and_then(Value::as_u64)
            .and_then(|p| u32::try_from(p).ok())
            .unwrap_or(1);
        PageCursor {
            style,
            next: None,
            page_number,
            seen: Vec::new(),
            last_fingerprint: None,
            done: false,
        }
    }

    /// Whether the walk is over.
    pub fn is_done(&self) -> bool {
        self.done
    }

    /// The wire parameter that asks for the next page (`None`: the first page, as given).
    pub fn next_param(&self) -> Option<(String, Value)> {
        self.next.clone()
    }

    /// Takes in a page: its item count, its `page`, `next_page` and `last_key`, and a
    /// fingerprint of its items (any text that differs when the items do). Returns whether
    /// to hand the page out; afterwards [`PageCursor::is_done`] says whether to go on.
    pub fn advance(
        &mut self,
        len: usize,
        page: Option<u32>,
        next_page: Option<String>,
        last_key: Option<String>,
        fingerprint: impl FnOnce() -> String,
    ) -> bool {
        if len == 0 {
            self.done = true;
            return false;
        }
        match self.style {
            PageStyle::Number => {
                // A server that ignores `page` answers another page, or the same items.
                let fingerprint = fingerprint();
                let other_page = page.is_some_and(|p| p != self.page_number);
                if other_page || self.last_fingerprint.as_ref() == Some(&fingerprint) {
                    #[cfg(not(target_arch = "wasm32"))]
                    tracing::warn!(page = self.page_number, "the API repeated a page; stopping");
                    self.done = true;
                    return false;
                }
                self.last_fingerprint = Some(fingerprint);
                self.page_number = self.page_number.saturating_add(1);
                self.next = Some(("page".to_string(), Value::from(self.page_number)));
            }
            PageStyle::AfterPage => self.follow("after_page", next_page),
            PageStyle::LastKey => self.follow("last_key", last_key),
        }
        true
    }

    fn follow(&mut self, param: &str, next: Option<String>) {
        match next {
            Some(c) if !c.is_empty() && !self.seen.contains(&c) => {
                self.seen.push(c.clone());
                self.next = Some((param.to_string(), Value::String(c)));
            }
            Some(_c) if !_c.is_empty() => {
                #[cfg(not(target_arch = "wasm32"))]
                tracing::warn!(cursor = %_c, "the API repeated a pagination cursor; stopping");
                self.done = true;
            }
            _ => self.done = true,
        }
    }
}
