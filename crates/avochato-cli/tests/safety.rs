//! What the CLI refuses and how it fails: out-of-range options, secrets sent only to their
//! own host, no profile, mistyped commands, closed pipes, and profile completion.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::process::Stdio;

use common::{AUTH_ID, Cli, Mock, SECRET};

fn add_profile(cli: &Cli, mock: &Mock, name: &str) {
    cli.run_with_stdin(
        &[
            "auth",
            "add",
            name,
            "--auth-id",
            AUTH_ID,
            "--api-url",
            &mock.url,
        ],
        &format!("{SECRET}\n"),
    )
    .ok();
}

#[test]
fn out_of_range_timeouts_and_retries_are_usage_errors_and_nothing_is_sent() {
    let mock = Mock::start(&[]);
    let cli = Cli::with_env(&mock);
    let cases: Vec<(&str, &str)> = ["1e20", "-1", "0", "nan", "inf", "-inf", "86401", "x"]
        .into_iter()
        .map(|v| ("--timeout", v))
        .chain(
            ["1e20", "-1", "nan", "inf", "1.5", "101", "x"]
                .into_iter()
                .map(|v| ("--max-retries", v)),
        )
        .collect();
    for (option, value) in cases {
        for args in [
            vec![option, value, "accounts", "whoami"],
            vec![
                "messages",
                "send",
                "--to",
                "+14155550100",
                "--text",
                "hi",
                option,
                value,
            ],
        ] {
            let r = cli.run(&args).no_secret();
            assert_eq!(r.code(), 2, "{args:?}: {}", r.stderr());
            let err = r.stderr();
            assert!(
                err.lines().count() == 1 && err.starts_with("error: ") && err.contains(option),
                "{args:?}: {err}"
            );
        }
    }
    assert!(mock.requests("", "").is_empty(), "nothing reached the mock");
    // In range, they work.
    cli.run(&[
        "--timeout",
        "0.5",
        "--max-retries",
        "0",
        "accounts",
        "whoami",
    ])
    .ok();
}

#[test]
fn no_input_panics_and_a_closed_pipe_is_not_an_error() {
    let cli = Cli::new();
    // The reading end is closed before the command writes anything.
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = cli
        .command(&["completions", "bash"])
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The same for a listing.
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = cli
        .command(&["operations", "--json"])
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stderr.is_empty());

    // Odd input: usage errors (2), never a panic (101) or an internal error (70).
    let dir = cli.dir.path();
    let weird = dir.join("weird.csv");
    std::fs::write(&weird, b"phone,message\n\xff\xfe,\"unclosed\n").unwrap();
    let empty = dir.join("empty.csv");
    std::fs::write(&empty, b"").unwrap();
    for args in [
        vec!["--timeout", "1e308", "accounts", "whoami"],
        vec!["--timeout", "4.9e-324", "accounts", "whoami"],
        vec!["contacts", "import", weird.to_str().unwrap(), "--dry-run"],
        vec!["contacts", "import", empty.to_str().unwrap(), "--dry-run"],
        vec![
            "messages",
            "send-bulk",
            weird.to_str().unwrap(),
            "--dry-run",
            "--text",
            "{",
        ],
        vec![
            "messages",
            "send-bulk",
            weird.to_str().unwrap(),
            "--dry-run",
            "--rate",
            "nan",
        ],
        vec!["contacts", "import", "/nonexistent.csv"],
        vec![
            "messages",
            "schedule",
            "--to",
            "+1",
            "--text",
            "x",
            "--scheduled-for",
            "+99999999999999d",
        ],
        vec![
            "contacts",
            "import",
            weird.to_str().unwrap(),
            "--country",
            "ZZ",
            "--dry-run",
        ],
    ] {
        let r = cli.run(&args);
        assert!(
            ![101, 70].contains(&r.code()) && !r.stderr().contains("panicked"),
            "{args:?}: {} {}",
            r.code(),
            r.stderr()
        );
    }
}

