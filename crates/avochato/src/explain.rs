//! Why a response body is not the documented shape, in words every host gives alike.
//!
//! The typed decode (serde) is fast but words its errors with byte positions
//! (`invalid type: null, expected a string at line 1 column 45`). When it fails, this walk
//! over the same body, driven by the operation's type descriptions, names the place
//! instead: `` `data.contacts[3].id`: expected a string, got null ``. The JavaScript
//! package decodes every response with the same walk (tables generated from the same
//! descriptions, `js/src/normalize.mjs`); a differential test holds the two, and the typed
//! decode, to the same results.

use serde_json::{Map, Value};

use crate::describe::{TypeInfo, TypeRef};
use crate::endpoint::{OperationSpec, Shape};

/// The reason `body` does not decode as `spec`'s output, or `None` if it does.
pub fn reason(spec: &OperationSpec, body: &[u8]) -> Option<String> {
    let Ok(json) = serde_json::from_slice::<Value>(body) else {
        return Some("the response is not JSON".to_string());
    };
    let Value::Object(envelope) = json else {
        return Some("the response is not a JSON object".to_string());
    };
    let (value, path) = match data_value(spec, &envelope) {
        Ok(found) => found,
        Err(reason) => return Some(reason),
    };
    let checked = match spec.shape {
        Shape::One => walk(&spec.item, value, &path),
        Shape::List => match value {
            Value::Array(items) => each(&spec.item, items, &path),
            Value::Object(_) => walk(&spec.item, value, &path),
            other => Err(expected(&path, "a list or an object", other)),
        },
        Shape::Page => match value {
            Value::Array(items) => each(&spec.item, items, &path),
            other => Err(expected(&path, "a list", other)),
        },
    };
    checked.err()
}

/// The text of a missing `data` (or of none of its keys).
pub fn missing(keys: &[&str]) -> String {
    crate::decode::missing(keys)
}

/// The value the output is read from (`data`, or the first of its keys present).
fn data_value<'a>(
    spec: &OperationSpec,
    envelope: &'a Map<String, Value>,
) -> Result<(&'a Value, String), String> {
    let data = envelope
        .get("data")
        .ok_or_else(|| missing(spec.data_keys))?;
    if spec.data_keys.is_empty() {
        return Ok((data, "data".to_string()));
    }
    let Value::Object(data) = data else {
        return Err(expected("data", "an object", data));
    };
    spec.data_keys
        .iter()
        .find_map(|k| data.get(*k).map(|v| (v, format!("data.{k}"))))
        .ok_or_else(|| missing(spec.data_keys))
}

/// What a value is, in a message: the same words in every host.
pub fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn expected(path: &str, what: &str, got: &Value) -> String {
    format!("`{path}`: expected {what}, got {}", kind_of(got))
}

fn each(ty: &TypeRef, items: &[Value], path: &str) -> Result<(), String> {
    items
        .iter()
        .enumerate()
        .try_for_each(|(i, item)| walk(ty, item, &format!("{path}[{i}]")))
}

/// Whether `v` is a whole number an `i64` holds (`2` or `2.0`).
fn is_whole(v: &Value) -> bool {
    match v {
        Value::Number(n) => {
            n.is_i64()
                || n.as_f64().is_some_and(|x| {
                    x.fract() == 0.0
                        && (-9.223_372_036_854_775e18..9.223_372_036_854_775e18).contains(&x)
                })
        }
        _ => false,
    }
}

fn walk(ty: &TypeRef, v: &Value, path: &str) -> Result<(), String> {
    let ok = match ty {
        TypeRef::Text => v.is_string(),
        TypeRef::Integer { .. } => is_whole(v),
        TypeRef::Number => v.is_number(),
        TypeRef::Bool => v.is_boolean(),
        TypeRef::Time => crate::Timestamp::from_json(v).is_some(),
        TypeRef::Any => true,
        TypeRef::Enum(info) => v.as_str().is_some_and(|s| info.variants.contains(&s)),
        TypeRef::List(inner) => {
            return match v {
                Value::Array(items) => each(inner, items, path),
                other => Err(expected(path, "a list", other)),
            };
        }
        TypeRef::Map(inner) => {
            return match v {
                Value::Object(m) => m
                    .iter()
                    .try_for_each(|(k, x)| walk(inner, x, &format!("{path}.{k}"))),
                other => Err(expected(path, "an object", other)),
            };
        }
        TypeRef::Model(info) => return model(info, v, path),
        // Inputs only: a response never holds them.
        TypeRef::TimeRange | TypeRef::Ids | TypeRef::CsvList => true,
    };
    if ok {
        Ok(())
    } else {
        Err(expected(path, what(ty), v))
    }
}

/// What a type expects, in a message.
pub fn what(ty: &TypeRef) -> &'static str {
    match ty {
        TypeRef::Text => "a string",
        TypeRef::Integer { .. } => "a whole number",
        TypeRef::Number => "a number",
        TypeRef::Bool => "true or false",
        TypeRef::Time => "a time (Unix seconds or an ISO-8601 date-time)",
        TypeRef::Enum(_) => "one of its values",
        TypeRef::List(_) => "a list",
        TypeRef::Map(_) | TypeRef::Model(_) => "an object",
        TypeRef::Any | TypeRef::TimeRange | TypeRef::Ids | TypeRef::CsvList => "a value",
    }
}

fn model(info: &TypeInfo, v: &Value, path: &str) -> Result<(), String> {
    let Value::Object(m) = v else {
        return Err(expected(path, "an object", v));
    };
    if info.union.is_some() {
        // A union keeps what does not fit one of its cases, as it came.
        return Ok(());
    }
    for f in info.fields.iter().filter(|f| !f.flatten) {
        let p = format!("{path}.{}", f.name);
        match m.get(f.name) {
            None if f.required => return Err(format!("`{p}`: missing")),
            None => {}
            Some(Value::Null) if !f.required || f.ty == TypeRef::Any => {}
            Some(x) => walk(&f.ty, x, &p)?,
        }
    }
    Ok(())
}
