//! Which contact field each column of an input file fills: the contact fields by name, the
//! headers of Salesforce Contact and Lead report exports (`Mobile Phone`, `First Name`,
//! `Mailing City`, `Account Name`, `Contact ID`, ...), and `--map "Column=field"` for the
//! rest. Headers match without regard to case, spaces or punctuation (`MobilePhone`,
//! `Mobile Phone` and `mobile_phone` are one header).
//!
//! The phone is the key Avochato matches contacts (and Salesforce records) on: of the phone
//! columns, the first filled one in `--phone` order wins (default: mobile, then phone, as the
//! Salesforce sync does), normalised to E.164 for `--country`.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::error::{CliError, Result};
use crate::records::{ERROR_COLUMN, Row};

/// A phone column's kind, named in `--phone`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PhoneKind {
    Mobile,
    Phone,
    Other,
    Home,
}

impl PhoneKind {
    fn parse(text: &str) -> Option<PhoneKind> {
        match key(text).as_str() {
            "mobile" | "mobilephone" | "cell" => Some(PhoneKind::Mobile),
            "phone" | "businessphone" => Some(PhoneKind::Phone),
            "other" | "otherphone" => Some(PhoneKind::Other),
            "home" | "homephone" => Some(PhoneKind::Home),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            PhoneKind::Mobile => "mobile",
            PhoneKind::Phone => "phone",
            PhoneKind::Other => "other",
            PhoneKind::Home => "home",
        }
    }
}

/// What a column fills.
#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    /// A contact field, or a custom field of this name.
    Field(String),
    /// A candidate for the phone.
    Phone(PhoneKind),
    FirstName,
    LastName,
    /// A Salesforce record id of this object type (`Contact`, `Lead`).
    SalesforceId(&'static str),
    /// Not sent.
    Skip,
}

/// A header as a match key: lower-case letters and digits only.
pub fn key(header: &str) -> String {
    header
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Headers of Salesforce Contact and Lead reports (and their API names), by key.
fn salesforce(k: &str) -> Option<Target> {
    let field = |f: &str| Some(Target::Field(f.to_string()));
    match k {
        "mobilephone" | "mobile" => Some(Target::Phone(PhoneKind::Mobile)),
        "businessphone" => Some(Target::Phone(PhoneKind::Phone)),
        "otherphone" => Some(Target::Phone(PhoneKind::Other)),
        "homephone" => Some(Target::Phone(PhoneKind::Home)),
        "firstname" => Some(Target::FirstName),
        "lastname" => Some(Target::LastName),
        "fullname" => field("name"),
        "emailaddress" => field("email"),
        "mailingstreet" | "mailingaddressline1" => field("street"),
        "mailingcity" => field("city"),
        "mailingstateprovince" | "mailingstate" | "stateprovince" => field("state"),
        "mailingzippostalcode"
        | "mailingpostalcode"
        | "zippostalcode"
        | "postalcode"
        | "zipcode" => field("zip"),
        "mailingcountry" => field("country"),
        "accountname" | "companyaccount" => field("company"),
        "contactid" => Some(Target::SalesforceId("Contact")),
        "leadid" => Some(Target::SalesforceId("Lead")),
        _ => None,
    }
}

/// The plan for a file's columns.
pub struct Columns {
    /// Each header and what it fills (in the file's order).
    pub targets: Vec<(String, Target)>,
    /// Which phone kinds win, first to last.
    pub phone_order: Vec<PhoneKind>,
    /// A Salesforce report: columns it does not recognise are skipped (not custom fields).
    pub salesforce: bool,
    /// Columns mapped with `--map` (they come first within their phone kind).
    mapped: Vec<String>,
    fields: Vec<&'static str>,
    read_only: Vec<&'static str>,
    custom_fields: bool,
}

/// `--phone mobile,phone`: the order phone columns win in.
pub fn phone_order(text: Option<&str>) -> Result<Vec<PhoneKind>> {
    let Some(text) = text else {
        return Ok(vec![PhoneKind::Mobile, PhoneKind::Phone]);
    };
    let mut out = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let kind = PhoneKind::parse(part).ok_or_else(|| {
            CliError::usage(format!(
                "--phone: {part:?} is not a phone column kind (use mobile, phone, other, home, e.g. --phone mobile,phone)"
            ))
        })?;
        if !out.contains(&kind) {
            out.push(kind);
        }
    }
    if out.is_empty() {
        return Err(CliError::usage(
            "--phone needs at least one of mobile, phone, other, home",
        ));
    }
    Ok(out)
}

