//! Turning parameters into the request the documented examples send.
//!
//! * `:id`/`:ids` placeholders take their values out of the parameters; a list of ids is
//!   percent-encoded and joined with `%2C` into one path segment.
//! * nested objects become bracketed keys: `created_at: {from}` → `created_at[from]`,
//!   `via_field: {field}` → `via_field[field]` (in the query for GET, in the body otherwise).
//! * the operation's constant parameters are added; `subdomain` is added when set.
//! * credentials are not added here (the transport adds them last, so nothing that is
//!   logged or shown ever holds them).

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::{Map, Value};

use crate::config::Config;
use crate::endpoint::{Endpoint, HttpMethod, OperationSpec};
use crate::error::{Error, Result};
use crate::validate;

/// Everything but unreserved characters is encoded in a path segment (`,` → `%2C`).
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A request as it goes out, credentials included: never logged or shown.
#[derive(Clone, PartialEq)]
pub struct HttpRequest {
    /// The HTTP method.
    pub method: HttpMethod,
    /// The whole URL.
    pub url: String,
    /// The JSON body (not for GET).
    pub body: Option<String>,
}

impl std::fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .finish_non_exhaustive()
    }
}

/// A request ready for the transport, without credentials.
#[derive(Clone, Debug, PartialEq)]
pub struct WireRequest {
    /// The HTTP method.
    pub method: HttpMethod,
    /// The path with placeholders filled in and percent-encoded.
    pub path: String,
    /// The parameters: the query for GET, the JSON body otherwise.
    pub params: Map<String, Value>,
}

impl WireRequest {
    /// The query pairs (GET): strings as they are, numbers and booleans as text, `null`
    /// left out, lists as repeated `key[]`.
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        let mut pairs = Vec::with_capacity(self.params.len());
        for (k, v) in &self.params {
            push_pair(&mut pairs, k, v);
        }
        pairs
    }

    /// The request as it is sent: the URL (with the query and, for GET, the credentials)
    /// and the JSON body (with the credentials first, as the examples send them).
    pub fn to_http(&self, config: &Config) -> Result<HttpRequest> {
        let request = self;
        let mut url = String::with_capacity(config.base_url.len() + request.path.len() + 64);
        url.push_str(&config.base_url);
        url.push_str(&request.path);
        let auth = config
            .auth_id
            .as_deref()
            .zip(config.secret().map(|s| s.expose()));
        if request.method == HttpMethod::Get {
            let mut query = form_urlencoded::Serializer::new(String::new());
            if let Some((id, secret)) = auth {
                query
                    .append_pair("auth_id", id)
                    .append_pair("auth_secret", secret);
            }
            for (k, v) in request.query_pairs() {
                query.append_pair(&k, &v);
            }
            let query = query.finish();
            if !query.is_empty() {
                url.push('?');
                url.push_str(&query);
            }
            return Ok(HttpRequest {
                method: request.method,
                url,
                body: None,
            });
        }
        let mut body = String::with_capacity(256);
        body.push('{');
        let mut first = true;
        let mut entry = |k: &str, v: &Value| {
            if !first {
                body.push(',');
            }
            first = false;
            crate::text::json_string(k, &mut body);
            body.push(':');
            crate::text::json(v, &mut body);
        };
        if let Some((id, secret)) = auth {
            entry("auth_id", &Value::String(id.to_string()));
            entry("auth_secret", &Value::String(secret.to_string()));
        }
        for (k, v) in &request.params {
            if !(auth.is_some() && (k == "auth_id" || k == "auth_secret")) {
                entry(k, v);
            }
        }
        body.push('}');
        Ok(HttpRequest {
            method: request.method,
            url,
            body: Some(body),
        })
    }

    /// `path?query` as it is sent, without credentials (for logs and dry runs).
    pub fn path_and_query(&self) -> String {
        if self.method != HttpMethod::Get || self.params.is_empty() {
            return self.path.clone();
        }
        let mut ser = form_urlencoded::Serializer::new(String::new());
        for (k, v) in self.query_pairs() {
            ser.append_pair(&k, &v);
        }
        format!("{}?{}", self.path, ser.finish())
    }
}

fn push_pair(pairs: &mut Vec<(String, String)>, key: &str, value: &Value) {
    match value {
        Value::Null => {}
        Value::String(s) => pairs.push((key.to_string(), s.clone())),
        Value::Bool(b) => pairs.push((key.to_string(), b.to_string())),
        Value::Number(n) => pairs.push((key.to_string(), n.to_string())),
        Value::Array(items) => {
            let k = format!("{key}[]");
            for item in items {
                push_pair(pairs, &k, item);
            }
        }
        Value::Object(map) => {
            for (sub, v) in map {
                push_pair(pairs, &format!("{key}[{sub}]"), v);
            }
        }
    }
}

/// Checks and encodes typed parameters for their operation: their JSON goes through the
/// same [`crate::params::check`] as every host's.
pub fn encode<P: Endpoint>(
    params: &P,
    subdomain: Option<&str>,
    overrides: &[(String, Value)],
) -> Result<WireRequest> {
    encode_json(&P::SPEC, params_json(params)?, subdomain, overrides)
}

/// Typed parameters as JSON (a value JSON cannot carry, such as a NaN, is refused with the
/// field's name).
pub fn params_json<P: serde::Serialize>(params: &P) -> Result<Value> {
    serde_path_to_error::serialize(params, serde_json::value::Serializer).map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "." { String::new() } else { path };
        Error::validation(path, e.inner().to_string())
    })
}

