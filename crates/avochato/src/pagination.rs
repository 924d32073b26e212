//! Pages, and walking through all of them.

use std::collections::VecDeque;

use futures_core::Stream;
use serde::Serialize;
use serde_json::Value;

use crate::client::Client;
use crate::cursor::PageCursor;
use crate::endpoint::{OperationSpec, Paginated};
use crate::error::Result;
use crate::page::Page;
use crate::request::RequestOptions;

/// Walks the pages of a paginated operation, one request per [`Pager::next_page`]
/// (see [`Client::paginate`]). It never loops: see the README's pagination section.
pub struct Pager<P: Paginated> {
    client: Client,
    /// The parameters as JSON (an error turning typed ones into JSON is kept for the first
    /// page to report).
    params: std::result::Result<Value, crate::Error>,
    options: RequestOptions,
    cursor: PageCursor,
    _p: std::marker::PhantomData<fn() -> P>,
}

// Walking pages starts from the client (`client.paginate(params)`).
impl Client {
    /// Walks every page of a paginated operation (see [`Pager`]).
    pub fn paginate<P: Paginated>(&self, params: P) -> Pager<P> {
        self.paginate_with(params, RequestOptions::default())
    }

    /// [`Client::paginate`] with per-call options.
    pub fn paginate_with<P: Paginated>(&self, params: P, options: RequestOptions) -> Pager<P> {
        Pager::new(self.clone(), Pager::<P>::params_json(&params), options)
    }

    /// [`Client::paginate`] with parameters given as JSON (checked at each page).
    pub fn paginate_json_typed<P: Paginated>(
        &self,
        params: Value,
        options: RequestOptions,
    ) -> Pager<P> {
        Pager::new(self.clone(), Ok(params), options)
    }

    /// Walks every page of the paginated operation `spec`, with JSON parameters.
    pub fn paginate_json(
        &self,
        spec: &'static OperationSpec,
        params: Value,
        options: RequestOptions,
    ) -> Result<JsonPager> {
        JsonPager::new(self.clone(), spec, params, options)
    }
}

impl<P: Paginated> Pager<P> {
    pub(crate) fn new(
        client: Client,
        params: std::result::Result<Value, crate::Error>,
        options: RequestOptions,
    ) -> Self {
        let cursor = PageCursor::new(P::STYLE, params.as_ref().unwrap_or(&Value::Null));
        Pager {
            client,
            params,
            options,
            cursor,
            _p: std::marker::PhantomData,
        }
    }

    pub(crate) fn params_json(params: &P) -> std::result::Result<Value, crate::Error> {
        crate::wire::params_json(params)
    }

    /// Whether the last page has been seen.
    pub fn is_done(&self) -> bool {
        self.cursor.is_done()
    }

    /// Fetches the next page; `None` once there are no more. After an error the same
    /// page can be asked for again.
    pub async fn next_page(&mut self) -> Result<Option<Page<P::Item>>> {
        if self.cursor.is_done() {
            return Ok(None);
        }
        let options = with_cursor(&self.options, &self.cursor);
        let params = self.params.clone()?;
        let page = self.client.execute_json::<P>(params, &options).await?.data;
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

/// Walks the pages of a paginated operation given as data, with JSON parameters (checked
/// once, when the walk starts) and JSON pages: for hosts that do not expand the operation
/// list (the CLI).
pub struct JsonPager {
    client: Client,
    spec: &'static OperationSpec,
    params: serde_json::Map<String, Value>,
    options: RequestOptions,
    cursor: PageCursor,
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
        let params = crate::params::check(spec, params)?;
        let cursor = PageCursor::new(style, &Value::Object(params.clone()));
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
        self.cursor.is_done()
    }

    /// The next page as JSON (`{"items": [...], "page": ..., ...}`); `None` at the end.
    pub async fn next_page(&mut self) -> Result<Option<Value>> {
        if self.cursor.is_done() {
            return Ok(None);
        }
        let options = with_cursor(&self.options, &self.cursor);
        let page = self
            .client
            .call_checked(self.spec, self.params.clone(), options)
            .await?
            .data;
        let items = page.get("items").and_then(Value::as_array);
        let text = |key: &str| page.get(key).and_then(Value::as_str).map(str::to_string);
        let keep = self.cursor.advance(
            items.map_or(0, Vec::len),
            page.get("page")
                .and_then(Value::as_u64)
                .and_then(|p| u32::try_from(p).ok()),
            text("next_page"),
            text("last_key"),
            || fingerprint(items.map_or(&[][..], Vec::as_slice)),
        );
        Ok(keep.then_some(page))
    }
}

fn with_cursor(options: &RequestOptions, cursor: &PageCursor) -> RequestOptions {
    match cursor.next_param() {
        Some(c) => options.clone().page_cursor(c),
        None => options.clone(),
    }
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
