//! Rows of a bulk input file (CSV with a header row, or JSON lines), read one at a time,
//! and the file of rows that failed, in the same format so it can be fed back in.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::error::{CliError, Result};

/// The column (or JSON key) that carries why a row failed; ignored when read back.
pub const ERROR_COLUMN: &str = "avochato_error";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileFormat {
    Csv,
    Jsonl,
}

impl FileFormat {
    pub fn of(path: &Path) -> FileFormat {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("jsonl" | "ndjson" | "json") => FileFormat::Jsonl,
            _ => FileFormat::Csv,
        }
    }
    fn extension(self) -> &'static str {
        match self {
            FileFormat::Csv => "csv",
            FileFormat::Jsonl => "jsonl",
        }
    }
}

/// One data row: its number (1 for the first row after the header) and its values by
/// column.
#[derive(Clone, Debug)]
pub struct Row {
    pub number: u64,
    pub values: Map<String, Value>,
}

impl Row {
    /// A column's text (numbers and booleans of JSON lines as text).
    pub fn text(&self, column: &str) -> Option<String> {
        match self.values.get(column)? {
            Value::Null => None,
            Value::String(s) => Some(s.clone()),
            other => Some(other.to_string()),
        }
    }
}

enum Source {
    Csv(csv::StringRecordsIntoIter<BufReader<File>>),
    Jsonl(std::io::Lines<BufReader<File>>),
}

/// Reads rows one at a time (constant memory).
pub struct Reader {
    source: Source,
    pub headers: Vec<String>,
    pub format: FileFormat,
    number: u64,
    path: PathBuf,
}

impl Reader {
    pub fn open(path: &Path) -> Result<Reader> {
        let format = FileFormat::of(path);
        let file = File::open(path).map_err(|e| CliError::io(path.display(), e))?;
        let (source, headers) = match format {
            FileFormat::Csv => {
                let mut r = csv::ReaderBuilder::new()
                    .flexible(true)
                    .from_reader(BufReader::new(file));
                let headers: Vec<String> = r
                    .headers()
                    .map_err(|e| CliError::usage(format!("{}: {e}", path.display())))?
                    .iter()
                    .enumerate()
                    .map(|(i, h)| {
                        let h = if i == 0 {
                            h.trim_start_matches('\u{feff}')
                        } else {
                            h
                        };
                        h.trim().to_string()
                    })
                    .collect();
                if headers.iter().all(String::is_empty) {
                    return Err(CliError::usage(format!(
                        "{}: the first line must name the columns",
                        path.display()
                    )));
                }
                (Source::Csv(r.into_records()), headers)
            }
            FileFormat::Jsonl => (Source::Jsonl(BufReader::new(file).lines()), Vec::new()),
        };
        Ok(Reader {
            source,
            headers,
            format,
            number: 0,
            path: path.to_path_buf(),
        })
    }

    /// The column names: the header of a CSV file, the keys of the first object of JSON
    /// lines.
    pub fn column_names(&self, path: &Path) -> Result<Vec<String>> {
        if self.format == FileFormat::Csv {
            return Ok(self.headers.clone());
        }
        let first = Reader::open(path)?.find_map(|r| r.ok());
        Ok(first
            .map(|row| row.values.keys().cloned().collect())
            .unwrap_or_default())
    }

    /// How many rows the file has (a pass over it).
    pub fn count(path: &Path) -> Result<u64> {
        let mut n = 0;
        for row in Reader::open(path)? {
            row.map_err(|(_, e)| e)?;
            n += 1;
        }
        Ok(n)
    }
}

