//! From the core's description of an operation's parameters to command-line arguments,
//! and from parsed arguments (or a CSV cell) back to the JSON the core checks and sends.
//!
//! Nothing here knows a particular operation: every subcommand is made from
//! `avochato::operations()` and each parameter type's field list.

use avochato::params::FieldMatch;
use avochato::{Describe, FieldInfo, OperationSpec, TypeInfo, TypeRef};
use clap::{Arg, ArgAction, ArgMatches, Command};
use serde_json::{Map, Number, Value};

use crate::error::{CliError, Result};

/// How a field is given on the command line.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    Text,
    Int,
    Float,
    Bool,
    /// Several values (`Ids`, comma-separated lists, `Vec<String>`).
    List,
    /// A time: Unix seconds, ISO 8601, `now`, or relative (`+2h`, `-30m`, `+1d`).
    Time,
    /// A time window: `--NAME-from` / `--NAME-to`.
    Range,
    /// `--NAME FIELD=VALUE`.
    Match,
    /// One of the listed values.
    Choice(&'static [&'static str]),
    /// Free-form extra fields (custom contact fields): `--field NAME=VALUE`.
    Extra,
    /// A JSON document, or `@FILE`.
    Json,
}

/// The kind of a field, from its described type.
pub fn kind(f: &FieldInfo) -> Kind {
    if f.flatten {
        return Kind::Extra;
    }
    match f.ty {
        TypeRef::Text => Kind::Text,
        TypeRef::Bool => Kind::Bool,
        TypeRef::Integer { .. } => Kind::Int,
        TypeRef::Number => Kind::Float,
        TypeRef::Ids | TypeRef::CsvList | TypeRef::List(TypeRef::Text) => Kind::List,
        TypeRef::Time => Kind::Time,
        TypeRef::TimeRange => Kind::Range,
        TypeRef::Model(t) if t == <FieldMatch as Describe>::INFO => Kind::Match,
        TypeRef::Enum(t) => Kind::Choice(t.variants),
        _ => Kind::Json,
    }
}

fn kebab(name: &str) -> String {
    name.replace('_', "-")
}

/// `send_live_chat` → `send-live-chat`: the subcommand of an operation.
pub fn command_name(op: &OperationSpec) -> String {
    kebab(op.name)
}

/// Whether a parameter type names a user by `id` or `email` (both optional): the command
/// then takes one positional `ID_OR_EMAIL`.
fn user_ref(t: &TypeInfo) -> bool {
    let optional = |n: &str| t.fields.iter().any(|f| f.name == n && !f.required);
    optional("id") && optional("email")
}

const FLAG_SUFFIX: &str = "@flag";

/// The arguments of an operation's subcommand.
pub fn args(cmd: Command, t: &TypeInfo) -> Command {
    let mut cmd = cmd;
    if user_ref(t) {
        cmd = cmd.arg(
            Arg::new("user@positional")
                .value_name("ID_OR_EMAIL")
                .help("The user: an id, or an email address"),
        );
    }
    for f in t.fields {
        cmd = add_field(cmd, f);
    }
    cmd
}

fn help(f: &FieldInfo) -> String {
    let doc = f.doc.lines().next().unwrap_or("").trim();
    if f.required {
        format!("{doc} [required]")
    } else {
        doc.to_string()
    }
}

