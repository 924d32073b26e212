//! Importing as Salesforce operators do: the sample report export of the repository's
//! fixtures (BOM, report headers) as it is, the header checked before anything is sent,
//! `--map` and `--phone`, `--dry-run`, and opt-outs never undone by an old export.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::collections::HashMap;
use std::path::PathBuf;

use common::{Cli, Mock};
use serde_json::{Value, json};

/// The sample Salesforce Contact report (made-up people), copied into the test's folder.
fn sample_report(cli: &Cli) -> PathBuf {
    let fixture = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/salesforce-contacts-report.csv");
    let path = cli.path("report.csv");
    std::fs::copy(fixture, &path).unwrap();
    path
}

fn contacts(cli: &Cli) -> HashMap<String, Value> {
    cli.run(&["contacts", "list", "--all", "--json"])
        .ok()
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["phone"].as_str().unwrap().to_string(), c.clone()))
        .collect()
}

fn read_csv(path: &std::path::Path) -> Vec<HashMap<String, String>> {
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
fn the_sample_salesforce_report_imports_as_exported() {
    let mock = Mock::start(&[]);
    let cli = Cli::with_env(&mock);
    let report = sample_report(&cli);
    assert!(
        std::fs::read(&report).unwrap().starts_with(b"\xef\xbb\xbf"),
        "the sample has a BOM"
    );
    let r = cli
        .run(&["contacts", "import", report.to_str().unwrap()])
        .no_secret();
    assert_eq!(
        r.code(),
        1,
        "two rows of the sample cannot be imported: {}",
        r.stderr()
    );
    assert!(
        r.stderr()
            .contains("Mobile Phone → phone; Phone → phone when Mobile Phone is empty")
            && r.stderr().contains("Lead Source → not sent"),
        "the mapping is shown: {}",
        r.stderr()
    );
    assert!(
        r.stderr().contains("created 8, updated 0, failed 2")
            && r.stderr().contains("1 upsert(s), 1 lookup(s)"),
        "{}",
        r.stderr()
    );
    // What the summary says is what the API saw.
    assert_eq!(mock.requests("POST", "/v1/contacts").len(), 1);
    assert_eq!(mock.requests("GET", "/v1/contacts").len(), 1);

    let all = contacts(&cli);
    assert_eq!(all.len(), 8);
    let ada = &all["+14155550101"];
    assert_eq!(ada["name"], "Ada Lovelace", "First Name + Last Name");
    assert_eq!(ada["company"], "Analytical Engines Ltd", "Account Name");
    assert_eq!(ada["salesforce_object_id"], "0035e00000Qa1AAA");
    assert_eq!(ada["salesforce_object_type"], "Contact");
    assert_eq!(
        (ada["city"].as_str(), ada["zip"].as_str()),
        (Some("San Francisco"), Some("94105"))
    );
    assert!(
        ada.get("Lead Source").is_none() && ada.get("Title").is_none(),
        "report columns are not custom fields: {ada}"
    );
    // Mobile Phone wins over Phone; Phone when there is no mobile; normalised to E.164.
    assert_eq!(all["+14155550102"]["name"], "Grace Hopper");
    assert_eq!(all["+14155550103"]["other_phone"], "+14155550193");
    assert_eq!(all["+442079460958"]["name"], "Alan Turing");
    assert_eq!(
        all["+14155550108"]["name"], "Dennis Ritchie",
        "the extension is dropped"
    );
    assert!(!all.contains_key("+14155550199"));

    let failed = read_csv(&cli.path("report.failed.csv"));
    let why: Vec<(&str, &str)> = failed
        .iter()
        .map(|f| (f["Last Name"].as_str(), f["avochato_error"].as_str()))
        .collect();
    assert_eq!(
        why[0],
        ("Dijkstra", "no phone: Mobile Phone and Phone are empty")
    );
    assert!(
        why[1].0 == "Liskov" && why[1].1.starts_with("Mobile Phone: \"call me\""),
        "{why:?}"
    );

    // --phone phone,mobile: Phone wins where both are filled (a new file, so no journal).
    let again = cli.path("report-phone-first.csv");
    std::fs::copy(&report, &again).unwrap();
    let r = cli
        .run(&[
            "contacts",
            "import",
            again.to_str().unwrap(),
            "--phone",
            "phone,mobile",
        ])
        .no_secret();
    assert!(
        r.stderr().contains("created 3, updated 6, failed 1"),
        "{}",
        r.stderr()
    );
    assert_eq!(contacts(&cli)["+14155550199"]["name"], "Ada Lovelace");
}

#[test]
fn a_file_without_a_phone_column_is_refused_before_anything_is_sent() {
    let mock = Mock::start(&[]);
    let cli = Cli::with_env(&mock);
    let file = cli.path("no-phone.csv");
    std::fs::write(
        &file,
        "\u{feff}First Name,Last Name,Cell,Email\nAda,Lovelace,(415) 555-0101,ada@example.com\n",
    )
    .unwrap();
    for extra in [vec![], vec!["--dry-run"]] {
        let mut args = vec!["contacts", "import", file.to_str().unwrap()];
        args.extend(extra);
        let r = cli.run(&args).no_secret();
        assert_eq!(r.code(), 2, "{}", r.stderr());
        assert!(
            r.stderr()
                .contains("has no phone column (columns: First Name, Last Name, Cell, Email)")
                && r.stderr().contains("--map \"Cell=phone\""),
            "{}",
            r.stderr()
        );
    }
    assert!(mock.requests("", "").is_empty(), "nothing was sent");
    assert!(!cli.path("no-phone.csv.avochato-journal").exists());
    // A --map naming a column the file lacks is refused too.
    let r = cli.run(&[
        "contacts",
        "import",
        file.to_str().unwrap(),
        "--map",
        "Mobile=phone",
    ]);
    assert_eq!(r.code(), 2);
    // With the --map the message suggests, it imports.
    let r = cli
        .run(&[
            "contacts",
            "import",
            file.to_str().unwrap(),
            "--map",
            "Cell=phone",
            "--map",
            "Email=work_email",
        ])
        .ok();
    assert!(
        r.stdout().contains("created 1, updated 0, failed 0"),
        "{}",
        r.stdout()
    );
    let ada = &contacts(&cli)["+14155550101"];
    assert_eq!(
        (ada["name"].as_str(), ada["work_email"].as_str()),
        (Some("Ada Lovelace"), Some("ada@example.com"))
    );
}

#[test]
fn a_dry_run_prints_the_requests_and_sends_nothing() {
    let mock = Mock::start(&[]);
    let cli = Cli::with_env(&mock);
    let report = sample_report(&cli);
    let r = cli
        .run(&[
            "contacts",
            "import",
            report.to_str().unwrap(),
            "--dry-run",
            "--batch-size",
            "5",
        ])
        .no_secret();
    assert_eq!(r.code(), 1, "two rows would fail: {}", r.stderr());
    let requests: Vec<Value> = r
        .stdout()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(requests.len(), 2, "8 contacts in batches of 5");
    assert_eq!(requests[0]["method"], "POST");
    assert_eq!(requests[0]["path"], "/v1/contacts");
    assert_eq!(requests[0]["body"]["contacts"].as_array().unwrap().len(), 5);
    assert_eq!(requests[0]["body"]["contacts"][0]["phone"], "+14155550101");
    assert!(
        r.stderr().contains("would fail: row 6: no phone"),
        "{}",
        r.stderr()
    );
    assert!(
        r.stderr()
            .contains("8 contact(s) would be sent in 2 request(s)")
            && r.stderr().contains("nothing was sent"),
        "{}",
        r.stderr()
    );
    assert!(mock.requests("", "").is_empty(), "the recorder saw nothing");
    assert!(
        !cli.path("report.csv.avochato-journal").exists()
            && !cli.path("report.failed.csv").exists()
    );
    assert!(!r.stdout().contains(common::SECRET) && !r.stdout().contains("auth_secret"));
}

#[test]
fn re_importing_an_old_export_never_undoes_an_opt_out() {
    let mock = Mock::start(&[]);
    let cli = Cli::with_env(&mock);
    for (phone, name) in [
        ("+14155550101", "Ada"),
        ("+14155550102", "Grace"),
        ("+14155550103", "Katherine"),
    ] {
        cli.run(&["contacts", "upsert", "--phone", phone, "--name", name])
            .ok();
    }
    // The old export: everyone opted in, nobody blocked.
    let old = cli.path("old-export.csv");
    cli.run(&["contacts", "export", "-o", old.to_str().unwrap()])
        .ok();
    let exported = read_csv(&old);
    assert!(
        exported.iter().all(|c| c["opted_out"] == "false"
            && c["blocked"] == "false"
            && c["double_opted_in"] == "false"),
        "exports keep the flags: {exported:?}"
    );
    // Since then: Ada opted out, Grace was blocked, Katherine double-opted in.
    cli.run(&[
        "contacts",
        "upsert",
        "--phone",
        "+14155550101",
        "--opted-out",
    ])
    .ok();
    cli.run(&["contacts", "upsert", "--phone", "+14155550102", "--blocked"])
        .ok();
    cli.run(&[
        "contacts",
        "upsert",
        "--phone",
        "+14155550103",
        "--double-opted-in",
    ])
    .ok();

    let r = cli.run(&["contacts", "import", old.to_str().unwrap()]).ok();
    assert!(
        r.stdout()
            .contains("created 0, updated 3, failed 0; opt-out/block kept on 3 row(s)"),
        "{}",
        r.stdout()
    );
    let sent = mock.requests("POST", "/v1/contacts").last().unwrap()["body"]["contacts"].clone();
    for c in sent.as_array().unwrap() {
        for flag in ["opted_out", "blocked", "double_opted_in"] {
            assert!(c.get(flag).is_none(), "{flag} was sent: {c}");
        }
    }
    let now = contacts(&cli);
    assert_eq!(now["+14155550101"]["opted_out"], true, "still opted out");
    assert_eq!(now["+14155550102"]["blocked"], true, "still blocked");
    assert_eq!(
        now["+14155550103"]["double_opted_in"], true,
        "still double opted in"
    );

    // A true is sent (it protects); a false only with --allow-opt-in.
    let file = cli.path("flags.jsonl");
    std::fs::write(
        &file,
        "{\"phone\": \"+14155550102\", \"opted_out\": true}\n{\"phone\": \"+14155550101\", \"opted_out\": 0}\n",
    )
    .unwrap();
    let r = cli
        .run(&["contacts", "import", file.to_str().unwrap()])
        .ok();
    assert!(
        r.stdout().contains("opt-out/block kept on 1 row(s)"),
        "{}",
        r.stdout()
    );
    let now = contacts(&cli);
    assert_eq!(now["+14155550102"]["opted_out"], true);
    assert_eq!(now["+14155550101"]["opted_out"], true);
    let r = cli
        .run(&[
            "contacts",
            "import",
            file.to_str().unwrap(),
            "--allow-opt-in",
            "--restart",
        ])
        .ok();
    assert!(!r.stdout().contains("kept on"), "{}", r.stdout());
    assert_eq!(
        contacts(&cli)["+14155550101"]["opted_out"],
        false,
        "--allow-opt-in sends the false"
    );
    let last = mock.requests("POST", "/v1/contacts").last().unwrap()["body"]["contacts"].clone();
    assert_eq!(
        last[1],
        json!({"phone": "+14155550101", "opted_out": false})
    );
}

#[test]
fn csv_exports_write_iso_times_unless_epoch_is_asked() {
    let mock = Mock::start(&[]);
    let cli = Cli::with_env(&mock);
    cli.run(&[
        "contacts",
        "upsert",
        "--phone",
        "+14155550101",
        "--name",
        "Ada",
    ])
    .ok();
    let iso = cli.path("iso.csv");
    cli.run(&["contacts", "export", "-o", iso.to_str().unwrap()])
        .ok();
    let created = read_csv(&iso)[0]["created_at"].clone();
    assert!(
        created.len() >= 20 && created.as_bytes()[10] == b'T' && created.ends_with('Z'),
        "{created}"
    );
    let epoch = cli.path("epoch.csv");
    cli.run(&[
        "contacts",
        "export",
        "-o",
        epoch.to_str().unwrap(),
        "--time",
        "epoch",
    ])
    .ok();
    let secs: f64 = read_csv(&epoch)[0]["created_at"].parse().unwrap();
    assert!(secs > 1.0e9, "{secs}");
    // The --csv output of any command too.
    let listed = cli.run(&["contacts", "list", "--csv"]).ok().stdout();
    assert!(listed.contains(&created[..19]), "{listed}");
    // JSON keeps the API's numbers.
    assert!(
        cli.run(&["contacts", "list", "--json"]).ok().json()["items"][0]["created_at"].is_number()
    );
}
