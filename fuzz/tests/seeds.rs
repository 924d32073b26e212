//! The committed seeds and dictionaries (`fuzz/seeds/<target>/`, `fuzz/dict/<target>.dict`)
//! are made here from the reference's documented examples (`tests/fixtures/avochato-v1.json`)
//! and a few hand-written inputs; this test replays every seed (and every input saved in
//! `fuzz/regressions/<target>/`) through its harness.
//!
//! After a change to the reference, the operation list or these inputs, rewrite them with
//! `AVOCHATO_FUZZ_SEEDS=write cargo test -p avochato-fuzz --test seeds`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use avochato::{HttpMethod, OperationSpec, TypeRef, operations};
use avochato_fuzz::{COUNTRIES, SECRET, Target};
use serde_json::{Map, Value};

const FIXTURE: &str = include_str!("../../tests/fixtures/avochato-v1.json");

/// Target name → file name → contents.
type Files = BTreeMap<&'static str, BTreeMap<String, Vec<u8>>>;

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn fixture() -> Vec<Value> {
    let doc: Value = serde_json::from_str(FIXTURE).unwrap();
    doc["operations"].as_array().unwrap().clone()
}

/// The operation's index in the manifest (the selector byte) and its spec.
fn by_title(title: &str) -> (u8, &'static OperationSpec) {
    let (i, spec) = operations()
        .iter()
        .enumerate()
        .find(|(_, s)| s.title == title)
        .unwrap_or_else(|| panic!("no operation titled {title:?}"));
    (u8::try_from(i).unwrap(), spec)
}

fn with_selector(selector: u8, rest: &[u8]) -> Vec<u8> {
    let mut out = vec![selector];
    out.extend_from_slice(rest);
    out
}

// ---------- the seeds ----------

fn decode_seeds() -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for op in fixture() {
        let (i, spec) = by_title(op["title"].as_str().unwrap());
        let body = serde_json::to_vec(&op["example_response"]["body"]).unwrap();
        out.insert(spec.qualified_name(), with_selector(i, &body));
    }
    // Failed answers (the selector's high bits pick the status the error paths get), with
    // the secret written in the body as it is and escaped.
    let n = u8::try_from(operations().len()).unwrap();
    let errors: [&[u8]; 8] = [
        br#"{"status":401,"errors":["Unauthorized"]}"#,
        br#"{"status":400,"errors":"+16505551234 is already opted out"}"#,
        br#"{"status":"422","error":{"phone":"is invalid","tags":[1,null]}}"#,
        b"<html><body><h1>502 Bad Gateway</h1></body></html>",
        "2\n{\"status\":500,\"message\":\"bad secret sk_Fuzz/\u{e9}+9\"}".as_bytes(),
        br#"{"status":403,"errors":["sk_Fuzz\/\u00e9+9","sk_Fuzz%2F%C3%A9%2B9","sk&#95;Fuzz/&#233;+9"]}"#,
        b"Wed, 21 Oct 2015 07:28:00 GMT\n{\"status\":429}",
        b"",
    ];
    for (k, body) in errors.iter().enumerate() {
        let variant = u8::try_from(k % 4).unwrap();
        out.insert(format!("error-{k}"), with_selector(variant * n, body));
    }
    out
}

