//! The fault matrix's table, printed by the core's and the CLI's runners (the CLI's tests
//! include this file).

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
