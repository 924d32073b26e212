//! `avochato contacts import FILE`: upserts in batches through the many-contacts form.
//!
//! Each row is checked by the core before anything is sent (bad rows go to the failed file
//! at once). Before each batch one search tells which phones exist already, so the summary
//! can say created and updated. A batch the API refused (4xx) is sent again one contact at a
//! time to find the bad rows; a batch that may have reached the API (5xx, timeout, broken
//! connection) is not resent: its rows go to the failed file, which can be imported again.
//! The journal records each finished batch, so a re-run resumes after the last one.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::atomic::Ordering;

use avochato::{Client, ErrorKind, FieldInfo, OperationSpec, RequestOptions};
use clap::ArgMatches;
use serde_json::{Map, Value, json};

use crate::context::Globals;
use crate::error::{CliError, Result};
use crate::journal::{self, Header, Journal};
use crate::params;
use crate::progress::Progress;
use crate::records::{ERROR_COLUMN, FailedRows, Reader, Row, failed_path};

fn op(name: &str) -> avochato::Result<&'static OperationSpec> {
    avochato::find_operation("contacts", name)
        .ok_or_else(|| avochato::Error::validation("", format!("contacts.{name} is missing")))
}

fn contact_input() -> Result<&'static avochato::TypeInfo> {
    avochato::params::describe_inputs()
        .into_iter()
        .find(|t| t.name == "ContactInput")
        .ok_or_else(|| CliError::usage("ContactInput is not described"))
}

/// Columns of an export that are not contact inputs (read-only fields of the API).
fn read_only() -> Vec<&'static str> {
    let inputs: Vec<&str> = contact_input()
        .map(|t| t.fields.iter().map(|f| f.name).collect())
        .unwrap_or_default();
    let mut out: Vec<&str> = avochato::models::describe_all()
        .into_iter()
        .find(|t| t.name == "Contact")
        .map(|t| {
            t.fields
                .iter()
                .filter(|f| !f.flatten && !inputs.contains(&f.name))
                .map(|f| f.name)
                .collect()
        })
        .unwrap_or_default();
    out.push(ERROR_COLUMN);
    out
}

#[derive(Default)]
struct Counts {
    created: u64,
    updated: u64,
    /// Upserted while the lookup of existing phones failed: created or updated, unknown.
    unchecked: u64,
    failed: u64,
}

impl Counts {
    fn text(&self) -> String {
        let unchecked = if self.unchecked > 0 {
            format!(
                ", upserted without a created/updated check {}",
                self.unchecked
            )
        } else {
            String::new()
        };
        format!(
            "created {}, updated {}{unchecked}, failed {}",
            self.created, self.updated, self.failed
        )
    }
}

struct Import {
    client: Client,
    options: RequestOptions,
    fields: Vec<&'static FieldInfo>,
    ignored: Vec<&'static str>,
    allow_empty: bool,
    counts: Counts,
    failed: FailedRows,
    /// Phones this run has upserted (a later row with the same phone is an update).
    seen: HashSet<String>,
    lookup_warned: bool,
}