#[test]
fn a_profiles_secret_goes_only_to_its_own_host() {
    let mock = Mock::start(&[]);
    let other = Mock::start(&[]);
    let cli = Cli::new();
    add_profile(&cli, &mock, "prod");
    cli.run(&["accounts", "whoami"]).ok();
    let before = mock.requests("", "").len();
    let refused = |r: common::Run| {
        assert_eq!(r.code(), 2, "{}", r.stderr());
        assert!(
            r.stderr()
                .contains("refusing to send the secret of profile prod to http://127.0.0.1:")
                && r.stderr().contains("AVOCHATO_AUTH_SECRET"),
            "{}",
            r.stderr()
        );
    };
    let mut cmd = cli.command(&["accounts", "whoami"]);
    cmd.env("AVOCHATO_BASE_URL", &other.url);
    refused(common::Run(cmd.output().unwrap()).no_secret());
    refused(
        cli.run(&["--base-url", &other.url, "accounts", "whoami"])
            .no_secret(),
    );
    refused(
        cli.run(&["--base-url", &other.url, "auth", "verify", "prod"])
            .no_secret(),
    );
    refused(
        cli.run(&[
            "--base-url",
            &other.url,
            "messages",
            "send",
            "--to",
            "+14155550100",
            "--text",
            "x",
        ])
        .no_secret(),
    );
    assert!(
        other.requests("", "").is_empty(),
        "the other host saw nothing"
    );
    assert_eq!(mock.requests("", "").len(), before);
    // Its own host, written another way, is fine.
    cli.run(&[
        "--base-url",
        &format!("{}/", mock.url),
        "accounts",
        "whoami",
    ])
    .ok();
    // A base URL with explicit credentials from the environment is the caller's choice.
    let mut cmd = cli.command(&["accounts", "whoami"]);
    cmd.env("AVOCHATO_BASE_URL", &other.url)
        .env("AVOCHATO_AUTH_ID", AUTH_ID)
        .env("AVOCHATO_AUTH_SECRET", SECRET);
    let out = cmd.output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(other.requests("GET", "/v1/whoami").len(), 1);
}

#[test]
fn no_profile_says_how_to_add_one_and_typos_get_a_suggestion() {
    let cli = Cli::new();
    let r = cli.run(&["accounts", "whoami"]);
    assert_eq!(r.code(), 2);
    assert!(
        r.stderr().contains("no credentials") && r.stderr().contains("avochato auth add NAME"),
        "{}",
        r.stderr()
    );
    let r = cli.run(&["messages", "sned"]);
    assert_eq!(r.code(), 2);
    assert!(
        r.stderr().contains("did you mean 'send'?"),
        "{}",
        r.stderr()
    );
    assert_eq!(r.stderr().lines().count(), 1);
    let r = cli.run(&["contcts", "list"]);
    assert!(
        r.stderr().contains("did you mean 'contacts'?"),
        "{}",
        r.stderr()
    );
    let r = cli.run(&["messages", "send", "--txt", "x"]);
    assert!(
        r.stderr().contains("did you mean '--text'?"),
        "{}",
        r.stderr()
    );
}

#[test]
fn profile_names_complete_after_dash_dash_profile() {
    let mock = Mock::start(&[]);
    let cli = Cli::new();
    add_profile(&cli, &mock, "production");
    add_profile(&cli, &mock, "staging");
    // What the completion script asks the binary (fish's protocol: one candidate a line).
    let complete = |words: &[&str]| {
        let mut args = vec!["--", "avochato"];
        args.extend_from_slice(words);
        let out = cli.command(&args).env("COMPLETE", "fish").output().unwrap();
        assert_eq!(out.status.code(), Some(0));
        String::from_utf8(out.stdout).unwrap()
    };
    let all = complete(&["--profile", ""]);
    assert!(
        all.contains("production") && all.contains("staging"),
        "{all}"
    );
    let some = complete(&["accounts", "whoami", "-p", "st"]);
    assert!(
        some.starts_with("staging") && !some.contains("production"),
        "{some}"
    );
    let subcommands = complete(&["messages", "send-"]);
    assert!(
        subcommands.contains("send-bulk") && subcommands.contains("send-live-chat"),
        "{subcommands}"
    );
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = cli.run(&["completions", shell]).ok().stdout();
        assert!(
            script.contains("COMPLETE") && script.contains("avochato"),
            "{shell}: {script}"
        );
    }
}