fn add_field(cmd: Command, f: &FieldInfo) -> Command {
    let long = kebab(f.name);
    let k = kind(f);
    let base = Arg::new(f.name).long(long.clone()).help(help(f));
    let base = f
        .aliases
        .iter()
        .fold(base, |a, alias| a.visible_alias(*alias));
    match k {
        Kind::Extra => cmd.arg(
            Arg::new(f.name)
                .long("field")
                .short('F')
                .value_name("NAME=VALUE")
                .action(ArgAction::Append)
                .help("A custom field (repeatable)"),
        ),
        Kind::Range => cmd
            .arg(
                Arg::new(format!("{}@from", f.name))
                    .long(format!("{long}-from"))
                    .value_name("TIME")
                    .help(format!("{} — from", help(f))),
            )
            .arg(
                Arg::new(format!("{}@to", f.name))
                    .long(format!("{long}-to"))
                    .value_name("TIME")
                    .help(format!("{} — until", help(f))),
            ),
        Kind::List if f.positional => cmd
            .arg(
                Arg::new(f.name)
                    .value_name(f.name.to_uppercase())
                    .num_args(1..)
                    .help(help(f)),
            )
            .arg(
                flag_twin(f, &long)
                    .action(ArgAction::Append)
                    .value_delimiter(','),
            ),
        _ if f.positional => cmd
            .arg(
                Arg::new(f.name)
                    .value_name(f.name.to_uppercase())
                    .help(help(f)),
            )
            .arg(flag_twin(f, &long)),
        Kind::List => cmd.arg(
            base.value_name("VALUE")
                .action(ArgAction::Append)
                .value_delimiter(',')
                .num_args(1..),
        ),
        Kind::Bool => cmd.arg(
            base.value_name("BOOL")
                .num_args(0..=1)
                .default_missing_value("true")
                .value_parser(parse_bool),
        ),
        Kind::Int => cmd.arg(base.value_name("N").value_parser(clap::value_parser!(i64))),
        Kind::Float => cmd.arg(base.value_name("NUMBER").value_parser(parse_finite)),
        Kind::Time => cmd.arg(base.value_name("TIME")),
        Kind::Match => cmd.arg(base.value_name("FIELD=VALUE")),
        Kind::Choice(values) => cmd.arg(base.value_name("VALUE").value_parser(
            clap::builder::PossibleValuesParser::new(values.iter().copied()),
        )),
        Kind::Json => cmd.arg(base.value_name("JSON|@FILE")),
        Kind::Text => cmd.arg(base.value_name("TEXT")),
    }
}

/// The `--name` form of a positional field (for scripts that prefer flags).
fn flag_twin(f: &FieldInfo, long: &str) -> Arg {
    let id = format!("{}{FLAG_SUFFIX}", f.name);
    let a = Arg::new(id)
        .long(long.to_string())
        .hide(true)
        .conflicts_with(f.name);
    f.aliases.iter().fold(a, |a, alias| a.alias(*alias))
}

/// A number JSON can carry: NaN and the infinities are refused (they would be sent as
/// nothing at all).
fn parse_finite(text: &str) -> std::result::Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(n) if n.is_finite() => Ok(n),
        Ok(_) => Err(format!("{text:?} is not a finite number")),
        Err(_) => Err(format!("{text:?} is not a number")),
    }
}

fn parse_bool(text: &str) -> std::result::Result<bool, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "y" | "on" => Ok(true),
        "false" | "0" | "no" | "n" | "off" => Ok(false),
        other => Err(format!("{other:?} is not true/false (or 1/0, yes/no)")),
    }
}

/// A time as Unix seconds: a number, an ISO 8601 date-time, `now`, or `now` plus or minus
/// a duration (`+2h`, `-30m`, `+1d`, `+90s`); finite (NaN and the infinities are refused).
pub fn parse_time(text: &str) -> Result<f64> {
    let t = any_time(text)?;
    if t.is_finite() {
        Ok(t)
    } else {
        Err(CliError::usage(format!("{text:?} is not a time")))
    }
}

/// A time given for flag (or argument) `flag`: errors name it.
fn time_for(flag: &str, text: &str) -> Result<f64> {
    parse_time(text).map_err(|e| CliError::usage(format!("{flag}: {e}")))
}

