//! Secret redaction (`Secret::redact`, which every error, log line and recorded request goes
//! through), with arbitrary secrets and texts.
//!
//! Invariants: nothing panics; a secret under 4 bytes leaves the text alone; a text
//! without a redaction comes back unchanged; no stretch of text left between redactions
//! holds the secret as it is, percent-encoded, form-encoded, JSON-escaped (`\uXXXX` or the
//! short escapes) or HTML-escaped (`&#N;`, `&#xX;`).

use avochato::{REDACTED, Secret};

pub(crate) fn run(data: &[u8]) {
    let Some((&n, rest)) = data.split_first() else {
        return;
    };
    let Ok(all) = std::str::from_utf8(rest) else {
        return;
    };
    // The secret: the first 1 to 32 characters.
    let chars = usize::from(n % 32) + 1;
    let split = all.char_indices().nth(chars).map_or(all.len(), |(i, _)| i);
    let (secret, text) = all.split_at(split);
    let out = Secret::new(secret).redact(text);
    // The core leaves secrets under 4 bytes alone.
    if secret.len() < 4 || !out.contains(REDACTED) {
        assert_eq!(out, text, "nothing to redact, yet the text changed");
        return;
    }
    // Only where no `[` could be mistaken for the start of a redaction.
    if secret.contains('[') || text.contains('[') {
        return;
    }
    let forms = writings(secret);
    for piece in out.split(REDACTED) {
        for w in &forms {
            assert!(
                !piece.contains(w.as_str()),
                "{secret:?} left as {w:?} in {out:?} (from {text:?})"
            );
        }
    }
}

/// Whole-secret writings of `secret`: each one a way the same text is escaped throughout.
fn writings(secret: &str) -> Vec<String> {
    let mut out = vec![secret.to_string()];
    out.push(secret.bytes().map(|b| format!("%{b:02X}")).collect());
    out.push(secret.bytes().map(|b| format!("%{b:02x}")).collect());
    out.push(form_urlencoded::byte_serialize(secret.as_bytes()).collect());
    out.push(
        secret
            .encode_utf16()
            .map(|u| format!("\\u{u:04x}"))
            .collect(),
    );
    if let Some(escaped) = serde_json::to_string(secret)
        .ok()
        .and_then(|q| Some(q.strip_prefix('"')?.strip_suffix('"')?.to_string()))
    {
        out.push(escaped);
    }
    out.push(
        secret
            .chars()
            .map(|c| format!("&#{};", u32::from(c)))
            .collect(),
    );
    out.push(
        secret
            .chars()
            .map(|c| format!("&#x{:x};", u32::from(c)))
            .collect(),
    );
    out
}