/// `--map "Column=field"` pairs (an empty field skips the column).
pub fn parse_maps<'a>(items: impl Iterator<Item = &'a String>) -> Result<Vec<(String, String)>> {
    items
        .map(|m| {
            m.split_once('=')
                .map(|(c, f)| (c.trim().to_string(), f.trim().to_string()))
                .filter(|(c, _)| !c.is_empty())
                .ok_or_else(|| {
                    CliError::usage(format!(
                        "--map takes \"Column=field\" (e.g. --map \"Cell=phone\"), not {m:?}"
                    ))
                })
        })
        .collect()
}

impl Columns {
    /// The plan for `headers`. `fields`: the contact input fields; `read_only`: columns of
    /// an export that are not inputs (skipped); `custom_fields`: whether an unknown column
    /// is a custom field (import) or ignored (send-bulk).
    pub fn new(
        headers: &[String],
        maps: &[(String, String)],
        phone_order: Vec<PhoneKind>,
        fields: Vec<&'static str>,
        read_only: Vec<&'static str>,
        custom_fields: bool,
    ) -> Result<Columns> {
        for (column, _) in maps {
            if !headers.iter().any(|h| h == column || key(h) == key(column)) && !headers.is_empty()
            {
                return Err(CliError::usage(format!(
                    "--map names the column {column:?}, which the file does not have (columns: {})",
                    headers.join(", ")
                )));
            }
        }
        let mut plan = Columns {
            targets: Vec::new(),
            phone_order,
            salesforce: false,
            mapped: Vec::new(),
            fields,
            read_only,
            custom_fields,
        };
        let mut by_map: BTreeMap<String, Target> = BTreeMap::new();
        for (column, field) in maps {
            let target = plan.map_target(field)?;
            by_map.insert(key(column), target);
            plan.mapped.push(key(column));
        }
        plan.salesforce = headers.iter().any(|h| {
            let k = key(h);
            !by_map.contains_key(&k) && salesforce(&k).is_some() && plan.field_by_key(&k).is_none()
        });
        for h in headers {
            let target = match by_map.get(&key(h)) {
                Some(t) => t.clone(),
                None => plan.target(h),
            };
            plan.targets.push((h.clone(), target));
        }
        Ok(plan)
    }