fn any_time(text: &str) -> Result<f64> {
    let t = text.trim();
    let now = avochato::Timestamp::now().as_secs();
    if t.eq_ignore_ascii_case("now") {
        return Ok(now);
    }
    if let Some(rest) = t.strip_prefix('+').map(|r| (1.0, r)).or_else(|| {
        t.strip_prefix('-')
            .filter(|r| r.ends_with(['s', 'm', 'h', 'd']))
            .map(|r| (-1.0, r))
    }) {
        let (sign, body) = rest;
        let (num, unit) = body.split_at(body.len().saturating_sub(1));
        let scale = match unit {
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            "d" => 86_400.0,
            _ => {
                return Err(CliError::usage(format!(
                    "{text:?}: a relative time ends in s, m, h or d (+2h)"
                )));
            }
        };
        let n: f64 = num
            .parse()
            .map_err(|_| CliError::usage(format!("{text:?} is not a time")))?;
        return Ok(now + sign * n * scale);
    }
    if let Ok(n) = t.parse::<f64>() {
        return Ok(n);
    }
    avochato::Timestamp::parse_iso8601(t)
        .map(|ts| ts.as_secs())
        .ok_or_else(|| CliError::usage(format!("{text:?} is not a time: use Unix seconds, ISO 8601 (2026-12-01T09:00:00Z), now, or +2h")))
}

fn number(n: f64) -> Value {
    Number::from_f64(n)
        .map(Value::Number)
        .unwrap_or(Value::Null)
}

fn split_pair(text: &str, what: &str) -> Result<(String, String)> {
    text.split_once('=')
        .map(|(k, v)| (k.trim().to_string(), v.to_string()))
        .filter(|(k, _)| !k.is_empty())
        .ok_or_else(|| CliError::usage(format!("{what} takes NAME=VALUE, not {text:?}")))
}

/// A JSON argument: the text itself, or the file after `@`.
fn json_arg(name: &str, text: &str) -> Result<Value> {
    let body = match text.strip_prefix('@') {
        Some(path) => std::fs::read_to_string(path).map_err(|e| CliError::io(path, e))?,
        None => text.to_string(),
    };
    if let Ok(v) = serde_json::from_str(&body) {
        return Ok(v);
    }
    // JSON lines: one document a line, as a list.
    body.lines()
        .filter(|l| !l.trim().is_empty())
        .map(serde_json::from_str)
        .collect::<std::result::Result<Vec<Value>, _>>()
        .map(Value::Array)
        .map_err(|e| CliError::usage(format!("--{}: not JSON (or JSON lines): {e}", kebab(name))))
}

fn missing(f: &FieldInfo) -> CliError {
    let doc = f
        .doc
        .lines()
        .next()
        .unwrap_or("")
        .trim()
        .trim_end_matches('.');
    let how = match kind(f) {
        _ if f.positional => f.name.to_uppercase(),
        Kind::Range => format!("--{0}-from and/or --{0}-to", kebab(f.name)),
        _ => format!("--{}", kebab(f.name)),
    };
    CliError::usage(format!("{how} is required ({doc})"))
}

