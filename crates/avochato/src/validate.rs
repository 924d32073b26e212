//! The rules parameters follow, checked before anything is sent (the generic check in
//! [`crate::params::check`] applies them as each field's description says).

use crate::error::{Error, Result};
use crate::text::quoted;

/// The documented message length limit.
pub const MAX_MESSAGE_CHARS: usize = 1600;

/// What every host calls the phone normaliser (each exports it under its own name).
const NORMALIZER: &str =
    "normalize_phone (normalizePhone in JavaScript) converts other formats to E.164";

/// A required text field must not be empty.
pub fn required(param: &str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::validation(
            param,
            "is required and must not be empty",
        ));
    }
    Ok(())
}

/// A message body: required, at most 1,600 characters, no NUL byte (carriers cut the text
/// there, or refuse it).
pub fn message(param: &str, value: &str) -> Result<()> {
    required(param, value)?;
    let n = value.chars().count();
    if n > MAX_MESSAGE_CHARS {
        return Err(Error::validation(
            param,
            format!("is {n} characters long; the API allows at most {MAX_MESSAGE_CHARS}"),
        ));
    }
    if value.contains('\0') {
        return Err(Error::validation(param, "contains a NUL byte"));
    }
    Ok(())
}

/// An E.164 phone number (`+14155551234`), where the reference asks for one.
pub fn e164(param: &str, value: &str) -> Result<()> {
    if crate::phone::is_e164(value) {
        Ok(())
    } else {
        Err(Error::validation(
            param,
            format!(
                "{} is not in E.164 format (e.g. +14155551234); {NORMALIZER}",
                quoted(value)
            ),
        ))
    }
}

/// A phone number to address a contact by, as the reference writes them: `+14155551234`,
/// `4155551234`, `(415) 555-1234`, `+1 415.555.1234` (5 to 15 digits, `+` only first,
/// spaces, `-`, `.` and parentheses); or a live-chat identifier (`avochato:...`).
pub fn phone(param: &str, value: &str) -> Result<()> {
    required(param, value)?;
    if value.starts_with("avochato:") {
        return live_chat(param, value);
    }
    let v = value.trim();
    let digits = v.chars().filter(char::is_ascii_digit).count();
    let shape_ok = v.chars().enumerate().all(|(i, c)| {
        c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')') || (c == '+' && i == 0)
    });
    if !shape_ok {
        return Err(Error::validation(
            param,
            format!(
                "{} is not a phone number (digits, with an optional leading +); {NORMALIZER}",
                quoted(value)
            ),
        ));
    }
    if !(5..=15).contains(&digits) {
        return Err(Error::validation(
            param,
            format!(
                "{} has {digits} digits; a phone number has 5 to 15",
                quoted(value)
            ),
        ));
    }
    Ok(())
}

/// A live-chat contact identifier (`avochato:c:XXXX-YYYY-ZZZZ`).
pub fn live_chat(param: &str, value: &str) -> Result<()> {
    let ok = value.starts_with("avochato:")
        && value.len() > "avochato:".len()
        && !value.chars().any(|c| c.is_whitespace() || c.is_control());
    if ok {
        Ok(())
    } else {
        Err(Error::validation(
            param,
            format!(
                "{} is not a live-chat identifier (avochato:c:...)",
                quoted(value)
            ),
        ))
    }
}

/// An `http(s)` URL (media, status callbacks).
pub fn opt_url(param: &str, value: Option<&str>) -> Result<()> {
    let Some(v) = value else { return Ok(()) };
    let ok = (v.starts_with("https://") || v.starts_with("http://"))
        && v.len() > 8
        && !v.chars().any(|c| c.is_whitespace() || c.is_control());
    if ok {
        Ok(())
    } else {
        Err(Error::validation(
            param,
            format!("{} is not an http(s) URL", quoted(v)),
        ))
    }
}

/// An email address (only its shape: `name@domain`).
pub fn email(param: &str, value: &str) -> Result<()> {
    let v = value.trim();
    let ok = match v.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !domain.contains('@')
                && !v.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    };
    if ok {
        Ok(())
    } else {
        Err(Error::validation(
            param,
            format!("{} is not an email address", quoted(value)),
        ))
    }
}

/// One id that goes into a URL path segment: ASCII letters, digits and `-_.@+` (ids, inbox
/// subdomains, campaign keywords, and users' emails), not `.` or `..`. Anything else (`/`,
/// `?`, `#`, `,`, spaces, control or non-ASCII characters) could address another route or
/// several objects.
pub fn path_id(param: &str, id: &str) -> Result<()> {
    if id.is_empty() {
        return Err(Error::validation(param, "an id must not be empty"));
    }
    if id == "." || id == ".." {
        return Err(Error::validation(
            param,
            format!("id {} is not allowed", quoted(id)),
        ));
    }
    if let Some(c) = id
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '@' | '+')))
    {
        return Err(Error::validation(
            param,
            format!(
                "id {} must not contain {} (ids are letters, digits and -_.@+)",
                quoted(id),
                quoted(&c.to_string())
            ),
        ));
    }
    Ok(())
}

/// An inbox subdomain: letters, digits, `-` and `_`.
pub fn subdomain(value: &str) -> Result<()> {
    let ok = !value.is_empty()
        && value.len() <= 128
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(Error::validation(
            "subdomain",
            format!("{} is not an inbox subdomain", quoted(value)),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_length_is_counted_in_characters() {
        assert!(message("message", &"é".repeat(1600)).is_ok());
        let e = message("message", &"a".repeat(1601)).unwrap_err();
        assert_eq!(e.param(), Some("message"));
        assert!(message("message", "  ").is_err());
        assert!(message("message", "a\0b").is_err());
        assert!(message("message", "line one\nline two\ttab").is_ok());
    }

    #[test]
    fn path_ids_refuse_traversal_and_separators() {
        for bad in [
            "", "a/b", ".", "..", "a\nb", "a?b", "a#b", "a,b", "a b", "é", "a\0b", "a%2Fb",
        ] {
            assert!(path_id("ids", bad).is_err(), "{bad:?}");
        }
        for ok in [
            "ZMvbX0zbRm",
            "test-account",
            "account_24",
            "a.b+c@example.com",
        ] {
            assert!(path_id("ids", ok).is_ok(), "{ok:?}");
        }
    }

    #[test]
    fn phones_as_the_reference_writes_them() {
        for ok in [
            "+14155551234",
            "4155551234",
            "(415) 555-1234",
            "+1 415.555.1234",
            "+16505551234",
            "avochato:c:XXXX-YYYY-ZZZZ",
        ] {
            assert!(phone("phone", ok).is_ok(), "{ok:?}");
        }
        for bad in [
            "abc",
            "+1",
            "12345678901234567890",
            "415-555-CALL",
            "1+4155551234",
            "",
            "avochato:",
        ] {
            assert!(phone("phone", bad).is_err(), "{bad:?}");
        }
    }
}
