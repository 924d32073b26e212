//! Conformance with the documented examples, per operation (64):
//! * the example response decodes into the operation's output type and re-encodes without
//!   losing a documented field;
//! * the call built from the example's parameters has the documented method, path and
//!   parameters (query for GET, JSON body otherwise).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use avochato::TypeRef;
use std::collections::BTreeSet;

use avochato::{OperationSpec, Shape, Timestamp, operations};
use serde_json::{Map, Value};

const FIXTURE: &str = include_str!("../../../tests/fixtures/avochato-v1.json");

/// Documented example parameters the SDK deliberately sends differently.
/// `Search Messages by timestamp` sends `direction` with no value (`&direction&`): an
/// empty direction is no filter, so the SDK (whose `direction` is `in` or `out`) leaves it out.
const DEVIATIONS: &[(&str, &str)] = &[("Search Messages by timestamp", "direction")];

fn fixture_ops() -> Vec<Value> {
    let doc: Value = serde_json::from_str(FIXTURE).unwrap();
    doc["operations"].as_array().unwrap().clone()
}

fn spec_for(title: &str) -> &'static OperationSpec {
    operations()
        .iter()
        .find(|s| s.title == title)
        .unwrap_or_else(|| panic!("no operation titled {title:?}"))
}

#[test]
fn the_manifest_and_the_reference_list_the_same_64_operations() {
    let documented: BTreeSet<String> = fixture_ops()
        .iter()
        .map(|o| o["title"].as_str().unwrap().to_string())
        .collect();
    let declared: BTreeSet<String> = operations().iter().map(|s| s.title.to_string()).collect();
    let count = fixture_ops().len();
    assert_eq!(
        documented.len(),
        count,
        "titles are unique in the reference"
    );
    assert_eq!(declared, documented);
    assert_eq!(operations().len(), count);
    let names: BTreeSet<String> = operations().iter().map(|s| s.qualified_name()).collect();
    assert_eq!(names.len(), count, "method names must be unique");
    for op in fixture_ops() {
        let spec = spec_for(op["title"].as_str().unwrap());
        assert_eq!(spec.http_method.as_str(), op["method"], "{}", spec.title);
        assert_eq!(spec.path, op["path"], "{}", spec.title);
    }
}

// ---------- responses ----------

fn numbers_equal(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * a.abs().max(b.abs()).max(1.0)
}

/// Whether `actual` holds every documented field of `expected` with an equal value.
fn covers(expected: &Value, actual: &Value, path: &str, problems: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, v) in e {
                match a.get(k) {
                    Some(av) => covers(v, av, &format!("{path}.{k}"), problems),
                    None => problems.push(format!("{path}.{k} is missing")),
                }
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                problems.push(format!("{path}: {} items, expected {}", a.len(), e.len()));
            }
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                covers(ev, av, &format!("{path}[{i}]"), problems);
            }
        }
        (Value::Number(e), Value::Number(a)) => {
            if !numbers_equal(e.as_f64().unwrap(), a.as_f64().unwrap()) {
                problems.push(format!("{path}: {a} != {e}"));
            }
        }
        // A documented ISO date-time is kept as the same instant, in seconds.
        (Value::String(e), Value::Number(a)) => match Timestamp::parse_iso8601(e) {
            Some(t) if numbers_equal(t.as_secs(), a.as_f64().unwrap()) => {}
            _ => problems.push(format!("{path}: {a} != {e:?}")),
        },
        (e, a) if e == a => {}
        (e, a) => problems.push(format!("{path}: {a} != {e}")),
    }
}

fn documented_data(spec: &OperationSpec, body: &Value) -> Value {
    let data = &body["data"];
    if spec.data_keys.is_empty() {
        return data.clone();
    }
    for key in spec.data_keys {
        if let Some(v) = data.get(*key) {
            return match (spec.shape, v) {
                (Shape::List, Value::Object(_)) => Value::Array(vec![v.clone()]),
                _ => v.clone(),
            };
        }
    }
    panic!(
        "{}: the example has none of {:?}",
        spec.title, spec.data_keys
    )
}

/// A body decoded by the operation's entry point, as a JSON tree.
fn decode(spec: &OperationSpec, body: &[u8]) -> Result<Value, String> {
    (spec.decode_json)(body)
}

