//! `normalize_phone`, with the default countries hosts pass (ISO codes, calling codes, and
//! some it must refuse).
//!
//! Invariants: nothing panics; a refusal is a validation error naming `phone` or
//! `default_country`; a result is E.164 (`+`, a non-zero digit, 8 to 15 digits), passes the
//! parameter checks for a phone and for E.164, and normalises to itself under any country.

use avochato::{ErrorKind, is_e164, normalize_phone, validate};

/// The default countries the phone target picks from (its first byte, mod the length).
pub const COUNTRIES: &[&str] = &[
    "US", "GB", "DE", "FR", "IN", "AU", "CA", "IE", "BR", "HK", "44", "+33", "1", "358", "us",
    " gb ", "", "ZZ", "+", "0", "USA", "é",
];

pub(crate) fn run(data: &[u8]) {
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    let Ok(input) = std::str::from_utf8(rest) else {
        return;
    };
    let country = COUNTRIES
        .get(usize::from(sel) % COUNTRIES.len())
        .copied()
        .unwrap_or("US");
    // The parameter checks take any text.
    let _ = validate::phone("phone", input);
    let _ = validate::e164("phone", input);
    match normalize_phone(input, country) {
        Ok(out) => {
            let digits = out.strip_prefix('+').unwrap_or_default();
            assert!(
                is_e164(&out)
                    && (8..=15).contains(&digits.len())
                    && digits.bytes().all(|b| b.is_ascii_digit()),
                "{input:?} ({country}) gave {out:?}, not E.164"
            );
            for c in [country, "US", "GB", "44"] {
                match normalize_phone(&out, c) {
                    Ok(again) => assert_eq!(
                        again, out,
                        "{input:?} ({country}): not idempotent under {c}"
                    ),
                    Err(e) => panic!("{input:?} ({country}) gave {out:?}, which {c} refuses: {e}"),
                }
            }
            assert!(
                validate::phone("phone", &out).is_ok(),
                "{out:?} fails the phone check"
            );
            assert!(
                validate::e164("phone", &out).is_ok(),
                "{out:?} fails the E.164 check"
            );
        }
        Err(e) => {
            assert_eq!(e.kind(), ErrorKind::Validation, "{input:?}: {e}");
            assert!(
                matches!(e.param(), Some("phone" | "default_country")),
                "{input:?}: the error names {:?}",
                e.param()
            );
        }
    }
}