/// The parsed arguments as the operation's JSON parameters.
pub fn collect(m: &ArgMatches, t: &TypeInfo) -> Result<Value> {
    let mut out = Map::new();
    if user_ref(t)
        && let Some(who) = m.get_one::<String>("user@positional")
    {
        let key = if who.contains('@') { "email" } else { "id" };
        out.insert(key.into(), Value::String(who.clone()));
    }
    for f in t.fields {
        let strings = |id: &str| -> Vec<String> {
            m.get_many::<String>(id)
                .map(|v| v.cloned().collect())
                .unwrap_or_default()
        };
        let one = |id: &str| m.get_one::<String>(id).cloned();
        let positional_or_flag = || {
            let mut v = strings(f.name);
            if v.is_empty() && f.positional {
                v = strings(&format!("{}{FLAG_SUFFIX}", f.name));
            }
            v
        };
        let value = match kind(f) {
            Kind::Extra => {
                for pair in strings(f.name) {
                    let (k, v) = split_pair(&pair, "--field")?;
                    out.insert(k, Value::String(v));
                }
                None
            }
            Kind::Range => {
                let mut range = Map::new();
                for end in ["from", "to"] {
                    if let Some(text) = one(&format!("{}@{end}", f.name)) {
                        let flag = format!("--{}-{end}", kebab(f.name));
                        range.insert(end.into(), number(time_for(&flag, &text)?));
                    }
                }
                (!range.is_empty()).then_some(Value::Object(range))
            }
            Kind::List => {
                let items: Vec<Value> = positional_or_flag()
                    .iter()
                    .flat_map(|s| s.split(','))
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| Value::String(s.to_string()))
                    .collect();
                (!items.is_empty()).then_some(Value::Array(items))
            }
            Kind::Bool => m.get_one::<bool>(f.name).map(|b| Value::Bool(*b)),
            Kind::Int => m.get_one::<i64>(f.name).map(|n| Value::from(*n)),
            Kind::Float => m.get_one::<f64>(f.name).map(|n| number(*n)),
            Kind::Time => {
                let flag = if f.positional {
                    f.name.to_uppercase()
                } else {
                    format!("--{}", kebab(f.name))
                };
                positional_or_flag()
                    .first()
                    .map(|t| time_for(&flag, t))
                    .transpose()?
                    .map(number)
            }
            Kind::Match => match one(f.name) {
                Some(text) => {
                    let (field, value) = split_pair(&text, &format!("--{}", kebab(f.name)))?;
                    Some(serde_json::json!({"field": field, "value": value}))
                }
                None => None,
            },
            Kind::Json => one(f.name).map(|t| json_arg(f.name, &t)).transpose()?,
            Kind::Text | Kind::Choice(_) => {
                positional_or_flag().into_iter().next().map(Value::String)
            }
        };
        match value {
            Some(v) => {
                out.insert(f.name.to_string(), v);
            }
            None if f.required => return Err(missing(f)),
            None => {}
        }
    }
    Ok(Value::Object(out))
}

