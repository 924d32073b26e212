//! The one parameter check every request goes through, driven by the type descriptions.
//!
//! Given an operation and its parameters as JSON (from Rust's typed parameters, Python
//! keywords, a JavaScript object or the CLI's flags), [`check`] refuses what does not fit
//! (unknown names, wrong types, missing required values, and each field's [`Check`]
//! rules) and returns the parameters as the wire wants them: lenient booleans in their
//! documented form, times as seconds, comma lists joined, windows as `{from, to}`. The
//! result of a typed Rust value is the same as its `serde_json::to_value`, so every host
//! sends the same request for the same input.

use serde_json::{Map, Number, Value};

use crate::describe::{Check, FieldInfo, TypeInfo, TypeRef, Wire};
use crate::endpoint::OperationSpec;
use crate::error::{Error, Result};
use crate::types::Timestamp;
use crate::validate as v;

/// What a check is for: named in messages ("is not a parameter of messages.send").
struct Ctx<'a> {
    /// `messages.send`, or the type's name when no operation is involved.
    name: String,
    /// The resource whose own methods a reserved value names (`tickets.unassign()`).
    resource: &'a str,
}

/// Checks `params` against the operation's parameter type; returns them normalised for the
/// wire (path values still in, see [`crate::wire`]). `null` is "no parameters".
pub fn check(spec: &OperationSpec, params: Value) -> Result<Map<String, Value>> {
    let ctx = Ctx {
        name: spec.qualified_name(),
        resource: spec.resource,
    };
    let checked = check_object(&ctx, spec.params, params)?;
    path_values(spec.path, &checked)?;
    Ok(checked)
}

/// The values that go into the route's `:id`/`:ids` segments: ids that address one object
/// each (see [`v::path_id`]), at least one.
fn path_values(route: &str, params: &Map<String, Value>) -> Result<()> {
    for name in route.split('/').filter_map(|s| s.strip_prefix(':')) {
        match params.get(name) {
            Some(Value::String(id)) => v::path_id(name, id)?,
            Some(Value::Array(ids)) if ids.is_empty() => {
                return Err(Error::validation(name, "at least one id is required"));
            }
            Some(Value::Array(ids)) => {
                for id in ids {
                    match id {
                        Value::String(id) => v::path_id(name, id)?,
                        other => return Err(expected(name, "an id (a string)", other)),
                    }
                }
            }
            // Users are addressed by id or, instead, by email (checked as one of the two).
            None if name == "id" && params.contains_key("email") => {}
            None => return Err(Error::validation(name, "is required")),
            Some(other) => return Err(expected(name, "an id (a string)", other)),
        }
    }
    Ok(())
}

/// Checks one parameter of an operation on its own (a value a proxy pins, say): its type
/// and its rules; returns it as the wire wants it. `None`: the operation declares no such
/// parameter.
pub fn check_field(spec: &OperationSpec, name: &str, value: Value) -> Option<Result<Value>> {
    let f = spec.params.field(name).filter(|f| !f.flatten)?;
    let ctx = Ctx {
        name: spec.qualified_name(),
        resource: spec.resource,
    };
    Some(check_value(&ctx, f, &f.ty, value, name).and_then(|v| {
        for c in f.checks {
            field_check(&ctx, *c, &v, name)?;
        }
        Ok(wire_form(f, v))
    }))
}

/// Checks a value against a described input type (one contact of an import, say).
pub fn check_type(info: &'static TypeInfo, value: Value) -> Result<Map<String, Value>> {
    let ctx = Ctx {
        name: info.name.to_string(),
        resource: "",
    };
    check_object(&ctx, info, value)
}

fn check_object(
    ctx: &Ctx<'_>,
    info: &'static TypeInfo,
    params: Value,
) -> Result<Map<String, Value>> {
    let map = match params {
        Value::Null => Map::new(),
        Value::Object(m) => m,
        other => {
            return Err(Error::validation(
                "",
                format!("parameters must be an object, got {}", kind_of(&other)),
            ));
        }
    };
    check_struct(ctx, info, map, "")
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}.{name}")
    }
}

