//! Requests as the API reads them, and its error envelope.

use serde_json::{Map, Value, json};

/// An error answered in the vendor's envelope: `{"status": 401, "errors": ["Unauthorized"]}`.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub status: u16,
    pub errors: Value,
}

impl ApiError {
    pub fn new(status: u16, message: impl Into<String>) -> Self {
        ApiError {
            status,
            errors: json!([message.into()]),
        }
    }
    /// An error whose `errors` is a single string (the vendor does both).
    pub fn plain(status: u16, message: impl Into<String>) -> Self {
        ApiError {
            status,
            errors: Value::String(message.into()),
        }
    }
    pub fn unauthorized() -> Self {
        ApiError::new(401, "Unauthorized")
    }
    pub fn forbidden(message: impl Into<String>) -> Self {
        ApiError::new(403, message)
    }
    pub fn not_found(what: &str) -> Self {
        ApiError::new(404, format!("{what} not found"))
    }
    pub fn bad(message: impl Into<String>) -> Self {
        ApiError::new(400, message)
    }
    pub fn missing(param: &str) -> Self {
        ApiError::new(400, format!("Missing required parameter: {param}"))
    }
    pub fn body(&self) -> Value {
        json!({"status": self.status, "errors": self.errors})
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// Percent-decoded path segments.
pub fn segments(path: &str) -> Vec<String> {
    path.split('/')
        .filter(|s| !s.is_empty())
        .map(|s| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8_lossy()
                .into_owned()
        })
        .collect()
}

/// Parameter accessors that accept what a Rails API accepts (`"1"`, `1`, `true`, `"true"`).
pub struct Params<'a>(pub &'a Map<String, Value>);

impl<'a> Params<'a> {
    pub fn raw(&self, key: &str) -> Option<&'a Value> {
        self.0.get(key).filter(|v| !v.is_null())
    }

    pub fn has(&self, key: &str) -> bool {
        self.raw(key).is_some()
    }

    /// A string (numbers are written out); empty strings count as absent.
    pub fn str(&self, key: &str) -> Option<String> {
        match self.raw(key)? {
            Value::String(s) if s.is_empty() => None,
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// A string that may be empty (`stuck_number: ""` clears it).
    pub fn str_or_empty(&self, key: &str) -> Option<String> {
        match self.raw(key)? {
            Value::String(s) => Some(s.clone()),
            other => Some(other.to_string()),
        }
    }

    pub fn required(&self, key: &str) -> ApiResult<String> {
        self.str(key).ok_or_else(|| ApiError::missing(key))
    }

    pub fn bool(&self, key: &str) -> ApiResult<Option<bool>> {
        match self.raw(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(Value::Number(n)) if n.as_i64() == Some(0) => Ok(Some(false)),
            Some(Value::Number(n)) if n.as_i64() == Some(1) => Ok(Some(true)),
            Some(Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" => Ok(Some(true)),
                "false" | "0" | "no" | "" => Ok(Some(false)),
                _ => Err(ApiError::bad(format!("{key} must be true or false"))),
            },
            Some(_) => Err(ApiError::bad(format!("{key} must be true or false"))),
        }
    }

    pub fn f64(&self, key: &str) -> ApiResult<Option<f64>> {
        match self.raw(key) {
            None => Ok(None),
            Some(Value::Number(n)) => Ok(n.as_f64()),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(Value::String(s)) => s
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|f| f.is_finite())
                .map(Some)
                .ok_or_else(|| ApiError::bad(format!("{key} must be a number"))),
            Some(_) => Err(ApiError::bad(format!("{key} must be a number"))),
        }
    }

    pub fn i64(&self, key: &str) -> ApiResult<Option<i64>> {
        match self.f64(key)? {
            Some(f) if f.fract() == 0.0 && f.abs() < 9e15 => Ok(Some(f as i64)),
            Some(_) => Err(ApiError::bad(format!("{key} must be an integer"))),
            None => Ok(None),
        }
    }

    /// A page number (default 1).
    pub fn page(&self) -> ApiResult<usize> {
        match self.i64("page")? {
            None => Ok(1),
            Some(p) if p >= 1 => Ok(p as usize),
            Some(_) => Err(ApiError::bad("page must be 1 or more")),
        }
    }

    /// A list given as an array or as a comma-separated string.
    pub fn list(&self, key: &str) -> Vec<String> {
        match self.raw(key) {
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(|v| match v {
                    Value::String(s) => Some(s.trim().to_string()),
                    Value::Number(n) => Some(n.to_string()),
                    _ => None,
                })
                .filter(|s| !s.is_empty())
                .collect(),
            Some(Value::String(s)) => s
                .split(',')
                .map(|p| p.trim().to_string())
                .filter(|p| !p.is_empty())
                .collect(),
            _ => Vec::new(),
        }
    }

    /// A `{from, to}` window (`created_at[from]`), as floats.
    pub fn range(&self, key: &str) -> ApiResult<(Option<f64>, Option<f64>)> {
        match self.raw(key) {
            None => Ok((None, None)),
            Some(Value::Object(o)) => {
                let p = Params(o);
                Ok((p.f64("from")?, p.f64("to")?))
            }
            Some(_) => Err(ApiError::bad(format!("{key} must have from and/or to"))),
        }
    }

    pub fn object(&self, key: &str) -> Option<&'a Map<String, Value>> {
        match self.raw(key) {
            Some(Value::Object(o)) => Some(o),
            _ => None,
        }
    }
}

/// E.164 from what a user typed: `+1...`, 10 US digits, or 11 starting with 1.
pub fn normalize_phone(raw: &str) -> Option<String> {
    let t = raw.trim();
    if t.starts_with("avochato:") {
        return Some(t.to_string());
    }
    let digits: String = t.chars().filter(char::is_ascii_digit).collect();
    let ok_chars = t
        .chars()
        .all(|c| c.is_ascii_digit() || " -.()+".contains(c));
    if !ok_chars {
        return None;
    }
    let e164 = if t.starts_with('+') {
        format!("+{digits}")
    } else if digits.len() == 10 {
        format!("+1{digits}")
    } else if digits.len() == 11 && digits.starts_with('1') {
        format!("+{digits}")
    } else {
        return None;
    };
    let n = e164.len() - 1;
    ((8..=15).contains(&n) && !e164.starts_with("+0")).then_some(e164)
}

/// Slices page `page` (from 1) of `items`, 30 to a page.
pub fn page_of<T>(items: Vec<T>, page: usize, size: usize) -> Vec<T> {
    items
        .into_iter()
        .skip((page - 1).saturating_mul(size))
        .take(size)
        .collect()
}

pub const PAGE_SIZE: usize = 30;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones() {
        assert_eq!(
            normalize_phone("5105551234").as_deref(),
            Some("+15105551234")
        );
        assert_eq!(
            normalize_phone("+1 (510) 555-1234").as_deref(),
            Some("+15105551234")
        );
        assert_eq!(
            normalize_phone("avochato:c:XXXX").as_deref(),
            Some("avochato:c:XXXX")
        );
        assert_eq!(normalize_phone("hello"), None);
        assert_eq!(normalize_phone("123"), None);
    }
}
