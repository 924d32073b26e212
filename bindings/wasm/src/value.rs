//! JavaScript values as JSON values, walked directly (no `JSON.stringify` and no JSON
//! parser in the module): what parameters and parsed bodies cross the boundary as.

use avochato::Error;
use js_sys::{Array, Function, Object, Reflect};
use serde_json::{Map, Number, Value};
use wasm_bindgen::{JsCast, JsValue};

/// How deep a value may nest (a cycle would otherwise never end).
const MAX_DEPTH: usize = 32;

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// A JavaScript value as JSON: `undefined` is absent (`None`), a `Date` is its Unix
/// seconds, an object with `toJSON` is what that returns; NaN, infinities, BigInts,
/// functions and symbols are refused, naming where they are.
pub fn to_json(v: &JsValue, path: &str) -> Result<Option<Value>, Error> {
    walk(v, path, 0)
}

fn walk(v: &JsValue, path: &str, depth: usize) -> Result<Option<Value>, Error> {
    if v.is_undefined() {
        return Ok(None);
    }
    if v.is_null() {
        return Ok(Some(Value::Null));
    }
    if let Some(b) = v.as_bool() {
        return Ok(Some(Value::Bool(b)));
    }
    if let Some(x) = v.as_f64() {
        return number(x, path).map(Some);
    }
    if let Some(s) = v.as_string() {
        return Ok(Some(Value::String(s)));
    }
    if v.is_bigint() {
        return Err(Error::validation(
            path,
            "is a BigInt: give a number or a string",
        ));
    }
    if v.is_function() || v.is_symbol() || !v.is_object() {
        return Err(Error::validation(path, "is not a value JSON can hold"));
    }
    if depth >= MAX_DEPTH {
        return Err(Error::validation(path, "is nested too deeply (a cycle?)"));
    }
    if let Some(date) = v.dyn_ref::<js_sys::Date>() {
        return number(date.get_time() / 1000.0, path).map(Some);
    }
    if let Ok(to_json) = Reflect::get(v, &JsValue::from_str("toJSON"))
        && let Some(f) = to_json.dyn_ref::<Function>()
    {
        let out = f
            .call1(v, &JsValue::from_str(path))
            .map_err(|_| Error::validation(path, "could not be read (its toJSON failed)"))?;
        return walk(&out, path, depth + 1);
    }
    if Array::is_array(v) {
        let items = Array::from(v);
        let mut out = Vec::with_capacity(items.length() as usize);
        for (i, item) in items.iter().enumerate() {
            let p = format!("{path}[{i}]");
            out.push(walk(&item, &p, depth + 1)?.unwrap_or(Value::Null));
        }
        return Ok(Some(Value::Array(out)));
    }
    let object = Object::from(v.clone());
    let mut out = Map::new();
    for key in Object::keys(&object).iter() {
        let Some(key) = key.as_string() else { continue };
        let value = Reflect::get(v, &JsValue::from_str(&key)).unwrap_or(JsValue::UNDEFINED);
        if let Some(value) = walk(&value, &join(path, &key), depth + 1)? {
            out.insert(key, value);
        }
    }
    Ok(Some(Value::Object(out)))
}

fn number(x: f64, path: &str) -> Result<Value, Error> {
    if x.fract() == 0.0 && x.abs() < 9.007_199_254_740_992e15 {
        return Ok(Value::from(x as i64));
    }
    Number::from_f64(x).map(Value::Number).ok_or_else(|| {
        Error::validation(
            path,
            if x.is_nan() {
                "must be a finite number, got NaN"
            } else {
                "must be a finite number, got an infinity"
            },
        )
    })
}