    fn field_by_key(&self, k: &str) -> Option<&'static str> {
        self.fields.iter().copied().find(|f| key(f) == k)
    }

    /// What `--map Column=FIELD` names.
    fn map_target(&self, field: &str) -> Result<Target> {
        if field.is_empty() || field == "-" {
            return Ok(Target::Skip);
        }
        let k = key(field);
        if let Some(kind) = PhoneKind::parse(field) {
            return Ok(Target::Phone(kind));
        }
        match k.as_str() {
            "firstname" => return Ok(Target::FirstName),
            "lastname" => return Ok(Target::LastName),
            _ => {}
        }
        if let Some(f) = self.field_by_key(&k) {
            return Ok(Target::Field(f.to_string()));
        }
        if field
            .chars()
            .any(|c| c.is_control() || c == '[' || c == ']')
        {
            return Err(CliError::usage(format!(
                "--map: {field:?} is not a valid field name"
            )));
        }
        Ok(Target::Field(field.to_string()))
    }

    /// What a column fills when `--map` does not say.
    fn target(&self, header: &str) -> Target {
        let k = key(header);
        if header == ERROR_COLUMN || k.is_empty() || self.read_only.contains(&header) {
            return Target::Skip;
        }
        match k.as_str() {
            "phone" => return Target::Phone(PhoneKind::Phone),
            "otherphone" => return Target::Phone(PhoneKind::Other),
            _ => {}
        }
        if let Some(f) = self.field_by_key(&k) {
            return Target::Field(f.to_string());
        }
        if let Some(t) = salesforce(&k) {
            return t;
        }
        if self.salesforce || !self.custom_fields {
            Target::Skip
        } else {
            Target::Field(header.to_string())
        }
    }

    /// What `column` fills (also for keys of JSON lines that the header did not list).
    pub fn target_of(&self, column: &str) -> Target {
        self.targets
            .iter()
            .find(|(h, _)| h == column)
            .map(|(_, t)| t.clone())
            .unwrap_or_else(|| self.target(column))
    }

    /// The phone columns in the order they win.
    pub fn phone_columns(&self) -> Vec<&str> {
        let mut out = Vec::new();
        for kind in &self.phone_order {
            let of_kind = self
                .targets
                .iter()
                .filter(|(_, t)| *t == Target::Phone(*kind));
            let (mapped, auto): (Vec<_>, Vec<_>) =
                of_kind.partition(|(h, _)| self.mapped.contains(&key(h)));
            out.extend(mapped.into_iter().chain(auto).map(|(h, _)| h.as_str()));
        }
        out
    }

    /// Refuses a file without a usable phone column, before anything is sent.
    pub fn check_phone(&self, file: &str, headers: &[String]) -> Result<()> {
        if headers.is_empty() || !self.phone_columns().is_empty() {
            return Ok(());
        }
        let found: Vec<&str> = self
            .targets
            .iter()
            .filter_map(|(h, t)| match t {
                Target::Phone(kind) => Some((h, kind)),
                _ => None,
            })
            .map(|(h, _)| h.as_str())
            .collect();
        if !found.is_empty() {
            return Err(CliError::usage(format!(
                "{file}: --phone {} names no column of the file; its phone columns are {} (e.g. --phone {})",
                self.phone_order
                    .iter()
                    .map(|k| k.name())
                    .collect::<Vec<_>>()
                    .join(","),
                found.join(", "),
                self.targets
                    .iter()
                    .find_map(|(_, t)| match t {
                        Target::Phone(k) => Some(k.name()),
                        _ => None,
                    })
                    .unwrap_or("phone")
            )));
        }
        let guess = headers
            .iter()
            .find(|h| {
                let k = key(h);
                ["phone", "mobile", "cell", "tel", "number", "sms"]
                    .iter()
                    .any(|w| k.contains(w))
            })
            .map(String::as_str)
            .unwrap_or("COLUMN");
        Err(CliError::usage(format!(
            "{file} has no phone column (columns: {}); say which column holds the phone with --map \"{guess}=phone\"",
            headers.join(", ")
        )))
    }

    /// One line per column that is not sent as it is named: `Mobile Phone → phone`.
    pub fn describe(&self) -> Vec<String> {
        let order: Vec<&str> = self.phone_columns();
        self.targets
            .iter()
            .filter_map(|(h, t)| {
                let to = match t {
                    Target::Field(f) if f == h => return None,
                    Target::Field(f) => f.clone(),
                    Target::Phone(PhoneKind::Other) if !order.contains(&h.as_str()) => {
                        "other_phone".to_string()
                    }
                    Target::Phone(_) => match order.iter().position(|c| c == h) {
                        Some(0) if h == "phone" => return None,
                        Some(0) => "phone".to_string(),
                        Some(i) => format!(
                            "phone when {} empty",
                            order
                                .get(..i)
                                .map(|before| before.join(" and "))
                                .unwrap_or_default()
                                + if i > 1 { " are" } else { " is" }
                        ),
                        None => "not sent (not in --phone)".to_string(),
                    },
                    Target::FirstName => "name (first)".to_string(),
                    Target::LastName => "name (last)".to_string(),
                    Target::SalesforceId(kind) => {
                        format!("salesforce_object_id (salesforce_object_type {kind})")
                    }
                    Target::Skip if h == ERROR_COLUMN || self.read_only.contains(&h.as_str()) => {
                        return None;
                    }
                    Target::Skip => "not sent".to_string(),
                };
                Some(format!("{h} → {to}"))
            })
            .collect()
    }

    /// Where the phone comes from, when not simply from a `phone` column.
    pub fn describe_phone(&self) -> Option<String> {
        match self.phone_columns().as_slice() {
            [] | ["phone"] => None,
            cols => Some(format!("phone from {}", cols.join(", else "))),
        }
    }

    /// The chosen phone of a row, normalised: `Ok(None)` when every phone column is empty;
    /// `Err` names the column whose phone is not a phone number.
    pub fn phone(
        &self,
        row: &Row,
        country: &str,
    ) -> std::result::Result<Option<(String, String)>, String> {
        for column in self.phone_columns() {
            let Some(text) = row.text(column).filter(|t| !t.trim().is_empty()) else {
                continue;
            };
            return match avochato::normalize_phone(&text, country) {
                Ok(p) => Ok(Some((column.to_string(), p))),
                Err(e) => Err(format!("{column}: {}", validation_text(&e))),
            };
        }
        Ok(None)
    }

    /// Why a row has no phone.
    pub fn no_phone(&self) -> String {
        let cols = self.phone_columns();
        match cols.as_slice() {
            [] => "no phone column".to_string(),
            [one] => format!("no phone: {one} is empty"),
            many => format!("no phone: {} are empty", many.join(" and ")),
        }
    }

    /// A row as contact fields (before the core's checks): `Err` says why the row cannot be
    /// sent. `cell` turns one field's text into its JSON value.
    pub fn contact(
        &self,
        row: &Row,
        country: &str,
        cell: &dyn Fn(&str, &Value) -> Result<Option<Value>>,
    ) -> std::result::Result<Map<String, Value>, String> {
        let (phone_column, phone) = match self.phone(row, country)? {
            Some(p) => p,
            None => return Err(self.no_phone()),
        };
        let mut contact = Map::new();
        contact.insert("phone".into(), Value::String(phone));
        let (mut first, mut last, mut sf) = (None, None, None);
        for (column, value) in &row.values {
            let text = || match value {
                Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
                Value::Null => None,
                other => Some(other.to_string()),
            };
            match self.target_of(column) {
                Target::Skip => {}
                Target::Phone(PhoneKind::Other) if *column != phone_column => {
                    if let Some(t) = text() {
                        let p = avochato::normalize_phone(&t, country).unwrap_or(t);
                        contact.insert("other_phone".into(), Value::String(p));
                    }
                }
                Target::Phone(_) => {}
                Target::FirstName => first = text(),
                Target::LastName => last = text(),
                Target::SalesforceId(kind) => {
                    if let Some(id) = text() {
                        sf = Some((id, kind));
                    }
                }
                Target::Field(name) => {
                    if let Some(v) = cell(&name, value).map_err(|e| e.to_string())? {
                        contact.insert(name, v);
                    }
                }
            }
        }
        if !contact.contains_key("name") {
            let name: Vec<String> = [first, last].into_iter().flatten().collect();
            if !name.is_empty() {
                contact.insert("name".into(), Value::String(name.join(" ")));
            }
        }
        if let Some((id, kind)) = sf {
            contact
                .entry("salesforce_object_id")
                .or_insert(Value::String(id));
            contact
                .entry("salesforce_object_type")
                .or_insert(Value::String(kind.to_string()));
        }
        Ok(contact)
    }
}

