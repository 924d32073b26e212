//! Where an API request's parameters come from: the query string (every method) and, except
//! for GET, the body — JSON (`application/json`, `*+json`) or form-encoded
//! (`application/x-www-form-urlencoded`), as the vendor's own clients send them. Bracket
//! keys are nested (see `nest`). When a name is in both, the body's value wins.

use serde_json::{Map, Value};

use crate::http::{ApiError, ApiResult};
use crate::nest::nest;

/// How a body is encoded.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Encoding {
    Json,
    Form,
}

/// The encoding a `Content-Type` names. Without one, a body starting with `{` or `[` is
/// read as JSON and anything else as a form (as Rack reads a POST without a type).
fn encoding(content_type: Option<&str>, body: &[u8]) -> ApiResult<Encoding> {
    let essence = content_type
        .and_then(|ct| ct.split(';').next())
        .map(|t| t.trim().to_ascii_lowercase())
        .unwrap_or_default();
    match essence.as_str() {
        "application/json" => Ok(Encoding::Json),
        t if t.starts_with("application/") && t.ends_with("+json") => Ok(Encoding::Json),
        "application/x-www-form-urlencoded" => Ok(Encoding::Form),
        "" => match body.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'{' | b'[') => Ok(Encoding::Json),
            _ => Ok(Encoding::Form),
        },
        other => Err(ApiError::bad(format!(
            "Unsupported content type {:?}: send application/json or application/x-www-form-urlencoded",
            other.chars().take(100).collect::<String>()
        ))),
    }
}

/// A request body, as sent and as the API reads it.
pub struct Body {
    /// For the recorder: a JSON body's object as sent, a form's parameters nested.
    pub as_sent: Map<String, Value>,
    /// Nested parameters.
    pub params: Map<String, Value>,
}

/// Parses a body; an empty (or blank) one has no parameters.
pub fn body(content_type: Option<&str>, bytes: &[u8]) -> ApiResult<Body> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Body {
            as_sent: Map::new(),
            params: Map::new(),
        });
    }
    match encoding(content_type, bytes)? {
        Encoding::Json => match serde_json::from_slice::<Value>(bytes) {
            Ok(Value::Object(m)) => Ok(Body {
                params: nest(m.clone())?,
                as_sent: m,
            }),
            Ok(_) => Err(ApiError::bad("The request body must be a JSON object")),
            Err(e) => Err(ApiError::bad(format!(
                "Malformed JSON in the request body: {e}"
            ))),
        },
        Encoding::Form => {
            if std::str::from_utf8(bytes).is_err() {
                return Err(ApiError::bad(
                    "Malformed form-encoded request body: not UTF-8 text",
                ));
            }
            let params = nest(pairs(bytes))?;
            Ok(Body {
                as_sent: params.clone(),
                params,
            })
        }
    }
}

/// Form-encoded pairs, as string values.
fn pairs(bytes: &[u8]) -> impl Iterator<Item = (String, Value)> + '_ {
    form_urlencoded::parse(bytes).map(|(k, v)| (k.into_owned(), Value::String(v.into_owned())))
}

/// The query string as flat pairs (`created_at[from]` kept as written; a repeated name
/// keeps its last value), for the recorder.
pub fn flat_query(query: Option<&str>) -> Map<String, Value> {
    pairs(query.unwrap_or("").as_bytes()).collect()
}

/// The query string's parameters, nested.
pub fn query(query: Option<&str>) -> ApiResult<Map<String, Value>> {
    nest(pairs(query.unwrap_or("").as_bytes()))
}

/// The query's parameters with the body's on top: a name in both takes the body's value
/// (the whole value: `created_at[from]` in the query and `created_at[to]` in the body
/// give the body's `created_at` only).
pub fn merge(mut query: Map<String, Value>, body: Map<String, Value>) -> Map<String, Value> {
    for (k, v) in body {
        query.insert(k, v);
    }
    query
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parsed(ct: Option<&str>, body: &str) -> Result<Value, u16> {
        super::body(ct, body.as_bytes())
            .map(|b| Value::Object(b.params))
            .map_err(|e| e.status)
    }

    #[test]
    fn content_types() {
        let json_ct = Some("application/json; charset=utf-8");
        let form_ct = Some("application/x-www-form-urlencoded");
        assert_eq!(parsed(json_ct, r#"{"a": 1}"#), Ok(json!({"a": 1})));
        assert_eq!(
            parsed(Some("application/vnd.api+json"), r#"{"a": 1}"#),
            Ok(json!({"a": 1}))
        );
        assert_eq!(
            parsed(form_ct, "a=1&b=%2B1"),
            Ok(json!({"a": "1", "b": "+1"}))
        );
        assert_eq!(parsed(None, r#" {"a": true}"#), Ok(json!({"a": true})));
        assert_eq!(parsed(None, "a=x+y"), Ok(json!({"a": "x y"})));
        assert_eq!(parsed(json_ct, "  \n"), Ok(json!({})));
        assert_eq!(parsed(Some("text/plain"), "a=1"), Err(400));
        assert_eq!(
            parsed(Some("multipart/form-data; boundary=x"), "--x"),
            Err(400)
        );
        assert_eq!(parsed(json_ct, "a=1"), Err(400));
        assert_eq!(parsed(json_ct, "[1]"), Err(400));
        assert_eq!(
            super::body(form_ct, &[b'a', b'=', 0xFF])
                .map(|_| ())
                .map_err(|e| e.status),
            Err(400)
        );
    }

    #[test]
    fn a_json_body_is_recorded_as_sent_and_read_nested() {
        let b = super::body(None, br#"{"via_field[field]": "email"}"#);
        let Ok(b) = b else { panic!("parses") };
        assert_eq!(
            Value::Object(b.as_sent),
            json!({"via_field[field]": "email"})
        );
        assert_eq!(
            Value::Object(b.params),
            json!({"via_field": {"field": "email"}})
        );
    }

    #[test]
    fn the_body_wins_over_the_query() {
        let q = query(Some("a=q&b=q&created_at[from]=1")).unwrap_or_default();
        let Ok(b) = parsed(None, "b=body&created_at[to]=2") else {
            panic!("parses")
        };
        let merged = merge(q, b.as_object().cloned().unwrap_or_default());
        assert_eq!(
            Value::Object(merged),
            json!({"a": "q", "b": "body", "created_at": {"to": "2"}})
        );
        assert_eq!(
            Value::Object(flat_query(Some("x%5B%5D=1&x%5B%5D=2"))),
            json!({"x[]": "2"})
        );
    }
}
