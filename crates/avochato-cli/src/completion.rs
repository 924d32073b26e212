//! Shell completion: `avochato completions SHELL` prints a script that asks the binary
//! itself what to complete (as `gh` does), so `--profile <TAB>` offers the profile names
//! of the profiles file, and every subcommand and option stays in step with the binary.

use std::ffi::OsStr;

use clap_complete::engine::CompletionCandidate;

use crate::error::{CliError, Result};

/// The environment variable the completion script sets when it calls the binary.
pub const VAR: &str = "COMPLETE";

/// Profile names starting with what was typed.
pub fn profile_names(current: &OsStr) -> Vec<CompletionCandidate> {
    let typed = current.to_string_lossy();
    let Ok(store) = crate::profiles::Store::load() else {
        return Vec::new();
    };
    store
        .profiles()
        .iter()
        .filter(|(name, _)| name.starts_with(typed.as_ref()))
        .map(|(name, p)| {
            let help = match (&p.subdomain, p.enabled) {
                (_, false) => "disabled".to_string(),
                (Some(inbox), true) => format!("inbox {inbox}"),
                (None, true) => p.auth_id.clone(),
            };
            CompletionCandidate::new(name.clone()).help(Some(help.into()))
        })
        .collect()
}

/// The completion script for `shell`.
pub fn script(shell: &str) -> Result<Vec<u8>> {
    let shells = clap_complete::env::Shells::builtins();
    let completer = shells
        .completer(shell)
        .ok_or_else(|| CliError::usage(format!("no completion for shell {shell:?}")))?;
    let mut out = Vec::new();
    completer
        .write_registration(VAR, "avochato", "avochato", "avochato", &mut out)
        .map_err(|e| CliError::io("the completion script", e))?;
    Ok(out)
}
