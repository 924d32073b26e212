//! Keeping secrets out of what the recorder stores: the value of every `auth_secret`
//! parameter, and every known secret wherever it appears, written as it is or encoded
//! (percent-encoded, `+` for a space, JSON escapes such as `\u0022` or `\"`, HTML entities
//! such as `&quot;` or `&#34;`, mixed), become `[REDACTED]`.

use std::ops::Range;

use serde_json::Value;

use avochato_writings::match_at;

pub const REDACTED: &str = "[REDACTED]";

const NAME: &str = "auth_secret";

/// Secrets shorter than this are replaced only where they are an `auth_secret` value, so
/// that a test secret like "x" does not blank out ordinary text (as the SDK's redaction).
const MIN_SEARCHED: usize = 4;

/// Replaces secrets in texts and JSON values.
pub struct Redactor {
    secrets: Vec<Vec<char>>,
}

impl Redactor {
    pub fn new(secrets: impl IntoIterator<Item = String>) -> Redactor {
        let mut secrets: Vec<Vec<char>> = secrets
            .into_iter()
            .filter(|s| s.chars().count() >= MIN_SEARCHED)
            .map(|s| s.chars().collect())
            .collect();
        // Longest first: a secret that contains another is replaced whole.
        secrets.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        secrets.dedup();
        Redactor { secrets }
    }

    /// `text` with every secret and `auth_secret` values replaced (secrets first: an
    /// unquoted value with a space in it is only cut at the space).
    pub fn text(&self, text: &str) -> String {
        mask_params(&self.replace_secrets(text))
    }

    /// A JSON value with `auth_secret` members replaced and every string, key and number
    /// holding a secret redacted.
    pub fn value(&self, v: &mut Value) {
        match v {
            Value::String(s) => *s = self.text(s),
            Value::Number(n) => {
                let written = n.to_string();
                let redacted = self.text(&written);
                if redacted != written {
                    *v = Value::String(redacted);
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|i| self.value(i)),
            Value::Object(o) => {
                let members = std::mem::take(o);
                for (k, mut member) in members {
                    if is_secret_name(&k) && !member.is_null() {
                        member = Value::String(REDACTED.into());
                    } else {
                        self.value(&mut member);
                    }
                    o.insert(self.text(&k), member);
                }
            }
            Value::Null | Value::Bool(_) => {}
        }
    }

    fn replace_secrets(&self, text: &str) -> String {
        if self.secrets.is_empty() {
            return text.to_string();
        }
        let bytes = text.as_bytes();
        let mut out = String::with_capacity(text.len());
        let mut i = 0;
        while let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) {
            let end = self
                .secrets
                .iter()
                .filter_map(|s| match_at(bytes, i, s))
                .max();
            match end {
                Some(end) if end > i && text.is_char_boundary(end) => {
                    out.push_str(REDACTED);
                    i = end;
                }
                _ => {
                    out.push(c);
                    i += c.len_utf8();
                }
            }
        }
        out
    }
}

/// `auth_secret`, or a nested one as a flat key (`creds[auth_secret]`).
fn is_secret_name(key: &str) -> bool {
    key == NAME || key.ends_with("[auth_secret]")
}

/// The values of `auth_secret` members anywhere in a JSON value.
pub fn values_in(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(o) => {
            for (k, member) in o {
                match member {
                    Value::String(s) if is_secret_name(k) => out.push(s.clone()),
                    Value::Number(n) if is_secret_name(k) => out.push(n.to_string()),
                    other => values_in(other, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| values_in(i, out)),
        _ => {}
    }
}

/// The values of `auth_secret` parameters written in a text (a query, a form, JSON — even
/// broken), decoded.
pub fn values_in_text(text: &str) -> Vec<String> {
    param_spans(text)
        .into_iter()
        .filter_map(|span| text.get(span))
        .flat_map(decoded)
        .collect()
}

/// What a written value stands for: itself, and its JSON-unescaped or percent-decoded forms.
fn decoded(raw: &str) -> Vec<String> {
    let mut out = vec![raw.to_string()];
    if let Ok(s) = serde_json::from_str::<String>(&format!("\"{raw}\"")) {
        out.push(s);
    }
    let pair = format!("v={raw}");
    if let Some((_, v)) = form_urlencoded::parse(pair.as_bytes()).next() {
        out.push(v.into_owned());
    }
    out
}

/// `text` with the values of `auth_secret` parameters replaced.
fn mask_params(text: &str) -> String {
    let spans = param_spans(text);
    if spans.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for span in spans {
        out.push_str(text.get(at..span.start).unwrap_or_default());
        out.push_str(REDACTED);
        at = span.end;
    }
    out.push_str(text.get(at..).unwrap_or_default());
    out
}

fn starts_with_any<'a>(bytes: &[u8], at: usize, options: &[&'a str]) -> Option<&'a str> {
    let rest = bytes.get(at..)?;
    options
        .iter()
        .find(|o| rest.len() >= o.len() && rest[..o.len()].eq_ignore_ascii_case(o.as_bytes()))
        .copied()
}