pub async fn run(g: &Globals, m: &ArgMatches) -> Result<()> {
    let file = PathBuf::from(m.get_one::<String>("file").cloned().unwrap_or_default());
    let batch_size = m.get_one::<u32>("batch-size").copied().unwrap_or(100) as usize;
    let reader = Reader::open(&file)?;
    let client = g.client(true)?;
    let header = Header::new("contacts import", &file, client.config())?;
    let journal_path = m
        .get_one::<String>("journal")
        .map(PathBuf::from)
        .unwrap_or_else(|| journal::default_path(&file));
    let (mut journal, earlier) = Journal::open(&journal_path, &header, m.get_flag("restart"))?;
    let last = earlier.iter().rev().find(|e| e.get("through").is_some());
    if earlier.iter().any(|e| e.get("complete").is_some()) {
        eprintln!(
            "{} was imported completely by an earlier run ({}); nothing to do. Pass --restart to import it again.",
            file.display(),
            journal_path.display()
        );
        return Ok(());
    }
    let through = last.and_then(|e| e["through"].as_u64()).unwrap_or(0);
    let count = |k: &str| last.and_then(|e| e[k].as_u64()).unwrap_or(0);
    let failed_file = m
        .get_one::<String>("failed")
        .map(PathBuf::from)
        .unwrap_or_else(|| failed_path(&file, reader.format));
    let mut job = Import {
        client,
        options: g.request_options(),
        fields: contact_input()?.fields.iter().collect(),
        ignored: read_only(),
        allow_empty: m.get_flag("allow-empty-fields"),
        counts: Counts {
            created: count("created"),
            updated: count("updated"),
            unchecked: count("unchecked"),
            failed: count("failed"),
        },
        failed: FailedRows::new(failed_file, reader.format, &reader.headers, through > 0),
        seen: HashSet::new(),
        lookup_warned: false,
    };
    let total = Reader::count(&file)?;
    let mut progress = Progress::new("import", Some(total), g.progress_bars);
    if through > 0 {
        eprintln!(
            "resuming after row {through} ({}) from {}",
            job.counts.text(),
            journal_path.display()
        );
        progress.skip(through);
    }
    let stop = crate::interrupt::watch();
    let mut batch: Vec<(Row, Value)> = Vec::with_capacity(batch_size);
    let mut last_row = through;
    let mut rows = reader.skip_while(|r| match r {
        Ok(row) => row.number <= through,
        Err((n, _)) => *n <= through,
    });
    loop {
        let next = rows.next();
        let end = next.is_none();
        let mut bad_rows = 0;
        if let Some(item) = next {
            match item {
                Ok(row) => {
                    last_row = row.number;
                    match job.prepare(&row) {
                        Ok(v) => batch.push((row, v)),
                        Err(e) => {
                            job.fail(&row, &e.to_string())?;
                            bad_rows = 1;
                        }
                    }
                }
                Err((n, e)) => {
                    last_row = n;
                    eprintln!("row {n} skipped: {e}");
                    job.counts.failed += 1;
                    bad_rows = 1;
                }
            }
        }
        progress.advance(bad_rows, job.counts.text());
        if batch.len() >= batch_size || (end && !batch.is_empty()) {
            let n = batch.len() as u64;
            job.send(std::mem::take(&mut batch)).await?;
            journal.record(&json!({
                "through": last_row,
                "created": job.counts.created,
                "unchecked": job.counts.unchecked,
                "updated": job.counts.updated,
                "failed": job.counts.failed,
            }))?;
            journal.sync()?;
            progress.advance(n, job.counts.text());
            if stop.load(Ordering::Relaxed) && !end {
                progress.finish();
                return Err(CliError::Interrupted(format!(
                    "interrupted after row {last_row} ({}); run the same command again to resume",
                    job.counts.text()
                )));
            }
        }
        if end {
            break;
        }
    }
    journal.record(&json!({"complete": true}))?;
    journal.sync()?;
    progress.finish();
    let summary = format!(
        "imported {total} rows from {}: {}",
        file.display(),
        job.counts.text()
    );
    if job.counts.failed > 0 {
        eprintln!("{summary}");
        return Err(CliError::Failed(format!(
            "{} row(s) failed; they are in {} (fix and import that file)",
            job.counts.failed,
            job.failed.path().display()
        )));
    }
    println!("{summary}");
    Ok(())
}

impl Import {
    /// A row as one contact of the many-contacts form, checked by the core.
    fn prepare(&self, row: &Row) -> Result<Value> {
        let mut contact = Map::new();
        for (column, value) in &row.values {
            if self.ignored.contains(&column.as_str()) {
                continue;
            }
            let text = match value {
                Value::String(s) => s.clone(),
                Value::Null => String::new(),
                other => other.to_string(),
            };
            let field = self.fields.iter().find(|f| f.name == column.as_str());
            let v = match (field, value) {
                (Some(f), Value::String(_)) => params::cell_value(f, &text)?,
                (Some(_), Value::Null) => None,
                (Some(_), v) => Some(v.clone()),
                (None, Value::String(s)) if s.trim().is_empty() => None,
                (None, v) => Some(v.clone()),
            };
            match v {
                Some(v) => {
                    contact.insert(column.clone(), v);
                }
                None if self.allow_empty
                    && field.is_none_or(|f| params::kind(f) == params::Kind::Text) =>
                {
                    contact.insert(column.clone(), Value::String(String::new()));
                }
                None => {}
            }
        }
        if let Some(f) = self
            .fields
            .iter()
            .find(|f| f.required && !contact.contains_key(f.name))
        {
            return Err(CliError::usage(format!("`{}` is empty", f.name)));
        }
        let value = Value::Object(contact);
        let typed: avochato::params::ContactInput =
            avochato::Error::params_from_json(value.clone())?;
        avochato::validate::Validate::validate(&typed)?;
        Ok(value)
    }

    fn fail(&mut self, row: &Row, error: &str) -> Result<()> {
        self.counts.failed += 1;
        self.failed.write(row, error)
    }

