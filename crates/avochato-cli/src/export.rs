//! `avochato contacts export`: every contact (or a search's), page by page, as CSV or JSON
//! lines. One page is in memory at a time.
//!
//! CSV columns are the contact fields, then the custom fields of the first page (and any
//! named with `--field`); a custom field first seen later is reported at the end (JSON lines
//! keep everything). CSV times are ISO 8601 (UTC) unless `--time epoch`; JSON lines keep the
//! API's numbers.

use std::collections::BTreeSet;
use std::fs::File;
use std::io::{BufWriter, Write};

use clap::ArgMatches;
use serde_json::{Value, json};

use avochato::Describe;
use avochato::models::Contact;

use crate::context::Globals;
use crate::error::{CliError, Result};
use crate::progress::Progress;
use crate::records::csv_line;

/// The contact fields that hold times.
fn time_columns() -> Vec<&'static str> {
    Contact::INFO
        .fields
        .iter()
        .filter(|f| f.ty == avochato::TypeRef::Time)
        .map(|f| f.name)
        .collect()
}

fn contact_columns() -> Vec<&'static str> {
    Some(Contact::INFO)
        .map(|t| {
            t.fields
                .iter()
                .filter(|f| !f.flatten)
                .map(|f| f.name)
                .collect()
        })
        .unwrap_or_default()
}

/// A value as one CSV cell: lists of plain values comma-separated (as `tags` are sent),
/// anything nested as JSON.
fn csv_cell(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) if items.iter().all(|i| i.is_string() || i.is_number()) => items
            .iter()
            .map(|i| {
                i.as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| i.to_string())
            })
            .collect::<Vec<_>>()
            .join(","),
        Some(other) => other.to_string(),
    }
}

pub async fn run(g: &Globals, m: &ArgMatches) -> Result<()> {
    let jsonl = m.get_one::<String>("format").map(String::as_str) == Some("jsonl");
    let mut params = json!({"limit": 100});
    if let Some(q) = m.get_one::<String>("query") {
        params["query"] = Value::String(q.clone());
    }
    let client = g.client(false)?;
    let search = avochato::find_operation("contacts", "search")
        .ok_or_else(|| CliError::usage("contacts.search is missing"))?;
    let mut pager = client.paginate_json(search, params, g.request_options())?;
    let output = m.get_one::<String>("output").cloned();
    let sink: Box<dyn Write> = match &output {
        Some(path) => Box::new(File::create(path).map_err(|e| CliError::io(path, e))?),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut out = BufWriter::new(sink);
    let io = |e: std::io::Error| CliError::io("writing the export", e);
    let mut columns: Option<Vec<String>> = None;
    let times = time_columns();
    let mut late_fields = BTreeSet::new();
    let mut progress = Progress::new("export", None, g.progress_bars && output.is_some());
    let mut total = 0u64;
    while let Some(page) = pager.next_page().await? {
        let items = page["items"].as_array().cloned().unwrap_or_default();
        if jsonl {
            for item in &items {
                serde_json::to_writer(&mut out, item)
                    .map_err(|e| CliError::io("writing the export", e))?;
                out.write_all(b"\n").map_err(io)?;
            }
        } else {
            let cols = columns.get_or_insert_with(|| {
                let mut cols: Vec<String> =
                    contact_columns().into_iter().map(String::from).collect();
                let extra: BTreeSet<String> = items
                    .iter()
                    .filter_map(Value::as_object)
                    .flat_map(|o| o.keys().cloned())
                    .chain(m.get_many::<String>("field").into_iter().flatten().cloned())
                    .filter(|k| !cols.contains(k))
                    .collect();
                cols.extend(extra);
                cols
            });
            if total == 0 {
                out.write_all(&csv_line(cols)).map_err(io)?;
            }
            for item in &items {
                if let Some(o) = item.as_object() {
                    late_fields.extend(o.keys().filter(|k| !cols.contains(k)).cloned());
                }
                let cells: Vec<String> = cols
                    .iter()
                    .map(|c| match item.get(c) {
                        Some(v) if times.contains(&c.as_str()) => {
                            crate::times::cell(v, g.epoch_times)
                                .unwrap_or_else(|| csv_cell(Some(v)))
                        }
                        v => csv_cell(v),
                    })
                    .collect();
                out.write_all(&csv_line(&cells)).map_err(io)?;
            }
        }
        total += items.len() as u64;
        progress.advance(items.len() as u64, "contacts".into());
    }
    if !jsonl && total == 0 {
        out.write_all(&csv_line(&contact_columns())).map_err(io)?;
    }
    out.flush().map_err(io)?;
    progress.finish();
    if !late_fields.is_empty() {
        eprintln!(
            "note: custom fields {} first appeared after the first page and are not in the CSV; add them with --field NAME, or use --format jsonl",
            late_fields.into_iter().collect::<Vec<_>>().join(", ")
        );
    }
    eprintln!(
        "exported {total} contact(s){}",
        output.map(|p| format!(" to {p}")).unwrap_or_default()
    );
    Ok(())
}
