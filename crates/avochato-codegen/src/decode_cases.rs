//! The Rust side of the decode differential test: every documented example response, and
//! variants of each, decoded by the core itself (the typed decode, and for failures the
//! error the core makes of them). The npm package's test decodes the same bodies with its
//! generated tables and must get the same values, or the same error kind and message.
//!
//! `cargo run -p avochato-codegen -- decode-cases FIXTURE` prints one JSON object per line:
//! `{"op": N, "title", "variant", "body": text, "ok": value}` or `..., "error": {"kind",
//! "message"}}`.

use serde_json::{Map, Value, json};

use avochato::describe::{TypeInfo, TypeRef};
use avochato::{ClientBuilder, OperationSpec, Shape};

/// A time in seconds as an ISO-8601 text with milliseconds and an offset (`-07:00`).
fn iso(secs: f64, offset_minutes: i64) -> String {
    let local = secs + (offset_minutes * 60) as f64;
    let whole = local.floor();
    let millis = ((local - whole) * 1000.0).floor() as i64;
    let base = avochato::Timestamp::from_secs(whole).to_iso8601();
    let base = base.trim_end_matches('Z');
    let sign = if offset_minutes < 0 { '-' } else { '+' };
    let m = offset_minutes.abs();
    format!("{base}.{millis:03}{sign}{:02}:{:02}", m / 60, m % 60)
}

/// Applies `f` to every object of type `info` inside `v` (by the descriptions).
fn each_model(ty: &TypeRef, v: &mut Value, f: &mut dyn FnMut(&TypeInfo, &mut Map<String, Value>)) {
    match (ty, v) {
        (TypeRef::List(inner), Value::Array(items)) => {
            for item in items {
                each_model(inner, item, f);
            }
        }
        (TypeRef::Model(info), Value::Object(map)) => {
            if let Some(u) = &info.union {
                let tag = map.get(u.tag).and_then(Value::as_str).map(str::to_string);
                if let Some((_, case)) = u.cases.iter().find(|(t, _)| Some(*t) == tag.as_deref()) {
                    let mut inner = Value::Object(std::mem::take(map));
                    each_model(&TypeRef::Model(case), &mut inner, f);
                    if let Value::Object(m) = inner {
                        *map = m;
                    }
                }
                return;
            }
            f(info, map);
            for field in info.fields.iter().filter(|x| !x.flatten) {
                if let Some(x) = map.get_mut(field.name) {
                    each_model(&field.ty, x, f);
                }
            }
        }
        _ => {}
    }
}

/// The output value inside a documented body, with its type.
fn output_of<'a>(spec: &OperationSpec, body: &'a mut Value) -> Option<&'a mut Value> {
    let data = body.get_mut("data")?;
    if spec.data_keys.is_empty() {
        return Some(data);
    }
    let key = spec.data_keys.iter().find(|k| data.get(**k).is_some())?;
    data.get_mut(*key)
}

fn for_output(
    spec: &OperationSpec,
    body: &mut Value,
    f: &mut dyn FnMut(&TypeInfo, &mut Map<String, Value>),
) {
    let shape = spec.shape;
    let item = spec.item;
    if let Some(out) = output_of(spec, body) {
        match (shape, out) {
            (Shape::List | Shape::Page, Value::Array(items)) => {
                for v in items {
                    each_model(&item, v, f);
                }
            }
            (_, out) => each_model(&item, out, f),
        }
    }
}

