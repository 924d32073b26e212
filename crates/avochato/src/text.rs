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

/// [`json`] into a new string (what `Value::to_string` gives, without `serde_json`'s
/// `io::Write` adapter and its boxed error).
pub fn json_text(value: &serde_json::Value) -> String {
    let mut out = String::new();
    json(value, &mut out);
    out
}

/// A decimal number (`12`, `-1.5`, `2.5e3`, `.5`), without the standard library's float
/// parser (its tables weigh on the WebAssembly build). Exact (correctly rounded) when the
/// digits fit in 2^53 and the power of ten is at most 22, which covers timestamps to the
/// microsecond and `Retry-After`; otherwise off by at most an ulp or two in WebAssembly
/// (native builds fall back to the standard parser).
pub fn decimal(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let mut i = 0;
    let negative = match b.first() {
        Some(b'-') => {
            i = 1;
            true
        }
        Some(b'+') => {
            i = 1;
            false
        }
        _ => false,
    };
    let (mut mantissa, mut digits, mut exp10, mut seen) = (0u64, 0u32, 0i32, false);
    let mut take = |d: u8, fraction: bool, mantissa: &mut u64, exp10: &mut i32| {
        if *mantissa == 0 && d == 0 {
            if fraction {
                *exp10 -= 1;
            }
            return;
        }
        if digits < 19 {
            *mantissa = *mantissa * 10 + u64::from(d);
            digits += 1;
            if fraction {
                *exp10 -= 1;
            }
        } else if !fraction {
            *exp10 += 1;
        }
    };
    while let Some(&c) = b.get(i).filter(|c| c.is_ascii_digit()) {
        take(c - b'0', false, &mut mantissa, &mut exp10);
        seen = true;
        i += 1;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        while let Some(&c) = b.get(i).filter(|c| c.is_ascii_digit()) {
            take(c - b'0', true, &mut mantissa, &mut exp10);
            seen = true;
            i += 1;
        }
    }
    if !seen {
        return None;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        let sign = match b.get(i) {
            Some(b'-') => {
                i += 1;
                -1
            }
            Some(b'+') => {
                i += 1;
                1
            }
            _ => 1,
        };
        let start = i;
        let mut e: i32 = 0;
        while let Some(&c) = b.get(i).filter(|c| c.is_ascii_digit()) {
            e = e.saturating_mul(10).saturating_add(i32::from(c - b'0'));
            i += 1;
        }
        if i == start {
            return None;
        }
        exp10 = exp10.saturating_add(sign * e);
    }
    if i != b.len() {
        return None;
    }
    let exact = mantissa < (1 << 53) && (-22..=22).contains(&exp10);
    #[cfg(not(target_arch = "wasm32"))]
    if !exact {
        return s.parse().ok();
    }
    let x = scaled(mantissa, exp10, exact);
    Some(if negative { -x } else { x })
}

/// `mantissa × 10^exp10`: one correctly rounded operation when `exact`, else an
/// approximation (a power by repeated multiplication).
fn scaled(mantissa: u64, exp10: i32, exact: bool) -> f64 {
    const POW: [f64; 23] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];
    let m = mantissa as f64;
    if exact {
        let p = POW
            .get(exp10.unsigned_abs() as usize)
            .copied()
            .unwrap_or(1.0);
        if exp10 < 0 { m / p } else { m * p }
    } else if mantissa == 0 {
        0.0
    } else {
        m * 10f64.powi(exp10.clamp(-400, 400))
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

/// The closest name in `names` to `given`, for "did you mean" (at most 2 edits away).
pub fn nearest<S: AsRef<str>>(given: &str, names: impl Iterator<Item = S>) -> Option<S> {
    fn distance(a: &str, b: &str) -> usize {
        let b: Vec<char> = b.chars().collect();
        let mut row: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in a.chars().enumerate() {
            let mut prev = row.first().copied().unwrap_or(0);
            if let Some(first) = row.first_mut() {
                *first = i + 1;
            }
            for (j, cb) in b.iter().enumerate() {
                let here = row.get(j + 1).copied().unwrap_or(0);
                let best = (here + 1)
                    .min(row.get(j).copied().unwrap_or(0) + 1)
                    .min(prev + usize::from(ca != *cb));
                prev = here;
                if let Some(slot) = row.get_mut(j + 1) {
                    *slot = best;
                }
            }
        }
        row.last().copied().unwrap_or(usize::MAX)
    }
    names
        .map(|n| (distance(given, n.as_ref()), n))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, n)| n)
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
        assert_eq!(json_text(&v), out);
    }

    #[test]
    fn decimals_as_the_standard_parser_reads_them() {
        let mut cases: Vec<String> = [
            "0",
            "-0",
            "+5",
            "1.",
            ".5",
            "007",
            "0.005",
            "1e3",
            "2.5E-3",
            "-1.25e+2",
            "1690000000",
            "1690000000.123",
            "1690000000.123456",
            "1774979797.252",
            "9007199254740991",
            "0.1",
            "0.3",
            "123456.789e-4",
            "1e22",
            "1e-22",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let int = x % 10_000_000_000;
            let frac = (x >> 40) % 1_000_000;
            let places = (x % 7) as usize;
            let frac = format!("{frac:06}");
            cases.push(format!("{int}.{}", &frac[..places]));
        }
        for c in &cases {
            let want: f64 = c.parse().unwrap();
            assert_eq!(decimal(c).map(f64::to_bits), Some(want.to_bits()), "{c}");
        }
        for bad in [
            "", ".", "-", "e5", "1e", "1e+", "1.2.3", "0x10", "inf", "NaN", " 1", "1 ",
        ] {
            assert_eq!(decimal(bad), None, "{bad:?}");
        }
        // Beyond the exact range (what WebAssembly computes): within a few ulps.
        for (m, e) in [
            (1_690_000_000_123_456_789u64, -9),
            (12_345_678_901_234_567_890, -30),
            (1, 300),
        ] {
            let want: f64 = format!("{m}e{e}").parse().unwrap();
            let got = scaled(m, e, false);
            assert!(
                (got - want).abs() <= want.abs() * 4.0 * f64::EPSILON,
                "{m}e{e}: {got} vs {want}"
            );
        }
    }
}