/// A validation error's message without the field prefix the core adds.
pub fn validation_text(e: &avochato::Error) -> String {
    e.errors().first().cloned().unwrap_or_else(|| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(headers: &[&str], maps: &[(&str, &str)], order: Option<&str>) -> Result<Columns> {
        let headers: Vec<String> = headers.iter().map(|h| h.to_string()).collect();
        let maps: Vec<(String, String)> = maps
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        Columns::new(
            &headers,
            &maps,
            phone_order(order)?,
            vec![
                "phone",
                "name",
                "email",
                "company",
                "city",
                "other_phone",
                "tags",
            ],
            vec!["id", "created_at"],
            true,
        )
    }

    fn row(pairs: &[(&str, &str)]) -> Row {
        Row {
            number: 1,
            values: pairs
                .iter()
                .map(|(k, v)| (k.to_string(), Value::String(v.to_string())))
                .collect(),
        }
    }

    fn text_cell(_: &str, v: &Value) -> Result<Option<Value>> {
        Ok(v.as_str()
            .filter(|s| !s.trim().is_empty())
            .map(|s| Value::String(s.into())))
    }

    #[test]
    fn a_salesforce_contact_report_maps_to_contact_fields() {
        let p = plan(
            &[
                "Contact ID",
                "First Name",
                "Last Name",
                "Mobile Phone",
                "Phone",
                "Other Phone",
                "Email",
                "Mailing City",
                "Account Name",
                "Lead Source",
            ],
            &[],
            None,
        )
        .unwrap();
        assert!(p.salesforce);
        assert_eq!(p.phone_columns(), ["Mobile Phone", "Phone"]);
        let r = row(&[
            ("Contact ID", "0035e00000AbCdE"),
            ("First Name", "Ada"),
            ("Last Name", "Lovelace"),
            ("Mobile Phone", "(415) 555-0101"),
            ("Phone", "415.555.0199"),
            ("Other Phone", "415 555 0142"),
            ("Email", "ada@example.com"),
            ("Mailing City", "London"),
            ("Account Name", "Analytical Engines"),
            ("Lead Source", "Web"),
        ]);
        let c = p.contact(&r, "US", &text_cell).unwrap();
        assert_eq!(
            Value::Object(c),
            serde_json::json!({
                "phone": "+14155550101", "name": "Ada Lovelace", "email": "ada@example.com",
                "other_phone": "+14155550142", "city": "London", "company": "Analytical Engines",
                "salesforce_object_id": "0035e00000AbCdE", "salesforce_object_type": "Contact",
            })
        );
        // Phone wins when mobile is empty, or when --phone says so.
        let r2 = row(&[("Mobile Phone", ""), ("Phone", "415.555.0199")]);
        assert_eq!(
            p.contact(&r2, "US", &text_cell).unwrap()["phone"],
            "+14155550199"
        );
        let p2 = plan(&["Mobile Phone", "Phone"], &[], Some("phone,mobile")).unwrap();
        let r3 = row(&[("Mobile Phone", "4155550101"), ("Phone", "4155550199")]);
        assert_eq!(
            p2.contact(&r3, "US", &text_cell).unwrap()["phone"],
            "+14155550199"
        );
        // A phone that cannot be normalised names its column.
        let bad = row(&[("Mobile Phone", "call me"), ("Phone", "4155550199")]);
        assert!(
            p.contact(&bad, "US", &text_cell)
                .unwrap_err()
                .starts_with("Mobile Phone: ")
        );
        let none = row(&[("Mobile Phone", ""), ("Phone", " ")]);
        assert_eq!(
            p.contact(&none, "US", &text_cell).unwrap_err(),
            "no phone: Mobile Phone and Phone are empty"
        );
    }

    #[test]
    fn a_lead_report_and_api_names() {
        let p = plan(
            &[
                "Lead ID",
                "FirstName",
                "LastName",
                "MobilePhone",
                "Company / Account",
                "State/Province",
            ],
            &[],
            None,
        )
        .unwrap();
        let r = row(&[
            ("Lead ID", "00Q5e0000012345"),
            ("FirstName", "Grace"),
            ("MobilePhone", "+44 20 7946 0958"),
            ("Company / Account", "Navy"),
            ("State/Province", "VA"),
        ]);
        let c = p.contact(&r, "US", &text_cell).unwrap();
        assert_eq!(c["salesforce_object_type"], "Lead");
        assert_eq!(c["phone"], "+442079460958");
        assert_eq!(c["name"], "Grace");
        assert_eq!(c["company"], "Navy");
        assert_eq!(c["state"], "VA");
    }

    #[test]
    fn no_phone_column_is_refused_with_the_columns_and_the_map_to_use() {
        let p = plan(&["First Name", "Cell", "Email"], &[], None).unwrap();
        let e = p
            .check_phone(
                "x.csv",
                &p.targets.iter().map(|(h, _)| h.clone()).collect::<Vec<_>>(),
            )
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("columns: First Name, Cell, Email") && e.contains("--map \"Cell=phone\""),
            "{e}"
        );
        let p = plan(&["First Name", "Cell", "Email"], &[("Cell", "phone")], None).unwrap();
        assert_eq!(p.phone_columns(), ["Cell"]);
        assert!(plan(&["phone"], &[("Nope", "name")], None).is_err());
        assert!(phone_order(Some("mobile,fax")).is_err());
    }

    #[test]
    fn plain_files_keep_custom_fields_and_reports_skip_unknown_columns() {
        let p = plan(&["phone", "Name", "plan"], &[], None).unwrap();
        assert!(!p.salesforce);
        assert_eq!(p.target_of("plan"), Target::Field("plan".into()));
        assert_eq!(p.target_of("Name"), Target::Field("name".into()));
        assert_eq!(p.target_of("created_at"), Target::Skip);
        let p = plan(
            &["Mobile Phone", "Lead Source", "Title"],
            &[("Title", "title")],
            None,
        )
        .unwrap();
        assert_eq!(p.target_of("Lead Source"), Target::Skip);
        assert_eq!(p.target_of("Title"), Target::Field("title".into()));
        assert!(p.describe().contains(&"Lead Source → not sent".to_string()));
    }
}