fn kind_of(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => {
            let shown: String = s.chars().take(40).collect();
            if shown.len() < s.len() {
                format!("{}...", crate::text::quoted(&shown))
            } else {
                crate::text::quoted(&shown)
            }
        }
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "an object".into(),
    }
}

fn check_struct(
    ctx: &Ctx<'_>,
    info: &'static TypeInfo,
    mut given: Map<String, Value>,
    prefix: &str,
) -> Result<Map<String, Value>> {
    // Names that are not fields: custom fields where the type has them, else refused.
    let flatten = info.flatten_field();
    let mut extra = Map::new();
    let unknown: Vec<String> = given
        .keys()
        .filter(|k| info.field(k).is_none_or(|f| f.flatten))
        .cloned()
        .collect();
    for key in unknown {
        let Some(value) = given.shift_remove(&key) else {
            continue;
        };
        if flatten.is_none() {
            let names = info.fields.iter().filter(|f| !f.flatten).map(|f| f.name);
            let hint = crate::text::nearest(&key, names)
                .map(|n| format!(" (did you mean `{n}`?)"))
                .unwrap_or_default();
            return Err(Error::validation(
                join(prefix, &key),
                format!(
                    "is not a parameter of {}{hint}",
                    if prefix.is_empty() {
                        ctx.name.as_str()
                    } else {
                        info.name
                    }
                ),
            ));
        }
        extra.insert(key, value);
    }

    let mut out = Map::with_capacity(info.fields.len() + extra.len());
    for f in info.fields {
        let path = join(prefix, f.name);
        if f.flatten {
            if let Some(f) = flatten {
                for c in f.checks {
                    map_check(*c, &extra, prefix)?;
                }
            }
            out.append(&mut extra);
            continue;
        }
        match given.shift_remove(f.name) {
            None | Some(Value::Null) => {
                if f.required {
                    return Err(Error::validation(path, "is required"));
                }
                if f.send_null {
                    out.insert(f.name.to_string(), Value::Null);
                }
            }
            Some(value) => {
                let value = check_value(ctx, f, &f.ty, value, &path)?;
                for c in f.checks {
                    match (&f.ty, c, &value) {
                        // A comma-separated list of phone numbers (`via_phone_numbers`):
                        // each item is one.
                        (TypeRef::CsvList, Check::Phone, Value::String(list)) => list
                            .split(',')
                            .map(str::trim)
                            .filter(|p| !p.is_empty())
                            .try_for_each(|p| v::phone(&path, p))?,
                        _ => field_check(ctx, *c, &value, &path)?,
                    }
                }
                out.insert(f.name.to_string(), wire_form(f, trimmed(f, value)));
            }
        }
    }
    for c in info.checks {
        struct_check(*c, &out, prefix)?;
    }
    Ok(out)
}

/// A phone number is sent as it was checked: without surrounding whitespace.
fn trimmed(f: &FieldInfo, value: Value) -> Value {
    let phone = f.checks.iter().any(|c| {
        matches!(
            c,
            Check::Phone | Check::PhoneOrEmpty | Check::E164 | Check::E164OrEmpty
        )
    });
    match value {
        Value::String(s) if phone && s.trim().len() != s.len() => Value::from(s.trim()),
        other => other,
    }
}

/// A boolean in the form the examples send it.
fn wire_form(f: &FieldInfo, value: Value) -> Value {
    match (f.wire, &value) {
        (Wire::Word, Value::Bool(b)) => Value::from(if *b { "true" } else { "false" }),
        (Wire::Digit, Value::Bool(b)) => Value::from(if *b { "1" } else { "0" }),
        _ => value,
    }
}

fn expected(path: &str, what: &str, got: &Value) -> Error {
    Error::validation(path, format!("must be {what}, got {}", kind_of(got)))
}

