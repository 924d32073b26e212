/// A tag in an inbox.
#[avochato_macros::model]
pub struct Tag {
    /// Tag name.
    pub name: String,
}

/// The answer to tagging or untagging contacts.
#[avochato_macros::model]
pub struct TagAction {
    /// `tagged` or `untagged`.
    pub action: String,
    /// The tag.
    pub tag: String,
    /// The contacts concerned.
    pub ids: Vec<String>,
}
