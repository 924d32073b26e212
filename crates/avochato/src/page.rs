//! One page of a list.

use serde::{Deserialize, Serialize};

/// One page of a list, with what the API said about it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
