//! One page of a list.

use serde::{Deserialize, Serialize};

use crate::describe::{DescribeType, TypeRef};

/// Calls `$m! { [extra] (name, Type, "doc") ... }` with every metadata field of a page (each
/// is an `Option` of its type). The core's [`Page`] is made from it, and so are the hosts'
/// page classes (Python's `Page`, the JVM's page records): a field added here reaches them all.
#[macro_export]
macro_rules! for_each_page_field {
    ($m:ident $([$($extra:tt)*])?) => {
        $m! {
            [$($($extra)*)?]
            (page, u32, "The page number (page-numbered lists).")
            (limit, u32, "The page size the API used.")
            (next_page, String, "The cursor for the next page (contacts: pass it as `after_page`); null at the end.")
            (after_page, String, "The cursor this page was asked for (contacts).")
            (last_key, String, "The last key on this page (tags: pass it as `last_key`).")
            (size, u64, "Items on this page, as the API counts them (contacts).")
            (total_count, u64, "Items in all pages (tickets).")
        }
    };
}

macro_rules! page_type {
    ([] $(($name:ident, $ty:ty, $doc:literal))*) => {
        /// One page of a list, with what the API said about it.
        #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
        pub struct Page<T> {
            /// The items on this page.
            pub items: Vec<T>,
            $(#[doc = $doc] pub $name: Option<$ty>,)*
        }

        impl<T> Default for Page<T> {
            fn default() -> Self {
                Page { items: Vec::new(), $($name: None,)* }
            }
        }

        impl<T> Page<T> {
            /// Applies `f` to every item.
            pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
                let Page { items, $($name,)* } = self;
                Page { items: items.into_iter().map(f).collect(), $($name,)* }
            }

            /// The page's metadata fields, for generators: name, type and description.
            pub const FIELDS: &'static [(&'static str, TypeRef, &'static str)] =
                &[$((stringify!($name), <$ty as DescribeType>::TYPE, $doc),)*];
        }
    };
}

for_each_page_field!(page_type);

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
}

impl<T> IntoIterator for Page<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}
