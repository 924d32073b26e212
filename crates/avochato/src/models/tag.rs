model! {
    /// A tag in an inbox.
    pub struct Tag {
        /// Tag name.
        pub name: String,
    }
}

model! {
    /// The answer to tagging or untagging contacts.
    pub struct TagAction {
        /// `tagged` or `untagged`.
        pub action: String,
        /// The tag.
        pub tag: String,
        /// The contacts concerned.
        pub ids: Vec<String>,
    }
}
