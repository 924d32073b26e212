//! Where a profile's secret is kept: the system keyring (Secret Service on Linux, the
//! Keychain on macOS, the Credential Manager on Windows) when the binary is built with the
//! `keyring` feature and one answers, else the profiles file (mode 0600), as `gh` does.

use crate::error::{CliError, Result};
use crate::profiles::Profile;

/// The keyring service name entries are kept under (the account is the profile name).
#[cfg_attr(not(feature = "keyring"), allow(dead_code))]
const SERVICE: &str = "avochato-cli";

/// Where `auth add` puts a secret: `AVOCHATO_SECRET_STORE` or `--secret-store`
/// (`keyring`, `file`, or `auto`: the keyring when one answers).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choice {
    Auto,
    Keyring,
    File,
}

impl Choice {
    pub fn parse(text: Option<&str>) -> Result<Choice> {
        match text.map(|t| t.trim().to_ascii_lowercase()).as_deref() {
            None | Some("" | "auto") => Ok(Choice::Auto),
            Some("keyring") => Ok(Choice::Keyring),
            Some("file") => Ok(Choice::File),
            Some(other) => Err(CliError::usage(format!(
                "secret store {other:?}: use auto, keyring or file"
            ))),
        }
    }
}

/// The secret of profile `name`.
pub fn secret(name: &str, p: &Profile) -> Result<String> {
    if !p.in_keyring {
        return Ok(p.auth_secret.clone());
    }
    keyring_get(name)
}

/// Stores the secret of `p` (named `name`) as `choice` says: in the keyring (then the file
/// keeps no secret) or in the file. Returns where it went, in words.
pub fn store(name: &str, p: &mut Profile, choice: Choice) -> Result<String> {
    // Without keyring support, `auto` is the file (and says nothing about it).
    let choice = if cfg!(feature = "keyring") || choice != Choice::Auto {
        choice
    } else {
        Choice::File
    };
    if choice == Choice::File {
        p.in_keyring = false;
        return Ok("the profiles file".into());
    }
    match keyring_set(name, &p.auth_secret) {
        Ok(place) => {
            p.auth_secret.clear();
            p.in_keyring = true;
            Ok(place)
        }
        Err(e) if choice == Choice::Keyring => Err(CliError::Io(format!(
            "no system keyring ({e}); keep the secret in the profiles file with --secret-store file"
        ))),
        Err(e) => {
            eprintln!("note: no system keyring ({e}); the secret is kept in the profiles file");
            p.in_keyring = false;
            Ok("the profiles file".into())
        }
    }
}

/// Forgets the keyring entry of a removed (or replaced) profile.
pub fn forget(name: &str, p: &Profile) {
    if p.in_keyring {
        let _ = keyring_delete(name);
    }
}

#[cfg(feature = "keyring")]
fn entry(name: &str) -> Result<keyring::Entry> {
    keyring::Entry::new(SERVICE, name).map_err(|e| CliError::Io(format!("the system keyring: {e}")))
}

#[cfg(feature = "keyring")]
fn keyring_get(name: &str) -> Result<String> {
    entry(name)?.get_password().map_err(|e| {
        CliError::usage(format!(
            "the secret of profile {name} is in the system keyring, which did not give it ({e}); add the profile again: avochato auth add {name}"
        ))
    })
}

#[cfg(feature = "keyring")]
fn keyring_set(name: &str, secret: &str) -> Result<String> {
    entry(name)?
        .set_password(secret)
        .map_err(|e| CliError::Io(e.to_string()))?;
    Ok(format!("the system keyring (service {SERVICE})"))
}

#[cfg(feature = "keyring")]
fn keyring_delete(name: &str) -> Result<()> {
    entry(name)?
        .delete_credential()
        .map_err(|e| CliError::Io(e.to_string()))
}

#[cfg(not(feature = "keyring"))]
fn keyring_get(name: &str) -> Result<String> {
    Err(CliError::usage(format!(
        "the secret of profile {name} is in the system keyring, and this avochato was built without keyring support (cargo install --features keyring); add the profile again: avochato auth add {name}"
    )))
}

#[cfg(not(feature = "keyring"))]
fn keyring_set(_: &str, _: &str) -> Result<String> {
    Err(CliError::Io(
        "this avochato was built without keyring support (build with --features keyring)".into(),
    ))
}

#[cfg(not(feature = "keyring"))]
fn keyring_delete(_: &str) -> Result<()> {
    Ok(())
}