fn check_value(
    ctx: &Ctx<'_>,
    f: &FieldInfo,
    ty: &TypeRef,
    value: Value,
    path: &str,
) -> Result<Value> {
    match ty {
        TypeRef::Text => match value {
            Value::String(_) => Ok(value),
            other => Err(expected(path, "a string", &other)),
        },
        TypeRef::Integer { min, max } => {
            let n = match &value {
                Value::Number(n) => n.as_i64().or_else(|| {
                    n.as_f64()
                        .filter(|x| x.fract() == 0.0 && x.abs() < 9.0e15)
                        .map(|x| x as i64)
                }),
                _ => None,
            };
            match n {
                Some(n) if n >= *min && n <= *max => Ok(Value::from(n)),
                Some(_) if *min >= 0 => Err(expected(path, "a whole number of 0 or more", &value)),
                _ => Err(expected(path, "a whole number", &value)),
            }
        }
        TypeRef::Number => match value.as_f64() {
            Some(x) if x.is_finite() && value.is_number() => Ok(value),
            _ => Err(expected(path, "a finite number", &value)),
        },
        TypeRef::Bool => match &value {
            Value::Bool(_) => Ok(value),
            _ if f.lenient => lenient_bool(&value)
                .map(Value::Bool)
                .ok_or_else(|| expected(path, "true or false", &value)),
            _ => Err(expected(path, "true or false", &value)),
        },
        TypeRef::Time => time(&value)
            .map(|t| Number::from_f64(t.as_secs()).map_or(Value::Null, Value::Number))
            .ok_or_else(|| {
                expected(
                    path,
                    "a time (Unix seconds or an ISO-8601 date-time)",
                    &value,
                )
            }),
        TypeRef::TimeRange => {
            let Value::Object(mut m) = value else {
                return Err(expected(path, "a window {from, to}", &value));
            };
            let mut out = Map::new();
            for key in ["from", "to"] {
                match m.shift_remove(key) {
                    None | Some(Value::Null) => {}
                    Some(v) => {
                        let t = time(&v).ok_or_else(|| {
                            expected(
                                &join(path, key),
                                "a time (Unix seconds or an ISO-8601 date-time)",
                                &v,
                            )
                        })?;
                        out.insert(
                            key.to_string(),
                            Number::from_f64(t.as_secs()).map_or(Value::Null, Value::Number),
                        );
                    }
                }
            }
            if let Some(k) = m.keys().next() {
                return Err(Error::validation(
                    join(path, k),
                    "is not part of a window (give `from` and/or `to`)",
                ));
            }
            Ok(Value::Object(out))
        }
        TypeRef::Ids | TypeRef::CsvList => {
            let items = match value {
                Value::String(s) => vec![Value::String(s)],
                Value::Array(items) => items,
                other => return Err(expected(path, "a string or a list of strings", &other)),
            };
            let mut strings = Vec::with_capacity(items.len());
            for (i, item) in items.into_iter().enumerate() {
                match item {
                    Value::String(s) => strings.push(s),
                    other => {
                        return Err(expected(&format!("{path}[{i}]"), "a string", &other));
                    }
                }
            }
            Ok(if *ty == TypeRef::Ids {
                Value::from(strings)
            } else {
                Value::from(strings.join(","))
            })
        }
        TypeRef::Any => Ok(value),
        TypeRef::List(inner) => {
            let Value::Array(items) = value else {
                return Err(expected(path, "a list", &value));
            };
            items
                .into_iter()
                .enumerate()
                .map(|(i, item)| check_value(ctx, f, inner, item, &format!("{path}[{i}]")))
                .collect::<Result<Vec<_>>>()
                .map(Value::Array)
        }
        TypeRef::Map(inner) => {
            let Value::Object(m) = value else {
                return Err(expected(path, "an object", &value));
            };
            m.into_iter()
                .map(|(k, v)| {
                    let p = join(path, &k);
                    check_value(ctx, f, inner, v, &p).map(|v| (k, v))
                })
                .collect::<Result<Map<_, _>>>()
                .map(Value::Object)
        }
        TypeRef::Enum(info) => match &value {
            Value::String(s) if info.variants.contains(&s.as_str()) => Ok(value),
            _ => Err(expected(
                path,
                &format!("one of {}", info.variants.join(", ")),
                &value,
            )),
        },
        TypeRef::Model(info) => {
            let Value::Object(m) = value else {
                return Err(expected(path, "an object", &value));
            };
            check_struct(ctx, info, m, path).map(Value::Object)
        }
    }
}

