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

/// Replaces `secret` in `text` however it is written there: as it is, percent-encoded,
/// JSON- or HTML-escaped, or a mix (see `avochato_writings`).
pub fn redact_value(text: &str, secret: &str) -> String {
    if secret.chars().count() < 4 {
        return text.to_string();
    }
    let chars: Vec<char> = secret.chars().collect();
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let (mut i, mut last) = (0, 0);
    while i < bytes.len() {
        match avochato_writings::match_at(bytes, i, &chars) {
            Some(end) if end > i => {
                out.push_str(text.get(last..i).unwrap_or_default());
                out.push_str(REDACTED);
                i = end;
                last = end;
            }
            _ => i += 1,
        }
    }
    out.push_str(text.get(last..).unwrap_or_default());
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

    #[test]
    fn redact_catches_escaped_writings() {
        let secret = "sk_test_5d4c3b2a1f";
        for text in [
            "x sk_test_5d4c3b2a1f y",
            r"x \u0073k_test_5d4c3b2a1f y",
            "x &#115;k_test_5d4c3b2a1f y",
            "x sk%5Ftest%5F5d4c3b2a1f y",
            r#"{"errors":"bad \u0022sk_test_5d4c3b2a1f\u0022"}"#,
        ] {
            let out = redact_value(text, secret);
            assert!(out.contains(REDACTED), "{text} -> {out}");
            assert!(!out.contains("5d4c3b2a1f"), "{text} -> {out}");
        }
    }

    #[test]
    fn a_body_is_redacted_before_it_is_cut_into_an_excerpt() {
        let secret = "sk_test_5d4c3b2a1f_DO_NOT_LEAK";
        for at in 180..200 {
            let body = format!("{}{secret}{}", "a".repeat(at), "b".repeat(80));
            let e = crate::retry::answer_error(500, &[], body.as_bytes(), None, Some(secret));
            let shown = format!("{e} {:?} {:?}", e.body_excerpt(), e.errors());
            for n in 6..=secret.len() {
                let prefix = secret.get(..n).unwrap_or_default();
                assert!(!shown.contains(prefix), "cut at {at}: {prefix} in {shown}");
            }
        }
    }
}
