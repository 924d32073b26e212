//! `avochato contacts import FILE`: upserts in batches through the many-contacts form.
//!
//! The header is read first: columns are mapped to contact fields (`columns`, including
//! Salesforce report headers and `--map`), and a file without a phone column is refused
//! before anything is sent. Each row is mapped, its phone normalised and checked by the
//! core before anything is sent (bad rows go to the failed file at once); a `false`
//! opt-out, block or double opt-in is not sent unless `--allow-opt-in` (`contact_rows`). Before each batch one search tells which phones exist already, so the summary
//! can say created and updated. A batch the API refused (4xx) is sent again one contact at a
//! time to find the bad rows; a batch that may have reached the API (5xx, timeout, broken
//! connection) is not resent: its rows go to the failed file, which can be imported again.
//! The journal records each finished batch, so a re-run resumes after the last one.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;

use avochato::{Client, ErrorKind, OperationSpec, RequestOptions};
use clap::ArgMatches;
use serde_json::{Value, json};

use crate::columns::{self, Columns};
use crate::contact_rows::{self, ContactRows};
use crate::context::{Events, Globals};
use crate::dry_run::DryRun;
use crate::error::{CliError, Result};
use crate::journal::{self, Header, Journal};
use crate::progress::Progress;
use crate::records::{FailedRows, Reader, Row, failed_path};

fn op(name: &str) -> avochato::Result<&'static OperationSpec> {
    avochato::find_operation("contacts", name)
        .ok_or_else(|| avochato::Error::validation("", format!("contacts.{name} is missing")))
}

#[derive(Default)]
struct Counts {
    created: u64,
    updated: u64,
    /// Upserted while the lookup of existing phones failed: created or updated, unknown.
    unchecked: u64,
    failed: u64,
    /// Rows whose false opted_out / blocked / double_opted_in was not sent.
    withheld: u64,
}

impl Counts {
    fn text(&self) -> String {
        let withheld = if self.withheld > 0 {
            format!(
                "; opt-out/block kept on {} row(s) (a false opted_out, blocked or double_opted_in was not sent; --allow-opt-in sends it)",
                self.withheld
            )
        } else {
            String::new()
        };
        format!("{}{withheld}", self.core_text())
    }

