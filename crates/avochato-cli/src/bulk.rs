//! `avochato messages send-bulk FILE`: one message per row, paced, never sent twice.
//!
//! * The header is read first: the phone column (`phone`, or Salesforce's `Mobile Phone` /
//!   `Phone` in `--phone` order, or `--map`), and the message column or `--text` template
//!   (`template`); a missing one is refused before anything is sent.
//! * Every row is mapped, its phone normalised (`--country`) and checked by the core first;
//!   bad rows go to the failed file unsent. `--dry-run` stops there and prints the requests.
//! * Requests leave at most `--rate` per second (evenly spaced), `--concurrency` at a time.
//! * A 429 means the API ignored the request: the row goes back in the queue and everything
//!   pauses for the `Retry-After`. Any other failure of a request that may have reached the
//!   API (5xx, timeout, broken connection) is not resent: the row goes to the failed file.
//! * The journal records each row as `sending` before the request and `sent`/`failed`/
//!   `not_sent` after it. A re-run skips rows already handled, and a row left `sending` by
//!   an interrupted run (it may have been delivered) is reported, not resent.

use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use avochato::{Client, ErrorKind, OperationSpec, RequestOptions};
use clap::ArgMatches;
use serde_json::{Map, Value, json};
use tokio::time::Instant;

use crate::columns::{self, Columns, Target};
use crate::context::{Events, Globals};
use crate::dry_run::DryRun;
use crate::error::{CliError, Result};
use crate::journal::{self, Header, Journal};
use crate::progress::Progress;
use crate::records::{FailedRows, Reader, Row, failed_path};
use crate::template::Template;

/// How many times a row may be refused with 429 (each after the core's own resends)
/// before it is reported as not sent, rather than retried for ever.
const MAX_RATE_LIMITED: u32 = 10;

/// Evenly spaced departures: at most one every `interval`.
struct Pacer {
    next: Mutex<Instant>,
    interval: Duration,
}

impl Pacer {
    async fn wait(&self) {
        let slot = {
            let mut next = self.next.lock().unwrap_or_else(|e| e.into_inner());
            let slot = (*next).max(Instant::now());
            *next = slot + self.interval;
            slot
        };
        tokio::time::sleep_until(slot).await;
    }

    fn pause(&self, d: Duration) {
        let mut next = self.next.lock().unwrap_or_else(|e| e.into_inner());
        *next = (*next).max(Instant::now() + d);
    }
}

#[derive(Default)]
struct Counts {
    sent: u64,
    failed: u64,
    /// Rows this run sent a request for (sent, or failed after a request).
    requested: u64,
    /// Rows sent again by this command after the API answered 429 (the core's own resends
    /// are counted by `Events`).
    resent_after_429: u64,
    /// Rows given up on after repeated 429 answers.
    gave_up_after_429: u64,
}

struct State {
    /// Rows to send, with how many times the API has answered 429 for each.
    queue: VecDeque<(Row, Value, u32)>,
    in_flight: usize,
    journal: Journal,
    failed: FailedRows,
    counts: Counts,
    progress: Progress,
}

impl State {
    fn status(&self, events: &Events) -> String {
        format!(
            "sent {}, failed {}, 429 answers {}",
            self.counts.sent,
            self.counts.failed,
            Events::count(&events.rate_limited)
        )
    }

    /// The end-of-run summary: each count is what happened in this run (the recorder of
    /// the API sees the same numbers).
    fn summary(&self, events: &Events, file: &str, elapsed: f64) -> String {
        let c = &self.counts;
        let left = self.queue.len();
        let not_sent = if left > 0 {
            format!(", not sent {left}")
        } else {
            String::new()
        };
        let gave_up = if c.gave_up_after_429 > 0 {
            format!(", given up after 429: {}", c.gave_up_after_429)
        } else {
            String::new()
        };
        format!(
            "send-bulk {file}: sent {}, failed {}{not_sent}; {} request(s), 429 answers {}, resent after 429: {}{gave_up}; {elapsed:.1} s sending {} row(s) ({:.1} sent/s)",
            c.sent,
            c.failed,
            Events::count(&events.requests),
            Events::count(&events.rate_limited),
            c.resent_after_429 + Events::count(&events.resent_after_429),
            c.requested,
            if elapsed > 0.0 {
                c.sent as f64 / elapsed
            } else {
                0.0
            },
        )
    }
}

