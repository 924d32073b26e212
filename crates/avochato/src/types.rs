//! Small value types shared by parameters and models.

use std::fmt;
use std::ops::{Deref, DerefMut};

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// A point in time as the API writes it: seconds since the Unix epoch, with a fraction.
///
/// Decodes from an integer, a float, a numeric string or an ISO-8601 string (the
/// `created_at` of `/v1/whoami`); always encodes as a number.
#[derive(Clone, Copy, Debug, Default, PartialEq, PartialOrd)]
pub struct Timestamp(pub f64);

impl Timestamp {
    /// From seconds since the epoch.
    pub fn from_secs(secs: f64) -> Self {
        Timestamp(secs)
    }
    /// Seconds since the epoch.
    pub fn as_secs(self) -> f64 {
        self.0
    }
    /// The current time.
    pub fn now() -> Self {
        Timestamp(crate::rt::now_secs())
    }
    /// A time given as JSON: a number, a numeric string or an ISO-8601 string (`None`: none
    /// of these, or not finite). The same rules as its `Deserialize`, without serde.
    pub fn from_json(v: &serde_json::Value) -> Option<Self> {
        let secs = match v {
            serde_json::Value::Number(n) => n.as_f64()?,
            serde_json::Value::String(s) => Self::from_text(s)?,
            _ => return None,
        };
        secs.is_finite().then_some(Timestamp(secs))
    }

    fn from_text(v: &str) -> Option<f64> {
        let t = v.trim();
        if let Some(n) = crate::text::decimal(t)
            && n.is_finite()
        {
            return Some(n);
        }
        parse_iso8601(t)
    }

    /// Parses an ISO-8601 / RFC 3339 date-time (`2026-03-31T10:56:37.252-07:00`).
    pub fn parse_iso8601(text: &str) -> Option<Self> {
        parse_iso8601(text).map(Timestamp)
    }
    /// The time in UTC, to the second: `2026-03-31T17:56:37Z`.
    pub fn to_iso8601(self) -> String {
        let secs = self.0.floor() as i64;
        let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
        let (y, m, d) = civil_from_days(days);
        format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
            rem / 3600,
            rem % 3600 / 60,
            rem % 60
        )
    }
}

impl From<f64> for Timestamp {
    fn from(secs: f64) -> Self {
        Timestamp(secs)
    }
}
impl From<i64> for Timestamp {
    fn from(secs: i64) -> Self {
        Timestamp(secs as f64)
    }
}
impl From<std::time::SystemTime> for Timestamp {
    fn from(t: std::time::SystemTime) -> Self {
        match t.duration_since(std::time::UNIX_EPOCH) {
            Ok(d) => Timestamp(d.as_secs_f64()),
            Err(e) => Timestamp(-e.duration().as_secs_f64()),
        }
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if !self.0.is_finite() {
            return Err(serde::ser::Error::custom(format!(
                "must be a finite time, got {}",
                self.0
            )));
        }
        s.serialize_f64(self.0)
    }
}

