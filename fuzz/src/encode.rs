//! The request encoder: parameters as JSON (as Python keywords, a JavaScript object or the
//! CLI's flags arrive) for an operation, through `params::check`, then the wire encoding
//! with a call's subdomain and page cursor, then the request as it is sent.
//!
//! Invariants: nothing panics; a refusal is a validation error; the path is the route with
//! each placeholder one percent-encoded segment of ids (nothing that changes the URL's
//! structure: no `/`, `?`, `#`, no `.`/`..` segment); the query is valid form encoding that
//! reads back as the credentials and the parameters; a body is a JSON object holding the
//! credentials first and then the parameters.

use avochato::wire::{WireRequest, encode_checked};
use avochato::{ClientBuilder, ErrorKind, HttpMethod, OperationSpec, RequestOptions, operations};
use serde_json::{Map, Value};

use crate::{AUTH_ID, SECRET};

const BASE_URL: &str = "http://127.0.0.1:9";

/// The call's subdomain (the second byte's low bits).
const SUBDOMAINS: [Option<&str>; 4] = [None, Some("second-inbox"), Some("x&y=z"), Some("")];

pub(crate) fn run(data: &[u8]) {
    let [sel, flags, json @ ..] = data else {
        return;
    };
    let ops = operations();
    let Some(spec) = ops.get(usize::from(*sel) % ops.len()) else {
        return;
    };
    let Ok(params) = serde_json::from_slice::<Value>(json) else {
        return;
    };
    let checked = match avochato::params::check(spec, params) {
        Ok(c) => c,
        Err(e) => return refused(spec, &e),
    };
    let mut options = RequestOptions::new();
    if let Some(sub) = SUBDOMAINS.get(usize::from(flags & 3)).copied().flatten() {
        options = options.subdomain(sub);
    }
    let cursor = match (flags >> 2) & 3 {
        1 => Some(("page".to_string(), Value::from(2))),
        2 => Some(("after_page".to_string(), Value::from("c/1?x#y"))),
        3 => Some(("last_key".to_string(), Value::from("k&1"))),
        _ => None,
    };
    if let Some(c) = cursor {
        options = options.page_cursor(c);
    }
    let config = match ClientBuilder::new()
        .auth(AUTH_ID, SECRET)
        .base_url(BASE_URL)
        .build_config()
    {
        Ok(c) => c,
        Err(e) => panic!("the harness's configuration is refused: {e}"),
    };
    let subdomain = match config.subdomain_for(&options) {
        Ok(s) => s,
        Err(e) => return refused(spec, &e),
    };
    let wire = match encode_checked(spec, checked, subdomain, options.overrides()) {
        Ok(w) => w,
        Err(e) => return refused(spec, &e),
    };
    check_path(spec, &wire.path);
    let http = match wire.to_http(&config) {
        Ok(h) => h,
        Err(e) => panic!(
            "{}: a checked request does not encode: {e}",
            spec.qualified_name()
        ),
    };
    let (url, query) = http.url.split_once('?').unwrap_or((&http.url, ""));
    assert_eq!(
        url,
        format!("{BASE_URL}{}", wire.path),
        "the URL is base + path"
    );
    let credentials = [("auth_id", AUTH_ID), ("auth_secret", SECRET)];
    if spec.http_method == HttpMethod::Get {
        assert!(http.body.is_none(), "a GET has no body");
        check_query(&wire, query, &credentials);
    } else {
        assert!(query.is_empty(), "only a GET has a query: {query}");
        check_body(
            &wire,
            http.body.as_deref().unwrap_or_default(),
            &credentials,
        );
    }
}

fn refused(spec: &OperationSpec, e: &avochato::Error) {
    assert_eq!(
        e.kind(),
        ErrorKind::Validation,
        "{}: refused with a {:?} error: {e}",
        spec.qualified_name(),
        e.kind()
    );
}

/// The route with each placeholder filled by one segment of percent-encoded ids.
fn check_path(spec: &OperationSpec, path: &str) {
    let name = spec.qualified_name();
    assert!(
        !path.contains(['?', '#']),
        "{name}: the path {path} has a query or fragment"
    );
    let route: Vec<&str> = spec.path.split('/').collect();
    let sent: Vec<&str> = path.split('/').collect();
    assert_eq!(route.len(), sent.len(), "{name}: {path} for {}", spec.path);
    for (r, s) in route.iter().zip(&sent) {
        if !r.starts_with(':') {
            assert_eq!(r, s, "{name}: {path} for {}", spec.path);
            continue;
        }
        assert!(!s.is_empty(), "{name}: an empty {r} in {path}");
        assert!(
            s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-._~%".contains(&b)),
            "{name}: {s} is not percent-encoded"
        );
        for id in s.split("%2C") {
            let decoded = percent_decoded(id)
                .unwrap_or_else(|| panic!("{name}: {id} is not valid percent-encoding"));
            assert!(
                !decoded.is_empty() && decoded != "." && decoded != "..",
                "{name}: the id {decoded:?} in {path} does not address one object"
            );
        }
    }
}

/// `%XX` (upper-case hex) and unreserved characters, decoded; `None` if anything else.
fn percent_decoded(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if c == b'%' {
            let hex = b.get(i + 1..i + 3)?;
            if !hex
                .iter()
                .all(|h| h.is_ascii_digit() || (b'A'..=b'F').contains(h))
            {
                return None;
            }
            out.push(u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?);
            i += 3;
        } else {
            out.push(c);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Valid form encoding that reads back as the credentials, then the parameters.
fn check_query(wire: &WireRequest, query: &str, credentials: &[(&str, &str)]) {
    let b = query.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        let ok = c.is_ascii_alphanumeric()
            || b"*-._+=&".contains(&c)
            || (c == b'%'
                && b.get(i + 1..i + 3)
                    .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)));
        assert!(ok, "byte {i} of the query {query:?} is not form encoding");
    }
    let read: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let mut expected: Vec<(String, String)> = credentials
        .iter()
        .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
        .collect();
    expected.extend(wire.query_pairs());
    assert_eq!(read, expected, "the query does not read back");
}

/// A JSON object: the credentials first, then the parameters.
fn check_body(wire: &WireRequest, body: &str, credentials: &[(&str, &str)]) {
    let parsed: Map<String, Value> = match serde_json::from_str(body) {
        Ok(m) => m,
        Err(e) => panic!("the body is not a JSON object ({e}): {body}"),
    };
    let mut expected = Map::new();
    for (k, v) in credentials {
        expected.insert((*k).to_string(), Value::from(*v));
    }
    for (k, v) in &wire.params {
        expected.entry(k.clone()).or_insert_with(|| v.clone());
    }
    let keys = |m: &Map<String, Value>| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&parsed), keys(&expected), "the body's keys: {body}");
    for (k, v) in &expected {
        assert!(
            same(v, &parsed[k]),
            "`{k}` is sent as {} instead of {v}",
            parsed[k]
        );
    }
}

/// Equal JSON, numbers compared by value (`1` and `1.0` are one number).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(i), Some(j)) => i == j,
            _ => match (x.as_u64(), y.as_u64()) {
                (Some(i), Some(j)) => i == j,
                _ => x.as_f64() == y.as_f64(),
            },
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((ka, va), (kb, vb))| ka == kb && same(va, vb))
        }
        _ => a == b,
    }
}