struct Shared {
    client: Client,
    options: RequestOptions,
    op: &'static OperationSpec,
    pacer: Pacer,
    events: Arc<Events>,
    state: Mutex<State>,
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Records the end of one row (`None`: sent; otherwise why it failed).
    fn finish(&self, row: &Row, result: std::result::Result<Option<String>, String>) -> Result<()> {
        let mut s = self.lock();
        s.in_flight -= 1;
        s.counts.requested += 1;
        match result {
            Ok(id) => {
                s.journal
                    .record(&json!({"row": row.number, "state": "sent", "id": id}))?;
                s.counts.sent += 1;
            }
            Err(why) => {
                s.journal
                    .record(&json!({"row": row.number, "state": "failed", "error": why}))?;
                s.counts.failed += 1;
                s.failed.write(row, &why)?;
            }
        }
        let status = s.status(&self.events);
        s.progress.advance(1, status);
        Ok(())
    }
}

async fn worker(shared: Arc<Shared>, stop: Arc<std::sync::atomic::AtomicBool>) -> Result<()> {
    loop {
        if stop.load(Ordering::Relaxed) {
            return Ok(());
        }
        let next = {
            let mut s = shared.lock();
            let item = s.queue.pop_front();
            match item {
                Some(item) => {
                    s.in_flight += 1;
                    Some(item)
                }
                None if s.in_flight == 0 => return Ok(()),
                None => None,
            }
        };
        let Some((row, params, limited)) = next else {
            // Another worker's row may come back after a 429.
            tokio::time::sleep(Duration::from_millis(20)).await;
            continue;
        };
        shared.pacer.wait().await;
        if stop.load(Ordering::Relaxed) {
            let mut s = shared.lock();
            s.in_flight -= 1;
            s.queue.push_front((row, params, limited));
            return Ok(());
        }
        {
            let mut s = shared.lock();
            if limited > 0 {
                s.counts.resent_after_429 += 1;
            }
            s.journal
                .record(&json!({"row": row.number, "state": "sending"}))?;
        }
        match shared
            .client
            .call_json(shared.op, params.clone(), shared.options.clone())
            .await
        {
            Ok(resp) => {
                let id = resp
                    .data
                    .get("event_id")
                    .and_then(Value::as_str)
                    .map(str::to_string);
                shared.finish(&row, Ok(id))?;
            }
            Err(e) if e.kind() == ErrorKind::RateLimited && limited + 1 >= MAX_RATE_LIMITED => {
                let why = format!(
                    "not sent: the API answered 429 to it {} times ({e})",
                    limited + 1
                );
                shared.lock().counts.gave_up_after_429 += 1;
                shared.finish(&row, Err(why))?;
            }
            Err(e) if e.kind() == ErrorKind::RateLimited => {
                // Ignored by the API: wait as asked, then send it again.
                let wait = e.retry_after().unwrap_or(Duration::from_secs(1));
                shared.pacer.pause(wait);
                let mut s = shared.lock();
                s.journal
                    .record(&json!({"row": row.number, "state": "not_sent"}))?;
                s.in_flight -= 1;
                s.queue.push_back((row, params, limited + 1));
            }
            Err(e)
                if matches!(
                    e.kind(),
                    ErrorKind::Authentication | ErrorKind::PermissionDenied
                ) =>
            {
                shared.finish(&row, Err(e.to_string()))?;
                stop.store(true, Ordering::Relaxed);
                return Err(e.into());
            }
            Err(e) => {
                let why = match e.kind() {
                    ErrorKind::InvalidRequest | ErrorKind::NotFound | ErrorKind::Validation => {
                        e.to_string()
                    }
                    _ => format!("not resent, it may have been delivered: {e}"),
                };
                shared.finish(&row, Err(why))?;
            }
        }
    }
}

fn message_fields(op: &OperationSpec) -> Vec<&'static str> {
    op.params_info().fields.iter().map(|f| f.name).collect()
}

/// How rows become messages: the columns, the template, the inbox number and country.
struct Rows {
    op: &'static OperationSpec,
    columns: Columns,
    template: Option<Template>,
    from: Option<String>,
    country: String,
}

impl Rows {
    /// A row as the send operation's parameters, checked by the core.
    fn prepare(&self, row: &Row) -> std::result::Result<Value, String> {
        let fields = self.op.params_info().fields;
        let mut params = Map::new();
        let (_, phone) = self
            .columns
            .phone(row, &self.country)?
            .ok_or_else(|| self.columns.no_phone())?;
        params.insert("phone".into(), Value::String(phone));
        for column in row.values.keys() {
            let Target::Field(name) = self.columns.target_of(column) else {
                continue;
            };
            if name == "phone" || (name == "message" && self.template.is_some()) {
                continue;
            }
            let (Some(f), Some(text)) = (fields.iter().find(|f| f.name == name), row.text(column))
            else {
                continue;
            };
            match crate::params::cell_value(f, &text) {
                Ok(Some(v)) => {
                    params.insert(f.name.to_string(), v);
                }
                Ok(None) => {}
                Err(e) => return Err(e.to_string()),
            }
        }
        if let Some(t) = &self.template {
            params.insert("message".into(), Value::String(t.fill(row)?));
        }
        if let Some(from) = &self.from {
            params
                .entry("from")
                .or_insert_with(|| Value::String(from.clone()));
        }
        let params = Value::Object(params);
        avochato::params::check(self.op, params.clone())
            .map_err(|e| format!("invalid input: {e}"))?;
        Ok(params)
    }
}