/// The parameters of a documented example request, as a host passes them: path values,
/// then the query (typed as the parameter's field) or the JSON body, without the
/// credentials and the operation's constants; `a[b]` keys nested.
fn example_params(spec: &OperationSpec, request: &Value) -> Map<String, Value> {
    let target = request["route"]
        .as_str()
        .unwrap()
        .split_once(' ')
        .unwrap()
        .1;
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let field = |name: &str| {
        spec.params_info()
            .fields
            .iter()
            .find(|f| f.name == name)
            .map_or(TypeRef::Text, |f| f.ty)
    };
    let mut params = Map::new();
    for (pattern, actual) in spec.path.split('/').zip(path.split('/')) {
        let Some(name) = pattern.strip_prefix(':') else {
            continue;
        };
        let text = percent_encoding::percent_decode_str(actual)
            .decode_utf8_lossy()
            .into_owned();
        let value = match field(name) {
            TypeRef::Ids => text.split(',').map(Value::from).collect(),
            _ => Value::from(text),
        };
        params.insert(name.to_string(), value);
    }
    let flat: Vec<(String, Value)> = if spec.http_method == HttpMethod::Get {
        form_urlencoded::parse(query.as_bytes())
            // `&direction&` (no value) is no filter: the SDK leaves it out.
            .filter(|(k, v)| !(k == "direction" && v.is_empty()))
            .map(|(k, v)| {
                let numeric = k.contains('[')
                    || matches!(field(&k), TypeRef::Integer { .. } | TypeRef::Number);
                let value = match serde_json::from_str::<Value>(&v) {
                    Ok(n @ Value::Number(_)) if numeric => n,
                    _ => Value::from(v.into_owned()),
                };
                (k.into_owned(), value)
            })
            .collect()
    } else {
        request["body"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    };
    for (k, v) in flat {
        if k == "auth_id" || k == "auth_secret" || spec.constants.iter().any(|(c, _)| *c == k) {
            continue;
        }
        match k.split_once('[') {
            Some((base, sub)) => {
                let entry = params
                    .entry(base.to_string())
                    .or_insert_with(|| Value::Object(Map::new()));
                if let Value::Object(m) = entry {
                    m.insert(sub.trim_end_matches(']').to_string(), v);
                }
            }
            None => {
                params.insert(k, v);
            }
        }
    }
    params
}

fn encode_seeds() -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for op in fixture() {
        let (i, spec) = by_title(op["title"].as_str().unwrap());
        let params = Value::Object(example_params(spec, &op["example_request"]));
        let json = serde_json::to_vec(&params).unwrap();
        // The second byte: the call's options (subdomain, page cursor), varied by operation.
        let mut data = vec![i, i % 16];
        data.extend_from_slice(&json);
        out.insert(spec.qualified_name(), data);
    }
    out
}

fn phone_seeds() -> BTreeMap<String, Vec<u8>> {
    let country = |c: &str| u8::try_from(COUNTRIES.iter().position(|x| *x == c).unwrap()).unwrap();
    let written = [
        ("US", "(415) 555-1234"),
        ("US", "415.555.1234"),
        ("US", "+1 415 555 1234"),
        ("US", "1-415-555-1234"),
        ("US", "415-555-1234 x12"),
        ("US", "(415) 555-1234 ext. 7"),
        ("US", "011 1 415 555 1234"),
        ("US", "1-800-FLOWERS"),
        ("GB", "020 7946 0958"),
        ("DE", "00 44 20 7946 0958"),
        ("US", "+44 (0)20 7946 0958"),
        ("+33", "0612345678"),
        ("IN", "+91\u{a0}98765\u{a0}43210"),
        ("HK", "2123 4567 extension 89"),
        ("ZZ", "4155551234"),
    ];
    let mut out = BTreeMap::new();
    for (k, (c, text)) in written.iter().enumerate() {
        out.insert(
            format!("written-{k:02}"),
            with_selector(country(c), text.as_bytes()),
        );
    }
    // Every phone number the reference's examples hold.
    let mut phones = BTreeSet::new();
    collect_phones(&serde_json::from_str(FIXTURE).unwrap(), &mut phones);
    for (k, p) in phones.iter().enumerate() {
        out.insert(format!("reference-{k:02}"), with_selector(0, p.as_bytes()));
    }
    out
}

fn collect_phones(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                match x {
                    Value::String(s) if k.contains("phone") && !s.is_empty() => {
                        out.insert(s.clone());
                    }
                    other => collect_phones(other, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|x| collect_phones(x, out)),
        _ => {}
    }
}