/// Serializes an optional number, refusing NaN and infinities (which JSON cannot carry:
/// serde_json would send them as `null`, dropping the value without a word).
pub(crate) fn finite_opt<S: Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(x) if !x.is_finite() => Err(serde::ser::Error::custom(format!(
            "must be a finite number, got {}",
            crate::text::number(*x)
        ))),
        Some(x) => s.serialize_some(x),
        None => s.serialize_none(),
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Timestamp;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a Unix timestamp (number) or an ISO-8601 date-time")
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Timestamp, E> {
                Ok(Timestamp(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Timestamp, E> {
                Ok(Timestamp(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Timestamp, E> {
                Ok(Timestamp(v as f64))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Timestamp, E> {
                Timestamp::from_text(v).map(Timestamp).ok_or_else(|| {
                    E::custom(format!("not a timestamp: {}", crate::text::quoted(v)))
                })
            }
        }
        d.deserialize_any(V)
    }
}

/// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (the inverse of
/// [`days_from_civil`]).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn parse_iso8601(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        let part = s.get(from..from + len)?;
        if part.bytes().all(|c| c.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    let year = num(0, 4)?;
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let month = num(5, 2)?;
    let day = num(8, 2)?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let mut secs = days_from_civil(year, month, day) as f64 * 86_400.0;
    let mut i = 10;
    if matches!(b.get(10), Some(b'T' | b't' | b' ')) {
        let hour = num(11, 2)?;
        if b.get(13) != Some(&b':') {
            return None;
        }
        let minute = num(14, 2)?;
        let mut second = 0;
        i = 16;
        if b.get(16) == Some(&b':') {
            second = num(17, 2)?;
            i = 19;
        }
        if hour > 23 || minute > 59 || second > 60 {
            return None;
        }
        secs += (hour * 3600 + minute * 60 + second) as f64;
        if matches!(b.get(i), Some(b'.' | b',')) {
            let start = i + 1;
            let mut end = start;
            while b.get(end).is_some_and(u8::is_ascii_digit) {
                end += 1;
            }
            let digits = s.get(start..end)?;
            if digits.is_empty() {
                return None;
            }
            let frac = crate::text::decimal(&format!("0.{digits}"))?;
            secs += frac;
            i = end;
        }
    }
    match b.get(i) {
        None => Some(secs),
        Some(b'Z' | b'z') if i + 1 == b.len() => Some(secs),
        Some(sign @ (b'+' | b'-')) => {
            let hours = num(i + 1, 2)?;
            let rest = s.get(i + 3..)?;
            let minutes = match rest.strip_prefix(':') {
                Some(m) if m.len() == 2 => m.parse::<i64>().ok()?,
                None if rest.len() == 2 => rest.parse::<i64>().ok()?,
                None if rest.is_empty() => 0,
                _ => return None,
            };
            let offset = (hours * 3600 + minutes * 60) as f64;
            Some(if *sign == b'+' {
                secs - offset
            } else {
                secs + offset
            })
        }
        _ => None,
    }
}

/// A JSON object of free-form fields (contact custom fields, callback payloads).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct JsonMap(pub serde_json::Map<String, serde_json::Value>);

impl Deref for JsonMap {
    type Target = serde_json::Map<String, serde_json::Value>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}
impl DerefMut for JsonMap {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}
impl From<serde_json::Map<String, serde_json::Value>> for JsonMap {
    fn from(m: serde_json::Map<String, serde_json::Value>) -> Self {
        JsonMap(m)
    }
}
impl<K: Into<String>, V: Into<serde_json::Value>> FromIterator<(K, V)> for JsonMap {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        JsonMap(
            iter.into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )
    }
}

/// Any JSON value the API leaves open (`sms_errors`, `twilio_payload`, `option_data`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct JsonValue(pub serde_json::Value);

impl Deref for JsonValue {
    type Target = serde_json::Value;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

/// One or more ids for a `:ids` route. Accepts a single string or a list; each id is
/// percent-encoded and the list joined with commas into one path segment.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Ids(pub Vec<String>);

impl<'de> Deserialize<'de> for Ids {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        one_or_many(d).map(Ids)
    }
}

/// A string, or a list of strings (without serde's buffering `untagged`).
pub(crate) fn one_or_many<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Vec<String>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string or a list of strings")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(vec![v.to_string()])
        }
        fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
            while let Some(s) = seq.next_element::<String>()? {
                out.push(s);
            }
            Ok(out)
        }
    }
    d.deserialize_any(V)
}

impl Deref for Ids {
    type Target = [String];
    fn deref(&self) -> &[String] {
        &self.0
    }
}
impl From<&str> for Ids {
    fn from(s: &str) -> Self {
        Ids(vec![s.to_string()])
    }
}
impl From<String> for Ids {
    fn from(s: String) -> Self {
        Ids(vec![s])
    }
}
impl From<Vec<String>> for Ids {
    fn from(v: Vec<String>) -> Self {
        Ids(v)
    }
}
impl From<Vec<&str>> for Ids {
    fn from(v: Vec<&str>) -> Self {
        Ids(v.into_iter().map(str::to_string).collect())
    }
}
impl<const N: usize> From<[&str; N]> for Ids {
    fn from(v: [&str; N]) -> Self {
        Ids(v.iter().map(|s| s.to_string()).collect())
    }
}
impl From<&[&str]> for Ids {
    fn from(v: &[&str]) -> Self {
        Ids(v.iter().map(|s| s.to_string()).collect())
    }
}

/// A time window, sent as `name[from]` / `name[to]` (`created_at[from]=...`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct TimeRange {
    /// Start of the window (Unix seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub from: Option<Timestamp>,
    /// End of the window (Unix seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub to: Option<Timestamp>,
}

