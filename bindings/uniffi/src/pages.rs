//! Pages for the JVM: uniffi has no generic records, so each item type a page can hold has
//! its own record (`ContactPage`, ...), with the fields of the core's [`Page`] (a field added
//! there fails to compile here until it is carried over).

use avochato::Page;
use avochato::models::*;

macro_rules! page_records {
    ($($T:ident),* $(,)?) => { pastey::paste! { $(
        #[doc = "One page of `" $T "` items, with what the API said about it."]
        #[derive(Clone, Debug, PartialEq, uniffi::Record)]
        pub struct [<$T Page>] {
            /// The items on this page.
            pub items: Vec<$T>,
            /// The page number (page-numbered lists).
            pub page: Option<i64>,
            /// The page size the API used.
            pub limit: Option<i64>,
            /// The cursor for the next page (contacts: pass it as `afterPage`); null at the end.
            pub next_page: Option<String>,
            /// The cursor this page was asked for (contacts).
            pub after_page: Option<String>,
            /// The last key on this page (tags: pass it as `lastKey`).
            pub last_key: Option<String>,
            /// Items on this page, as the API counts them (contacts).
            pub size: Option<i64>,
            /// Items in all pages (tickets).
            pub total_count: Option<i64>,
        }

        impl From<Page<$T>> for [<$T Page>] {
            fn from(p: Page<$T>) -> Self {
                let Page { items, page, limit, next_page, after_page, last_key, size, total_count } = p;
                let wide = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
                [<$T Page>] {
                    items,
                    page: page.map(i64::from),
                    limit: limit.map(i64::from),
                    next_page,
                    after_page,
                    last_key,
                    size: size.map(wide),
                    total_count: total_count.map(wide),
                }
            }
        }
    )* } };
}

// Every item type of a `page<...>` operation (a missing one is a compile error where the
// operation's method is expanded).
page_records!(
    Account,
    Broadcast,
    Campaign,
    Contact,
    Event,
    Message,
    ScheduledMessage,
    Tag,
    Ticket,
    User,
);