    /// Which of these phones exist already (one search; phones it cannot normalize count
    /// as new).
    async fn existing(&self, batch: &[(Row, Value)]) -> avochato::Result<HashSet<String>> {
        let phones: Vec<String> = batch
            .iter()
            .filter_map(|(_, c)| c["phone"].as_str())
            .filter_map(|p| avochato::normalize_phone(p, "US").ok())
            .collect();
        let mut found = HashSet::new();
        if phones.is_empty() {
            return Ok(found);
        }
        let query = phones
            .iter()
            .map(|p| format!("phone:\"{p}\""))
            .collect::<Vec<_>>()
            .join(" OR ");
        let mut pager = self.client.paginate_json(
            op("search")?,
            json!({"query": query, "limit": 100}),
            self.options.clone(),
        )?;
        while let Some(page) = pager.next_page().await? {
            for c in page["items"].as_array().into_iter().flatten() {
                if let Some(p) = c["phone"].as_str() {
                    found.insert(p.to_string());
                }
            }
        }
        Ok(found)
    }

    async fn upsert(&self, contacts: Vec<Value>) -> avochato::Result<()> {
        let mut body = json!({"contacts": contacts});
        if self.allow_empty {
            body["allow_empty_fields"] = Value::Bool(true);
        }
        let mut limited = 0;
        loop {
            match self
                .client
                .call_json(op("upsert_many")?, body.clone(), self.options.clone())
                .await
            {
                // The API ignored it: safe to send again once it allows (a few times).
                Err(e) if e.kind() == ErrorKind::RateLimited && limited < 10 => {
                    limited += 1;
                    tokio::time::sleep(
                        e.retry_after().unwrap_or(std::time::Duration::from_secs(1)),
                    )
                    .await;
                }
                other => return other.map(|_| ()),
            }
        }
    }

    fn count(&mut self, phone: Option<&str>, existing: Option<&HashSet<String>>) {
        let Some(existing) = existing else {
            self.counts.unchecked += 1;
            return;
        };
        let normalized = phone.and_then(|p| avochato::normalize_phone(p, "US").ok());
        match normalized {
            Some(p) if existing.contains(&p) || self.seen.contains(&p) => self.counts.updated += 1,
            Some(p) => {
                self.seen.insert(p);
                self.counts.created += 1;
            }
            None => self.counts.created += 1,
        }
    }

    async fn send(&mut self, batch: Vec<(Row, Value)>) -> Result<()> {
        // The lookup only feeds the summary: if it fails, the import goes on without it.
        let existing = match self.existing(&batch).await {
            Ok(found) => Some(found),
            Err(e)
                if matches!(
                    e.kind(),
                    ErrorKind::Authentication | ErrorKind::PermissionDenied
                ) =>
            {
                return Err(e.into());
            }
            Err(e) => {
                if !self.lookup_warned {
                    self.lookup_warned = true;
                    eprintln!(
                        "note: could not look up existing contacts ({e}); the summary will not tell created from updated"
                    );
                }
                None
            }
        };
        let existing = existing.as_ref();
        let contacts: Vec<Value> = batch.iter().map(|(_, c)| c.clone()).collect();
        match self.upsert(contacts).await {
            Ok(()) => {
                for (_, c) in &batch {
                    self.count(c["phone"].as_str(), existing);
                }
                Ok(())
            }
            // Refused as a whole (one bad row spoils a batch): find the bad rows.
            Err(e) if e.kind() == ErrorKind::InvalidRequest && batch.len() > 1 => {
                for (row, c) in batch {
                    match self.upsert(vec![c.clone()]).await {
                        Ok(()) => self.count(c["phone"].as_str(), existing),
                        Err(e) if e.kind() == ErrorKind::InvalidRequest => {
                            self.fail(&row, &e.to_string())?
                        }
                        Err(e) => self.fail(&row, &format!("may not have been applied: {e}"))?,
                    }
                }
                Ok(())
            }
            Err(e)
                if matches!(
                    e.kind(),
                    ErrorKind::Authentication | ErrorKind::PermissionDenied
                ) =>
            {
                Err(e.into())
            }
            Err(e) => {
                let why = if matches!(e.kind(), ErrorKind::InvalidRequest | ErrorKind::RateLimited)
                {
                    e.to_string()
                } else {
                    format!("may not have been applied: {e}")
                };
                for (row, _) in batch {
                    self.fail(&row, &why)?;
                }
                Ok(())
            }
        }
    }
}