/// Checks parameters given as JSON against the operation's type and rules, and encodes
/// them: the one step before sending, for every host.
pub fn encode_json(
    spec: &OperationSpec,
    params: Value,
    subdomain: Option<&str>,
    overrides: &[(String, Value)],
) -> Result<WireRequest> {
    let checked = crate::params::check(spec, params)?;
    encode_checked(spec, checked, subdomain, overrides)
}

/// Encodes parameters already checked against the operation's type (the result of
/// [`crate::params::check`]).
pub fn encode_checked(
    spec: &OperationSpec,
    mut map: Map<String, Value>,
    subdomain: Option<&str>,
    overrides: &[(String, Value)],
) -> Result<WireRequest> {
    let path = fill_path(spec.path, &mut map)?;
    for (k, v) in spec.constants {
        map.insert((*k).to_string(), Value::String((*v).to_string()));
    }
    for (k, v) in overrides {
        map.insert(k.clone(), v.clone());
    }
    let mut params = flatten(map);
    if let Some(sub) = subdomain
        && !params.contains_key("subdomain")
    {
        params.insert("subdomain".to_string(), Value::String(sub.to_string()));
    }
    Ok(WireRequest {
        method: spec.http_method,
        path,
        params,
    })
}

/// Fills `:name` segments from the parameters (removing them there).
fn fill_path(template: &str, map: &mut Map<String, Value>) -> Result<String> {
    let mut out = String::with_capacity(template.len() + 16);
    for segment in template.split('/').skip(1) {
        out.push('/');
        let Some(name) = segment.strip_prefix(':') else {
            out.push_str(segment);
            continue;
        };
        let value = match map.shift_remove(name) {
            Some(Value::Null) | None => {
                // Users are addressed by id or, instead, by email (which is also sent).
                match (name, map.get("email")) {
                    ("id", Some(Value::String(email))) => Value::String(email.clone()),
                    _ => return Err(Error::validation(name, "is required")),
                }
            }
            Some(v) => v,
        };
        let ids: Vec<String> = match value {
            Value::String(s) => vec![s],
            Value::Number(n) => vec![n.to_string()],
            Value::Array(items) => items
                .into_iter()
                .map(|v| match v {
                    Value::String(s) => Ok(s),
                    Value::Number(n) => Ok(n.to_string()),
                    other => Err(Error::validation(
                        name,
                        format!("{} is not an id", crate::text::json_text(&other)),
                    )),
                })
                .collect::<Result<_>>()?,
            other => {
                return Err(Error::validation(
                    name,
                    format!("{} is not an id", crate::text::json_text(&other)),
                ));
            }
        };
        if ids.is_empty() {
            return Err(Error::validation(name, "at least one id is required"));
        }
        for (i, id) in ids.iter().enumerate() {
            validate::path_id(name, id)?;
            if i > 0 {
                out.push_str("%2C");
            }
            out.extend(utf8_percent_encode(id, SEGMENT));
        }
    }
    Ok(out)
}

/// `{"a": {"b": 1}}` → `{"a[b]": 1}`, keeping the order of keys.
fn flatten(map: Map<String, Value>) -> Map<String, Value> {
    if !map.values().any(Value::is_object) {
        return map;
    }
    let mut out = Map::with_capacity(map.len() + 2);
    for (k, v) in map {
        flatten_into(&mut out, k, v);
    }
    out
}

fn flatten_into(out: &mut Map<String, Value>, key: String, value: Value) {
    match value {
        Value::Object(inner) => {
            for (sub, v) in inner {
                flatten_into(out, format!("{key}[{sub}]"), v);
            }
        }
        other => {
            out.insert(key, other);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::*;
    use crate::types::TimeRange;

    #[test]
    fn ids_join_into_one_encoded_segment() {
        let w = encode(
            &FetchContactsParams::new(["a1", "b-2", "user@example.com"]),
            None,
            &[],
        )
        .unwrap();
        assert_eq!(w.path, "/v1/contacts/a1%2Cb-2%2Cuser%40example.com");
        assert!(!w.params.contains_key("ids"));
    }

    #[test]
    fn bad_ids_are_refused_before_sending() {
        for bad in [
            vec![""],
            vec!["a/b"],
            vec![".."],
            vec!["."],
            vec!["a b"],
            vec!["c,d"],
            vec!["é"],
            vec!["a?b"],
        ] {
            let e = encode(&FetchContactsParams::new(bad.clone()), None, &[]).unwrap_err();
            assert_eq!(e.kind(), crate::ErrorKind::Validation, "{bad:?}");
        }
    }

    #[test]
    fn ranges_become_bracketed_keys() {
        let p = SearchMessagesParams::new()
            .query("hear")
            .created_at(TimeRange::between(1.5, 2.0));
        let w = encode(&p, None, &[]).unwrap();
        let q = w.path_and_query();
        assert_eq!(
            q,
            "/v1/messages?query=hear&created_at%5Bfrom%5D=1.5&created_at%5Bto%5D=2.0"
        );
    }

    #[test]
    fn constants_and_subdomain_are_added() {
        let w = encode(&UnassignTicketsParams::new(["t1"]), Some("inbox-2"), &[]).unwrap();
        assert_eq!(w.path, "/v1/tickets/t1");
        assert_eq!(w.params.get("user_id"), Some(&Value::from("unassign")));
        assert_eq!(w.params.get("subdomain"), Some(&Value::from("inbox-2")));
    }

    #[test]
    fn users_can_be_addressed_by_email() {
        let w = encode(&GetUsersParams::new().email("a.b@example.com"), None, &[]).unwrap();
        assert_eq!(w.path, "/v1/users/a.b%40example.com");
        assert_eq!(w.params.get("email"), Some(&Value::from("a.b@example.com")));
    }
}
