//! `cargo run -p avochato-codegen [-- --check]`: writes every generated file (the Python
//! stubs and types, the npm package's tables, error classes and declarations), or checks
//! that the committed ones are current.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("decode-cases") {
        let Some(path) = args.get(1) else {
            eprintln!("usage: avochato-codegen decode-cases FIXTURE.json");
            return ExitCode::from(2);
        };
        let fixture = std::fs::read_to_string(path)
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok());
        let Some(fixture) = fixture else {
            eprintln!("{path}: not the reference's JSON");
            return ExitCode::FAILURE;
        };
        print!("{}", avochato_codegen::decode_cases::render(&fixture));
        return ExitCode::SUCCESS;
    }
    let known = ["--check", "python-stubs", "js", "all"];
    if let Some(bad) = args.iter().find(|a| !known.contains(&a.as_str())) {
        eprintln!("usage: avochato-codegen [--check] (unknown argument {bad:?})");
        return ExitCode::from(2);
    }
    let check = args.iter().any(|a| a == "--check");
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut ok = true;
    for (rel, text) in avochato_codegen::files() {
        let path = root.join(rel);
        if check {
            if std::fs::read_to_string(&path).unwrap_or_default() != text {
                eprintln!("{rel} is stale: run `cargo run -p avochato-codegen`");
                ok = false;
            }
            continue;
        }
        if std::fs::read_to_string(&path).unwrap_or_default() == text {
            continue;
        }
        if let Some(dir) = path.parent()
            && let Err(e) = std::fs::create_dir_all(dir)
        {
            eprintln!("{rel}: {e}");
            ok = false;
            continue;
        }
        match std::fs::write(&path, text) {
            Ok(()) => println!("wrote {rel}"),
            Err(e) => {
                eprintln!("{rel}: {e}");
                ok = false;
            }
        }
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