/// `true`, `"true"`, `1`, `"1"`, `"yes"`, ... (and their negatives).
fn lenient_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => match n.as_i64() {
            Some(1) => Some(true),
            Some(0) => Some(false),
            _ => None,
        },
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "y" | "on" => Some(true),
            "false" | "0" | "no" | "n" | "off" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

fn time(v: &Value) -> Option<Timestamp> {
    Timestamp::from_json(v)
}

fn field_check(ctx: &Ctx<'_>, c: Check, value: &Value, path: &str) -> Result<()> {
    match (c, value) {
        (Check::NotBlank, Value::String(s)) => v::required(path, s),
        (Check::NotEmpty(message), Value::Array(items)) if items.is_empty() => {
            Err(Error::validation(path, message))
        }
        (Check::NotEmpty(message), Value::String(s)) if s.is_empty() => {
            Err(Error::validation(path, message))
        }
        (Check::Message, Value::String(s)) => v::message(path, s),
        (Check::Phone, Value::String(s)) => v::phone(path, s),
        (Check::Phone, Value::Array(items)) => items.iter().try_for_each(|i| match i {
            Value::String(s) => v::phone(path, s),
            _ => Ok(()),
        }),
        (Check::PhoneOrEmpty, Value::String(s)) if !s.trim().is_empty() => v::phone(path, s),
        (Check::LiveChat, Value::String(s)) => v::live_chat(path, s),
        (Check::E164, Value::String(s)) => v::e164(path, s),
        (Check::E164OrEmpty, Value::String(s)) if !s.is_empty() => v::e164(path, s),
        (Check::Email, Value::String(s)) => v::email(path, s),
        (Check::EmailOrEmpty, Value::String(s)) if !s.is_empty() => v::email(path, s),
        (Check::Url, Value::String(s)) => v::opt_url(path, Some(s)),
        // Compared as numbers: a time is checked as its seconds, a float (`scheduled_for`).
        (Check::Range(lo, hi), Value::Number(n)) => match n.as_f64() {
            Some(x) if x < lo as f64 || x > hi as f64 => Err(Error::validation(
                path,
                if lo == 1 && hi == i64::MAX {
                    format!("must be 1 or more, got {}", crate::text::number(x))
                } else {
                    format!("must be {lo} through {hi}, got {}", crate::text::number(x))
                },
            )),
            _ => Ok(()),
        },
        (Check::Reserved(words), Value::String(s)) if words.contains(&s.as_str()) => {
            Err(Error::validation(
                path,
                format!(
                    "{} is a command: use {}.{s}()",
                    crate::text::quoted(s),
                    ctx.resource
                ),
            ))
        }
        (Check::Window, Value::Object(m)) => {
            let (from, to) = (
                m.get("from").and_then(Value::as_f64),
                m.get("to").and_then(Value::as_f64),
            );
            match (from, to) {
                (None, None) => Err(Error::validation(path, "give `from`, `to` or both")),
                (Some(a), Some(b)) if a > b => Err(Error::validation(path, "`from` is after `to`")),
                _ => Ok(()),
            }
        }
        _ => Ok(()),
    }
}

