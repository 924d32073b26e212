//! Checks run on parameters before anything is sent.

use crate::error::{Error, Result};
use crate::types::Ids;

/// Implemented by every parameter type; [`crate::Client`] calls it before sending.
pub trait Validate {
    /// Returns a validation error naming the parameter at fault.
    fn validate(&self) -> Result<()>;
}

/// The documented message length limit.
pub const MAX_MESSAGE_CHARS: usize = 1600;

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

/// A message body: required, at most 1,600 characters.
pub fn message(param: &str, value: &str) -> Result<()> {
    required(param, value)?;
    let n = value.chars().count();
    if n > MAX_MESSAGE_CHARS {
        return Err(Error::validation(
            param,
            format!("is {n} characters long; the API allows at most {MAX_MESSAGE_CHARS}"),
        ));
    }
    Ok(())
}

/// An optional message body.
pub fn opt_message(param: &str, value: Option<&str>) -> Result<()> {
    match value {
        Some(v) => message(param, v),
        None => Ok(()),
    }
}

/// An E.164 phone number (`+14155551234`), where the reference asks for one.
pub fn e164(param: &str, value: &str) -> Result<()> {
    if crate::phone::is_e164(value) {
        Ok(())
    } else {
        Err(Error::validation(
            param,
            format!(
                "{value:?} is not in E.164 format (e.g. +14155551234); \
                 avochato::normalize_phone can convert national formats"
            ),
        ))
    }
}

/// An optional E.164 phone number.
pub fn opt_e164(param: &str, value: Option<&str>) -> Result<()> {
    value.map_or(Ok(()), |v| e164(param, v))
}

/// A phone number or live-chat identifier to address a contact by: not empty, no control
/// characters.
pub fn phone_like(param: &str, value: &str) -> Result<()> {
    required(param, value)?;
    if value.chars().any(char::is_control) {
        return Err(Error::validation(param, "contains control characters"));
    }
    Ok(())
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
            format!("{v:?} is not an http(s) URL"),
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
            format!("{value:?} is not an email address"),
        ))
    }
}

/// Contact priority: 0 through 5.
pub fn opt_priority(param: &str, value: Option<i64>) -> Result<()> {
    match value {
        Some(p) if !(0..=5).contains(&p) => Err(Error::validation(
            param,
            format!("must be 0 through 5, got {p}"),
        )),
        _ => Ok(()),
    }
}

/// A page number: 1 or more.
pub fn opt_page(value: Option<u32>) -> Result<()> {
    match value {
        Some(0) => Err(Error::validation("page", "pages are numbered from 1")),
        _ => Ok(()),
    }
}

/// A page size: 1 through 100.
pub fn opt_limit(value: Option<u32>) -> Result<()> {
    match value {
        Some(n) if !(1..=100).contains(&n) => Err(Error::validation(
            "limit",
            format!("must be 1 through 100, got {n}"),
        )),
        _ => Ok(()),
    }
}

/// One id that goes into a URL path segment.
pub fn path_id(param: &str, id: &str) -> Result<()> {
    if id.is_empty() {
        return Err(Error::validation(param, "an id must not be empty"));
    }
    if id.contains('/') {
        return Err(Error::validation(
            param,
            format!("id {id:?} must not contain '/'"),
        ));
    }
    if id == "." || id == ".." {
        return Err(Error::validation(
            param,
            format!("id {id:?} is not allowed"),
        ));
    }
    if id.chars().any(char::is_control) {
        return Err(Error::validation(
            param,
            "an id must not contain control characters",
        ));
    }
    Ok(())
}

/// The ids of a `:ids` route: at least one, each a valid path id.
pub fn ids(param: &str, ids: &Ids) -> Result<()> {
    if ids.is_empty() {
        return Err(Error::validation(param, "at least one id is required"));
    }
    ids.iter().try_for_each(|id| path_id(param, id))
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
            format!("{value:?} is not an inbox subdomain"),
        ))
    }
}

/// Exactly one of two alternative fields (`id` or `email` of a user).
pub fn one_of(a: (&str, Option<&str>), b: (&str, Option<&str>)) -> Result<()> {
    match (
        a.1.filter(|v| !v.trim().is_empty()),
        b.1.filter(|v| !v.trim().is_empty()),
    ) {
        (Some(_), Some(_)) => Err(Error::validation(
            a.0,
            format!("give `{}` or `{}`, not both", a.0, b.0),
        )),
        (None, None) => Err(Error::validation(
            a.0,
            format!("give `{}` or `{}`", a.0, b.0),
        )),
        _ => Ok(()),
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
    }

    #[test]
    fn path_ids_refuse_traversal() {
        for bad in ["", "a/b", ".", "..", "a\nb"] {
            assert!(path_id("ids", bad).is_err(), "{bad:?}");
        }
        assert!(path_id("ids", "a,b c%").is_ok());
        assert!(ids("ids", &Ids(vec![])).is_err());
    }

    #[test]
    fn one_of_requires_exactly_one() {
        assert!(one_of(("id", Some("x")), ("email", None)).is_ok());
        assert!(one_of(("id", None), ("email", Some("a@b.c"))).is_ok());
        assert!(one_of(("id", None), ("email", None)).is_err());
        assert!(one_of(("id", Some("x")), ("email", Some("a@b.c"))).is_err());
    }
}
