//! The search grammar the mock understands, a subset of the API's:
//!
//! * `field:value` and `field: value` — the field equals the value, or contains it as a
//!   word (`name:Bob` matches "Bob McTest"; `country:US` does not match "USA"); lists match
//!   if any element does (`tags:red`); `field:*` means the field has a value.
//! * `field:"two words"` — quoted values.
//! * free text (`hear`, `"great service"`) — any text field contains it.
//! * `A OR B` — either side; terms side by side must all match.
//! * `*` or an empty query — everything.

use serde_json::{Map, Value};

#[derive(Debug, Clone, PartialEq)]
enum Term {
    Field(String, String),
    Text(String),
    Any,
}

/// A parsed query: any group matches when all its terms do.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    groups: Vec<Vec<Term>>,
}

fn read_quoted(chars: &[char], mut i: usize) -> (String, usize) {
    // chars[i] is the opening quote.
    i += 1;
    let start = i;
    while i < chars.len() && chars.get(i) != Some(&'"') {
        i += 1;
    }
    let s: String = chars
        .get(start..i.min(chars.len()))
        .unwrap_or_default()
        .iter()
        .collect();
    (s, (i + 1).min(chars.len()))
}

fn read_word(chars: &[char], mut i: usize) -> (String, usize) {
    let start = i;
    while i < chars.len() && !chars.get(i).is_some_and(|c| c.is_whitespace()) {
        i += 1;
    }
    (chars.get(start..i).unwrap_or_default().iter().collect(), i)
}

fn skip_ws(chars: &[char], mut i: usize) -> usize {
    while chars.get(i).is_some_and(|c| c.is_whitespace()) {
        i += 1;
    }
    i
}

/// Parses a query (never fails: anything unreadable is free text).
pub fn parse(query: &str) -> Query {
    let chars: Vec<char> = query.chars().collect();
    let mut groups = vec![Vec::new()];
    let mut i = skip_ws(&chars, 0);
    while i < chars.len() {
        if chars.get(i) == Some(&'"') {
            let (text, next) = read_quoted(&chars, i);
            if !text.is_empty()
                && let Some(g) = groups.last_mut()
            {
                g.push(Term::Text(text));
            }
            i = skip_ws(&chars, next);
            continue;
        }
        // A field name ends at ':'; a bare word at whitespace.
        let mut j = i;
        while j < chars.len()
            && !chars
                .get(j)
                .is_some_and(|c| c.is_whitespace() || *c == ':' || *c == '"')
        {
            j += 1;
        }
        if chars.get(j) == Some(&':') && j > i {
            let field: String = chars.get(i..j).unwrap_or_default().iter().collect();
            let mut k = skip_ws(&chars, j + 1);
            let (value, next) = if chars.get(k) == Some(&'"') {
                read_quoted(&chars, k)
            } else {
                read_word(&chars, k)
            };
            k = next;
            if let Some(g) = groups.last_mut() {
                g.push(Term::Field(field, value));
            }
            i = skip_ws(&chars, k);
            continue;
        }
        let (word, next) = read_word(&chars, i);
        i = skip_ws(&chars, next);
        match word.as_str() {
            "OR" => groups.push(Vec::new()),
            "*" => {
                if let Some(g) = groups.last_mut() {
                    g.push(Term::Any);
                }
            }
            "AND" => {}
            w if !w.is_empty() => {
                if let Some(g) = groups.last_mut() {
                    g.push(Term::Text(w.to_string()));
                }
            }
            _ => {}
        }
    }
    groups.retain(|g| !g.is_empty());
    Query { groups }
}

impl Query {
    /// Whether the query matches everything.
    pub fn is_all(&self) -> bool {
        self.groups.is_empty()
            || self
                .groups
                .iter()
                .any(|g| g.iter().all(|t| *t == Term::Any))
    }