fn redact_seeds() -> BTreeMap<String, Vec<u8>> {
    let fixture_secret = "YYYYYYYYYYYYYYYYYYYY";
    let cases = [
        (
            fixture_secret,
            format!("GET /v1/whoami?auth_id=z1N8x2937L&auth_secret={fixture_secret}"),
        ),
        (
            SECRET,
            format!(r#"{{"auth_secret":"{SECRET}","x":"sk_Fuzz\/\u00e9+9"}}"#),
        ),
        (
            SECRET,
            "auth_secret=sk_Fuzz%2F%C3%A9%2B9&b=sk_Fuzz%2f%c3%a9%2b9".to_string(),
        ),
        (
            SECRET,
            r"&#115;k_Fuzz&#x2f;&#233;+9 \\u0073k_Fuzz/\u00e9+9".to_string(),
        ),
        (
            "a b+c/secret",
            "x a b+c/secret y a+b%2Bc%2Fsecret z".to_string(),
        ),
        (
            "q\"\\<&>'\t",
            r#"q\"\\&lt;&amp;&gt;&apos;\t and q&quot;\&lt;"#.to_string(),
        ),
        (
            "\u{1f600}key",
            r"\ud83d\ude00key %F0%9F%98%80key".to_string(),
        ),
    ];
    let mut out = BTreeMap::new();
    for (k, (secret, text)) in cases.iter().enumerate() {
        let chars = u8::try_from(secret.chars().count() - 1).unwrap();
        let mut data = vec![chars];
        data.extend_from_slice(secret.as_bytes());
        data.extend_from_slice(text.as_bytes());
        out.insert(format!("case-{k}"), data);
    }
    out
}

fn seeds() -> Files {
    BTreeMap::from([
        ("decode", decode_seeds()),
        ("encode", encode_seeds()),
        ("phone", phone_seeds()),
        ("redact", redact_seeds()),
    ])
}

// ---------- the dictionaries ----------

const JSON_TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ":",
    ",",
    "\"",
    "null",
    "true",
    "false",
    "0",
    "-1",
    "1.5",
    "1e308",
    "-0",
    "18446744073709551616",
    "\\u0000",
    "\\ud800",
    "\\\"",
    "{}",
    "[]",
];

fn keys_of(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                out.insert(format!("\"{k}\""));
                keys_of(x, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|x| keys_of(x, out)),
        _ => {}
    }
}

fn dictionaries() -> BTreeMap<&'static str, BTreeSet<String>> {
    let tokens = || {
        JSON_TOKENS
            .iter()
            .map(|t| (*t).to_string())
            .collect::<BTreeSet<_>>()
    };
    let mut decode = tokens();
    let mut encode = tokens();
    for op in fixture() {
        keys_of(&op["example_response"]["body"], &mut decode);
    }
    for spec in operations() {
        for f in spec.params_info().fields {
            encode.insert(format!("\"{}\"", f.name));
            if let Some(info) = f.ty.info() {
                encode.extend(info.variants.iter().map(|v| format!("\"{v}\"")));
                encode.extend(info.fields.iter().map(|f| format!("\"{}\"", f.name)));
            }
        }
    }
    encode.extend(
        [
            "\"from\"",
            "\"to\"",
            "\"+14155551234\"",
            "\"avochato:c:\"",
            "\"https://\"",
            "\"1\"",
            "\"yes\"",
        ]
        .map(str::to_string),
    );
    decode.extend(
        [
            "\"status\"",
            "\"data\"",
            "\"errors\"",
            "\"2026-01-01T00:00:00Z\"",
        ]
        .map(str::to_string),
    );
    let phone = [
        "+",
        "(",
        ")",
        "-",
        ".",
        " ",
        "/",
        "x",
        "#",
        "ext.",
        "extension",
        "(0)",
        "00",
        "011",
        "\u{a0}",
    ]
    .map(str::to_string)
    .into();
    let redact = [
        "%",
        "%2F",
        "%C3%A9",
        "\\u00",
        "\\\\u00",
        "\\ud83d",
        "&#",
        "&#x",
        "&amp;",
        "&quot;",
        "&lt;",
        "+",
        "\\\"",
        "\\/",
        "[REDACTED]",
    ]
    .map(str::to_string)
    .into();
    BTreeMap::from([
        ("decode", decode),
        ("encode", encode),
        ("phone", phone),
        ("redact", redact),
    ])
}

