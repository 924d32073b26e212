//! Pages for the JVM: uniffi has no generic records, so each item type a page can hold has
//! its own record (`ContactPage`, ...), with the fields of the core's [`Page`]
//! (`for_each_page_field!`).

use avochato::Page;
use avochato::models::*;

/// A JVM number for a page field: uniffi's signed integers (Java has no unsigned ones).
pub trait Jvm {
    /// The JVM-side type.
    type Out;
    /// The value as the JVM takes it.
    fn jvm(self) -> Self::Out;
}
impl Jvm for u32 {
    type Out = i64;
    fn jvm(self) -> i64 {
        i64::from(self)
    }
}
impl Jvm for u64 {
    type Out = i64;
    fn jvm(self) -> i64 {
        i64::try_from(self).unwrap_or(i64::MAX)
    }
}
impl Jvm for String {
    type Out = String;
    fn jvm(self) -> String {
        self
    }
}

/// One record per item type, with the fields of `for_each_page_field!`.
macro_rules! page_record {
    ([$T:ident] $(($name:ident, $ty:ty, $doc:literal))*) => { pastey::paste! {
        #[doc = "One page of `" $T "` items, with what the API said about it."]
        #[derive(Clone, Debug, PartialEq, uniffi::Record)]
        pub struct [<$T Page>] {
            /// The items on this page.
            pub items: Vec<$T>,
            $(#[doc = $doc] pub $name: Option<<$ty as Jvm>::Out>,)*
        }

        impl From<Page<$T>> for [<$T Page>] {
            fn from(p: Page<$T>) -> Self {
                [<$T Page>] { items: p.items, $($name: p.$name.map(Jvm::jvm),)* }
            }
        }
    } };
}

macro_rules! page_records {
    ($($T:ident),* $(,)?) => { $( avochato::for_each_page_field!(page_record [$T]); )* };
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
