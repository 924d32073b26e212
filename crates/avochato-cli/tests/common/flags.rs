//! A fixture's operation and JSON parameters as the `avochato` command line that makes the call,
//! and what the command's exit code and stderr say the outcome was. For the shared suites of
//! `tests/fixtures/` (`fault_matrix.rs`, `bad_inputs.rs`).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use avochato::{FieldInfo, TypeRef};
use serde_json::Value;

/// A fixture value as the text a command line carries: markers as the text a user would type
/// (`NaN`, `inf`, `-inf`, the largest double, the digits of a big integer).
pub fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Object(m) if m.contains_key("$nan") => "NaN".into(),
        Value::Object(m) if m.contains_key("$inf") => {
            if m["$inf"].as_f64().unwrap() < 0.0 {
                "-inf".into()
            } else {
                "inf".into()
            }
        }
        Value::Object(m) if m.contains_key("$huge") => f64::MAX.to_string(),
        Value::Object(m) if m.contains_key("$bigint") => m["$bigint"].as_str().unwrap().into(),
        Value::Object(m) if m.contains_key("$repeat") => {
            let r = &m["$repeat"];
            r[0].as_str()
                .unwrap()
                .repeat(r[1].as_u64().unwrap() as usize)
        }
        other => other.to_string(),
    }
}

fn kebab(name: &str) -> String {
    name.replace('_', "-")
}

/// Each item of a list (or the value itself) as text.
fn items(v: &Value) -> Vec<String> {
    match v {
        Value::Array(items) => items.iter().map(text).collect(),
        other => vec![text(other)],
    }
}

/// `resource command [flags] -- [positionals]` for `operation` (`messages.send_live_chat`)
/// with `params`.
pub fn argv(operation: &str, params: &Value) -> Vec<String> {
    let (resource, name) = operation.split_once('.').unwrap();
    let spec = avochato::find_operation(resource, name)
        .unwrap_or_else(|| panic!("no operation {operation}"));
    let info = spec.params_info();
    let field = |n: &str| info.fields.iter().find(|f| f.name == n && !f.flatten);
    let flatten = info.fields.iter().any(|f| f.flatten);
    // Users are named by one positional ID_OR_EMAIL.
    let user_ref = ["id", "email"]
        .iter()
        .all(|n| field(n).is_some_and(|f: &FieldInfo| !f.required));
    let mut flags = Vec::new();
    let mut positionals = Vec::new();
    for (key, value) in params.as_object().unwrap() {
        let Some(f) = field(key) else {
            if flatten {
                flags.push("-F".to_string());
                flags.push(format!("{key}={}", text(value)));
            } else {
                flags.push(format!("--{}={}", kebab(key), text(value)));
            }
            continue;
        };
        if f.positional || (user_ref && (key == "id" || key == "email")) {
            positionals.extend(items(value));
            continue;
        }
        match &f.ty {
            TypeRef::TimeRange => {
                for (end, v) in value.as_object().unwrap() {
                    flags.push(format!("--{}-{end}={}", kebab(key), text(v)));
                }
            }
            TypeRef::Model(_) => {
                let m = value.as_object().unwrap();
                flags.push(format!(
                    "--{}={}={}",
                    kebab(key),
                    text(&m["field"]),
                    text(&m["value"])
                ));
            }
            _ => {
                for item in items(value) {
                    flags.push(format!("--{}={item}", kebab(key)));
                }
            }
        }
    }
    let mut out = vec![resource.to_string(), kebab(spec.name)];
    out.extend(flags);
    if !positionals.is_empty() {
        out.push("--".into());
        out.extend(positionals);
    }
    out
}

/// The error kind the CLI reports on stderr (`error: server error (HTTP 500): ...`), by the
/// core's wording of each kind.
pub fn kind_of(stderr: &str) -> &'static str {
    let line = stderr
        .lines()
        .find(|l| l.starts_with("error: "))
        .unwrap_or_default()
        .trim_start_matches("error: ");
    [
        ("authentication failed", "authentication"),
        ("permission denied", "permission_denied"),
        ("not found", "not_found"),
        ("invalid request", "invalid_request"),
        ("rate limited", "rate_limited"),
        ("server error", "server"),
        ("timed out", "timeout"),
        ("connection failed", "connection"),
        ("unexpected response", "decode"),
        ("invalid input", "validation"),
        ("internal error", "internal"),
    ]
    .iter()
    .find(|(words, _)| line.starts_with(words))
    .map_or("unknown", |(_, kind)| kind)
}

/// Whether stderr names `param` as a word (as written, as its `--flag`, or as a positional's
/// upper-case name): `id` is not named by "invalid".
pub fn names(stderr: &str, param: &str) -> bool {
    let lower = stderr.to_lowercase();
    let word = |needle: &str| {
        let is_word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        lower.match_indices(needle).any(|(i, _)| {
            !is_word(lower[..i].chars().next_back())
                && !is_word(lower[i + needle.len()..].chars().next())
        })
    };
    word(&param.to_lowercase()) || word(&param.replace(['_', '.'], "-"))
}