/// A text cell (CSV) as the JSON a field of this kind takes; `None` for an empty cell.
pub fn cell_value(f: &FieldInfo, text: &str) -> Result<Option<Value>> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let bad = |what: &str| CliError::usage(format!("{}: {t:?} is not {what}", f.name));
    Ok(Some(match kind(f) {
        Kind::Int => Value::from(t.parse::<i64>().map_err(|_| bad("a whole number"))?),
        Kind::Float => number(parse_finite(t).map_err(|_| bad("a finite number"))?),
        Kind::Bool => Value::Bool(parse_bool(t).map_err(|_| bad("true/false"))?),
        Kind::Time => number(parse_time(t)?),
        Kind::List => Value::Array(
            t.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| Value::String(s.into()))
                .collect(),
        ),
        Kind::Json | Kind::Match | Kind::Range => {
            serde_json::from_str(t).map_err(|_| bad("JSON"))?
        }
        Kind::Text | Kind::Choice(_) | Kind::Extra => Value::String(text.to_string()),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(resource: &str, name: &str) -> &'static OperationSpec {
        avochato::find_operation(resource, name).unwrap()
    }

    fn parse(resource: &str, name: &str, argv: &[&str]) -> Result<Value> {
        let o = op(resource, name);
        let cmd = args(Command::new("x").no_binary_name(true), o.params_info());
        let m = cmd
            .try_get_matches_from(argv)
            .map_err(|e| CliError::usage(e.to_string()))?;
        collect(&m, o.params_info())
    }

    #[test]
    fn every_operation_makes_a_valid_subcommand() {
        for o in avochato::operations() {
            args(Command::new(command_name(o)), o.params_info()).debug_assert();
        }
    }

    #[test]
    fn flags_positionals_aliases_and_kinds() {
        let v = parse(
            "messages",
            "send",
            &[
                "--to",
                "+14155550100",
                "--text",
                "hi",
                "--mark-addressed",
                "--tags",
                "a,b",
                "--tags",
                "c",
            ],
        )
        .unwrap();
        assert_eq!(
            v,
            serde_json::json!({"phone": "+14155550100", "message": "hi", "mark_addressed": true, "tags": ["a", "b", "c"]})
        );
        let v = parse("tickets", "close", &["t1", "t2"]).unwrap();
        assert_eq!(v, serde_json::json!({"ids": ["t1", "t2"]}));
        let v = parse("tickets", "close", &["--ids", "t1,t2"]).unwrap();
        assert_eq!(v, serde_json::json!({"ids": ["t1", "t2"]}));
        assert_eq!(
            parse("users", "disable", &["a@example.com"]).unwrap(),
            serde_json::json!({"email": "a@example.com"})
        );
        assert_eq!(
            parse("users", "disable", &["u1"]).unwrap(),
            serde_json::json!({"id": "u1"})
        );
        let v = parse(
            "contacts",
            "upsert",
            &[
                "--phone",
                "+14155550100",
                "-F",
                "plan=gold",
                "--priority",
                "3",
            ],
        )
        .unwrap();
        assert_eq!(
            v,
            serde_json::json!({"phone": "+14155550100", "priority": 3, "plan": "gold"})
        );
        let v = parse(
            "messages",
            "search_by_timestamp",
            &[
                "--created-at-from",
                "100",
                "--created-at-to",
                "1970-01-01T00:03:20Z",
            ],
        )
        .unwrap();
        assert_eq!(
            v,
            serde_json::json!({"created_at": {"from": 100.0, "to": 200.0}})
        );
        let v = parse(
            "broadcasts",
            "create",
            &["--message", "m", "--via-field", "name=Ada"],
        )
        .unwrap();
        assert_eq!(
            v["via_field"],
            serde_json::json!({"field": "name", "value": "Ada"})
        );
        assert!(parse("tickets", "update_status", &["t1", "--status", "Done"]).is_err());
        assert!(parse("messages", "send", &["--priority", "x"]).is_err());
    }

    #[test]
    fn numbers_and_times_are_finite_and_errors_name_the_flag() {
        // `--flag=value`: a value starting with `-` is taken as a value, not as a flag.
        let event = ["--phone", "+14155550100", "--type", "sale"];
        for bad in ["NaN", "inf", "-inf", "infinity", "lots"] {
            let revenue = format!("--revenue={bad}");
            let e = parse(
                "events",
                "add_by_phone",
                &[&event[..], &[&revenue]].concat(),
            )
            .unwrap_err();
            assert!(e.to_string().contains("--revenue"), "{bad}: {e}");
        }
        let ok = parse(
            "events",
            "add_by_phone",
            &[&event[..], &["--revenue=12.5"]].concat(),
        );
        assert_eq!(ok.unwrap()["revenue"], serde_json::json!(12.5));
        for bad in ["NaN", "-inf", "+infh", "yesterday"] {
            let from = format!("--created-at-from={bad}");
            let e = parse("messages", "search", &[&from]).unwrap_err();
            assert!(e.to_string().contains("--created-at-from"), "{bad}: {e}");
            let at = format!("--scheduled-for={bad}");
            let send = ["--phone", "+14155550100", "--message", "m", &at];
            let e = parse("messages", "schedule", &send).unwrap_err();
            assert!(e.to_string().contains("--scheduled-for"), "{bad}: {e}");
        }
        let f = avochato::find_operation("events", "add_by_phone")
            .unwrap()
            .params_info()
            .field("revenue")
            .unwrap();
        assert!(cell_value(f, "NaN").is_err());
        assert_eq!(cell_value(f, "2").unwrap(), Some(serde_json::json!(2.0)));
    }

    #[test]
    fn relative_and_absolute_times() {
        let now = avochato::Timestamp::now().as_secs();
        assert!((parse_time("+2h").unwrap() - now - 7200.0).abs() < 5.0);
        assert!((parse_time("-30m").unwrap() - now + 1800.0).abs() < 5.0);
        assert_eq!(parse_time("1700000000").unwrap(), 1_700_000_000.0);
        assert_eq!(parse_time("-5").unwrap(), -5.0);
        assert!(parse_time("tomorrow").is_err());
        assert!(parse_time("NaN").is_err() && parse_time("inf").is_err());
    }
}