/// The column plan and template of a send-bulk file; refuses, before anything is sent, a
/// file without a phone column or without a message (column or `--text`).
fn rows_of(
    reader: &Reader,
    file: &std::path::Path,
    m: &ArgMatches,
    op: &'static OperationSpec,
) -> Result<Rows> {
    let headers = reader.column_names(file)?;
    let maps = columns::parse_maps(m.get_many::<String>("map").into_iter().flatten())?;
    let order = columns::phone_order(m.get_one::<String>("phone").map(String::as_str))?;
    let cols = Columns::new(
        &headers,
        &maps,
        order,
        message_fields(op),
        Vec::new(),
        false,
    )?;
    cols.check_phone(&file.display().to_string(), &headers)?;
    let template = m
        .get_one::<String>("text")
        .map(|t| Template::parse(t, &headers))
        .transpose()?;
    let has_message = cols
        .targets
        .iter()
        .any(|(_, t)| *t == Target::Field("message".into()));
    if template.is_none() && !has_message && !headers.is_empty() {
        return Err(CliError::usage(format!(
            "{} has no message column (columns: {}); give the text with --text \"Hi {{first_name}}\" or name the column with --map \"COLUMN=message\"",
            file.display(),
            headers.join(", ")
        )));
    }
    if template.is_some() && has_message {
        eprintln!("note: --text is given, so the message column is not used");
    }
    // Only the phone, the message and the message's own fields are read from the rows.
    let mut read: Vec<String> = cols.describe_phone().into_iter().collect();
    read.extend(cols.targets.iter().filter_map(|(h, t)| match t {
        Target::Field(f)
            if f != h
                && message_fields(op).contains(&f.as_str())
                && !(f == "message" && template.is_some()) =>
        {
            Some(format!("{f} from {h}"))
        }
        _ => None,
    }));
    if !read.is_empty() {
        eprintln!("columns: {}", crate::term::clean(&read.join("; ")));
    }
    Ok(Rows {
        op,
        columns: cols,
        template,
        from: m.get_one::<String>("from").cloned(),
        country: crate::import::country(m)?,
    })
}

/// `--dry-run`: the messages that would be sent, nothing sent.
fn dry_run(
    g: &Globals,
    reader: Reader,
    rows: &Rows,
    file: &std::path::Path,
    rate: f64,
) -> Result<()> {
    match g.config(true) {
        Ok(c) => eprintln!(
            "dry run: would send from {} at {} (nothing is sent)",
            c.subdomain()
                .map_or_else(|| "the credential's inbox".into(), |s| format!("inbox {s}")),
            c.base_url()
        ),
        Err(e) => eprintln!("dry run (nothing is sent); note: a real run would stop here: {e}"),
    }
    let mut dry = DryRun::new();
    let mut total = 0u64;
    for item in reader {
        total += 1;
        match item {
            Ok(row) => match rows.prepare(&row) {
                Ok(params) => {
                    dry.request("POST", "/v1/messages", (row.number, row.number), &params)?
                }
                Err(why) => dry.fail(row.number, &why),
            },
            Err((n, e)) => dry.fail(n, &e.to_string()),
        }
    }
    let summary = format!(
        "dry run of {}: {total} row(s); {} message(s) would be sent in {} request(s) to POST /v1/messages (at --rate {rate}/s: about {:.1} s); {} row(s) would fail; nothing was sent",
        file.display(),
        dry.requests,
        dry.requests,
        dry.requests as f64 / rate,
        dry.failed,
    );
    dry.finish(&summary)
}

