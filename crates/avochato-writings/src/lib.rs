//! Where a text holds a string however it is written there: as it is, percent-encoded
//! (either case of hex), `+` for a space, JSON-escaped (`\u0022`, `\"`, surrogate pairs; also
//! escaped twice, `\\u0022`),
//! HTML-escaped (`&quot;`, `&#34;`, `&#x22;`), or any mix of these, character by character.

/// Where `secret` ends if it is written at `at` in `text` (the longest writing).
pub fn match_at(text: &[u8], at: usize, secret: &[char]) -> Option<usize> {
    let first = *secret.first()?;
    let b = *text.get(at)?;
    let mut buf = [0u8; 4];
    let lead = first.encode_utf8(&mut buf).as_bytes().first().copied();
    let may_start =
        Some(b) == lead || matches!(b, b'%' | b'\\' | b'&') || (b == b'+' && first == ' ');
    if !may_start {
        return None;
    }
    let mut positions = vec![at];
    let mut next = Vec::new();
    for &c in secret {
        next.clear();
        for &p in &positions {
            char_ends(text, p, c, &mut next);
        }
        if next.is_empty() {
            return None;
        }
        // A handful of positions: an insertion sort (the standard one weighs 3 KB in wasm).
        for i in 1..next.len() {
            let mut j = i;
            while j > 0 && next.get(j - 1) > next.get(j) {
                next.swap(j - 1, j);
                j -= 1;
            }
        }
        next.dedup();
        std::mem::swap(&mut positions, &mut next);
    }
    positions.last().copied()
}

fn hex(b: u8) -> Option<u32> {
    (b as char).to_digit(16)
}

/// Every position where a writing of `c` that starts at `at` ends.
fn char_ends(text: &[u8], at: usize, c: char, out: &mut Vec<usize>) {
    let Some(&first) = text.get(at) else {
        return;
    };
    let mut buf = [0u8; 4];
    let utf8 = c.encode_utf8(&mut buf).as_bytes();
    if text.get(at..at + utf8.len()) == Some(utf8) {
        out.push(at + utf8.len());
    }
    match first {
        b'+' if c == ' ' => out.push(at + 1),
        b'%' => {
            let mut p = at;
            let all = utf8.iter().all(|&byte| {
                let ok = text.get(p) == Some(&b'%')
                    && matches!(
                        (text.get(p + 1).and_then(|&h| hex(h)), text.get(p + 2).and_then(|&l| hex(l))),
                        (Some(h), Some(l)) if h * 16 + l == u32::from(byte)
                    );
                p += 3;
                ok
            });
            if all {
                out.push(p);
            }
        }
        b'\\' => {
            // `\u0073`, or escaped twice (`\\u0073`: a JSON text inside a JSON string).
            let mut units = [0u16; 2];
            let units = c.encode_utf16(&mut units);
            for slashes in [1, 2] {
                let mut p = at;
                let all = units.iter().all(|&unit| {
                    let ok =
                        text.get(p..p + slashes)
                            .is_some_and(|s| s.iter().all(|&b| b == b'\\'))
                            && text.get(p + slashes) == Some(&b'u')
                            && text.get(p + slashes + 1..p + slashes + 5).map(|h| {
                                h.iter().try_fold(0u32, |acc, &d| Some(acc * 16 + hex(d)?))
                            }) == Some(Some(u32::from(unit)));
                    p += slashes + 5;
                    ok
                });
                if all {
                    out.push(p);
                }
            }
            let short = match c {
                '"' => Some(b'"'),
                '\\' => Some(b'\\'),
                '/' => Some(b'/'),
                '\u{8}' => Some(b'b'),
                '\u{c}' => Some(b'f'),
                '\n' => Some(b'n'),
                '\r' => Some(b'r'),
                '\t' => Some(b't'),
                _ => None,
            };
            if short.is_some() && text.get(at + 1) == short.as_ref() {
                out.push(at + 2);
            }
        }
        b'&' => {
            let named = match c {
                '&' => Some("&amp;"),
                '<' => Some("&lt;"),
                '>' => Some("&gt;"),
                '"' => Some("&quot;"),
                '\'' => Some("&apos;"),
                _ => None,
            };
            if let Some(n) = named
                && text.get(at..at + n.len()) == Some(n.as_bytes())
            {
                out.push(at + n.len());
            }
            if text.get(at + 1) == Some(&b'#') {
                let (radix, digits_at) = match text.get(at + 2) {
                    Some(b'x' | b'X') => (16, at + 3),
                    _ => (10, at + 2),
                };
                let digits = text
                    .get(digits_at..)
                    .unwrap_or_default()
                    .iter()
                    .take(10)
                    .take_while(|d| (**d as char).is_digit(radix))
                    .count();
                let value = text
                    .get(digits_at..digits_at + digits)
                    .and_then(|d| std::str::from_utf8(d).ok())
                    .and_then(|d| u32::from_str_radix(d, radix).ok());
                if digits > 0
                    && value == Some(u32::from(c))
                    && text.get(digits_at + digits) == Some(&b';')
                {
                    out.push(digits_at + digits + 1);
                }
            }
        }
        _ => {}
    }
}