    /// The values of a query that is only `field:value` terms joined by `OR`, all on
    /// `field` (`phone:"+1..." OR phone:"+1..."`): answered from an index.
    pub fn only_field(&self, field: &str) -> Option<Vec<&str>> {
        if self.groups.is_empty() {
            return None;
        }
        self.groups
            .iter()
            .map(|g| match g.as_slice() {
                [Term::Field(f, v)] if f.eq_ignore_ascii_case(field) && v != "*" => {
                    Some(v.as_str())
                }
                _ => None,
            })
            .collect()
    }

    /// Whether `record` (an object as the API renders it) matches.
    pub fn matches(&self, record: &Map<String, Value>) -> bool {
        self.groups.is_empty()
            || self
                .groups
                .iter()
                .any(|g| g.iter().all(|t| term_matches(t, record)))
    }
}

fn term_matches(term: &Term, record: &Map<String, Value>) -> bool {
    match term {
        Term::Any => true,
        Term::Field(field, value) => {
            let got = record
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(field))
                .map(|(_, v)| v);
            match got {
                None => value.eq_ignore_ascii_case("null"),
                Some(v) if value == "*" => !v.is_null(),
                Some(v) => value_matches(v, value),
            }
        }
        Term::Text(text) => {
            let needle = text.to_lowercase();
            record.values().any(|v| contains_text(v, &needle))
        }
    }
}

fn value_matches(v: &Value, wanted: &str) -> bool {
    match v {
        Value::Null => wanted.eq_ignore_ascii_case("null"),
        Value::Bool(b) => wanted.eq_ignore_ascii_case(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            n.to_string() == wanted
                || wanted
                    .parse::<f64>()
                    .ok()
                    .zip(n.as_f64())
                    .is_some_and(|(a, b)| a == b)
        }
        Value::String(s) => {
            s.eq_ignore_ascii_case(wanted)
                || s.split(|c: char| {
                    !c.is_alphanumeric() && c != '@' && c != '.' && c != '+' && c != '-' && c != '_'
                })
                .any(|w| w.eq_ignore_ascii_case(wanted))
        }
        Value::Array(items) => items.iter().any(|i| value_matches(i, wanted)),
        Value::Object(o) => o.values().any(|i| value_matches(i, wanted)),
    }
}

fn contains_text(v: &Value, needle: &str) -> bool {
    match v {
        Value::String(s) => s.to_lowercase().contains(needle),
        Value::Array(items) => items.iter().any(|i| contains_text(i, needle)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rec(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    #[test]
    fn documented_examples() {
        let bob = rec(json!({"name": "Bob McTest", "city": "Los Angeles", "country": "US"}));
        let other =
            rec(json!({"name": "Other Contact", "city": "San Francisco", "country": "USA"}));
        let q = parse("name:Bob OR city:\"San Francisco\"");
        assert!(q.matches(&bob) && q.matches(&other));
        let q = parse("country:US");
        assert!(q.matches(&bob) && !q.matches(&other));
        let msg =
            rec(json!({"message": "I kept hearing that you had great service", "aborted": false}));
        assert!(parse("hear").matches(&msg));
        assert!(parse("aborted: false").matches(&msg));
        assert!(!parse("aborted:true").matches(&msg));
        assert!(parse("*").is_all() && parse("").is_all());
        assert!(parse("\"great service\" hear").matches(&msg));
        assert!(!parse("\"great service\" nope").matches(&msg));
        let tagged = rec(json!({"tags": ["red", "blue"]}));
        assert!(parse("tags:red").matches(&tagged) && !parse("tags:green").matches(&tagged));
        assert!(parse("status:Open").matches(&rec(json!({"status": "Open"}))));
    }

    #[test]
    fn odd_input_never_panics() {
        for q in [
            "\"",
            ":",
            "a:",
            "a:\"",
            "OR",
            "OR OR x",
            "::x",
            "\u{0}",
            "名前:ボブ",
        ] {
            let _ = parse(q).matches(&Map::new());
        }
    }
}