#[test]
fn every_documented_response_decodes_and_reencodes_without_loss() {
    let mut failures = Vec::new();
    for op in fixture_ops() {
        let spec = spec_for(op["title"].as_str().unwrap());
        let body = &op["example_response"]["body"];
        let bytes = serde_json::to_vec(body).unwrap();
        let decoded = match decode(spec, &bytes) {
            Ok(v) => v,
            Err(e) => {
                failures.push(format!("{}: does not decode: {e}", spec.title));
                continue;
            }
        };
        let mut problems = Vec::new();
        let expected = documented_data(spec, body);
        match spec.shape {
            Shape::Page => {
                covers(&expected, &decoded["items"], "items", &mut problems);
                for meta in ["page", "limit", "after_page"] {
                    if let Some(v) = body.get(meta) {
                        covers(v, &decoded[meta], meta, &mut problems);
                    }
                }
                for meta in ["next_page", "size", "total_count", "last_key"] {
                    if let Some(v) = body["data"].get(meta) {
                        covers(v, &decoded[meta], meta, &mut problems);
                    }
                }
            }
            Shape::One | Shape::List => covers(&expected, &decoded, "data", &mut problems),
        }
        // Decoding again what was encoded gives the same value (nothing lost on a round trip).
        if spec.shape != Shape::Page {
            let wrapped = serde_json::json!({"status": 200, "data": rewrap(spec, &decoded)});
            match decode(spec, &serde_json::to_vec(&wrapped).unwrap()) {
                Ok(again) if again == decoded => {}
                Ok(again) => problems.push(format!(
                    "round trip changed the value: {again} vs {decoded}"
                )),
                Err(e) => problems.push(format!("re-encoded value does not decode: {e}")),
            }
        }
        for p in problems {
            failures.push(format!("{}: {p}", spec.title));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn rewrap(spec: &OperationSpec, decoded: &Value) -> Value {
    match spec.data_keys.first() {
        None => decoded.clone(),
        Some(k) => {
            let mut m = Map::new();
            m.insert((*k).to_string(), decoded.clone());
            Value::Object(m)
        }
    }
}

#[test]
fn custom_contact_fields_survive_decode_and_encode() {
    let body = br#"{"status":200,"data":{"contact":{"id":"a","phone":"+14155550000","tags":[],"tag_details":[],
        "opted_out":false,"double_opted_in":false,"muted":false,"blocked":false,"favorite_color":"green","loyalty":{"tier":2}}}}"#;
    let spec = spec_for("Update Single Contact");
    let v = decode(spec, body).unwrap();
    assert_eq!(v["favorite_color"], "green");
    assert_eq!(v["loyalty"]["tier"], 2);
    let contact: avochato::models::Contact = serde_json::from_value(v).unwrap();
    assert_eq!(
        contact.custom_fields.get("favorite_color"),
        Some(&Value::from("green"))
    );
}

#[test]
fn unknown_events_and_extra_fields_are_kept() {
    let body = br#"{"status":200,"data":{"events":[
        {"element_type":"Survey","event_id":"e1","score":9},
        {"element_type":"StatusChange","event_id":"e2","status":"Open","brand_new_field":[1,2]},
        {"element_type":"SmsMessage","event_id":"e3"}
    ]},"page":1,"limit":30}"#;
    let page: avochato::Page<avochato::models::Event> =
        serde_json::from_value(decode(spec_for("Fetch Events"), body).unwrap()).unwrap();
    assert!(
        matches!(&page.items[0], avochato::models::Event::Unknown(m) if m.get("score") == Some(&Value::from(9)))
    );
    assert!(
        matches!(&page.items[1], avochato::models::Event::StatusChange(s) if s.status.as_deref() == Some("Open"))
    );
}

// ---------- requests ----------

/// Turns a documented query value into the JSON type the parameter field has.
fn typed_value(ty: TypeRef, raw: &str) -> Value {
    match ty {
        TypeRef::Integer { .. } | TypeRef::Number | TypeRef::Time => {
            serde_json::from_str(raw).unwrap_or_else(|_| Value::from(raw))
        }
        TypeRef::Bool => Value::Bool(raw == "true" || raw == "1"),
        _ => Value::from(raw),
    }
}

