//! `avochato`: the Avochato API from a terminal. Every subcommand of an operation is made
//! from the core's operation list; see `avochato --help`.
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

mod auth;
mod bulk;
mod cli;
mod context;
mod error;
mod export;
mod import;
mod interrupt;
mod journal;
mod output;
mod params;
mod profiles;
mod progress;
mod records;
mod run;

use std::process::ExitCode;

use clap::error::ErrorKind as ClapError;

use crate::context::Globals;
use crate::error::{CliError, EXIT_USAGE, Result};

fn main() -> ExitCode {
    // One line, never a backtrace: a panic is a bug to report, not a trace to show.
    std::panic::set_hook(Box::new(|info| {
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        eprintln!(
            "error: internal error (please report it): {}",
            output::clean(&msg)
        );
    }));
    let matches = match cli::command().try_get_matches() {
        Ok(m) => m,
        Err(e) => return clap_error(e),
    };
    let globals = Globals::from_matches(&matches);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start: {e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(dispatch(&globals, &matches)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(CliError::Io(m)) if m.ends_with("Broken pipe (os error 32)") => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", error::one_line(&e.to_string()));
            ExitCode::from(e.exit_code())
        }
    }
}

/// Usage errors in one line (help and version print as usual).
fn clap_error(e: clap::Error) -> ExitCode {
    match e.kind() {
        ClapError::DisplayHelp | ClapError::DisplayVersion => {
            let _ = e.print();
            ExitCode::SUCCESS
        }
        ClapError::DisplayHelpOnMissingArgumentOrSubcommand | ClapError::MissingSubcommand => {
            let _ = e.print();
            ExitCode::from(EXIT_USAGE)
        }
        _ => {
            let text = e.to_string();
            let first = text
                .lines()
                .next()
                .unwrap_or("bad usage")
                .trim_start_matches("error: ");
            eprintln!("error: {} (see --help)", output::clean(first));
            ExitCode::from(EXIT_USAGE)
        }
    }
}

async fn dispatch(g: &Globals, m: &clap::ArgMatches) -> Result<()> {
    let (group, sub) = m
        .subcommand()
        .ok_or_else(|| CliError::usage("a command is needed (see --help)"))?;
    match group {
        "auth" => return auth::run(g, sub).await,
        "completions" => {
            let shell = sub
                .get_one::<clap_complete::Shell>("shell")
                .copied()
                .ok_or_else(|| CliError::usage("which shell?"))?;
            clap_complete::generate(
                shell,
                &mut cli::command(),
                "avochato",
                &mut std::io::stdout(),
            );
            return Ok(());
        }
        "operations" => {
            let rows: Vec<serde_json::Value> = avochato::operations()
                .iter()
                .map(|o| {
                    serde_json::json!({
                        "command": format!("{} {}", o.resource, params::command_name(o)),
                        "method": o.http_method.as_str(),
                        "path": o.path,
                        "title": o.title,
                    })
                })
                .collect();
            let mut out =
                output::Printer::new(std::io::stdout().lock(), g.format, "Operation", true, true);
            out.rows(&rows)?;
            return out.finish();
        }
        _ => {}
    }
    let (name, args) = sub.subcommand().ok_or_else(|| {
        CliError::usage(format!(
            "{group} needs a subcommand (see avochato {group} --help)"
        ))
    })?;
    match (group, name) {
        ("contacts", "import") => import::run(g, args).await,
        ("contacts", "export") => export::run(g, args).await,
        ("messages", "send-bulk") => bulk::run(g, args).await,
        _ => {
            let op = avochato::find_operation(group, &name.replace('-', "_"))
                .ok_or_else(|| CliError::usage(format!("unknown command: {group} {name}")))?;
            run::operation(g, op, args).await
        }
    }
}