/// Every variant of a documented body: `(name, body text)`.
fn variants(spec: &OperationSpec, documented: &Value) -> Vec<(String, String)> {
    let text = |v: &Value| v.to_string();
    let mut out = vec![("documented".to_string(), text(documented))];
    let mut add = |name: &str, f: &mut dyn FnMut(&mut Value)| {
        let mut v = documented.clone();
        f(&mut v);
        out.push((name.to_string(), text(&v)));
    };
    add("unknown fields everywhere", &mut |v| {
        if let Value::Object(m) = v {
            m.insert("x_envelope".into(), json!({"new": true}));
            if let Some(Value::Object(d)) = m.get_mut("data") {
                d.insert("x_data".into(), json!([1, "two"]));
            }
        }
        for_output(spec, v, &mut |_, m| {
            m.insert("x_added_later".into(), json!({"nested": [1, "a", null]}));
        });
    });
    add("optional fields missing", &mut |v| {
        for_output(spec, v, &mut |info, m| {
            for f in info.fields.iter().filter(|f| !f.required && !f.flatten) {
                m.shift_remove(f.name);
            }
        });
    });
    add("optional fields null", &mut |v| {
        for_output(spec, v, &mut |info, m| {
            for f in info.fields.iter().filter(|f| !f.required && !f.flatten) {
                m.insert(f.name.to_string(), Value::Null);
            }
        });
    });
    add("times as integers", &mut |v| {
        for_output(spec, v, &mut |info, m| {
            for f in info.fields.iter().filter(|f| f.ty == TypeRef::Time) {
                if let Some(x) = m.get(f.name).and_then(Value::as_f64) {
                    m.insert(f.name.to_string(), json!(x.floor() as i64));
                }
            }
        });
    });
    add("times as ISO-8601 with offsets", &mut |v| {
        for_output(spec, v, &mut |info, m| {
            for f in info.fields.iter().filter(|f| f.ty == TypeRef::Time) {
                if let Some(x) = m.get(f.name).and_then(Value::as_f64) {
                    m.insert(f.name.to_string(), json!(iso(x, -420)));
                }
            }
        });
    });
    add("times as numeric strings", &mut |v| {
        for_output(spec, v, &mut |info, m| {
            for f in info.fields.iter().filter(|f| f.ty == TypeRef::Time) {
                if let Some(x) = m.get(f.name).and_then(Value::as_f64) {
                    m.insert(f.name.to_string(), json!(format!(" {x} ")));
                }
            }
        });
    });
    add("whole numbers as floats", &mut |v| {
        for_output(spec, v, &mut |info, m| {
            for f in info.fields.iter() {
                if matches!(f.ty, TypeRef::Integer { .. })
                    && let Some(x) = m.get(f.name).and_then(Value::as_i64)
                {
                    m.insert(f.name.to_string(), json!(x as f64 + 0.5 - 0.5));
                }
            }
        });
    });
    add("a required field of the wrong type", &mut |v| {
        let mut done = false;
        for_output(spec, v, &mut |info, m| {
            if let Some(f) = info
                .fields
                .iter()
                .find(|f| f.required && !f.flatten && f.ty == TypeRef::Text)
                && !done
            {
                m.insert(f.name.to_string(), json!(5));
                done = true;
            }
        });
    });
    add("a required field missing", &mut |v| {
        let mut done = false;
        for_output(spec, v, &mut |info, m| {
            if let Some(f) = info.fields.iter().find(|f| f.required && !f.flatten)
                && !done
            {
                m.shift_remove(f.name);
                done = true;
            }
        });
    });
    add("a required field null", &mut |v| {
        let mut done = false;
        for_output(spec, v, &mut |info, m| {
            if let Some(f) = info
                .fields
                .iter()
                .find(|f| f.required && !f.flatten && f.ty != TypeRef::Any)
                && !done
            {
                m.insert(f.name.to_string(), Value::Null);
                done = true;
            }
        });
    });
    add("no data", &mut |v| {
        if let Value::Object(m) = v {
            m.shift_remove("data");
        }
    });
    add("data not an object", &mut |v| {
        if let Value::Object(m) = v {
            m.insert("data".into(), json!([1, 2]));
        }
    });
    add("page metadata as strings", &mut |v| {
        if let Value::Object(m) = v {
            for k in ["page", "limit"] {
                if let Some(x) = m.get(k).and_then(Value::as_i64) {
                    m.insert(k.into(), json!(x.to_string()));
                }
            }
        }
    });
    out.push((
        "an error envelope with status 200, errors a string".into(),
        json!({"status": 400, "errors": "+16505551234 is already opted out"}).to_string(),
    ));
    out.push((
        "an error envelope with status 200, errors a list".into(),
        json!({"status": "422", "errors": ["one", "two"]}).to_string(),
    ));
    out.push((
        "an error envelope with status 200 and a 5xx".into(),
        json!({"status": 503, "error": "maintenance"}).to_string(),
    ));
    out.push(("a list, not an object".into(), "[1,2,3]".into()));
    out.push((
        "not JSON".into(),
        "<html><body>502 Bad Gateway</body></html>".into(),
    ));
    out.push(("empty".into(), String::new()));
    out
}

/// Every case, as JSON lines.
pub fn render(fixture: &Value) -> String {
    let config = ClientBuilder::new()
        .auth("decode-cases", "decode-cases-secret")
        .build_config();
    let mut lines = String::new();
    let Ok(config) = config else {
        return lines;
    };
    let ops = fixture
        .get("operations")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for (index, spec) in avochato::operations().iter().enumerate() {
        let Some(doc) = ops
            .iter()
            .find(|o| o.get("title").and_then(Value::as_str) == Some(spec.title))
        else {
            continue;
        };
        let documented = &doc["example_response"]["body"];
        for (variant, body) in variants(spec, documented) {
            let result = match (spec.decode_json)(body.as_bytes()) {
                Ok(value) => json!({"ok": value}),
                Err(reason) => {
                    let e = config.decode_failure(200, &reason, body.as_bytes(), None, None);
                    json!({"error": {"kind": e.kind().as_str(), "message": e.to_string()}})
                }
            };
            let mut case =
                json!({"op": index, "title": spec.title, "variant": variant, "body": body});
            if let (Value::Object(c), Value::Object(r)) = (&mut case, result) {
                c.extend(r);
            }
            lines.push_str(&case.to_string());
            lines.push('\n');
        }
    }
    lines
}
