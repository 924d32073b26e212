//! Bulk work: a 10,000-contact import/export round trip, resuming, and send-bulk under a
//! rate limit with the mock's recorder as the witness.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::time::{Duration, Instant};

use common::{Cli, Mock, interrupt};
use serde_json::{Value, json};

fn write_contacts(path: &Path, n: usize) {
    let mut w = csv::Writer::from_path(path).unwrap();
    w.write_record(["phone", "name", "email", "tags", "plan"])
        .unwrap();
    for i in 0..n {
        let tags = if i % 2 == 0 {
            "import,even"
        } else {
            "import,odd"
        };
        w.write_record([
            &format!("+1415{:07}", 5_000_000 + i),
            &format!("Person {i}"),
            &format!("p{i}@example.com"),
            tags,
            &format!("plan-{}", i % 7),
        ])
        .unwrap();
    }
    w.flush().unwrap();
}

fn read_csv(path: &Path) -> Vec<HashMap<String, String>> {
    let mut r = csv::Reader::from_path(path).unwrap();
    let headers: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    r.records()
        .map(|rec| {
            headers
                .iter()
                .cloned()
                .zip(rec.unwrap().iter().map(String::from))
                .collect()
        })
        .collect()
}

#[test]
fn ten_thousand_contacts_import_and_export_round_trip() {
    let mock = Mock::start(&["--no-record"]);
    let cli = Cli::with_env(&mock);
    let input = cli.path("contacts.csv");
    write_contacts(&input, 10_000);
    let started = Instant::now();
    let r = cli
        .run(&["contacts", "import", input.to_str().unwrap()])
        .ok();
    let import_time = started.elapsed();
    assert!(
        r.stdout().contains("imported 10000 rows")
            && r.stdout().contains("created 10000, updated 0, failed 0"),
        "{}",
        r.stdout()
    );
    assert!(
        r.stderr().contains("import: 10000/10000 (100%)"),
        "plain progress lines when not on a terminal: {}",
        r.stderr()
    );
    assert_eq!(mock.inbox_count("contacts"), 10_000);

    let out = cli.path("export.csv");
    let r = cli
        .run(&[
            "contacts",
            "export",
            "--format",
            "csv",
            "-o",
            out.to_str().unwrap(),
        ])
        .ok();
    assert!(
        r.stderr().contains("exported 10000 contact(s)"),
        "{}",
        r.stderr()
    );
    let exported = read_csv(&out);
    assert_eq!(exported.len(), 10_000);
    let original = read_csv(&input);
    let key = |row: &HashMap<String, String>| {
        (
            row["phone"].clone(),
            row["name"].clone(),
            row["email"].clone(),
            row["tags"].clone(),
            row["plan"].clone(),
        )
    };
    let a: HashSet<_> = original.iter().map(key).collect();
    let b: HashSet<_> = exported.iter().map(key).collect();
    assert_eq!(
        a, b,
        "every contact came back with its fields, tags and custom field"
    );

    // The export imports again as it is (read-only columns are skipped): all updates.
    let r = cli
        .run(&[
            "contacts",
            "import",
            out.to_str().unwrap(),
            "--batch-size",
            "500",
        ])
        .ok();
    assert!(
        r.stdout().contains("created 0, updated 10000, failed 0"),
        "{}",
        r.stdout()
    );
    assert_eq!(mock.inbox_count("contacts"), 10_000);

    // JSON lines, filtered by a search, streamed to stdout.
    let r = cli
        .run(&[
            "contacts",
            "export",
            "--format",
            "jsonl",
            "--query",
            "plan:plan-3",
        ])
        .ok();
    let lines: Vec<Value> = r
        .stdout()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), (0..10_000).filter(|i| i % 7 == 3).count());
    assert!(lines.iter().all(|c| c["plan"] == "plan-3"));
    eprintln!(
        "10,000-contact import against the debug mock: {:.1} s",
        import_time.as_secs_f64()
    );
}