    fn core_text(&self) -> String {
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
    rows: ContactRows,
    allow_empty: bool,
    counts: Counts,
    failed: FailedRows,
    /// Phones this run has upserted (a later row with the same phone is an update).
    seen: HashSet<String>,
    lookup_warned: bool,
}

/// The column plan of `file` from the command line; refuses a file without a phone
/// column (before anything is sent).
pub fn plan(reader: &Reader, file: &Path, m: &ArgMatches, custom_fields: bool) -> Result<Columns> {
    let maps = columns::parse_maps(m.get_many::<String>("map").into_iter().flatten())?;
    let order = columns::phone_order(m.get_one::<String>("phone").map(String::as_str))?;
    let headers = reader.column_names(file)?;
    let fields = contact_rows::input_fields()?
        .iter()
        .map(|f| f.name)
        .collect();
    let plan = Columns::new(
        &headers,
        &maps,
        order,
        fields,
        contact_rows::read_only(),
        custom_fields,
    )?;
    plan.check_phone(&file.display().to_string(), &headers)?;
    let mapped = plan.describe();
    if !mapped.is_empty() {
        eprintln!("columns: {}", crate::term::clean(&mapped.join("; ")));
    }
    Ok(plan)
}

/// `--country`, checked once.
pub fn country(m: &ArgMatches) -> Result<String> {
    let c = m
        .get_one::<String>("country")
        .cloned()
        .unwrap_or_else(|| "US".into());
    match avochato::normalize_phone("2025550100", &c) {
        Err(e) if e.param() == Some("default_country") => Err(CliError::usage(format!(
            "--country {c:?}: {}",
            columns::validation_text(&e)
        ))),
        _ => Ok(c),
    }
}

pub async fn run(g: &Globals, m: &ArgMatches) -> Result<()> {
    let file = PathBuf::from(m.get_one::<String>("file").cloned().unwrap_or_default());
    let batch_size = m.get_one::<u32>("batch-size").copied().unwrap_or(100) as usize;
    let reader = Reader::open(&file)?;
    let allow_empty = m.get_flag("allow-empty-fields");
    let rows = ContactRows::new(
        plan(&reader, &file, m, true)?,
        country(m)?,
        allow_empty,
        m.get_flag("allow-opt-in"),
    )?;
    if m.get_flag("dry-run") {
        return dry_run(g, reader, &rows, batch_size, &file, allow_empty);
    }
    let events = Arc::new(Events::new(g.verbose));
    let client = g.client(true)?.with_observer(events.clone());
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
        rows,
        allow_empty,
        counts: Counts {
            created: count("created"),
            updated: count("updated"),
            unchecked: count("unchecked"),
            failed: count("failed"),
            withheld: count("withheld"),
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
                    match job.rows.prepare(&row) {
                        Ok(p) => {
                            job.counts.withheld += u64::from(p.withheld);
                            batch.push((row, p.contact));
                        }
                        Err(why) => {
                            job.fail(&row, &why)?;
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
                "withheld": job.counts.withheld,
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
    let requests = Events::count(&events.requests);
    let lookups = Events::count(&events.gets);
    let summary = format!(
        "imported {total} rows from {}: {}; this run sent {requests} request(s): {} upsert(s), {lookups} lookup(s)",
        file.display(),
        job.counts.text(),
        requests - lookups,
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
    fn fail(&mut self, row: &Row, error: &str) -> Result<()> {
        self.counts.failed += 1;
        self.failed.write(row, error)
    }

    /// Which of these phones exist already (one search; phones it cannot normalize count
    /// as new).
    async fn existing(&self, batch: &[(Row, Value)]) -> avochato::Result<HashSet<String>> {
        // Phones are E.164 already (normalised when the row was read).
        let phones: Vec<String> = batch
            .iter()
            .filter_map(|(_, c)| c["phone"].as_str())
            .map(str::to_string)
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
        match phone.map(str::to_string) {
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

/// `--dry-run`: the upserts that would be sent, nothing sent.
fn dry_run(
    g: &Globals,
    reader: Reader,
    rows: &ContactRows,
    batch_size: usize,
    file: &Path,
    allow_empty: bool,
) -> Result<()> {
    match g.config(true) {
        Ok(c) => eprintln!(
            "dry run: would import into {} at {} (nothing is sent)",
            c.subdomain()
                .map_or_else(|| "the credential's inbox".into(), |s| format!("inbox {s}")),
            c.base_url()
        ),
        Err(e) => eprintln!("dry run (nothing is sent); note: a real run would stop here: {e}"),
    }
    let mut dry = DryRun::new();
    let mut batch: Vec<(u64, Value)> = Vec::with_capacity(batch_size);
    let (mut total, mut contacts, mut withheld) = (0u64, 0u64, 0u64);
    let flush = |dry: &mut DryRun, batch: &mut Vec<(u64, Value)>| -> Result<()> {
        let (Some(first), Some(last)) = (batch.first(), batch.last()) else {
            return Ok(());
        };
        let rows = (first.0, last.0);
        let mut body =
            json!({"contacts": batch.iter().map(|(_, c)| c.clone()).collect::<Vec<_>>()});
        if allow_empty {
            body["allow_empty_fields"] = Value::Bool(true);
        }
        batch.clear();
        dry.request("POST", "/v1/contacts", rows, &body)
    };
    for item in reader {
        total += 1;
        match item {
            Ok(row) => match rows.prepare(&row) {
                Ok(p) => {
                    contacts += 1;
                    withheld += u64::from(p.withheld);
                    batch.push((row.number, p.contact));
                    if batch.len() >= batch_size {
                        flush(&mut dry, &mut batch)?;
                    }
                }
                Err(why) => dry.fail(row.number, &why),
            },
            Err((n, e)) => dry.fail(n, &e.to_string()),
        }
    }
    flush(&mut dry, &mut batch)?;
    let summary = format!(
        "dry run of {}: {total} row(s); {contacts} contact(s) would be sent in {} request(s) to POST /v1/contacts (up to {batch_size} each, each after one lookup GET /v1/contacts to tell created from updated); {} row(s) would fail; {withheld} row(s) have a false opted_out, blocked or double_opted_in that would not be sent (--allow-opt-in sends it); nothing was sent",
        file.display(),
        dry.requests,
        dry.failed,
    );
    dry.finish(&summary)
}
