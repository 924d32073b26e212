//! The API secret, which never prints.

use std::fmt;

/// What every printed form of a secret shows instead of it.
pub const REDACTED: &str = "[REDACTED]";

/// An `auth_secret`. Its `Debug` and `Display` print [`REDACTED`]; only
/// [`Secret::expose`] gives the value, and only the transport calls it.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret value, for putting on the wire.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether no secret was given.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Replaces every occurrence of the secret in `text` (also percent-encoded) with
    /// [`REDACTED`]. Secrets shorter than 4 characters are not searched for, so that a
    /// test secret like "x" does not blank out ordinary text.
    pub fn redact(&self, text: &str) -> String {
        redact_value(text, &self.0)
    }
}

/// Replaces `secret` (raw and percent-encoded) in `text`.
pub fn redact_value(text: &str, secret: &str) -> String {
    if secret.len() < 4 {
        return text.to_string();
    }
    let mut out = text.replace(secret, REDACTED);
    let encoded: String = form_urlencoded::byte_serialize(secret.as_bytes()).collect();
    if encoded != secret {
        out = out.replace(&encoded, REDACTED);
    }
    out
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_hide_the_value() {
        let s = Secret::new("sk_live_abcdef");
        assert_eq!(format!("{s:?}"), REDACTED);
        assert_eq!(format!("{s}"), REDACTED);
        assert_eq!(s.expose(), "sk_live_abcdef");
    }

    #[test]
    fn redact_replaces_raw_and_encoded_forms() {
        let s = Secret::new("a b+c/secret");
        let text = "x a b+c/secret y a+b%2Bc%2Fsecret z";
        let out = s.redact(text);
        assert!(!out.contains("secret"), "{out}");
        assert_eq!(out.matches(REDACTED).count(), 2);
    }
}
