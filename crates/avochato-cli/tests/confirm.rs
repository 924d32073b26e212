//! Operations that destroy ask first on a terminal (a pseudo-terminal here) and refuse
//! off one unless `--yes`.
#![cfg(unix)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::fs::File;
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{Cli, Mock};
use rustix::pty::{OpenptFlags, grantpt, openpt, ptsname, unlockpt};

/// Runs the CLI with a pseudo-terminal as stdin, stdout and stderr; answers `answer` once
/// the question is on the screen. Returns the exit code and what the terminal showed.
fn on_terminal(cli: &Cli, args: &[&str], answer: &str) -> (i32, String) {
    let master = openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY).unwrap();
    grantpt(&master).unwrap();
    unlockpt(&master).unwrap();
    let name = ptsname(&master, Vec::new()).unwrap();
    let slave = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(name.to_str().unwrap())
        .unwrap();
    let mut child = cli
        .command(args)
        .stdin(slave.try_clone().unwrap())
        .stdout(slave.try_clone().unwrap())
        .stderr(slave)
        .spawn()
        .unwrap();
    let mut master = File::from(master);
    let mut reader = master.try_clone().unwrap();
    let screen = Arc::new(Mutex::new(Vec::new()));
    let seen = screen.clone();
    let thread = std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        // Ends with an error (EIO) once the child has closed the terminal.
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            seen.lock().unwrap().extend_from_slice(&buf[..n]);
        }
    });
    let start = Instant::now();
    loop {
        let text = String::from_utf8_lossy(&screen.lock().unwrap()).into_owned();
        if text.contains("[y/N]") || text.contains("to confirm:") {
            break;
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!("ended without asking ({status}): {text}");
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "no question: {text}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    master.write_all(format!("{answer}\n").as_bytes()).unwrap();
    let code = child.wait().unwrap().code().unwrap_or(-1);
    drop(master);
    let _ = thread.join();
    let text = String::from_utf8_lossy(&screen.lock().unwrap()).into_owned();
    (code, text)
}

fn seed(cli: &Cli) {
    for (phone, name) in [
        ("+14155550101", "Ada"),
        ("+14155550102", "Grace"),
        ("+14155550103", "Radia"),
    ] {
        cli.run(&["contacts", "upsert", "--phone", phone, "--name", name])
            .ok();
    }
}

fn visible(cli: &Cli) -> usize {
    cli.run(&["contacts", "list", "--all", "--json"])
        .ok()
        .json()
        .as_array()
        .unwrap()
        .len()
}

#[test]
fn off_a_terminal_destroying_needs_yes() {
    let mock = Mock::start(&[]);
    let cli = Cli::with_env(&mock);
    seed(&cli);
    let user = cli
        .run(&["users", "add", "temp@example.com", "--role", "member"])
        .ok()
        .json();
    let before = mock.requests("", "").len();
    for args in [
        vec!["contacts", "remove-all"],
        vec!["contacts", "remove-all", "--query", "name:Ada"],
        vec!["users", "delete", "temp@example.com"],
        vec!["campaigns", "remove-all-contacts", "one"],
        vec!["messages", "cancel", "m123"],
    ] {
        let r = cli.run(&args).no_secret();
        assert_eq!(r.code(), 2, "{args:?}: {}", r.stderr());
        assert!(
            r.stderr().contains("this would ") && r.stderr().contains("pass --yes"),
            "{args:?}: {}",
            r.stderr()
        );
    }
    assert_eq!(mock.requests("", "").len(), before, "nothing was sent");
    assert_eq!(visible(&cli), 3);
    // --yes does it.
    cli.run(&["contacts", "remove-all", "--query", "name:Ada", "--yes"])
        .ok();
    assert_eq!(visible(&cli), 2);
    cli.run(&["users", "delete", user["id"].as_str().unwrap(), "-y"])
        .ok();
    cli.run(&["contacts", "remove-all", "--yes"]).ok();
    assert_eq!(visible(&cli), 0);
}

#[test]
fn on_a_terminal_it_shows_what_will_go_and_asks() {
    let mock = Mock::start(&[]);
    let cli = Cli::with_env(&mock);
    seed(&cli);
    // Every contact: the inbox and the count; the inbox's name must be typed.
    let (code, screen) = on_terminal(&cli, &["contacts", "remove-all"], "yes");
    assert!(
        screen.contains("remove every contact of inbox test-account (3 contact(s))")
            && screen.contains("Type the inbox name (test-account) to confirm"),
        "{screen}"
    );
    assert_eq!(code, 2, "{screen}");
    assert!(
        screen.contains("not confirmed; nothing was done"),
        "{screen}"
    );
    assert!(mock.requests("DELETE", "").is_empty());
    assert_eq!(visible(&cli), 3);

    // A query: what it matches, y/N.
    let (code, screen) = on_terminal(
        &cli,
        &["contacts", "remove-all", "--query", "name:Grace"],
        "n",
    );
    assert!(
        screen.contains(
            "remove the contacts of inbox test-account matching \"name:Grace\" (1 contact(s))"
        ) && screen.contains("Continue? [y/N]"),
        "{screen}"
    );
    assert_eq!(code, 2);
    assert_eq!(visible(&cli), 3);
    let (code, _) = on_terminal(
        &cli,
        &["contacts", "remove-all", "--query", "name:Grace"],
        "y",
    );
    assert_eq!(code, 0);
    assert_eq!(visible(&cli), 2);

    let (code, screen) = on_terminal(&cli, &["contacts", "remove-all"], "test-account");
    assert_eq!(code, 0, "{screen}");
    assert_eq!(visible(&cli), 0);
    assert_eq!(mock.requests("DELETE", "/v1/contacts/remove_all").len(), 2);

    // A user: who it is.
    cli.run(&[
        "users",
        "add",
        "temp@example.com",
        "--role",
        "member",
        "--name",
        "Temp Person",
    ])
    .ok();
    let (code, screen) = on_terminal(&cli, &["users", "delete", "temp@example.com"], "");
    assert!(
        screen.contains("delete user temp@example.com from inbox test-account")
            && screen.contains("temp@example.com>"),
        "{screen}"
    );
    assert_eq!(code, 2, "the default answer is no");
}
