//! The fault matrix's table, printed by the core's and the CLI's runners (the CLI's tests
//! include this file).

use serde_json::Value;

/// A table: a title column, then one per entry of `columns`.
pub fn table(title: &str, columns: &[String], rows: &[(String, Vec<String>)]) -> String {
    let mut widths = vec![
        rows.iter()
            .map(|r| r.0.len())
            .chain([title.len()])
            .max()
            .unwrap(),
    ];
    for (i, c) in columns.iter().enumerate() {
        widths.push(
            rows.iter()
                .map(|r| r.1[i].chars().count())
                .chain([c.len()])
                .max()
                .unwrap(),
        );
    }
    let line = |cells: Vec<&str>| {
        cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect::<Vec<_>>()
            .join(" | ")
    };
    let mut out = vec![line(
        std::iter::once(title)
            .chain(columns.iter().map(String::as_str))
            .collect(),
    )];
    out.push(
        widths
            .iter()
            .map(|w| "-".repeat(*w))
            .collect::<Vec<_>>()
            .join("-+-"),
    );
    for (name, cells) in rows {
        out.push(line(
            std::iter::once(name.as_str())
                .chain(cells.iter().map(String::as_str))
                .collect(),
        ));
    }
    out.join("\n")
}

/// One cell: what was seen (`ok x2 stored 1`), and what was expected where they differ.
pub fn cell(seen: &Value, expected: &Value) -> String {
    let text = |v: &Value| {
        let mut t = format!(
            "{} x{}",
            v["outcome"].as_str().unwrap(),
            v["requests"].as_u64().unwrap()
        );
        if let Some(s) = v.get("stored") {
            t.push_str(&format!(" stored {s}"));
        }
        t
    };
    if seen == expected {
        text(seen)
    } else {
        format!("{} (expected {})", text(seen), text(expected))
    }
}