/// Where the values of `auth_secret` parameters are in `text`: after the name (in any
/// encoding), closing quotes or brackets, `=` or `:`, and an opening quote; up to the
/// closing quote, or to `&`, `,`, `}`, `]`, `;`, `<`, a quote or a space.
fn param_spans(text: &str) -> Vec<Range<usize>> {
    let name: Vec<char> = NAME.chars().collect();
    let bytes = text.as_bytes();
    let mut spans: Vec<Range<usize>> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let Some(mut k) = match_at(bytes, i, &name) else {
            i += 1;
            continue;
        };
        i = k;
        while let Some(skip) = starts_with_any(
            bytes,
            k,
            &["\\\"", "%5D", "%22", "\"", "'", "]", " ", "\t", "\n", "\r"],
        ) {
            k += skip.len();
        }
        let Some(sep) = starts_with_any(bytes, k, &["=", ":", "%3D", "%3A"]) else {
            continue;
        };
        k += sep.len();
        while matches!(bytes.get(k), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            k += 1;
        }
        let open = starts_with_any(bytes, k, &["\\\"", "%22", "\"", "'"]);
        let start = k + open.map_or(0, str::len);
        if bytes
            .get(start..)
            .is_some_and(|rest| rest.starts_with(REDACTED.as_bytes()))
        {
            i = start + REDACTED.len();
            continue;
        }
        let mut end = start;
        match open {
            Some(quote @ ("\\\"" | "%22")) => {
                while end < bytes.len() && starts_with_any(bytes, end, &[quote]).is_none() {
                    end += 1;
                }
            }
            Some(quote) => {
                let q = quote.chars().next().unwrap_or('"');
                let mut chars = text.get(start..).unwrap_or_default().chars();
                while let Some(c) = chars.next() {
                    if c == q {
                        break;
                    }
                    end += c.len_utf8();
                    if c == '\\'
                        && let Some(escaped) = chars.next()
                    {
                        end += escaped.len_utf8();
                    }
                }
            }
            None => {
                while let Some(&b) = bytes.get(end) {
                    if b"&,}];<\"' \t\r\n".contains(&b) {
                        break;
                    }
                    end += 1;
                }
            }
        }
        // Ends fall on ASCII delimiters or the end of the text: char boundaries.
        if end > start && text.is_char_boundary(start) && text.is_char_boundary(end) {
            spans.push(start..end);
            i = end;
        }
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const SECRET: &str = "s3cr3t \"&/<ü>";

    fn r() -> Redactor {
        Redactor::new([SECRET.to_string(), "other-secret".to_string()])
    }

    #[test]
    fn every_writing_of_a_secret_is_replaced() {
        let writings = [
            SECRET.to_string(),
            form_urlencoded::byte_serialize(SECRET.as_bytes()).collect::<String>(),
            percent_encoding::utf8_percent_encode(SECRET, percent_encoding::NON_ALPHANUMERIC)
                .to_string()
                .to_lowercase(),
            serde_json::to_string(SECRET)
                .unwrap_or_default()
                .trim_matches('"')
                .to_string(),
            SECRET
                .encode_utf16()
                .map(|u| format!("\\u{u:04X}"))
                .collect::<String>(),
            "s3cr3t &quot;&amp;/&lt;&#252;&#x3E;".to_string(),
            "s3c%72\\u0033t+\\\"&#38;%2F<ü&gt;".to_string(),
        ];
        for w in writings {
            let text = format!("before {w} after");
            assert_eq!(r().text(&text), "before [REDACTED] after", "{w}");
        }
        assert_eq!(
            r().text("s3cr3t \"&/<u>"),
            "s3cr3t \"&/<u>",
            "not the secret"
        );
    }

    #[test]
    fn auth_secret_values_are_replaced_whatever_they_are() {
        let none = Redactor::new(Vec::new());
        for (text, masked) in [
            (
                "auth_id=a&auth_secret=xy&z=1",
                "auth_id=a&auth_secret=[REDACTED]&z=1",
            ),
            (
                r#"{"auth_secret": "x\"y", "a": 1}"#,
                r#"{"auth_secret": "[REDACTED]", "a": 1}"#,
            ),
            (
                r#"{"auth_secret":"cut off"#,
                r#"{"auth_secret":"[REDACTED]"#,
            ),
            (
                "c%5Bauth_secret%5D=ab%26c&d",
                "c%5Bauth_secret%5D=[REDACTED]&d",
            ),
            ("auth%5Fsecret=q", "auth%5Fsecret=[REDACTED]"),
            (
                r#"{\"auth_secret\":\"xy\"}"#,
                r#"{\"auth_secret\":\"[REDACTED]\"}"#,
            ),
            ("auth_secret is a word", "auth_secret is a word"),
        ] {
            assert_eq!(none.text(text), masked, "{text}");
        }
        assert_eq!(
            values_in_text("a=1&auth_secret=p%40ss+word"),
            vec!["p%40ss+word", "p%40ss+word", "p@ss word"]
        );
    }

    #[test]
    fn json_values_keep_their_order_and_lose_their_secrets() {
        let mut v = json!({
            "auth_id": "id", "auth_secret": 12345, "note": format!("my {SECRET}"),
            "nested": [{"auth_secret": "x"}, {"other-secret": 1}], "n": 7,
        });
        r().value(&mut v);
        assert_eq!(
            v,
            json!({
                "auth_id": "id", "auth_secret": "[REDACTED]", "note": "my [REDACTED]",
                "nested": [{"auth_secret": "[REDACTED]"}, {"[REDACTED]": 1}], "n": 7,
            })
        );
        let keys: Vec<&String> = v
            .as_object()
            .map(|o| o.keys().collect())
            .unwrap_or_default();
        assert_eq!(keys, ["auth_id", "auth_secret", "note", "nested", "n"]);
        let mut found = Vec::new();
        values_in(
            &json!({"a": [{"auth_secret": "deep"}], "auth_secret": "top"}),
            &mut found,
        );
        assert_eq!(found, ["deep", "top"]);
    }

    #[test]
    fn short_secrets_are_not_searched_for() {
        assert_eq!(Redactor::new(["x".to_string()]).text("x marks"), "x marks");
    }
}