impl TimeRange {
    /// An open window (set [`TimeRange::from`] and/or [`TimeRange::to`]).
    pub fn new() -> Self {
        Self::default()
    }
    /// Sets the start.
    #[must_use]
    pub fn from(mut self, from: impl Into<Timestamp>) -> Self {
        self.from = Some(from.into());
        self
    }
    /// Sets the end.
    #[must_use]
    pub fn to(mut self, to: impl Into<Timestamp>) -> Self {
        self.to = Some(to.into());
        self
    }
    /// The window from `from` to `to`.
    pub fn between(from: impl Into<Timestamp>, to: impl Into<Timestamp>) -> Self {
        TimeRange {
            from: Some(from.into()),
            to: Some(to.into()),
        }
    }
    /// Everything after `from`.
    pub fn since(from: impl Into<Timestamp>) -> Self {
        TimeRange {
            from: Some(from.into()),
            to: None,
        }
    }
    /// Everything before `to`.
    pub fn until(to: impl Into<Timestamp>) -> Self {
        TimeRange {
            from: None,
            to: Some(to.into()),
        }
    }
}

/// Whole numbers in responses: `2` or `2.0` (a JSON parser in JavaScript cannot tell them
/// apart, so neither does the SDK).
pub mod whole {
    use super::*;

    struct V;
    impl Visitor<'_> for V {
        type Value = i64;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a whole number")
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<i64, E> {
            Ok(v)
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<i64, E> {
            i64::try_from(v).map_err(|_| E::custom("a whole number out of range"))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<i64, E> {
            if v.fract() == 0.0
                && (-9.223_372_036_854_775e18..9.223_372_036_854_775e18).contains(&v)
            {
                Ok(v as i64)
            } else {
                Err(E::invalid_type(de::Unexpected::Float(v), &self))
            }
        }
    }

    /// A whole number.
    pub fn number<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
        d.deserialize_any(V)
    }

    /// An optional whole number (`null` is absent).
    pub fn optional<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
        struct O;
        impl<'de> Visitor<'de> for O {
            type Value = Option<i64>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a whole number or null")
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                number(d).map(Some)
            }
        }
        d.deserialize_option(O)
    }
}

/// Serde helpers for booleans: lenient on input, documented form on the wire.
pub mod flag {
    use super::*;

    fn parse<E: de::Error>(v: &str) -> Result<bool, E> {
        match v.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "y" | "on" => Ok(true),
            "false" | "0" | "no" | "n" | "off" | "" => Ok(false),
            other => Err(E::custom(format!(
                "expected a boolean, got {}",
                crate::text::quoted(other)
            ))),
        }
    }

    struct BoolVisitor;
    impl Visitor<'_> for BoolVisitor {
        type Value = bool;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a boolean (true/false, 1/0)")
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<bool, E> {
            Ok(v)
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<bool, E> {
            match v {
                0 => Ok(false),
                1 => Ok(true),
                _ => Err(E::custom(format!("expected 0 or 1, got {v}"))),
            }
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<bool, E> {
            self.visit_i64(i64::try_from(v).unwrap_or(i64::MAX))
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
            parse(v)
        }
    }

    /// Accepts `true`, `"true"`, `1`, `"1"` and their negatives.
    pub fn lenient<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
        d.deserialize_any(BoolVisitor)
    }

    /// [`lenient`] for an optional field (`null` is absent).
    pub fn lenient_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
        struct OptVisitor;
        impl<'de> Visitor<'de> for OptVisitor {
            type Value = Option<bool>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a boolean or null")
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                lenient(d).map(Some)
            }
        }
        d.deserialize_option(OptVisitor)
    }

    /// Encodes as the string `"true"`/`"false"`, as the examples send `mark_addressed`.
    pub fn as_word<S: Serializer>(v: &Option<bool>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(b) => s.serialize_str(if *b { "true" } else { "false" }),
            None => s.serialize_none(),
        }
    }

    /// Encodes as the string `"1"`/`"0"`, as the examples send `recursive` and `all`.
    pub fn as_digit<S: Serializer>(v: &Option<bool>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(b) => s.serialize_str(if *b { "1" } else { "0" }),
            None => s.serialize_none(),
        }
    }
}

/// A comma-separated list (`tags`, `via_tags`, `via_phone_numbers`): given as a list or as
/// one string, sent as one comma-separated string, as the examples do.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CsvList(pub Vec<String>);

impl CsvList {
    /// The items, trimmed.
    pub fn items(&self) -> impl Iterator<Item = &str> {
        self.0
            .iter()
            .flat_map(|s| s.split(','))
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }
}

