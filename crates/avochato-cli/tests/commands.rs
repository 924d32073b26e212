//! Every command group, output formats, errors and exit codes.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::{Cli, Mock};
use serde_json::json;

#[test]
fn every_command_group_runs_against_the_mock() {
    let mock = Mock::start(&[]);
    let cli = Cli::with_env(&mock);
    let me = cli.run(&["accounts", "whoami"]).ok().json();
    assert_eq!(me["account"]["subdomain"], "test-account");
    let inboxes = cli.run(&["accounts", "list", "--quiet"]).ok().stdout();
    assert!(
        inboxes.contains("test-account") && inboxes.contains("second-inbox"),
        "{inboxes}"
    );

    let contact = cli
        .run(&[
            "contacts",
            "upsert",
            "--phone",
            "(415) 555-0142",
            "--name",
            "Ada",
            "-F",
            "plan=gold",
            "--tags",
            "vip",
        ])
        .ok()
        .json();
    assert_eq!(
        (contact["phone"].as_str(), contact["plan"].as_str()),
        (Some("+14155550142"), Some("gold"))
    );
    let id = contact["id"].as_str().unwrap();
    assert_eq!(
        cli.run(&["contacts", "fetch", id, "--quiet"])
            .ok()
            .stdout()
            .trim(),
        id
    );
    let all = cli.run(&["contacts", "list", "--all"]).ok().json();
    assert_eq!(all.as_array().unwrap().len(), 1);

    let sent = cli
        .run(&[
            "messages",
            "send",
            "--to",
            "+14155550142",
            "--text",
            "hi from the CLI",
            "--mark-addressed",
        ])
        .ok()
        .json();
    assert_eq!(sent["direction"], "out");
    let recorded = mock.requests("POST", "/v1/messages");
    // Sent as the documented example writes it.
    assert_eq!(
        recorded.last().unwrap()["body"]["mark_addressed"],
        json!("true"),
        "{recorded:?}"
    );
    let ticket = sent["ticket_id"].as_str().unwrap();
    let scheduled = cli
        .run(&[
            "messages",
            "schedule",
            "--to",
            "+14155550142",
            "--text",
            "later",
            "--scheduled-for",
            "+2h",
        ])
        .ok()
        .json();
    assert!(
        scheduled["scheduled_for"].as_f64().unwrap()
            > sent["created_at"].as_f64().unwrap() + 7000.0
    );
    assert_eq!(
        cli.run(&["messages", "search-scheduled", "-q"])
            .ok()
            .stdout()
            .lines()
            .count(),
        1
    );

    assert_eq!(
        cli.run(&[
            "tags",
            "add-by-phone",
            "--phone",
            "+14155550142",
            "--tag",
            "newsletter"
        ])
        .ok()
        .json()["action"],
        "tagged"
    );
    assert!(
        cli.run(&["tags", "list", "--all", "-q"])
            .ok()
            .stdout()
            .contains("newsletter")
    );

    let closed = cli.run(&["tickets", "close", ticket]).ok().json();
    assert_eq!(closed[0]["status"], "Closed");
    assert_eq!(
        cli.run(&["tickets", "search", "--query", "status:Closed", "-q"])
            .ok()
            .stdout()
            .trim(),
        ticket
    );

    let event = cli
        .run(&[
            "events",
            "add-to-contact",
            id,
            "--type",
            "sale",
            "--revenue",
            "12.5",
        ])
        .ok()
        .json();
    assert_eq!(event["revenue"], json!(12.5));
    assert!(
        cli.run(&["events", "fetch", ticket, "--all"])
            .ok()
            .json()
            .as_array()
            .unwrap()
            .len()
            >= 2
    );

    let draft = cli
        .run(&[
            "broadcasts",
            "create",
            "--message",
            "Sale!",
            "--via-tags",
            "vip",
        ])
        .ok()
        .json();
    let bid = draft["id"].as_str().unwrap();
    assert_eq!(
        cli.run(&["broadcasts", "audience-count", bid]).ok().json()["count"],
        json!(1)
    );
    assert_eq!(
        cli.run(&["broadcasts", "publish", bid, "--asap"])
            .ok()
            .json()["status"],
        "completed"
    );

    assert_eq!(
        cli.run(&["campaigns", "list", "-q"]).ok().stdout(),
        "one\ntwo\n"
    );
    cli.run(&[
        "campaigns",
        "remove-contact",
        "one",
        "--phone",
        "+14155550142",
    ])
    .ok();

    let added = cli
        .run(&["users", "add", "new@example.com", "--role", "member"])
        .ok()
        .json();
    assert_eq!(
        cli.run(&["users", "disable", "new@example.com"])
            .ok()
            .json()["enabled"],
        json!(false)
    );
    assert_eq!(
        cli.run(&["users", "enable", added["id"].as_str().unwrap()])
            .ok()
            .json()["enabled"],
        json!(true)
    );
    assert_eq!(
        cli.run(&[
            "users",
            "update-role",
            "new@example.com",
            "--role",
            "manager"
        ])
        .ok()
        .json()["role"],
        "manager"
    );

    assert!(cli.run(&["calls", "create-token"]).ok().json().is_object());
    let other = cli
        .run(&["--subdomain", "second-inbox", "accounts", "whoami"])
        .ok()
        .json();
    assert_eq!(other["account"]["subdomain"], "second-inbox");
}

