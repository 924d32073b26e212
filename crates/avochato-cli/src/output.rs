//! Printing results: a table on a terminal, JSON when piped (or `--json`), CSV (`--csv`),
//! ids only (`--quiet`). Table cells never carry control characters, so text from the API
//! (a message body) cannot move the cursor or rewrite the terminal.

use std::io::Write;

use avochato::{TypeInfo, TypeRef};
use serde_json::{Map, Value};
use unicode_width::UnicodeWidthStr;

use crate::error::{CliError, Result};
use crate::records::csv_line;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Csv,
    Quiet,
}

/// The columns a table shows by default for each kind of item (`--wide` shows them all).
fn summary(item_type: &str) -> &'static [&'static str] {
    match item_type {
        "Message" => &[
            "event_id",
            "created_at",
            "direction",
            "from",
            "to",
            "status",
            "message",
        ],
        "ScheduledMessage" => &[
            "event_id",
            "scheduled_for",
            "contact_id",
            "aborted",
            "sent",
            "message",
        ],
        "Contact" => &[
            "id",
            "name",
            "phone",
            "email",
            "company",
            "tags",
            "created_at",
        ],
        "Ticket" => &[
            "id",
            "status",
            "user_id",
            "unaddressed",
            "origin",
            "created_at",
        ],
        "PreviousTicket" => &[
            "id",
            "channel",
            "created_at",
            "closed_at",
            "account_subdomain",
        ],
        "User" | "UserDetails" => &["id", "name", "email", "role", "enabled", "phone"],
        "Account" => &["subdomain", "name", "phone", "id", "created_at"],
        "Broadcast" => &[
            "id",
            "name",
            "status",
            "contacts_count",
            "delivered",
            "scheduled_for",
            "message",
        ],
        "Campaign" => &[
            "key",
            "id",
            "raw_text",
            "follow_up_delay",
            "follow_up_message",
        ],
        "Event" => &[
            "element_type",
            "event_id",
            "sent_at",
            "message",
            "event_type",
            "status",
        ],
        _ => &[],
    }
}

/// One column: a field name and whether it holds a time.
#[derive(Clone, Debug)]
struct Column {
    name: String,
    time: bool,
}

/// The columns for items of `item_type`: the model's fields in declared order (then any
/// extra fields, such as custom contact fields), without those empty in every row; at most
/// eight, and only plain values, unless `all`.
fn columns(model: Option<&TypeInfo>, rows: &[&Map<String, Value>], all: bool) -> Vec<Column> {
    let item_type = model.map_or("", |t| t.name);
    let mut names: Vec<(String, bool)> = Vec::new();
    if let Some(t) = model {
        for f in t.fields {
            if f.flatten {
                continue;
            }
            names.push((f.name.to_string(), f.ty == TypeRef::Time));
        }
    }
    for row in rows {
        for k in row.keys() {
            if !names.iter().any(|(n, _)| n == k) {
                names.push((k.clone(), false));
            }
        }
    }
    let preferred = summary(item_type);
    if !all && !preferred.is_empty() {
        names.retain(|(n, _)| preferred.contains(&n.as_str()));
        names.sort_by_key(|(n, _)| preferred.iter().position(|p| p == n));
        for n in ["created_at", "sent_at", "scheduled_for", "closed_at"] {
            if let Some(entry) = names.iter_mut().find(|(name, _)| name == n) {
                entry.1 = true;
            }
        }
    }
    // The identifying column first.
    names.sort_by_key(|(n, _)| !matches!(n.as_str(), "id" | "event_id"));
    let plain = |v: &Value| match v {
        Value::Object(_) => false,
        Value::Array(items) => items.iter().all(|i| !i.is_object() && !i.is_array()),
        _ => true,
    };
    let empty = |v: &Value| match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    };
    let mut out: Vec<Column> = names
        .into_iter()
        .filter(|(n, _)| {
            all || rows.iter().any(|r| r.get(n).is_some_and(|v| !empty(v)))
                && rows.iter().all(|r| r.get(n).is_none_or(plain))
        })
        .map(|(name, time)| Column { name, time })
        .collect();
    if !all {
        out.truncate(8);
    }
    out
}

