//! Pages, and walking through all of them.

use std::collections::{HashSet, VecDeque};

use futures_core::Stream;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::client::{Client, RequestOptions};
use crate::endpoint::{OperationSpec, PageStyle, Paginated};
use crate::error::Result;

/// One page of a list, with what the API said about it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "wasm",
    derive(tsify::Tsify),
    tsify(missing_as_null, hashmap_as_object)
)]
pub struct Page<T> {
    /// The items on this page.
    pub items: Vec<T>,
    /// The page number (page-numbered lists).
    pub page: Option<u32>,
    /// The page size the API used.
    pub limit: Option<u32>,
    /// The cursor for the next page (contacts: pass it as `after_page`); null at the end.
    pub next_page: Option<String>,
    /// The cursor this page was asked for (contacts).
    pub after_page: Option<String>,
    /// The last key on this page (tags: pass it as `last_key`).
    pub last_key: Option<String>,
    /// Items on this page, as the API counts them (contacts).
    pub size: Option<u64>,
    /// Items in all pages (tickets).
    pub total_count: Option<u64>,
}

impl<T> Default for Page<T> {
    fn default() -> Self {
        Page {
            items: Vec::new(),
            page: None,
            limit: None,
            next_page: None,
            after_page: None,
            last_key: None,
            size: None,
            total_count: None,
        }
    }
}

impl<T> Page<T> {
    /// Number of items on this page.
    pub fn len(&self) -> usize {
        self.items.len()
    }
    /// Whether the page has no items.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
    /// The items.
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.items.iter()
    }
    /// Applies `f` to every item.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            page: self.page,
            limit: self.limit,
            next_page: self.next_page,
            after_page: self.after_page,
            last_key: self.last_key,
            size: self.size,
            total_count: self.total_count,
        }
    }
}

impl<T> IntoIterator for Page<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// Where a walk through pages stands, whatever the operation: the shared logic of
/// [`Pager`] and [`JsonPager`].
///
/// It stops at an empty page, at a missing cursor, at a cursor it has seen before, and
/// when a page-numbered list answers with another page than the one asked for or with
/// the same items twice (a server ignoring `page`): it never loops.
#[derive(Debug)]
struct Cursor {
    style: PageStyle,
    next: Option<(String, Value)>,
    page_number: u32,
    seen: HashSet<String>,
    last_fingerprint: Option<String>,
    done: bool,
}

impl Cursor {
    fn new(style: PageStyle, params: &Value) -> Cursor {
        let page_number = params
            .get("page")
            .and_then(Value::as_u64)
            .and_then(|p| u32::try_from(p).ok())
            .unwrap_or(1);
        Cursor {
            style,
            next: None,
            page_number,
            seen: HashSet::new(),
            last_fingerprint: None,
            done: false,
        }
    }

    fn options(&self, base: &RequestOptions) -> RequestOptions {
        let mut options = base.clone();
        if let Some(c) = &self.next {
            options.overrides.push(c.clone());
        }
        options
    }

    /// Takes in a page's metadata; returns whether to hand the page out.
    fn advance(
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
            Some(c) if !c.is_empty() && self.seen.insert(c.clone()) => {
                self.next = Some((param.to_string(), Value::String(c)));
            }
            Some(c) if !c.is_empty() => {
                tracing::warn!(cursor = %c, "the API repeated a pagination cursor; stopping");
                self.done = true;
            }
            _ => self.done = true,
        }
    }
}

/// Walks the pages of a paginated operation, one request per [`Pager::next_page`]
/// (see [`Client::paginate`]). It never loops: see the README's pagination section.
pub struct Pager<P: Paginated> {
    client: Client,
    params: P,
    options: RequestOptions,
    cursor: Cursor,
}

impl<P: Paginated> Pager<P> {
    pub(crate) fn new(client: Client, params: P, options: RequestOptions) -> Self {
        let cursor = Cursor::new(
            P::STYLE,
            &serde_json::to_value(&params).unwrap_or(Value::Null),
        );
        Pager {
            client,
            params,
            options,
            cursor,
        }
    }

    /// Whether the last page has been seen.
    pub fn is_done(&self) -> bool {
        self.cursor.done
    }

    /// Fetches the next page; `None` once there are no more. After an error the same
    /// page can be asked for again.
    pub async fn next_page(&mut self) -> Result<Option<Page<P::Item>>> {
        if self.cursor.done {
            return Ok(None);
        }
        let options = self.cursor.options(&self.options);
        let page = self.client.execute(&self.params, &options).await?.data;
        let keep = self.cursor.advance(
            page.items.len(),
            page.page,
            page.next_page.clone(),
            page.last_key.clone(),
            || fingerprint(&page.items),
        );
        Ok(keep.then_some(page))
    }