/// `a[b]` keys become `{"a": {"b": ...}}`.
fn nest(flat: Vec<(String, Value)>) -> Map<String, Value> {
    let mut out = Map::new();
    for (k, v) in flat {
        match k.split_once('[') {
            Some((base, rest)) => {
                let sub = rest.trim_end_matches(']').to_string();
                let entry = out
                    .entry(base.to_string())
                    .or_insert_with(|| Value::Object(Map::new()));
                entry.as_object_mut().unwrap().insert(sub, v);
            }
            None => {
                out.insert(k, v);
            }
        }
    }
    out
}

fn field_type(spec: &OperationSpec, name: &str) -> TypeRef {
    spec.params_info()
        .fields
        .iter()
        .find(|f| f.name == name)
        .map(|f| f.ty)
        .unwrap_or(TypeRef::Text)
}

/// The parameters of a documented example, as a host would pass them.
fn example_params(
    spec: &OperationSpec,
    op: &Value,
) -> (Map<String, Value>, String, Vec<(String, String)>) {
    let route = op["example_request"]["route"].as_str().unwrap();
    let target = route.split_once(' ').unwrap().1;
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let mut params = Map::new();
    // Path placeholders.
    for (pattern, actual) in spec.path.split('/').zip(path.split('/')) {
        if let Some(name) = pattern.strip_prefix(':') {
            let decoded = percent_decode(actual);
            let ty = field_type(spec, name);
            let ids: Vec<Value> = decoded.split(',').map(Value::from).collect();
            let v = if ty == TypeRef::Ids {
                Value::Array(ids)
            } else {
                Value::from(decoded)
            };
            params.insert(name.to_string(), v);
        }
    }
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .filter(|(k, _)| k != "auth_id" && k != "auth_secret")
        .filter(|(k, _)| !DEVIATIONS.contains(&(spec.title, k.as_str())))
        .collect();
    if spec.http_method == avochato::HttpMethod::Get {
        let typed: Vec<(String, Value)> = pairs
            .iter()
            .map(|(k, v)| {
                let base = k.split('[').next().unwrap_or(k);
                let ty = if k.contains('[') {
                    TypeRef::Time
                } else {
                    field_type(spec, base)
                };
                (k.clone(), typed_value(ty, v))
            })
            .collect();
        params.extend(nest(typed));
    } else {
        let body = op["example_request"]["body"].as_object().unwrap();
        let flat: Vec<(String, Value)> = body
            .iter()
            .filter(|(k, _)| *k != "auth_id" && *k != "auth_secret")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        params.extend(nest(flat));
    }
    (params, path.to_string(), pairs)
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

#[test]
fn every_documented_request_is_built_as_documented() {
    let mut failures = Vec::new();
    for op in fixture_ops() {
        let spec = spec_for(op["title"].as_str().unwrap());
        let (params, path, query_pairs) = example_params(spec, &op);
        // Constant parameters are the operation's, not the caller's.
        let mut given = params.clone();
        for (k, _) in spec.constants {
            given.remove(*k);
        }
        let wire = match avochato::wire::encode_json(spec, Value::Object(given), None, &[]) {
            Ok(w) => w,
            Err(e) => {
                failures.push(format!("{}: refused {params:?}: {e}", spec.title));
                continue;
            }
        };
        if wire.method != spec.http_method || wire.path != path {
            failures.push(format!(
                "{}: {} {} instead of {} {path}",
                spec.title,
                wire.method.as_str(),
                wire.path,
                spec.http_method.as_str()
            ));
        }
        if spec.http_method == avochato::HttpMethod::Get {
            let mut got = wire.query_pairs();
            let mut want = query_pairs.clone();
            got.sort();
            want.sort();
            // Numbers are compared as numbers: the reference prints some floats with one
            // digit more than the shortest form that reads back to the same value.
            let same = got.len() == want.len()
                && got.iter().zip(&want).all(|((gk, gv), (wk, wv))| {
                    gk == wk
                        && (gv == wv
                            || matches!((gv.parse::<f64>(), wv.parse::<f64>()), (Ok(a), Ok(b)) if a == b))
                });
            if !same {
                failures.push(format!(
                    "{}: query {got:?}\n   documented {want:?}",
                    spec.title
                ));
            }
        } else {
            let documented: Map<String, Value> = op["example_request"]["body"]
                .as_object()
                .unwrap()
                .iter()
                .filter(|(k, _)| *k != "auth_id" && *k != "auth_secret")
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            if wire.params != documented {
                failures.push(format!(
                    "{}: body {}\n   documented {}",
                    spec.title,
                    Value::Object(wire.params.clone()),
                    Value::Object(documented)
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
