//! `--dry-run` of the bulk commands: every request that would be sent, as one JSON line on
//! stdout (`{"request": N, "method", "path", "rows", "body"}`, never a credential), and what
//! would fail on stderr. Nothing is sent and no journal or failed-rows file is written.

use std::io::{IsTerminal, Write};

use serde_json::{Value, json};

use crate::error::{CliError, Result};

/// Rows listed on stderr with why they would fail (the count covers them all).
const LISTED_FAILURES: usize = 20;

pub struct DryRun {
    out: std::io::StdoutLock<'static>,
    /// On a terminal only the first request is printed in full.
    terminal: bool,
    pub requests: u64,
    pub failed: u64,
    failures: Vec<String>,
}

impl DryRun {
    pub fn new() -> DryRun {
        let out = std::io::stdout().lock();
        DryRun {
            terminal: out.is_terminal(),
            out,
            requests: 0,
            failed: 0,
            failures: Vec::new(),
        }
    }

    /// A request that would be sent for `rows` (first and last row numbers).
    pub fn request(
        &mut self,
        method: &str,
        path: &str,
        rows: (u64, u64),
        body: &Value,
    ) -> Result<()> {
        self.requests += 1;
        if self.terminal && self.requests > 1 {
            return Ok(());
        }
        let rows = if rows.0 == rows.1 {
            json!(rows.0)
        } else {
            json!([rows.0, rows.1])
        };
        let line = json!({"request": self.requests, "method": method, "path": path, "rows": rows, "body": body});
        let mut text = serde_json::to_vec(&line).map_err(|e| CliError::io("the dry run", e))?;
        text.push(b'\n');
        self.out
            .write_all(&text)
            .map_err(|e| CliError::io("writing the output", e))
    }

    /// A row that would fail, and why.
    pub fn fail(&mut self, row: u64, why: &str) {
        self.failed += 1;
        if self.failures.len() < LISTED_FAILURES {
            self.failures
                .push(format!("row {row}: {}", crate::term::clean(why)));
        }
    }

    /// Prints the failures and `summary` (stderr); an error when rows would fail.
    pub fn finish(mut self, summary: &str) -> Result<()> {
        self.out
            .flush()
            .map_err(|e| CliError::io("writing the output", e))?;
        if self.terminal && self.requests > 1 {
            eprintln!(
                "({} more request(s) not shown on a terminal: redirect stdout to see them all)",
                self.requests - 1
            );
        }
        for f in &self.failures {
            eprintln!("would fail: {f}");
        }
        if self.failed as usize > self.failures.len() {
            eprintln!(
                "would fail: ... and {} more row(s)",
                self.failed as usize - self.failures.len()
            );
        }
        eprintln!("{summary}");
        if self.failed > 0 {
            return Err(CliError::Failed(format!(
                "dry run: {} row(s) would fail (nothing was sent)",
                self.failed
            )));
        }
        Ok(())
    }
}
