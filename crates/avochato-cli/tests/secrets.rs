//! The leak scan over what the CLI prints: the test secret planted in the server's answers
//! (raw, JSON-escaped, HTML-escaped, percent-encoded, across the excerpt's cut) appears in no
//! `-v` line, error or output, and not in the profile listings.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{AUTH_ID, Cli, Mock, SECRET};
use serde_json::json;

fn leaked(text: &str) -> bool {
    text.contains(SECRET) || text.contains(&SECRET[..12])
}

#[test]
fn verbose_output_errors_and_profile_listings_show_no_secret() {
    let mock = Mock::start(&[]);
    let escaped: String = SECRET
        .chars()
        .map(|c| format!("\\u{:04x}", c as u32))
        .collect();
    let html: String = SECRET.chars().map(|c| format!("&#{};", c as u32)).collect();
    let percent: String = SECRET.bytes().map(|b| format!("%{b:02X}")).collect();
    let planted = [
        json!({"kind": "status", "status": 400, "errors": format!("bad secret {SECRET}")}),
        json!({"kind": "status", "status": 401, "errors": [format!("raw {SECRET}"), format!("json {escaped}")]}),
        json!({"kind": "status", "status": 500,
            "body": format!(r#"{{"errors": "{escaped}", "html": "{html}", "url": "{percent}"}}"#)}),
        json!({"kind": "status", "status": 502, "body": format!("{}{SECRET}{}", "x".repeat(190), "y".repeat(60))}),
        json!({"kind": "html", "status": 503}),
        json!({"kind": "status", "status": 200, "body": format!(r#"{{"status": 422, "errors": "{SECRET}"}}"#)}),
        json!({"kind": "malformed"}),
    ];
    let cli = Cli::with_env(&mock);
    let mut verbose_lines = 0;
    let mut redacted = 0;
    for fault in planted {
        let mut f = fault.clone();
        f["method"] = json!("GET");
        f["path"] = json!("/v1/whoami");
        f["count"] = json!(1);
        for args in [
            &["-v", "--max-retries", "0", "accounts", "whoami"][..],
            &["-v", "--max-retries", "0", "accounts", "whoami", "--json"][..],
        ] {
            mock.fault(f.clone());
            let r = cli.run(args);
            assert_ne!(r.code(), 0, "{fault}: {}", r.stdout());
            let (out, err) = (r.stdout(), r.stderr());
            assert!(
                !leaked(&out) && !leaked(&err),
                "{fault}\nstdout: {out}\nstderr: {err}"
            );
            verbose_lines += err.lines().filter(|l| l.contains("/v1/whoami")).count();
            redacted += usize::from(err.contains("[REDACTED]") || out.contains("[REDACTED]"));
        }
    }
    assert!(
        verbose_lines >= 14,
        "-v printed the attempts ({verbose_lines} lines)"
    );
    assert!(redacted > 0, "the planted answers were shown, redacted");

    // Profiles: added with the secret on stdin, listed, shown, verified (-v).
    let plain = Cli::new();
    plain
        .run_with_stdin(
            &[
                "auth",
                "add",
                "prod",
                "--auth-id",
                AUTH_ID,
                "--api-url",
                &mock.url,
            ],
            &format!("{SECRET}\n"),
        )
        .ok();
    mock.control("POST", "/__mock/reset", None);
    for args in [
        &["auth", "list"][..],
        &["auth", "list", "--json"][..],
        &["-v", "--profile", "prod", "accounts", "whoami"][..],
    ] {
        let r = plain.run(args);
        let (out, err) = (r.stdout(), r.stderr());
        assert!(
            !leaked(&out) && !leaked(&err),
            "{args:?}\nstdout: {out}\nstderr: {err}"
        );
    }
}
