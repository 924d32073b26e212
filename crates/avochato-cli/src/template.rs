//! Message templates of `send-bulk --text`: `Hi {first_name}` filled from each row.
//!
//! A placeholder names a column (matched like headers: `{first_name}` finds `First Name`);
//! `{first_name|there}` gives the text for an empty cell; `{{` and `}}` are literal braces.
//! A placeholder naming no column is refused before anything is sent; an empty cell without
//! a default fails that row (a message is never sent with a hole in it).

use crate::columns::key;
use crate::error::{CliError, Result};
use crate::records::Row;

#[derive(Debug, PartialEq)]
enum Part {
    Text(String),
    /// The column (as in the file), and the text for an empty cell.
    Column(String, Option<String>),
}

#[derive(Debug)]
pub struct Template {
    parts: Vec<Part>,
}

impl Template {
    /// Parses `text` against the file's columns.
    pub fn parse(text: &str, columns: &[String]) -> Result<Template> {
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '{' if chars.peek() == Some(&'{') => {
                    chars.next();
                    literal.push('{');
                }
                '}' if chars.peek() == Some(&'}') => {
                    chars.next();
                    literal.push('}');
                }
                '{' => {
                    let mut inner = String::new();
                    let mut closed = false;
                    for c in chars.by_ref() {
                        if c == '}' {
                            closed = true;
                            break;
                        }
                        inner.push(c);
                    }
                    if !closed {
                        return Err(CliError::usage(format!(
                            "--text: a {{ is not closed (write {{{{ for a literal brace): {text:?}"
                        )));
                    }
                    let (name, default) = match inner.split_once('|') {
                        Some((n, d)) => (n.trim(), Some(d.to_string())),
                        None => (inner.trim(), None),
                    };
                    let column = columns
                        .iter()
                        .find(|c| c.as_str() == name)
                        .or_else(|| columns.iter().find(|c| key(c) == key(name) && !key(name).is_empty()))
                        .ok_or_else(|| {
                            CliError::usage(format!(
                                "--text uses {{{name}}}, but the file has no such column (columns: {})",
                                columns.join(", ")
                            ))
                        })?;
                    if !literal.is_empty() {
                        parts.push(Part::Text(std::mem::take(&mut literal)));
                    }
                    parts.push(Part::Column(column.clone(), default));
                }
                '}' => {
                    return Err(CliError::usage(format!(
                        "--text: a }} without its {{ (write }}}} for a literal brace): {text:?}"
                    )));
                }
                c => literal.push(c),
            }
        }
        if !literal.is_empty() {
            parts.push(Part::Text(literal));
        }
        Ok(Template { parts })
    }

    /// The message for one row, or why it cannot be made.
    pub fn fill(&self, row: &Row) -> std::result::Result<String, String> {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Text(t) => out.push_str(t),
                Part::Column(column, default) => {
                    match (row.text(column).filter(|v| !v.trim().is_empty()), default) {
                        (Some(v), _) => out.push_str(v.trim()),
                        (None, Some(d)) => out.push_str(d),
                        (None, None) => {
                            return Err(format!(
                                "{column} is empty (give --text a default: {{{}|...}})",
                                column
                            ));
                        }
                    }
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn row(pairs: &[(&str, &str)]) -> Row {
        Row {
            number: 1,
            values: pairs
                .iter()
                .map(|(k, v)| (k.to_string(), Value::String(v.to_string())))
                .collect(),
        }
    }

    #[test]
    fn placeholders_defaults_and_braces() {
        let cols = vec![
            "First Name".to_string(),
            "Mobile Phone".to_string(),
            "plan".to_string(),
        ];
        let t = Template::parse("Hi {first_name|there}, your {plan} plan {{ok}}", &cols).unwrap();
        assert_eq!(
            t.fill(&row(&[("First Name", " Ada "), ("plan", "gold")]))
                .unwrap(),
            "Hi Ada, your gold plan {ok}"
        );
        assert_eq!(
            t.fill(&row(&[("First Name", ""), ("plan", "gold")]))
                .unwrap(),
            "Hi there, your gold plan {ok}"
        );
        assert!(
            t.fill(&row(&[("First Name", "Ada")]))
                .unwrap_err()
                .contains("plan is empty")
        );
        let e = Template::parse("Hi {nickname}", &cols)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("{nickname}") && e.contains("First Name, Mobile Phone, plan"),
            "{e}"
        );
        assert!(Template::parse("Hi {first_name", &cols).is_err());
        assert!(Template::parse("Hi }", &cols).is_err());
    }
}