fn map_check(c: Check, map: &Map<String, Value>, prefix: &str) -> Result<()> {
    if c == Check::FieldNames {
        for key in map.keys() {
            if key.is_empty() || key.chars().any(|c| c.is_control() || c == '[' || c == ']') {
                return Err(Error::validation(
                    join(prefix, key),
                    "is not a valid custom field name",
                ));
            }
        }
    }
    Ok(())
}

fn struct_check(c: Check, out: &Map<String, Value>, prefix: &str) -> Result<()> {
    let given = |name: &str| {
        out.get(name)
            .and_then(Value::as_str)
            .is_some_and(|s| !s.trim().is_empty())
    };
    match c {
        Check::OneOf(a, b) => match (given(a), given(b)) {
            (true, true) => Err(Error::validation(
                join(prefix, a),
                format!("give `{a}` or `{b}`, not both"),
            )),
            (false, false) => Err(Error::validation(
                join(prefix, a),
                format!("give `{a}` or `{b}`"),
            )),
            _ => Ok(()),
        },
        Check::NotBoth(a, b) if out.contains_key(a) && out.contains_key(b) => Err(
            Error::validation(join(prefix, a), format!("give `{a}` or `{b}`, not both")),
        ),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::endpoint::Endpoint;
    use crate::params::*;

    #[test]
    fn a_phone_is_sent_as_checked_without_surrounding_whitespace() {
        let out = super::check(
            &SendMessagesParams::SPEC,
            json!({"phone": " +14155551234\n", "message": " hi "}),
        )
        .unwrap();
        assert_eq!(out["phone"], "+14155551234");
        assert_eq!(out["message"], " hi ", "other text is sent as given");
        let out = super::check(
            &UpsertContactsParams::SPEC,
            json!({"phone": "+14155551234", "other_phone": ""}),
        )
        .unwrap();
        assert_eq!(out["other_phone"], "", "empty clears the other phone");
        let e = super::check(
            &UpsertContactsParams::SPEC,
            json!({"phone": "+14155551234", "other_phone": "abc"}),
        )
        .unwrap_err();
        assert_eq!(e.param(), Some("other_phone"));
    }

    #[test]
    fn ranges_apply_to_times_too() {
        let spec = &ScheduleMessagesParams::SPEC;
        for bad in [
            json!(0),
            json!(-5),
            json!(0.5),
            json!("1970-01-01T00:00:00Z"),
        ] {
            let params = json!({"phone": "+14155551234", "message": "hi", "scheduled_for": bad});
            let e = super::check(spec, params).unwrap_err();
            assert_eq!(e.param(), Some("scheduled_for"), "{bad}: {e}");
        }
        let params =
            json!({"phone": "+14155551234", "message": "hi", "scheduled_for": 1_893_456_000});
        assert!(super::check(spec, params).is_ok());
        let e = super::check(&ListMessagesParams::SPEC, json!({"page": 0})).unwrap_err();
        assert_eq!(e.to_string(), "`page`: must be 1 or more, got 0");
    }

    #[test]
    fn each_phone_of_a_phone_list_is_checked() {
        for (spec, base) in [
            (&CreateBroadcastsParams::SPEC, json!({"message": "hi"})),
            (&UpdateBroadcastsParams::SPEC, json!({"id": "b1"})),
        ] {
            for bad in [
                json!(["5105551234", "abc"]),
                json!("5105551234,+1"),
                json!("abc"),
            ] {
                let mut params = base.clone();
                params["via_phone_numbers"] = bad.clone();
                let e = super::check(spec, params).unwrap_err();
                assert_eq!(e.param(), Some("via_phone_numbers"), "{bad}: {e}");
            }
            for good in [
                json!("5105551234,4155551234"),
                json!(["(510) 555-1234", "+1 415.555.1234"]),
                json!("5105551234, 4155551234,"),
            ] {
                let mut params = base.clone();
                params["via_phone_numbers"] = good.clone();
                let checked = super::check(spec, params).unwrap_or_else(|e| panic!("{good}: {e}"));
                assert!(checked["via_phone_numbers"].is_string(), "sent as one list");
            }
        }
    }
}