pub async fn run(g: &Globals, m: &ArgMatches) -> Result<()> {
    let file = PathBuf::from(m.get_one::<String>("file").cloned().unwrap_or_default());
    let rate = m.get_one::<f64>("rate").copied().unwrap_or(10.0);
    if !(rate.is_finite() && rate > 0.0) {
        return Err(CliError::usage(
            "--rate must be a positive number of requests per second",
        ));
    }
    let concurrency = m.get_one::<u32>("concurrency").copied().unwrap_or(8) as usize;
    let op = avochato::find_operation("messages", "send")
        .ok_or_else(|| CliError::usage("messages.send is missing"))?;

    let reader = Reader::open(&file)?;
    let rows = rows_of(&reader, &file, m, op)?;
    if m.get_flag("dry-run") {
        return dry_run(g, reader, &rows, &file, rate);
    }
    let (format, headers) = (reader.format, reader.headers.clone());
    let events = Arc::new(Events::new(g.verbose));
    let client = g.client(true)?.with_observer(events.clone());
    let header = Header::new("messages send-bulk", &file, client.config())?;
    let journal_path = m
        .get_one::<String>("journal")
        .map(PathBuf::from)
        .unwrap_or_else(|| journal::default_path(&file));
    let (mut journal, earlier) = Journal::open(&journal_path, &header, m.get_flag("restart"))?;
    let mut last_state: HashMap<u64, String> = HashMap::new();
    for e in &earlier {
        if let (Some(n), Some(s)) = (e["row"].as_u64(), e["state"].as_str()) {
            last_state.insert(n, s.to_string());
        }
    }
    let resuming = !earlier.is_empty();
    let failed_file = m
        .get_one::<String>("failed")
        .map(PathBuf::from)
        .unwrap_or_else(|| failed_path(&file, format));
    let mut failed = FailedRows::new(failed_file, format, &headers, resuming);

    let mut queue = VecDeque::new();
    let (mut done_before, mut total, mut counts) = (0u64, 0u64, Counts::default());
    for item in reader {
        total += 1;
        let row = match item {
            Ok(row) => row,
            Err((n, e)) => {
                if !last_state.contains_key(&n) {
                    journal
                        .record(&json!({"row": n, "state": "failed", "error": e.to_string()}))?;
                    eprintln!("row {n} skipped: {e}");
                    counts.failed += 1;
                } else {
                    done_before += 1;
                }
                continue;
            }
        };
        match last_state.get(&row.number).map(String::as_str) {
            Some("sent" | "failed") => done_before += 1,
            Some("sending") => {
                let why = "interrupted while sending in an earlier run: it may have been delivered, so it is not resent";
                journal.record(&json!({"row": row.number, "state": "failed", "error": why}))?;
                failed.write(&row, why)?;
                counts.failed += 1;
            }
            _ => match rows.prepare(&row) {
                Ok(params) => queue.push_back((row, params, 0)),
                Err(why) => {
                    journal.record(&json!({"row": row.number, "state": "failed", "error": why}))?;
                    failed.write(&row, &why)?;
                    counts.failed += 1;
                }
            },
        }
    }
    journal.sync()?;
    if resuming {
        eprintln!(
            "resuming: {done_before} row(s) were handled by an earlier run ({})",
            journal_path.display()
        );
    }
    let to_send = queue.len();
    let mut progress = Progress::new("send-bulk", Some(total), g.progress_bars);
    progress.skip(done_before + counts.failed);
    let shared = Arc::new(Shared {
        client,
        options: g.request_options(),
        op,
        pacer: Pacer {
            next: Mutex::new(Instant::now()),
            interval: Duration::from_secs_f64(1.0 / rate),
        },
        events: events.clone(),
        state: Mutex::new(State {
            queue,
            in_flight: 0,
            journal,
            failed,
            counts,
            progress,
        }),
    });
    let stop = crate::interrupt::watch();
    let started = std::time::Instant::now();
    let workers: Vec<_> = (0..concurrency.min(to_send.max(1)))
        .map(|_| tokio::spawn(worker(shared.clone(), stop.clone())))
        .collect();
    let mut first_error = None;
    for w in workers {
        match w.await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => first_error = first_error.or(Some(e)),
            Err(e) => {
                first_error =
                    first_error.or(Some(CliError::Internal(format!("a worker stopped: {e}"))))
            }
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    let Ok(shared) = Arc::try_unwrap(shared) else {
        return Err(CliError::Io("workers still running".into()));
    };
    let mut state = shared.state.into_inner().unwrap_or_else(|e| e.into_inner());
    state.journal.sync()?;
    let left = state.queue.len();
    let summary = state.summary(&events, &file.display().to_string(), elapsed);
    state.progress.finish();
    if let Some(e) = first_error {
        eprintln!("{summary}");
        return Err(e);
    }
    if left > 0 || stop.load(Ordering::Relaxed) {
        eprintln!("{summary}");
        return Err(CliError::Interrupted(format!(
            "interrupted with {left} row(s) not sent; run the same command again to send them (nothing is sent twice)"
        )));
    }
    state.journal.record(&json!({"complete": true}))?;
    state.journal.sync()?;
    if state.counts.failed > 0 {
        eprintln!("{summary}");
        return Err(CliError::Failed(format!(
            "{} row(s) failed; they are in {}",
            state.counts.failed,
            state.failed.path().display()
        )));
    }
    println!("{summary}");
    Ok(())
}
