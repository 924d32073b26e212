//! A row of an import file as one contact of the many-contacts upsert: columns mapped
//! (`columns`), the phone normalised, values typed, opt-outs and blocks protected, and the
//! whole checked by the core.

use avochato::FieldInfo;
use serde_json::{Map, Value};

use crate::columns::Columns;
use crate::error::{CliError, Result};
use crate::params;
use crate::records::{ERROR_COLUMN, Row};

/// Flags whose `false` would clear a stored opt-out, block or double opt-in: never sent
/// as false unless `--allow-opt-in`.
pub const PROTECTED_FLAGS: [&str; 3] = ["opted_out", "blocked", "double_opted_in"];

fn contact_input() -> Result<&'static avochato::TypeInfo> {
    Ok(<avochato::params::ContactInput as avochato::Describe>::INFO)
}

/// Columns of an export that are not contact inputs (read-only fields of the API).
pub fn read_only() -> Vec<&'static str> {
    let inputs: Vec<&str> = contact_input()
        .map(|t| t.fields.iter().map(|f| f.name).collect())
        .unwrap_or_default();
    let mut out: Vec<&str> = Some(<avochato::models::Contact as avochato::Describe>::INFO)
        .map(|t| {
            t.fields
                .iter()
                .filter(|f| !f.flatten && !inputs.contains(&f.name))
                .map(|f| f.name)
                .collect()
        })
        .unwrap_or_default();
    out.push(ERROR_COLUMN);
    out
}

/// The contact input fields (not the custom-fields catch-all).
pub fn input_fields() -> Result<Vec<&'static FieldInfo>> {
    Ok(contact_input()?
        .fields
        .iter()
        .filter(|f| !f.flatten)
        .collect())
}

/// A flag's value as the API reads it (`false`, `0`, `"no"`, ...).
fn as_flag(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => n.as_f64().map(|n| n != 0.0),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "y" | "on" => Some(true),
            "false" | "0" | "no" | "n" | "off" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// One contact, ready to send.
pub struct Prepared {
    pub contact: Value,
    /// A protected flag was `false` in the row and was not sent.
    pub withheld: bool,
}

pub struct ContactRows {
    pub columns: Columns,
    fields: Vec<&'static FieldInfo>,
    country: String,
    allow_empty: bool,
    allow_opt_in: bool,
}

impl ContactRows {
    pub fn new(
        columns: Columns,
        country: String,
        allow_empty: bool,
        allow_opt_in: bool,
    ) -> Result<ContactRows> {
        Ok(ContactRows {
            columns,
            fields: input_fields()?,
            country,
            allow_empty,
            allow_opt_in,
        })
    }

    /// The JSON of one field (or custom field) from a cell; `None` leaves it out.
    fn cell(&self, name: &str, value: &Value) -> Result<Option<Value>> {
        let field = self.fields.iter().find(|f| f.name == name);
        let empty = match value {
            Value::Null => true,
            Value::String(s) => s.trim().is_empty(),
            _ => false,
        };
        if empty {
            let text_like = field.is_none_or(|f| params::kind(f) == params::Kind::Text);
            return Ok((self.allow_empty && text_like).then(|| Value::String(String::new())));
        }
        match (field, value) {
            (Some(f), Value::String(s)) => params::cell_value(f, s),
            (_, v) => Ok(Some(v.clone())),
        }
    }

    /// A row as one contact, or why it cannot be sent.
    pub fn prepare(&self, row: &Row) -> std::result::Result<Prepared, String> {
        let mut contact: Map<String, Value> =
            self.columns
                .contact(row, &self.country, &|name, v| self.cell(name, v))?;
        let mut withheld = false;
        for flag in PROTECTED_FLAGS {
            let Some(v) = contact.get(flag) else { continue };
            match as_flag(v) {
                Some(false) if !self.allow_opt_in => {
                    contact.remove(flag);
                    withheld = true;
                }
                Some(b) => {
                    contact.insert(flag.to_string(), Value::Bool(b));
                }
                None => return Err(format!("{flag}: {v} is not true/false")),
            }
        }
        let value = Value::Object(contact);
        let checked = avochato::params::check_type(
            <avochato::params::ContactInput as avochato::Describe>::INFO,
            value.clone(),
        );
        match checked {
            Ok(_) => Ok(Prepared {
                contact: value,
                withheld,
            }),
            Err(e) => Err(CliError::from(e).to_string()),
        }
    }
}
