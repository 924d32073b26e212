//! The progress of a bulk run, appended to a file line by line, so that a run that was
//! interrupted (Ctrl-C, a crash, a lost connection) resumes where it stopped instead of
//! doing work twice.
//!
//! The first line says which input, inbox and credential the run is for; a journal of
//! another input (the file changed) or another inbox is refused instead of trusted.

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{CliError, Result};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Header {
    pub kind: String,
    pub input: String,
    pub size: u64,
    pub fnv64: String,
    pub inbox: Option<String>,
    pub auth_id: Option<String>,
}

impl Header {
    pub fn new(kind: &str, input: &Path, config: &avochato::Config) -> Result<Header> {
        let (size, hash) = fingerprint(input)?;
        Ok(Header {
            kind: kind.to_string(),
            input: input
                .canonicalize()
                .unwrap_or_else(|_| input.to_path_buf())
                .display()
                .to_string(),
            size,
            fnv64: format!("{hash:016x}"),
            inbox: config.subdomain().map(str::to_string),
            auth_id: config.auth_id().map(str::to_string),
        })
    }
}

/// Size and FNV-1a hash of a file's bytes (stable across builds, unlike std's hasher).
fn fingerprint(path: &Path) -> Result<(u64, u64)> {
    let mut f = File::open(path).map_err(|e| CliError::io(path.display(), e))?;
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut size = 0u64;
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = f
            .read(&mut buf)
            .map_err(|e| CliError::io(path.display(), e))?;
        if n == 0 {
            break;
        }
        size += n as u64;
        for b in buf.iter().take(n) {
            hash ^= u64::from(*b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    Ok((size, hash))
}

/// `data.csv` → `data.csv.avochato-journal`.
pub fn default_path(input: &Path) -> PathBuf {
    let name = input
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("input");
    input.with_file_name(format!("{name}.avochato-journal"))
}

pub struct Journal {
    path: PathBuf,
    out: File,
}

impl Journal {
    /// Opens the journal for `header`: the entries of an earlier run of the same input
    /// (none when starting over).
    pub fn open(path: &Path, header: &Header, restart: bool) -> Result<(Journal, Vec<Value>)> {
        let io = |e: std::io::Error| CliError::io(path.display(), e);
        let mut entries = Vec::new();
        if path.exists() && !restart {
            let mut lines = BufReader::new(File::open(path).map_err(io)?).lines();
            let first = lines.next().transpose().map_err(io)?.unwrap_or_default();
            let earlier: Header = serde_json::from_str(&first).map_err(|_| {
                CliError::usage(format!(
                    "{} is not a progress journal; remove it or pass --journal PATH",
                    path.display()
                ))
            })?;
            if earlier != *header {
                let why = if earlier.kind != header.kind {
                    format!("it is the journal of a {} run", earlier.kind)
                } else if earlier.inbox != header.inbox || earlier.auth_id != header.auth_id {
                    "it was made for another inbox or credential".to_string()
                } else {
                    "the input file has changed since".to_string()
                };
                return Err(CliError::usage(format!(
                    "{} belongs to an earlier run that does not match this one ({why}): pass --restart to start over",
                    path.display()
                )));
            }
            for line in lines {
                let line = line.map_err(io)?;
                // A line cut short by a crash is the last one; it is ignored.
                if let Ok(v) = serde_json::from_str::<Value>(&line) {
                    entries.push(v);
                }
            }
            let out = std::fs::OpenOptions::new()
                .append(true)
                .open(path)
                .map_err(io)?;
            return Ok((
                Journal {
                    path: path.to_path_buf(),
                    out,
                },
                entries,
            ));
        }
        let mut out = File::create(path).map_err(io)?;
        let mut line = serde_json::to_vec(header).map_err(|e| CliError::io(path.display(), e))?;
        line.push(b'\n');
        out.write_all(&line).map_err(io)?;
        out.sync_data().map_err(io)?;
        Ok((
            Journal {
                path: path.to_path_buf(),
                out,
            },
            entries,
        ))
    }

    /// Appends one entry (one `write`, so a killed process leaves whole lines).
    pub fn record(&mut self, entry: &Value) -> Result<()> {
        let mut line =
            serde_json::to_vec(entry).map_err(|e| CliError::io(self.path.display(), e))?;
        line.push(b'\n');
        self.out
            .write_all(&line)
            .map_err(|e| CliError::io(self.path.display(), e))
    }

    /// Makes the entries so far durable (the end of a batch).
    pub fn sync(&mut self) -> Result<()> {
        self.out
            .sync_data()
            .map_err(|e| CliError::io(self.path.display(), e))
    }
}