#[test]
fn the_operation_list_and_completions() {
    let cli = Cli::new();
    let ops = cli.run(&["operations", "--json"]).ok().json();
    let documented: serde_json::Value =
        serde_json::from_str(include_str!("../../../tests/fixtures/avochato-v1.json")).unwrap();
    assert_eq!(
        ops.as_array().unwrap().len(),
        documented["operations"].as_array().unwrap().len()
    );
    assert!(
        ops.as_array()
            .unwrap()
            .iter()
            .any(|o| o["command"] == "tickets assign-by-email")
    );
    // The scripts ask the binary itself (see safety.rs for what it answers).
    let bash = cli.run(&["completions", "bash"]).ok().stdout();
    assert!(
        bash.contains("avochato") && bash.contains("COMPLETE"),
        "{bash}"
    );
    let zsh = cli.run(&["completions", "zsh"]).ok().stdout();
    assert!(zsh.starts_with("#compdef avochato"), "{zsh}");
}

#[test]
fn errors_are_one_line_with_exit_codes_and_bad_input_is_never_sent() {
    let mock = Mock::start(&[]);
    let cli = Cli::with_env(&mock);
    let one_line = |r: &common::Run| {
        let err = r.stderr();
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.starts_with("error: ") && !err.contains("panicked") && !err.contains("backtrace"),
            "{err}"
        );
        assert!(r.stdout().is_empty());
    };
    for args in [
        vec!["messages", "send", "--to", "+14155550100"],
        vec!["messages", "send", "--to", "+14155550100", "--text", ""],
        vec![
            "messages",
            "send",
            "--to",
            "+14155550100",
            "--text",
            &"x".repeat(1601),
        ],
        vec![
            "messages",
            "send",
            "--to",
            "+14155550100",
            "--text",
            "hi",
            "--from",
            "5105551234",
        ],
        vec!["tickets", "update-status", "t1", "--status", "Done"],
        vec!["tickets", "close"],
        vec![
            "contacts",
            "upsert",
            "--phone",
            "+14155550100",
            "--priority",
            "9",
        ],
        vec![
            "messages",
            "schedule",
            "--to",
            "+1",
            "--text",
            "x",
            "--scheduled-for",
            "tomorrow",
        ],
        vec!["users", "disable"],
        vec!["messages", "sned"],
        vec!["--bogus"],
    ] {
        let r = cli.run(&args).no_secret();
        assert_eq!(r.code(), 2, "{args:?}: {}", r.stderr());
        one_line(&r);
    }
    assert!(
        mock.requests("", "").is_empty(),
        "bad input reached the API"
    );

    let r = cli.run(&["messages", "get", "no-such-message"]).no_secret();
    assert_eq!(r.code(), 1);
    one_line(&r);
    assert!(
        r.stderr().contains("404") && r.stderr().contains("request id"),
        "{}",
        r.stderr()
    );
    mock.fault(json!({"method": "POST", "path": "/v1/messages", "kind": "status", "status": 503}));
    let r = cli
        .run(&["messages", "send", "--to", "+14155550100", "--text", "hi"])
        .no_secret();
    assert_eq!(r.code(), 1);
    one_line(&r);
    assert_eq!(
        mock.requests("POST", "/v1/messages").len(),
        1,
        "a POST that may have arrived is not resent"
    );

    let wrong = Cli::new();
    let r = wrong.run(&["accounts", "whoami"]);
    assert_eq!(r.code(), 2);
    assert!(r.stderr().contains("no credentials"), "{}", r.stderr());
}

#[test]
fn control_characters_never_reach_a_table() {
    let mock = Mock::start(&[]);
    let cli = Cli::with_env(&mock);
    let evil = "pay \x1b[2J\x1b]0;owned\x07now\r\nor \u{202E}else\u{9b}31m";
    cli.run(&["messages", "send", "--to", "+14155550100", "--text", evil])
        .ok();
    for args in [
        ["messages", "list", "--table"],
        ["contacts", "list", "--table"],
    ] {
        let table = cli.run(&args).ok().stdout();
        assert!(table.lines().count() >= 2, "{table}");
        assert!(
            table.chars().all(|c| c == '\n' || !c.is_control()),
            "{table:?}"
        );
        assert!(!table.contains('\u{202E}'));
    }
    let table = cli.run(&["messages", "list", "--table"]).ok().stdout();
    assert!(table.contains("pay [2J]0;owned"), "{table}");
    // JSON keeps the text exactly (escaped), for programs.
    let json = cli.run(&["messages", "list", "--json"]).ok().json();
    assert!(
        json["items"][0]["message"]
            .as_str()
            .unwrap()
            .starts_with(evil)
    );
    // The object view and CSV of a terminal are cleaned too.
    let one = cli
        .run(&[
            "messages",
            "get",
            json["items"][0]["event_id"].as_str().unwrap(),
            "--table",
        ])
        .ok()
        .stdout();
    assert!(one.chars().all(|c| c == '\n' || !c.is_control()), "{one:?}");
}
