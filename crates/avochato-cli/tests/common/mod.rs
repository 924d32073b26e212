//! The real `avochato` binary against the real `avochato-mock` binary, on loopback.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

pub const AUTH_ID: &str = "cli-auth-id";
pub const SECRET: &str = "cli-secret-4b2e9f_DO_NOT_PRINT";

fn mock_binary() -> PathBuf {
    if let Some(p) = std::env::var_os("AVOCHATO_MOCK_BIN") {
        return PathBuf::from(p);
    }
    // Next to this package's binary: `cargo test` builds the workspace's binaries together.
    let cli = PathBuf::from(env!("CARGO_BIN_EXE_avochato"));
    let mock = cli.with_file_name("avochato-mock");
    assert!(
        mock.exists(),
        "{} is missing: cargo build -p avochato-mock",
        mock.display()
    );
    mock
}

pub struct Mock {
    child: Child,
    pub url: String,
    addr: String,
}

impl Mock {
    pub fn start(extra: &[&str]) -> Mock {
        let mut child = Command::new(mock_binary())
            .args(["--port", "0", "--auth-id", AUTH_ID, "--auth-secret", SECRET])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("mock said {line:?}"))
            .to_string();
        let addr = url.trim_start_matches("http://").to_string();
        Mock { child, url, addr }
    }

    /// A plain HTTP/1.1 request to a control route.
    pub fn control(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let mut s = TcpStream::connect(&self.addr).unwrap();
        write!(
            s,
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.addr,
            body.len()
        )
        .unwrap();
        let mut raw = String::new();
        s.read_to_string(&mut raw).unwrap();
        let (_, body) = raw.split_once("\r\n\r\n").unwrap();
        serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
    }

    pub fn requests(&self, method: &str, path: &str) -> Vec<Value> {
        let v = self.control(
            "GET",
            &format!("/__mock/requests?method={method}&path={path}"),
            None,
        );
        v["requests"].as_array().cloned().unwrap_or_default()
    }

    pub fn fault(&self, fault: Value) {
        self.control("POST", "/__mock/faults", Some(fault));
    }

    pub fn inbox_count(&self, what: &str) -> u64 {
        let state = self.control("GET", "/__mock/state", None);
        state["inboxes"][0][what].as_u64().unwrap()
    }
}

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The CLI with its own configuration directory and no `AVOCHATO_*` from the outside.
pub struct Cli {
    pub dir: tempfile::TempDir,
    env: Vec<(String, String)>,
}

impl Cli {
    pub fn new() -> Cli {
        Cli {
            dir: tempfile::tempdir().unwrap(),
            env: Vec::new(),
        }
    }

    /// Credentials from the environment, pointing at the mock.
    pub fn with_env(mock: &Mock) -> Cli {
        let mut c = Cli::new();
        c.env = vec![
            ("AVOCHATO_AUTH_ID".into(), AUTH_ID.into()),
            ("AVOCHATO_AUTH_SECRET".into(), SECRET.into()),
            ("AVOCHATO_BASE_URL".into(), mock.url.clone()),
        ];
        c
    }

    /// Adds (or replaces) environment variables of the commands.
    pub fn set_env(&mut self, vars: Vec<(String, String)>) {
        for (k, v) in vars {
            self.env.retain(|(name, _)| *name != k);
            self.env.push((k, v));
        }
    }

    pub fn config_dir(&self) -> PathBuf {
        self.dir.path().join("config")
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_avochato"));
        for (k, _) in std::env::vars() {
            if k.starts_with("AVOCHATO_") {
                cmd.env_remove(k);
            }
        }
        // Secrets in the profiles file: the tests never touch a system keyring.
        cmd.env("AVOCHATO_CONFIG_DIR", self.config_dir())
            .env("AVOCHATO_SECRET_STORE", "file")
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .args(args);
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with_stdin(args, "")
    }

    pub fn run_with_stdin(&self, args: &[&str], stdin: &str) -> Run {
        let mut child = self
            .command(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        Run(child.wait_with_output().unwrap())
    }

    pub fn spawn(&self, args: &[&str]) -> Child {
        self.command(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    }
}

pub struct Run(pub Output);

impl Run {
    pub fn code(&self) -> i32 {
        self.0.status.code().unwrap_or(-1)
    }
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.0.stdout).into_owned()
    }
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.0.stderr).into_owned()
    }
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout()).unwrap_or_else(|e| panic!("{e}: {}", self.stdout()))
    }
    /// Succeeded; the secret appears nowhere.
    pub fn ok(self) -> Run {
        assert_eq!(
            self.code(),
            0,
            "stdout: {}\nstderr: {}",
            self.stdout(),
            self.stderr()
        );
        self.no_secret()
    }
    pub fn no_secret(self) -> Run {
        assert!(
            !self.stdout().contains(SECRET) && !self.stderr().contains(SECRET),
            "the secret leaked"
        );
        self
    }
}

/// Waits until `path` has at least `lines` lines.
pub fn wait_for_lines(path: &Path, lines: usize, limit: Duration) {
    let start = Instant::now();
    while start.elapsed() < limit {
        if std::fs::read_to_string(path)
            .map(|t| t.lines().count())
            .unwrap_or(0)
            >= lines
        {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("{} did not reach {lines} lines", path.display());
}

pub fn signal(child: &Child, sig: &str) {
    let status = Command::new("kill")
        .args([&format!("-{sig}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

/// Runs the CLI until its journal `journal` (in the test's folder) has `lines` lines, then
/// sends it `sig` (`INT`, `KILL`) and waits for it to end.
pub fn interrupt(cli: &Cli, args: &[&str], journal: &str, lines: usize, sig: &str) -> Output {
    let child = cli.spawn(args);
    wait_for_lines(&cli.path(journal), lines, Duration::from_secs(30));
    signal(&child, sig);
    child.wait_with_output().unwrap()
}
