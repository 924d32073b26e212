//! Writing values into messages without the formatting machinery that would weigh on the
//! WebAssembly build (`{:?}` of text brings Unicode tables; float formatting brings its own).

/// Text in double quotes, with `"`, `\` and control characters escaped.
pub fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                out.push_str("\\u{");
                out.push_str(&format!("{:x}", c as u32));
                out.push('}');
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A number as JSON writes it (`2`, `0.25`, `1e300`; `NaN`/`inf` for what JSON cannot hold).
pub fn number(x: f64) -> String {
    match serde_json::Number::from_f64(x) {
        Some(_) if x.fract() == 0.0 && x.abs() < 1e15 => format!("{}", x as i64),
        Some(n) => n.to_string(),
        None if x.is_nan() => "NaN".to_string(),
        None if x > 0.0 => "inf".to_string(),
        None => "-inf".to_string(),
    }
}

/// JSON text of a value (the body of a request): the same text `serde_json` writes, with
/// no serializer machinery behind it.
pub fn json(value: &serde_json::Value, out: &mut String) {
    use serde_json::Value;
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => json_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (k, v)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_string(k, out);
                out.push(':');
                json(v, out);
            }
            out.push('}');
        }
    }
}

/// A JSON string literal.
pub fn json_string(s: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => {
                let b = c as u32 as usize;
                out.push_str("\\u00");
                out.push(char::from(HEX.get(b >> 4).copied().unwrap_or(b'0')));
                out.push(char::from(HEX.get(b & 15).copied().unwrap_or(b'0')));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Seconds with one decimal (`2.5`), from a duration.
pub fn seconds(d: std::time::Duration) -> String {
    let millis = u64::try_from(d.as_millis()).unwrap_or(u64::MAX);
    let tenths = millis.saturating_add(50) / 100;
    format!("{}.{}", tenths / 10, tenths % 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_in_messages() {
        assert_eq!(quoted("a\"b\\c\n\0"), "\"a\\\"b\\\\c\\n\\u{0}\"");
        assert_eq!(quoted("é"), "\"é\"");
        assert_eq!(number(2.0), "2");
        assert_eq!(number(0.25), "0.25");
        assert_eq!(number(1e300), "1e+300");
        assert_eq!(number(f64::NAN), "NaN");
        assert_eq!(number(f64::INFINITY), "inf");
        assert_eq!(seconds(std::time::Duration::from_millis(2449)), "2.4");
        assert_eq!(seconds(std::time::Duration::from_millis(30_000)), "30.0");
        let v = serde_json::json!({"a": [1, 2.5, null, true], "b\"": "x\u{1}\n\u{e9}", "c": {}});
        let mut out = String::new();
        json(&v, &mut out);
        assert_eq!(out, serde_json::to_string(&v).unwrap());
    }
}