impl Iterator for Reader {
    /// A row, or the row number and why it cannot be read.
    type Item = std::result::Result<Row, (u64, CliError)>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let number = self.number + 1;
            let bad = |what: String| (number, CliError::usage(what));
            match &mut self.source {
                Source::Csv(records) => {
                    let record = records.next()?;
                    self.number = number;
                    let record = match record {
                        Ok(r) => r,
                        Err(e) => {
                            return Some(Err(bad(format!(
                                "{}: row {number}: {e}",
                                self.path.display()
                            ))));
                        }
                    };
                    let cells: Vec<String> = record.iter().map(str::to_string).collect();
                    if cells.iter().all(|c| c.trim().is_empty()) {
                        continue;
                    }
                    let values = self
                        .headers
                        .iter()
                        .zip(cells.iter().chain(std::iter::repeat(&String::new())))
                        .filter(|(h, _)| !h.is_empty())
                        .map(|(h, c)| (h.clone(), Value::String(c.clone())))
                        .collect();
                    return Some(Ok(Row { number, values }));
                }
                Source::Jsonl(lines) => {
                    let line = lines.next()?;
                    self.number = number;
                    let line = match line {
                        Ok(l) => l,
                        Err(e) => {
                            return Some(Err(bad(format!(
                                "{}: row {number}: {e}",
                                self.path.display()
                            ))));
                        }
                    };
                    let line = if number == 1 {
                        line.trim_start_matches('\u{feff}').to_string()
                    } else {
                        line
                    };
                    if line.trim().is_empty() {
                        continue;
                    }
                    return Some(match serde_json::from_str::<Value>(&line) {
                        Ok(Value::Object(values)) => Ok(Row { number, values }),
                        Ok(_) => Err(bad(format!("row {number}: not a JSON object"))),
                        Err(e) => Err(bad(format!("row {number}: not JSON: {e}"))),
                    });
                }
            }
        }
    }
}

/// `data.csv` → `data.failed.csv`.
pub fn failed_path(input: &Path, format: FileFormat) -> PathBuf {
    let stem = input.file_stem().and_then(|s| s.to_str()).unwrap_or("rows");
    let stem = stem.strip_suffix(".failed").unwrap_or(stem);
    input.with_file_name(format!("{stem}.failed.{}", format.extension()))
}

/// The failed-rows file, created on the first failure (appended to when resuming).
pub struct FailedRows {
    path: PathBuf,
    format: FileFormat,
    headers: Vec<String>,
    append: bool,
    out: Option<BufWriter<File>>,
    pub count: u64,
}

impl FailedRows {
    pub fn new(path: PathBuf, format: FileFormat, headers: &[String], append: bool) -> FailedRows {
        let mut headers: Vec<String> = headers
            .iter()
            .filter(|h| *h != ERROR_COLUMN)
            .cloned()
            .collect();
        headers.push(ERROR_COLUMN.to_string());
        FailedRows {
            path,
            format,
            headers,
            append,
            out: None,
            count: 0,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn write(&mut self, row: &Row, error: &str) -> Result<()> {
        let path = self.path.clone();
        let io = |e: std::io::Error| CliError::io(path.display(), e);
        if self.out.is_none() {
            let exists = self.append && self.path.exists();
            let file = std::fs::OpenOptions::new()
                .create(true)
                .append(exists)
                .write(true)
                .truncate(!exists)
                .open(&self.path)
                .map_err(io)?;
            let mut out = BufWriter::new(file);
            if self.format == FileFormat::Csv && !exists {
                out.write_all(&csv_line(&self.headers)).map_err(io)?;
            }
            self.out = Some(out);
        }
        let Some(out) = self.out.as_mut() else {
            return Ok(());
        };
        let error = crate::term::clean(error);
        match self.format {
            FileFormat::Csv => {
                let mut cells: Vec<String> = self
                    .headers
                    .iter()
                    .map(|h| row.text(h).unwrap_or_default())
                    .collect();
                if let Some(last) = cells.last_mut() {
                    *last = error;
                }
                out.write_all(&csv_line(&cells)).map_err(io)?;
            }
            FileFormat::Jsonl => {
                let mut values = row.values.clone();
                values.insert(ERROR_COLUMN.into(), Value::String(error));
                serde_json::to_writer(&mut *out, &values)
                    .map_err(|e| CliError::io(self.path.display(), e))?;
                out.write_all(b"\n").map_err(io)?;
            }
        }
        out.flush().map_err(io)?;
        self.count += 1;
        Ok(())
    }
}

/// One CSV record (quoted where needed), with its line end.
pub fn csv_line<S: AsRef<[u8]>>(cells: &[S]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(cells);
    w.into_inner().unwrap_or_default()
}
