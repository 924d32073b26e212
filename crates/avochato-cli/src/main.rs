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
mod columns;
mod completion;
mod confirm;
mod contact_rows;
mod context;
mod dry_run;
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
mod secret_store;
mod template;
mod term;
mod times;

use std::io::Write;
use std::process::ExitCode;

use clap::error::{ContextKind, ContextValue, ErrorKind as ClapError};

use crate::context::Globals;
use crate::error::{CliError, EXIT_INTERNAL, EXIT_USAGE, Result};

fn main() -> ExitCode {
    ExitCode::from(guarded(run))
}

/// Runs `body`; a panic becomes one line on stderr and exit code 70 (EX_SOFTWARE), never a
/// backtrace or Rust's 101. A panic caused by a closed stdout (`println!` into `| head`) is
/// not a bug: it ends quietly.
fn guarded(body: fn() -> u8) -> u8 {
    std::panic::set_hook(Box::new(|info| {
        let msg = panic_message(info.payload());
        if !is_broken_pipe(&msg) {
            eprintln!(
                "error: internal error (please report it): {}",
                term::clean(&msg)
            );
        }
    }));
    match std::panic::catch_unwind(body) {
        Ok(code) => code,
        Err(payload) if is_broken_pipe(&panic_message(payload.as_ref())) => 0,
        Err(_) => EXIT_INTERNAL,
    }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_default()
}

fn is_broken_pipe(text: &str) -> bool {
    text.contains("Broken pipe") || text.contains("os error 32")
}

fn run() -> u8 {
    // A completion request from the shell script (`COMPLETE=bash avochato ...`).
    clap_complete::CompleteEnv::with_factory(cli::command)
        .var(completion::VAR)
        .complete();
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
            return 1;
        }
    };
    match runtime.block_on(dispatch(&globals, &matches)) {
        Ok(()) => 0,
        Err(e) if e.is_broken_pipe() => 0,
        Err(e) => {
            eprintln!("error: {}", error::one_line(&e.to_string()));
            e.exit_code()
        }
    }
}

/// Usage errors in one line, with clap's suggestion when there is one (help and version
/// print as usual).
fn clap_error(e: clap::Error) -> u8 {
    match e.kind() {
        ClapError::DisplayHelp | ClapError::DisplayVersion => {
            let _ = e.print();
            0
        }
        ClapError::DisplayHelpOnMissingArgumentOrSubcommand | ClapError::MissingSubcommand => {
            let _ = e.print();
            EXIT_USAGE
        }
        _ => {
            let text = e.to_string();
            let first = text
                .lines()
                .next()
                .unwrap_or("bad usage")
                .trim_start_matches("error: ");
            // clap lists its suggestions from the least to the most likely.
            let suggested = [ContextKind::SuggestedSubcommand, ContextKind::SuggestedArg]
                .into_iter()
                .find_map(|k| match e.get(k) {
                    Some(ContextValue::String(s)) => Some(s.clone()),
                    Some(ContextValue::Strings(v)) => v.last().cloned(),
                    _ => None,
                });
            let hint = suggested
                .map(|s| format!("; did you mean '{s}'?"))
                .unwrap_or_default();
            eprintln!("error: {}{hint} (see --help)", term::clean(first));
            EXIT_USAGE
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
            let script = completion::script(&shell.to_string())?;
            let mut out = std::io::stdout().lock();
            out.write_all(&script)
                .and_then(|()| out.flush())
                .map_err(|e| CliError::io("writing the completion script", e))?;
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
                output::Printer::named(std::io::stdout().lock(), g.format, "Operation", true, true);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_is_exit_70_and_a_closed_pipe_is_quiet() {
        assert_eq!(guarded(|| panic!("boom")), EXIT_INTERNAL);
        assert_eq!(
            guarded(|| panic!("failed printing to stdout: Broken pipe (os error 32)")),
            0
        );
        assert_eq!(guarded(|| 3), 3);
        let _ = std::panic::take_hook();
    }
}