    /// Every page, as a stream.
    pub fn pages(self) -> impl Stream<Item = Result<Page<P::Item>>> {
        futures_util::stream::unfold(Some(self), |state| async move {
            let mut pager = state?;
            match pager.next_page().await {
                Ok(Some(page)) => Some((Ok(page), Some(pager))),
                Ok(None) => None,
                Err(e) => Some((Err(e), None)),
            }
        })
    }

    /// Every item of every page, as a stream (it ends after an error).
    pub fn items(self) -> impl Stream<Item = Result<P::Item>> {
        futures_util::stream::unfold(
            (Some(self), VecDeque::new()),
            |(mut state, mut buffer): (Option<Self>, VecDeque<P::Item>)| async move {
                loop {
                    if let Some(item) = buffer.pop_front() {
                        return Some((Ok(item), (state, buffer)));
                    }
                    let pager = state.as_mut()?;
                    match pager.next_page().await {
                        Ok(Some(page)) => buffer.extend(page.items),
                        Ok(None) => return None,
                        Err(e) => return Some((Err(e), (None, buffer))),
                    }
                }
            },
        )
    }
}

/// Walks the pages of a paginated operation given as data, with JSON parameters and JSON
/// pages: for hosts that do not expand the operation list (the CLI, the wasm layer).
pub struct JsonPager {
    client: Client,
    spec: &'static OperationSpec,
    params: Value,
    options: RequestOptions,
    cursor: Cursor,
}

impl JsonPager {
    pub(crate) fn new(
        client: Client,
        spec: &'static OperationSpec,
        params: Value,
        options: RequestOptions,
    ) -> Result<JsonPager> {
        let style = spec.pages.ok_or_else(|| {
            crate::Error::validation(
                "",
                format!("{} is not a paginated operation", spec.qualified_name()),
            )
        })?;
        let cursor = Cursor::new(style, &params);
        Ok(JsonPager {
            client,
            spec,
            params,
            options,
            cursor,
        })
    }

    /// Whether the last page has been seen.
    pub fn is_done(&self) -> bool {
        self.cursor.done
    }

    /// The next page as JSON (`{"items": [...], "page": ..., ...}`); `None` at the end.
    pub async fn next_page(&mut self) -> Result<Option<Value>> {
        match self.next_page_text().await? {
            Some(text) => serde_json::from_str(&text)
                .map(Some)
                .map_err(|e| crate::Error::decode(None, e, text.as_bytes())),
            None => Ok(None),
        }
    }

    /// The next page as JSON text; `None` at the end. Only the cursor fields are read
    /// here (the items are skimmed, not parsed into a tree).
    pub async fn next_page_text(&mut self) -> Result<Option<String>> {
        if self.cursor.done {
            return Ok(None);
        }
        let options = self.cursor.options(&self.options);
        let text = self
            .client
            .call_json_text(self.spec, self.params.clone(), options)
            .await?
            .data;
        let meta: PageText<'_> = serde_json::from_str(&text)
            .map_err(|e| crate::Error::decode(None, e, text.as_bytes()))?;
        let items = meta.items.unwrap_or_default();
        let keep = self.cursor.advance(
            items.len(),
            meta.page,
            meta.next_page.map(|c| c.into_owned()),
            meta.last_key.map(|c| c.into_owned()),
            || fingerprint_raw(&items),
        );
        Ok(keep.then_some(text))
    }
}

/// What the pager reads of a page given as text.
#[derive(serde::Deserialize)]
struct PageText<'a> {
    #[serde(borrow, default)]
    items: Option<Vec<&'a serde_json::value::RawValue>>,
    #[serde(default)]
    page: Option<u32>,
    #[serde(borrow, default)]
    next_page: Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow, default)]
    last_key: Option<std::borrow::Cow<'a, str>>,
}

fn fingerprint_raw(items: &[&serde_json::value::RawValue]) -> String {
    let first = items.first().map(|i| i.get()).unwrap_or_default();
    let last = items.last().map(|i| i.get()).unwrap_or_default();
    format!("{}|{first}|{last}", items.len())
}

fn fingerprint<T: Serialize>(items: &[T]) -> String {
    let first = items
        .first()
        .and_then(|i| serde_json::to_string(i).ok())
        .unwrap_or_default();
    let last = items
        .last()
        .and_then(|i| serde_json::to_string(i).ok())
        .unwrap_or_default();
    format!("{}|{first}|{last}", items.len())
}
