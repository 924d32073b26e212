//! Credential profiles: the private file, atomic replacement, verification, choosing.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::os::unix::fs::PermissionsExt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use common::{AUTH_ID, Cli, Mock, SECRET};

fn add(cli: &Cli, mock: &Mock, name: &str, secret: &str, extra: &[&str]) -> common::Run {
    let mut args = vec![
        "auth",
        "add",
        name,
        "--auth-id",
        AUTH_ID,
        "--api-url",
        &mock.url,
    ];
    args.extend_from_slice(extra);
    cli.run_with_stdin(&args, &format!("{secret}\n"))
}

#[test]
fn the_profiles_file_is_private_and_replaced_atomically() {
    let mock = Mock::start(&[]);
    let cli = Cli::new();
    add(&cli, &mock, "prod", SECRET, &[]).ok();
    let dir = cli.config_dir();
    let file = dir.join("credentials.json");
    assert_eq!(
        std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777,
        0o700
    );
    assert_eq!(
        std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert!(
        std::fs::read_to_string(&file).unwrap().contains(SECRET),
        "the secret is stored (only there)"
    );

    // Each change writes a new file and renames it over the old one: a reader sees the
    // old file or the new one, never a half-written one.
    let before = std::fs::read_to_string(&file).unwrap();
    let mut old_handle = std::fs::File::open(&file).unwrap();
    let done = Arc::new(AtomicBool::new(false));
    let reader = {
        let (file, done) = (file.clone(), done.clone());
        std::thread::spawn(move || {
            let mut reads = 0;
            while !done.load(Ordering::Relaxed) {
                let text = std::fs::read_to_string(&file).unwrap();
                let v: serde_json::Value = serde_json::from_str(&text)
                    .unwrap_or_else(|e| panic!("torn read: {e}: {text}"));
                assert!(v["profiles"]["prod"].is_object());
                reads += 1;
            }
            reads
        })
    };
    for i in 0..30 {
        add(&cli, &mock, &format!("p{i}"), "other-secret", &[]).ok();
    }
    done.store(true, Ordering::Relaxed);
    assert!(reader.join().unwrap() > 0);
    // A handle opened before still reads the old file: it was replaced, not rewritten.
    let mut old = String::new();
    std::io::Read::read_to_string(&mut old_handle, &mut old).unwrap();
    assert_eq!(old, before);
    assert_ne!(std::fs::read_to_string(&file).unwrap(), before);
    assert_eq!(
        std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        leftovers,
        vec![std::ffi::OsString::from("credentials.json")],
        "no temporary files left"
    );

    // A directory made too open is made private again on the next write.
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    cli.run(&["auth", "default", "p3"]).ok();
    assert_eq!(
        std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777,
        0o700
    );
    // A file others can read is warned about.
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let r = cli.run(&["auth", "list", "--json"]).ok();
    assert!(
        r.stderr().contains("can be read by other users"),
        "{}",
        r.stderr()
    );
}

#[test]
fn verify_confirms_a_good_secret_and_flags_a_bad_one() {
    let mock = Mock::start(&[]);
    let cli = Cli::new();
    add(&cli, &mock, "good", SECRET, &["--default"]).ok();
    add(
        &cli,
        &mock,
        "bad",
        "not-the-secret",
        &["--inbox", "second-inbox"],
    )
    .ok();

    let r = cli.run(&["auth", "verify", "good"]).ok();
    assert!(
        r.stdout()
            .contains("confirmed: inbox test-account, user Test Owner <owner@example.com>"),
        "{}",
        r.stdout()
    );
    let r = cli.run(&["auth", "verify", "bad"]).no_secret();
    assert_eq!(r.code(), 1);
    assert!(
        r.stderr().contains("401") && !r.stderr().contains("not-the-secret"),
        "{}",
        r.stderr()
    );

    let list = cli.run(&["auth", "list", "--json"]).ok().json();
    let row = |name: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .unwrap()
            .clone()
    };
    assert!(
        row("good")["status"]
            .as_str()
            .unwrap()
            .starts_with("confirmed ")
    );
    assert_eq!(row("good")["default"], true);
    assert_eq!(row("good")["inbox"], "test-account");
    assert_eq!(row("bad")["status"], "failed: authentication");
    let text = serde_json::to_string(&list).unwrap();
    assert!(
        !text.contains(SECRET) && !text.contains("not-the-secret"),
        "auth list shows no secret"
    );
    let table = cli.run(&["auth", "list", "--table"]).ok().stdout();
    assert!(table.contains("good") && !table.contains(SECRET));

    // The whoami calls sent the secrets only where the API takes them; the recorder redacts.
    let calls = mock.requests("GET", "/v1/whoami");
    assert_eq!(calls.len(), 2);
    assert!(
        calls
            .iter()
            .all(|c| c["query"]["auth_secret"] == "[REDACTED]")
    );
}

#[test]
fn choosing_a_profile_and_the_environment_overriding_it() {
    let mock = Mock::start(&[]);
    let cli = Cli::new();
    add(&cli, &mock, "a", SECRET, &[]).ok();
    // One profile: used without asking.
    cli.run(&["messages", "send", "--to", "+14155550100", "--text", "one"])
        .ok();
    add(&cli, &mock, "b", SECRET, &["--inbox", "second-inbox"]).ok();
    // "a" became the default when it was the only one.
    cli.run(&["auth", "remove", "a"]).ok();
    add(&cli, &mock, "a", SECRET, &[]).ok();
    let before = mock.requests("", "").len();
    let r = cli.run(&[
        "messages",
        "send",
        "--to",
        "+14155550100",
        "--text",
        "which?",
    ]);
    assert_eq!(r.code(), 2);
    assert!(
        r.stderr().contains("refusing to guess") && r.stderr().contains("a, b"),
        "{}",
        r.stderr()
    );
    assert_eq!(mock.requests("", "").len(), before, "nothing was sent");

    let r = cli
        .run(&["--profile", "b", "accounts", "whoami"])
        .ok()
        .json();
    assert_eq!(r["account"]["subdomain"], "second-inbox");
    cli.run(&["auth", "default", "b"]).ok();
    assert_eq!(
        cli.run(&["accounts", "whoami"]).ok().json()["account"]["subdomain"],
        "second-inbox"
    );

    cli.run(&["auth", "disable", "b"]).ok();
    let r = cli.run(&["accounts", "whoami"]);
    assert_eq!(r.code(), 2);
    assert!(r.stderr().contains("disabled"), "{}", r.stderr());
    cli.run(&["auth", "enable", "b"]).ok();

    // The environment's credential overrides the profile's (here: a wrong one).
    let mut cmd = cli.command(&["accounts", "whoami"]);
    cmd.env("AVOCHATO_AUTH_SECRET", "env-secret-wrong");
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("401"));
    // And the --subdomain flag overrides both.
    assert_eq!(
        cli.run(&["--subdomain", "test-account", "accounts", "whoami"])
            .ok()
            .json()["account"]["subdomain"],
        "test-account"
    );

    let r = cli.run(&["auth", "add", "bad name!", "--auth-id", "x"]);
    assert_eq!(r.code(), 2);
    let r = cli.run_with_stdin(&["auth", "add", "empty", "--auth-id", AUTH_ID], "\n");
    assert_eq!(r.code(), 2);
    assert!(r.stderr().contains("Auth Secret"), "{}", r.stderr());
}
