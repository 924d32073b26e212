//! `cargo run -p avochato-codegen -- python-stubs [--check]`

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    match args.first().map(String::as_str) {
        Some("python-stubs") => {
            let check = args.iter().any(|a| a == "--check");
            let files = [
                (
                    avochato_codegen::PYTHON_STUBS,
                    avochato_codegen::python_stubs::render(),
                ),
                (
                    avochato_codegen::PYTHON_TYPES,
                    avochato_codegen::python_stubs::render_types(),
                ),
            ];
            let mut ok = true;
            for (rel, text) in files {
                let path = root.join(rel);
                if check {
                    if std::fs::read_to_string(&path).unwrap_or_default() != text {
                        eprintln!(
                            "{rel} is stale: run `cargo run -p avochato-codegen -- python-stubs`"
                        );
                        ok = false;
                    }
                } else if let Err(e) = std::fs::write(&path, text) {
                    eprintln!("{rel}: {e}");
                    ok = false;
                } else {
                    println!("wrote {rel}");
                }
            }
            if ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        _ => {
            eprintln!("usage: avochato-codegen python-stubs [--check]");
            ExitCode::from(2)
        }
    }
}