impl fmt::Display for CsvList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.join(","))
    }
}

impl Serialize for CsvList {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.join(","))
    }
}

impl<'de> Deserialize<'de> for CsvList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        one_or_many(d).map(CsvList)
    }
}

impl From<&str> for CsvList {
    fn from(s: &str) -> Self {
        CsvList(vec![s.to_string()])
    }
}
impl From<String> for CsvList {
    fn from(s: String) -> Self {
        CsvList(vec![s])
    }
}
impl From<Vec<String>> for CsvList {
    fn from(v: Vec<String>) -> Self {
        CsvList(v)
    }
}
impl From<Vec<&str>> for CsvList {
    fn from(v: Vec<&str>) -> Self {
        CsvList(v.into_iter().map(str::to_string).collect())
    }
}
impl<const N: usize> From<[&str; N]> for CsvList {
    fn from(v: [&str; N]) -> Self {
        CsvList(v.iter().map(|s| s.to_string()).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_format_as_utc_and_parse_back() {
        for secs in [
            0.0,
            951_782_400.5,
            1_774_979_797.945,
            -86_400.0,
            4_102_444_799.0,
        ] {
            let text = Timestamp(secs).to_iso8601();
            assert_eq!(
                Timestamp::parse_iso8601(&text),
                Some(Timestamp(secs.floor())),
                "{text}"
            );
        }
        assert_eq!(
            Timestamp(1_774_979_797.9).to_iso8601(),
            "2026-03-31T17:56:37Z"
        );
        assert_eq!(
            Timestamp(951_782_400.0).to_iso8601(),
            "2000-02-29T00:00:00Z"
        );
    }

    #[test]
    fn timestamp_accepts_every_documented_form() {
        let int: Timestamp = serde_json::from_str("1774979797").unwrap_or_default();
        assert_eq!(int.as_secs(), 1_774_979_797.0);
        let float: Timestamp = serde_json::from_str("1774979797.138836").unwrap_or_default();
        assert!((float.as_secs() - 1_774_979_797.138836).abs() < 1e-6);
        let iso: Timestamp =
            serde_json::from_str("\"2026-03-31T10:56:37.252-07:00\"").unwrap_or_default();
        // 2026-03-31T17:56:37.252Z
        assert!(
            (iso.as_secs() - 1_774_979_797.252).abs() < 1e-6,
            "{}",
            iso.as_secs()
        );
        assert!(serde_json::from_str::<Timestamp>("\"yesterday\"").is_err());
    }

    #[test]
    fn iso8601_variants() {
        assert_eq!(parse_iso8601("1970-01-01T00:00:00Z"), Some(0.0));
        assert_eq!(parse_iso8601("1970-01-02"), Some(86_400.0));
        assert_eq!(parse_iso8601("1970-01-01T01:00:00+01:00"), Some(0.0));
        assert_eq!(parse_iso8601("1970-01-01T00:00:00+0100"), Some(-3600.0));
        assert_eq!(parse_iso8601("2000-02-29T12:00:00Z"), Some(951_825_600.0));
        assert_eq!(parse_iso8601("1970-13-01"), None);
        assert_eq!(parse_iso8601("1970-01-01T00:00:00Zjunk"), None);
        assert_eq!(parse_iso8601(""), None);
    }

    #[test]
    fn ids_accept_one_or_many() {
        let one: Ids = serde_json::from_str("\"a\"").unwrap_or_default();
        assert_eq!(one.0, vec!["a"]);
        let many: Ids = serde_json::from_str("[\"a\",\"b\"]").unwrap_or_default();
        assert_eq!(many.0, vec!["a", "b"]);
    }

    #[test]
    fn flags_are_lenient_on_input() {
        #[derive(Deserialize)]
        struct F {
            #[serde(default, deserialize_with = "flag::lenient_opt")]
            f: Option<bool>,
        }
        for (text, want) in [
            ("true", Some(true)),
            ("\"true\"", Some(true)),
            ("\"1\"", Some(true)),
            ("0", Some(false)),
            ("null", None),
        ] {
            let v: F = serde_json::from_str(&format!("{{\"f\":{text}}}")).unwrap_or(F {
                f: Some(!want.unwrap_or(true)),
            });
            assert_eq!(v.f, want, "{text}");
        }
        assert!(serde_json::from_str::<F>("{\"f\":\"maybe\"}").is_err());
    }
}