/// One libFuzzer dictionary line: the token quoted, `\`, `"` and non-printable bytes escaped.
fn dict_line(token: &str) -> String {
    let mut line = String::from("\"");
    for b in token.bytes() {
        match b {
            b'"' | b'\\' => line.push_str(&format!("\\{}", b as char)),
            0x20..=0x7e => line.push(b as char),
            _ => line.push_str(&format!("\\x{b:02X}")),
        }
    }
    line.push_str("\"\n");
    line
}

fn dictionary_files() -> BTreeMap<String, Vec<u8>> {
    dictionaries()
        .into_iter()
        .map(|(t, tokens)| {
            let text: String = std::iter::once(format!(
                "# Tokens for the {t} target (written by fuzz/tests/seeds.rs).\n"
            ))
            .chain(tokens.iter().map(|t| dict_line(t)))
            .collect();
            (format!("{t}.dict"), text.into_bytes())
        })
        .collect()
}

// ---------- the tests ----------

fn read_dir(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return BTreeMap::new();
    };
    entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect()
}

/// Makes `dir` hold exactly `files` (when writing), or says how it differs.
fn sync(dir: &Path, files: &BTreeMap<String, Vec<u8>>, write: bool) -> Vec<String> {
    let present = read_dir(dir);
    if write {
        std::fs::create_dir_all(dir).unwrap();
        for name in present.keys().filter(|n| !files.contains_key(*n)) {
            std::fs::remove_file(dir.join(name)).unwrap();
        }
        for (name, data) in files {
            if present.get(name) != Some(data) {
                std::fs::write(dir.join(name), data).unwrap();
            }
        }
        return Vec::new();
    }
    let mut problems = Vec::new();
    for name in files.keys().chain(present.keys()).collect::<BTreeSet<_>>() {
        if files.get(name) != present.get(name) {
            problems.push(dir.join(name).display().to_string());
        }
    }
    problems
}

#[test]
fn seeds_and_dictionaries_are_current() {
    let write = std::env::var("AVOCHATO_FUZZ_SEEDS").is_ok_and(|v| v == "write");
    let root = fuzz_dir();
    let mut problems = Vec::new();
    for (target, files) in seeds() {
        problems.extend(sync(&root.join("seeds").join(target), &files, write));
    }
    problems.extend(sync(&root.join("dict"), &dictionary_files(), write));
    assert!(
        problems.is_empty(),
        "out of date (rewrite with AVOCHATO_FUZZ_SEEDS=write cargo test -p avochato-fuzz --test seeds):\n{}",
        problems.join("\n")
    );
    let total: usize = seeds()
        .values()
        .flat_map(|f| f.values())
        .map(Vec::len)
        .sum();
    assert!(total < 256 * 1024, "the seeds take {total} bytes");
}

#[test]
fn every_seed_and_regression_runs_clean() {
    for target in Target::ALL {
        for folder in ["seeds", "regressions"] {
            for (name, data) in read_dir(&fuzz_dir().join(folder).join(target.name())) {
                let outcome = std::panic::catch_unwind(|| avochato_fuzz::run(target, &data));
                assert!(outcome.is_ok(), "{folder}/{}/{name}", target.name());
            }
        }
    }
}

#[test]
fn the_documented_examples_are_accepted() {
    for (name, data) in decode_seeds()
        .iter()
        .filter(|(n, _)| !n.starts_with("error-"))
    {
        let spec = &operations()[usize::from(data[0])];
        let decoded = (spec.decode_json)(&data[1..]);
        assert!(decoded.is_ok(), "{name}: {decoded:?}");
    }
    for (name, data) in encode_seeds() {
        let spec = &operations()[usize::from(data[0])];
        let params: Value = serde_json::from_slice(&data[2..]).unwrap();
        let encoded = avochato::wire::encode_json(spec, params, None, &[]);
        assert!(encoded.is_ok(), "{name}: {encoded:?}");
    }
}
