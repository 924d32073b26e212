//! Phone numbers to E.164, the key Avochato matches Salesforce `Phone`/`MobilePhone` on.

use crate::error::{Error, Result};

/// Country calling codes by ISO 3166 alpha-2 code (NANP countries share `1`).
const CALLING_CODES: &[(&str, &str)] = &[
    ("US", "1"),
    ("CA", "1"),
    ("PR", "1"),
    ("GU", "1"),
    ("VI", "1"),
    ("AS", "1"),
    ("MP", "1"),
    ("GB", "44"),
    ("IE", "353"),
    ("AU", "61"),
    ("NZ", "64"),
    ("DE", "49"),
    ("FR", "33"),
    ("ES", "34"),
    ("IT", "39"),
    ("NL", "31"),
    ("BE", "32"),
    ("CH", "41"),
    ("AT", "43"),
    ("SE", "46"),
    ("NO", "47"),
    ("DK", "45"),
    ("FI", "358"),
    ("PT", "351"),
    ("PL", "48"),
    ("MX", "52"),
    ("BR", "55"),
    ("AR", "54"),
    ("CL", "56"),
    ("CO", "57"),
    ("PE", "51"),
    ("IN", "91"),
    ("CN", "86"),
    ("JP", "81"),
    ("KR", "82"),
    ("SG", "65"),
    ("HK", "852"),
    ("PH", "63"),
    ("ZA", "27"),
    ("IL", "972"),
    ("AE", "971"),
];

/// Whether `s` is E.164: `+`, a non-zero digit, 8 to 15 digits in all.
pub fn is_e164(s: &str) -> bool {
    let Some(digits) = s.strip_prefix('+') else {
        return false;
    };
    (8..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0')
}

fn calling_code(country: &str) -> Option<&'static str> {
    let c = country.trim();
    let upper = c.to_ascii_uppercase();
    if let Some((_, code)) = CALLING_CODES.iter().find(|(iso, _)| *iso == upper) {
        return Some(code);
    }
    // A numeric calling code, with or without '+'.
    let digits = c.trim_start_matches('+');
    CALLING_CODES
        .iter()
        .map(|(_, code)| *code)
        .find(|code| *code == digits)
}

/// Drops a trailing extension: `x12`, `ext. 12`, `extension 12`, `#12`.
fn strip_extension(s: &str) -> &str {
    let lower = s.to_ascii_lowercase();
    for marker in ["extension", "ext.", "ext", "x", "#"] {
        if let Some(pos) = lower.rfind(marker) {
            let tail = lower.get(pos + marker.len()..).unwrap_or_default().trim();
            let head = s.get(..pos).unwrap_or_default();
            let head_ends_in_number = head
                .trim_end()
                .ends_with(|c: char| c.is_ascii_digit() || c == ')');
            if !tail.is_empty() && tail.bytes().all(|b| b.is_ascii_digit()) && head_ends_in_number {
                return head.trim_end();
            }
        }
    }
    s
}

/// Normalises a phone number written in the usual ways (`(415) 555-1234`, `415.555.1234`,
/// `+1 415 555 1234`, `00 44 20 7946 0958`, `020 7946 0958` with country `GB`) to E.164.
///
/// `default_country` (ISO code such as `"US"`, or a calling code such as `"44"`) applies
/// to numbers without an international prefix. Extensions are dropped. Letters, and digit
/// counts no country uses, are refused with a validation error.
pub fn normalize_phone(input: &str, default_country: &str) -> Result<String> {
    let bad =
        |why: &str| Error::validation("phone", format!("{} {why}", crate::text::quoted(input)));
    // "+44 (0)20 ..." writes the national trunk prefix in brackets: it is not dialled.
    let cleaned = input.trim().replace("(0)", "");
    let text = strip_extension(&cleaned);
    if text.is_empty() {
        return Err(bad("is empty"));
    }
    if let Some(c) = text
        .chars()
        .find(|c| !(c.is_ascii_digit() || " -.()/+\u{a0}".contains(*c)))
    {
        return Err(bad(&format!(
            "contains {}, which is not part of a phone number",
            crate::text::quoted(&c.to_string())
        )));
    }
    if text.chars().skip(1).any(|c| c == '+') {
        return Err(bad("has '+' in the middle"));
    }
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let code = calling_code(default_country).ok_or_else(|| {
        Error::validation(
            "default_country",
            format!("unknown country {}", crate::text::quoted(default_country)),
        )
    })?;

    let international = if text.starts_with('+') {
        Some(digits.clone())
    } else if code == "1" && digits.starts_with("011") {
        digits.get(3..).map(str::to_string)
    } else if code != "1" && digits.starts_with("00") {
        digits.get(2..).map(str::to_string)
    } else {
        None
    };
    let e164 = match international {
        Some(d) => format!("+{d}"),
        None if code == "1" => match digits.len() {
            10 => format!("+1{digits}"),
            11 if digits.starts_with('1') => format!("+{digits}"),
            n => {
                return Err(bad(&format!(
                    "has {n} digits; a North American number has 10"
                )));
            }
        },
        None => {
            let national = digits.strip_prefix('0').unwrap_or(&digits);
            format!("+{code}{national}")
        }
    };
    if !is_e164(&e164) {
        return Err(bad("does not make a valid E.164 number"));
    }
    if e164.starts_with("+1") {
        // NANP area codes start with 2-9.
        if matches!(e164.as_bytes().get(2), Some(b'0' | b'1')) || e164.len() != 12 {
            return Err(bad("is not a valid North American number"));
        }
    }
    Ok(e164)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn us_formats() {
        for input in [
            "(415) 555-1234",
            "415.555.1234",
            "+1 415 555 1234",
            "4155551234",
            "1-415-555-1234",
            "415-555-1234 x12",
            "(415) 555-1234 ext. 7",
            "011 1 415 555 1234",
        ] {
            assert_eq!(
                normalize_phone(input, "US").unwrap(),
                "+14155551234",
                "{input}"
            );
        }
    }

    #[test]
    fn other_countries() {
        assert_eq!(
            normalize_phone("020 7946 0958", "GB").unwrap(),
            "+442079460958"
        );
        assert_eq!(
            normalize_phone("00 44 20 7946 0958", "DE").unwrap(),
            "+442079460958"
        );
        assert_eq!(
            normalize_phone("+44 (0)20 7946 0958", "US").unwrap(),
            "+442079460958"
        );
        assert_eq!(
            normalize_phone("0612345678", "+33").unwrap(),
            "+33612345678"
        );
    }

    #[test]
    fn refusals() {
        for bad in [
            "",
            "555-1234",
            "1-800-FLOWERS",
            "+1 415 + 555",
            "(015) 555-1234",
            "12345678901234567",
        ] {
            let e = normalize_phone(bad, "US").unwrap_err();
            assert_eq!(e.kind(), crate::ErrorKind::Validation, "{bad}");
        }
        assert!(normalize_phone("4155551234", "ZZ").is_err());
    }

    #[test]
    fn e164_shape() {
        assert!(is_e164("+14155551234"));
        assert!(!is_e164("14155551234"));
        assert!(!is_e164("+04155551234"));
        assert!(!is_e164("+1415555"));
    }
}