/// A value as one cell of text.
fn cell(v: Option<&Value>, time: bool) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => crate::term::clean(s),
        Some(Value::Number(n)) if time => n
            .as_f64()
            .map(|s| avochato::Timestamp(s).to_iso8601())
            .unwrap_or_else(|| n.to_string()),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        Some(Value::Array(items)) if items.iter().all(|i| !i.is_object() && !i.is_array()) => items
            .iter()
            .map(|i| cell(Some(i), false))
            .collect::<Vec<_>>()
            .join(", "),
        Some(other) => crate::term::clean(&other.to_string()),
    }
}

fn truncate(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    for c in text.chars() {
        if out.width() + c.to_string().width() + 1 > width {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

/// The id-like field of an item, for `--quiet`: what other commands take as its id.
fn id_of(item_type: &str, item: &Value) -> Option<String> {
    let first = match item_type {
        "Account" => "subdomain",
        "Campaign" => "key",
        "Tag" | "Profile" => "name",
        _ => "id",
    };
    [first, "id", "event_id", "key", "subdomain", "name", "phone"]
        .iter()
        .find_map(|k| {
            item.get(*k)
                .filter(|v| !v.is_null())
                .map(|v| cell(Some(v), false))
        })
}

fn write_err(e: std::io::Error) -> CliError {
    CliError::io("writing the output", e)
}

/// Prints rows as they arrive (a walk over every page prints page by page, in constant
/// memory): the table's columns and widths come from the first rows.
pub struct Printer<W: Write> {
    out: W,
    format: Format,
    /// The model of the items (a table's columns, which fields are times).
    model: Option<&'static TypeInfo>,
    item_type: &'static str,
    wide: bool,
    columns: Option<Vec<(Column, usize)>>,
    csv: bool,
    json_rows: usize,
    list: bool,
    /// CSV keeps times as Unix seconds (`--time epoch`) instead of ISO 8601.
    epoch: bool,
}

const CELL_WIDTH: usize = 40;

impl<W: Write> Printer<W> {
    /// `list`: the rows form a list (JSON prints an array).
    pub fn new(out: W, format: Format, item: TypeRef, wide: bool, list: bool) -> Self {
        let model = item.info();
        Self::rows_of(out, format, model, model.map_or("", |t| t.name), wide, list)
    }

    /// A printer for rows that are not an API model (profiles, the operation list), by a
    /// name the default columns are looked up by.
    pub fn named(out: W, format: Format, name: &'static str, wide: bool, list: bool) -> Self {
        Self::rows_of(out, format, None, name, wide, list)
    }

    fn rows_of(
        out: W,
        format: Format,
        model: Option<&'static TypeInfo>,
        item_type: &'static str,
        wide: bool,
        list: bool,
    ) -> Self {
        Printer {
            out,
            format,
            model,
            item_type,
            wide,
            columns: None,
            csv: false,
            json_rows: 0,
            list,
            epoch: false,
        }
    }

    /// `--time epoch`: CSV times as Unix seconds.
    pub fn epoch_times(mut self, epoch: bool) -> Self {
        self.epoch = epoch;
        self
    }

    /// Prints one object on its own (not a list): a two-column table of its fields.
    pub fn object(mut self, value: &Value) -> Result<()> {
        match self.format {
            Format::Json => {
                serde_json::to_writer_pretty(&mut self.out, value)
                    .map_err(|e| CliError::io("writing the output", e))?;
                writeln!(self.out).map_err(write_err)
            }
            Format::Quiet => match id_of(self.item_type, value) {
                Some(id) => writeln!(self.out, "{id}").map_err(write_err),
                None => Ok(()),
            },
            Format::Csv => {
                self.list = true;
                self.rows(std::slice::from_ref(value))?;
                self.finish()
            }
            Format::Table => {
                let Some(map) = value.as_object() else {
                    return writeln!(self.out, "{}", cell(Some(value), false)).map_err(write_err);
                };
                let lines = self.object_lines(map);
                let key_width = lines.iter().map(|(k, _)| k.width()).max().unwrap_or(0);
                for (k, text) in lines {
                    writeln!(self.out, "{k:<key_width$}  {text}").map_err(write_err)?;
                }
                Ok(())
            }
        }
    }

    /// The `key  value` lines of one object: the summary fields first, nested objects
    /// one level deep as `account.subdomain`, empty values left out (unless `--wide`).
    fn object_lines(&self, map: &Map<String, Value>) -> Vec<(String, String)> {
        let is_time = |k: &str| {
            self.model.is_some_and(|t| {
                t.fields
                    .iter()
                    .any(|f| f.name == k && f.ty == TypeRef::Time)
            }) || matches!(
                k,
                "created_at"
                    | "updated_at"
                    | "sent_at"
                    | "scheduled_for"
                    | "closed_at"
                    | "signed_in_at"
            )
        };
        let empty = |v: &Value| {
            v.is_null() || v.as_str() == Some("") || v.as_array().is_some_and(Vec::is_empty)
        };
        let preferred = summary(self.item_type);
        let mut keys: Vec<&String> = map.keys().collect();
        keys.sort_by_key(|k| {
            preferred
                .iter()
                .position(|p| p == k)
                .unwrap_or(preferred.len())
        });
        let mut out = Vec::new();
        for k in keys {
            let v = &map[k.as_str()];
            let mut push = |key: String, v: &Value, time: bool| {
                if self.wide || !empty(v) {
                    let text = cell(Some(v), time);
                    out.push((
                        crate::term::clean(&key),
                        if self.wide {
                            text
                        } else {
                            truncate(&text, 100)
                        },
                    ));
                }
            };
            match v.as_object() {
                Some(inner) => {
                    for (ik, iv) in inner {
                        push(format!("{k}.{ik}"), iv, is_time(ik));
                    }
                }
                None => push(k.clone(), v, is_time(k)),
            }
        }
        out
    }

    /// Prints a batch of rows of the list.
    pub fn rows(&mut self, items: &[Value]) -> Result<()> {
        match self.format {
            Format::Json => {
                for item in items {
                    let sep = if self.json_rows == 0 {
                        "[\n  "
                    } else {
                        ",\n  "
                    };
                    self.json_rows += 1;
                    write!(self.out, "{sep}").map_err(write_err)?;
                    serde_json::to_writer(&mut self.out, item)
                        .map_err(|e| CliError::io("writing the output", e))?;
                }
                Ok(())
            }
            Format::Quiet => {
                for item in items {
                    if let Some(id) = id_of(self.item_type, item) {
                        writeln!(self.out, "{id}").map_err(write_err)?;
                    }
                }
                Ok(())
            }
            Format::Table | Format::Csv => {
                let maps: Vec<&Map<String, Value>> =
                    items.iter().filter_map(Value::as_object).collect();
                if self.columns.is_none() {
                    if maps.is_empty() {
                        return Ok(());
                    }
                    self.start(&maps)?;
                }
                let cols = self.columns.as_deref().unwrap_or_default();
                if self.csv {
                    for m in &maps {
                        let record: Vec<String> = cols
                            .iter()
                            .map(|(c, _)| match m.get(&c.name) {
                                Some(v) if c.time => crate::times::cell(v, self.epoch)
                                    .unwrap_or_else(|| cell(Some(v), false)),
                                Some(Value::String(s)) => s.clone(),
                                v => cell(v, false),
                            })
                            .collect();
                        self.out.write_all(&csv_line(&record)).map_err(write_err)?;
                    }
                    return Ok(());
                }
                for m in &maps {
                    let line: Vec<String> = cols
                        .iter()
                        .map(|(c, width)| {
                            let text = truncate(&cell(m.get(&c.name), c.time), *width);
                            let pad = width.saturating_sub(text.width());
                            format!("{text}{}", " ".repeat(pad))
                        })
                        .collect();
                    writeln!(self.out, "{}", line.join("  ").trim_end()).map_err(write_err)?;
                }
                Ok(())
            }
        }
    }

    fn start(&mut self, maps: &[&Map<String, Value>]) -> Result<()> {
        let all = self.wide || self.format == Format::Csv;
        let cols = columns(self.model, maps, all);
        let sized: Vec<(Column, usize)> = cols
            .into_iter()
            .map(|c| {
                let longest = maps
                    .iter()
                    .map(|m| cell(m.get(&c.name), c.time).width())
                    .max()
                    .unwrap_or(0);
                let width = if self.wide {
                    longest
                } else {
                    longest.min(CELL_WIDTH)
                };
                let width = width.max(c.name.width());
                (c, width)
            })
            .collect();
        if self.format == Format::Csv {
            let names: Vec<&str> = sized.iter().map(|(c, _)| c.name.as_str()).collect();
            self.out.write_all(&csv_line(&names)).map_err(write_err)?;
            self.csv = true;
        } else {
            let header: Vec<String> = sized
                .iter()
                .map(|(c, w)| format!("{:<w$}", c.name.to_uppercase(), w = *w))
                .collect();
            writeln!(self.out, "{}", header.join("  ").trim_end()).map_err(write_err)?;
        }
        self.columns = Some(sized);
        Ok(())
    }

    /// Ends the output (closes a JSON array).
    pub fn finish(mut self) -> Result<()> {
        if self.format == Format::Json && self.list {
            let end = if self.json_rows == 0 { "[]\n" } else { "\n]\n" };
            write!(self.out, "{end}").map_err(write_err)?;
        }
        self.out.flush().map_err(write_err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn control_characters_never_reach_the_terminal() {
        assert_eq!(
            crate::term::clean("hi\x1b[2J\x1b]0;pwned\x07 there\r\nok\u{202E}x\u{9b}1m"),
            "hi[2J]0;pwned there  okx1m"
        );
    }

    fn render(format: Format, wide: bool, items: &[Value]) -> String {
        render_as("Message", format, wide, items)
    }

    fn render_as(item_type: &'static str, format: Format, wide: bool, items: &[Value]) -> String {
        let mut out = Vec::new();
        let item = avochato::models::MODELS
            .iter()
            .find(|t| t.name == item_type)
            .map_or(TypeRef::Any, |t| TypeRef::Model(t));
        let mut p = match item {
            TypeRef::Model(_) => Printer::new(&mut out, format, item, wide, true),
            _ => Printer::named(&mut out, format, item_type, wide, true),
        };
        p.rows(items).unwrap();
        p.finish().unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn tables_show_plain_non_empty_fields_with_times_in_utc() {
        let rows = [
            json!({"event_id": "m1", "message": "a\x1b[31mred", "created_at": 1774979797.9, "media_url": null, "tags": ["x", "y"], "raw": {"a": 1}}),
            json!({"event_id": "m2", "message": "second", "created_at": 0}),
        ];
        // A message shows its summary columns; times in UTC.
        let text = render(Format::Table, false, &rows);
        let lines: Vec<&str> = text.lines().collect();
        assert!(
            lines[0].starts_with("EVENT_ID") && lines[0].contains("MESSAGE"),
            "{text}"
        );
        assert!(
            lines[0].contains("CREATED_AT") && !lines[0].contains("TAGS"),
            "{text}"
        );
        assert!(
            !text.contains("MEDIA_URL") && !text.contains("RAW"),
            "{text}"
        );
        assert!(
            lines[1].contains("a[31mred") && lines[1].contains("2026-03-31T17:56:37Z"),
            "{text}"
        );
        assert!(!text.contains('\x1b'));
        // Any other item: its plain, non-empty fields.
        let text = render_as("Other", Format::Table, false, &rows);
        assert!(text.contains("TAGS") && text.contains("x, y"), "{text}");
        assert!(
            !text.contains("MEDIA_URL") && !text.contains("RAW"),
            "{text}"
        );
        // --wide: every column.
        assert!(render(Format::Table, true, &rows).contains("MEDIA_URL"));
    }

    #[test]
    fn json_is_an_array_and_csv_has_every_field() {
        let rows = [
            json!({"event_id": "m1", "message": "hi, \"you\""}),
            json!({"event_id": "m2", "message": "x"}),
        ];
        let parsed: Value = serde_json::from_str(&render(Format::Json, false, &rows)).unwrap();
        assert_eq!(parsed, Value::Array(rows.to_vec()));
        assert_eq!(render(Format::Json, false, &[]), "[]\n");
        let csv = render(Format::Csv, false, &rows);
        let mut r = csv::Reader::from_reader(csv.as_bytes());
        let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
        assert!(
            header.starts_with(&["event_id".to_string()])
                && header.contains(&"message".to_string())
        );
        let first = r.records().next().unwrap().unwrap();
        assert_eq!(
            &first[header.iter().position(|h| h == "message").unwrap()],
            "hi, \"you\""
        );
        assert_eq!(render(Format::Quiet, false, &rows), "m1\nm2\n");
    }
}
