//! Times in CSV: ISO 8601 in UTC (`2026-03-31T17:56:37.900Z`, the fraction only when there
//! is one) for spreadsheets and people, or Unix seconds as sent (`--time epoch`).

use serde_json::Value;

/// Unix seconds as ISO 8601 (UTC), keeping milliseconds when the time has them.
pub fn iso(secs: f64) -> String {
    let whole = secs.floor();
    let text = avochato::Timestamp(whole).to_iso8601();
    let millis = ((secs - whole) * 1000.0).round() as u32;
    match (millis, text.strip_suffix('Z')) {
        (0, _) | (_, None) => text,
        (1000.., Some(_)) => avochato::Timestamp(whole + 1.0).to_iso8601(),
        (ms, Some(head)) => format!("{head}.{ms:03}Z"),
    }
}

/// A time value as one CSV cell: numbers (and numeric text) as ISO 8601 unless `epoch`.
pub fn cell(v: &Value, epoch: bool) -> Option<String> {
    if epoch {
        return None;
    }
    let secs = match v {
        Value::Number(n) => n.as_f64()?,
        Value::String(s) => s.trim().parse::<f64>().ok()?,
        _ => return None,
    };
    secs.is_finite().then(|| iso(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_with_and_without_a_fraction() {
        assert_eq!(iso(1774979797.0), "2026-03-31T17:56:37Z");
        assert_eq!(iso(1774979797.9), "2026-03-31T17:56:37.900Z");
        assert_eq!(iso(0.0), "1970-01-01T00:00:00Z");
        assert_eq!(cell(&serde_json::json!(1774979797.9), true), None);
        assert_eq!(cell(&serde_json::json!("x"), false), None);
    }
}