#[test]
fn failed_rows_go_to_a_file_that_imports_again_and_a_rerun_does_nothing_twice() {
    let mock = Mock::start(&[]);
    let cli = Cli::with_env(&mock);
    let input = cli.path("mixed.csv");
    // The API refuses the third row (no such user); the core refuses the second (priority)
    // and the fifth (no phone) before anything is sent.
    std::fs::write(&input, "phone,name,priority,user_id\n+14155550001,Ada,1,\n+14155550002,Bad Priority,9,\n+14155550003,Server Says No,,nobody@example.com\n+14155550001,Ada Again,2,\n,No Phone,,\n").unwrap();
    let r = cli
        .run(&[
            "contacts",
            "import",
            input.to_str().unwrap(),
            "--batch-size",
            "2",
        ])
        .no_secret();
    assert_eq!(r.code(), 1, "{}", r.stderr());
    assert!(
        r.stderr().contains("created 1, updated 1, failed 3"),
        "{}",
        r.stderr()
    );
    let failed = read_csv(&cli.path("mixed.failed.csv"));
    let names: Vec<&str> = failed.iter().map(|r| r["name"].as_str()).collect();
    assert_eq!(names, ["Bad Priority", "Server Says No", "No Phone"]);
    assert!(
        failed[0]["avochato_error"].contains("priority")
            && failed[1]["avochato_error"].contains("400"),
        "{failed:?}"
    );
    // Rows refused before sending never reached the API.
    let sent: Vec<Value> = mock
        .requests("POST", "/v1/contacts")
        .iter()
        .flat_map(|r| {
            r["body"]["contacts"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .collect();
    assert!(
        sent.iter()
            .all(|c| c["name"] != "Bad Priority" && c["name"] != "No Phone")
    );

    // The same command again: the journal says it is done.
    let before = mock.requests("POST", "/v1/contacts").len();
    let r = cli
        .run(&["contacts", "import", input.to_str().unwrap()])
        .ok();
    assert!(
        r.stderr().contains("imported completely by an earlier run"),
        "{}",
        r.stderr()
    );
    assert_eq!(mock.requests("POST", "/v1/contacts").len(), before);

    // Fix the failed file and import it: the error column is ignored.
    let fixed = std::fs::read_to_string(cli.path("mixed.failed.csv"))
        .unwrap()
        .replace(",9,", ",5,")
        .replace("nobody@example.com", "")
        .replace(",No Phone,", "+14155550004,No Phone,");
    std::fs::write(cli.path("mixed.failed.csv"), fixed).unwrap();
    let r = cli
        .run(&[
            "contacts",
            "import",
            cli.path("mixed.failed.csv").to_str().unwrap(),
        ])
        .ok();
    // The mock creates the contact of a row before refusing its user_id, so it exists.
    assert!(
        r.stdout().contains("created 2, updated 1, failed 0"),
        "{} {}",
        r.stdout(),
        r.stderr()
    );
    let body = mock.requests("POST", "/v1/contacts").last().unwrap()["body"]["contacts"].clone();
    assert!(
        body.as_array()
            .unwrap()
            .iter()
            .all(|c| c.get("avochato_error").is_none())
    );
}

#[test]
fn an_interrupted_import_resumes_after_the_last_finished_batch() {
    let mock = Mock::start(&[]);
    let cli = Cli::with_env(&mock);
    let input = cli.path("slow.csv");
    write_contacts(&input, 600);
    mock.fault(json!({"method": "POST", "path": "/v1/contacts", "kind": "delay", "delay_ms": 150, "count": 1000}));
    let import = [
        "contacts",
        "import",
        input.to_str().unwrap(),
        "--batch-size",
        "50",
    ];
    // Header plus two finished batches, then Ctrl-C.
    let out = interrupt(&cli, &import, "slow.csv.avochato-journal", 3, "INT");
    assert_eq!(
        out.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("run the same command again to resume"));
    let done_first = mock.inbox_count("contacts");
    assert!(done_first > 0 && done_first < 600, "{done_first}");
    mock.control("DELETE", "/__mock/faults", None);

    let r = cli.run(&import).ok();
    assert!(
        r.stderr()
            .contains(&format!("resuming after row {done_first}")),
        "{}",
        r.stderr()
    );
    assert!(
        r.stdout().contains("created 600, updated 0, failed 0"),
        "{}",
        r.stdout()
    );
    // Every row was sent exactly once over the two runs.
    let mut sent: HashMap<String, usize> = HashMap::new();
    for req in mock.requests("POST", "/v1/contacts") {
        for c in req["body"]["contacts"].as_array().unwrap() {
            *sent
                .entry(c["phone"].as_str().unwrap().to_string())
                .or_default() += 1;
        }
    }
    assert_eq!(sent.len(), 600);
    assert!(sent.values().all(|n| *n == 1), "a row was sent twice");
}

fn write_messages(path: &Path, n: usize, label: &str) {
    let mut w = csv::Writer::from_path(path).unwrap();
    w.write_record(["phone", "message"]).unwrap();
    for i in 0..n {
        w.write_record([
            &format!("+1510{:07}", 6_000_000 + i),
            &format!("{label} #{i}"),
        ])
        .unwrap();
    }
    w.flush().unwrap();
}

/// Accepted sends per (phone, message), and the number of 429 answers, from the recorder.
fn delivered(mock: &Mock) -> (HashMap<(String, String), usize>, usize) {
    let mut ok = HashMap::new();
    let mut limited = 0;
    for r in mock.requests("POST", "/v1/messages") {
        match r["status"].as_u64() {
            Some(200) => {
                let k = (
                    r["body"]["phone"].as_str().unwrap().to_string(),
                    r["body"]["message"].as_str().unwrap().to_string(),
                );
                *ok.entry(k).or_insert(0) += 1;
            }
            Some(429) => limited += 1,
            other => panic!("unexpected status {other:?}"),
        }
    }
    (ok, limited)
}

#[test]
fn send_bulk_of_1000_under_a_rate_limit_loses_and_duplicates_nothing() {
    // The mock allows 100 requests a second; the command is told 150, so the API must
    // refuse some (429), and those must be sent again, once.
    let mock = Mock::start(&["--rate-limit", "100"]);
    let cli = Cli::with_env(&mock);
    let input = cli.path("messages.csv");
    write_messages(&input, 1000, "Bulk");
    let started = Instant::now();
    let r = cli
        .run(&[
            "messages",
            "send-bulk",
            input.to_str().unwrap(),
            "--rate",
            "150",
            "--concurrency",
            "16",
        ])
        .ok();
    let wall = started.elapsed().as_secs_f64();
    let (ok, limited) = delivered(&mock);
    assert_eq!(ok.len(), 1000, "lost messages");
    assert!(ok.values().all(|n| *n == 1), "duplicated messages");
    assert!(
        limited > 0,
        "the rate limit was never reached; the test proves nothing"
    );
    assert_eq!(mock.inbox_count("messages"), 1000);
    // Every figure of the summary is what the recorder saw: each 429 was resent once.
    let requests = mock.requests("POST", "/v1/messages").len();
    assert_eq!(requests, 1000 + limited);
    assert!(
        r.stdout().contains(&format!(
            "sent 1000, failed 0; {requests} request(s), 429 answers {limited}, resent after 429: {limited};"
        )) && r.stdout().contains("sending 1000 row(s)"),
        "{}",
        r.stdout()
    );
    eprintln!(
        "send-bulk 1000 at --rate 150 into a 100/s limit: {wall:.1} s, {limited} answers of 429"
    );

    // Again: nothing is sent twice.
    let r = cli
        .run(&["messages", "send-bulk", input.to_str().unwrap()])
        .ok();
    assert!(
        r.stderr()
            .contains("1000 row(s) were handled by an earlier run"),
        "{}",
        r.stderr()
    );
    assert_eq!(delivered(&mock).0.values().sum::<usize>(), 1000);
}

#[test]
fn a_killed_send_bulk_never_resends_what_may_have_been_delivered() {
    let mock = Mock::start(&[]);
    let cli = Cli::with_env(&mock);
    let input = cli.path("killed.csv");
    write_messages(&input, 120, "Killed run");
    // Answers take 300 ms: a kill leaves requests that arrived but were never answered.
    mock.fault(json!({"method": "POST", "path": "/v1/messages", "kind": "delay", "delay_ms": 300, "count": 100000}));
    let args = [
        "messages",
        "send-bulk",
        input.to_str().unwrap(),
        "--rate",
        "40",
        "--concurrency",
        "8",
    ];
    interrupt(&cli, &args, "killed.csv.avochato-journal", 40, "KILL");
    std::thread::sleep(Duration::from_millis(400));
    mock.control("DELETE", "/__mock/faults", None);
    let journal = std::fs::read_to_string(cli.path("killed.csv.avochato-journal")).unwrap();
    let states: HashMap<u64, String> = journal
        .lines()
        .skip(1)
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter_map(|v| Some((v["row"].as_u64()?, v["state"].as_str()?.to_string())))
        .collect();
    let in_flight = states.values().filter(|s| *s == "sending").count();
    assert!(
        in_flight > 0,
        "the kill should leave requests in flight: {journal}"
    );

    let r = cli
        .run(&[
            "messages",
            "send-bulk",
            input.to_str().unwrap(),
            "--rate",
            "200",
        ])
        .no_secret();
    assert_eq!(
        r.code(),
        1,
        "rows that may have been delivered are reported: {}",
        r.stderr()
    );
    let failed = read_csv(&cli.path("killed.failed.csv"));
    assert_eq!(failed.len(), in_flight);
    assert!(
        failed
            .iter()
            .all(|f| f["avochato_error"].contains("may have been delivered"))
    );
    let (ok, _) = delivered(&mock);
    assert!(ok.values().all(|n| *n == 1), "a message was sent twice");
    assert_eq!(
        ok.len(),
        120,
        "every row was delivered once (the uncertain ones by the first run)"
    );

    // Ctrl-C stops cleanly: what was in flight finishes, the rest waits for the next run.
    let input = cli.path("stopped.csv");
    write_messages(&input, 200, "Stopped run");
    let out = interrupt(
        &cli,
        &[
            "messages",
            "send-bulk",
            input.to_str().unwrap(),
            "--rate",
            "50",
        ],
        "stopped.csv.avochato-journal",
        30,
        "INT",
    );
    assert_eq!(
        out.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The summary counts what this run did, as the recorder saw it.
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let stopped: Vec<Value> = mock
        .requests("POST", "/v1/messages")
        .into_iter()
        .filter(|r| {
            r["body"]["message"]
                .as_str()
                .unwrap()
                .starts_with("Stopped run")
        })
        .collect();
    let n = stopped.len();
    assert!(n > 0 && n < 200, "{n}");
    assert!(
        stderr.contains(&format!(
            "sent {n}, failed 0, not sent {}; {n} request(s), 429 answers 0",
            200 - n
        )) && stderr.contains(&format!("sending {n} row(s)")),
        "{n} sent: {stderr}"
    );
    cli.run(&[
        "messages",
        "send-bulk",
        input.to_str().unwrap(),
        "--rate",
        "200",
    ])
    .ok();
    let (ok, _) = delivered(&mock);
    assert_eq!(ok.len(), 320);
    assert!(ok.values().all(|n| *n == 1), "a message was sent twice");
}

#[test]
fn an_import_goes_on_when_the_created_or_updated_lookup_fails() {
    let mock = Mock::start(&[]);
    let cli = Cli::with_env(&mock);
    let input = cli.path("lookup.csv");
    write_contacts(&input, 120);
    mock.fault(json!({"method": "GET", "path": "/v1/contacts", "kind": "status", "status": 400, "errors": ["search is down"], "count": 100}));
    let r = cli
        .run(&[
            "contacts",
            "import",
            input.to_str().unwrap(),
            "--batch-size",
            "50",
        ])
        .ok();
    assert!(
        r.stderr().contains("could not look up existing contacts"),
        "{}",
        r.stderr()
    );
    assert!(
        r.stdout().contains(
            "created 0, updated 0, upserted without a created/updated check 120, failed 0"
        ),
        "{}",
        r.stdout()
    );
    assert_eq!(mock.inbox_count("contacts"), 120);
}

#[test]
fn a_row_the_api_keeps_refusing_with_429_is_reported_not_sent() {
    let mock = Mock::start(&[]);
    let cli = Cli::with_env(&mock);
    let input = cli.path("refused.csv");
    write_messages(&input, 3, "Refused");
    mock.fault(json!({"method": "POST", "path": "/v1/messages", "kind": "status", "status": 429, "retry_after": "0.01", "count": 1000}));
    let r = cli
        .run(&[
            "--max-retries",
            "0",
            "messages",
            "send-bulk",
            input.to_str().unwrap(),
            "--rate",
            "100",
        ])
        .no_secret();
    assert_eq!(r.code(), 1, "{}", r.stderr());
    let failed = read_csv(&cli.path("refused.failed.csv"));
    assert_eq!(failed.len(), 3);
    assert!(
        failed
            .iter()
            .all(|f| f["avochato_error"].contains("not sent: the API answered 429 to it 10 times")),
        "{failed:?}"
    );
    let (ok, limited) = delivered(&mock);
    assert!(ok.is_empty());
    assert_eq!(limited, 30);
    assert_eq!(mock.inbox_count("messages"), 0);
}

#[test]
fn send_bulk_templates_fill_from_the_row_and_a_missing_column_sends_nothing() {
    let mock = Mock::start(&[]);
    let cli = Cli::with_env(&mock);
    let input = cli.path("report.csv");
    std::fs::write(
        &input,
        "\u{feff}First Name,Mobile Phone,Plan\nAda,(415) 555-0101,gold\n,415-555-0102,silver\nKat,not a phone,gold\nGrace,415 555 0104,\n",
    )
    .unwrap();
    let path = input.to_str().unwrap();
    // Refused before anything is sent: a placeholder naming no column, no message at all.
    let r = cli
        .run(&["messages", "send-bulk", path, "--text", "Hi {nickname}"])
        .no_secret();
    assert_eq!(r.code(), 2);
    assert!(
        r.stderr().contains("{nickname}") && r.stderr().contains("First Name, Mobile Phone, Plan"),
        "{}",
        r.stderr()
    );
    let r = cli.run(&["messages", "send-bulk", path]).no_secret();
    assert_eq!(r.code(), 2);
    assert!(
        r.stderr().contains("has no message column"),
        "{}",
        r.stderr()
    );
    assert!(mock.requests("", "").is_empty());

    let text = "Hi {first_name|there}, your {plan} plan";
    // A dry run prints the messages, sends nothing.
    let r = cli
        .run(&["messages", "send-bulk", path, "--text", text, "--dry-run"])
        .no_secret();
    assert_eq!(r.code(), 1, "two rows would fail: {}", r.stderr());
    let planned: Vec<Value> = r
        .stdout()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(planned.len(), 2);
    assert_eq!(
        planned[0]["body"],
        json!({"phone": "+14155550101", "message": "Hi Ada, your gold plan"})
    );
    assert!(
        r.stderr().contains("row 3: Mobile Phone: ") && r.stderr().contains("row 4: Plan is empty"),
        "{}",
        r.stderr()
    );
    assert!(
        r.stderr()
            .contains("2 message(s) would be sent in 2 request(s)"),
        "{}",
        r.stderr()
    );
    assert!(mock.requests("", "").is_empty(), "the recorder saw nothing");
    assert!(!cli.path("report.csv.avochato-journal").exists());

    let r = cli
        .run(&[
            "messages",
            "send-bulk",
            path,
            "--text",
            text,
            "--rate",
            "100",
        ])
        .no_secret();
    assert_eq!(r.code(), 1, "{}", r.stderr());
    assert!(
        r.stderr().contains("sent 2, failed 2; 2 request(s)"),
        "{}",
        r.stderr()
    );
    let (ok, _) = delivered(&mock);
    let mut got: Vec<(String, String)> = ok.into_keys().collect();
    got.sort();
    assert_eq!(
        got,
        [
            (
                "+14155550101".to_string(),
                "Hi Ada, your gold plan".to_string()
            ),
            (
                "+14155550102".to_string(),
                "Hi there, your silver plan".to_string()
            ),
        ]
    );
}
